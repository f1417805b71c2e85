"""The inputs panel: a slider + spin box and an editable range per input; reset, randomize, animate.

A dumb view: it shows the values it is given and emits what the user does. Model → widget updates
(:meth:`InputPanel.set_inputs`, :meth:`InputPanel.set_values`) never emit signals.

Every number box is a :class:`~neuroviz.views.number_box.NumberBox`: it shows a value compactly ("0.25",
"1e300") but reports it exactly, reads typed scientific notation, and its range covers what the model accepts
(any finite number for a range end). A value typed beyond an input's range cannot happen: the value box's
range *is* the input range, so the typed number is clamped to the nearest end on Enter. Narrowing a range
moves a value that falls outside it to the nearest end; the panel then emits ``rangeChanged`` followed by
``valueChanged`` for that input, so the controller sees both edits. A range whose low end is not below its high
end is refused: the boxes go back and a tooltip at the edited box says why.

The range boxes are narrow, so they show fewer digits when a number does not fit ("-1.8e308", not a cut
"-1.7976"), never fewer than two, and as many as it takes to tell the two ends apart ("1.0000001 … 1.0000002",
up to 17); only when those do not fit does a box grow. When the ends need more digits than usual, the value
box shows one more than they do, so a value between them reads as between them.

The mouse wheel changes a slider or box only once it has focus (a click or Tab): over an unfocused one it scrolls
the panel, so scrolling through the inputs never changes one of them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPoint, QSignalBlocker, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from neuroviz.views.number_box import DISPLAY_DIGITS, FLOAT_MAX, MAX_DIGITS, QT_RESOLUTION, NumberBox, format_number

__all__ = ["ElidedLabel", "InputPanel"]

#: Names up to this many pixels sit left of their slider; when one is longer, every name gets a line of its own
#: above its slider (so "sepal length" and "sepal width" never both read "sepal…").
NAME_BESIDE_SLIDER_PX = 56


class ElidedLabel(QLabel):
    """A label that ends in "…" when its text does not fit, instead of cutting a letter in half.

    It never makes the panel wider than the slider and number box need: a name longer than the panel is shortened
    to the width there is (its tooltip holds the whole name).
    """

    #: Where the "…" goes (a path is better shortened in the middle: its start and its file name stay).
    ELIDE = Qt.TextElideMode.ElideRight

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.fontMetrics().horizontalAdvance("xx…")), hint.height())

    def shown_text(self) -> str:
        """The text as painted at the label's current width."""
        return self.fontMetrics().elidedText(self.text(), self.ELIDE, self.contentsRect().width())

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.contentsRect(), int(self.alignment()), self.shown_text())


#: Slider positions across an input's range: fine enough to look continuous, coarse enough to drag.
SLIDER_STEPS = 1000
#: Animation timer interval (~30 frames per second) and the time one full back-and-forth sweep takes.
ANIMATION_INTERVAL_MS = 33
ANIMATION_PERIOD_S = 4.0
#: How far an input's range ends may be typed: any finite number, as ``Network.set_input_range`` accepts.
RANGE_LIMIT = FLOAT_MAX
#: What a range box is wide enough for; longer numbers show fewer digits.
RANGE_BOX_SAMPLE = "-99.999"  # (wider would push the window past 800 px: the range line sets the width)
#: A range box never shows fewer significant digits than this ("2e308" would be 11% off 1.79769e308): it grows.
RANGE_FEWEST_DIGITS = 2
DEFAULT_RANGE = (-5.0, 5.0)
#: The step of the value box's arrows for an empty range (which set_inputs refuses: a safeguard).
FALLBACK_STEP = 0.01


