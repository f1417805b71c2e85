"""The Map dock: one neuron's map large, in the network view's colours, with the current input as a crosshair;
clicking or dragging it moves the two inputs; its axes are chosen in the dock; hover beats selection."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from driving import shown_matches_forward
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from neuroviz.model import Network
from neuroviz.model.maps import response_maps
from neuroviz.model.picture import nice_limit
from neuroviz.views import colors

TOLERANCE = 8  # per channel: neighbouring grid cells differ a little and the screen is antialiased


def _sample_points(maps, count=12, seed=3):
    """Grid cells away from the crosshair and from the border."""
    rng = np.random.default_rng(seed)
    px, py = maps.point
    picked = []
    while len(picked) < count:
        ix, iy = (int(v) for v in rng.integers(5, len(maps.xs) - 5, size=2))
        if abs(maps.xs[ix] - px) > 0.5 and abs(maps.ys[iy] - py) > 0.5:
            picked.append((ix, iy))
    return picked


def _close(color, rgb) -> bool:
    return max(abs(color.red() - rgb[0]), abs(color.green() - rgb[1]), abs(color.blue() - rgb[2])) <= TOLERANCE


def _click(qtbot, plot, x, y):
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=plot.widget_pos(x, y).toPoint())


def _drag(plot, points):
    """Press at the first point, move through the others with the button held, release at the last."""
    port = plot.viewport()
    where = [QPointF(plot.widget_pos(x, y)) for x, y in points]
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    events = [(QEvent.Type.MouseButtonPress, where[0], left, left)]
    events += [(QEvent.Type.MouseMove, p, none, left) for p in where[1:]]
    events.append((QEvent.Type.MouseButtonRelease, where[-1], left, none))
    for kind, pos, button, buttons in events:
        event = QMouseEvent(kind, pos, port.mapToGlobal(pos), button, buttons, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(port, event)


def test_the_dock_shows_the_selected_layers_first_neuron_as_computed(window):
    ctrl = window.controller
    ctrl.flush()
    assert window.findChild(type(window.map_dock), "mapDock") is window.map_dock
    net = ctrl.network
    expected = response_maps(net, (0, 1), ctrl.map_source.resolution)
    values = expected.layers[1][0]
    limit = nice_limit([values])
    cmap = colors.DivergingColorMap.for_theme(colors.theme(window.map_plot.is_dark()))
    plot = window.map_plot
    assert plot.title_text() == "Layer 1 · neuron 1 (relu)"
    assert plot.bar_range() == (-limit, limit)
    for ix, iy in _sample_points(expected):
        want = cmap.rgb[cmap.indices(np.array([values[iy, ix]]), limit)[0]]
        got = plot.drawn_color(expected.xs[ix], expected.ys[iy])
        assert _close(got, want), (ix, iy, got.getRgb(), want)
        point = net.input_values.copy()
        point[:2] = expected.xs[ix], expected.ys[iy]
        assert net.forward(point).activations[1][0] == values[iy, ix]  # the map is the network's own value
    assert plot.point() == (net.input_values[0], net.input_values[1])
    assert plot.plot.getAxis("bottom").labelText == "x1" and plot.plot.getAxis("left").labelText == "x2"


def test_clicking_the_map_moves_the_two_inputs_without_an_undo_step(qtbot, window):
    ctrl = window.controller
    ctrl.flush()
    steps = ctrl.undo_stack.count()
    x3 = ctrl.network.input_values[2]
    slider = window.input_panel.slider(0)
    before = slider.value()
    _click(qtbot, window.map_plot, 2.5, -3.0)
    ctrl.flush()
    values = ctrl.network.input_values
    cell = 10.0 / ctrl.map_source.resolution  # the click lands within a screen pixel: less than a grid cell
    assert values[0] == pytest.approx(2.5, abs=cell) and values[1] == pytest.approx(-3.0, abs=cell)
    assert values[2] == x3
    assert window.input_panel.values()[:2] == pytest.approx(list(values[:2]))
    low, high = ctrl.network.input_ranges[0]
    assert slider.value() != before  # the slider moved with the input
    share = (slider.value() - slider.minimum()) / (slider.maximum() - slider.minimum())
    assert share == pytest.approx((values[0] - low) / (high - low), abs=0.01)
    assert window.map_plot.point() == pytest.approx((values[0], values[1]))
    assert ctrl.undo_stack.count() == steps
    shown_matches_forward(window)


@pytest.fixture
def every_mouse_move():
    """pyqtgraph drops mouse moves closer than 1/100 s; synthetic moves come faster than a hand."""
    rate = pg.getConfigOption("mouseRateLimit")
    pg.setConfigOption("mouseRateLimit", 0)
    yield
    pg.setConfigOption("mouseRateLimit", rate)


def test_dragging_follows_the_mouse_and_stays_inside_the_ranges(qtbot, window, every_mouse_move):
    ctrl = window.controller
    ctrl.flush()
    seen = []
    window.map_view.pointPicked.connect(lambda x, y: seen.append((x, y)))
    path = [(-4.0, -4.0), (-2.0, -1.0), (1.0, 2.0), (3.0, 4.0), (9.0, 9.0)]
    _drag(window.map_plot, path)
    ctrl.flush()
    assert len(seen) == 5  # each move of the drag, then the release: the network follows live
    for (x, y), (want_x, want_y) in zip(seen[:3], path[1:4], strict=True):
        assert (x, y) == (pytest.approx(want_x, abs=0.1), pytest.approx(want_y, abs=0.1))
    assert seen[-1] == (5.0, 5.0)  # dragged beyond the map: held at the inputs' range
    assert list(ctrl.network.input_values[:2]) == [5.0, 5.0]
    assert ctrl.undo_stack.count() == 0
    shown_matches_forward(window)


def test_choosing_the_axes_in_the_dock(qtbot, window):
    ctrl = window.controller
    view = window.map_view
    assert view.axes_row.isVisible()
    view.y_combo.setCurrentIndex(2)
    ctrl.flush()
    assert ctrl.map_source.axes == (0, 2)
    assert window.map_plot.plot.getAxis("left").labelText == "x3"
    expected = response_maps(ctrl.network, (0, 2), ctrl.map_source.resolution)
    shown = ctrl.map_source.maps
    np.testing.assert_array_equal(shown.layers[1][0], expected.layers[1][0])
    view.x_combo.setCurrentIndex(2)  # the input already on y: the two swap
    ctrl.flush()
    assert ctrl.map_source.axes == (2, 0)
    assert (view.x_combo.currentText(), view.y_combo.currentText()) == ("x3", "x1")
    _click(qtbot, window.map_plot, 1.0, 2.0)
    ctrl.flush()
    assert ctrl.network.input_values[2] == pytest.approx(1.0, abs=0.1)
    assert ctrl.network.input_values[0] == pytest.approx(2.0, abs=0.1)


def test_hovered_neuron_wins_over_the_selected_one(qtbot, window):
    ctrl = window.controller
    nv = window.network_view
    nv.neuronClicked.emit(2, 1)
    ctrl.flush()
    assert window.map_plot.title_text() == "Layer 2 · neuron 2 (tanh)"
    port = nv.viewport()
    qtbot.mouseMove(port, nv.mapFromScene(nv.neuron_position(3, 2)))
    assert window.map_plot.title_text() == "Output layer · neuron 3 (softmax)"
    maps = ctrl.map_source.maps
    np.testing.assert_array_equal(window.map_view._values, maps.layers[3][2])
    qtbot.mouseMove(port, QPoint(3, 3))
    assert window.map_plot.title_text() == "Layer 2 · neuron 2 (tanh)"


def test_plane_networks_hide_the_axis_choice_and_a_click_sets_every_feature(qtbot, window):
    ctrl = window.controller
    features = ["x1", "x2", "x1^2", "x2^2"]
    net = Network.from_sizes([4, 3, 1], activations=["tanh", "tanh"], seed=2)
    net = Network(net.layers, input_names=features, input_features=features)
    ctrl.set_network(net, None)
    ctrl.flush()
    assert not window.map_view.axes_row.isVisible()
    assert window.map_plot.plot.getAxis("bottom").labelText == "x1"
    _click(qtbot, window.map_plot, 2.0, 1.0)
    ctrl.flush()
    x1, x2 = ctrl.network.input_values[:2]
    assert x1 == pytest.approx(2.0, abs=0.1) and x2 == pytest.approx(1.0, abs=0.1)
    np.testing.assert_allclose(ctrl.network.input_values, [x1, x2, x1**2, x2**2])
    shown_matches_forward(window)


def test_a_plane_click_beyond_a_features_range_widens_it_instead_of_clipping(qtbot, window):
    """x1² with the default −5…5 slider: a click at x1 = 4.5 sets 20.25, the slider's range grows to show it."""
    ctrl = window.controller
    features = ["x1", "x2", "x1^2", "x2^2"]
    net = Network.from_sizes([4, 3, 1], activations=["tanh", "tanh"], seed=2)
    net = Network(net.layers, input_names=features, input_features=features)
    ctrl.set_network(net, None)
    ctrl.flush()
    assert tuple(ctrl.network.input_ranges[2]) == (-5.0, 5.0)
    _click(qtbot, window.map_plot, 4.5, -1.0)
    ctrl.flush()
    x1, x2 = ctrl.network.input_values[:2]
    assert x1 == pytest.approx(4.5, abs=0.1)
    np.testing.assert_allclose(ctrl.network.input_values, [x1, x2, x1**2, x2**2])  # x1² not clipped to 5
    low, high = ctrl.network.input_ranges[2]
    assert low == -5.0 and high == pytest.approx(x1**2)
    spin = window.input_panel.spin_box(2)
    assert spin.maximum() == pytest.approx(x1**2) and spin.value() == pytest.approx(x1**2)
    shown_matches_forward(window)


