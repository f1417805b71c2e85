"""NetworkView: colours, marks, labels, links and their level of detail, mouse signals, themes, exports."""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPen
from PySide6.QtSvg import QSvgGenerator, QSvgRenderer
from PySide6.QtWidgets import QToolTip

from neuroviz.views.colors import DARK, LIGHT, DivergingColorMap, mix
from neuroviz.views.network_view import NetworkView, format_value, link_budget, link_crowding, strongest_edges

SIZES = [3, 6, 5, 3]
HEADERS = ["input\n3", "hidden 1\n6 · relu", "hidden 2\n5 · tanh", "output\n3 · softmax"]


def make_frame(sizes, seed=0, scale=0.6):
    """Random values in (-1, 1), N(0, scale) links and biases, all status codes normal."""
    rng = np.random.default_rng(seed)
    values = [np.tanh(rng.normal(size=s)) for s in sizes]
    edges = [rng.normal(scale=scale, size=(a, b)) for a, b in itertools.pairwise(sizes)]
    biases = [rng.normal(scale=0.3, size=b) for b in sizes[1:]]
    status = [np.zeros(s, dtype=np.int8) for s in sizes]
    return values, edges, biases, status


@pytest.fixture
def view(qtbot):
    v = NetworkView()
    qtbot.addWidget(v)
    v.resize(800, 500)
    v.show()
    qtbot.waitExposed(v)
    v.set_structure(SIZES, HEADERS)
    return v


def grab(view: NetworkView) -> QImage:
    return view.grab().toImage()


def pixel(view: NetworkView, image: QImage, scene_point: QPointF) -> QColor:
    p = view.viewport().mapTo(view, view.mapFromScene(scene_point))
    return image.pixelColor(p.x(), p.y())


def close(a: QColor, b: QColor | str, tol: int = 8) -> bool:
    b = QColor(b)
    return all(abs(x - y) <= tol for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def colour_near(image: QImage, view: NetworkView, rect: QRectF, colour: str | QColor, tol: int = 12) -> bool:
    """Whether some pixel inside the scene rectangle ``rect`` has ``colour``."""
    top_left = view.viewport().mapTo(view, view.mapFromScene(rect.topLeft()))
    bottom_right = view.viewport().mapTo(view, view.mapFromScene(rect.bottomRight()))
    for x in range(max(top_left.x(), 0), min(bottom_right.x() + 1, image.width())):
        for y in range(max(top_left.y(), 0), min(bottom_right.y() + 1, image.height())):
            if close(image.pixelColor(x, y), colour, tol):
                return True
    return False


def symbols_at(view: NetworkView, point: QPointF) -> list[tuple[float, QBrush, QPen]]:
    """(size, brush, pen) of every visible scatter symbol the view centred on ``point``."""
    found = []
    for item in view.plot_scene().items():
        if not isinstance(item, pg.ScatterPlotItem) or not item.isVisible() or not len(item.data):
            continue
        data = item.data
        on = np.flatnonzero((np.abs(data["x"] - point.x()) < 1e-6) & (np.abs(data["y"] - point.y()) < 1e-6))
        for i in on:
            pen = data["pen"][i] if data["pen"][i] is not None else item.opts["pen"]
            brush = data["brush"][i] if data["brush"][i] is not None else item.opts["brush"]
            found.append((float(data["size"][i]), brush, pen))
    return found


def dot_size(view: NetworkView, layer: int, index: int) -> float:
    """Diameter of the neuron's dot: the solid symbol in the neuron's own colour at its centre."""
    colour = view.neuron_colors(layer)[index]
    sizes = [
        size
        for size, brush, _ in symbols_at(view, view.neuron_position(layer, index))
        if brush.style() == Qt.BrushStyle.SolidPattern and brush.color() == colour
    ]
    assert len(sizes) == 1, sizes
    return sizes[0]


def overlay_brush(view: NetworkView, point: QPointF) -> QBrush | None:
    """The hatch drawn over a neuron (None if there is none)."""
    hatches = [
        b for _, b, _ in symbols_at(view, point) if b.style() not in (Qt.BrushStyle.SolidPattern, Qt.BrushStyle.NoBrush)
    ]
    assert len(hatches) <= 1
    return hatches[0] if hatches else None


def curves(view: NetworkView) -> list[pg.PlotCurveItem]:
    return [item for item in view.plot_scene().items() if isinstance(item, pg.PlotCurveItem)]


def links_by_sign(view: NetworkView) -> tuple[int, int]:
    """(negative, positive) number of drawn links, told apart by the colour of their bucket's pen."""
    negative = positive = 0
    for curve in curves(view):
        x, _ = curve.getData()
        count = 0 if x is None else len(x) // 2
        colour = curve.opts["pen"].color()
        if colour.red() > colour.blue():
            negative += count
        else:
            positive += count
    return negative, positive


# -- pure helpers --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (0.734, "0.73"),
        (-0.05, "-0.05"),
        (1.0, "1"),
        (12.34, "12.3"),
        (-999.0, "-999"),
        (-1234.0, "-1.2e3"),
        (0.0004, "4e-4"),
        (2.5e10, "2.5e10"),
        (float("nan"), "NaN"),
        (float("inf"), "+∞"),
        (float("-inf"), "−∞"),
    ],
)
def test_format_value_is_compact(value, text):
    assert format_value(value) == text


def test_strongest_edges_keeps_the_largest_magnitudes_and_nan():
    a = np.array([[0.1, -5.0, 0.2], [np.nan, 0.3, -0.05]])
    b = np.arange(6.0).reshape(3, 2)
    kept = strongest_edges([a, b], max_edges=6)
    # each pair holds half the links, so each keeps 6 * 6 // 12 = 3: NaN counts as strongest
    assert set(kept[0].tolist()) == {1, 3, 4}  # -5, NaN, 0.3
    assert set(kept[1].tolist()) == {3, 4, 5}
    sparse = np.zeros((4, 4))
    sparse[1, 2], sparse[3, 0] = -2.0, 1.0
    kept = strongest_edges([sparse, np.ones((4, 4))], max_edges=8)[0]  # budget 4: both links, then zeros
    assert kept.size == 4 and {6, 12} <= set(kept.tolist())
    everything = strongest_edges([a, b], max_edges=12)
    assert [k.tolist() for k in everything] == [list(range(6)), list(range(6))]


def test_colour_map_is_neutral_at_zero_and_exact_at_the_ends():
    cmap = DivergingColorMap.for_theme(LIGHT)
    assert cmap.color(0.0, 3.0) == QColor(LIGHT.neutral)
    assert cmap.color(3.0, 3.0) == QColor(LIGHT.positive)
    assert cmap.color(-3.0, 3.0) == QColor(LIGHT.negative)
    assert cmap.color(1e300, 1e-300) == QColor(LIGHT.positive)  # overflow clips, no RuntimeWarning
    assert cmap.color(float("nan"), 1.0) == QColor(LIGHT.nonfinite)


