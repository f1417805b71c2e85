"""OutputsChart: bar heights, arg-max highlight, signs, non-finite markers and the probability axis."""

import itertools

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QPainter

from neuroviz.views.outputs_chart import OutputsChart, bar_spacing, chart_colors, format_value, thinned_ticks

LIGHT = chart_colors(False)
DARK = chart_colors(True)


@pytest.fixture
def chart(qtbot):
    widget = OutputsChart()
    qtbot.addWidget(widget)
    widget.resize(360, 240)
    widget.show()
    return widget


def test_probabilities_highlight_argmax_on_fixed_axis(chart):
    chart.set_outputs(np.array([0.2, 0.7, 0.1]), ["cat", "dog", "bird"], probabilities=True)
    np.testing.assert_array_equal(chart.bar_heights(), [0.2, 0.7, 0.1])
    assert chart.highlighted_index() == 1
    colours = chart.bar_colors()
    assert colours[1] != colours[0] and colours[0] == colours[2]
    assert colours[1] == QColor(LIGHT.most_likely)
    assert colours[0] == QColor(LIGHT.probability)
    assert chart.y_label() == "probability"
    low, high = chart.y_window()
    assert -0.05 < low <= 0.0 and 1.0 <= high < 1.25
    texts = chart.value_texts()
    assert texts[1] == "0.70"
    ticks = chart.getPlotItem().getAxis("bottom")._tickLevels[0]
    assert [label for _pos, label in ticks] == ["cat", "dog", "bird"]


def test_highlight_follows_new_values(chart):
    chart.set_outputs(np.array([0.2, 0.7, 0.1]), ["a", "b", "c"], probabilities=True)
    chart.set_outputs(np.array([0.6, 0.3, 0.1]), ["a", "b", "c"], probabilities=True)
    assert chart.highlighted_index() == 0
    assert chart.bar_colors()[0] == QColor(LIGHT.most_likely)
    assert chart.bar_colors()[1] == QColor(LIGHT.probability)


def test_raw_outputs_autoscale_and_negative_bars_use_negative_colour(chart):
    chart.set_outputs(np.array([2.5, -1.5]), ["y1", "y2"], probabilities=False)
    assert chart.highlighted_index() is None
    assert chart.y_label() == "output"
    colours = chart.bar_colors()
    assert colours[1] == QColor(LIGHT.negative)
    assert colours[0] == QColor(LIGHT.positive)
    low, high = chart.y_window()
    assert low < -1.5 and high > 2.5
    assert chart.value_texts() == ["2.5", "-1.5"]


def test_non_finite_outputs_are_marked(chart):
    chart.set_outputs(np.array([np.nan, np.inf, -np.inf, 0.5]), ["a", "b", "c", "d"], probabilities=False)
    heights = chart.bar_heights()
    _low, high = chart._window()
    assert heights[0] == high and heights[1] == high
    assert heights[2] < 0
    assert heights[3] == 0.5
    assert chart.value_texts()[:3] == ["NaN", "+∞", "−∞"]  # the one rule of neuroviz.model.display
    marker = QColor(LIGHT.nonfinite)
    assert chart.bar_colors()[0] == marker and chart.bar_colors()[2] == marker
    chart.grab()  # paints without RuntimeWarnings


def test_probabilities_with_nan_highlight_the_finite_max(chart):
    chart.set_outputs(np.array([np.nan, 0.3, 0.6]), ["a", "b", "c"], probabilities=True)
    assert chart.highlighted_index() == 2
    chart.set_outputs(np.array([np.nan, np.nan]), ["a", "b"], probabilities=True)
    assert chart.highlighted_index() is None


def test_items_are_created_once(chart):
    chart.set_outputs(np.array([0.1, 0.9]), ["a", "b"], probabilities=True)
    count = len(chart.getPlotItem().items)
    for _ in range(20):
        chart.set_outputs(np.array([0.4, 0.6]), ["a", "b"], probabilities=True)
    assert len(chart.getPlotItem().items) == count


def test_many_outputs_label_only_the_highlight(chart):
    values = np.full(40, 0.01)
    values[17] = 0.61
    chart.set_outputs(values, [f"y{i}" for i in range(40)], probabilities=True)
    texts = chart.value_texts()
    assert texts[17] == "0.61"
    assert sum(1 for t in texts if t) == 1


