"""The Output Map dock: the output layer over two inputs (Playground's orange–blue for one output, the winning class
shaded by its probability for several), the data set's points (training filled, test as rings) and the Data menu."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QMessageBox

from neuroviz.model import Network, datasets
from neuroviz.model.files import example_path
from neuroviz.model.maps import response_maps
from neuroviz.views import colors
from neuroviz.views.map_output import class_colours

TOLERANCE = 8


def _close(color, rgb) -> bool:
    return max(abs(color.red() - rgb[0]), abs(color.green() - rgb[1]), abs(color.blue() - rgb[2])) <= TOLERANCE


def _two_input_tanh(window, seed=1):
    net = Network.from_sizes([2, 6, 1], activations=["tanh", "tanh"], seed=seed)
    net = Network(net.layers, input_ranges=[(-6, 6), (-6, 6)])
    window.controller.set_network(net, None)
    window.output_map_dock.raise_()
    window.controller.flush()
    return net


def _samples(maps, count=10, seed=4):
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < count:
        ix, iy = (int(v) for v in rng.integers(5, len(maps.xs) - 5, size=2))
        if abs(maps.xs[ix] - maps.point[0]) > 0.6 and abs(maps.ys[iy] - maps.point[1]) > 0.6:
            out.append((ix, iy))
    return out


def test_one_output_uses_playgrounds_orange_and_blue(window):
    net = _two_input_tanh(window)
    plot = window.output_map_plot
    maps = response_maps(net, (0, 1), window.controller.map_source.resolution)
    cmap = colors.DivergingColorMap.for_theme(colors.theme(plot.is_dark()))
    out = maps.layers[-1][0]
    for ix, iy in _samples(maps):
        want = cmap.rgb[cmap.indices(np.array([out[iy, ix]]), 1.0)[0]]  # tanh: −1 orange … +1 blue
        assert _close(plot.drawn_color(maps.xs[ix], maps.ys[iy]), want)
    assert plot.bar_range() == (-1.0, 1.0)
    assert plot.legend_entries() == []
    window.output_map.discretize.setChecked(True)  # only the decision: the two end colours
    th = colors.theme(plot.is_dark())
    for ix, iy in _samples(maps):
        end = th.positive if out[iy, ix] > 0 else th.negative
        assert _close(plot.drawn_color(maps.xs[ix], maps.ys[iy]), colors.mix(end, end, 0).getRgb())


def test_softmax_shows_the_winning_class_shaded_by_its_probability(window):
    ctrl = window.controller
    window.output_map_dock.raise_()
    ctrl.flush()
    plot = window.output_map_plot
    maps = ctrl.map_source.maps
    probabilities = maps.layers[-1]  # the default example ends in a 3-way softmax
    names = [name for name, _c in plot.legend_entries()]
    assert names == ["y1", "y2", "y3"]
    assert plot.bar_range() is None
    dark = plot.is_dark()
    table = class_colours(3, dark)
    neutral = np.array(colors.QColor(colors.theme(dark).neutral).getRgb()[:3], dtype=float)
    for ix, iy in _samples(maps):
        p = probabilities[:, iy, ix]
        winner = int(np.argmax(p))
        strength = (p[winner] - 1 / 3) / (2 / 3)
        want = neutral + (np.array(table[winner].getRgb()[:3]) - neutral) * strength
        assert _close(plot.drawn_color(maps.xs[ix], maps.ys[iy]), np.rint(want))
    window.output_map.discretize.setChecked(True)
    for ix, iy in _samples(maps):
        winner = int(np.argmax(probabilities[:, iy, ix]))
        assert _close(plot.drawn_color(maps.xs[ix], maps.ys[iy]), table[winner].getRgb()[:3])


def test_circle_data_points_training_filled_test_outlined(window):
    _two_input_tanh(window)
    window.actions["data_circle"].trigger()
    view = window.output_map
    train, test = view.shown_points()
    expected = datasets.split(datasets.generate("circle", noise=0.0, seed=0))
    np.testing.assert_array_equal(train, expected[0].x)
    assert test.shape == (0, 2)  # Playground's default: test data hidden
    view.show_test.setChecked(True)
    train, test = view.shown_points()
    np.testing.assert_array_equal(test, expected[1].x)
    th = colors.theme(view.plot.is_dark())
    labels = expected[0].y
    fills = [p.brush().color().name() for p in view.train_points.points()]
    assert fills == [th.positive if label == 1 else th.negative for label in labels]
    rings = [p.pen().color().name() for p in view.test_points.points()]
    assert rings == [th.positive if label == 1 else th.negative for label in expected[1].y]
    assert {p.brush().color().name() for p in view.test_points.points()} == {th.background}
    window.actions["data_clear"].trigger()
    assert view.shown_points()[0].shape == (0, 2)


def test_spiral_follows_the_data_menu_and_the_network(window):
    _two_input_tanh(window)
    window.actions["data_spiral"].trigger()
    assert len(window.output_map.shown_points()[0]) == 250
    assert "spiral" in window.statusBar().currentMessage()


def test_data_that_does_not_fit_is_said_and_not_drawn(window):
    ctrl = window.controller  # the default example: 3 inputs, 3 outputs
    window.output_map_dock.raise_()
    window.actions["data_circle"].trigger()
    assert "not drawn" in ctrl.last_error and "3 inputs" in ctrl.last_error
    assert window.output_map.shown_points()[0].shape == (0, 2)


def test_iris_on_the_softmax_classifier_names_the_classes(window):
    ctrl = window.controller
    ctrl.set_network(Network.load(example_path("softmax_classifier")), None)
    window.output_map_dock.raise_()
    window.actions["data_iris"].trigger()
    ctrl.flush()
    names = [name for name, _c in window.output_map_plot.legend_entries()]
    assert names == list(datasets.iris().class_names)
    train, _test = window.output_map.shown_points()
    np.testing.assert_array_equal(train, ctrl.maps.data.train.x[:, [0, 1]])


def test_open_dataset_with_a_target_column(window, tmp_path):
    ctrl = window.controller
    _two_input_tanh(window)
    path = tmp_path / "points.csv"
    path.write_text("a,b,kind\n1,2,yes\n-1,-2,no\n3,1,yes\n-2,0,no\n")
    actions = ctrl.maps.data_actions
    actions.choose_dataset_path = lambda: str(path)
    asked = []
    actions.choose_target = lambda p, header: asked.append(list(header)) or "kind"
    window.actions["data_open"].trigger()
    assert asked == [["a", "b", "kind"]]
    assert ctrl.maps.data.dataset.class_names == ("no", "yes")
    assert len(window.output_map.shown_points()[0]) == 2


def test_a_bad_csv_says_what_and_where_and_keeps_the_data(qtbot, window, tmp_path):
    ctrl = window.controller
    _two_input_tanh(window)
    window.actions["data_circle"].trigger()
    before = ctrl.maps.data.dataset
    path = tmp_path / "bad.csv"
    path.write_text("a,b,kind\n1,2,yes\n1,oops,no\n")
    actions = ctrl.maps.data_actions
    actions.choose_dataset_path = lambda: str(path)
    actions.choose_target = lambda p, header: "kind"
    window.actions["data_open"].trigger()
    assert "bad.csv" in ctrl.last_error and "row 3" in ctrl.last_error and "oops" in ctrl.last_error
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and boxes[-1].text() == ctrl.last_error
    assert ctrl.maps.data.dataset is before
    for box in boxes:
        box.close()


def test_data_menu_entries_and_shortcut(window):
    menu = window.data_menu
    texts = [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
    assert texts[:6] == ["Circle", "XOR", "Gaussian", "Spiral", "Plane (regression)", "Multi-Gaussian (regression)"]
    assert texts[-2:] == ["Open Dataset…", "Clear Data"]
    assert window.actions["data_open"].shortcut().toString() == "Ctrl+Shift+O"


def test_regression_points_share_the_output_colours(window):
    net = Network.from_sizes([2, 4, 1], activations=["tanh", "linear"], seed=0)
    window.controller.set_network(Network(net.layers, input_ranges=[(-6, 6), (-6, 6)]), None)
    window.output_map_dock.raise_()
    window.actions["data_plane"].trigger()
    window.controller.flush()
    low, high = window.output_map_plot.bar_range()
    targets = window.controller.maps.data.dataset.y
    assert low < 0 < high and high >= np.abs(targets).max()
    assert len(window.output_map.shown_points()[0]) == 600


@pytest.mark.parametrize("dark", [False, True])
def test_points_and_map_in_both_themes(window, dark):
    _two_input_tanh(window)
    window.actions["dark"].setChecked(dark)
    window.actions["data_xor"].trigger()
    th = colors.theme(dark)
    fills = {p.brush().color().name() for p in window.output_map.train_points.points()}
    assert fills == {th.positive, th.negative}
    assert window.output_map_plot.backgroundBrush().color().name() == th.background


def test_with_data_the_map_is_faded_so_points_stand_out(window):
    net = _two_input_tanh(window)
    plot = window.output_map_plot
    maps = response_maps(net, (0, 1), window.controller.map_source.resolution)
    window.actions["data_gauss"].trigger()
    th = colors.theme(plot.is_dark())
    cmap = colors.DivergingColorMap.for_theme(th)
    train, _ = window.output_map.shown_points()
    for ix, iy in _samples(maps):
        x, y = maps.xs[ix], maps.ys[iy]
        if np.min(np.hypot(train[:, 0] - x, train[:, 1] - y)) < 0.6:
            continue  # a point covers this pixel
        full = cmap.rgb[cmap.indices(np.array([maps.layers[-1][0][iy, ix]]), 1.0)[0]]
        faded = colors.mix(colors.QColor(*map(int, full)), th.background, 0.4)
        assert _close(plot.drawn_color(x, y), faded.getRgb()[:3])
    window.actions["data_clear"].trigger()
    ix, iy = _samples(maps)[0]
    full = cmap.rgb[cmap.indices(np.array([maps.layers[-1][0][iy, ix]]), 1.0)[0]]
    assert _close(plot.drawn_color(maps.xs[ix], maps.ys[iy]), full)


def test_output_map_options_are_kept_for_the_next_window(qtbot, window, settings):
    """Show test data and Discretize output come back as they were left, in a new window."""
    from neuroviz.app import build_window

    view = window.output_map
    assert not view.show_test.isChecked() and not view.discretize.isChecked()
    view.show_test.setChecked(True)
    view.discretize.setChecked(True)
    again = build_window(settings=settings)
    qtbot.addWidget(again)
    try:
        assert again.output_map.show_test.isChecked()
        assert again.output_map.discretize.isChecked()
        again.output_map.discretize.setChecked(False)
        assert window.preferences.output_map_options == (True, False)
    finally:
        again.accept_close()


def _front_tab(window, tabs):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QTabBar

    QApplication.processEvents()
    for bar in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
        if bar.isVisible() and tuple(bar.tabText(i) for i in range(bar.count())) == tabs:
            return bar.tabText(bar.currentIndex())
    raise AssertionError(f"no tab bar {tabs}")


def test_a_new_data_set_brings_the_output_map_to_the_front_once(window):
    tabs = ("Map", "Output Map")
    assert _front_tab(window, tabs) == "Map"
    window.controller.set_network(Network.from_sizes([2, 4, 1], ["tanh", "tanh"], seed=0), None)
    window.actions["data_circle"].trigger()
    assert _front_tab(window, tabs) == "Output Map"
    window.map_dock.raise_()  # the person goes back to the Map tab …
    window.training_panel.regenerate_button.click()  # … and regenerates the same set: the tabs stay
    assert _front_tab(window, tabs) == "Map"
    window.actions["data_xor"].trigger()
    assert _front_tab(window, tabs) == "Output Map"