def test_a_one_input_network_says_why_it_has_no_map(window):
    ctrl = window.controller
    ctrl.set_network(Network.from_sizes([1, 3, 1], seed=0), None)
    ctrl.flush()
    assert "input" in window.map_plot.title_text()
    assert window.map_plot.point() is None


def test_the_map_follows_the_theme(window):
    window.actions["dark"].setChecked(True)
    window.controller.flush()
    plot = window.map_plot
    assert plot.is_dark()
    assert plot.backgroundBrush().color().name() == colors.DARK.background


@pytest.mark.parametrize("limit", [0.002, 20.0, 1.7e308])
def test_the_colour_bar_is_labelled_for_any_limit(qtbot, limit):
    """A limit near the largest float once overflowed (found by the monkey test): the bar says ±limit."""
    from neuroviz.model.display import format_value
    from neuroviz.views.map_view import MapView

    view = MapView()
    qtbot.addWidget(view)
    xs = np.linspace(-5.0, 5.0, 20)
    values = np.outer(np.linspace(-1.0, 1.0, 20), np.ones(20)) * limit
    view.set_map(values, limit, xs, xs, ("x1", "x2"), (0.0, 0.0), "big")
    view.show()
    qtbot.waitExposed(view)
    view.plot.grab()  # paints the axes: no overflow on the way
    ticks = [text for _pos, text in view.plot.bar.getAxis("right")._tickLevels[0]]
    assert ticks[0] == format_value(-limit) and ticks[-1] == format_value(limit) and "0" in ticks
    assert view.plot.bar_range() == (-limit, limit)
