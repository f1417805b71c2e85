"""Inspector: read-only facts, weight/bias editors that emit only when a value really changed."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication

from neuroviz.views.inspector import Inspector


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


def test_edit_neuron_shows_one_box_per_weight_and_the_bias(inspector):
    inspector.edit_neuron(2, 1, ["h1", "h2", "h3"], np.array([0.5, -1.25, 2.0]), 0.1)
    assert inspector.weight_count() == 3
    assert [inspector.weight_box(i).value() for i in range(3)] == [0.5, -1.25, 2.0]
    assert inspector.bias_box().value() == pytest.approx(0.1)
    box = inspector.weight_box(0)
    assert box.decimals() == 4 and box.minimum() == -1e6 and box.maximum() == 1e6
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
    assert inspector.weight_box(255).value() == pytest.approx(round(weights[255], 4))


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
