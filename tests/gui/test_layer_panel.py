"""LayerPanel driven as a user would: activation combo, parameter editors, sizes, insert/remove, selection.

Model → widget updates never emit."""

import numpy as np
import pytest
from driving import enter
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QCheckBox, QComboBox, QDoubleSpinBox, QSpinBox

from neuroviz.model import activations
from neuroviz.views.layer_panel import MAX_UNITS, ActivationCombo, LayerInfo, LayerPanel, readable_name
from neuroviz.views.number_box import FLOAT_MAX, NumberBox


def relu_params(**changes):
    return activations.get("relu").validate(**changes)


def three_layers():
    return [
        LayerInfo("hidden 1", 6, "relu", relu_params(), removable=True),
        LayerInfo("hidden 2", 5, "tanh", {}, removable=True),
        LayerInfo("output", 3, "softmax", {"axis": -1}, removable=False),
    ]


@pytest.fixture
def panel(qtbot):
    widget = LayerPanel()
    qtbot.addWidget(widget)
    widget.set_layers(three_layers())
    widget.resize(340, 640)
    widget.show()
    return widget


class Recorder:
    """Every signal the panel emits, in order."""

    def __init__(self, panel):
        self.calls = []
        for name in (
            "activationChanged",
            "paramChanged",
            "sizeChanged",
            "insertLayerRequested",
            "removeLayerRequested",
            "layerSelected",
        ):
            getattr(panel, name).connect(lambda *args, name=name: self.calls.append((name, *args)))

    def named(self, name):
        return [c[1:] for c in self.calls if c[0] == name]


def test_combo_lists_every_primary_activation_with_unselectable_family_headers(qtbot):
    combo = ActivationCombo()
    qtbot.addWidget(combo)
    assert combo.activation_names() == activations.primary_names()
    model = combo.model()
    headers = combo.header_rows()
    families = [model.index(row, 0).data() for row in headers]
    built_in = [f for f in activations.FAMILIES if any(a.family == f for a in activations.catalog())]
    assert families == [*built_in, "Custom"]  # the last group holds the "Custom…" entry
    assert model.index(combo.custom_choice_row(), 0).data() == "Custom…"
    for row in headers:
        item = model.item(row)
        assert not item.isSelectable() and not item.isEnabled()
        assert QFont(item.font()).bold()
    # each entry's tooltip has the formula and the guide text
    elu_row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "elu")
    tip = model.item(elu_row).toolTip()
    assert activations.get("elu").guide.split()[0] in tip
    assert "α" in tip  # from elu's formula
    # headers come first in each family and every activation follows its own family header
    current_family = None
    for row in range(headers[-1]):
        name = model.index(row, 0).data()
        if row in headers:
            current_family = name
        else:
            assert activations.get(name).family == current_family


def test_keyboard_skips_family_headers(qtbot):
    combo = ActivationCombo()
    qtbot.addWidget(combo)
    combo.set_activation("threshold")  # last of the ReLU family
    combo.show()
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.activation() == "sigmoid"  # not the "Sigmoid and tanh" header


def test_groups_show_the_layers(panel):
    assert panel.count() == 3
    assert [panel.title(k) for k in (1, 2, 3)] == ["hidden 1", "hidden 2", "output"]
    assert [panel.size_box(k).value() for k in (1, 2, 3)] == [6, 5, 3]
    assert [panel.combo(k).activation() for k in (1, 2, 3)] == ["relu", "tanh", "softmax"]
    assert panel.remove_button(1).isEnabled() and panel.remove_button(2).isEnabled()
    assert not panel.remove_button(3).isEnabled()
    assert "cannot be removed" in panel.remove_button(3).toolTip()
    assert panel.size_box(1).maximum() == MAX_UNITS and panel.size_box(1).minimum() == 1
    assert panel.formula_text(2) == "f(x) = " + activations.get("tanh").formula


def test_relu_shows_negative_slope_max_value_and_threshold(panel):
    assert panel.param_names(1) == ["negative_slope", "max_value", "threshold"]
    assert panel.param_label(1, "negative_slope") == "negative slope"
    assert panel.param_label(1, "max_value") == "max value"
    slope = panel.param_editor(1, "negative_slope")
    assert isinstance(slope, QDoubleSpinBox)
    assert isinstance(slope, NumberBox)
    # the model's bounds: a minimum of 0, no maximum (any finite number)
    assert slope.value() == 0.0 and slope.minimum() == 0.0 and slope.maximum() == FLOAT_MAX
    limit = panel.param_limit_box(1, "max_value")
    assert not limit.isChecked()
    assert not panel.param_editor(1, "max_value").isEnabled()
    threshold = panel.param_editor(1, "threshold")
    assert threshold.minimum() == -FLOAT_MAX and threshold.maximum() == FLOAT_MAX
    doc = activations.get("relu").params["negative_slope"].doc
    assert doc in slope.toolTip() and "0 … ∞" in slope.toolTip()