def test_fewer_outputs_hide_leftover_labels(chart):
    chart.set_outputs(np.array([0.1, 0.2, 0.7]), ["a", "b", "c"], probabilities=True)
    chart.set_outputs(np.array([0.4]), ["a"], probabilities=False)
    assert chart.value_texts() == ["0.40"]
    assert sum(t.isVisible() for t in chart._texts) == 1


def test_mismatched_labels_raise(chart):
    with pytest.raises(ValueError, match="2 values but 3 labels"):
        chart.set_outputs(np.array([0.1, 0.2]), ["a", "b", "c"], probabilities=True)


def test_format_value():
    assert format_value(0.734) == "0.73"
    assert format_value(-1234.4) == "-1234"
    assert format_value(12345.6) == "1.2e+04"
    assert format_value(0.0001234) == "0.00012"
    assert format_value(12.345) == "12.3"
    assert format_value(float("nan")) == "NaN"
    assert format_value(float("-inf")) == "−∞"
    assert format_value(0.0) == "0.00"


def test_highlighted_bar_is_painted_in_highlight_colour(chart):
    chart.set_outputs(np.array([0.1, 0.8, 0.1]), ["a", "b", "c"], probabilities=True)
    image = chart.grab().toImage()
    view = chart.getPlotItem().getViewBox()
    point = view.mapViewToDevice(pg_point(1.0, 0.45))  # between grid lines
    global_point = chart.mapFromScene(point)
    colour = image.pixelColor(global_point.x(), global_point.y())
    assert colour == QColor(LIGHT.most_likely)


def pg_point(x, y):
    from PySide6.QtCore import QPointF

    return QPointF(x, y)


def test_dark_theme(chart):
    chart.set_outputs(np.array([0.1, 0.9]), ["a", "b"], probabilities=True)
    chart.set_dark(True)
    assert chart.grab().toImage().pixelColor(3, 3).lightness() < 60
    assert chart.bar_colors()[1] == QColor(DARK.most_likely)


def test_screenshot(chart):
    chart.set_outputs(np.array([0.12, 0.71, 0.17]), ["setosa", "versicolor", "virginica"], probabilities=True)
    assert chart.grab().save("/tmp/panel_outputs.png")
    chart.set_outputs(np.array([1.3, -0.8, np.nan, np.inf]), ["y1", "y2", "y3", "y4"], probabilities=False)
    assert chart.grab().save("/tmp/panel_outputs_raw.png")


def test_theme_change_before_any_outputs_and_empty_outputs(chart):
    chart.set_dark(True)  # the application sets its theme before the first propagation
    chart.set_dark(False)
    chart.set_outputs(np.zeros(0), [], probabilities=True)
    assert chart.bar_heights().size == 0
    assert chart.highlighted_index() is None
    chart.set_outputs(np.array([0.3, 0.7]), ["a", "b"], probabilities=True)
    assert chart.highlighted_index() == 1
    chart.grab()


def drawn_tick_texts(chart, name):
    """The tick texts the axis really paints, with their rectangles (pyqtgraph drops those that do not fit)."""
    axis = chart.getPlotItem().getAxis(name)
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [(rect, text) for rect, _flags, text in specs[2]]


def test_many_outputs_write_only_the_names_that_fit(qtbot, chart):
    values = np.full(256, 0.001)
    values[137] = 0.7
    chart.set_outputs(values, [f"y{i + 1}" for i in range(256)], probabilities=True)
    ticks = chart.x_tick_labels()
    assert {0, 137, 255} <= {i for i, _ in ticks}  # the first, the last and the most likely
    assert 3 <= len(ticks) <= 12  # not 256 names on top of each other
    drawn = drawn_tick_texts(chart, "bottom")
    assert [text for _, text in drawn] == [name for _, name in ticks]  # all of them painted, y1 and y256 too
    rects = [rect for rect, _ in drawn]
    assert all(not a.intersects(b) for a, b in itertools.pairwise(rects))  # side by side, never overlapping
    chart.resize(1200, 240)  # more room: more names
    qtbot.waitUntil(lambda: len(chart.x_tick_labels()) > len(ticks))
    assert {0, 137, 255} <= {i for i, _ in chart.x_tick_labels()}
    chart.set_outputs(values[:3], ["a", "b", "c"], probabilities=True)
    assert chart.x_tick_labels() == [(0, "a"), (1, "b"), (2, "c")]  # few outputs: every name


