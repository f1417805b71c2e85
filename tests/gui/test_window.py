"""The live window driven as a person would: inputs, activation combo boxes, parameters, layers, undo, files."""

from __future__ import annotations

import json

import numpy as np
import pytest
from driving import choose, shown_matches_forward
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from neuroviz.app import display_problem
from neuroviz.model import Network, activations, picture
from neuroviz.model.files import example_path


def test_window_opens_on_the_default_example(window):
    ctrl = window.controller
    assert window.windowTitle().endswith("— neuroviz")
    assert not window.isWindowModified()
    assert window.network_view.graphics_item_count() > 0
    assert window.input_panel.count() == ctrl.network.n_inputs
    assert len(ctrl.network.layers) >= 2
    shown_matches_forward(window)


def test_moving_a_slider_propagates_to_every_layer(window, qtbot):
    ctrl = window.controller
    before = [a.copy() for a in ctrl.propagation.activations]
    colours_before = window.network_view.neuron_colors(1)
    spin = window.input_panel.spin_box(0)
    spin.setValue(spin.maximum())
    ctrl.flush()
    assert ctrl.network.input_values[0] == spin.maximum()
    assert not np.array_equal(before[1], ctrl.propagation.activations[1])
    assert window.network_view.neuron_colors(1) != colours_before
    shown_matches_forward(window)
    # inputs are not undo steps, but they are saved in the file: moving one away from it marks the window modified
    assert not ctrl.undo_stack.canUndo()
    assert window.isWindowModified()
    spin.setValue(float(Network.load(example_path("default")).input_values[0]))  # back to what the file holds
    assert not window.isWindowModified()


def test_slider_drags_coalesce_to_one_redraw_with_the_last_value(window, qtbot, monkeypatch):
    ctrl = window.controller
    ctrl.flush()
    calls = []
    original = window.network_view.set_values
    monkeypatch.setattr(window.network_view, "set_values", lambda *a: (calls.append(a), original(*a)))
    slider = window.input_panel.slider(0)
    for position in range(slider.minimum(), slider.maximum(), (slider.maximum() - slider.minimum()) // 20):
        slider.setValue(position)
    slider.setValue(slider.maximum())
    qtbot.waitUntil(lambda: len(calls) >= 1)
    assert len(calls) == 1
    assert ctrl.network.input_values[0] == pytest.approx(ctrl.network.input_ranges[0][1])
    shown_matches_forward(window)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "elu", "selu", "softplus", "gelu", "softmax", "leaky_relu"])
def test_choosing_an_activation_repropagates_and_is_undoable(window, name):
    ctrl = window.controller
    k = 1
    old = ctrl.network.layers[k - 1].activation
    assert old != name
    choose(window, k, name)
    ctrl.flush()
    assert ctrl.network.layers[k - 1].activation == name
    assert window.isWindowModified()
    shown_matches_forward(window)
    z = ctrl.propagation.pre_activations[k]
    expected = activations.get(name)(z, **ctrl.network.layers[k - 1].params)
    np.testing.assert_allclose(ctrl.propagation.activations[k], expected)
    # the plot shows this layer's function and its neurons on it
    x, f = window.activation_plot.curve_data()
    if activations.get(name).elementwise:
        np.testing.assert_allclose(f, activations.get(name)(x), rtol=1e-12, atol=1e-12)
        zs, _a = window.activation_plot.point_data()
        np.testing.assert_allclose(zs, z)
    window.actions["undo"].trigger()
    assert ctrl.network.layers[k - 1].activation == old
    assert not window.isWindowModified()
    window.actions["redo"].trigger()
    assert ctrl.network.layers[k - 1].activation == name


def test_relu_parameters_are_edited_live(window):
    ctrl = window.controller
    k = 1
    choose(window, k, "relu")
    editor = window.layer_panel.param_editor(k, "negative_slope")
    editor.setValue(0.5)
    ctrl.flush()
    assert ctrl.network.layers[k - 1].params["negative_slope"] == 0.5
    z = ctrl.propagation.pre_activations[k]
    np.testing.assert_allclose(ctrl.propagation.activations[k], np.where(z > 0, z, 0.5 * z))
    x, f = window.activation_plot.curve_data()
    np.testing.assert_allclose(f, np.where(x > 0, x, 0.5 * x))
    assert "negative_slope=0.5" in picture.layer_header(ctrl.network, k)


def test_elu_shows_alpha_editor_with_keras_default(window):
    k = 1
    choose(window, k, "elu")
    editor = window.layer_panel.param_editor(k, "alpha")
    assert editor.value() == pytest.approx(1.0)


def test_softmax_output_is_shown_as_probabilities_with_argmax(window):
    ctrl = window.controller
    k = len(ctrl.network.layers)
    choose(window, k, "softmax")
    window.input_panel.spin_box(0).setValue(2.0)
    ctrl.flush()
    heights = window.outputs_chart.bar_heights()
    assert heights.sum() == pytest.approx(1.0)
    assert window.outputs_chart.highlighted_index() == int(np.argmax(heights))