class _InputRow:
    """The widgets of one input: name, slider, value spin box and the two range boxes."""

    def __init__(self, name: str, low: float, high: float) -> None:
        self.name_label = ElidedLabel(name)
        self.name_label.setToolTip(f"Input neuron “{name}”")

        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.setSingleStep(SLIDER_STEPS // 100)
        self.slider.setPageStep(SLIDER_STEPS // 10)
        self.slider.setMinimumWidth(80)
        self.slider.setToolTip(
            f"Drag to set “{name}”. Arrow keys move 1% of the range, Page Up/Down 10%, Home/End jump to the ends."
        )
        self.slider.setAccessibleName(f"{name} slider")

        self.spin_box = NumberBox()  # no keyboard tracking: typing "1.25" is one edit, not three
        self.spin_box.setToolTip(
            f"Value of “{name}”: type a number such as 2.5 or 1e-3 (kept inside the range) or use the arrows."
        )
        self.spin_box.setAccessibleName(f"{name} value")
        self.spin_box.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

        self.low_box = _range_box(f"Lowest value of “{name}” (must stay below the highest).")
        self.low_box.setAccessibleName(f"{name} minimum")
        self.high_box = _range_box(f"Highest value of “{name}” (must stay above the lowest).")
        self.high_box.setAccessibleName(f"{name} maximum")
        # the range sits on a second line under the slider, so the panel stays narrow beside the network
        self.range_host = QWidget()
        line = QHBoxLayout(self.range_host)
        line.setContentsMargins(0, 0, 0, 6)
        line.setSpacing(4)
        caption = QLabel("range")
        caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted, follows the theme
        line.addWidget(caption)
        line.addWidget(self.low_box)
        line.addWidget(QLabel("…"))
        line.addWidget(self.high_box)
        line.addStretch(1)

        self.low = low
        self.high = high
        self.value = 0.0
        self._shown_range: tuple[float, float] | None = None  # the range the boxes' digits and widths are for

    def placed(self, stacked: bool = False) -> list[tuple[QWidget, int, int, int]]:
        """(widget, line, column, span) in the panel's grid: name, slider and value on top, the range below.

        ``stacked``: the name has a line of its own above the slider (for long names).
        """
        if stacked:
            return [
                (self.name_label, 0, 0, 3),
                (self.slider, 1, 0, 2),
                (self.spin_box, 1, 2, 1),
                (self.range_host, 2, 0, 3),
            ]
        return [
            (self.name_label, 0, 0, 1),
            (self.slider, 0, 1, 1),
            (self.spin_box, 0, 2, 1),
            (self.range_host, 1, 1, 2),
        ]

    def controls(self) -> tuple[QWidget, ...]:
        """The widgets the user changes a number with."""
        return self.slider, self.spin_box, self.low_box, self.high_box

    def show(self, value: float, low: float, high: float) -> None:
        """Put ``value`` and the range into the widgets without emitting anything."""
        blockers = [QSignalBlocker(w) for w in self.controls()]
        if (low, high) != self._shown_range:  # not on every animation tick: the digits take some measuring
            self._shown_range = (low, high)
            most, fewest = range_digits(low, high)
            for box, end in ((self.low_box, low), (self.high_box, high)):
                _fit_range_box(box, end, most, fewest)
            self.spin_box.setDigits(most if most == DISPLAY_DIGITS else min(most + 1, MAX_DIGITS))  # one finer
            self.spin_box.setRange(low, high)
            self.spin_box.setSingleStep(_arrow_step(low, high))
        self.low, self.high, self.value = low, high, value
        self.low_box.setValue(low)  # (also puts a refused end back)
        self.high_box.setValue(high)
        self.spin_box.setValue(value)
        self.slider.setValue(self.slider_position(value))
        del blockers

    def slider_position(self, value: float) -> int:
        return round(min(max(_fraction(value, self.low, self.high), 0.0), 1.0) * SLIDER_STEPS)

    def slider_value(self, position: int) -> float:
        return _between(self.low, self.high, position / SLIDER_STEPS)


def range_text(low: float, high: float) -> str:
    """The range as its boxes write it, with the digits that tell its ends apart: "1e-7 … 5"."""
    most, _fewest = range_digits(low, high)
    return f"{format_number(low, most)} … {format_number(high, most)}"


def _show_tooltip(widget: QWidget, message: str) -> None:
    QToolTip.showText(widget.mapToGlobal(QPoint(0, widget.height())), message, widget)


def _between(low: float, high: float, fraction: float) -> float:
    """low + (high − low) · fraction, also when high − low is beyond the largest float (a range of ±1e308).

    The ends are the range's ends exactly: low + span · 1 can miss high by a rounding (−1e6 … −8.62 does), and
    the model would then hold (clamped) another value than the panel shows.
    """
    if fraction >= 1.0:
        return high
    if fraction <= 0.0:
        return low
    span = high - low
    if math.isfinite(span):
        return low + span * fraction
    return low * (1.0 - fraction) + high * fraction


def _fraction(value: float, low: float, high: float) -> float:
    """Where ``value`` lies in [low, high], 0 at low and 1 at high (halved first when the span overflows)."""
    span = high - low
    if not math.isfinite(span):
        value, low, span = value / 2, low / 2, high / 2 - low / 2
    return (value - low) / span if span > 0 else 0.0


def range_digits(low: float, high: float) -> tuple[int, int]:
    """(most, fewest) significant digits for a range's ends, so the two never read the same.

    ``most`` is :data:`DISPLAY_DIGITS`, or more when the ends need them to differ (1.0000001 and 1.0000002 need
    8); ``fewest`` is the smallest count down to which every count up to ``most`` still tells them apart (and
    at least :data:`RANGE_FEWEST_DIGITS`).
    """

    def apart(digits: int) -> bool:
        return format_number(low, digits) != format_number(high, digits)

    most = next((digits for digits in range(DISPLAY_DIGITS, MAX_DIGITS) if apart(digits)), MAX_DIGITS)
    fewest = most
    while fewest > RANGE_FEWEST_DIGITS and apart(fewest - 1):
        fewest -= 1
    return most, fewest


def _range_box(tooltip: str) -> NumberBox:
    box = NumberBox(minimum=-RANGE_LIMIT, maximum=RANGE_LIMIT)
    box.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
    box.setAlignment(Qt.AlignmentFlag.AlignRight)
    box.setFixedWidth(_range_box_width(box))
    box.setToolTip(tooltip)
    return box


def _range_box_width(box: NumberBox) -> int:
    return box.fontMetrics().horizontalAdvance(RANGE_BOX_SAMPLE) + 12


def _fit_range_box(box: NumberBox, end: float, most: int, fewest: int) -> None:
    """Show ``end`` with as many digits as fit the box (``most`` down to ``fewest``), not a cut text.

    Only when even ``fewest`` digits do not fit does the box grow, to the narrowest of those texts.
    """
    width = _range_box_width(box)
    widths: dict[int, int] = {}  # text width by digits, most first: usually the first fits
    for digits in range(most, fewest - 1, -1):
        widths[digits] = box.width_for(format_number(end, digits))
        if widths[digits] <= width:
            break
    else:
        digits = min(widths, key=widths.__getitem__)
        width = widths[digits]
    box.setDigits(digits)
    box.setFixedWidth(width)


def _arrow_step(low: float, high: float) -> float:
    """About a hundredth of the range (no overflow for ±1e308), made readable by :func:`_nice_step`."""
    span = high - low
    if not span > 0:
        return FALLBACK_STEP
    hundredth = span / 100 if math.isfinite(span) else high / 100 - low / 100
    # Qt rounds a spin box's value to 323 decimals: a step below 1e-323 (ranges of a few subnormals) would not move it
    return _nice_step(max(hundredth, QT_RESOLUTION))


def _nice_step(step: float) -> float:
    """Round a positive step up to 1, 2 or 5 times a power of ten, so arrow clicks land on readable numbers.

    Made from decimal text, so 5e-6 is the float nearest 5e-6 (5 · 1e-6 is not); "1e-324" reads 0, so skip it.
    """
    exponent = math.floor(math.log10(step))  # may be one too low at an exact power: then 1e(exponent + 1) fits
    for factor, power in ((1, exponent), (2, exponent), (5, exponent), (1, exponent + 1)):
        nice = float(f"{factor}e{power}")
        if nice > 0 and step <= nice * 1.0001:
            return nice
    return step  # not reached for a finite positive step


class _RowsScrollArea(QScrollArea):
    """A scroll area that asks for its rows' whole height: the dock gives it that when it can (the buttons follow
    right below the rows, the rest of a tall dock stays empty underneath) and less, with a scroll bar, when not."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        rows = self.widget()
        return hint if rows is None else QSize(hint.width(), rows.sizeHint().height() + 2 * self.frameWidth())


class InputPanel(QWidget):
    """One row per input neuron: slider and spin box in sync, an editable range, reset/randomize/animate."""

    valueChanged = Signal(int, float)
    valuesChanged = Signal(list)
    rangeChanged = Signal(int, float, float)
    animationToggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None, rng: np.random.Generator | None = None) -> None:
        super().__init__(parent)
        self._rng = rng if rng is not None else np.random.default_rng()
        self._rows: list[_InputRow] = []
        self._defaults: list[float] | None = None
        self._direction = 1.0
        self._stretch_row = 0
        self._stacked = False  # names on lines of their own (see NAME_BESIDE_SLIDER_PX)

        self._grid_host = QWidget()
        self._grid = QGridLayout(self._grid_host)
        self._grid.setContentsMargins(4, 4, 4, 4)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(4)
        self._grid.setColumnStretch(1, 1)
        self._add_header()

        scroll = _RowsScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self._grid_host)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._scroll = scroll

        self._reset_button = QPushButton("Reset inputs")
        self._reset_button.setToolTip("Set every input back to its default (0, or the nearest end of its range).")
        self._reset_button.clicked.connect(self.reset_values)
        self._randomize_button = QPushButton("Randomize inputs")
        self._randomize_button.setToolTip("Give every input a random value, uniform across its range.")
        self._randomize_button.clicked.connect(self.randomize_values)

        self._animate_button = QPushButton("Animate")
        self._animate_button.setCheckable(True)
        self._animate_button.setToolTip(
            "Sweep the chosen input back and forth across its range (about 4 s per sweep) and watch the network."
        )
        self._animate_button.toggled.connect(self._on_animate_toggled)
        self._animate_combo = QComboBox()
        self._animate_combo.setToolTip("The input that “Animate” sweeps.")
        # sized for a dozen characters: a long input name must not widen the panel (the list shows it whole)
        self._animate_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self._animate_combo.setMinimumContentsLength(12)

        self._timer = QTimer(self)
        self._timer.setInterval(ANIMATION_INTERVAL_MS)
        self._timer.timeout.connect(self.animation_step)

        buttons = QHBoxLayout()
        buttons.addWidget(self._reset_button)
        buttons.addWidget(self._randomize_button)
        buttons.addStretch(1)
        animate = QHBoxLayout()
        animate.addWidget(self._animate_button)
        animate.addWidget(self._animate_combo)
        animate.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        layout.addLayout(buttons)
        layout.addLayout(animate)
        layout.addStretch(1)  # a tall dock (the Training dock closed): the buttons stay under the inputs

    # -- model → widgets (never emit) ------------------------------------------------------------------------
    def set_inputs(
        self,
        names: Sequence[str],
        values: Sequence[float],
        ranges: Sequence[tuple[float, float]] | None = None,
    ) -> None:
        """Rebuild the rows for these inputs. ``ranges`` defaults to (−5, 5) for each input."""
        if ranges is None:
            ranges = [DEFAULT_RANGE] * len(names)
        if not (len(names) == len(values) == len(ranges)):
            raise ValueError(
                f"InputPanel.set_inputs: got {len(names)} names, {len(values)} values "
                f"and {len(ranges)} ranges; "
                "they must have the same length"
            )
        for i, (low, high) in enumerate(ranges):
            if not (np.isfinite(low) and np.isfinite(high) and low < high):
                raise ValueError(
                    f"InputPanel.set_inputs: range of input {i} must be finite with min < max, got ({low}, {high})"
                )
        animated = self.animated_index()
        self._clear_rows()
        metrics = self.fontMetrics()
        self._stacked = any(metrics.horizontalAdvance(str(name)) > NAME_BESIDE_SLIDER_PX for name in names)
        lines = 3 if self._stacked else 2
        for i, (name, value, (low, high)) in enumerate(zip(names, values, ranges, strict=True)):
            row = _InputRow(str(name), float(low), float(high))
            row.show(float(value), float(low), float(high))
            for widget, line, column, span in row.placed(self._stacked):
                self._grid.addWidget(widget, lines * i + 1 + line, column, 1, span)
                widget.setVisible(True)  # else a child added to a shown panel waits for a queued show()
            self._connect_row(i, row)
            self._rows.append(row)
        self._grid.setRowStretch(self._stretch_row, 0)
        self._stretch_row = lines * len(self._rows) + 1
        self._grid.setRowStretch(self._stretch_row, 1)  # rows stay at the top
        self._fit_width()
        self._scroll.updateGeometry()  # the rows' height changed: the panel lays the buttons out again
        with QSignalBlocker(self._animate_combo):
            self._animate_combo.clear()
            self._animate_combo.addItems([str(n) for n in names])
            if animated is not None and animated < len(names):
                self._animate_combo.setCurrentIndex(animated)
        if not self._rows:
            self._animate_button.setChecked(False)
        self._animate_button.setEnabled(bool(self._rows))
        self._fix_tab_order()

    def set_values(self, values: Sequence[float], ranges: Sequence[tuple[float, float]] | None = None) -> None:
        """Show new values (e.g. after undo), and new ranges if given, without emitting signals."""
        self._check_length(values, "set_values")
        ends = [(row.low, row.high) for row in self._rows] if ranges is None else ranges
        for row, value, (low, high) in zip(self._rows, values, ends, strict=True):
            row.show(float(value), float(low), float(high))

    def set_default_values(self, values: Sequence[float] | None) -> None:
        """The values "Reset inputs" returns to; ``None`` means 0 clamped into each range."""
        if values is not None:
            self._check_length(values, "set_default_values")
            values = [float(v) for v in values]
        self._defaults = values

    # -- reading ---------------------------------------------------------------------------------------------
    def values(self) -> list[float]:
        return [row.value for row in self._rows]

    def ranges(self) -> list[tuple[float, float]]:
        return [(row.low, row.high) for row in self._rows]

    def count(self) -> int:
        return len(self._rows)

    def slider(self, i: int) -> QSlider:
        return self._rows[i].slider

    def name_label(self, i: int) -> ElidedLabel:
        return self._rows[i].name_label

    def spin_box(self, i: int) -> NumberBox:
        return self._rows[i].spin_box

    def range_boxes(self, i: int) -> tuple[NumberBox, NumberBox]:
        return self._rows[i].low_box, self._rows[i].high_box

    def reset_button(self) -> QPushButton:
        return self._reset_button

    def randomize_button(self) -> QPushButton:
        return self._randomize_button

    def animate_button(self) -> QPushButton:
        return self._animate_button

    def animate_combo(self) -> QComboBox:
        return self._animate_combo

    def is_animating(self) -> bool:
        return self._timer.isActive()

    def animated_index(self) -> int | None:
        index = self._animate_combo.currentIndex()
        return index if index >= 0 else None

    def scroll_area(self) -> QScrollArea:
        return self._scroll

    # -- user actions ----------------------------------------------------------------------------------------
    def reset_values(self) -> None:
        """Set every input to its default (0 clamped into its range) and emit one ``valuesChanged``."""
        if self._defaults is not None and len(self._defaults) == len(self._rows):
            targets = self._defaults
        else:
            targets = [0.0] * len(self._rows)
        values = [min(max(v, row.low), row.high) for v, row in zip(targets, self._rows, strict=True)]
        self._apply_all(values)

    def randomize_values(self) -> None:
        """Draw every input uniformly from its range and emit one ``valuesChanged``."""
        values = [self._random_value(row.low, row.high) for row in self._rows]
        self._apply_all(values)

    def set_animating(self, on: bool) -> None:
        self._animate_button.setChecked(on)

    def animation_step(self) -> None:
        """Advance the animated input by one timer tick, bouncing back at the ends of its range."""
        index = self.animated_index()
        if index is None or index >= len(self._rows):
            return
        row = self._rows[index]
        fraction = _fraction(row.value, row.low, row.high)
        step = 2.0 * ANIMATION_INTERVAL_MS / 1000.0 / ANIMATION_PERIOD_S  # fraction of the range per tick
        fraction += self._direction * step
        if fraction >= 1.0:
            fraction, self._direction = 2.0 - fraction, -1.0
        elif fraction <= 0.0:
            fraction, self._direction = -fraction, 1.0
        fraction = min(max(fraction, 0.0), 1.0)
        value = _between(row.low, row.high, fraction)
        row.show(value, row.low, row.high)
        self.valueChanged.emit(index, value)

    # -- internals -------------------------------------------------------------------------------------------
    def _random_value(self, low: float, high: float) -> float:
        """Uniform in [low, high]; NumPy's uniform refuses a span beyond the largest float, so draw a fraction."""
        if math.isfinite(high - low):
            return float(self._rng.uniform(low, high))
        return _between(low, high, float(self._rng.random()))

    def _apply_all(self, values: list[float]) -> None:
        for row, value in zip(self._rows, values, strict=True):
            row.show(value, row.low, row.high)
        self.valuesChanged.emit(list(values))

    def _connect_row(self, i: int, row: _InputRow) -> None:
        row.slider.valueChanged.connect(lambda position, i=i: self._on_slider_changed(i, position))
        row.spin_box.valueChanged.connect(lambda value, i=i: self._on_spin_box_changed(i, value))
        row.low_box.valueChanged.connect(lambda _value, i=i, box=row.low_box: self._on_range_edited(i, box))
        row.high_box.valueChanged.connect(lambda _value, i=i, box=row.high_box: self._on_range_edited(i, box))
        for control in row.controls():
            control.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # not WheelFocus: the wheel does not pick it
            control.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The wheel over a slider or box that has no focus scrolls the panel instead of changing an input."""
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget) and not watched.hasFocus():
            QApplication.sendEvent(self._scroll.verticalScrollBar(), event)
            return True
        return super().eventFilter(watched, event)

    def _fit_width(self) -> None:
        """As wide as a row needs, so the dock grows instead of cutting rows off or scrolling sideways."""
        self._scroll.setMinimumWidth(
            self._grid_host.minimumSizeHint().width() + self._scroll.verticalScrollBar().sizeHint().width()
        )

    def _on_slider_changed(self, i: int, position: int) -> None:
        row = self._rows[i]
        value = row.slider_value(position)
        row.value = value
        with QSignalBlocker(row.spin_box):
            row.spin_box.setValue(value)
        self.valueChanged.emit(i, value)

    def _on_spin_box_changed(self, i: int, value: float) -> None:
        row = self._rows[i]
        row.value = value
        with QSignalBlocker(row.slider):
            row.slider.setValue(row.slider_position(value))
        self.valueChanged.emit(i, value)

    def _on_range_edited(self, i: int, edited: NumberBox) -> None:
        row = self._rows[i]
        low, high = row.low_box.value(), row.high_box.value()
        if not low < high:
            # Refuse: put the last valid range back and say why where the user is looking.
            row.show(row.value, row.low, row.high)
            message = f"The lowest value must stay below the highest ({range_text(row.low, row.high)} kept)."
            for box in (row.low_box, row.high_box):
                box.setToolTip(message)
            # after the focus has moved (Tab commits too): a focus change hides a tooltip at once
            QTimer.singleShot(0, edited, lambda: _show_tooltip(edited, message))
            return
        clamped = min(max(row.value, low), high)
        moved = clamped != row.value
        row.show(clamped, low, high)
        self._fit_width()  # a box may have grown for ends that need many digits
        row.low_box.setToolTip(f"Lowest value of “{row.name_label.text()}” (must stay below the highest).")
        row.high_box.setToolTip(f"Highest value of “{row.name_label.text()}” (must stay above the lowest).")
        self.rangeChanged.emit(i, low, high)
        if moved:
            self.valueChanged.emit(i, clamped)

    def _on_animate_toggled(self, on: bool) -> None:
        if on and self._rows:
            self._direction = 1.0
            self._timer.start()
        else:
            self._timer.stop()
        self.animationToggled.emit(bool(on and self._rows))

    def _add_header(self) -> None:
        """Column titles above the rows."""
        for text, column, span in (("input", 0, 1), ("value", 2, 1)):
            label = QLabel(text)
            label.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted, follows the theme
            align = Qt.AlignmentFlag.AlignLeft if column == 0 else Qt.AlignmentFlag.AlignHCenter
            self._grid.addWidget(label, 0, column, 1, span, align)

    def _clear_rows(self) -> None:
        for row in self._rows:
            for widget, *_where in row.placed(self._stacked):
                self._grid.removeWidget(widget)
                widget.hide()  # not setParent(None): that could delete it inside its own signal
                widget.deleteLater()
        self._rows = []

    def _fix_tab_order(self) -> None:
        chain: list[QWidget] = []
        for row in self._rows:
            chain += [row.slider, row.spin_box, row.low_box, row.high_box]
        chain += [self._reset_button, self._randomize_button, self._animate_button, self._animate_combo]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _check_length(self, values: Sequence[float], method: str) -> None:
        if len(values) != len(self._rows):
            raise ValueError(
                f"InputPanel.{method}: expected {len(self._rows)} values (one per input), got {len(values)}"
            )
