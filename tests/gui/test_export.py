"""PNG and SVG exports, checked as a teacher would: right size, points where they belong, text kept."""

import itertools
import os
import re
import xml.etree.ElementTree as ET

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QGraphicsView, QLabel, QVBoxLayout, QWidget

from neuroviz.model import tables
from neuroviz.views.export import ExportError, render_image, save_png, save_svg
from neuroviz.views.network_view import NetworkView

POINT_COLOURS = ["#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4", "#46f0f0"]
POINTS_X = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
POINTS_Y = [1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 2.0]
CURVE_BLUE = "#0000ff"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def plot(qtbot):
    """A 320 × 240 plot with 7 coloured pixel-mode points, a pairs curve and the label "hidden 1"."""
    widget = pg.PlotWidget(background="w")
    qtbot.addWidget(widget)
    widget.resize(320, 240)
    scatter = pg.ScatterPlotItem(
        x=POINTS_X, y=POINTS_Y, size=14, pxMode=True, pen=None, brush=[pg.mkBrush(c) for c in POINT_COLOURS]
    )
    widget.addItem(scatter)
    curve = pg.PlotCurveItem(
        x=np.array([0.0, 8.0, 0.0, 8.0]),
        y=np.array([0.0, 4.0, 4.0, 0.0]),
        connect="pairs",
        pen=pg.mkPen(CURVE_BLUE, width=2),
    )
    widget.addItem(curve)
    label = pg.TextItem("hidden 1", color="k")
    label.setPos(4.0, 3.6)
    widget.addItem(label)
    widget.setXRange(0, 8, padding=0)
    widget.setYRange(0, 4, padding=0)
    widget.show()
    qtbot.waitExposed(widget)
    widget.scatter = scatter
    return widget