def test_layer_wide_axis_parameter_has_no_editor(panel):
    assert panel.param_names(3) == []  # softmax's axis is ui=False
    with pytest.raises(ValueError, match="no editor for 'axis'"):
        panel.param_editor(3, "axis")


def test_choosing_elu_shows_alpha_editor_and_emits(panel):
    recorder = Recorder(panel)
    panel.combo(2).setCurrentText("elu")
    assert recorder.named("activationChanged") == [(2, "elu")]
    alpha = panel.param_editor(2, "alpha")
    assert isinstance(alpha, QDoubleSpinBox)
    assert alpha.value() == 1.0
    assert panel.param_names(2) == ["alpha"]
    assert panel.formula_text(2) == "f(x) = " + activations.get("elu").formula
    assert recorder.named("paramChanged") == []


def test_editing_a_parameter_emits_param_changed(panel, qtbot):
    recorder = Recorder(panel)
    slope = panel.param_editor(1, "negative_slope")
    slope.setFocus()
    slope.selectAll()
    qtbot.keyClicks(slope, "0.25")
    assert recorder.named("paramChanged") == []  # nothing while typing
    qtbot.keyClick(slope, Qt.Key.Key_Return)
    assert recorder.named("paramChanged") == [(1, "negative_slope", 0.25)]


def test_optional_limit_emits_value_or_none(panel):
    recorder = Recorder(panel)
    limit = panel.param_limit_box(1, "max_value")
    limit.setChecked(True)
    editor = panel.param_editor(1, "max_value")
    assert editor.isEnabled()
    assert recorder.named("paramChanged") == [(1, "max_value", 6.0)]
    editor.setValue(3.0)
    assert recorder.named("paramChanged")[-1] == (1, "max_value", 3.0)
    limit.setChecked(False)
    assert recorder.named("paramChanged")[-1] == (1, "max_value", None)
    assert not editor.isEnabled()


def test_bool_parameter_is_a_check_box(panel):
    recorder = Recorder(panel)
    panel.combo(1).setCurrentText("gelu")
    box = panel.param_editor(1, "approximate")
    assert isinstance(box, QCheckBox) and not box.isChecked()
    box.setChecked(True)
    assert recorder.named("paramChanged") == [(1, "approximate", True)]
    # a check box has no range to tell: its tooltip is the parameter's meaning alone
    doc = activations.get("gelu").params["approximate"].doc
    assert box.toolTip() == doc
    assert "range" not in box.toolTip() and "∞" not in box.toolTip()


def test_per_neuron_parameter_edits_all_neurons(panel):
    recorder = Recorder(panel)
    panel.update_layer(1, LayerInfo("hidden 1", 3, "prelu", {"alpha": np.array([0.1, 0.2, 0.3])}))
    editor = panel.param_editor(1, "alpha")
    assert panel.param_label(1, "alpha") == "alpha (all neurons)"
    assert editor.value() == pytest.approx(0.2) and editor.prefix() == "mean "
    editor.setValue(0.5)
    assert recorder.named("paramChanged") == [(1, "alpha", 0.5)]
    assert editor.prefix() == ""
    panel.update_layer(1, LayerInfo("hidden 1", 3, "prelu", {"alpha": 0.5}))
    assert editor.value() == 0.5 and editor.prefix() == ""


def test_update_layer_does_not_emit_and_keeps_editors_when_activation_is_same(panel):
    recorder = Recorder(panel)
    slope_before = panel.param_editor(1, "negative_slope")
    panel.update_layer(1, LayerInfo("hidden 1", 9, "relu", relu_params(negative_slope=0.3, max_value=4.0)))
    assert recorder.calls == []
    assert panel.param_editor(1, "negative_slope") is slope_before
    assert slope_before.value() == pytest.approx(0.3)
    assert panel.param_limit_box(1, "max_value").isChecked()
    assert panel.param_editor(1, "max_value").value() == 4.0
    assert panel.size_box(1).value() == 9
    # a different activation rebuilds the editors, still silently
    panel.update_layer(1, LayerInfo("hidden 1", 9, "celu", {"alpha": 2.0}))
    assert recorder.calls == []
    assert panel.combo(1).activation() == "celu"
    assert panel.param_names(1) == ["alpha"]
    assert panel.param_editor(1, "alpha").value() == 2.0


