"""InputPanel driven as a user would: sliders, spin boxes, ranges, keyboard, reset/randomize and animation."""

import numpy as np
import pytest
from driving import enter
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractSlider, QAbstractSpinBox, QApplication, QComboBox, QToolTip

from neuroviz.views.input_panel import SLIDER_STEPS, InputPanel
from neuroviz.views.number_box import FLOAT_MAX


@pytest.fixture
def panel(qtbot):
    widget = InputPanel(rng=np.random.default_rng(7))
    qtbot.addWidget(widget)
    widget.set_inputs(["x1", "x2", "x3"], [0.0, 1.5, -2.0], [(-5.0, 5.0), (-5.0, 5.0), (0.0, 10.0)])
    widget.resize(420, 240)
    widget.show()
    return widget


def test_rows_show_the_given_values_and_ranges(panel):
    assert panel.count() == 3
    assert panel.values() == [0.0, 1.5, -2.0]
    # x3's value -2 lies outside its range 0..10: the spin box clamps what it shows.
    assert panel.spin_box(1).value() == pytest.approx(1.5)
    assert panel.slider(1).value() == round((1.5 + 5) / 10 * SLIDER_STEPS)
    assert panel.ranges() == [(-5.0, 5.0), (-5.0, 5.0), (0.0, 10.0)]
    low, high = panel.range_boxes(2)
    assert (low.value(), high.value()) == (0.0, 10.0)
    assert panel.spin_box(2).minimum() == 0.0 and panel.spin_box(2).maximum() == 10.0
    assert panel.animate_combo().count() == 3 and panel.animate_combo().itemText(2) == "x3"


def test_slider_moves_spin_box_and_emits_value(panel, qtbot):
    with qtbot.waitSignal(panel.valueChanged) as blocker:
        panel.slider(0).setValue(750)  # 3/4 of −5…5
    assert blocker.args == [0, pytest.approx(2.5)]
    assert panel.spin_box(0).value() == pytest.approx(2.5)
    assert panel.values()[0] == pytest.approx(2.5)


def test_typing_in_spin_box_moves_slider(panel, qtbot):
    spin = panel.spin_box(2)
    spin.setFocus()
    spin.selectAll()
    with qtbot.waitSignal(panel.valueChanged) as blocker:
        qtbot.keyClicks(spin, "7.5")
        qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert blocker.args == [2, pytest.approx(7.5)]
    assert panel.slider(2).value() == 750
    assert panel.values()[2] == pytest.approx(7.5)


def test_typed_value_beyond_range_is_clamped(panel, qtbot):
    spin = panel.spin_box(0)
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "9")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert spin.value() <= 5.0
    assert panel.values()[0] <= 5.0


def test_keyboard_page_up_moves_slider_a_tenth(panel, qtbot):
    slider = panel.slider(0)
    slider.setFocus()
    received = []
    panel.valueChanged.connect(lambda i, v: received.append((i, v)))
    qtbot.keyClick(slider, Qt.Key.Key_PageUp)
    assert slider.value() == 600
    assert received[-1] == (0, pytest.approx(1.0))
    qtbot.keyClick(slider, Qt.Key.Key_Right)
    assert received[-1] == (0, pytest.approx(1.1))
    assert panel.spin_box(0).value() == pytest.approx(1.1)


def test_spin_box_arrow_step_is_a_hundredth_of_the_range(panel, qtbot):
    spin = panel.spin_box(2)  # range 0…10
    assert spin.singleStep() == pytest.approx(0.1)
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert panel.values()[2] == pytest.approx(0.1)


def test_editing_range_updates_slider_mapping_and_emits(panel, qtbot):
    _low, high = panel.range_boxes(0)
    with qtbot.waitSignal(panel.rangeChanged) as blocker:
        high.setValue(20.0)
    assert blocker.args == [0, -5.0, 20.0]
    assert panel.ranges()[0] == (-5.0, 20.0)
    assert panel.spin_box(0).maximum() == 20.0
    # the value 0 is now at 5/25 of the range
    assert panel.slider(0).value() == 200
    panel.slider(0).setValue(1000)
    assert panel.values()[0] == pytest.approx(20.0)


