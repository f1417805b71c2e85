"""NumberBox: a spin box for any finite float that never rounds, clamps or re-writes a value behind the user's back.

A plain QDoubleSpinBox keeps a fixed number of decimals and rounds every value to them, so a weight of 1e-7
read from a file becomes 0 the moment the box is committed (Enter, leaving it), and it cannot read "1e300".
NumberBox instead

- holds the exact float it is given: Qt keeps its maximum of 323 decimals, and the few values that even
  those would round (magnitudes below 1e-300, and −0.0) are put in through the box's own text, which is
  never rounded;
- shows numbers compactly (at most :data:`DISPLAY_DIGITS` significant digits, e-notation for large and small
  magnitudes, always with a '.' decimal point whatever the system locale) — but the shown text stands for the
  exact value: until the user edits the text, the box reports its exact value, bit for bit, so focusing it and
  pressing Enter (or leaving it) changes nothing;
- reads what the user types exactly (``float(text)``), scientific notation included ("1e300", "-2.5E-3"), also
  when it is the very text the box showed: typing "1.4" over 1.4000000000000001 (shown "1.4") sets 1.4.

Typing: a finite number inside the range is Acceptable; the beginning of one ("", "-", "1.", "1e", "-.") is
Intermediate, and so is a number outside the range; anything else ("abc", "inf", "nan", "1..2") is refused.
A typed ',' is the decimal point ("1,5" reads 1.5, as people used to a decimal comma type it); the text then
shows '.', and a second separator is refused like a second '.'.
On commit (Enter or leaving the box) a number outside the range is clamped to the nearest end, an incomplete
number that still reads as one ("2.", "1.e5") is taken as it reads, and text that is no number at all ("",
"-", "1e") puts the previous value back.

Arrow keys, Page Up/Down and the wheel step on a decimal grid: the stepped value is computed in decimal arithmetic
from the decimals value and step stand for (see :func:`step_on_grid`), so three steps of 0.1 up and three down from 0
end at exactly 0, not at 2.8e-17, and every step lands on a number the box can show as it is. (A box set to wrap at
its ends steps as Qt does.)

The digits shown can be set (:meth:`NumberBox.setDigits`), and :meth:`NumberBox.width_for` tells how wide the box
must be to show a text whole, so a fixed-width box can show fewer digits rather than a cut text ("-1.8e308", not
"-1.7976"). That is display only: the value stays exact, as the text is only read once the user edits it.
"""

from __future__ import annotations

import math
import re
import sys
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

import numpy as np
from PySide6.QtCore import QLocale, QSignalBlocker, QSize
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox, QStyle, QStyleOptionSpinBox, QWidget

__all__ = [
    "DISPLAY_DIGITS",
    "FLOAT_MAX",
    "MAX_DIGITS",
    "NumberBox",
    "format_number",
    "number_state",
    "step_on_grid",
]

#: The largest finite float: the default range is every finite number.
FLOAT_MAX = sys.float_info.max
#: Significant digits shown; the value itself keeps all of its digits.
DISPLAY_DIGITS = 6
#: QDoubleSpinBox's largest number of decimals: Qt then keeps every value of magnitude ≥ 1e-300 exactly.
QT_DECIMALS = 323
#: Below this magnitude even 323 decimals can round a value, so NumberBox puts it in through its text.
QT_EXACT_FROM = 1e-300
#: The last of those decimals: Qt's rounding of a range end moves it by at most this much.
QT_RESOLUTION = 1e-323
#: A typical long number, for the box's width: longer ones scroll.
WIDTH_SAMPLE = "-0.123457"
#: Pixels of its edit field QLineEdit keeps free beside the text: 2 on each side and 1 for the cursor.
LINE_EDIT_PADDING = 5
#: Enough significant digits to tell any two floats apart.
MAX_DIGITS = 17

#: Significant decimal digits every float keeps exactly: a decimal of at most 15 digits reads back as itself.
FLOAT_DECIMAL_DIGITS = 15
#: Decimal digits enough to add any float step to any float exactly (1.8e308 down to 1e-330): no rounding but ours.
_STEP_PRECISION = 1000