def test_alias_shows_its_activation(panel):
    panel.update_layer(2, LayerInfo("hidden 2", 5, "swish", {}))
    assert panel.combo(2).activation() == "silu"


def test_unknown_activation_gets_its_own_entry_with_generic_editors(panel):
    panel.update_layer(2, LayerInfo("hidden 2", 5, "custom", {"beta": 1.5}))
    assert panel.combo(2).activation() == "custom"
    assert panel.param_editor(2, "beta").value() == 1.5


def test_size_change_emits_once_after_typing(panel, qtbot):
    recorder = Recorder(panel)
    box = panel.size_box(1)
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "128")
    assert recorder.named("sizeChanged") == []
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert recorder.named("sizeChanged") == [(1, 128)]
    qtbot.keyClick(box, Qt.Key.Key_Up)
    assert recorder.named("sizeChanged")[-1] == (1, 129)


def test_glu_layer_may_hold_twice_the_units(panel):
    panel.combo(2).setCurrentText("glu")
    assert panel.size_box(2).maximum() == 2 * MAX_UNITS
    panel.update_layer(2, LayerInfo("hidden 2", 10, "tanh", {}))
    assert panel.size_box(2).maximum() == MAX_UNITS


def test_insert_and_remove_buttons_emit_positions(panel):
    recorder = Recorder(panel)
    panel.insert_button(1).click()
    panel.insert_button(3).click()
    panel.remove_button(2).click()
    assert recorder.named("insertLayerRequested") == [(1,), (3,)]
    assert recorder.named("removeLayerRequested") == [(2,)]
    assert "before “output”" in panel.insert_button(3).toolTip()