def test_thinned_ticks_keep_first_last_and_largest():
    names = [f"y{i}" for i in range(100)]
    ticks = thinned_ticks(names, bar_px=3.0, label_px=30, keep=51)
    indices = [i for i, _ in ticks]
    assert indices[0] == 0 and indices[-1] == 99 and 51 in indices
    assert all(b - a >= 10 for a, b in itertools.pairwise(indices))  # 3 px per bar, 30 px per name
    assert thinned_ticks(names[:4], bar_px=75.0, label_px=30) == [(i, f"y{i}") for i in range(4)]
    assert thinned_ticks([], bar_px=3.0, label_px=30) == []


@pytest.mark.parametrize(
    ("values", "ticks"),
    [(np.array([0.73]), ["0", "0.2", "0.4", "0.6", "0.8"]), (np.array([0.0004, 0.0009]), ["0", "0.0005", "0.0010"])],
)
def test_raw_outputs_are_labelled_in_their_own_units(qtbot, chart, values, ticks):
    """A sigmoid output of 0.73 is not "output (x0.001)" with ticks up to 800."""
    chart.set_outputs(values, [f"y{i + 1}" for i in range(values.size)], probabilities=False)
    assert chart.y_label() == "output"
    assert chart.y_tick_strings() == ticks
    # the axis widens for its longest number within an event loop turn or two, then paints them all
    qtbot.waitUntil(lambda: set(ticks) <= {text for _, text in drawn_tick_texts(chart, "left")})
    assert not any("800" in text or "x0.001" in text for _, text in drawn_tick_texts(chart, "left"))


def painted_colour(chart, x: float, y: float) -> QColor:
    """The colour the chart paints at (x, y) in its data coordinates (the units of its y axis)."""
    view = chart.getPlotItem().getViewBox()
    point = chart.mapFromScene(view.mapViewToScene(QPointF(x, y)))
    return chart.grab().toImage().pixelColor(point.x(), point.y())


@pytest.mark.parametrize("huge", [1e120, 1e150, 1e300, 1e308, 1.7976931348623157e308])
def test_huge_outputs_are_drawn_in_scaled_units_and_every_bar_is_painted(chart, huge):
    """Qt paints no bar 1e150 high: bars are drawn in units of 10ᵏ and the axis title says which."""
    outputs = np.array([huge, -huge / 2, huge / 4])
    chart.set_outputs(outputs, ["a", "b", "c"], False)
    exponent = int(np.floor(np.log10(huge)))
    assert chart.y_label() == f"output (× 1e{exponent})"
    np.testing.assert_array_equal(chart.bar_heights(), outputs)  # the real values, nothing clipped
    drawn = chart.drawn_heights()
    np.testing.assert_allclose(drawn, outputs / 10.0**exponent)
    low, high = chart.y_window()
    assert low < drawn.min() and drawn.max() < high and high < 10
    assert [format_value(v) for v in outputs] == chart.value_texts()
    for i, colour in enumerate((LIGHT.positive, LIGHT.negative, LIGHT.positive)):
        assert painted_colour(chart, i, drawn[i] / 2) == QColor(colour), i  # the bar is there, halfway up


def test_moderate_outputs_keep_plain_units(chart):
    chart.set_outputs(np.array([1e6, -3.0]), ["a", "b"], False)
    assert chart.y_label() == "output"
    np.testing.assert_array_equal(chart.drawn_heights(), [1e6, -3.0])
    chart.set_outputs(np.array([2.5e6, -3.0]), ["a", "b"], False)
    assert chart.y_label() == "output (× 1e6)"
    assert max(float(t) for t in chart.y_tick_strings()) <= 3.0  # ticks in the scaled units