#: A complete number as people write it (ASCII digits; no "inf", "nan", "1_000" or hexadecimal).
_COMPLETE = re.compile(r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
#: The beginning of a number: the states a person passes through while typing one.
_PARTIAL = re.compile(r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d*)?|\.?)", re.ASCII)


def format_number(value: float, digits: int = DISPLAY_DIGITS) -> str:
    """``value`` in at most ``digits`` significant digits, e.g. ``0.1``, ``-2.5``, ``1.23457e-7``, ``1e300``.

    Like ``%g`` (positional from 1e-4 up to 10**digits, e-notation outside) but with the shortest digits that
    give the value back when it has few ("0.1", not "0.100000"; "5e-324", not "4.94066e-324").
    """
    value = float(value)
    if value == 0.0:
        return "0"  # -0.0 too: the box still holds its sign
    if not math.isfinite(value):
        return repr(value)
    exponent = int(f"{value:.{digits - 1}e}".partition("e")[2])  # after rounding to `digits` digits
    if -4 <= exponent < digits:
        return np.format_float_positional(value, precision=digits, unique=True, fractional=False, trim="-")
    text = np.format_float_scientific(value, precision=digits - 1, unique=True, trim="-", exp_digits=1)
    return text.replace("e+", "e")


def step_on_grid(value: float, step: float, steps: int) -> float:
    """``value + steps·step`` on a decimal grid: the float nearest the decimal result.

    Binary floats add 0.1 three times to 0.30000000000000004 and take it back to 2.8e-17. Here the sum is decimal:
    ``value`` as the decimal it stands for (its shortest text; cut to 15 significant digits, the most a float
    keeps of any decimal, so the binary noise of 0.30000000000000004 goes) plus the step's shortest text, rounded
    to the finer of their last digits. So 0.30000000000000004 − 0.1 is exactly 0.2, 0.123 + 0.1 is 0.223, and a
    step too small for a value (1e300 + 0.1) leaves it as it is.
    """
    start = Decimal(repr(float(value)))
    if len(start.as_tuple().digits) > FLOAT_DECIMAL_DIGITS:
        start = Decimal(f"{float(value):.{FLOAT_DECIMAL_DIGITS - 1}e}")
    step_text = Decimal(repr(float(step)))
    grid = min(int(start.as_tuple().exponent), int(step_text.as_tuple().exponent))
    with localcontext() as context:
        context.prec = _STEP_PRECISION
        exact = start + step_text * int(steps)
        return float(exact.quantize(Decimal(1).scaleb(grid), rounding=ROUND_HALF_EVEN))


def number_state(text: str, minimum: float = -FLOAT_MAX, maximum: float = FLOAT_MAX) -> QValidator.State:
    """How far ``text`` (no spaces around) is from a number in [minimum, maximum]; see the module docstring."""
    if _COMPLETE.fullmatch(text):
        number = float(text)
        if math.isfinite(number) and minimum <= number <= maximum:
            return QValidator.State.Acceptable
        return QValidator.State.Intermediate  # outside the range (or too large for a float): clamped on commit
    if _PARTIAL.fullmatch(text):
        return QValidator.State.Intermediate
    return QValidator.State.Invalid


def _read(text: str) -> float | None:
    """The number ``text`` reads as (``float``, so "2." and "1.e5" count), None when it is no finite number."""
    if not _PARTIAL.fullmatch(text):
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    return number if not math.isnan(number) else None


def _digit_count(digits: int) -> int:
    """A number of significant digits a box can show: 1 to 17."""
    return min(max(int(digits), 1), MAX_DIGITS)


def _same(a: float, b: float) -> bool:
    """Equal bit for bit as far as a float's meaning goes: 0.0 and -0.0 differ."""
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


