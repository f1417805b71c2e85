"""The outputs chart: one bar per output neuron; probabilities on a fixed 0..1 axis, the winner highlighted.

A dumb view: the controller passes the output layer's values and says whether they are probabilities
(softmax, sigmoid, sparsemax outputs). One BarGraphItem is created once and updated with setOpts; value
labels are a pool of TextItems that only grows when the number of outputs does.

Non-finite outputs cannot be drawn as bars of their height: they are drawn as full-height hatched bars
in a warning colour with the text "NaN", "+∞" or "−∞".

A −∞ output's marker points down from zero and the window makes room for it below zero (for NaN and +∞ above it),
so it and its label are in view even when no finite output is negative.

Bar names are thinned so that no two overlap: the largest output's name first, then the first and the last if they
fit, then every n-th. The y axis shows values in the data's own units (no automatic SI prefix such as "(x0.001)");
outputs beyond ±SCALED_ABOVE are drawn in units of 10ᵏ and the axis title says so ("output (× 1e150)"): Qt paints
no rectangle of such coordinates through the view's transform, so a bar of 1e150 would not be drawn at all.

Speed: the y axis is fixed for probabilities and moves in nice steps (1, 2, 2.5, 5 × 10ⁿ) for raw outputs,
ticks and the axis label are only set when they change, and the axes with their grid keep a pixmap of
themselves (DeviceCoordinateCache). So while an input moves only the bars and their texts are redrawn.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF
from PySide6.QtWidgets import QGraphicsItem, QWidget

from neuroviz.model import display
from neuroviz.views import colors, pg_options  # noqa: F401  (pyqtgraph options before any item)
from neuroviz.views.activation_plot import OpaqueGridAxis

__all__ = [
    "ChartColors",
    "OutputsChart",
    "bar_spacing",
    "chart_colors",
    "format_value",
    "nice_ceiling",
    "scale_exponent",
    "thinned_ticks",
]


@dataclass(frozen=True)
class ChartColors:
    """The chart's colours, taken from the shared theme so bars mean what neurons mean."""

    background: str
    foreground: str
    positive: str  # raw outputs ≥ 0
    negative: str  # raw outputs < 0
    probability: QColor  # probabilities other than the most likely: a pale positive colour
    most_likely: str  # the highlighted probability
    nonfinite: str  # NaN / ±∞ marker bars


def chart_colors(dark: bool) -> ChartColors:
    th = colors.theme(dark)
    return ChartColors(
        background=th.background,
        foreground=th.foreground,
        positive=th.positive,
        negative=th.negative,
        probability=colors.mix(th.positive, th.background, 0.6),
        most_likely=th.positive,
        nonfinite=th.nonfinite,
    )


#: Labels are written on every bar up to this many outputs; beyond, only on the highlighted one.
MAX_LABELLED_BARS = 16
BAR_WIDTH = 0.7
#: Free pixels between two bar names on the x axis.
TICK_LABEL_GAP_PX = 10.0
#: How far a bar name may reach past the end of the x axis.
NAME_OVERHANG_PX = 40
#: Raw-output axis limits are rounded up to one of these × 10ⁿ, so the axis stays put while outputs move.
NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
#: Outputs larger than this (in magnitude) are drawn in units of 10ᵏ, k the exponent of the largest.
SCALED_ABOVE = 1e6
#: Room a −∞ marker gets below zero (NaN and +∞ above it) when the finite outputs leave none: this × their span.
MARKER_ROOM = 1.0 / 3.0


def nice_ceiling(value: float) -> float:
    """The smallest 1-2-2.5-5 × 10ⁿ number ≥ ``value`` (> 0)."""
    exponent = math.floor(math.log10(value))
    for step in NICE_STEPS:
        limit = step * 10.0**exponent
        if limit >= value * (1 - 1e-12):
            return limit
    return 10.0 ** (exponent + 1)