# -- colours, labels and marks -------------------------------------------------------------------------------
def test_neuron_colours_follow_the_value_limit(view):
    values, edges, biases, status = make_frame(SIZES)
    values[1] = np.array([2.0, -2.0, 0.0, 1.0, 50.0, -1.0])
    view.set_values(values, edges, biases, status, 2.0, 1.0, 1.0)
    colours = view.neuron_colors(1)
    assert colours[0] == QColor(LIGHT.positive)
    assert colours[1] == QColor(LIGHT.negative)
    assert colours[2] == QColor(LIGHT.neutral)
    assert colours[4] == QColor(LIGHT.positive)  # beyond the limit: clipped to the end colour
    assert close(colours[3], mix(LIGHT.neutral, LIGHT.positive, 0.5), tol=1)  # half the limit: half way
    assert close(colours[5], mix(LIGHT.neutral, LIGHT.negative, 0.5), tol=1)
    assert view.legend_ticks() == ["-2", "0", "2"]


def test_grab_shows_the_neuron_colours_at_the_neuron_positions(view):
    values, edges, biases, status = make_frame(SIZES, seed=3)
    view.set_values(values, edges, biases, status, 1.0, 1.0, 1.0)
    image = grab(view)
    assert image.size() == QSize(800, 500)
    for k, n in enumerate(SIZES):
        expected = view.neuron_colors(k)
        for i in range(n):
            assert close(pixel(view, image, view.neuron_position(k, i)), expected[i], tol=3), (k, i)
    distinct = {image.pixel(x, y) for x in range(0, 800, 7) for y in range(0, 500, 7)}
    assert len(distinct) > 20  # links, neurons, text: not a blank picture


def test_status_marks_and_non_finite_labels_are_drawn(view):
    values, edges, biases, status = make_frame(SIZES)
    values[1][0], status[1][0] = 0.0, 1  # dead
    values[1][1], status[1][1] = 1.0, 2  # saturated
    values[1][3] = 0.05  # nearly neutral: light
    values[2][0] = np.nan
    values[2][1] = np.inf
    values[2][2] = -np.inf  # status left at 0: the view still marks non-finite values
    view.set_values(values, edges, biases, status, 1.0, 1.0, 1.0)
    assert view.status_marks(1).tolist() == [1, 2, 0, 0, 0, 0]
    assert view.status_marks(2).tolist() == [3, 4, 5, 0, 0]
    # labels are off, but NaN/±inf always say what they are
    assert view.neuron_labels(2) == ["NaN", "+∞", "−∞", "", ""]
    assert view.neuron_labels(1) == [""] * 6
    # NaN has its own colour; +inf and -inf are the saturated ends of the colour map
    assert view.neuron_colors(2)[:3] == [QColor(LIGHT.nonfinite), QColor(LIGHT.positive), QColor(LIGHT.negative)]

    image = grab(view)
    r = view.neuron_radius(1)
    dead = view.neuron_position(1, 0)
    assert pixel(view, image, dead).lightness() < 120  # a dark ✕ crosses the (neutral, zero-valued) centre
    assert pixel(view, image, view.neuron_position(1, 3)).lightness() > 150  # no ✕ on a normal light neuron
    saturated = view.neuron_position(1, 1)
    ring = r + 3.0 + 1.0  # the ring sits just outside the neuron
    assert close(pixel(view, image, saturated - QPointF(0, ring)), LIGHT.saturated, tol=30)
    normal = view.neuron_position(1, 2)
    assert not close(pixel(view, image, normal - QPointF(0, ring)), LIGHT.saturated, tol=60)
    r2 = view.neuron_radius(2)
    rim = QPointF(0, -r2 * 0.7)  # above the label's box
    nan_fill = pixel(view, image, view.neuron_position(2, 0) + rim)
    assert nan_fill.red() > nan_fill.green() + 60 and nan_fill.blue() > nan_fill.green() + 60  # magenta
    plus = pixel(view, image, view.neuron_position(2, 1) + rim)
    minus = pixel(view, image, view.neuron_position(2, 2) + rim)
    assert plus.blue() > plus.red() + 60  # blue, the positive end
    assert minus.red() > minus.blue() + 60  # orange, the negative end


def test_nan_and_infinities_differ_by_hatch_as_well_as_colour(view):
    values, edges, biases, status = make_frame(SIZES)
    values[2][:3] = [np.nan, np.inf, -np.inf]
    values[2][3] = 5.0  # a finite value beyond the limit: the same blue as +inf, but no hatch
    view.set_values(values, edges, biases, status, 1.0, 1.0, 1.0)
    overlays = [overlay_brush(view, view.neuron_position(2, i)) for i in range(4)]
    styles = [brush.style() if brush is not None else None for brush in overlays]
    assert styles[0] == Qt.BrushStyle.BDiagPattern
    assert styles[1] == styles[2] == Qt.BrushStyle.CrossPattern
    assert styles[3] is None
    assert view.neuron_colors(2)[1] == view.neuron_colors(2)[3] == QColor(LIGHT.positive)
    assert view.legend_marks() == ["dead", "dead everywhere", "saturated", "NaN", "+∞", "−∞", "selected"]
    image = grab(view)
    footer = view.legend_rect()
    assert colour_near(image, view, footer, LIGHT.positive) and colour_near(image, view, footer, LIGHT.nonfinite)


def test_value_labels_toggle_and_hide_on_tiny_neurons(qtbot, view):
    values, edges, biases, status = make_frame(SIZES)
    values[1] = np.array([0.734, -1234.0, 0.0, 12.34, 1.0, -0.05])
    view.set_values(values, edges, biases, status, 1.0, 1.0, 1.0)
    assert view.neuron_labels(1) == [""] * 6
    view.set_show_labels(True)
    assert view.neuron_labels(1) == ["0.73", "-1.2e3", "0", "12.3", "1", "-0.05"]
    assert view.labels_hidden_reason() is None
    view.set_show_labels(False)
    assert view.neuron_labels(1) == [""] * 6

    view.set_structure([4, 256, 2], ["in", "wide", "out"])
    wide = make_frame([4, 256, 2])
    wide[0][1][7] = np.nan
    with qtbot.waitSignal(view.labelsHiddenChanged) as changed:
        view.set_show_labels(True)
    view.set_values(*wide, 1.0, 1.0, 1.0)
    labels = view.neuron_labels(1)
    assert view.drawn_as_strip(1)
    assert labels[7] == "NaN" and labels.count("") == 255  # too crowded for numbers; NaN still shown
    # each column has its own radius: the few inputs are big enough to hold their values
    assert view.neuron_labels(0) == [format_value(v) for v in wide[0][0]]
    reason = view.labels_hidden_reason()
    assert changed.args == [reason] and reason.startswith("Values are not written in 1 of 3 columns")
    with qtbot.waitSignal(view.labelsHiddenChanged, check_params_cb=lambda text: text == ""):
        view.set_show_labels(False)
    assert view.labels_hidden_reason() is None