def test_narrowing_range_clamps_value_and_reports_it(panel, qtbot):
    received = []
    panel.rangeChanged.connect(lambda *a: received.append(("range", *a)))
    panel.valueChanged.connect(lambda *a: received.append(("value", *a)))
    low, _high = panel.range_boxes(1)  # value 1.5
    low.setValue(3.0)
    assert received == [("range", 1, 3.0, 5.0), ("value", 1, 3.0)]
    assert panel.values()[1] == 3.0


def test_range_with_min_not_below_max_is_refused_and_reverted(panel, qtbot):
    received = []
    panel.rangeChanged.connect(lambda *a: received.append(a))
    low, high = panel.range_boxes(0)
    low.setValue(6.0)  # above max 5
    assert received == []
    assert low.value() == -5.0
    assert panel.ranges()[0] == (-5.0, 5.0)
    assert "below" in low.toolTip()
    high.setValue(-5.0)  # equal to min
    assert high.value() == 5.0
    assert received == []


def test_set_values_does_not_emit(panel, qtbot):
    received = []
    panel.valueChanged.connect(lambda *a: received.append(a))
    panel.valuesChanged.connect(lambda *a: received.append(a))
    panel.set_values([1.0, 2.0, 3.0])
    assert received == []
    assert panel.values() == [1.0, 2.0, 3.0]
    assert panel.slider(2).value() == 300
    assert panel.spin_box(1).value() == pytest.approx(2.0)


def test_reset_sets_zero_clamped_and_emits_one_signal(panel, qtbot):
    panel.set_values([3.0, -4.0, 8.0])
    received = []
    panel.valueChanged.connect(lambda *a: received.append(("value", *a)))
    panel.valuesChanged.connect(lambda values: received.append(("values", values)))
    panel.reset_button().click()
    assert received == [("values", [0.0, 0.0, 0.0])]  # x3's range 0…10 contains 0
    panel.set_default_values([1.0, 2.0, 20.0])
    panel.reset_button().click()
    assert received[-1] == ("values", [1.0, 2.0, 10.0])  # 20 clamped into 0…10
    assert panel.slider(2).value() == SLIDER_STEPS


def test_reset_clamps_zero_into_a_positive_range(qtbot):
    widget = InputPanel()
    qtbot.addWidget(widget)
    widget.set_inputs(["a"], [4.0], [(2.0, 6.0)])
    with qtbot.waitSignal(widget.valuesChanged) as blocker:
        widget.reset_values()
    assert blocker.args == [[2.0]]


def test_randomize_is_uniform_in_range_and_deterministic(qtbot):
    values = []
    for _ in range(2):
        widget = InputPanel(rng=np.random.default_rng(123))
        qtbot.addWidget(widget)
        widget.set_inputs(["a", "b"], [0.0, 0.0], [(-1.0, 1.0), (10.0, 20.0)])
        with qtbot.waitSignal(widget.valuesChanged) as blocker:
            widget.randomize_button().click()
        values.append(blocker.args[0])
        assert widget.values() == blocker.args[0]
    expected_rng = np.random.default_rng(123)
    expected = [expected_rng.uniform(-1.0, 1.0), expected_rng.uniform(10.0, 20.0)]
    assert values[0] == values[1] == pytest.approx(expected)
    assert -1.0 <= values[0][0] <= 1.0 and 10.0 <= values[0][1] <= 20.0


