"""NumberBox driven by the keyboard: exact values, compact text, scientific notation, clamping on commit."""

import math

import numpy as np
import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QVBoxLayout, QWidget

from neuroviz.views.number_box import FLOAT_MAX, NumberBox, format_number, number_state

Acceptable = QValidator.State.Acceptable
Intermediate = QValidator.State.Intermediate
Invalid = QValidator.State.Invalid

#: Values a plain QDoubleSpinBox would round, clamp or lose the sign of.
EXACT_VALUES = [
    1e300,
    -1e300,
    1.23456789e-7,
    5e-324,
    1.5e-323,
    2.2250738585072014e-308,
    1.2345678901234567e-300,
    -0.0,
    FLOAT_MAX,
    -FLOAT_MAX,
    0.1,
    1 / 3,
    0.8527484705742913,
]


class Host(QWidget):
    """A window with the box under test and a line edit to move the focus to."""

    def __init__(self, box: NumberBox) -> None:
        super().__init__()
        self.box = box
        self.other = QLineEdit()
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(self.other)
        self.changes: list[float] = []
        box.valueChanged.connect(self.changes.append)


def hosted(qtbot, box: NumberBox) -> Host:
    host = Host(box)
    qtbot.addWidget(host)
    host.show()
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)
    return host


@pytest.fixture
def host(qtbot):
    return hosted(qtbot, NumberBox())


def type_into(qtbot, box: NumberBox, text: str, key=Qt.Key.Key_Return) -> None:
    """Focus the box, select its text, type ``text`` key by key and press ``key``."""
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, key)


def bits(value: float) -> str:
    return float(value).hex()


# -- the text ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (-0.0, "0"),
        (0.25, "0.25"),
        (-2.5, "-2.5"),
        (100.0, "100"),
        (0.1, "0.1"),
        (1 / 3, "0.333333"),
        (123456.7, "123457"),
        (999999.7, "1e6"),
        (1234567.0, "1.23457e6"),
        (0.0001, "0.0001"),
        (0.00001234, "1.234e-5"),
        (1.23456789e-7, "1.23457e-7"),
        (1e300, "1e300"),
        (-1e300, "-1e300"),
        (5e-324, "5e-324"),
        (FLOAT_MAX, "1.79769e308"),
    ],
)
def test_numbers_are_shown_compactly(value, text):
    assert format_number(value) == text
    assert float(text) == pytest.approx(value, rel=5e-6)


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("1", Acceptable),
        ("-2.5", Acceptable),
        (".5", Acceptable),
        ("-.5", Acceptable),
        ("+3", Acceptable),
        ("1e300", Acceptable),
        ("-2.5E-3", Acceptable),
        ("1.5e+10", Acceptable),
        ("", Intermediate),
        ("-", Intermediate),
        ("+", Intermediate),
        (".", Intermediate),
        ("-.", Intermediate),
        ("1.", Intermediate),
        ("1e", Intermediate),
        ("1e-", Intermediate),
        ("1.e5", Intermediate),
        ("1e400", Intermediate),  # beyond the largest float: clamped on commit
        ("abc", Invalid),
        ("inf", Invalid),
        ("-inf", Invalid),
        ("nan", Invalid),
        ("1..2", Invalid),
        ("1.2.3", Invalid),
        ("e5", Invalid),
        ("1e5e5", Invalid),
        ("1_000", Invalid),
        ("0x10", Invalid),
        ("--1", Invalid),
        ("\u0663", Invalid),  # an Arabic-Indic three: float() would read it, the box does not
    ],
)
def test_validate_states(qtbot, text, state):
    assert number_state(text) == state
    assert NumberBox().validate(text, len(text))[0] == state


def test_a_comma_is_the_decimal_point_and_is_written_as_a_dot(qtbot):
    assert number_state("1,5") == Invalid  # the text itself is no number...
    assert NumberBox().validate("1,5", 2) == (Acceptable, "1.5", 2)  # ...but the box reads the comma as '.'
    assert NumberBox().validate("1,5,", 4)[0] == Invalid  # a second separator, as "1.5."
    assert NumberBox().validate("1.5,2", 5)[0] == Invalid