def format_value(value: float) -> str:
    """Compact text for a bar: ``0.73``, ``12.3``, ``-1234``, ``1.2e+04``; non-finite values as everywhere
    (:mod:`neuroviz.model.display`): ``NaN``, ``+∞``, ``−∞``."""
    if math.isnan(value):
        return display.NAN_TEXT
    if math.isinf(value):
        return display.POS_INF_TEXT if value > 0 else display.NEG_INF_TEXT
    if value != 0 and (abs(value) >= 1e4 or abs(value) < 1e-3):
        return f"{value:.2g}"
    if abs(value) >= 1000:
        return f"{value:.0f}"
    return f"{value:.3g}" if abs(value) >= 1 else f"{value:.2f}"


def _sum_text(total: float) -> str:
    """A sum to 4 significant digits, so a softmax's 0.9999999999999999 reads 1; non-finite as everywhere."""
    return format_value(total) if not math.isfinite(total) else f"{total:.4g}"


def scale_exponent(values: np.ndarray) -> int:
    """k such that the bars are drawn in units of 10ᵏ: 0 up to ±SCALED_ABOVE, else the largest's exponent."""
    finite = np.abs(values[np.isfinite(values)])
    largest = float(finite.max()) if finite.size else 0.0
    return math.floor(math.log10(largest)) if largest > SCALED_ABOVE else 0


def bar_spacing(width_px: float, n: int, name_px: float) -> tuple[float, float]:
    """(pixels from one bar to the next, margin in bars on each side) for ``n`` bars in a view ``width_px`` wide.

    The view spans the bars plus a margin of 0.6 bar on each side; beyond MAX_LABELLED_BARS the margin widens
    so that the first and last names (``name_px`` wide) are not cut: bar 0 sits ``name_px / 2 + 2 - per_bar / 2``
    pixels from the edge, and the per-bar pixels follow from that.
    """
    width = max(width_px, 1.0)
    plain = width / (n + 0.2)
    half_name = name_px / 2.0 + 2.0
    if n <= MAX_LABELLED_BARS or half_name / plain - 0.5 <= 0.6:
        return plain, 0.6
    per_bar = max(width - 2.0 * half_name, 1.0) / max(n - 2, 1)  # solves width = per_bar * (n - 1 + 2 * margin)
    return per_bar, half_name / per_bar - 0.5


def thinned_ticks(
    labels: Sequence[str], bar_px: float, label_px: float, keep: int | None = None
) -> list[tuple[int, str]]:
    """The (index, label) ticks to write under ``len(labels)`` bars ``bar_px`` pixels apart, none overlapping.

    Labels are ``label_px`` wide (gap included), so two are written only ``ceil(label_px / bar_px)`` bars apart or
    more. ``keep`` (the largest output) goes first, then the first and the last name if they fit beside it, then
    every n-th name that fits beside those.
    """
    n = len(labels)
    if n == 0:
        return []
    step = max(1, math.ceil(label_px / max(bar_px, 1e-9) - 1e-9))
    chosen: list[int] = []
    wanted = [keep] if keep is not None and 0 <= keep < n else []
    for i in [*wanted, 0, n - 1, *range(0, n, step)]:
        if all(abs(i - c) >= step for c in chosen):
            chosen.append(i)
    return [(i, str(labels[i])) for i in sorted(chosen)]