@pytest.fixture
def card(qtbot):
    """A plain 240 × 90 widget with a label, on a light grey window colour."""
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.setStyleSheet("QWidget { background: #eeeeee; } QLabel { color: #c00000; font-size: 20px; }")
    layout = QVBoxLayout(widget)
    layout.addWidget(QLabel("Hello slides"))
    widget.resize(240, 90)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def window(qtbot, plot):
    """A "main window": a title label above the plot, as the whole-window export sees it."""
    widget = QWidget()
    qtbot.addWidget(widget)
    layout = QVBoxLayout(widget)
    layout.addWidget(QLabel("Network title"))
    layout.addWidget(plot)
    widget.resize(400, 330)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def rgba(image: QImage) -> np.ndarray:
    """The image as an (h, w, 4) uint8 RGBA array."""
    converted = image.convertToFormat(QImage.Format.Format_RGBA8888)
    array = np.frombuffer(converted.constBits(), np.uint8)
    return array.reshape(converted.height(), converted.bytesPerLine() // 4, 4)[:, : converted.width()].copy()


def colour_count(image: QImage) -> int:
    pixels = rgba(image).reshape(-1, 4)
    return len(np.unique(pixels, axis=0))


def point_centres(plot, relative_to=None):
    """Where each point's centre is drawn, in the plot's (or ``relative_to``'s) pixel coordinates."""
    view_box = plot.getPlotItem().getViewBox()
    centres = []
    for x, y in zip(POINTS_X, POINTS_Y, strict=True):
        scene_point = view_box.mapViewToScene(QPointF(x, y))
        local = plot.mapFromScene(scene_point)
        if relative_to is not None:
            local = plot.mapTo(relative_to, local)
        centres.append((local.x(), local.y()))
    return centres


def assert_points_drawn(image: QImage, centres, scale: float):
    """Each point's own colour is found at its centre (the symbol is 14 px wide, so ±2 px is well inside)."""
    pixels = rgba(image)
    for (cx, cy), colour in zip(centres, POINT_COLOURS, strict=True):
        want = QColor(colour)
        x, y = round(cx * scale), round(cy * scale)
        patch = pixels[y - 2 : y + 3, x - 2 : x + 3, :3].reshape(-1, 3).astype(int)
        distance = np.abs(patch - [want.red(), want.green(), want.blue()]).sum(axis=1)
        assert distance.min() <= 6, f"{colour} not found near ({x}, {y}); closest is {distance.min()}"


# -- PNG -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_png_of_a_plot_has_the_requested_size_and_shows_the_points(plot, tmp_path, scale):
    path = tmp_path / "plot.png"
    save_png(plot, path, scale=scale)

    image = QImage(str(path))
    assert not image.isNull()
    assert (image.width(), image.height()) == (round(320 * scale), round(240 * scale))
    assert colour_count(image) > 20  # white, blue lines, 7 point colours, grey axes, antialiasing
    assert_points_drawn(image, point_centres(plot), scale)
    assert image.pixelColor(image.width() - 1, 0) == QColor("white")  # the plot's own background
    blue = rgba(image)[..., :3].astype(int) - [0, 0, 255]
    assert (np.abs(blue).sum(axis=2) < 40).sum() > 100 * scale  # the pairs curve is drawn
    assert image.dotsPerMeterX() == round(96 * scale / 0.0254)


def test_png_at_a_fractional_scale_is_rounded(plot, tmp_path):
    path = tmp_path / "plot.png"
    save_png(plot, path, scale=1.3)
    image = QImage(str(path))
    assert (image.width(), image.height()) == (round(320 * 1.3), round(240 * 1.3)) == (416, 312)
    assert_points_drawn(image, point_centres(plot), 1.3)


def test_transparent_png_has_clear_corners_and_opaque_points(plot, tmp_path):
    path = tmp_path / "clear.png"
    save_png(plot, path, transparent=True)
    image = QImage(str(path))
    assert image.hasAlphaChannel()
    for x, y in [(0, 0), (319, 0), (0, 239), (319, 239), (200, 200)]:
        assert image.pixelColor(x, y).alpha() == 0, (x, y)
    alpha = rgba(image)[..., 3]
    for cx, cy in point_centres(plot):
        assert alpha[round(cy), round(cx)] == 255
    assert_points_drawn(image, point_centres(plot), 1.0)


def test_png_background_colour_replaces_the_targets_own(plot, tmp_path):
    path = tmp_path / "dark.png"
    save_png(plot, path, background=QColor("#203040"))
    image = QImage(str(path))
    assert image.pixelColor(319, 0) == QColor("#203040")
    assert image.pixelColor(200, 200) == QColor("#203040")
    assert_points_drawn(image, point_centres(plot), 1.0)


def test_scene_and_view_box_targets(plot, tmp_path):
    save_png(plot, tmp_path / "view.png")
    save_png(plot.scene(), tmp_path / "scene.png")
    view_image, scene_image = QImage(str(tmp_path / "view.png")), QImage(str(tmp_path / "scene.png"))
    assert (rgba(view_image) == rgba(scene_image)).all()  # a scene exports what its view shows

    view_box = plot.getPlotItem().getViewBox()
    save_png(view_box, tmp_path / "box.png", scale=2)
    box_image = QImage(str(tmp_path / "box.png"))
    rect = plot.mapFromScene(view_box.sceneBoundingRect()).boundingRect()
    assert abs(box_image.width() - 2 * view_box.sceneBoundingRect().width()) <= 1
    assert abs(box_image.height() - 2 * view_box.sceneBoundingRect().height()) <= 1
    inside = [(x - rect.x(), y - rect.y()) for x, y in point_centres(plot)]
    assert_points_drawn(box_image, inside, 2.0)


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_png_of_a_plain_widget(card, tmp_path, scale):
    path = tmp_path / "card.png"
    save_png(card, path, scale=scale)
    image = QImage(str(path))
    assert (image.width(), image.height()) == (round(240 * scale), round(90 * scale))
    pixels = rgba(image)[..., :3].astype(int)
    assert image.pixelColor(0, 0) == QColor("#eeeeee")
    red_text = (np.abs(pixels - [0xC0, 0, 0]).sum(axis=2) < 60).sum()
    assert red_text > 40 * scale * scale  # the label's text, drawn at full resolution
    assert colour_count(image) >= 3


def test_transparent_png_of_a_plain_widget_keeps_only_the_text(qtbot, tmp_path):
    widget = QWidget()
    qtbot.addWidget(widget)
    layout = QVBoxLayout(widget)
    label = QLabel("Hello slides")
    label.setStyleSheet("color: #c00000; font-size: 20px;")
    layout.addWidget(label)
    widget.resize(240, 90)
    widget.show()
    qtbot.waitExposed(widget)

    path = tmp_path / "card.png"
    save_png(widget, path, transparent=True)
    image = QImage(str(path))
    alpha = rgba(image)[..., 3]
    assert alpha[0, 0] == alpha[0, -1] == alpha[-1, 0] == alpha[-1, -1] == 0
    assert 40 < (alpha > 0).sum() < 240 * 90 // 4  # the glyphs only


def test_whole_window_png_renders_the_plot_inside_at_full_resolution(window, plot, tmp_path):
    path = tmp_path / "window.png"
    save_png(window, path, scale=2)
    image = QImage(str(path))
    assert (image.width(), image.height()) == (800, 660)
    assert_points_drawn(image, point_centres(plot, relative_to=window), 2.0)
    # symbols are vector-drawn at 2×, not stamped 1× pixmaps: a 14 px point is ~28 px across
    _, cy = point_centres(plot, relative_to=window)[0]
    row = rgba(image)[round(cy * 2), :, :3].astype(int)
    red = QColor(POINT_COLOURS[0])
    hits = np.flatnonzero(np.abs(row - [red.red(), red.green(), red.blue()]).sum(axis=1) <= 6)
    assert 24 <= hits.max() - hits.min() + 1 <= 30


def test_export_mode_and_caches_are_restored(window, plot, tmp_path):
    assert plot.cacheMode() == QGraphicsView.CacheModeFlag.CacheBackground
    save_svg(window, tmp_path / "w.svg")
    save_png(window, tmp_path / "w.png", scale=2)
    assert plot.scatter._exportOpts is False
    assert plot.getPlotItem()._exportOpts is False
    assert plot.cacheMode() == QGraphicsView.CacheModeFlag.CacheBackground


def test_render_image_returns_the_same_picture(plot, tmp_path):
    image = render_image(plot, scale=2)
    save_png(plot, tmp_path / "p.png", scale=2)
    assert (rgba(image) == rgba(QImage(str(tmp_path / "p.png")))).all()
    assert image.devicePixelRatio() == 1.0


# -- SVG -----------------------------------------------------------------------------------------------------
def svg_groups_with_paths(root):
    """(fill colour, centre in output pixels) of every <g> that directly holds a <path>."""
    found = []
    for group in root.iter(f"{SVG}g"):
        for path in group.findall(f"{SVG}path"):
            numbers = [float(v) for v in re.findall(r"-?[\d.]+(?:e-?\d+)?", path.get("d"))]
            xs, ys = numbers[::2], numbers[1::2]
            x, y = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
            transform = group.get("transform", "matrix(1,0,0,1,0,0)")
            a, b, c, d, e, f = [float(v) for v in re.findall(r"-?[\d.]+", transform)]
            found.append((group.get("fill", "").lower(), (a * x + c * y + e, b * x + d * y + f)))
    return found


def svg_texts(root):
    return ["".join(element.itertext()).strip() for element in root.iter(f"{SVG}text")]


def render_svg_file(path, width, height):
    renderer = QSvgRenderer(str(path))
    assert renderer.isValid()
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, width, height))
    painter.end()
    return image


