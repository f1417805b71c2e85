"""ActivationPlot draws exactly the curve and points it is given, readably, in both themes."""

import numpy as np
import pytest
from PySide6.QtGui import QColor

from neuroviz.views.activation_plot import ActivationPlot, sane_y_range


@pytest.fixture
def plot(qtbot):
    widget = ActivationPlot()
    qtbot.addWidget(widget)
    widget.resize(420, 300)
    widget.show()
    return widget


def tanh_curve():
    x = np.linspace(-5, 5, 201)
    return x, np.tanh(x), 1 - np.tanh(x) ** 2


def test_curve_data_equals_what_was_set(plot):
    x, f, df = tanh_curve()
    plot.set_curve(x, f, df, "hidden 2 · tanh")
    cx, cf = plot.curve_data()
    np.testing.assert_array_equal(cx, x)
    np.testing.assert_array_equal(cf, f)
    dx, ddf = plot.derivative_data()
    np.testing.assert_array_equal(dx, x)
    np.testing.assert_array_equal(ddf, df)
    assert plot.title() == "hidden 2 · tanh"
    assert plot.legend_labels() == ["f(z)", "f′(z)"]
    assert plot.getPlotItem().getAxis("bottom").labelText == "pre-activation z"


def test_points_equal_what_was_set_and_non_finite_are_skipped(plot):
    plot.set_curve(*tanh_curve(), "hidden 1 · tanh")
    z = np.array([-1.0, 0.5, np.nan, 2.0, np.inf])
    a = np.tanh(z)
    dz = 1 - a**2
    plot.set_points(z, a, dz)
    pz, pa = plot.point_data()
    np.testing.assert_array_equal(pz, [-1.0, 0.5, 2.0])
    np.testing.assert_allclose(pa, np.tanh([-1.0, 0.5, 2.0]))
    qz, qd = plot.derivative_point_data()
    np.testing.assert_array_equal(qz, [-1.0, 0.5, 2.0])
    np.testing.assert_allclose(qd, 1 - np.tanh([-1.0, 0.5, 2.0]) ** 2)


def test_derivative_is_dashed_and_distinct_from_function(plot):
    f_pen = plot._curve.opts["pen"]
    df_pen = plot._derivative.opts["pen"]
    assert df_pen.style() != f_pen.style()
    assert df_pen.color() != f_pen.color()


def test_window_fits_a_bounded_curve(plot):
    x = np.linspace(-5, 5, 101)
    f = 1 / (1 + np.exp(-x))
    plot.set_curve(x, f, f * (1 - f), "output · sigmoid")
    low, high = plot.y_window()
    assert -0.2 < low <= 0.0 and 1.0 <= high < 1.2
    x_low, x_high = plot.x_window()
    assert x_low == pytest.approx(-5.0, abs=0.05) and x_high == pytest.approx(5.0, abs=0.05)


def test_exploding_curve_is_clipped_to_a_sane_window(plot):
    x = np.linspace(-5, 5, 101)
    plot.set_curve(x, np.exp(x), np.exp(x), "hidden 1 · exponential")
    _low, high = plot.y_window()
    assert high < 12.0  # e^5 ≈ 148 would squash the curve flat
    assert high > 9.0
    _, drawn = plot.curve_data()
    assert np.all(np.isfinite(drawn))
    np.testing.assert_allclose(drawn[:60], np.exp(x[:60]))  # the visible part is untouched


def test_infinite_values_leave_gaps_without_warnings(plot):
    x = np.linspace(-800, 800, 5)
    with np.errstate(over="ignore"):
        f = np.exp(x)  # e^400 ≈ 5e173 is finite, e^800 overflows to inf
    plot.set_curve(x, f, f, "hidden 1 · exponential")
    _, drawn = plot.curve_data()
    assert np.isnan(drawn[-1])  # a gap where the curve is infinite
    low, high = plot.y_window()
    assert drawn[-2] == pytest.approx(high + 10 * (high - low))  # huge but clipped to a drawable height
    assert np.isfinite(drawn[:4]).all()
    plot.set_points(np.array([np.inf, 1.0]), np.array([np.inf, np.e]), np.array([np.nan, np.e]))
    np.testing.assert_array_equal(plot.point_data()[0], [1.0])
    plot.grab()  # paints without RuntimeWarnings (they are errors in this suite)


def test_points_outside_curve_extend_x_window(plot):
    plot.set_curve(*tanh_curve(), "hidden 1 · tanh")
    plot.set_points(np.array([7.0]), np.tanh([7.0]), 1 - np.tanh([7.0]) ** 2)
    assert plot.x_window()[1] >= 7.0


def test_mismatched_lengths_raise(plot):
    with pytest.raises(ValueError, match="same length"):
        plot.set_curve(np.zeros(3), np.zeros(2), np.zeros(3), "t")
    with pytest.raises(ValueError, match="same length"):
        plot.set_points(np.zeros(3), np.zeros(3), np.zeros(1))


def test_sane_y_range_keeps_zero_and_ignores_inf():
    low, high = sane_y_range([np.array([1.0, 2.0, np.inf])], np.array([-5.0, 5.0]))
    assert low < 0 < high and 2.0 < high < 2.5
    low, high = sane_y_range([np.array([np.nan])], np.array([-5.0, 5.0]))
    assert (low, high) == (-1.0, 1.0)


def test_items_are_reused_across_updates(plot):
    items_before = len(plot.getPlotItem().items)
    for scale in (1.0, 2.0, 3.0):
        x = np.linspace(-5, 5, 50)
        plot.set_curve(x, scale * x, np.full_like(x, scale), "linear")
        plot.set_points(np.array([1.0]), np.array([scale]), np.array([scale]))
    assert len(plot.getPlotItem().items) == items_before