def test_validate_knows_the_range(qtbot):
    box = NumberBox(minimum=0.0, maximum=10.0)
    assert box.validate("7.5", 3)[0] == Acceptable
    assert box.validate("25", 2)[0] == Intermediate  # outside: clamped when committed
    assert box.validate("-3", 2)[0] == Intermediate
    assert box.validate("1e1", 3)[0] == Acceptable
    assert box.validate("1e2", 3)[0] == Intermediate


# -- exact values ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", EXACT_VALUES, ids=repr)
def test_a_value_comes_back_bit_for_bit(host, qtbot, value):
    box = host.box
    box.setValue(value)
    assert bits(box.value()) == bits(value)
    assert box.text() == format_number(value)
    host.changes.clear()
    # focus + Enter, then leaving the box: nothing typed, so nothing changes and nothing is emitted
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.keyClick(box, Qt.Key.Key_Tab)
    assert not box.hasFocus()
    assert bits(box.value()) == bits(value)
    assert host.changes == []


def test_random_floats_of_every_magnitude_come_back_bit_for_bit(qtbot):
    """Any finite float, subnormals included, through setValue, the box's own text and Enter's reading of it."""
    rng = np.random.default_rng(0)
    values = rng.integers(0, 2**64, size=3000, dtype=np.uint64).view(np.float64)
    values = values[np.isfinite(values)]
    box = NumberBox()
    for value in values:
        box.setValue(value)
        assert bits(box.value()) == bits(value)
        assert bits(box.valueFromText(box.text())) == bits(value)  # what Enter reads from the shown text


def test_setvalue_emits_once_and_only_on_a_change(host):
    box = host.box
    box.setValue(5e-324)
    box.setValue(5e-324)
    box.setValue(1e300)
    box.setValue(1e300)
    assert [bits(v) for v in host.changes] == [bits(5e-324), bits(1e300)]


def test_setvalue_clamps_into_the_range_and_ignores_nan(qtbot):
    box = NumberBox(minimum=-1.0, maximum=2.0)
    box.setValue(0.5)
    box.setValue(math.nan)
    assert box.value() == 0.5
    box.setValue(math.inf)
    assert box.value() == 2.0
    box.setValue(-7.0)
    assert box.value() == -1.0
    wide = NumberBox()
    wide.setValue(-math.inf)
    assert wide.value() == -FLOAT_MAX


def test_range_ends_are_exact(qtbot):
    for low, high in [(-1e300, 1e300), (3.5e-323, 1.0), (-FLOAT_MAX, FLOAT_MAX), (0.1, 0.3)]:
        box = NumberBox(minimum=low, maximum=high)
        assert (bits(box.minimum()), bits(box.maximum())) == (bits(low), bits(high))
        box.setValue(low)
        assert bits(box.value()) == bits(low)
        box.setValue(high)
        assert bits(box.value()) == bits(high)
    box = NumberBox()
    assert (box.minimum(), box.maximum()) == (-FLOAT_MAX, FLOAT_MAX)
    box.setValue(8.0)
    box.setRange(0.0, 5.0)  # a narrower range moves the value to its nearest end
    assert box.value() == 5.0
    box.setMinimum(6.0)
    assert (box.minimum(), box.maximum(), box.value()) == (6.0, 6.0, 6.0)
    with pytest.raises(ValueError, match="must be numbers"):
        box.setRange(math.nan, 1.0)


# -- typing --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["1e300", "-2.5E-3", "1.5e+10", "2.5e-3", "0.1234567891234", "-0.75", "5e-324"])
def test_a_typed_number_is_used_exactly(host, qtbot, text):
    type_into(qtbot, host.box, text)
    assert bits(host.box.value()) == bits(float(text))
    assert [bits(v) for v in host.changes] == [bits(float(text))]
    assert host.box.text() == format_number(float(text))


def test_nothing_is_emitted_while_typing_only_on_enter_or_leaving(host, qtbot):
    box = host.box
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "12.5")
    assert host.changes == []
    qtbot.keyClick(box, Qt.Key.Key_Tab)  # leaving the box commits like Enter
    assert host.changes == [12.5]


@pytest.mark.parametrize(
    ("value", "typed"),
    [(1.4000000000000001, "1.4"), (1.23456789e-7, "1.23457e-7"), (1.0000001, "1"), (1.2345678e-310, "1.23457e-310")],
)
def test_typing_the_shown_text_sets_that_number(host, qtbot, value, typed):
    """The user typed a number: it is the one they get, also when the box showed those very digits."""
    box = host.box
    box.setValue(value)
    assert box.text() == typed
    host.changes.clear()
    type_into(qtbot, box, typed)
    assert bits(box.value()) == bits(float(typed))
    assert [bits(v) for v in host.changes] == [bits(float(typed))]
    type_into(qtbot, box, repr(value))  # and the exact value typed in full brings it back
    assert [bits(v) for v in host.changes] == [bits(float(typed)), bits(value)]