def test_insert_resize_remove_layers_with_undo(window):
    ctrl = window.controller
    sizes = list(ctrl.network.sizes)
    window.actions["insert_layer"].trigger()
    assert len(ctrl.network.layers) == len(sizes)  # one more dense layer than before
    assert ctrl.network.sizes[-2] == 4
    shown_matches_forward(window)
    box = window.layer_panel.size_box(1)
    box.setValue(7)
    box.editingFinished.emit()
    assert ctrl.network.sizes[1] == 7
    shown_matches_forward(window)
    window.layer_panel.removeLayerRequested.emit(len(ctrl.network.layers) - 1)
    assert len(ctrl.network.layers) == len(sizes) - 1
    for _ in range(3):
        window.actions["undo"].trigger()
    assert ctrl.network.sizes == sizes
    assert not window.isWindowModified()
    shown_matches_forward(window)


def test_clicking_a_neuron_edits_its_weights(window):
    ctrl = window.controller
    window.network_view.neuronClicked.emit(1, 0)
    assert ctrl.selected_neuron == (1, 0)
    assert ctrl.selected_layer == 1
    window.inspector.weightEdited.emit(1, 0, 0, 2.5)
    assert ctrl.network.layers[0].weights[0, 0] == 2.5
    window.inspector.weightEdited.emit(1, 0, 0, 3.5)  # same weight again: one undo step
    window.inspector.biasEdited.emit(1, 0, -1.25)
    assert ctrl.network.layers[0].biases[0] == -1.25
    shown_matches_forward(window)
    window.actions["undo"].trigger()
    window.actions["undo"].trigger()
    assert not window.isWindowModified()


def test_invalid_parameter_is_refused_and_network_unchanged(window):
    ctrl = window.controller
    before = ctrl.network.copy()
    window.layer_panel.paramChanged.emit(1, "no_such_parameter", 1.0)
    assert "no_such_parameter" in ctrl.last_error
    assert ctrl.network.layers[0].params == before.layers[0].params
    assert not window.isWindowModified()


def test_dead_and_saturated_neurons_are_marked(window):
    ctrl = window.controller
    k = 1
    choose(window, k, "sigmoid")
    for i in range(ctrl.network.n_inputs):
        window.input_panel.spin_box(i).setValue(window.input_panel.spin_box(i).maximum())
    ctrl.network.set_weight(k, 0, 0, 100.0)
    ctrl.document.mark_values_changed(1)  # a live change in place, as a training step makes
    ctrl.flush()
    z = ctrl.propagation.pre_activations[k]
    expected = picture.neuron_status(ctrl.propagation.activations[k], ctrl.propagation.derivatives[k])
    np.testing.assert_array_equal(window.network_view.status_marks(k), expected)
    assert (expected == picture.SATURATED).sum() == int((np.abs(z) > 7).sum())


def test_save_and_reopen_round_trip(window, tmp_path):
    ctrl = window.controller
    choose(window, 1, "elu")
    window.inspector.weightEdited.emit(1, 0, 0, 0.123456789012345)
    window.input_panel.spin_box(0).setValue(1.5)
    ctrl.flush()
    path = tmp_path / "mine.json"
    ctrl.choose_save_path = lambda: str(path)
    assert ctrl.save()
    assert not window.isWindowModified()
    assert window.windowTitle().startswith("mine.json")
    saved = ctrl.network.copy()
    window.actions["new"].trigger()
    assert ctrl.open(str(path))
    assert ctrl.network.layers[0].activation == "elu"
    assert ctrl.network.layers[0].weights[0, 0] == 0.123456789012345
    assert ctrl.network.input_values[0] == 1.5
    for a, b in zip(ctrl.network.layers, saved.layers, strict=True):
        np.testing.assert_array_equal(a.weights, b.weights)
    assert window.input_panel.spin_box(0).value() == 1.5


def test_opening_a_malformed_file_keeps_the_network(window, tmp_path):
    ctrl = window.controller
    before = ctrl.network.copy()
    bad = tmp_path / "bad.json"
    data = json.loads(json.dumps({"format": "neuroviz-network", "version": 1, "layers": "nope"}))
    bad.write_text(json.dumps(data))
    assert not ctrl.open(str(bad))
    assert "bad.json" in ctrl.last_error or "layers" in ctrl.last_error
    assert ctrl.network.sizes == before.sizes
    np.testing.assert_array_equal(ctrl.network.layers[0].weights, before.layers[0].weights)