def test_clicking_a_group_or_focusing_its_combo_selects_it(panel, qtbot):
    recorder = Recorder(panel)
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    qtbot.mouseClick(panel.card(2), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert recorder.named("layerSelected") == [(2,)]
    assert panel.selected() == 2
    assert panel.card(2).property("selected") is True
    assert panel.card(1).property("selected") is False
    panel.combo(3).setFocus(Qt.FocusReason.MouseFocusReason)
    assert recorder.named("layerSelected") == [(2,), (3,)]
    panel.insert_button(3).setFocus(Qt.FocusReason.TabFocusReason)  # already selected: no second signal
    assert recorder.named("layerSelected") == [(2,), (3,)]
    qtbot.keyClick(panel.insert_button(3), Qt.Key.Key_Backtab)  # Shift+Tab back to layer 2's combo
    assert recorder.named("layerSelected") == [(2,), (3,), (2,)]


def test_focus_the_user_did_not_ask_for_does_not_select(panel, qtbot):
    recorder = Recorder(panel)
    panel.set_selected(3)
    panel.combo(1).setFocus(Qt.FocusReason.ActiveWindowFocusReason)  # e.g. the window was (re)activated
    panel.size_box(2).setFocus(Qt.FocusReason.OtherFocusReason)  # e.g. the program moved focus
    assert recorder.calls == []
    assert panel.selected() == 3


def test_set_selected_highlights_without_emitting(panel):
    recorder = Recorder(panel)
    panel.set_selected(1)
    assert panel.selected() == 1 and panel.card(1).property("selected") is True
    panel.set_selected(None)
    assert panel.card(1).property("selected") is False
    assert recorder.calls == []
    with pytest.raises(ValueError, match="out of range"):
        panel.set_selected(7)


def test_selected_card_border_is_drawn_in_highlight_colour(panel):
    panel.set_selected(2)
    card = panel.card(2)
    image = card.grab().toImage()
    highlight = card.palette().color(card.palette().ColorRole.Highlight)
    edge = image.pixelColor(image.width() // 2, 0)
    assert abs(edge.red() - highlight.red()) + abs(edge.blue() - highlight.blue()) < 40


def test_set_layers_rebuilds(panel):
    panel.set_layers([LayerInfo("output", 2, "sigmoid", {}, removable=False)])
    assert panel.count() == 1
    assert panel.combo(1).activation() == "sigmoid"
    with pytest.raises(ValueError, match=r"layers 1\.\.1"):
        panel.combo(2)


def test_wheel_over_unfocused_spin_box_does_not_change_it(panel, qtbot):
    box = panel.size_box(1)
    assert box.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert not box.hasFocus()
    recorder = Recorder(panel)
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent

    event = QWheelEvent(
        QPointF(5, 5),
        QPointF(box.mapToGlobal(QPoint(5, 5))),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(box, event)
    assert box.value() == 6
    assert recorder.named("sizeChanged") == []


def test_every_control_has_a_tooltip_and_is_reachable_with_tab(panel, qtbot):
    panel.combo(1).setCurrentText("relu")
    controls = []
    for k in (1, 2, 3):
        controls += [panel.insert_button(k)]
        if panel.remove_button(k).isEnabled():
            controls += [panel.remove_button(k)]
        controls += [panel.size_box(k), panel.combo(k)]
        for name in panel.param_names(k):
            if name == "max_value":
                controls.append(panel.param_limit_box(k, name))
                continue  # the spin box is disabled until "limit" is ticked
            controls.append(panel.param_editor(k, name))
    for control in controls:
        assert control.toolTip(), control
    visited = tab_through(panel, qtbot, controls[0], len(controls) - 1)
    assert visited == controls


def test_readable_name():
    assert readable_name("negative_slope") == "negative slope"
    assert readable_name("b") == "b"


def tab_through(window, qtbot, first, presses):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    first.setFocus(Qt.FocusReason.TabFocusReason)
    visited = [_owner(QApplication.focusWidget())]
    for _ in range(presses):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(_owner(QApplication.focusWidget()))
    return visited


def _owner(widget):
    parent = widget.parentWidget()
    return parent if isinstance(parent, QAbstractSpinBox | QComboBox) else widget


def test_screenshot(panel):
    panel.update_layer(1, LayerInfo("hidden 1", 6, "relu", relu_params(negative_slope=0.1, max_value=6.0)))
    panel.set_selected(1)
    assert panel.grab().save("/tmp/panel_layers.png")
    assert isinstance(panel.size_box(1), QSpinBox)


def test_rebuilding_from_inside_an_edit_signal_is_safe(panel, qtbot):
    """The controller answers a resize by rebuilding the cards: the sending spin box survives its signal."""

    def rebuild(k, units):
        layers = three_layers()
        layers[k - 1].units = units
        panel.set_layers(layers)

    panel.sizeChanged.connect(rebuild)
    box = panel.size_box(1)
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "12")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.wait(10)  # let the old cards' deleteLater run
    assert panel.size_box(1).value() == 12
    assert panel.count() == 3


# -- numbers of any size, kept exactly ------------------------------------------------------------------------------


def test_formula_parameters_from_a_file_are_shown_and_kept_exactly(panel, qtbot):
    params = {"b": 1e300, "c": 1.23456789e-7, "d": -1e300}
    panel.update_layer(2, LayerInfo("hidden 2", 5, "custom", dict(params), formula="x * b + c - d"))
    recorder = Recorder(panel)
    boxes = [panel.param_editor(2, name) for name in params]
    assert [box.text() for box in boxes] == ["1e300", "1.23457e-7", "-1e300"]  # not clamped to ±1e6
    for box in boxes:
        enter(qtbot, box)
        enter(qtbot, box, key=Qt.Key.Key_Tab)
    assert recorder.named("paramChanged") == []
    assert [box.value() for box in boxes] == list(params.values())


def test_typed_scientific_parameters_are_emitted_exactly(panel, qtbot):
    recorder = Recorder(panel)
    enter(qtbot, panel.param_editor(1, "negative_slope"), "2.5e-3")
    enter(qtbot, panel.param_editor(1, "threshold"), "-1E300")
    panel.update_layer(2, LayerInfo("hidden 2", 5, "custom", {"b": 1.0}, formula="x * b"))
    enter(qtbot, panel.param_editor(2, "b"), "1.5e+200")
    assert recorder.named("paramChanged") == [
        (1, "negative_slope", 0.0025),
        (1, "threshold", -1e300),
        (2, "b", 1.5e200),
    ]


def test_a_typed_parameter_below_its_minimum_is_clamped_on_enter(panel, qtbot):
    recorder = Recorder(panel)
    slope = panel.param_editor(1, "negative_slope")
    enter(qtbot, slope, "0.5")
    enter(qtbot, slope, "-3")  # the slope has a minimum of 0
    assert recorder.named("paramChanged") == [(1, "negative_slope", 0.5), (1, "negative_slope", 0.0)]
    assert slope.text() == "0"


def test_enter_on_a_mean_of_per_neuron_values_keeps_them(panel, qtbot):
    recorder = Recorder(panel)
    panel.update_layer(1, LayerInfo("hidden 1", 3, "prelu", {"alpha": np.array([0.1, 0.2, 1e-7])}))
    editor = panel.param_editor(1, "alpha")
    assert editor.text().startswith("mean ")
    enter(qtbot, editor)
    enter(qtbot, editor, key=Qt.Key.Key_Tab)
    assert recorder.named("paramChanged") == []  # the three values are not replaced by their mean