def test_after_a_commit_the_shown_text_stands_for_the_exact_typed_value(host, qtbot):
    box = host.box
    type_into(qtbot, box, "0.1234567891234")  # shown "0.123457"
    assert box.text() == "0.123457"
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter again, then leave: nothing typed since, nothing changes
    qtbot.keyClick(box, Qt.Key.Key_Tab)
    assert bits(box.value()) == bits(0.1234567891234)
    assert host.changes == [0.1234567891234]


def test_an_arrow_step_after_typing_leaves_the_text_standing_for_the_exact_value(host, qtbot):
    box = host.box
    box.setSingleStep(1.0)
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "0.1234567891234")
    qtbot.keyClick(box, Qt.Key.Key_Up)  # reads the typed number, then steps
    assert box.text() == "1.12346"
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert bits(box.value()) == bits(0.1234567891234 + 1.0)
    assert host.changes == [0.1234567891234 + 1.0]


def test_setvalue_and_setrange_replace_a_typed_text_by_the_exact_value(host, qtbot):
    """A value put in while the user was typing wins, even when its text reads the same as what was typed."""
    box = host.box
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "1.4")
    box.setValue(1.4000000000000001)  # e.g. undo while the box has focus; shown "1.4" as typed
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert bits(box.value()) == bits(1.4000000000000001)
    assert host.changes == [1.4000000000000001]
    box.setValue(2.0)
    box.selectAll()
    qtbot.keyClicks(box, "1.4")
    box.setRange(0.0, 1.4000000000000001)  # moves the value 2 to the new end, which reads "1.4" too
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert bits(box.value()) == bits(1.4000000000000001)
    assert host.changes == [1.4000000000000001, 2.0, 1.4000000000000001]


@pytest.mark.parametrize(
    ("text", "shown"),
    [("abc", "7"), ("inf", "7"), ("1..5", "1.5"), ("2,5", "2.5"), ("1,5,2", "1.52"), ("1.5,", "1.5"), ("1e5,", "1e5")],
)
def test_refused_keys_do_not_reach_the_box(host, qtbot, text, shown):
    host.box.setValue(7.0)
    host.box.setFocus()
    host.box.selectAll()
    qtbot.keyClicks(host.box, text)
    # a refused key leaves the text as it was: "abc" does not even replace the selected 7; a ',' is a '.'
    assert host.box.lineEdit().text() == shown


def test_a_number_typed_with_a_decimal_comma_reads_as_the_person_meant(host, qtbot):
    type_into(qtbot, host.box, "1,5")
    assert host.box.value() == 1.5 and host.changes == [1.5]
    assert host.box.text() == "1.5"
    type_into(qtbot, host.box, "-2,5e-3")
    assert host.box.value() == -0.0025


def test_typed_values_outside_the_range_are_clamped_to_the_nearest_end(qtbot):
    host = hosted(qtbot, NumberBox(minimum=0.0, maximum=10.0))
    box = host.box
    box.setValue(3.0)
    host.changes.clear()
    type_into(qtbot, box, "25")
    assert box.value() == 10.0
    type_into(qtbot, box, "-3")
    assert box.value() == 0.0
    type_into(qtbot, box, "1e400", key=Qt.Key.Key_Tab)  # leaving the box commits the same way
    assert box.value() == 10.0
    assert host.changes == [10.0, 0.0, 10.0]
    assert box.text() == "10"


@pytest.mark.parametrize(
    ("text", "expected"), [("", 7.0), ("-", 7.0), ("1e", 7.0), ("-.", 7.0), ("2.", 2.0), ("1.e5", 1e5)]
)
def test_incomplete_numbers_on_enter(host, qtbot, text, expected):
    """A trailing dot is taken as the number it reads; text that is no number yet puts the old value back."""
    host.box.setValue(7.0)
    host.changes.clear()
    type_into(qtbot, host.box, text)
    assert host.box.value() == expected
    assert host.changes == ([] if expected == 7.0 else [expected])
    assert host.box.text() == format_number(expected)