class OutputsChart(pg.PlotWidget):
    """A bar chart of the output layer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems={"bottom": OpaqueGridAxis("bottom"), "left": OpaqueGridAxis("left")})
        self._dark = False
        self._values = np.zeros(0)
        self._labels: list[str] = []
        self._probabilities = False
        self._highlight: int | None = None
        self._heights = np.zeros(0)
        self._sum_title = ""
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.showGrid(y=True, alpha=0.15)
        self.setMouseEnabled(x=False, y=False)
        self.setMinimumSize(200, 150)
        self.setToolTip("The output layer: one bar per output neuron.")
        self._zero = pg.InfiniteLine(pos=0, angle=0, movable=False)
        item.addItem(self._zero, ignoreBounds=True)
        self._bars = pg.BarGraphItem(x=[], height=[], width=BAR_WIDTH)
        item.addItem(self._bars)
        self._texts: list[pg.TextItem] = []
        self._text_state: list[tuple | None] = []  # what each text shows, to skip unchanged updates
        self._bold = QFont()
        self._bold.setBold(True)
        self._normal = QFont()
        self._shown_ticks: list[tuple[int, str]] | None = None
        self._shown_label = ""
        self._shown_range: tuple | None = None
        self._y_range = (0.0, 1.0)
        self._exponent = 0  # bars are drawn in units of 10 ** exponent
        self._name_px = 0.0  # width of the longest bar name
        self._measured_labels: list[str] | None = None
        self._shown_bars: tuple | None = None
        for name in ("bottom", "left"):  # drawn from a pixmap until ticks, range or theme change
            item.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        item.getAxis("left").enableAutoSIPrefix(False)  # outputs of 0..1 are not "(x0.001)" × 0..800
        item.getViewBox().sigResized.connect(self._place_ticks)  # how many names fit depends on the width
        # the first and last names may reach past the axis ends (pyqtgraph would hide them)
        item.getAxis("bottom").setStyle(hideOverlappingLabels=NAME_OVERHANG_PX)
        self._apply_theme()

    # -- data ------------------------------------------------------------------------------------------------
    def set_outputs(
        self, values: np.ndarray, labels: Sequence[str], probabilities: bool, total: float | None = None
    ) -> None:
        """Show the outputs; ``probabilities`` fixes the axis to 0..1 and highlights the most likely one; ``total``
        (the outputs' sum, for a softmax or sparsemax) is written over the bars as "Σ = 1"."""
        values = np.asarray(values, dtype=np.float64).ravel()
        if len(labels) != values.size:
            raise ValueError(
                f"OutputsChart.set_outputs: got {values.size} values but {len(labels)} labels; "
                "give one label per output"
            )
        self._values = values
        self._labels = [str(label) for label in labels]
        self._probabilities = bool(probabilities)
        finite = np.isfinite(values)
        self._highlight = int(np.argmax(np.where(finite, values, -np.inf))) if probabilities and finite.any() else None
        title = "" if total is None else f"Σ = {_sum_text(float(total))}"
        if title != self._sum_title:
            self._sum_title = title
            self.getPlotItem().setTitle(title or None, size="9pt", color=chart_colors(self._dark).foreground)
        self._redraw()

    def set_dark(self, dark: bool) -> None:
        self._dark = bool(dark)
        self._apply_theme()
        self._redraw()

    def is_dark(self) -> bool:
        return self._dark

    # -- accessors -------------------------------------------------------------------------------------------
    def bar_heights(self) -> np.ndarray:
        """The bars' heights in output units: the outputs themselves; non-finite ones their marker bar, signed."""
        return self._heights.copy()

    def drawn_heights(self) -> np.ndarray:
        """The bars' heights as drawn, in the units of the y axis (output / 10ᵏ when the title says "× 1eᵏ")."""
        return np.asarray(self._bars.opts["height"], dtype=np.float64).copy()

    def sum_text(self) -> str:
        """The outputs' sum as written over the bars ("Σ = 1"), '' when none is shown."""
        return self._sum_title

    def highlighted_index(self) -> int | None:
        return self._highlight

    def bar_colors(self) -> list[QColor]:
        return [QColor(b.color()) for b in self._bars.opts.get("brushes") or []]

    def value_texts(self) -> list[str]:
        """The text shown over each bar ('' where none is shown)."""
        return [t.toPlainText() if t.isVisible() else "" for t in self._texts[: self._values.size]]

    def y_window(self) -> tuple[float, float]:
        _, (low, high) = self.getPlotItem().getViewBox().viewRange()
        return float(low), float(high)

    def y_label(self) -> str:
        """The y axis title as shown, units or SI-prefix scale included (e.g. "output", never "output (x0.001)")."""
        html = self.getPlotItem().getAxis("left").labelString()
        return re.sub(r"<[^>]*>", "", html).strip()

    def x_tick_labels(self) -> list[tuple[int, str]]:
        """The (bar index, name) pairs written under the bars."""
        return list(self._shown_ticks or [])

    def y_tick_strings(self) -> list[str]:
        """The numbers the y axis writes at its major ticks, as it writes them."""
        axis = self.getPlotItem().getAxis("left")
        low, high = self.getPlotItem().getViewBox().viewRange()[1]
        levels = axis.tickValues(low, high, max(axis.height(), 1.0))
        if not levels:
            return []
        spacing, values = levels[0]
        return axis.tickStrings(values, axis.autoSIPrefixScale * axis.scale, spacing)

    # -- internals -------------------------------------------------------------------------------------------
    def _window(self) -> tuple[float, float]:
        """The y window the bars need, in drawn units (outputs / 10 ** exponent), markers included."""
        values = self._values
        down = bool(np.isneginf(values).any())
        up = bool((np.isnan(values) | np.isposinf(values)).any())
        if self._probabilities:
            return (-MARKER_ROOM if down else 0.0), 1.0
        finite = values[np.isfinite(values)] / 10.0**self._exponent
        low = min(float(finite.min()), 0.0) if finite.size else 0.0
        high = max(float(finite.max()), 0.0) if finite.size else 0.0
        reach = max(-low, high)
        if reach < 1e-12:
            return (-1.0 if down else 0.0), (0.0 if down and not up and not finite.size else 1.0)
        # rounded out to nice numbers relative to the larger side, so small moves keep the axis where it is
        step = nice_ceiling(reach) / 5.0
        low = -step * math.ceil(-low / step - 1e-9) if low < 0 else 0.0
        high = step * math.ceil(high / step - 1e-9) if high > 0 else 0.0
        room = step * math.ceil(MARKER_ROOM * (high - low) / step - 1e-9)  # for a marker with no room on its side
        if down and low == 0.0:
            low = -room
        if up and high == 0.0:
            high = room
        if high - low < 1e-12:
            high = low + step
        return low, high

    def _redraw(self) -> None:
        palette = chart_colors(self._dark)
        foreground, negative, marker = palette.foreground, palette.negative, palette.nonfinite
        positive = palette.probability if self._probabilities else palette.positive
        values, n = self._values, self._values.size
        self._exponent = 0 if self._probabilities else scale_exponent(values)
        unit = 10.0**self._exponent
        low, high = self._window()
        span = high - low
        finite = np.isfinite(values)
        # Non-finite outputs: bars to the window's edge (downwards for −∞) so they cannot be missed.
        marker_heights = np.where(np.isneginf(values), low, high)
        heights = np.where(finite, values / unit, marker_heights)
        with np.errstate(over="ignore"):  # a marker of 2 × 1e308 is +inf in output units: still "up"
            self._heights = np.where(finite, values, marker_heights * unit)
        kinds = tuple(
            "marker" if not finite[i] else "best" if i == self._highlight else "pos" if value >= 0 else "neg"
            for i, value in enumerate(values)
        )
        bars = (heights.tobytes(), kinds, self._dark, self._probabilities)
        if bars != self._shown_bars:
            self._shown_bars = bars
            brush = {
                "marker": QBrush(QColor(marker), Qt.BrushStyle.BDiagPattern),
                "best": pg.mkBrush(palette.most_likely),
                "pos": pg.mkBrush(positive),
                "neg": pg.mkBrush(negative),
            }
            no_pen, marker_pen = pg.mkPen(None), pg.mkPen(marker, width=1.5)
            brushes = [brush[kind] for kind in kinds]
            pens = [marker_pen if kind == "marker" else no_pen for kind in kinds]
            if n == 0:
                # pyqtgraph 0.14.0's BarGraphItem fails on empty pen/brush lists (UnboundLocalError)
                brushes = pens = None
            self._bars.setOpts(x=np.arange(n, dtype=float), height=heights, width=BAR_WIDTH, brushes=brushes, pens=pens)

        label = "probability" if self._probabilities else "output"
        if self._exponent:
            label = f"{label} (× 1e{self._exponent})"
        if label != self._shown_label:
            self._shown_label = label
            self.getPlotItem().setLabel("left", label)
        pad = 0.18 * span  # room for the value labels
        self._y_range = (low - (pad if low < 0 else 0.03 * span), high + pad)
        self._place_ticks()
        self._place_texts(values, heights, foreground, marker, span)

    def _place_ticks(self) -> None:
        """Write the bar names that fit; new ticks redraw the axis, so only when they change."""
        axis = self.getPlotItem().getAxis("bottom")
        if self._labels != self._measured_labels:  # measuring 256 names costs more than the rest together
            self._measured_labels = list(self._labels)
            metrics = QFontMetricsF(axis.style.get("tickFont") or QFont())
            self._name_px = max((metrics.horizontalAdvance(name) for name in self._labels), default=0.0)
        per_bar, _margin = self._bar_spacing()
        ticks = thinned_ticks(self._labels, per_bar, self._name_px + TICK_LABEL_GAP_PX, self._largest())
        if ticks != self._shown_ticks:
            self._shown_ticks = ticks
            axis.setTicks([ticks])
        self._apply_range()

    def _apply_range(self) -> None:
        """x: every bar, with room for the first and last names; y: as ``_redraw`` chose."""
        n = self._values.size
        _per_bar, margin = self._bar_spacing()
        view_range = (-margin, max(n - 1, 0) + margin, *self._y_range)
        if view_range != self._shown_range:
            self._shown_range = view_range
            view = self.getPlotItem().getViewBox()
            view.disableAutoRange()
            view.setRange(xRange=view_range[:2], yRange=view_range[2:], padding=0.0)

    def _bar_spacing(self) -> tuple[float, float]:
        return bar_spacing(self.getPlotItem().getViewBox().width(), self._values.size, self._name_px)

    def _largest(self) -> int | None:
        finite = np.isfinite(self._values)
        return int(np.argmax(np.where(finite, self._values, -np.inf))) if finite.any() else None

    def _place_texts(self, values: np.ndarray, heights: np.ndarray, foreground: str, marker: str, span: float):
        while len(self._texts) < values.size:
            text = pg.TextItem(anchor=(0.5, 1.0))
            self.getPlotItem().addItem(text, ignoreBounds=True)
            self._texts.append(text)
            self._text_state.append(None)
        for i, text in enumerate(self._texts):
            if i >= values.size:
                text.setVisible(False)
                self._text_state[i] = None
                continue
            value = values[i]
            shown = not np.isfinite(value) or i == self._highlight or values.size <= MAX_LABELLED_BARS
            text.setVisible(bool(shown))
            if not shown:
                continue
            bold = i == self._highlight or not np.isfinite(value)
            if np.isfinite(value):
                below = heights[i] < 0
                anchor = (0.5, 0.0) if below else (0.5, 1.0)
                position = (i, heights[i] - 0.02 * span if below else heights[i] + 0.02 * span)
            else:
                anchor, position = (0.5, 0.5), (i, heights[i] / 2)  # in the middle of the hatched marker bar
            colour = marker if not np.isfinite(value) else foreground
            state = (format_value(value), colour, bold, anchor, position)
            shown = self._text_state[i] or (None,) * 5
            self._text_state[i] = state
            # each setter re-lays the text out, which costs more than drawing it: only call those that change
            if state[:2] != shown[:2]:
                text.setText(state[0], color=colour)
            if bold != shown[2]:
                text.setFont(self._bold if bold else self._normal)
            if anchor != shown[3]:
                text.setAnchor(anchor)
            if position != shown[4]:
                text.setPos(*position)

    def _apply_theme(self) -> None:
        palette = chart_colors(self._dark)
        foreground = palette.foreground
        self.setBackground(palette.background)
        item = self.getPlotItem()
        for name in ("bottom", "left"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(foreground))
            axis.setTextPen(pg.mkPen(foreground))
            axis.set_background(palette.background)
        self._zero.setPen(pg.mkPen(foreground, width=1))
        if self._sum_title:
            item.setTitle(self._sum_title, size="9pt", color=foreground)
