"""The window's parts as scripts and people reach them: stable object names, quick neuron-count clicks as one undo
step (issue 10 item 11), a slider at its end giving exactly the range's end."""

import numpy as np
import pytest
from PySide6.QtWidgets import QDockWidget, QWidget

from tests.gui.test_commands import Clock

WIDGET_NAMES = ("networkView", "inputPanel", "layerPanel", "activationPlot", "outputsChart", "inspector")
DOCK_NAMES = ("InputsDock", "LayersDock", "InspectorDock", "ActivationfunctionDock", "OutputsDock")


@pytest.mark.parametrize("name", WIDGET_NAMES)
def test_each_main_widget_is_found_by_its_object_name(window, name):
    widget = window.findChild(QWidget, name)
    assert widget is not None and widget.isVisible()


def test_each_dock_is_found_by_its_object_name_and_holds_its_widget(window):
    for dock_name, widget in zip(
        DOCK_NAMES,
        (window.input_panel, window.layer_panel, window.inspector, window.activation_plot, window.outputs_chart),
        strict=True,
    ):
        dock = window.findChild(QDockWidget, dock_name)
        assert dock is not None and (dock.widget() is widget or dock.widget().isAncestorOf(widget))


def test_each_dock_group_shows_one_tab_bar_and_no_stale_copy_is_drawn(window):
    """Qt leaves a copy of a tab group's bar where the group first was (it showed over the Outputs title in
    screenshots and window exports); only the bar right below each group stays visible."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QTabBar

    QApplication.processEvents()
    bars = [
        tuple(bar.tabText(i) for i in range(bar.count()))
        for bar in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly)
        if bar.isVisible()
    ]
    assert sorted(bars) == [
        ("Activation function", "Training Charts"),
        ("Layers", "Inspector"),
        ("Map", "Output Map"),
    ]
    title = window.outputs_dock.geometry().topLeft()
    for dx in range(10, window.outputs_dock.width() - 40, 20):  # what is drawn along the Outputs title
        widget = window.childAt(title.x() + dx, title.y() + 8)
        assert not isinstance(widget, QTabBar), f"a stale tab bar at x+{dx} of the Outputs title"


def test_quick_arrow_clicks_on_the_neurons_box_are_one_undo_step(window):
    ctrl, clock = window.controller, Clock()
    ctrl.clock = clock
    units = ctrl.network.layers[0].units
    for _ in range(3):
        window.layer_panel.size_box(1).stepUp()  # the box is rebuilt after each resize: fetched anew
        clock.now += 0.2
    assert ctrl.network.layers[0].units == units + 3
    assert ctrl.undo_stack.count() == 1
    window.actions["undo"].trigger()
    assert ctrl.network.layers[0].units == units
    assert not window.isWindowModified()


def test_neurons_box_stepped_up_and_back_down_leaves_nothing_to_undo(window):
    ctrl, clock = window.controller, Clock()
    ctrl.clock = clock
    weights = [layer.weights.copy() for layer in ctrl.network.layers]
    for step in (1, 1, -1, -1):
        box = window.layer_panel.size_box(1)
        box.stepUp() if step > 0 else box.stepDown()
        clock.now += 0.2
    assert ctrl.undo_stack.count() == 0
    assert not window.isWindowModified()
    for before, layer in zip(weights, ctrl.network.layers, strict=True):
        np.testing.assert_array_equal(layer.weights, before)


def test_neurons_typed_apart_in_time_stay_two_undo_steps(window):
    ctrl, clock = window.controller, Clock()
    ctrl.clock = clock
    window.layer_panel.size_box(1).setValue(ctrl.network.layers[0].units + 1)
    clock.now += 5.0
    window.layer_panel.size_box(1).setValue(2)
    assert ctrl.undo_stack.count() == 2


def test_a_slider_at_its_end_gives_exactly_the_ranges_end(window):
    """−1e6 … −8.62: low + span · 1 misses −8.62 by a rounding; the panel and the model must agree."""
    panel, ctrl = window.input_panel, window.controller
    low, high = -1e6, -8.621305103911194
    ctrl.document.set_input_range(0, low, high)
    ctrl.presenters["input_panel"].update()  # as after opening a file with this range
    panel.slider(0).setValue(panel.slider(0).maximum())
    window.controller.flush()
    assert panel.values()[0] == high
    assert window.controller.network.input_values[0] == high
    panel.slider(0).setValue(panel.slider(0).minimum())
    assert panel.values()[0] == low == window.controller.network.input_values[0]


def test_at_the_default_size_the_inputs_and_training_docks_need_no_scroll_bar(window):
    """The example's three inputs (with their ranges) and the whole Training dock (Adam's β₁ and β₂ on one row)
    fit the left column of a 1400 × 900 window: nothing is hidden below a scroll bar on first launch."""
    from PySide6.QtWidgets import QApplication, QScrollArea

    window.resize(1400, 900)
    QApplication.processEvents()
    for dock in (window.inputs_dock, window.training_dock):
        area = dock.widget() if isinstance(dock.widget(), QScrollArea) else dock.widget().findChild(QScrollArea)
        assert area is not None, dock.objectName()
        assert area.verticalScrollBar().maximum() == 0, (dock.objectName(), area.verticalScrollBar().maximum())
    panel = window.training_panel
    assert panel.settings_form.labelForField(panel.param_boxes["beta_1"].parentWidget()).text() == "β₁, β₂"
