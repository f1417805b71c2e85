"""Views on a tab behind another hold their redraws back while the window is on screen (a training frame then
skips what nobody sees), draw the current values as soon as their tab comes to the front, and are current in an
export taken while they are still behind."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QApplication

from neuroviz.views.export_dialog import ExportChoice


def _plot_points(window) -> np.ndarray:
    return window.activation_plot.point_data()[1].copy()


def _expected_points(window) -> np.ndarray:
    ctrl = window.controller
    return np.asarray(ctrl.propagation.activations[ctrl.selected_layer], dtype=np.float64)


def _behind_the_charts(window) -> None:
    window.charts_dock.raise_()
    QApplication.processEvents()


def test_activation_plot_behind_the_charts_waits_and_draws_when_its_tab_comes_back(window):
    ctrl = window.controller
    presenter = ctrl.presenters["activation_plot"]
    _behind_the_charts(window)
    assert not presenter.on_screen.shown
    before = _plot_points(window)
    ctrl.network.layers[0].biases[:] += 0.75  # as a training step: the weights move in place
    ctrl.document.mark_values_changed(1)
    ctrl.flush()
    assert np.array_equal(_plot_points(window), before)  # nobody sees it: not redrawn
    assert presenter.on_screen.stale
    window.plot_dock.raise_()
    QApplication.processEvents()
    np.testing.assert_array_equal(_plot_points(window), _expected_points(window))
    assert not presenter.on_screen.stale


def test_a_view_on_screen_follows_every_change(window):
    ctrl = window.controller
    window.plot_dock.raise_()
    QApplication.processEvents()
    ctrl.network.layers[0].biases[:] -= 0.5
    ctrl.document.mark_values_changed(1)
    ctrl.flush()
    np.testing.assert_array_equal(_plot_points(window), _expected_points(window))
    np.testing.assert_array_equal(window.outputs_chart.bar_heights(), ctrl.propagation.activations[-1])


def test_export_of_a_view_behind_another_tab_shows_the_current_values(window, tmp_path):
    ctrl = window.controller
    _behind_the_charts(window)
    ctrl.network.layers[0].biases[:] += 0.75
    ctrl.document.mark_values_changed(1)
    ctrl.flush()
    assert ctrl.presenters["activation_plot"].on_screen.stale
    path = tmp_path / "plot.png"
    assert ctrl.files.export(ExportChoice("activation", "png", 1.0, False, 0, 10), str(path))
    assert path.stat().st_size > 0
    np.testing.assert_array_equal(_plot_points(window), _expected_points(window))


def test_inspector_behind_the_layers_catches_up_when_raised(window, qtbot):
    ctrl = window.controller
    ctrl.selection.select_neuron(1, 0)
    window.layers_dock.raise_()
    QApplication.processEvents()
    presenter = ctrl.presenters["inspector"]
    assert not presenter.on_screen.shown
    ctrl.network.layers[0].biases[0] = 1.25
    ctrl.document.mark_values_changed(1)
    ctrl.flush()
    assert presenter.on_screen.stale
    window.inspector_dock.raise_()
    QApplication.processEvents()
    assert not presenter.on_screen.stale
    assert dict(window.inspector.facts())["bias"] == "1.25"


def test_a_window_never_shown_draws_everything_at_once(qtbot, settings):
    from neuroviz.app import build_window

    window = build_window(settings=settings, show=False)
    qtbot.addWidget(window)
    ctrl = window.controller
    ctrl.network.layers[0].biases[:] += 0.75
    ctrl.document.mark_values_changed(1)
    ctrl.flush()
    np.testing.assert_array_equal(_plot_points(window), _expected_points(window))
    window.accept_close()


def test_a_closed_dock_reopened_from_the_view_menu_comes_to_the_front_with_the_current_values(window):
    ctrl = window.controller
    window.plot_dock.toggleViewAction().trigger()  # closed, as with its × button
    QApplication.processEvents()
    assert window.plot_dock.isHidden()
    ctrl.network.layers[0].biases[:] += 0.75
    ctrl.document.mark_values_changed(1)
    ctrl.flush()
    assert ctrl.presenters["activation_plot"].on_screen.stale
    window.plot_dock.toggleViewAction().trigger()  # View ▸ Activation function: back, in front of its tab group
    QApplication.processEvents()
    assert not window.plot_dock.visibleRegion().isEmpty()
    np.testing.assert_array_equal(_plot_points(window), _expected_points(window))


def test_the_map_shortcut_brings_the_map_to_the_front_when_it_is_behind_the_output_map(window, qtbot):
    window.output_map_dock.raise_()
    QApplication.processEvents()
    assert window.map_dock.isVisible() and window.map_dock.visibleRegion().isEmpty()  # open, on the tab behind
    window.map_dock.toggleViewAction().trigger()  # View ▸ Map, Ctrl+Shift+M
    QApplication.processEvents()
    assert not window.map_dock.visibleRegion().isEmpty()
    assert window.map_dock.toggleViewAction().isChecked()
    window.map_dock.toggleViewAction().trigger()  # in front now: the same item closes it
    QApplication.processEvents()
    assert window.map_dock.isHidden()