class NumberBox(QDoubleSpinBox):
    """A QDoubleSpinBox for any finite float: exact values, compact display, scientific notation typed or shown.

    ``value()``, ``setValue()``, ``valueChanged``, ``minimum()``/``maximum()`` and ``singleStep`` work as in
    QDoubleSpinBox. Keyboard tracking starts off, so a typed number is one ``valueChanged`` on Enter or when
    the box loses focus (and none when it did not change). The decimals stay at Qt's maximum: do not change them.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        minimum: float = -FLOAT_MAX,
        maximum: float = FLOAT_MAX,
        digits: int = DISPLAY_DIGITS,
    ) -> None:
        super().__init__(parent)
        self._digits = _digit_count(digits)
        self._low, self._high = -FLOAT_MAX, FLOAT_MAX
        #: The exact value being put in through the text (see :meth:`setValue`), else None.
        self._forced: float | None = None
        #: True once the user edited the text: then it is read as typed, else it stands for the exact value.
        self._edited = False
        self.lineEdit().textEdited.connect(self._on_text_edited)  # user edits only (setText is not one)
        self.editingFinished.connect(self._forget_edit)  # committed: the text is the box's own again
        self.setLocale(QLocale.c())  # '.' decimals everywhere, as the files and every label in the app
        super().setDecimals(QT_DECIMALS)
        self.setKeyboardTracking(False)  # typing "1.25" is one edit, not three; setKeyboardTracking(True) to follow
        self.setRange(minimum, maximum)

    # -- range -----------------------------------------------------------------------------------------------
    def setRange(self, minimum: float, maximum: float) -> None:
        """Allow [minimum, maximum] exactly (a maximum below the minimum leaves the minimum as the only value)."""
        low, high = float(minimum), float(maximum)
        if math.isnan(low) or math.isnan(high):
            raise ValueError(f"NumberBox.setRange: the ends must be numbers, got {minimum!r} and {maximum!r}")
        low, high = max(low, -FLOAT_MAX), min(max(high, low), FLOAT_MAX)
        self._low, self._high = low, high
        before = super().value()
        super().setRange(low, high)
        # Qt rounds the ends to 323 decimals; below 1e-300 that can move an end inwards, past a value it must hold
        if super().minimum() > low:
            super().setMinimum(low - 2 * QT_RESOLUTION)
        if super().maximum() < high:
            super().setMaximum(high + 2 * QT_RESOLUTION)
        if not low <= super().value() <= high:
            self.setValue(super().value())
        if not _same(super().value(), before):
            self._edited = False  # the value moved: Qt wrote its text over whatever was typed

    def setMinimum(self, minimum: float) -> None:
        self.setRange(minimum, max(self._high, float(minimum)))

    def setMaximum(self, maximum: float) -> None:
        self.setRange(min(self._low, float(maximum)), maximum)

    def minimum(self) -> float:
        return self._low

    def maximum(self) -> float:
        return self._high

    # -- value -----------------------------------------------------------------------------------------------
    def setValue(self, value: float) -> None:
        """Hold ``value`` exactly (clamped into the range; NaN is ignored) and emit ``valueChanged`` if it changed."""
        value = float(value)
        if math.isnan(value):
            return
        value = min(max(value, self._low), self._high)
        self._edited = False  # the text now stands for this value, even when it reads the same as what was typed
        if abs(value) >= QT_EXACT_FROM or _same(value, 0.0):
            super().setValue(value)  # Qt keeps these exactly (and writes the text for them)
            return
        # Qt would round it; its text path does not: write the text and let Qt read it back as this very value
        self._forced = value
        try:
            self.lineEdit().setText(self.prefix() + self.textFromValue(value) + self.suffix())
            self.interpretText()
        finally:
            self._forced = None
        if not _same(super().value(), value):  # Qt refused to read the text (e.g. after clear()): round it
            super().setValue(value)

    def stepBy(self, steps: int) -> None:
        """Arrows, Page Up/Down and the wheel: step on a decimal grid (:func:`step_on_grid`), inside the range.

        As Qt: a typed text is read first (an incomplete one is taken without stepping), one ``valueChanged``
        says where the two ended, and the text is selected for the next step or for typing over.
        """
        if self.wrapping():  # Qt's wrap-around rules, with its binary sums
            super().stepBy(steps)
            self._edited = False
            value = super().value()
            if not self._low <= value <= self._high:
                self.setValue(value)
            return
        old = super().value()
        start, step_allowed = old, True
        if self._edited:  # read what was typed, silently: one signal below for typing and stepping together
            text, position = self.lineEdit().displayText(), self.lineEdit().cursorPosition()
            step_allowed = self.validate(text, position)[0] == QValidator.State.Acceptable
            with QSignalBlocker(self):
                self.interpretText()
                start = super().value()
                self.setValue(old)
        self._edited = False
        target = start
        if step_allowed and steps:
            target = step_on_grid(start, self.singleStep(), steps)
        self.setValue(target)  # clamps into the range; emits when it differs from the value before
        if self.style().styleHint(QStyle.StyleHint.SH_SpinBox_SelectOnStep, None, self):
            self.selectAll()

    # -- digits ----------------------------------------------------------------------------------------------
    def setDigits(self, digits: int) -> None:
        """Show at most ``digits`` significant digits (1 to 17)."""
        digits = _digit_count(digits)
        if digits != self._digits:
            self._digits = digits
            self._rewrite_text()

    def digits(self) -> int:
        return self._digits

    # -- text ------------------------------------------------------------------------------------------------
    def textFromValue(self, value: float) -> str:
        return format_number(value, self._digits)

    def valueFromText(self, text: str) -> float:
        """The typed number, exactly; until the user edits it, the box's own text stands for its exact value."""
        if self._forced is not None:
            return self._forced
        current = super().value()
        if not self._edited:
            return current
        number = _read(self._body(text))
        if number is None:
            return current
        return min(max(number, self._low), self._high)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        """As :func:`number_state`; a ',' is taken as the decimal point and written as '.'."""
        if "," in text and "," not in self.prefix() + self.suffix():
            text = text.replace(",", ".")
        body = self._body(text)
        if self._forced is not None or body == self.textFromValue(super().value()):
            return QValidator.State.Acceptable, text, pos
        return number_state(body, self._low, self._high), text, pos

    def fixup(self, text: str) -> str:
        """On commit: a number outside the range becomes its nearest end; "2." becomes 2; other text stays."""
        number = _read(self._body(text))
        if number is None:
            return text
        return self.prefix() + repr(min(max(number, self._low), self._high)) + self.suffix()

    def _body(self, text: str) -> str:
        """``text`` without prefix, suffix and spaces: the number part."""
        body = text.strip()
        prefix, suffix = self.prefix().strip(), self.suffix().strip()
        if prefix and body.startswith(prefix):
            body = body[len(prefix) :]
        if suffix and body.endswith(suffix):
            body = body[: len(body) - len(suffix)]
        return body.strip()

    def _on_text_edited(self, _text: str) -> None:
        self._edited = True

    def _forget_edit(self) -> None:
        self._edited = False

    def _rewrite_text(self) -> None:
        """Write the text again (for new digits), unless the user is editing it."""
        if self._edited:
            return
        text = self.prefix() + self.textFromValue(super().value()) + self.suffix()
        if text != self.lineEdit().text():
            with QSignalBlocker(self.lineEdit()):  # as Qt writes its own text: no edit, no new value
                self.lineEdit().setText(text)

    # -- size ------------------------------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return self._widened(super().sizeHint())

    def minimumSizeHint(self) -> QSize:
        return self._widened(super().minimumSizeHint())

    def width_for(self, text: str) -> int:
        """The box width at which ``text`` (the number part) is shown whole, without scrolling."""
        option = QStyleOptionSpinBox()
        self.initStyleOption(option)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_SpinBox, option, QStyle.SubControl.SC_SpinBoxEditField, self
        )
        margins = self.lineEdit().textMargins()
        around = self.width() - field.width() + margins.left() + margins.right() + LINE_EDIT_PADDING
        return self.fontMetrics().horizontalAdvance(self.prefix() + text + self.suffix()) + around

    def _widened(self, hint: QSize) -> QSize:
        """Qt sizes the box for the texts of its range ends ("-5", "5"); make room for a typical 6-digit number."""
        metrics = self.fontMetrics()
        fixed = self.prefix() + self.suffix() + " "
        ends = (self._low, self._high)
        measured = max(metrics.horizontalAdvance(self.textFromValue(end)[:18] + fixed) for end in ends)
        wanted = metrics.horizontalAdvance(WIDTH_SAMPLE + fixed)
        return QSize(hint.width() + max(0, wanted - measured), hint.height())