# -- steps, prefix, locale, size -------------------------------------------------------------------------------------
def test_arrows_and_page_keys_step_and_stay_in_range(qtbot):
    host = hosted(qtbot, NumberBox(minimum=-1.0, maximum=1.0))
    box = host.box
    box.setSingleStep(0.25)
    box.setValue(0.5)
    host.changes.clear()
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Up)
    assert box.value() == 0.75
    qtbot.keyClick(box, Qt.Key.Key_PageUp)  # ten steps, stopped at the end
    assert box.value() == 1.0
    qtbot.keyClick(box, Qt.Key.Key_Up)  # already at the end: no change, no signal
    assert host.changes == [0.75, 1.0]


def test_steps_from_a_tiny_end_stay_inside_the_exact_range(qtbot):
    box = NumberBox(minimum=3.5e-323, maximum=1.0)
    box.setValue(4e-323)
    box.setSingleStep(1e-323)
    box.stepBy(-3)
    assert bits(box.value()) == bits(3.5e-323)


def test_a_prefix_is_not_part_of_the_number(host, qtbot):
    box = host.box
    box.setPrefix("mean ")
    box.setValue(1.23456789e-7)
    assert box.text() == "mean 1.23457e-7"
    host.changes.clear()
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert bits(box.value()) == bits(1.23456789e-7) and host.changes == []
    type_into(qtbot, box, "2e-3")
    assert box.value() == 0.002


def test_the_decimal_point_is_a_dot_whatever_the_system_locale(qtbot):
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        host = hosted(qtbot, NumberBox())
        box = host.box
        box.setValue(1234.5)
        assert box.text() == "1234.5"  # no "1.234,5": the files and the rest of the app write '.'
        assert box.locale() == QLocale.c()
        type_into(qtbot, box, "0,5")  # a comma is taken as the decimal point, and shown as '.'
        assert box.value() == 0.5 and box.text() == "0.5"
        type_into(qtbot, box, "0.25")
        assert box.value() == 0.25
    finally:
        QLocale.setDefault(previous)


def test_keyboard_tracking_starts_off_and_the_decimals_stay_at_the_maximum(qtbot):
    box = NumberBox()
    assert not box.keyboardTracking()
    assert box.decimals() == 323


def test_the_box_is_wide_enough_for_a_six_digit_number(qtbot):
    host = hosted(qtbot, NumberBox(minimum=-5.0, maximum=5.0))  # Qt alone would size it for "-5"
    box = host.box
    box.setValue(-0.123457)
    metrics = box.fontMetrics()
    assert box.sizeHint().width() >= metrics.horizontalAdvance("-0.123457")
    assert box.minimumSizeHint().width() >= metrics.horizontalAdvance("-0.123457")


# -- digits and width -------------------------------------------------------------------------------------------------
def scrolled(box: NumberBox) -> bool:
    """Whether the box shows only part of its text: then its picture moves with the cursor (not drawn unfocused)."""
    edit = box.lineEdit()
    edit.setCursorPosition(0)
    start = edit.grab().toImage()
    edit.setCursorPosition(len(edit.text()))
    return edit.grab().toImage() != start


@pytest.mark.parametrize("buttons", [True, False])
@pytest.mark.parametrize("value", [FLOAT_MAX, -1.8e307, 5.0, 0.10000000000000002])
def test_width_for_a_text_is_just_wide_enough_to_show_it_whole(qtbot, buttons, value):
    box = NumberBox(digits=17)
    box.setAlignment(Qt.AlignmentFlag.AlignRight)
    if not buttons:
        box.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
    box.setValue(value)
    host = hosted(qtbot, box)
    host.other.setFocus()
    text = box.text()
    box.setFixedWidth(box.width_for(text))
    assert not scrolled(box)
    box.setFixedWidth(box.width_for(text) - 1)
    assert scrolled(box)
    assert box.text() == text and bits(box.value()) == bits(value)


def test_more_digits_tell_close_numbers_apart(host, qtbot):
    box = host.box
    box.setValue(1.0000001)
    assert box.text() == "1"
    box.setDigits(8)
    assert (box.digits(), box.text()) == (8, "1.0000001")
    type_into(qtbot, box, "1.00000016")
    assert box.text() == "1.0000002" and box.value() == 1.00000016
