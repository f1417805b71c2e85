"""View ▸ Neuron Maps: every neuron drawn as a picture of its response map, the "dead everywhere on the map" mark,
and both following inputs, edits, undo, structure and theme; exported as the screen shows them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage
from test_svg_render import assert_alike, export_both, rsvg_convert

from neuroviz import preferences
from neuroviz.cli_export import run_export
from neuroviz.model import Layer, Network, picture
from neuroviz.presenters.inspector import share_text
from neuroviz.views.colors import DivergingColorMap, theme

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def shown(window, qtbot):
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    window.controller.flush()
    return window


def maps_on(window, on: bool = True) -> None:
    window.actions["neuron_maps"].setChecked(on)  # View ▸ Neuron Maps
    window.controller.flush()


def grab(window) -> QImage:
    view = window.network_view
    return view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def pixel(window, image: QImage, point: QPointF) -> QColor:
    view = window.network_view
    p = view.mapFromScene(point)
    ratio = image.devicePixelRatio()
    return image.pixelColor(int(p.x() * ratio), int(p.y() * ratio))


def distance(a: QColor, b: QColor) -> int:
    return max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue()))


def sample_points(window, k: int, j: int, seed: int = 0) -> list[tuple[int, int, QPointF]]:
    """Grid points (ix, iy) of neuron j's picture and where they are drawn, away from its outline, its bias tab
    (lower left) and the current input's marker."""
    view, maps = window.network_view, window.controller.map_source.maps
    rect = view.map_picture_rect(k, j)
    marker = view.map_marker_position(k, j)
    res = maps.resolution
    rng = np.random.default_rng(seed)
    points = []
    for ix, iy in rng.integers(3, res - 3, size=(60, 2)):
        x = rect.left() + (ix + 0.5) / res * rect.width()
        y = rect.bottom() - (iy + 0.5) / res * rect.height()
        near_edge = min(x - rect.left(), rect.right() - x, y - rect.top(), rect.bottom() - y) < 3.0
        on_tab = x < rect.left() + 0.4 * rect.width() and y > rect.bottom() - 0.4 * rect.height()
        near_marker = marker is not None and abs(x - marker.x()) < 7 and abs(y - marker.y()) < 7
        if not (near_edge or on_tab or near_marker):
            points.append((int(ix), int(iy), QPointF(x, y)))
    return points


def assert_pictures_show_the_maps(window, dark: bool = False) -> int:
    """Every pictured neuron without a mark: the colour at sampled pixels is the colour scale's colour of the map
    at that grid point. Returns how many pixels were compared."""
    doc, view = window.controller.document, window.network_view
    maps = window.controller.map_source.maps
    limit = picture.network_picture(doc.network, doc.propagation).value_limit
    cmap = DivergingColorMap.for_theme(theme(dark))
    image = grab(window)
    compared = 0
    for k, size in enumerate(doc.network.sizes):
        marks = view.status_marks(k)
        for j in range(size):
            if view.map_picture_rect(k, j) is None or marks[j] != picture.NORMAL:
                continue
            values = maps.layers[k][j]
            for ix, iy, point in sample_points(window, k, j, seed=k * 100 + j):
                around = values[iy - 2 : iy + 3, ix - 2 : ix + 3]
                expected = cmap.color(values[iy, ix], limit)
                if max(distance(cmap.color(v, limit), expected) for v in around.ravel()) > 6:
                    continue  # a steep edge: the scaled picture blends its neighbours
                shown_colour = pixel(window, image, point)
                assert distance(shown_colour, expected) <= 10, (k, j, ix, iy, shown_colour.name(), expected.name())
                compared += 1
    return compared


def test_ctrl_m_shows_the_maps_and_is_remembered(shown, qtbot, settings):
    view = shown.network_view
    assert not view.maps_shown() and view.map_picture_rect(1, 0) is None
    assert shown.actions["neuron_maps"].shortcut().toString() == "Ctrl+M"
    shown.activateWindow()
    qtbot.waitUntil(shown.isActiveWindow)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    shown.controller.flush()
    assert view.maps_shown() and shown.actions["neuron_maps"].isChecked()
    rect = view.map_picture_rect(1, 0)
    assert rect is not None and rect.width() == rect.height() > 30  # a square picture, larger than a dot
    assert preferences.Preferences(settings).neuron_maps
    qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert not view.maps_shown() and view.map_picture_rect(1, 0) is None
    assert not preferences.Preferences(settings).neuron_maps


def test_the_maps_are_on_again_after_a_restart(qtbot, settings):
    from neuroviz.app import build_window

    preferences.Preferences(settings).neuron_maps = True
    win = build_window(settings=settings)
    qtbot.addWidget(win)
    try:
        assert win.actions["neuron_maps"].isChecked() and win.network_view.maps_shown()
        assert win.network_view.map_picture_rect(2, 0) is not None
    finally:
        win.accept_close()


