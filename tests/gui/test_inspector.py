"""Inspector: read-only facts, weight/bias editors that emit only when a value really changed."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLabel, QStyle, QStyleOptionSpinBox, QToolTip

from neuroviz.model import Network
from neuroviz.views.inspector import PLACEHOLDER, Inspector
from neuroviz.views.number_box import FLOAT_MAX, NumberBox


@pytest.fixture
def inspector(qtbot):
    widget = Inspector()
    qtbot.addWidget(widget)
    widget.resize(280, 420)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


class Recorder:
    def __init__(self, inspector):
        self.calls = []
        inspector.weightEdited.connect(lambda *a: self.calls.append(("weight", *a)))
        inspector.biasEdited.connect(lambda *a: self.calls.append(("bias", *a)))


def type_into(qtbot, box, text):
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def test_show_neuron_lists_the_rows(inspector):
    rows = [("layer", "hidden 1 (relu)"), ("neuron", "3"), ("z", "-0.412"), ("a", "0"), ("f′(z)", "0")]
    inspector.show_neuron("hidden 1 · neuron 3", rows)
    assert inspector.title() == "hidden 1 · neuron 3"
    assert inspector.facts() == rows
    inspector.show_neuron("output · neuron 1", [("z", "1.5")])
    assert inspector.facts() == [("z", "1.5")]


def test_new_numbers_for_the_same_rows_keep_the_labels_and_change_their_texts(inspector):
    """Each input change updates the facts: the same rows keep their labels (made and shown once), other rows
    replace them."""
    from PySide6.QtWidgets import QLabel

    inspector.show_neuron("Layer 1 · neuron 2", [("z", "0.5"), ("a", "0.46")])
    labels = inspector.findChildren(QLabel)
    inspector.show_neuron("Layer 1 · neuron 2", [("z", "0.7"), ("a", "0.6")])
    assert inspector.facts() == [("z", "0.7"), ("a", "0.6")]
    assert inspector.findChildren(QLabel) == labels  # no label made or removed
    inspector.show_neuron("Layer 1 · neuron 3", [("z", "1"), ("a", "0.76"), ("f′(z)", "0.42")])
    assert inspector.facts() == [("z", "1"), ("a", "0.76"), ("f′(z)", "0.42")]
    assert inspector.title() == "Layer 1 · neuron 3"


def test_edit_neuron_shows_one_box_per_weight_and_the_bias(inspector):
    inspector.edit_neuron(2, 1, ["h1", "h2", "h3"], np.array([0.5, -1.25, 2.0]), 0.1)
    assert inspector.weight_count() == 3
    assert [inspector.weight_box(i).value() for i in range(3)] == [0.5, -1.25, 2.0]
    assert inspector.bias_box().value() == pytest.approx(0.1)
    box = inspector.weight_box(0)
    assert isinstance(box, NumberBox)
    assert box.minimum() == -FLOAT_MAX and box.maximum() == FLOAT_MAX  # any finite weight, as the model
    assert "h1" in box.toolTip()
    assert inspector.editing() == (2, 1, None)
    assert inspector.edit_title() == "Edit neuron 2 of layer 2"


def test_typed_weight_emits_once_on_enter(inspector, qtbot):
    recorder = Recorder(inspector)
    inspector.edit_neuron(2, 1, ["h1", "h2", "h3"], np.array([0.5, -1.25, 2.0]), 0.1)
    box = inspector.weight_box(1)
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "-0.75")
    assert recorder.calls == []  # nothing while typing
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert recorder.calls == [("weight", 2, 1, 1, -0.75)]
    # leaving the box again without a change emits nothing more
    qtbot.keyClick(box, Qt.Key.Key_Tab)
    assert recorder.calls == [("weight", 2, 1, 1, -0.75)]


def test_unchanged_value_emits_nothing(inspector, qtbot):
    recorder = Recorder(inspector)
    inspector.edit_neuron(1, 0, ["x1", "x2"], np.array([0.3, 0.4]), 0.0)
    type_into(qtbot, inspector.weight_box(0), "0.3")
    type_into(qtbot, inspector.bias_box(), "0")
    assert recorder.calls == []


def test_bias_edit_emits_bias_edited(inspector, qtbot):
    recorder = Recorder(inspector)
    inspector.edit_neuron(1, 4, ["x1", "x2"], np.array([0.3, 0.4]), 0.0)
    type_into(qtbot, inspector.bias_box(), "1.5")
    assert recorder.calls == [("bias", 1, 4, 1.5)]


def test_update_values_refreshes_silently(inspector, qtbot):
    recorder = Recorder(inspector)
    inspector.edit_neuron(1, 0, ["x1", "x2"], np.array([0.3, 0.4]), 0.0)
    inspector.update_values(np.array([1.0, 2.0]), 0.5)
    assert recorder.calls == []
    assert inspector.weight_box(1).value() == 2.0 and inspector.bias_box().value() == 0.5
    # the refreshed value is the new reference: typing it again is no change
    type_into(qtbot, inspector.weight_box(1), "2")
    assert recorder.calls == []
    with pytest.raises(ValueError, match="show 2 weights, got 3"):
        inspector.update_values(np.zeros(3), 0.0)


def test_edit_edge_focuses_one_weight(inspector, qtbot):
    recorder = Recorder(inspector)
    inspector.edit_edge(3, 2, 0, "h2", "y1", 0.125)
    assert inspector.weight_count() == 1
    assert inspector.bias_box() is None
    box = inspector.weight_box(2)
    assert box.value() == 0.125
    assert QApplication.focusWidget() in (box, box.lineEdit())
    assert inspector.edit_title() == "Edit connection h2 → y1"
    assert inspector.editing() == (3, 0, 2)
    qtbot.keyClicks(box, "-2")  # the text was selected: typing replaces it
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert recorder.calls == [("weight", 3, 2, 0, -2.0)]
    inspector.update_values(0.75)
    assert box.value() == 0.75
    with pytest.raises(ValueError, match="edits the weight from 2"):
        inspector.weight_box(0)


def test_many_inputs_fit_in_a_scroll_area(inspector):
    names = [f"h{i}" for i in range(256)]
    weights = np.random.default_rng(0).normal(size=256)
    inspector.edit_neuron(2, 0, names, weights, 0.0)
    assert inspector.weight_count() == 256
    assert inspector.height() < 1000
    assert inspector.weight_box(255).value() == weights[255]  # exactly: the box does not round


def test_new_selection_replaces_editors_and_clear_resets(inspector, qtbot):
    recorder = Recorder(inspector)
    inspector.edit_neuron(1, 0, ["x1", "x2"], np.array([0.3, 0.4]), 0.0)
    old_box = inspector.weight_box(0)
    inspector.edit_neuron(2, 1, ["h1"], np.array([1.0]), 0.2)
    assert inspector.weight_count() == 1
    assert inspector.weight_box(0) is not old_box
    assert recorder.calls == []
    inspector.clear()
    assert inspector.editing() is None
    assert inspector.weight_count() == 0 and inspector.bias_box() is None
    assert inspector.facts() == [] and inspector.title() == ""


def test_mismatched_names_raise(inspector):
    with pytest.raises(ValueError, match="3 weights but 2 source names"):
        inspector.edit_neuron(1, 0, ["a", "b"], np.zeros(3), 0.0)


def test_rebuilding_from_inside_the_edit_signal_is_safe(inspector, qtbot):
    """The controller may answer an edit by re-selecting the neuron: the sending box survives its signal."""
    inspector.weightEdited.connect(
        lambda layer, source, target, value: inspector.edit_neuron(layer, target, ["x1", "x2"], [value, 0.4], 0.0)
    )
    inspector.edit_neuron(1, 0, ["x1", "x2"], np.array([0.3, 0.4]), 0.0)
    type_into(qtbot, inspector.weight_box(0), "0.9")
    assert inspector.weight_box(0).value() == pytest.approx(0.9)


def test_tab_moves_through_weights_then_bias(inspector, qtbot):
    inspector.edit_neuron(1, 0, ["x1", "x2", "x3"], np.zeros(3), 0.0)
    inspector.weight_box(0).setFocus()
    order = []
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        order.append(focused if isinstance(focused, QAbstractSpinBox) else focused.parentWidget())
    assert order == [inspector.weight_box(1), inspector.weight_box(2), inspector.bias_box()]


def test_screenshot(inspector):
    inspector.show_neuron(
        "hidden 1 · neuron 3",
        [("activation", "relu"), ("z", "-0.412"), ("a = f(z)", "0"), ("f′(z)", "0  (dead)"), ("bias", "0.1")],
    )
    inspector.edit_neuron(1, 2, ["x1", "x2", "x3"], np.array([0.52, -1.3, 0.07]), 0.1)
    assert inspector.grab().save("/tmp/panel_inspector.png")
    inspector.clear()
    assert inspector.grab().save("/tmp/panel_inspector_empty.png")


def test_custom_edit_title(inspector):
    inspector.edit_neuron(1, 0, ["x1"], np.array([0.3]), 0.0, title="hidden 1 · neuron 1")
    assert inspector.edit_title() == "hidden 1 · neuron 1"
    inspector.edit_edge(1, 0, 0, "x1", "h1", 0.3, title="x1 → hidden 1 · 1")
    assert inspector.edit_title() == "x1 → hidden 1 · 1"


def test_update_values_for_an_edge_accepts_the_whole_column(inspector):
    inspector.edit_edge(2, 1, 0, "h2", "y1", 0.5)
    inspector.update_values(np.array([9.0, -0.375, 7.0]), 0.2)  # the controller passes the neuron's weights
    assert inspector.weight_box(1).value() == -0.375
    inspector.update_values(0.25)  # or just the connection's weight
    assert inspector.weight_box(1).value() == 0.25
    inspector.edit_edge(2, 3, 0, "h4", "y1", 0.5)
    with pytest.raises(ValueError, match="source 3, but only 2 weights"):
        inspector.update_values(np.array([1.0, 2.0]), 0.0)


def test_update_values_with_nothing_edited_is_a_no_op(inspector):
    inspector.update_values(np.array([1.0, 2.0]), 0.5)
    assert inspector.weight_count() == 0


# -- numbers of any size, kept exactly -----------------------------------------------------------------------------
HUGE_AND_TINY = np.array([1e300, 1.23456789e-7, -1e300])


def test_huge_and_tiny_weights_are_shown_compactly_and_kept_exactly(inspector, qtbot):
    recorder = Recorder(inspector)
    inspector.edit_neuron(1, 0, ["x1", "x2", "x3"], HUGE_AND_TINY, 5e-324)
    boxes = [inspector.weight_box(i) for i in range(3)] + [inspector.bias_box()]
    assert [box.text() for box in boxes] == ["1e300", "1.23457e-7", "-1e300", "5e-324"]
    # focus each box and press Enter, then leave it: nothing was typed, so nothing is edited
    for box in boxes:
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Return)
        qtbot.keyClick(box, Qt.Key.Key_Tab)
    assert recorder.calls == []
    assert [box.value() for box in boxes[:3]] == list(HUGE_AND_TINY)
    assert boxes[3].value() == 5e-324


def test_typed_scientific_numbers_are_edits_of_exactly_that_value(inspector, qtbot):
    recorder = Recorder(inspector)
    inspector.edit_neuron(1, 0, ["x1", "x2"], np.array([0.3, 0.4]), 0.0)
    type_into(qtbot, inspector.weight_box(0), "2.5e-3")
    type_into(qtbot, inspector.weight_box(1), "-1E300")
    type_into(qtbot, inspector.bias_box(), "1.5e+10")
    assert recorder.calls == [("weight", 1, 0, 0, 0.0025), ("weight", 1, 1, 0, -1e300), ("bias", 1, 0, 1.5e10)]


def arrow_rect(box, sub_control):
    option = QStyleOptionSpinBox()
    box.initStyleOption(option)
    return box.style().subControlRect(QStyle.ComplexControl.CC_SpinBox, option, sub_control, box)


def test_a_click_on_an_arrow_edits_at_once(inspector, qtbot):
    recorder = Recorder(inspector)
    inspector.edit_neuron(2, 1, ["h1", "h2"], np.array([0.5, -1.25]), 0.25)
    box = inspector.weight_box(0)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=arrow_rect(box, QStyle.SubControl.SC_SpinBoxUp).center())
    assert recorder.calls == [("weight", 2, 0, 1, 0.5 + 0.1)]  # no Enter needed
    bias = inspector.bias_box()
    qtbot.mouseClick(bias, Qt.MouseButton.LeftButton, pos=arrow_rect(bias, QStyle.SubControl.SC_SpinBoxDown).center())
    assert recorder.calls[-1] == ("bias", 2, 1, 0.25 - 0.1)
    assert len(recorder.calls) == 2


def test_arrow_and_page_keys_edit_at_once(inspector, qtbot):
    recorder = Recorder(inspector)
    inspector.edit_neuron(1, 0, ["x1", "x2"], np.array([0.5, 1e300]), 0.0)
    box = inspector.weight_box(0)
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Up)
    qtbot.keyClick(box, Qt.Key.Key_PageDown)  # ten steps
    assert recorder.calls == [("weight", 1, 0, 0, 0.5 + 0.1), ("weight", 1, 0, 0, 0.5 + 0.1 - 1.0)]
    # a step too small to change 1e300 leaves it as it is: no edit
    huge = inspector.weight_box(1)
    huge.setFocus()
    qtbot.keyClick(huge, Qt.Key.Key_Up)
    assert huge.value() == 1e300 and len(recorder.calls) == 2


def wheel(box, steps: int) -> None:
    centre = QPointF(box.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(box.mapToGlobal(box.rect().center())),
        QPoint(),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(box, event)


def test_the_wheel_edits_a_focused_box_at_once_and_leaves_others_alone(inspector, qtbot):
    recorder = Recorder(inspector)
    inspector.edit_neuron(1, 0, ["x1", "x2"], np.array([0.5, 0.75]), 0.0)
    wheel(inspector.weight_box(1), 1)  # not focused: scrolling over it must not change a weight
    assert recorder.calls == [] and inspector.weight_box(1).value() == 0.75
    box = inspector.weight_box(0)
    box.setFocus()
    wheel(box, 1)
    assert recorder.calls == [("weight", 1, 0, 0, 0.5 + 0.1)]


def test_the_hint_says_what_hover_and_click_do(inspector):
    inspector.clear()
    shown = [label.text() for label in inspector.findChildren(QLabel) if label.isVisible() and label.text()]
    assert shown == [PLACEHOLDER]
    assert "Hover a neuron or a link to see its values" in PLACEHOLDER
    assert "click a neuron to edit its incoming weights and bias" in PLACEHOLDER.lower()


# -- in the window: a file's weights survive the inspector -----------------------------------------------------------
def open_extreme_network(window, tmp_path):
    net = Network.from_sizes([2, 2, 1], activations=["linear", "linear"], seed=0)
    net.set_weight(1, 0, 0, 1e300)
    net.set_weight(1, 1, 0, 1.23456789e-7)
    net.set_bias(1, 0, 5e-324)
    path = tmp_path / "extreme.json"
    net.save(path)
    assert window.controller.open(str(path))
    window.activateWindow()


def test_enter_in_a_weight_box_keeps_a_files_huge_and_tiny_weights(window, qtbot, tmp_path):
    open_extreme_network(window, tmp_path)
    ctrl = window.controller
    qtbot.waitUntil(window.isActiveWindow)
    window.network_view.neuronClicked.emit(1, 0)
    inspector = window.inspector
    boxes = [inspector.weight_box(0), inspector.weight_box(1), inspector.bias_box()]
    assert [box.text() for box in boxes] == ["1e300", "1.23457e-7", "5e-324"]
    for box in boxes:
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Return)
        qtbot.keyClick(box, Qt.Key.Key_Tab)
    layer = ctrl.network.layers[0]
    assert list(layer.weights[:, 0]) == [1e300, 1.23456789e-7]
    assert layer.biases[0] == 5e-324
    assert ctrl.undo_stack.count() == 0


def test_an_arrow_step_in_the_window_is_one_undoable_edit(window, qtbot, tmp_path):
    open_extreme_network(window, tmp_path)
    ctrl = window.controller
    qtbot.waitUntil(window.isActiveWindow)
    window.network_view.neuronClicked.emit(1, 0)
    box = window.inspector.weight_box(1)
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Up)
    assert ctrl.network.layers[0].weights[1, 0] == 1.23456789e-7 + 0.1  # applied at once, no Enter
    assert ctrl.undo_stack.count() == 1
    window.actions["undo"].trigger()
    assert ctrl.network.layers[0].weights[1, 0] == 1.23456789e-7  # exactly back
    assert window.inspector.weight_box(1).value() == 1.23456789e-7


def test_hovering_shows_the_values_in_a_tooltip_as_the_hint_says(window, qtbot):
    window.network_view.neuronHovered.emit(1, 0)
    qtbot.waitUntil(QToolTip.isVisible)
    assert "z (pre-activation)" in QToolTip.text() and "a (activation)" in QToolTip.text()
    window.network_view.edgeHovered.emit(1, 0, 0)
    qtbot.waitUntil(lambda: "weight:" in QToolTip.text())
    assert not window.inspector.editing()


def test_clicking_a_neuron_does_not_widen_the_right_column(window):
    """The inspector's long facts ("Choose a data set first (…)") wrap: the right column and the network view keep
    their widths when a neuron is clicked and the inspector comes to the front (it took 170 px from the view)."""
    window.resize(1400, 900)
    QApplication.processEvents()
    before = (window.layers_dock.width(), window.network_view.width())
    window.network_view.neuronClicked.emit(1, 2)
    QApplication.processEvents()
    assert not window.inspector_dock.visibleRegion().isEmpty()
    facts = dict(window.inspector.facts())
    assert facts["∂L/∂z"].startswith("Choose a data set first")
    assert (window.inspector_dock.width(), window.network_view.width()) == before