def test_svg_of_a_plot_keeps_points_as_vectors_and_text_as_text(plot, tmp_path):
    path = tmp_path / "plot.svg"
    save_svg(plot, path, title="Slide 3 & <notes>")
    root = ET.parse(path).getroot()

    assert root.get("viewBox") == "0 0 320 240"
    assert root.find(f"{SVG}title").text == "Slide 3 & <notes>"
    assert "neuroviz" in root.find(f"{SVG}desc").text
    assert "hidden 1" in svg_texts(root)
    assert list(root.iter(f"{SVG}image")) == []  # nothing was stamped as a bitmap
    shapes = [e for e in root.iter() if e.tag in (f"{SVG}circle", f"{SVG}ellipse", f"{SVG}path")]
    assert len(shapes) >= 7
    # one filled path per point, in its colour, centred where the plot draws it
    groups = svg_groups_with_paths(root)
    for colour, (cx, cy) in zip(POINT_COLOURS, point_centres(plot), strict=True):
        matches = [centre for fill, centre in groups if fill == colour]
        assert len(matches) == 1, colour
        assert matches[0] == pytest.approx((cx, cy), abs=0.6)

    image = render_svg_file(path, 640, 480)
    assert colour_count(image) > 20
    assert image.pixelColor(639, 479) == QColor("white")
    assert_points_drawn(image, point_centres(plot), 2.0)