def test_a_negative_infinity_gets_room_below_zero_with_its_label_in_view(chart):
    chart.set_outputs(np.array([-np.inf, 1.0, 2.0]), ["y1", "y2", "y3"], False)
    low, _high = chart.y_window()
    marker = chart.bar_heights()[0]
    assert marker <= -0.25 * 2.0 and low < marker  # a third of the positive side, all of it in view
    label = chart._texts[0]
    assert chart.value_texts()[0] == "−∞"
    chart.grab()  # text items place themselves when painted
    view_rect = chart.getPlotItem().getViewBox().sceneBoundingRect()
    assert view_rect.contains(label.sceneBoundingRect())
    hatch = QColor(LIGHT.nonfinite)
    image = chart.grab().toImage()
    view = chart.getPlotItem().getViewBox()
    top = chart.mapFromScene(view.mapViewToScene(QPointF(0.0, 0.0)))
    bottom = chart.mapFromScene(view.mapViewToScene(QPointF(0.0, marker)))
    assert bottom.y() - top.y() > 40  # tall enough to see
    column = [image.pixelColor(x, y) for x in range(top.x() - 20, top.x() + 20) for y in range(top.y() + 3, bottom.y())]
    assert sum(c == hatch for c in column) > 50  # the hatched marker is painted below the zero line


def test_nan_and_positive_infinity_get_room_above_zero_when_every_output_is_negative(chart):
    chart.set_outputs(np.array([np.nan, np.inf, -1.0, -2.0]), ["a", "b", "c", "d"], False)
    low, high = chart.y_window()
    heights = chart.bar_heights()
    assert heights[0] > 0.5 and heights[1] > 0.5 and high > heights[0]
    chart.grab()  # text items place themselves when painted
    view_rect = chart.getPlotItem().getViewBox().sceneBoundingRect()
    assert all(view_rect.contains(chart._texts[i].sceneBoundingRect()) for i in (0, 1))
    assert painted_colour(chart, 0, heights[0] / 2) != QColor(LIGHT.background)  # a hatched bar, not nothing
    chart.set_outputs(np.array([-np.inf]), ["a"], False)  # nothing but a −∞
    low, high = chart.y_window()
    assert low < chart.bar_heights()[0] < 0 <= high


@pytest.mark.parametrize("largest", [249, 1, 0, 255, 128])
def test_bar_names_never_overlap_wherever_the_largest_output_is(qtbot, largest):
    chart = OutputsChart()
    qtbot.addWidget(chart)
    chart.resize(500, 300)
    chart.show()
    values = np.full(256, 0.5 / 255)
    values[largest] = 0.5
    chart.set_outputs(values, [f"y{i + 1}" for i in range(256)], probabilities=True)
    indices = [i for i, _ in chart.x_tick_labels()]
    assert largest in indices
    drawn = drawn_tick_texts(chart, "bottom")
    assert [text for _, text in drawn] == [name for _, name in chart.x_tick_labels()]  # pyqtgraph hid none
    rects = [rect for rect, _ in drawn]
    assert all(not a.intersects(b) for a, b in itertools.pairwise(rects))


def test_thinned_ticks_put_the_largest_first_then_the_ends_if_they_fit():
    names = [f"y{i}" for i in range(256)]
    ticks = [i for i, _ in thinned_ticks(names, bar_px=1.75, label_px=40, keep=249)]  # 23 bars per name
    assert 249 in ticks and 255 not in ticks and 0 in ticks
    assert all(b - a >= 23 for a, b in itertools.pairwise(ticks))
    ticks = [i for i, _ in thinned_ticks(names, bar_px=1.75, label_px=40, keep=1)]
    assert ticks[0] == 1 and 255 in ticks and all(b - a >= 23 for a, b in itertools.pairwise(ticks))


def test_bar_spacing_matches_the_view_the_chart_shows(chart):
    values = np.full(100, 0.01)
    chart.set_outputs(values, [f"output {i}" for i in range(100)], probabilities=True)
    per_bar, margin = bar_spacing(chart.getPlotItem().getViewBox().width(), 100, chart._name_px)
    (left, right), _ = chart.getPlotItem().getViewBox().viewRange()
    assert (left, right) == pytest.approx((-margin, 99 + margin))
    assert per_bar * (right - left) == pytest.approx(chart.getPlotItem().getViewBox().width())