def test_unsaved_changes_are_asked_about_before_new(window):
    ctrl = window.controller
    window.inspector.biasEdited.emit(1, 0, 4.0)
    asked = []
    ctrl.ask_unsaved = lambda: asked.append(1) or "cancel"
    window.actions["new"].trigger()
    assert asked == [1]
    assert ctrl.network.layers[0].biases[0] == 4.0


def test_dark_theme_toggle(window):
    window.actions["dark"].setChecked(True)
    assert QApplication.palette().color(QPalette.Window).lightness() < 100
    window.actions["dark"].setChecked(False)
    assert QApplication.palette().color(QPalette.Window).lightness() > 150


def test_edge_mode_signal_scales_weights_by_source_activation(window, monkeypatch):
    ctrl = window.controller
    seen = []
    original = window.network_view.set_values
    monkeypatch.setattr(window.network_view, "set_values", lambda *a: (seen.append(a), original(*a)))
    window.actions["edges_signal"].setChecked(True)
    edges = seen[-1][1]
    expected = ctrl.network.layers[0].weights * ctrl.propagation.activations[0][:, None]
    np.testing.assert_array_equal(edges[0], expected)


def test_window_layout_is_restored(qtbot, settings):
    from neuroviz.app import build_window

    first = build_window(settings=settings)
    qtbot.addWidget(first)
    first.resize(first.width(), 560)  # offscreen screens are 800 px wide: vary the height
    first.outputs_dock.hide()
    first.accept_close()
    second = build_window(settings=settings)
    qtbot.addWidget(second)
    assert second.height() == 560
    assert not second.outputs_dock.isVisible()
    assert second.plot_dock.isVisible()
    second.accept_close()


def test_status_bar_reports_update_time(window):
    window.input_panel.spin_box(0).setValue(1.0)
    window.controller.flush()
    assert window.update_time_label.text().startswith("updated in ")
    assert window.update_time_label.text().endswith(" ms")


def test_the_update_time_asks_no_layout_of_the_window(window, qtbot):
    """Its text changes on every frame while training; a label that re-laid the status bar and the main window each
    time repainted the whole window twice a frame. Its text stays whole."""
    from PySide6.QtCore import QEvent, QObject

    class LayoutRequests(QObject):
        count = 0

        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.LayoutRequest:
                self.count += 1
            return False

    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    requests = LayoutRequests()
    window.installEventFilter(requests)
    window.statusBar().installEventFilter(requests)
    for milliseconds in (3.2, 17.25, 1234.5, 0.4):
        window.show_update_time(milliseconds)
        QApplication.processEvents()
    label = window.update_time_label
    assert requests.count == 0
    assert label.text() == "updated in 0.4 ms"
    window.show_update_time(12345.6)
    assert label.contentsRect().width() >= label.fontMetrics().horizontalAdvance(label.text())


def test_activation_guide_opens_on_the_selected_layers_activation(window):
    window.actions["guide"].trigger()
    guide = window.controller.view_options.guide
    assert guide.isVisible()


def test_display_problem_explains_what_to_do():
    message = display_problem({"QT_QPA_PLATFORM": ""})
    assert message is None or "DISPLAY" in message
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}) is None


def test_build_window_refuses_a_bad_file(qtbot, tmp_path, settings):
    from neuroviz.app import build_window
    from neuroviz.model import NetworkFileError

    bad = tmp_path / "broken.json"
    bad.write_text("{not json")
    with pytest.raises(NetworkFileError):
        build_window(bad, settings=settings)


def test_every_network_equals_forward_for_several_activations(window):
    ctrl = window.controller
    net = Network.from_sizes([2, 3, 3, 2], activations=["tanh", "selu", "sigmoid"], seed=3)
    ctrl.set_network(net, None)
    window.input_panel.spin_box(1).setValue(-2.0)
    shown_matches_forward(window)


def test_reinitialize_weights_is_seeded_and_undoable(window, qtbot):
    from neuroviz.views.reinit_dialog import ReinitializeDialog

    dialog = ReinitializeDialog(len(window.controller.network.layers), window)
    qtbot.addWidget(dialog)
    dialog.layer_box.setCurrentIndex(dialog.layer_box.findData(2))
    dialog.initializer_box.setCurrentText("he_normal")
    dialog.seed_box.setValue(5)
    assert dialog.choice() == (2, "he_normal", 5)
    ctrl = window.controller
    before = ctrl.network.copy()
    expected = ctrl.network.copy()
    expected.reinitialize(2, kernel_initializer="he_normal", seed=5)
    assert ctrl.reinitialize(*dialog.choice())
    np.testing.assert_array_equal(ctrl.network.layers[1].weights, expected.layers[1].weights)
    np.testing.assert_array_equal(ctrl.network.layers[0].weights, before.layers[0].weights)
    shown_matches_forward(window)
    window.actions["undo"].trigger()
    np.testing.assert_array_equal(ctrl.network.layers[1].weights, before.layers[1].weights)