def test_transparent_svg_has_no_background(plot, tmp_path):
    path = tmp_path / "clear.svg"
    save_svg(plot, path, transparent=True)
    image = render_svg_file(path, 320, 240)
    assert image.pixelColor(0, 0).alpha() == 0
    assert image.pixelColor(200, 200).alpha() == 0
    assert_points_drawn(image, point_centres(plot), 1.0)


def test_svg_of_a_whole_window_has_its_labels_and_vector_points(window, plot, tmp_path):
    path = tmp_path / "window.svg"
    save_svg(window, path)
    root = ET.parse(path).getroot()
    assert root.get("viewBox") == "0 0 400 330"
    assert root.find(f"{SVG}title").text == "neuroviz"
    texts = svg_texts(root)
    assert "Network title" in texts and "hidden 1" in texts
    assert list(root.iter(f"{SVG}image")) == []  # the view's cached background is not embedded as a bitmap
    fills = {fill for fill, _ in svg_groups_with_paths(root)}
    assert set(POINT_COLOURS) <= fills
    image = render_svg_file(path, 400, 330)
    assert_points_drawn(image, point_centres(plot, relative_to=window), 1.0)


def test_svg_of_a_plain_widget(card, tmp_path):
    path = tmp_path / "card.svg"
    save_svg(card, path)
    root = ET.parse(path).getroot()
    assert "Hello slides" in svg_texts(root)
    image = render_svg_file(path, 240, 90)
    assert image.pixelColor(0, 0) == QColor("#eeeeee")
    pixels = rgba(image)[..., :3].astype(int)
    assert (np.abs(pixels - [0xC0, 0, 0]).sum(axis=2) < 60).sum() > 40


# -- errors --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("save", [save_png, save_svg])
def test_missing_folder_raises_export_error_and_writes_nothing(plot, tmp_path, save):
    path = tmp_path / "missing" / "picture.out"
    with pytest.raises(ExportError, match=r"folder .*missing does not exist") as info:
        save(plot, path)
    assert str(path) in str(info.value)
    assert not path.parent.exists()


def _refuses_new_files(folder):
    try:
        os.close(os.open(os.path.join(folder, ".neuroviz-probe"), os.O_WRONLY | os.O_CREAT, 0o600))
    except PermissionError:
        return True
    os.remove(os.path.join(folder, ".neuroviz-probe"))
    return False