def test_values_are_written_beside_neurons_too_small_to_hold_them(qtbot):
    """16 layers of 8 (TF Playground's limit and more): the neurons are too small for text, but far apart."""
    v = NetworkView()
    qtbot.addWidget(v)
    v.resize(800, 500)
    v.show()
    qtbot.waitExposed(v)
    sizes = [2, *[8] * 16, 2]
    v.set_structure(sizes, [str(k) for k in range(len(sizes))])
    frame = make_frame(sizes, seed=4)
    v.set_show_labels(True)
    v.set_values(*frame, 1.0, 1.0, 1.0)
    radius = v.neuron_radius(5)
    assert radius < 11  # the labels could not go inside
    assert v.neuron_labels(5) == [format_value(x) for x in frame[0][5]]
    assert v.labels_hidden_reason() is None
    centre = v.neuron_position(5, 3)
    rect = v.label_rect(5, 3)
    assert rect.top() >= centre.y() + radius  # under the neuron, not over it
    assert abs(rect.center().x() - centre.x()) < 1.0
    image = grab(v)
    top_left = v.viewport().mapTo(v, v.mapFromScene(rect.topLeft()))
    darkest = min(
        image.pixelColor(x, y).lightness()
        for x in range(top_left.x(), top_left.x() + round(rect.width()))
        for y in range(top_left.y(), top_left.y() + round(rect.height()))
    )
    assert darkest < 110  # the digits are drawn there


def test_bias_marks_are_coloured_by_sign(view):
    values, edges, biases, status = make_frame(SIZES)
    biases[0][:3] = [0.5, -0.5, 0.0]
    view.set_values(values, edges, biases, status, 1.0, 1.0, 0.5)
    assert view.bias_colors(1)[:3] == [QColor(LIGHT.positive), QColor(LIGHT.negative), QColor(LIGHT.neutral)]
    image = grab(view)
    assert close(pixel(view, image, view.bias_position(1, 0)), LIGHT.positive, tol=12)
    assert close(pixel(view, image, view.bias_position(1, 1)), LIGHT.negative, tol=12)
    with pytest.raises(ValueError, match="input column has no biases"):
        view.bias_colors(0)