def test_dark_theme_changes_background_and_is_painted(plot):
    plot.set_curve(*tanh_curve(), "hidden 1 · tanh")
    light = plot.grab().toImage().pixelColor(5, 5)
    plot.set_dark(True)
    dark = plot.grab().toImage().pixelColor(5, 5)
    assert light.lightness() > 200
    assert dark.lightness() < 60
    assert plot.is_dark()


def test_curve_is_painted_in_the_function_colour(plot):
    x, f, df = tanh_curve()
    plot.set_curve(x, f, df, "hidden 1 · tanh")
    image = plot.grab().toImage()
    target = QColor("#5e3c99")
    close = 0
    for px in range(0, image.width(), 2):
        for py in range(0, image.height(), 2):
            c = image.pixelColor(px, py)
            if abs(c.red() - target.red()) + abs(c.green() - target.green()) + abs(c.blue() - target.blue()) < 60:
                close += 1
    assert close > 30


def test_screenshot(plot):
    x = np.linspace(-5, 5, 201)
    f = np.where(x > 0, x, 0.1 * x)
    df = np.where(x > 0, 1.0, 0.1)
    plot.set_curve(x, f, df, "hidden 1 · relu(negative_slope=0.1)")
    z = np.array([-3.2, -1.0, 0.4, 1.7, 2.9, 4.1])
    plot.set_points(z, np.where(z > 0, z, 0.1 * z), np.where(z > 0, 1.0, 0.1))
    assert plot.grab().save("/tmp/panel_activation_plot.png")
    plot.set_dark(True)
    assert plot.grab().save("/tmp/panel_activation_plot_dark.png")


def test_theme_change_before_any_data_and_empty_data(plot):
    plot.set_dark(True)
    plot.set_curve(np.zeros(0), np.zeros(0), np.zeros(0), "empty")
    plot.set_points(np.zeros(0), np.zeros(0), np.zeros(0))
    assert plot.curve_data()[0].size == 0 and plot.point_data()[0].size == 0
    assert plot.y_window() == (-1.0, 1.0)
    plot.grab()


@pytest.mark.parametrize("huge", [1.7976931348623157e308, 1e308, 1e300])
def test_neurons_near_the_largest_float_are_drawn_at_the_windows_edge(plot, huge):
    """Spans of ±1.8e308 overflow to inf, and Qt crashes on such coordinates: windows and points stay in ±1e300."""
    from neuroviz.views.activation_plot import VIEW_LIMIT

    x = np.linspace(-1e6, 1e6, 101)
    plot.set_curve(x, x, np.ones_like(x), "hidden 1 · linear")
    z = np.array([huge, -huge, 0.5])
    plot.set_points(z, z, np.ones(3))
    plot.grab()  # paints without crashing
    low, high = plot.y_window()
    assert np.isfinite([low, high]).all() and -VIEW_LIMIT <= low < high <= VIEW_LIMIT
    shown_z, shown_a = plot.point_data()
    np.testing.assert_array_equal(shown_z, np.clip(z, -VIEW_LIMIT, VIEW_LIMIT))
    np.testing.assert_array_equal(shown_a, np.clip(z, -VIEW_LIMIT, VIEW_LIMIT))


def painted_near(plot, x: float, y: float, colour: str, reach: int = 2) -> bool:
    """Whether a pixel within ``reach`` of the data point (x, y) has ``colour`` (give or take antialiasing)."""
    from PySide6.QtCore import QPointF

    image = plot.grab().toImage()
    point = plot.mapFromScene(plot.getPlotItem().getViewBox().mapViewToScene(QPointF(x, y)))
    want = QColor(colour)

    def near(found: QColor) -> bool:
        return abs(found.red() - want.red()) + abs(found.green() - want.green()) + abs(found.blue() - want.blue()) < 60

    return any(
        near(image.pixelColor(point.x() + dx, point.y() + dy))
        for dx in range(-reach, reach + 1)
        for dy in range(-reach, reach + 1)
    )


@pytest.mark.parametrize("magnitude", [1e120, 1e150, 1e250, 5e299])
def test_points_and_curves_up_to_the_view_limit_are_painted(plot, magnitude):
    """Qt draws curves and points of any size below VIEW_LIMIT (bars are another matter: see the outputs chart)."""
    from neuroviz.views.activation_plot import CURVE_COLOURS, VIEW_LIMIT

    assert magnitude <= VIEW_LIMIT
    f_colour = CURVE_COLOURS[False][0]
    z = np.array([-magnitude, 0.5 * magnitude, magnitude])
    plot.set_curve_and_points((np.linspace(-1e6, 1e6, 11),) * 2 + (np.zeros(11),), "t", (z, z, np.ones(3)))
    assert painted_near(plot, 0.5 * magnitude, 0.5 * magnitude, f_colour)  # the middle neuron's point
    x = np.linspace(-magnitude, magnitude, 201)
    plot.set_curve_and_points((x, 0.5 * x, np.zeros_like(x)), "t", (np.zeros(1), np.zeros(1), np.zeros(1)))
    assert all(painted_near(plot, t * magnitude, 0.5 * t * magnitude, f_colour) for t in (-0.6, 0.3, 0.8))


def test_axes_label_ticks_in_the_datas_own_units(plot):
    """pyqtgraph would add an SI prefix ("(x1e+27)") to the axis of huge values; the plot shows the numbers."""
    x = np.linspace(-1e300, 1e300, 11)
    plot.set_curve(x, x, np.ones_like(x), "hidden 1 · linear")
    plot.grab()
    for name in ("bottom", "left"):
        axis = plot.getPlotItem().getAxis(name)
        assert axis.autoSIPrefixScale == 1.0 and "(x" not in axis.labelString()