def test_animation_sweeps_chosen_input_and_bounces(panel, qtbot):
    panel.animate_combo().setCurrentIndex(1)  # x2, value 1.5 in −5…5
    with qtbot.waitSignal(panel.animationToggled) as toggled:
        panel.animate_button().click()
    assert toggled.args == [True]
    assert panel.is_animating()
    received = []
    panel.valueChanged.connect(lambda i, v: received.append((i, v)))
    panel.animation_step()
    step = 10.0 * 2 * 0.033 / 4.0  # range × fraction per tick
    assert received == [(1, pytest.approx(1.5 + step))]
    assert panel.values()[0] == 0.0 and panel.values()[2] == -2.0  # the others stay
    assert panel.spin_box(1).value() == pytest.approx(1.5 + step, abs=1e-3)
    # run up to the top end: the value turns around and comes back down
    values = [panel.values()[1]]
    for _ in range(80):
        panel.animation_step()
        values.append(panel.values()[1])
    assert max(values) <= 5.0
    assert max(values) > 5.0 - step
    top = int(np.argmax(values))
    assert 0 < top < len(values) - 1
    assert values[-1] < values[top]
    assert all(b < a for a, b in zip(values[top + 1 :], values[top + 2 :], strict=False))
    panel.animate_button().click()
    assert not panel.is_animating()


def test_animation_timer_drives_the_input(panel, qtbot):
    panel.animate_combo().setCurrentIndex(0)
    panel.set_animating(True)
    with qtbot.waitSignal(panel.valueChanged, timeout=2000) as blocker:
        pass
    assert blocker.args[0] == 0
    assert blocker.args[1] > 0.0
    panel.set_animating(False)
    assert not panel.is_animating()


def test_set_inputs_rebuilds_rows(panel):
    panel.set_inputs(["a"], [0.25], [(0.0, 1.0)])
    assert panel.count() == 1
    assert panel.values() == [0.25]
    assert panel.slider(0).value() == 250
    assert panel.animate_combo().count() == 1
    with pytest.raises(IndexError):
        panel.slider(1)


def test_bad_arguments_raise_value_error(panel):
    with pytest.raises(ValueError, match="same length"):
        panel.set_inputs(["a", "b"], [0.0], [(0.0, 1.0)])
    with pytest.raises(ValueError, match=r"input 0.*min < max"):
        panel.set_inputs(["a"], [0.0], [(1.0, 1.0)])
    with pytest.raises(ValueError, match="expected 3 values"):
        panel.set_values([1.0])


def test_every_control_has_a_tooltip_and_tab_order(panel, qtbot):
    controls = []
    for i in range(panel.count()):
        controls += [panel.slider(i), panel.spin_box(i), *panel.range_boxes(i)]
    controls += [
        panel.reset_button(),
        panel.randomize_button(),
        panel.animate_button(),
        panel.animate_combo(),
    ]
    for control in controls:
        assert control.toolTip(), control
    assert tab_through(panel, qtbot, controls[0], len(controls) - 1) == controls