def test_the_pictures_show_the_computed_maps_with_the_input_marked(shown):
    maps_on(shown)
    maps = shown.controller.map_source.maps
    assert maps.resolution == 100 and [m.shape[0] for m in maps.layers] == shown.controller.network.sizes
    assert assert_pictures_show_the_maps(shown) > 200
    view = shown.network_view
    # the marker sits where the current input is on the axes' ranges, in every picture alike
    x, y = shown.controller.network.input_values[:2]
    (x0, x1), (y0, y1) = shown.controller.network.input_ranges[:2]
    rect, marker = view.map_picture_rect(2, 1), view.map_marker_position(2, 1)
    assert marker.x() == pytest.approx(rect.left() + (x - x0) / (x1 - x0) * rect.width())
    assert marker.y() == pytest.approx(rect.bottom() - (y - y0) / (y1 - y0) * rect.height())


def test_the_pictures_follow_inputs_edits_undo_structure_and_theme(shown):
    maps_on(shown)
    controller, view = shown.controller, shown.network_view
    controller.document.set_input(2, -4.0)  # x3, held on the map: every hidden map changes
    controller.flush()
    assert assert_pictures_show_the_maps(shown) > 100
    marker_before = view.map_marker_position(1, 0)
    controller.document.set_input(0, -2.0)  # x1, an axis: only the marker moves
    controller.flush()
    assert view.map_marker_position(1, 0).x() < marker_before.x()
    controller.edits.on_bias_edited(2, 0, 3.0)
    controller.flush()
    assert assert_pictures_show_the_maps(shown) > 100
    controller.undo_stack.undo()
    controller.flush()
    assert assert_pictures_show_the_maps(shown) > 100
    controller.edits.on_size_changed(1, 4)  # fewer neurons: pictures for the new structure
    controller.flush()
    assert view.map_picture_rect(1, 3) is not None
    with pytest.raises(ValueError):
        view.map_picture_rect(1, 4)
    assert assert_pictures_show_the_maps(shown) > 100
    shown.actions["dark"].setChecked(True)
    try:
        controller.flush()
        assert assert_pictures_show_the_maps(shown, dark=True) > 100
    finally:
        shown.actions["dark"].setChecked(False)


def dying_network() -> Network:
    """x1, x2 in [-5, 5]: ReLU 1 has a bias of -100 (dead for every input), ReLU 2 is relu(x1), dead only where
    x1 ≤ 0 (here: x1 = -2), ReLU 3 is alive."""
    hidden = Layer(
        "hidden",
        weights=np.array([[1.0, 1.0, 0.5], [1.0, 0.0, 0.5]]),
        biases=np.array([-100.0, 0.0, 10.0]),
        activation="relu",
    )
    out = Layer("out", weights=np.ones((3, 1)), biases=np.zeros(1), activation="linear")
    return Network([hidden, out], input_names=["x1", "x2"], input_values=[-2.0, 1.0])


def click(window, qtbot, k: int, j: int) -> None:
    view = window.network_view
    where = view.mapFromScene(view.neuron_position(k, j))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)


@pytest.mark.parametrize("with_maps", [False, True])
def test_dead_everywhere_is_marked_apart_from_dead_here(shown, qtbot, with_maps):
    controller, view = shown.controller, shown.network_view
    maps_on(shown, with_maps)
    controller.set_network(dying_network(), None)
    controller.flush()
    assert list(view.status_marks(1)) == [picture.DEAD, picture.DEAD, picture.NORMAL]  # both dead here
    assert list(view.dead_everywhere_marks(1)) == [True, False, False]  # only the first for every input
    assert "dead everywhere" in view.legend_marks()
    # the tooltip and the inspector say how much of the map each is dead on
    maps = controller.map_source.maps
    half = float(np.mean(maps.xs <= 0))  # relu(x1) is dead (0, slope 0) where x1 ≤ 0
    assert half == 0.5
    click(shown, qtbot, 1, 0)
    facts = dict(shown.inspector.facts())
    assert facts["dead on the map"] == "100 % of x1 × x2, 100 × 100 points"
    assert "dead everywhere on the map" in facts["note"]
    click(shown, qtbot, 1, 1)
    facts = dict(shown.inspector.facts())
    assert (
        facts["dead on the map"]
        == f"{share_text(half)} of x1 × x2, 100 × 100 points"
        == ("50.0 % of x1 × x2, 100 × 100 points")
    )
    assert "note" in facts and "dead everywhere" not in facts["note"]
    tips = []
    view.show_tooltip = tips.append
    view.neuronHovered.emit(1, 0)
    assert "dead on the map: 100 %" in tips[-1] and "saturated on the map: 0 %" in tips[-1]
    # the ⊘ is drawn on the neuron: dark strokes in the dead colour on its diagonal
    image = grab(shown)
    centre, r = view.neuron_position(1, 0), view.neuron_radius(1)
    on_slash = [pixel(shown, image, centre + QPointF(d * r * 0.3, -d * r * 0.3)) for d in (-1, 1)]
    dead = QColor(theme(False).dead)
    assert all(distance(c, dead) < 60 for c in on_slash)
    # waking it up (a bias of 0) removes the mark; undo brings it back
    controller.edits.on_bias_edited(1, 0, 0.0)
    controller.flush()
    assert list(view.dead_everywhere_marks(1)) == [False, False, False]
    controller.undo_stack.undo()
    controller.flush()
    assert list(view.dead_everywhere_marks(1)) == [True, False, False]