# -- links ---------------------------------------------------------------------------------------------------
def test_link_buckets_match_signs_and_strength_sets_width(view):
    values, edges, biases, status = make_frame(SIZES, seed=5)
    view.set_values(values, edges, biases, status, 1.0, 1.0, 1.0)
    negative = sum(int((e < 0).sum()) for e in edges)
    positive = sum(int((e >= 0).sum()) for e in edges)
    assert links_by_sign(view) == (negative, positive)
    assert view.drawn_edge_count() == 18 + 30 + 15 and view.hidden_edge_count() == 0

    strong = [np.full_like(e, -1.0) for e in edges]
    strong[0][0, 0] = 0.01
    view.set_values(values, strong, biases, status, 1.0, 1.0, 1.0)
    drawn = [c for c in curves(view) if c.getData()[0] is not None and len(c.getData()[0])]
    widths = sorted((len(c.getData()[0]) // 2, c.opts["pen"].widthF()) for c in drawn)
    assert [n for n, _ in widths] == [1, 62]  # one weak positive link, 62 strong negative ones
    assert widths[1][1] > 2 * widths[0][1]


def _strongest_pen(view: NetworkView, sizes: list[int]) -> QPen:
    """The pen of the strongest positive links after showing a network of ``sizes`` with every weight 1."""
    view.set_structure(sizes, [f"c{k}" for k in range(len(sizes))])
    values = [np.zeros(n) for n in sizes]
    edges = [np.ones((a, b)) for a, b in itertools.pairwise(sizes)]
    biases = [np.zeros(n) for n in sizes[1:]]
    status = [np.zeros(n, dtype=np.int8) for n in sizes]
    view.set_values(values, edges, biases, status, 1.0, 1.0, 1.0)
    drawn = [c for c in curves(view) if c.getData()[0] is not None and len(c.getData()[0])]
    assert len(drawn) == 1  # every link is in the strongest positive bucket
    return drawn[0].opts["pen"]


def test_crowded_columns_get_thinner_fainter_links(view):
    """Hundreds of links between two columns would cover each other: past CALM_LINKS they calm down."""
    assert link_crowding([3, 6, 5, 3]) == 1.0 and link_crowding([2, 8, 8, 8, 1]) == 1.0  # TF Playground sizes
    assert link_crowding([4, 24, 24, 3]) == pytest.approx(math.sqrt(100 / 576))
    assert link_crowding([8, 256, 256, 10]) == 0.3
    calm = _strongest_pen(view, [3, 8, 8, 3])
    crowded = _strongest_pen(view, [3, 24, 24, 3])
    assert crowded.widthF() < 0.6 * calm.widthF()
    background = QColor(LIGHT.background)
    distance = [
        sum(abs(x - y) for x, y in zip(p.color().getRgb()[:3], background.getRgb()[:3], strict=True))
        for p in (calm, crowded)
    ]
    assert distance[1] < distance[0]  # mixed further towards the background


def test_links_update_when_the_same_array_is_changed_in_place(view):
    values, edges, biases, status = make_frame(SIZES)
    for e in edges:
        e[:] = 0.5
    view.set_values(values, edges, biases, status, 1.0, 1.0, 1.0)
    assert links_by_sign(view) == (0, 63)
    edges[1][:] = -0.5  # the controller may hand over the same arrays after editing them
    view.set_values(values, edges, biases, status, 1.0, 1.0, 1.0)
    assert links_by_sign(view) == (30, 33)


def test_level_of_detail_draws_the_strongest_and_reports_the_rest(qtbot):
    v = NetworkView(max_edges=22)
    qtbot.addWidget(v)
    v.resize(800, 500)
    v.set_structure([10, 10, 1], ["a", "b", "c"])
    rng = np.random.default_rng(2)
    values, _, biases, status = make_frame([10, 10, 1])
    magnitudes = rng.permutation(100).reshape(10, 10) + 1.0  # distinct, so "the 20 strongest" is well defined
    edges = [magnitudes * rng.choice([-1.0, 1.0], size=(10, 10)), rng.normal(size=(10, 1))]
    v.set_values(values, edges, biases, status, 1.0, 50.0, 1.0)
    assert v.drawn_edge_count() == 22 and v.hidden_edge_count() == 88
    assert v.lod_notice() == "showing 22 strongest of 110 connections"
    drawn = {tuple(row) for row in v.drawn_edges(1).tolist()}
    strongest = np.argsort(-np.abs(edges[0]).ravel(), kind="stable")[:20]
    assert drawn == {(int(i) // 10, int(i) % 10) for i in strongest}
    assert len(v.drawn_edges(2)) == 2
    assert links_by_sign(v)[0] + links_by_sign(v)[1] == 22
    v.set_max_edges(1000)
    assert v.drawn_edge_count() == 110 and v.lod_notice() == ""


def test_graphics_item_count_stays_constant(view):
    count = view.graphics_item_count()
    rng = np.random.default_rng(9)
    for step in range(100):
        values, edges, biases, status = make_frame(SIZES, seed=step)
        values[1][rng.integers(6)] = [np.nan, np.inf, -np.inf, 0.0][step % 4]
        status[2][rng.integers(5)] = step % 3
        view.set_show_labels(step % 2 == 0)
        view.set_values(values, edges, biases, status, 1.0 + step % 3, 1.0, 1.0)
    assert view.graphics_item_count() == count
    view.set_selection(2, 1)
    view.set_dark(True)
    view.set_structure([2, 2, 1], ["a", "b", "c"])
    assert view.graphics_item_count() == count


def test_structure_can_change(view):
    values, edges, biases, status = make_frame(SIZES)
    view.set_values(values, edges, biases, status, 1.0, 1.0, 1.0)
    view.set_selection(3, 2)
    view.set_structure([2, 2, 1], ["in", "hid", "out"])
    assert view.header_texts() == ["in", "hid", "out"]
    assert view.drawn_edge_count() == 0  # nothing to draw until values arrive
    small = make_frame([2, 2, 1])
    small[0][2] = np.array([0.0])
    view.set_values(*small, 1.0, 1.0, 1.0)
    assert view.drawn_edge_count() == 6
    assert view.neuron_colors(2) == [QColor(LIGHT.neutral)]
    assert view.neuron_at(view.neuron_position(2, 0)) == (2, 0)
    with pytest.raises(ValueError, match="layer 3 is outside the network"):
        view.neuron_position(3, 0)
    with pytest.raises(ValueError, match=r"values has 4 arrays, expected 3 for sizes \[2, 2, 1\]"):
        view.set_values(values, edges, biases, status, 1.0, 1.0, 1.0)


def test_headers_update_and_elide(view):
    view.set_headers(["x\n1", "hidden one\n6 · relu", "h2\n5", "out\n3"])
    assert view.header_texts() == ["x", "1", "hidden one", "6 · relu", "h2", "5", "out", "3"]
    view.resize(300, 400)
    view.set_headers(["input", "a very long layer name that cannot fit", "b", "c"])
    assert view.header_texts()[1].endswith("…")
    with pytest.raises(ValueError, match="got 2 headers for 4 columns"):
        view.set_headers(["a", "b"])


# -- labels that stay readable and honest, headers and legend that never overlap -----------------------------
def pixels_in(view: NetworkView, image: QImage, rect: QRectF) -> list[QColor]:
    """The colours of every pixel inside the scene rectangle ``rect``."""
    top_left = view.viewport().mapTo(view, view.mapFromScene(rect.topLeft()))
    bottom_right = view.viewport().mapTo(view, view.mapFromScene(rect.bottomRight()))
    return [
        image.pixelColor(x, y)
        for x in range(max(top_left.x(), 0), min(bottom_right.x(), image.width()))
        for y in range(max(top_left.y(), 0), min(bottom_right.y(), image.height()))
    ]


def inside_circle(rect: QRectF, centre: QPointF, radius: float) -> bool:
    corners = (rect.topLeft(), rect.topRight(), rect.bottomLeft(), rect.bottomRight())
    return all(math.hypot(c.x() - centre.x(), c.y() - centre.y()) <= radius for c in corners)


@pytest.mark.parametrize("dark", [False, True])
def test_non_finite_labels_sit_on_an_opaque_box_with_a_large_infinity(view, dark):
    view.set_dark(dark)
    th = DARK if dark else LIGHT
    values, edges, biases, status = make_frame(SIZES)
    values[2][:3] = [np.inf, -np.inf, np.nan]
    view.set_values(values, edges, biases, status, 1.0, 1.0, 1.0)
    assert view.neuron_labels(2)[:3] == ["+∞", "−∞", "NaN"]
    image = grab(view)
    radius = view.neuron_radius(2)
    for i in range(3):
        rect, centre = view.label_rect(2, i), view.neuron_position(2, i)
        assert inside_circle(rect, centre, radius)  # within its neuron
        colours = pixels_in(view, image, rect)
        box = sum(close(c, th.background, tol=10) for c in colours)
        text = sum(close(c, th.foreground, tol=60) for c in colours)
        assert box > 0.4 * len(colours) and text > 15, (i, box, text, len(colours))  # dark text on a plain box
    infinity = view.label_rect(2, 0)
    assert infinity.width() >= 25 and infinity.height() >= 12  # a 16-px "+∞", not an 11-px one


def nonfinite_strip_frame(sizes):
    """The first hidden layer repeats +inf, -inf, NaN, 0.1; the second is all NaN."""
    values, edges, biases, status = make_frame(sizes)
    values[1] = np.tile([np.inf, -np.inf, np.nan, 0.1], sizes[1] // 4)
    values[2][:] = np.nan
    return values, edges, biases, status


@pytest.mark.parametrize("show_values", [False, True])
def test_labels_beside_a_strip_name_each_run_of_non_finite_neurons_once(qtbot, show_values):
    sizes = [2, 256, 64, 3]
    v = shown(qtbot, sizes, size=(830, 550))
    v.set_show_labels(show_values)
    v.set_values(*nonfinite_strip_frame(sizes), 1.0, 1.0, 1.0)
    assert v.drawn_as_strip(1) and v.drawn_as_strip(2)
    # one label for the mixed column, saying what is in it, not "+∞", "NaN", "+∞", ... as if that were the pattern
    assert [t for t in v.neuron_labels(1) if t] == ["NaN/+∞/−∞ ×192"]
    assert [t for t in v.neuron_labels(2) if t] == ["NaN ×64"]
    # runs apart from each other get their own labels
    values, edges, biases, status = make_frame(sizes)
    values[1][100:112] = np.nan
    values[1][200] = -np.inf
    v.set_values(values, edges, biases, status, 1.0, 1.0, 1.0)
    labels = v.neuron_labels(1)
    assert [t for t in labels if t] == ["NaN ×12", "−∞"]
    assert labels.index("NaN ×12") in (105, 106) and labels[200] == "−∞"
    image = grab(v)
    for i in (labels.index("NaN ×12"), 200):
        rect = v.label_rect(1, i)
        assert rect.left() > v.neuron_position(1, i).x() + v.strip_width() / 2  # beside the strip
        written = sum(close(c, LIGHT.nonfinite, tol=90) for c in pixels_in(v, image, rect))
        assert written > 5, (i, written)  # written there


def test_values_fit_inside_their_neurons_and_leave_the_dead_mark_alone(qtbot):
    sizes = [3, 6, 5, 3]
    v = shown(qtbot, sizes, HEADERS, size=(800, 300))
    values, edges, biases, status = make_frame(sizes)
    values[1] = np.array([0.0, 3.2e-4, -1234.0, -0.734, 12.34, 0.5])
    status[1][0] = 1  # dead
    edges = [np.zeros_like(e) for e in edges]  # faint links: only text can be dark next to a neuron
    v.set_show_labels(True)
    v.set_values(values, edges, biases, status, 1.0, 1.0, 1.0)
    radius = v.neuron_radius(1)
    assert 11 <= radius < 12  # mid-sized: room for a short number only
    labels = v.neuron_labels(1)
    assert labels[0] == "" and v.label_rect(1, 0) is None  # no "0" over the ✕
    assert labels[1] in ("3.2e-4", "3e-4") and labels[2] in ("-1.2e3", "-1e3") and labels[3] in ("-0.73", "-.73")
    image = grab(v)
    for i in range(1, 6):
        centre = v.neuron_position(1, i)
        assert inside_circle(v.label_rect(1, i), centre, radius), (i, labels[i])
        for side in (-1, 1):  # just outside the neuron, left and right of its centre: no glyph spills there
            beyond = QRectF(centre.x() + side * (radius + 2.5) - 1.5, centre.y() - 3.0, 3.0, 6.0)
            assert all(c.lightness() > 150 for c in pixels_in(v, image, beyond)), (i, labels[i], side)


def test_the_legend_wraps_on_a_narrow_view_and_never_covers_the_colour_bar(qtbot):
    sizes = [24] * 17
    v = shown(qtbot, sizes, size=(456, 293))
    values, edges, biases, status = make_frame(sizes)
    v.set_values(values, edges, biases, status, 1.0, 1.0, 1.0)
    # two rows; what does not fit is left out (a neuron's tooltip names its state)
    assert v.legend_marks() == ["dead", "dead everywhere", "saturated", "NaN", "+∞"]
    rects, block, footer = v.legend_mark_rects(), v.legend_colour_bar_rect(), v.legend_rect()
    assert len({round(r.center().y()) for r in rects}) == 2
    assert all(footer.contains(r) and not r.intersects(block) for r in rects)
    assert all(not a.intersects(b) for a, b in itertools.combinations(rects, 2))
    image = grab(v)
    for label, colour in (("NaN", LIGHT.nonfinite), ("+∞", LIGHT.positive)):
        assert colour_near(image, v, rects[v.legend_marks().index(label)], colour, tol=30), label
    bar = v.legend_bar_rect()
    row = pixels_in(v, image, QRectF(bar.left() + 2, bar.center().y() - 1, bar.width() - 4, 2))
    assert row and all(c.lightness() > 70 for c in row)  # the gradient alone: no dark ring or text over it
    assert v.lod_notice() == "showing 5,000 strongest of 9,216 connections"
    assert v.shown_lod_notice() == "5,000 of 9,216 links shown"  # the full note does not fit beside the bar
    v.resize(240, 293)  # the smallest view: the marks that do not fit are left out, never drawn over the bar
    rects, block = v.legend_mark_rects(), v.legend_colour_bar_rect()
    assert len(rects) < 6 and all(not r.intersects(block) for r in rects)
    v.resize(1000, 500)
    assert len({round(r.center().y()) for r in v.legend_mark_rects()}) == 1  # room enough: one row
    assert v.shown_lod_notice() == v.lod_notice()


@pytest.mark.parametrize("width", [456, 712, 1000])
def test_headers_of_many_columns_never_overlap(qtbot, width):
    sizes = [24] * 17
    headers = ["in · 24", *[f"{k} · 24\nrelu" for k in range(1, 16)], "out · 24\nlinear"]
    v = shown(qtbot, sizes, headers, size=(width, 293))
    v.set_values(*make_frame(sizes), 1.0, 1.0, 1.0)
    rects = [v.header_rect(k) for k in range(17)]
    assert all(a.right() < b.left() for a, b in itertools.pairwise(rects))  # side by side with a gap
    texts, font_sizes = v.header_texts(), v.header_font_sizes()
    columns = [1] + [2] * 16
    owners = [k for k, lines in enumerate(columns) for _ in range(lines)]
    for text, size, k in zip(texts, font_sizes, owners, strict=True):
        font = QFont()
        font.setPixelSize(size)
        assert size >= 8 and QFontMetricsF(font).horizontalAdvance(text) <= rects[k].width() + 0.5, (text, k)
    if width == 456:
        assert texts[:2] == ["in", "1"]  # too narrow for the sizes: the tooltips have them
    else:
        assert texts[:3] == ["in · 24", "1 · 24", "relu"]
    image = grab(v)
    for a, b in itertools.pairwise(rects):  # the gaps between headers are empty background
        gap = QRectF(a.right() + 0.5, a.top(), b.left() - a.right() - 1.0, 2 * 16.0)  # two lines of headers
        assert all(close(c, LIGHT.background, tol=6) for c in pixels_in(v, image, gap))


def test_link_budget_shares_out_exactly_the_maximum():
    assert link_budget([512, 16384, 192], 5000) == [150, 4794, 56]
    assert sum(link_budget([100, 10], 22)) == 22
    rng = np.random.default_rng(5)
    for _ in range(200):
        sizes = [int(s) for s in rng.integers(1, 70_000, size=rng.integers(1, 17))]
        budget = int(rng.integers(len(sizes), 20_000))
        shares = link_budget(sizes, budget)
        assert sum(shares) == min(budget, sum(sizes))
        assert all(1 <= share <= size for share, size in zip(shares, sizes, strict=True))
    assert link_budget([5, 5, 5], 2) == [1, 1, 1]  # fewer links allowed than pairs: one each still


def test_the_view_draws_exactly_the_link_budget(qtbot):
    sizes = [2, 256, 64, 3]
    v = shown(qtbot, sizes)
    v.set_values(*make_frame(sizes), 1.0, 1.0, 1.0)
    assert v.drawn_edge_count() == 5000
    assert v.lod_notice() == "showing 5,000 strongest of 17,088 connections"
    assert [len(v.drawn_edges(k)) for k in (1, 2, 3)] == [150, 4794, 56]


# -- mouse ---------------------------------------------------------------------------------------------------
def _viewport_point(view: NetworkView, scene_point: QPointF) -> QPoint:
    return view.mapFromScene(scene_point)


def _edge_midpoint(view: NetworkView, layer: int, source: int, target: int) -> QPointF:
    a = view.neuron_position(layer - 1, source)
    b = view.neuron_position(layer, target)
    return (a + b) / 2.0


def test_hit_tests(view):
    values, edges, biases, status = make_frame(SIZES)
    view.set_values(values, edges, biases, status, 1.0, 1.0, 1.0)
    p = view.neuron_position(2, 3)
    r = view.neuron_radius()
    assert view.neuron_at(p) == (2, 3)
    assert view.neuron_at(p + QPointF(r * 0.7, r * 0.7)) == (2, 3)
    assert view.neuron_at((p.x() + r + 8, p.y())) is None
    assert view.edge_at(_edge_midpoint(view, 1, 0, 0)) == (1, 0, 0)
    assert view.edge_at(_edge_midpoint(view, 1, 0, 0) + QPointF(0, 3)) == (1, 0, 0)
    assert view.edge_at(_edge_midpoint(view, 3, 4, 2)) == (3, 4, 2)
    assert view.edge_at((2.0, 2.0)) is None  # left of the first column
    assert view.edge_at(QPointF(p.x() + 20, 3.0)) is None  # between columns, far from every link


def test_hover_and_click_emit_signals(qtbot, view):
    values, edges, biases, status = make_frame(SIZES)
    view.set_values(values, edges, biases, status, 1.0, 1.0, 1.0)
    port = view.viewport()
    neuron = _viewport_point(view, view.neuron_position(1, 2))
    with qtbot.waitSignal(view.neuronHovered, check_params_cb=lambda k, i: (k, i) == (1, 2)):
        qtbot.mouseMove(port, neuron)
    edge = _viewport_point(view, _edge_midpoint(view, 1, 0, 0))
    with qtbot.waitSignal(view.edgeHovered, check_params_cb=lambda k, s, t: (k, s, t) == (1, 0, 0)):
        qtbot.mouseMove(port, edge)
    with qtbot.waitSignal(view.hoverLeft):
        qtbot.mouseMove(port, QPoint(4, 4))
    with qtbot.waitSignal(view.neuronClicked, check_params_cb=lambda k, i: (k, i) == (1, 2)):
        qtbot.mouseClick(port, Qt.MouseButton.LeftButton, pos=neuron)
    with qtbot.waitSignal(view.edgeClicked, check_params_cb=lambda k, s, t: (k, s, t) == (1, 0, 0)):
        qtbot.mouseClick(port, Qt.MouseButton.LeftButton, pos=edge)
    with qtbot.waitSignal(view.backgroundClicked):
        qtbot.mouseClick(port, Qt.MouseButton.LeftButton, pos=QPoint(4, 4))
    with qtbot.assertNotEmitted(view.neuronClicked):
        qtbot.mouseClick(port, Qt.MouseButton.RightButton, pos=neuron)


def test_tooltip_shows_the_controllers_text(qtbot, view):
    view.show_tooltip("hidden 1 neuron 3\nactivation: 0.73")
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text() == "hidden 1 neuron 3\nactivation: 0.73"
    view.show_tooltip("")
    qtbot.waitUntil(lambda: not QToolTip.isVisible())


def test_selection_ring_moves(view):
    assert view.selection_ring_rect() is None
    view.set_selection(1, 2)
    assert view.selection_ring_rect().center() == view.neuron_position(1, 2)
    assert view.selection_ring_rect().width() > 2 * view.neuron_radius()
    image = grab(view)
    top = QPointF(view.neuron_position(1, 2).x(), view.selection_ring_rect().top() + 1.0)
    assert colour_near(image, view, QRectF(top - QPointF(2, 2), top + QPointF(2, 2)), LIGHT.selection, tol=60)
    view.set_selection(3, 0)
    assert view.selection_ring_rect().center() == view.neuron_position(3, 0)
    view.resize(700, 450)  # the ring follows its neuron when the layout changes
    assert view.selection_ring_rect().center() == view.neuron_position(3, 0)
    view.set_selection(None)
    assert view.selection_ring_rect() is None
    with pytest.raises(ValueError, match="neuron index 9 is outside column 1"):
        view.set_selection(1, 9)


def test_dark_theme_changes_background_and_neutral(view):
    values, edges, biases, status = make_frame(SIZES)
    values[1][0] = 0.0
    view.set_values(values, edges, biases, status, 1.0, 1.0, 1.0)
    assert close(grab(view).pixelColor(3, 3), LIGHT.background, tol=0)
    view.set_dark(True)
    assert view.is_dark()
    image = grab(view)
    assert close(image.pixelColor(3, 3), DARK.background, tol=0)
    assert view.neuron_colors(1)[0] == QColor(DARK.neutral)
    assert close(pixel(view, image, view.neuron_position(1, 0)), DARK.neutral, tol=3)
    view.set_dark(False)
    assert close(grab(view).pixelColor(3, 3), LIGHT.background, tol=0)


def test_layout_keeps_neurons_round_and_inside(view):
    for width, height in ((800, 500), (1400, 300), (300, 900)):
        view.resize(width, height)
        xs = [view.neuron_position(k, 0).x() for k in range(len(SIZES))]
        assert xs == sorted(xs) and xs[0] > 0 and xs[-1] < width
        for k, n in enumerate(SIZES):
            y_first, y_last = view.neuron_position(k, 0).y(), view.neuron_position(k, n - 1).y()
            assert y_first > 0 and y_last < height
            gap = (y_last - y_first) / max(n - 1, 1)
            assert gap == 0 or gap >= 2 * view.neuron_radius(k)  # neighbours never overlap


# -- per-column layout, heat strips, headers ----------------------------------------------------------------
def shown(qtbot, sizes, headers=None, size=(1000, 600), tooltips=None) -> NetworkView:
    v = NetworkView()
    qtbot.addWidget(v)
    v.resize(*size)
    v.show()
    qtbot.waitExposed(v)
    v.set_structure(sizes, headers or [f"c{k}" for k in range(len(sizes))], tooltips)
    return v


def ramp_frame(sizes, seed=0):
    """make_frame, with each column's values running from -1 to 1 so that neighbours differ in colour."""
    values, edges, biases, status = make_frame(sizes, seed)
    values = [np.linspace(-1.0, 1.0, s) if s > 1 else np.array([0.6]) for s in sizes]
    return values, edges, biases, status


def test_small_columns_spread_over_the_height_next_to_big_ones(qtbot):
    v = shown(qtbot, [4, 64, 64, 3])
    v.set_values(*ramp_frame([4, 64, 64, 3]), 1.0, 1.0, 1.0)
    gaps = [v.neuron_position(k, 1).y() - v.neuron_position(k, 0).y() for k in range(4)]
    assert gaps[0] == gaps[3] == 72.0  # MAX_PITCH: 4 inputs and 3 outputs are not packed into a stub
    assert gaps[1] < 10.0
    span = v.neuron_position(1, 63).y() - v.neuron_position(1, 0).y()
    assert span > 400  # the wide layers fill the height
    assert v.neuron_radius(0) == v.neuron_radius(3) == 20.0
    assert v.neuron_radius(1) <= 0.5 * gaps[1]
    # every dot is handed to the scatter item at its own column's size, and drawn that big
    for k, i in ((0, 0), (0, 3), (3, 2)):
        assert dot_size(v, k, i) == pytest.approx(2 * v.neuron_radius(k))
    image = grab(v)
    for i in range(4):
        edge = v.neuron_position(0, i) + QPointF(0, 0.8 * v.neuron_radius(0))  # near the rim of a big input
        assert close(pixel(v, image, edge), v.neuron_colors(0)[i], tol=4)
    ring = v.bias_position(3, 0) - v.neuron_position(3, 0)
    assert ring.x() < -10 and ring.y() > 10  # the bias tab sits at the lower left of the big output neuron
    assert v.neuron_at(v.neuron_position(0, 2) + QPointF(14, 0)) == (0, 2)  # big neurons are hit all over
    assert v.neuron_at(v.neuron_position(1, 10) + QPointF(0, 0.3 * gaps[1])) == (1, 10)


def test_a_two_neuron_and_one_neuron_network_are_big_and_centred(qtbot):
    v = shown(qtbot, [2, 1])
    v.set_values(*ramp_frame([2, 1]), 1.0, 1.0, 1.0)
    assert v.neuron_radius(0) == v.neuron_radius(1) == 20.0
    a, b, out = v.neuron_position(0, 0), v.neuron_position(0, 1), v.neuron_position(1, 0)
    assert out.y() == pytest.approx((a.y() + b.y()) / 2)
    assert [v.drawn_as_strip(k) for k in range(2)] == [False, False]


def test_crowded_columns_become_heat_strips_that_show_each_neurons_colour(qtbot):
    sizes = [8, 256, 256, 256, 10]
    v = shown(qtbot, sizes)
    frame = ramp_frame(sizes)
    frame[0][2][::2] *= -1.0  # alternate signs: neighbours differ
    frame[3][3][[5, 6, 7, 8, 9]] = [1, 2, 3, 4, 5]  # dead, saturated, NaN, +inf, -inf codes in column 3
    v.set_values(*frame, 1.0, 1.0, 1.0)
    assert [v.drawn_as_strip(k) for k in range(5)] == [False, True, True, True, False]
    assert v.neuron_radius(0) > 8  # the 8 inputs are real dots, not a 14-px blob
    width = v.strip_width()
    assert 8.0 <= width <= 14.0
    image = grab(v)
    colours = v.neuron_colors(2)
    assert len({c.name() for c in colours}) > 100
    for i in range(8, 250, 17):  # (away from the strip's frame at both ends)
        centre = v.neuron_position(2, i)
        p = v.viewport().mapTo(v, QPoint(round(centre.x()), math.floor(centre.y())))
        for dx in (-width / 2 + 2, 0, width / 2 - 2):  # the whole bar is the neuron's colour
            assert close(image.pixelColor(round(p.x() + dx), p.y()), colours[i], tol=3), (i, dx)
    assert not symbols_at(v, v.neuron_position(2, 0))  # no dots under the strip
    # marks beside the strip, in their colours: grey dead, red saturated, magenta non-finite
    for index, colour in ((6, LIGHT.saturated), (7, LIGHT.nonfinite), (8, LIGHT.nonfinite)):
        centre = v.neuron_position(3, index)
        beside = QRectF(centre.x() + width / 2, centre.y() - 0.5, 10.0, 1.0)
        assert colour_near(image, v, beside, colour, tol=40), index
    assert v.neuron_colors(3)[8] == QColor(LIGHT.positive) and v.neuron_colors(3)[9] == QColor(LIGHT.negative)
    # hit testing and selection follow the bars
    pitch = v.neuron_position(2, 1).y() - v.neuron_position(2, 0).y()
    assert v.neuron_at(v.neuron_position(2, 100) + QPointF(width / 2 - 1, 0.4 * pitch)) == (2, 100)
    assert v.neuron_at(v.neuron_position(2, 100) + QPointF(width / 2 + 6, 0)) is None
    v.set_selection(2, 100)
    ring = v.selection_ring_rect()
    assert ring.center() == v.neuron_position(2, 100) and ring.width() > width
    assert v.bias_position(2, 0).x() < v.neuron_position(2, 0).x() - width / 2  # a bias strip on the left
    assert close(pixel(v, image, v.bias_position(2, 0)), v.bias_colors(2)[0], tol=3)


def test_compact_headers_shrink_before_they_elide_and_show_tooltips(qtbot):
    sizes = [8, *[256] * 15, 10]
    activations = ["sigmoid"] * 15
    activations[6], activations[7] = "leaky_relu", "x * sigmoid(beta * x) + 0.5 * x"
    headers = ["in · 8", *[f"{k} · 256\n{a}" for k, a in enumerate(activations, start=1)], "out · 10\nsoftmax"]
    tips = ["input · 8 inputs", *[f"hidden {k} · 256 neurons · {a}" for k, a in enumerate(activations, start=1)]]
    tips.append("output · 10 neurons · softmax")
    v = shown(qtbot, sizes, headers, tooltips=tips)
    texts, font_sizes = v.header_texts(), v.header_font_sizes()
    assert texts[:5] == ["in · 8", "1 · 256", "sigmoid", "2 · 256", "sigmoid"]  # name, size and activation
    size_of = dict(zip(texts, font_sizes, strict=True))
    assert size_of["15 · 256"] == size_of["sigmoid"] >= 10  # one size for all that fit
    assert 8 <= size_of["leaky_relu"] < size_of["sigmoid"]  # smaller type rather than "leaky…"
    elided = [t for t in texts if t.endswith("…")]
    assert len(elided) == 1 and elided[0].startswith("x * ")  # only what cannot fit even at 8 px
    assert size_of[elided[0]] == 8
    assert v.header_tooltip(8) == "hidden 8 · 256 neurons · x * sigmoid(beta * x) + 0.5 * x"  # the tooltip has it all
    port = v.viewport()
    qtbot.mouseMove(port, v.mapFromScene(v.header_rect(8).center()))
    qtbot.waitUntil(QToolTip.isVisible)
    assert QToolTip.text() == "hidden 8 · 256 neurons · x * sigmoid(beta * x) + 0.5 * x"
    with qtbot.waitSignal(v.hoverLeft):
        qtbot.mouseMove(port, QPoint(4, v.height() // 2))
    v.set_headers(headers)  # without tooltips: the header itself, on one line
    assert v.header_tooltip(16) == "out · 10 · softmax"


def test_svg_export_has_one_ellipse_per_neuron_and_rects_for_strips(qtbot):
    from neuroviz.views.export import render_svg

    sizes = [3, 6, 256, 2]
    v = shown(qtbot, sizes, size=(800, 500))
    v.set_values(*ramp_frame(sizes), 1.0, 1.0, 1.0)
    v.set_selection(1, 2)
    root = ET.fromstring(render_svg(v))
    ns = "{http://www.w3.org/2000/svg}"
    footer = v.legend_rect()
    dots = []
    for group in root.iter(f"{ns}g"):
        for shape in list(group.findall(f"{ns}circle")) + list(group.findall(f"{ns}ellipse")):
            x, y = float(shape.get("cx")), float(shape.get("cy"))
            if group.get("fill", "none") != "none" and y < footer.top():
                dots.append((round(x, 1), round(y, 1), group.get("fill")))
    expected = [
        (round(v.neuron_position(k, i).x(), 1), round(v.neuron_position(k, i).y(), 1), v.neuron_colors(k)[i].name())
        for k in (0, 1, 3)
        for i in range(sizes[k])
    ]
    assert sorted(dots) == sorted(expected)  # exactly one filled circle per dot neuron, none for the legend
    rects = [r for r in root.iter(f"{ns}rect") if float(r.get("width", 0)) == pytest.approx(v.strip_width())]
    assert len(rects) >= 256  # the strip's bars are vector rectangles
    assert not list(root.iter(f"{ns}image"))


# -- bad input -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f[0].__setitem__(1, np.zeros(5)), r"values\[1\] has shape \(5,\), expected \(6,\)"),
        (
            lambda f: f[1].__setitem__(2, np.zeros((3, 5))),
            r"edges\[2\] has shape \(3, 5\), expected \(5, 3\)",
        ),
        (lambda f: f[2].__setitem__(0, np.zeros(2)), r"biases\[0\] has shape"),
        (
            lambda f: f[3].__setitem__(0, np.array([0, 9, 0], dtype=np.int8)),
            r"status\[0\] must hold integer codes",
        ),
        (lambda f: f[0].__setitem__(0, ["a", "b", "c"]), r"values\[0\] is not an array of numbers"),
    ],
)
def test_bad_arrays_raise_value_errors(view, change, message):
    frame = make_frame(SIZES)
    change(frame)
    with pytest.raises(ValueError, match=message):
        view.set_values(*frame, 1.0, 1.0, 1.0)


@pytest.mark.parametrize("limit", [0.0, -1.0, float("nan"), float("inf"), "x"])
def test_bad_limits_raise(view, limit):
    with pytest.raises(ValueError, match="edge_limit"):
        view.set_values(*make_frame(SIZES), 1.0, limit, 1.0)


@pytest.mark.parametrize(
    ("sizes", "message"),
    [([], "sizes is empty"), ([3, 0], r"sizes\[1\] must be a positive integer"), ([2.5], "positive integer")],
)
def test_bad_structure_raises(view, sizes, message):
    with pytest.raises(ValueError, match=message):
        view.set_structure(sizes, ["h"] * len(sizes))


def test_values_before_structure_raise(qtbot):
    v = NetworkView()
    qtbot.addWidget(v)
    with pytest.raises(ValueError, match="call set_structure first"):
        v.set_values([np.zeros(2)], [], [], [np.zeros(2, dtype=np.int8)], 1.0, 1.0, 1.0)
    assert v.neuron_at((10, 10)) is None and v.edge_at((10, 10)) is None


# -- exports and screenshots ---------------------------------------------------------------------------------
def test_svg_export_has_vector_neurons_and_text(view):
    values, edges, biases, status = make_frame(SIZES)
    view.set_show_labels(True)
    view.set_values(values, edges, biases, status, 1.0, 1.0, 1.0)
    scene = view.plot_scene()
    items = [item for item in scene.items() if hasattr(item, "setExportMode")]
    for item in items:
        item.setExportMode(True, {"antialias": True, "background": None, "painter": None})
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(800, 500))
    generator.setViewBox(QRectF(0, 0, 800, 500))
    painter = QPainter(generator)
    scene.render(painter, QRectF(0, 0, 800, 500), scene.sceneRect())
    painter.end()
    for item in items:
        item.setExportMode(False)
    svg = bytes(data).decode()
    ET.fromstring(svg)  # well-formed XML
    assert QSvgRenderer(data).isValid()
    shapes = len(re.findall(r"<(path|ellipse|circle)\b", svg))
    neurons, bias_marks = sum(SIZES), sum(SIZES[1:])
    assert shapes >= neurons + bias_marks
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    stripped = [t.strip() for t in texts]
    assert "hidden 1" in stripped and "6 · relu" in stripped
    assert format_value(values[1][0]) in stripped  # value labels
    assert "activation" in stripped  # colour bar title


def test_screenshots(qtbot):
    """Pictures to look at (/tmp/netview_*.png); they must show the network, not an empty canvas."""
    v = NetworkView()
    qtbot.addWidget(v)
    v.resize(1400, 900)
    v.set_structure(SIZES, HEADERS)
    v.set_show_labels(True)
    values, edges, biases, status = make_frame(SIZES, seed=1)
    values[1][0], status[1][0] = 0.0, 1
    status[1][1] = 2
    values[2][0] = np.nan
    v.set_values(values, edges, biases, status, 1.0, 1.0, 1.0)
    v.set_selection(2, 3)
    small = v.grab()
    assert small.save("/tmp/netview_small.png")
    v.set_dark(True)
    assert v.grab().save("/tmp/netview_small_dark.png")
    v.set_dark(False)

    sizes = [256] * 18
    headers = ["input\n256"] + [f"hidden {k}\n256 · relu" for k in range(1, 17)] + ["output\n256 · softmax"]
    v.set_structure(sizes, headers)
    big = make_frame(sizes, seed=2, scale=0.06)
    v.set_values(*big, 1.0, 0.2, 1.0)
    assert v.drawn_edge_count() <= 20_000 and v.hidden_edge_count() == 17 * 256 * 256 - v.drawn_edge_count()
    assert v.lod_notice().endswith("of 1,114,112 connections")
    image = v.grab()
    assert image.save("/tmp/netview_big.png")
    for picture in (small.toImage(), image.toImage()):
        distinct = {picture.pixel(x, y) for x in range(0, 1400, 11) for y in range(0, 900, 11)}
        assert len(distinct) > 30