def tab_through(window, qtbot, first, presses):
    """Focus ``first``, press Tab ``presses`` times; return the widgets focused (spin box, not its edit)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    first.setFocus(Qt.FocusReason.TabFocusReason)
    visited = [_owner(QApplication.focusWidget())]
    for _ in range(presses):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(_owner(QApplication.focusWidget()))
    return visited


def _owner(widget):
    """A spin box's or combo's inner line edit stands for the spin box itself."""
    parent = widget.parentWidget()
    return parent if isinstance(parent, QAbstractSpinBox | QComboBox) else widget


def test_slider_action_keys_reach_the_ends(panel):
    panel.slider(0).triggerAction(QAbstractSlider.SliderAction.SliderToMaximum)
    assert panel.values()[0] == pytest.approx(5.0)
    panel.slider(0).triggerAction(QAbstractSlider.SliderAction.SliderToMinimum)
    assert panel.values()[0] == pytest.approx(-5.0)


def test_screenshot(panel):
    panel.set_inputs(["x1", "x2", "petal length"], [0.5, -1.25, 3.0], [(-5.0, 5.0), (-2.0, 2.0), (0.0, 10.0)])
    image = panel.grab()
    assert image.save("/tmp/panel_inputs.png")
    assert image.width() > 100 and image.height() > 100


def test_rebuilding_from_inside_a_value_signal_is_safe(panel, qtbot):
    """The controller may rebuild the rows when an input changes: the sending slider survives its signal."""
    panel.valueChanged.connect(lambda i, v: panel.set_inputs(["x1", "x2", "x3"], [v, 0.0, 0.0]))
    panel.slider(0).setValue(900)
    qtbot.wait(10)  # let the old rows' deleteLater run
    assert panel.values()[0] == pytest.approx(4.0)
    assert panel.slider(0).value() == 900


# -- numbers of any size, kept exactly ------------------------------------------------------------------------------


@pytest.fixture
def huge(qtbot):
    """An input at 1e300 in the range ±1e300, another at a tiny value, as a file may hold them."""
    widget = InputPanel(rng=np.random.default_rng(3))
    qtbot.addWidget(widget)
    widget.set_inputs(["x1", "x2"], [1e300, 1.23456789e-7], [(-1e300, 1e300), (-5.0, 5.0)])
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    received = []
    widget.valueChanged.connect(lambda *a: received.append(("value", *a)))
    widget.rangeChanged.connect(lambda *a: received.append(("range", *a)))
    widget.received = received
    return widget


def test_huge_values_and_ranges_are_shown_compactly_and_exactly(huge):
    low, high = huge.range_boxes(0)
    assert (low.text(), high.text(), huge.spin_box(0).text()) == ("-1e300", "1e300", "1e300")  # not 300 digits
    assert (low.value(), high.value(), huge.spin_box(0).value()) == (-1e300, 1e300, 1e300)
    assert huge.spin_box(1).text() == "1.23457e-7" and huge.spin_box(1).value() == 1.23456789e-7
    assert huge.ranges()[0] == (-1e300, 1e300) and huge.values() == [1e300, 1.23456789e-7]


def test_enter_in_any_box_without_typing_changes_nothing(huge, qtbot):
    for i in range(2):
        for box in (huge.spin_box(i), *huge.range_boxes(i)):
            enter(qtbot, box)
            enter(qtbot, box, key=Qt.Key.Key_Tab)
    assert huge.received == []
    assert huge.values() == [1e300, 1.23456789e-7] and huge.ranges() == [(-1e300, 1e300), (-5.0, 5.0)]


def test_typing_a_low_end_keeps_the_huge_high_end_and_value(huge, qtbot):
    low, high = huge.range_boxes(0)
    enter(qtbot, low, "-5")
    assert huge.received == [("range", 0, -5.0, 1e300)]  # the value 1e300 still lies inside: not moved
    assert high.value() == 1e300 and huge.spin_box(0).value() == 1e300
    assert huge.ranges()[0] == (-5.0, 1e300) and huge.values()[0] == 1e300


def test_typed_scientific_numbers_are_taken_exactly(huge, qtbot):
    enter(qtbot, huge.spin_box(1), "2.5e-3")
    enter(qtbot, huge.range_boxes(1)[1], "1e300")
    enter(qtbot, huge.spin_box(1), "1.5E+2")
    assert huge.received == [("value", 1, 0.0025), ("range", 1, -5.0, 1e300), ("value", 1, 150.0)]
    assert huge.values()[1] == 150.0


def test_a_typed_value_beyond_the_range_is_clamped_to_its_end_on_enter(huge, qtbot):
    enter(qtbot, huge.spin_box(1), "1e9")
    assert huge.received == [("value", 1, 5.0)]
    assert huge.spin_box(1).text() == "5"


def test_the_largest_range_slides_randomizes_and_animates_without_overflow(qtbot):
    widget = InputPanel(rng=np.random.default_rng(5))
    qtbot.addWidget(widget)
    widget.set_inputs(["x"], [0.0], [(-FLOAT_MAX, FLOAT_MAX)])  # high − low overflows a float
    assert widget.slider(0).value() == SLIDER_STEPS // 2
    widget.slider(0).setValue(SLIDER_STEPS)
    assert widget.values() == [FLOAT_MAX]
    widget.slider(0).setValue(SLIDER_STEPS // 4)
    assert widget.values()[0] == pytest.approx(-FLOAT_MAX / 2)
    widget.randomize_values()
    assert np.isfinite(widget.values()[0]) and abs(widget.values()[0]) <= FLOAT_MAX
    widget.animate_combo().setCurrentIndex(0)
    widget.animation_step()
    assert np.isfinite(widget.values()[0])
    assert widget.spin_box(0).singleStep() == 5e306  # a hundredth of the range (3.6e306) made readable


def test_long_input_names_get_a_line_of_their_own_and_stay_readable(qtbot):
    widget = InputPanel(rng=np.random.default_rng(0))
    qtbot.addWidget(widget)
    names = ["sepal length (cm)", "sepal width (cm)"]
    widget.set_inputs(names, [6.0, 3.0], [(4.0, 8.0), (2.0, 4.5)])
    widget.resize(250, 300)  # the dock's default width
    widget.show()
    QApplication.processEvents()
    for i, name in enumerate(names):
        label = widget.name_label(i)
        assert label.shown_text() == name  # whole: above the slider, not squeezed beside it
        assert label.geometry().bottom() < widget.slider(i).geometry().top()
        assert name in label.toolTip()


def test_a_name_longer_than_the_panel_ends_in_an_ellipsis(qtbot):
    widget = InputPanel(rng=np.random.default_rng(0))
    qtbot.addWidget(widget)
    widget.set_inputs(["the length of the sepal in centimetres, measured by hand", "x2"], [0.0, 0.0])
    widget.resize(250, 300)
    widget.show()
    QApplication.processEvents()
    shown = widget.name_label(0).shown_text()
    assert shown.endswith("…") and shown.startswith("the length")
    assert widget.width() <= 250  # the panel does not grow for the name


def test_short_names_sit_beside_their_sliders(panel):
    label = panel.name_label(0)
    assert label.shown_text() == "x1"
    assert abs(label.geometry().center().y() - panel.slider(0).geometry().center().y()) <= 3


# -- typing what a box shows ----------------------------------------------------------------------------------------
def test_typing_the_number_a_value_box_shows_sets_that_number(panel, qtbot):
    """The slider may leave 1.4000000000000001 (shown "1.4"): typing 1.4 must give 1.4, not keep the hidden digits."""
    panel.set_values([1.4000000000000001, 0.0, 0.0])
    spin = panel.spin_box(0)
    assert spin.text() == "1.4"
    with qtbot.waitSignal(panel.valueChanged) as blocker:
        enter(qtbot, spin, "1.4")
    assert blocker.args == [0, 1.4]
    assert panel.values()[0] == 1.4


def test_a_decimal_comma_is_read_as_a_point(panel, qtbot):
    with qtbot.waitSignal(panel.valueChanged) as blocker:
        enter(qtbot, panel.spin_box(0), "1,5")
    assert blocker.args == [0, 1.5]
    assert panel.spin_box(0).text() == "1.5"


# -- the mouse wheel --------------------------------------------------------------------------------------------------
def wheel(widget, notches: int = -1) -> None:
    """Turn the mouse wheel over the middle of ``widget`` (negative: towards the user, i.e. scroll down).

    Through the window, as the system delivers it: Qt finds the widget under the mouse and passes the event up
    to its parents while they ignore it (a spin box's line edit to the spin box).
    """
    window = widget.window()
    middle = widget.mapTo(window, QPoint(widget.width() // 2, widget.height() // 2))
    QTest.wheelEvent(window.windowHandle(), QPointF(middle), QPoint(0, 120 * notches))


@pytest.fixture
def tall(qtbot):
    """Twelve inputs in a panel too short for them: it scrolls."""
    widget = InputPanel(rng=np.random.default_rng(1))
    qtbot.addWidget(widget)
    widget.set_inputs([f"x{i}" for i in range(12)], [0.0] * 12)
    widget.resize(300, 220)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    widget.reset_button().setFocus()
    received = []
    widget.valueChanged.connect(lambda *a: received.append(a))
    widget.rangeChanged.connect(lambda *a: received.append(a))
    widget.received = received
    return widget


def test_the_wheel_over_an_unfocused_control_scrolls_the_panel_and_changes_nothing(tall, qtbot):
    bar = tall.scroll_area().verticalScrollBar()
    assert bar.maximum() > 0
    for widget in (tall.spin_box(0).lineEdit(), tall.range_boxes(0)[0].lineEdit(), tall.slider(1)):
        bar.setValue(0)
        wheel(widget)
        assert bar.value() > 0, widget  # the panel scrolled down
    assert tall.received == []
    assert tall.values() == [0.0] * 12 and tall.ranges()[0] == (-5.0, 5.0)
    assert tall.reset_button().hasFocus()  # the wheel did not take the focus either
    for control in (tall.spin_box(0), tall.slider(0), *tall.range_boxes(0)):
        assert control.focusPolicy() == Qt.FocusPolicy.StrongFocus  # a click or Tab focuses it, the wheel not


def test_the_wheel_over_a_focused_box_or_slider_changes_it(tall, qtbot):
    bar = tall.scroll_area().verticalScrollBar()
    spin = tall.spin_box(0)
    spin.setFocus()
    wheel(spin.lineEdit(), notches=1)
    assert tall.received == [(0, pytest.approx(0.1))]
    tall.slider(1).setFocus()
    wheel(tall.slider(1), notches=1)
    assert tall.received[-1][0] == 1 and tall.values()[1] > 0.0
    _low, high = tall.range_boxes(0)
    high.setFocus()
    wheel(high.lineEdit(), notches=1)
    assert tall.received[-1] == (0, -5.0, 6.0)  # a range box steps by 1
    assert bar.value() == 0


# -- arrow steps follow the range ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("low", "high", "step"),
    [(0.0, 0.001, 1e-5), (-1e-9, 1e-9, 2e-11), (0.0, 0.07, 1e-3), (0.0, 1e-300, 1e-302), (0.0, 1e-321, 1e-323)],
)
def test_the_arrow_step_is_about_a_hundredth_of_any_range(qtbot, low, high, step):
    widget = InputPanel()
    qtbot.addWidget(widget)
    widget.set_inputs(["x"], [low], [(low, high)])
    widget.show()
    spin = widget.spin_box(0)
    assert spin.singleStep() == step
    spin.setFocus()
    with qtbot.waitSignal(widget.valueChanged) as blocker:
        qtbot.keyClick(spin, Qt.Key.Key_Up)  # one step, not the whole range
    assert blocker.args == [0, pytest.approx(low + step, rel=1e-9)]
    assert blocker.args[1] < high


# -- a refused range says so where the user is looking ----------------------------------------------------------------
@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Tab])
def test_a_refused_range_shows_why_at_the_edited_box(qtbot, key):
    widget = InputPanel()
    qtbot.addWidget(widget)
    widget.set_inputs(["x"], [1.0], [(1e-7, 5.0)])
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    low, high = widget.range_boxes(0)
    received = []
    widget.rangeChanged.connect(lambda *a: received.append(a))
    try:
        enter(qtbot, low, "10", key=key)
        message = "The lowest value must stay below the highest (1e-7 … 5 kept)."  # as the boxes write it
        qtbot.waitUntil(QToolTip.isVisible)
        assert QToolTip.text() == message
        assert low.toolTip() == message and high.toolTip() == message  # still there when the tip is gone
        assert received == [] and low.text() == "1e-7" and widget.ranges() == [(1e-7, 5.0)]
    finally:
        QToolTip.hideText()


# -- range boxes stay readable ---------------------------------------------------------------------------------------
def shown_whole(box) -> bool:
    """The box shows all of its text: its picture does not move with the cursor (which is not drawn unfocused)."""
    edit = box.lineEdit()
    edit.setCursorPosition(0)
    start = edit.grab().toImage()
    edit.setCursorPosition(len(edit.text()))
    return edit.grab().toImage() == start


def test_extreme_and_close_range_ends_are_shown_whole_and_told_apart(qtbot):
    widget = InputPanel()
    qtbot.addWidget(widget)
    ranges = [(-FLOAT_MAX, FLOAT_MAX), (1.0000001, 1.0000002), (-123456.789, 987654.321), (-5.0, 5.0)]
    widget.set_inputs(["a", "b", "c", "d"], [-1.23456789e-300, 1.00000016, 555555.555, 0.5], ranges)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    texts = [tuple(box.text() for box in widget.range_boxes(i)) for i in range(4)]
    assert texts[0] == ("-1.8e308", "1.8e308")  # not a cut "-1.7976" / "1.79769" that reads ±1.8
    assert texts[1] == ("1.0000001", "1.0000002")  # not "1 … 1"
    assert texts[3] == ("-5", "5")
    assert widget.spin_box(1).text() == "1.00000016"  # between the ends, as it reads
    normal_width = widget.range_boxes(3)[0].width()
    for i in range(4):
        for box in widget.range_boxes(i):
            assert shown_whole(box), box.text()
            assert box.width() >= normal_width
    assert texts[2][0] != texts[2][1] and float(texts[2][1]) == pytest.approx(987654.321, rel=1e-2)
    assert widget.scroll_area().minimumWidth() >= widget.range_boxes(1)[0].parentWidget().minimumSizeHint().width()
    # display only: every end and value is still exact, and Enter in a box without typing changes nothing
    received = []
    widget.rangeChanged.connect(lambda *a: received.append(a))
    widget.valueChanged.connect(lambda *a: received.append(a))
    for i in range(4):
        for box in widget.range_boxes(i):
            enter(qtbot, box)
    assert received == [] and widget.ranges() == ranges


def test_a_typed_range_that_needs_more_digits_widens_its_boxes(panel, qtbot):
    low, high = panel.range_boxes(0)
    width = high.width()
    enter(qtbot, low, "1")
    enter(qtbot, high, "1.0000002")
    assert panel.ranges()[0] == (1.0, 1.0000002)
    assert (low.text(), high.text()) == ("1", "1.0000002")
    panel.reset_button().setFocus()  # (a focused box draws its cursor)
    assert high.width() > width and shown_whole(high)
    assert panel.scroll_area().minimumWidth() >= high.parentWidget().minimumSizeHint().width()


def test_in_a_tall_dock_the_buttons_stay_right_under_the_inputs(window):
    """With the Training dock closed the Inputs dock has the whole column: Reset inputs and Animate follow the last
    input's row instead of sitting at the bottom of an empty column; more inputs push them down; in the default
    column the rows scroll when there are more than fit."""
    from neuroviz.model import Network

    panel = window.input_panel
    window.resize(1400, 900)
    window.training_dock.toggleViewAction().trigger()
    for inputs in (3, 9, 2):
        window.controller.set_network(Network.from_sizes([inputs, 4, 1], ["tanh", "tanh"], seed=0), None)
        QApplication.processEvents()
        assert panel._scroll.verticalScrollBar().maximum() == 0
        rows_end = panel._scroll.widget().sizeHint().height()
        assert rows_end <= panel._reset_button.y() <= rows_end + 12, inputs
    window.training_dock.toggleViewAction().trigger()
    window.controller.set_network(Network.from_sizes([9, 4, 1], ["tanh", "tanh"], seed=0), None)
    QApplication.processEvents()
    assert panel._scroll.verticalScrollBar().maximum() > 0  # the default column: nine inputs scroll