def test_large_layers_get_smaller_pictures_then_heat_strips(shown):
    controller, view = shown.controller, shown.network_view
    net = Network.from_sizes([2, 256, 12, 3, 1], activations=["relu", "tanh", "tanh", "sigmoid"], seed=1)
    controller.set_network(net, None)
    maps_on(shown)
    assert view.drawn_as_strip(1) and view.map_picture_rect(1, 0) is None  # 256 neurons: a heat strip
    small, big = view.map_picture_rect(2, 0), view.map_picture_rect(3, 0)
    assert small is not None and big is not None and 9 <= small.width() < big.width()
    assert assert_pictures_show_the_maps(shown) > 50


def test_a_very_large_network_gets_coarser_maps_and_says_so(shown):
    controller = shown.controller
    sizes = [2] + [256] * 16 + [1]
    controller.set_network(Network.from_sizes(sizes, activations=["relu"] * 16 + ["sigmoid"], seed=2), None)
    maps_on(shown)
    source = controller.map_source
    assert source.resolution < 100 and source.maps.resolution == source.resolution
    note = source.reduced_note
    assert note.startswith(f"Maps at {source.resolution} × {source.resolution}")
    assert shown.statusBar().currentMessage() == note


def test_svg_export_embeds_one_picture_per_neuron_and_draws_as_the_png(shown, tmp_path):
    rsvg_convert()
    maps_on(shown)
    png, drawn, svg = export_both(shown, "network", tmp_path)
    root = ET.parse(svg).getroot()
    images = list(root.iter(f"{SVG}image"))
    assert len(images) == sum(shown.controller.network.sizes)  # every neuron of the default example
    for image in images:
        href = image.get("{http://www.w3.org/1999/xlink}href") or image.get("href")
        assert href.startswith("data:image/png;base64,")
    assert root.find(f".//{SVG}ellipse") is not None or root.find(f".//{SVG}circle") is not None  # still vector
    assert_alike(png, drawn)


def test_cli_exports_the_network_with_its_maps(tmp_path, qtbot):
    svg, png = tmp_path / "xor.svg", tmp_path / "xor.png"
    assert run_export(["example:xor", "-o", str(svg), "--maps"]) == 0
    assert len(list(ET.parse(svg).getroot().iter(f"{SVG}image"))) == 5  # 2 inputs, 2 hidden, 1 output
    assert run_export(["example:xor", "-o", str(tmp_path / "plain.svg")]) == 0
    assert list(ET.parse(tmp_path / "plain.svg").getroot().iter(f"{SVG}image")) == []
    assert run_export(["example:xor", "-o", str(png), "--maps", "--size", "600x400"]) == 0
    assert QImage(str(png)).size().width() == 600


def test_cli_refuses_maps_for_a_table(tmp_path, capsys):
    assert run_export(["example:xor", "-o", str(tmp_path / "a.csv"), "--maps"]) == 2
    assert "--maps draws the pictures in the network view" in capsys.readouterr().err
    assert not (tmp_path / "a.csv").exists()


def test_the_view_refuses_maps_of_the_wrong_shape(shown):
    view = shown.network_view
    sizes = shown.controller.network.sizes
    good = [np.zeros((s, 10, 10)) for s in sizes]
    dead = [np.zeros(s, dtype=bool) for s in sizes]
    with pytest.raises(ValueError, match=r"layers\[1\] has shape \(2, 10, 10\)"):
        view.set_maps([good[0], np.zeros((2, 10, 10)), *good[2:]], (0.5, 0.5), dead)
    with pytest.raises(ValueError, match="point must be two finite fractions"):
        view.set_maps(good, (np.nan, 0.5), dead)
    with pytest.raises(ValueError, match=r"dead_everywhere\[0\]"):
        view.set_maps(good, None, [np.zeros(1, dtype=bool), *dead[1:]])


def test_the_dots_are_drawn_again_when_the_network_has_no_maps(shown):
    maps_on(shown)
    assert assert_pictures_show_the_maps(shown) > 0  # the pictures cover every dot
    shown.controller.set_network(Network.from_sizes([1, 3, 1], ["tanh", "tanh"], seed=0), None)
    shown.controller.flush()
    view = shown.network_view
    assert shown.controller.map_source.maps is None and view.map_picture_rect(1, 0) is None
    image = grab(shown)
    for k in (1, 2):
        for j, colour in enumerate(view.neuron_colors(k)):
            assert distance(pixel(shown, image, view.neuron_position(k, j)), colour) <= 8, (k, j)