@pytest.fixture
def unwritable_folder(tmp_path):
    """A read-only folder, or for root (who ignores permission bits) /sys, which refuses new files to all."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        for candidate in (str(folder), "/sys"):
            if os.path.isdir(candidate) and _refuses_new_files(candidate):
                yield candidate
                return
        pytest.skip("no folder on this machine refuses new files")
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize(("save", "name"), [(save_png, "p.png"), (save_svg, "p.svg")])
def test_unwritable_folder_raises_export_error_and_writes_nothing(plot, unwritable_folder, save, name):
    path = os.path.join(unwritable_folder, name)
    with pytest.raises(ExportError, match=r"could not write .*: Permission denied") as info:
        save(plot, path)
    assert path in str(info.value)
    assert not os.path.exists(path)
    assert [n for n in os.listdir(unwritable_folder) if n.startswith(f".{name}")] == []


def test_failed_write_keeps_the_previous_picture(plot, tmp_path, monkeypatch):
    path = tmp_path / "p.png"
    save_png(plot, path)
    before = path.read_bytes()

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tables.os, "replace", refuse)
    with pytest.raises(ExportError, match=r"p\.png: No space left on device"):
        save_png(plot, path, scale=2)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["p.png"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scale": 0}, r"scale must be a positive number, got 0"),
        ({"scale": -1.5}, r"scale must be a positive number"),
        ({"scale": float("nan")}, r"scale must be a positive number"),
        ({"scale": "2"}, r"scale must be a number, got '2'"),
        ({"scale": 100.0}, r"32000 × 24000 pixels; at most 16384 per side"),
        ({"background": "not a colour"}, r"background must be a colour"),
        ({"transparent": "yes"}, r"transparent must be True or False"),
    ],
)
def test_bad_png_options_say_what_is_wrong(plot, tmp_path, kwargs, message):
    path = tmp_path / "p.png"
    with pytest.raises(ExportError, match=message) as info:
        save_png(plot, path, **kwargs)
    assert str(path) in str(info.value)
    assert not path.exists()


def test_bad_targets_say_what_is_wrong(qtbot, tmp_path):
    with pytest.raises(ExportError, match=r"cannot draw a str: expected a QWidget"):
        save_png("window", tmp_path / "p.png")
    with pytest.raises(ExportError, match=r"the graphics item is not in a scene"):
        save_svg(pg.ScatterPlotItem(), tmp_path / "p.svg")
    empty = QWidget()
    qtbot.addWidget(empty)
    empty.resize(0, 0)
    with pytest.raises(ExportError, match=r"nothing to draw: the widget is 0 × 0 pixels"):
        save_png(empty, tmp_path / "p.png")
    with pytest.raises(ExportError, match=r"the SVG title must be text"):
        save_svg(empty, tmp_path / "p.svg", title=None)
    assert os.listdir(tmp_path) == []


# -- the network view ----------------------------------------------------------------------------------------
NETWORK_SIZES = [3, 5, 128, 2]  # the 128-neuron column is drawn as a heat strip, the others as dots


@pytest.fixture
def network(qtbot):
    """A 700 × 450 network view with distinct neuron colours, a selected neuron and a NaN."""
    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(700, 450)
    view.show()
    qtbot.waitExposed(view)
    show_network(view)
    return view


def show_network(view: NetworkView) -> None:
    view.set_structure(NETWORK_SIZES, [f"c{k}" for k in range(len(NETWORK_SIZES))])
    rng = np.random.default_rng(3)
    values = [np.linspace(-1.0, 1.0, n) for n in NETWORK_SIZES]
    values[1][2] = np.nan
    edges = [rng.normal(size=(a, b)) for a, b in itertools.pairwise(NETWORK_SIZES)]
    biases = [rng.normal(size=b) for b in NETWORK_SIZES[1:]]
    status = [np.zeros(n, dtype=np.int8) for n in NETWORK_SIZES]
    view.set_values(values, edges, biases, status, 1.0, 1.0, 1.0)
    view.set_selection(1, 1)


def svg_filled_circles(root, legend: QRectF):
    """(x, y, fill) of every filled <circle>/<ellipse> outside ``legend``, centres mapped through their group."""
    found = []
    for group in root.iter(f"{SVG}g"):
        fill = group.get("fill", "none")
        if fill == "none":
            continue
        a, b, c, d, e, f = (float(v) for v in re.findall(r"-?[\d.]+", group.get("transform", "matrix(1,0,0,1,0,0)")))
        for shape in [*group.findall(f"{SVG}circle"), *group.findall(f"{SVG}ellipse")]:
            x0, y0 = float(shape.get("cx", 0)), float(shape.get("cy", 0))
            x, y = a * x0 + c * y0 + e, b * x0 + d * y0 + f
            if not legend.contains(QPointF(x, y)):
                found.append((round(x, 1), round(y, 1), fill))
    return found


def dot_neurons(view, offset: QPointF | None = None):
    """(x, y, colour) of every neuron drawn as a dot, optionally shifted by ``offset``."""
    offset = offset or QPointF(0, 0)
    return sorted(
        (
            round(view.neuron_position(k, i).x() + offset.x(), 1),
            round(view.neuron_position(k, i).y() + offset.y(), 1),
            view.neuron_colors(k)[i].name(),
        )
        for k, n in enumerate(NETWORK_SIZES)
        if not view.drawn_as_strip(k)
        for i in range(n)
    )


def test_svg_of_the_network_has_exactly_one_circle_per_neuron(network, tmp_path):
    path = tmp_path / "network.svg"
    save_svg(network, path)
    root = ET.parse(path).getroot()
    assert network.drawn_as_strip(2) and not network.drawn_as_strip(1)
    assert sorted(svg_filled_circles(root, network.legend_rect())) == dot_neurons(network)
    every_circle = [shape for shape in root.iter() if shape.tag in (f"{SVG}circle", f"{SVG}ellipse")]
    assert len(every_circle) > sum(NETWORK_SIZES[k] for k in (0, 1, 3))  # the legend's samples are circles too
    bars = [
        rect
        for group in root.iter(f"{SVG}g")
        if group.get("fill", "none") != "none"
        for rect in group.findall(f"{SVG}rect")
        if float(rect.get("width", 0)) == pytest.approx(network.strip_width())
    ]
    assert len(bars) == 128  # the strip column: one filled vector bar per neuron
    assert list(root.iter(f"{SVG}image")) == []
    texts = svg_texts(root)
    assert "NaN" in texts and "c2" in texts
    image = render_svg_file(path, 700, 450)
    for k, i in ((1, 0), (1, 4), (2, 10), (2, 100), (3, 1)):
        centre = network.neuron_position(k, i)
        assert_colour_at(image, centre, network.neuron_colors(k)[i])


def test_svg_of_a_window_holding_the_network_has_its_circles_in_place(qtbot, tmp_path):
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    layout.addWidget(QLabel("Network title"))
    network = NetworkView()
    layout.addWidget(network)
    window.resize(760, 560)
    window.show()
    qtbot.waitExposed(window)
    show_network(network)
    path = tmp_path / "window.svg"
    save_svg(window, path)
    root = ET.parse(path).getroot()
    offset = QPointF(network.mapTo(window, QPoint(0, 0)))
    legend = network.legend_rect().translated(offset)
    assert sorted(svg_filled_circles(root, legend)) == dot_neurons(network, offset)


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_png_of_the_network_shows_dots_and_strip_bars_in_their_colours(network, scale):
    image = render_image(network, scale=scale)
    assert (image.width(), image.height()) == (round(700 * scale), round(450 * scale))
    for k, i in ((0, 0), (1, 4), (2, 10), (2, 64), (2, 120), (3, 0)):
        assert_colour_at(image, network.neuron_position(k, i) * scale, network.neuron_colors(k)[i])


def assert_colour_at(image: QImage, point: QPointF, colour: QColor, tolerance: int = 9) -> None:
    """``colour`` is found within a pixel of ``point`` (bars of a strip may be under 2 pixels tall)."""
    pixels = rgba(image)
    x, y = int(point.x()), int(point.y())
    patch = pixels[y - 1 : y + 2, x - 1 : x + 2, :3].reshape(-1, 3).astype(int)
    distance = np.abs(patch - [colour.red(), colour.green(), colour.blue()]).sum(axis=1)
    assert distance.min() <= tolerance, f"{colour.name()} not near ({x}, {y}); closest {distance.min()}"
