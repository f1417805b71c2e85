"""The activation plot: a layer's f(z) and f′(z), with each neuron drawn as a point on both curves; optionally
another activation's curves (dotted, for comparison) and the z probe's values (crosses).

A dumb view: the controller computes the curve (for layer-wide activations by varying one neuron with
the others fixed) and the per-neuron points; this widget only draws them. Items are created once and
updated with setData.

Curves that explode (``exponential``) would flatten everything else, so the y window is clipped to a
sane height derived from the x range; values far outside the window are clipped before drawing and
non-finite values leave a gap, so Qt never receives inf or 1e300 coordinates.

Speed: while an input moves, usually only the points move. The curves, title, axes and view range are
only touched when they change; the x and y windows are kept while what they must show fits (see
``stable_x_window``), so the axes are not redrawn on every input change; and the items that rarely change
(axes with their grid, texts) keep a pixmap of themselves (DeviceCoordinateCache), so a repaint blits them
instead of replaying hundreds of text and line commands. Exports switch those caches off (views/export.py)
and stay vectors.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsTextItem, QWidget

from neuroviz.views import colors, pg_options  # noqa: F401  (pyqtgraph options before any item)

__all__ = ["ActivationPlot", "OpaqueGridAxis", "nice_step", "sane_y_range", "stable_x_window", "stable_y_window"]

#: (function, derivative) curve colours per theme (dark: True). They avoid the shared theme's blue and orange,
#: which mean "positive" and "negative" everywhere else; background and text come from the shared theme.
CURVE_COLOURS = {False: ("#5e3c99", "#1b9e77"), True: ("#b8a6e8", "#5fd3ad")}


class OpaqueGridAxis(pg.AxisItem):
    """A pyqtgraph axis whose grid lines are drawn in opaque colours over ``background``, behind the data.

    pyqtgraph fades grid lines with alpha; Qt draws a translucent line across a plot ~15× slower than an
    opaque one (3–6 ms per axis here), so the faded colour is computed against the plot's background
    instead, and the grid goes behind the curves and bars (an opaque line over them would cut them).
    """

    #: Below the plot's ViewBox (z = -100), so the grid is drawn before the data.
    Z_BEHIND_DATA = -200

    def __init__(self, orientation: str, **kwargs) -> None:
        super().__init__(orientation, **kwargs)
        # ticks in the data's own units: pyqtgraph's SI prefix turned 0..1 into "(x0.001)" and 1e300 into "(x1e+27)"
        self.enableAutoSIPrefix(False)
        self._background = QColor("white")
        self._opaque_pens: dict[tuple[int, int], QPen] = {}

    def setZValue(self, z: float) -> None:
        """PlotItem puts its axes above the data (z = 0.5); this one always stays behind it."""
        super().setZValue(min(z, self.Z_BEHIND_DATA))

    def set_background(self, background: str | QColor) -> None:
        self._background = QColor(background)
        self._opaque_pens.clear()
        self.picture = None
        self.update()

    def generateDrawSpecs(self, p):
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return None
        axis_spec, tick_specs, text_specs = specs
        return axis_spec, [(self._opaque(pen), p1, p2) for pen, p1, p2 in tick_specs], text_specs

    def _opaque(self, pen: QPen) -> QPen:
        colour = pen.color()
        if colour.alpha() == 255:
            return pen
        key = (colour.rgba(), round(pen.widthF() * 100))
        if key not in self._opaque_pens:
            opaque = QPen(pen)
            opaque.setColor(colors.flatten(colour, self._background))
            self._opaque_pens[key] = opaque
        return self._opaque_pens[key]


#: Window ends stay within ±VIEW_LIMIT: spans and steps of values near the largest float (1.8e308) would overflow.
#: Curves and points are painted correctly right up to it (measured; a test checks the pixels). Bars are not:
#: Qt paints no rectangle ~1e150 high, so the outputs chart draws large outputs in scaled units instead.
VIEW_LIMIT = 1e300


def _finite_clipped(values: np.ndarray) -> np.ndarray:
    """The finite values, clipped to ±VIEW_LIMIT (what a window may need to show)."""
    return np.clip(values[np.isfinite(values)], -VIEW_LIMIT, VIEW_LIMIT)


def sane_y_range(values: list[np.ndarray], x: np.ndarray) -> tuple[float, float]:
    """A y window for the finite values, clipped to ±max(2·max|x|, 2) so an exploding curve stays readable."""
    finite = [_finite_clipped(v) for v in values]
    finite = [v for v in finite if v.size]
    reach = float(np.max(np.abs(_finite_clipped(x)))) if np.any(np.isfinite(x)) else 1.0
    limit = max(2.0 * reach, 2.0)
    if not finite:
        return -1.0, 1.0
    joined = np.concatenate(finite)
    low = max(float(joined.min()), -limit)
    high = min(float(joined.max()), limit)
    low, high = min(low, 0.0), max(high, 0.0)  # keep the zero line in view
    if high - low < 1e-9:
        low, high = low - 1.0, high + 1.0
    pad = 0.08 * (high - low)
    return low - pad, high + pad


#: A window is kept while what it must show fits in it and fills at least this fraction of it; so while an input
#: moves, the axes (6 ms to redraw) change only now and then, and the plot does not jitter.
KEEP_FILL = 0.6


def nice_step(span: float) -> float:
    """The largest 1-2-2.5-5 × 10ⁿ step at most a tenth of ``span`` (> 0): window edges are multiples of it."""
    tenth = span / 10.0
    exponent = math.floor(math.log10(tenth))
    for step in (5.0, 2.5, 2.0, 1.0):
        if step * 10.0**exponent <= tenth * (1 + 1e-12):
            return step * 10.0**exponent
    return 10.0 ** (exponent - 1)


def stable_x_window(current: tuple[float, float] | None, x: np.ndarray, z: np.ndarray) -> tuple[float, float]:
    """The x window: every point ``z`` inside, and inside the sampled curve ``x`` where it can be.

    ``current`` (the window shown) is kept while that holds and the window spans at least KEEP_FILL of the
    curve; a new window is the curve's range rounded *inwards* to nice steps (so the curve reaches both edges),
    widened to the points that lie outside it.
    """
    x, z = _finite_clipped(x), _finite_clipped(z)
    if not x.size and not z.size:
        return -1.0, 1.0
    ends = np.concatenate([x, z])
    outer = float(ends.min()), float(ends.max())
    points = (float(z.min()), float(z.max())) if z.size else (math.inf, -math.inf)
    if current:
        low, high = current
        if (
            outer[0] <= low <= points[0]
            and points[1] <= high <= outer[1]
            and high - low >= KEEP_FILL * (outer[1] - outer[0])
        ):
            return current
    if outer[1] - outer[0] < 1e-9:
        return outer[0] - 1.0, outer[1] + 1.0
    step = nice_step(outer[1] - outer[0])
    low = min(math.ceil(outer[0] / step - 1e-9) * step, points[0])
    high = max(math.floor(outer[1] / step + 1e-9) * step, points[1])
    return low, high


def stable_y_window(current: tuple[float, float] | None, needed: tuple[float, float]) -> tuple[float, float]:
    """The y window: ``current`` while ``needed`` fits in it and fills KEEP_FILL of it, else ``needed`` rounded
    outwards to nice steps."""
    low, high = (float(np.clip(end, -VIEW_LIMIT, VIEW_LIMIT)) for end in needed)
    if current and current[0] <= low and high <= current[1] and high - low >= KEEP_FILL * (current[1] - current[0]):
        return current
    step = nice_step(high - low)
    return math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step


class ActivationPlot(pg.PlotWidget):
    """f(z) (solid) and f′(z) (dashed) of one layer, with its neurons as points on both curves."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems={"bottom": OpaqueGridAxis("bottom"), "left": OpaqueGridAxis("left")})
        self._dark = False
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.showGrid(x=True, y=True, alpha=0.15)
        item.setLabel("bottom", "pre-activation z")
        item.setLabel("left", "f(z), f′(z)")
        item.setTitle(" ", size="10pt")  # reserve the title row now, so the first paint is not clipped
        self.setMouseEnabled(x=False, y=False)
        self.setMinimumSize(220, 160)
        self.setToolTip(
            "The layer's activation f(z) (solid) and its derivative f′(z) (dashed). "
            "Dots: each neuron's current pre-activation z."
        )

        self._zero_x = pg.InfiniteLine(pos=0, angle=90, movable=False)
        self._zero_y = pg.InfiniteLine(pos=0, angle=0, movable=False)
        item.addItem(self._zero_x, ignoreBounds=True)
        item.addItem(self._zero_y, ignoreBounds=True)
        self._legend = item.addLegend(offset=(8, 8), labelTextSize="9pt")
        self._curve = item.plot([], [], name="f(z)", connect="finite")
        self._derivative = item.plot([], [], name="f′(z)", connect="finite")
        self._points = pg.ScatterPlotItem(size=9, symbol="o")
        self._derivative_points = pg.ScatterPlotItem(size=11, symbol="d")
        # another activation drawn for comparison (dotted), and the z probe's values (crosses); empty until asked
        self._compare = pg.PlotDataItem([], [], connect="finite")
        self._compare_derivative = pg.PlotDataItem([], [], connect="finite")
        self._probe_points = pg.ScatterPlotItem(size=12, symbol="x")
        for extra in (self._compare, self._compare_derivative, self._probe_points):
            item.addItem(extra)
        self._compared = ""
        item.addItem(self._points)
        item.addItem(self._derivative_points)
        texts = [text for text in self.scene().items() if isinstance(text, QGraphicsTextItem)]  # title, labels
        for still in (item.getAxis("bottom"), item.getAxis("left"), *texts):  # drawn from a pixmap until they change
            still.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._x = np.zeros(0)
        self._window = (-1.0, 1.0)
        self._title = " "
        self._curve_stale = True  # the curves must be redrawn (new data or a new y window)
        self._points_stale = True
        self._view_range: tuple[float, float, float, float] | None = None
        self._raw = {
            "f": np.zeros(0),
            "df": np.zeros(0),
            "z": np.zeros(0),
            "a": np.zeros(0),
            "dz": np.zeros(0),
            "cf": np.zeros(0),
            "cdf": np.zeros(0),
            "pz": np.zeros(0),
            "pa": np.zeros(0),
        }
        self._apply_theme()

    # -- data ------------------------------------------------------------------------------------------------
    def set_curve(self, x: np.ndarray, f: np.ndarray, df: np.ndarray, title: str) -> None:
        """Draw f and f′ sampled at x; ``title`` names the layer and activation."""
        self._take_curve(x, f, df, title)
        self._redraw()

    def set_points(self, z: np.ndarray, a: np.ndarray, dz: np.ndarray) -> None:
        """Each neuron's (z, f(z)) on the curve and (z, f′(z)) on the derivative; skips non-finite ones."""
        self._take_points(z, a, dz)
        self._redraw()

    def set_curve_and_points(
        self,
        curve: tuple[np.ndarray, np.ndarray, np.ndarray],
        title: str,
        points: tuple[np.ndarray, np.ndarray, np.ndarray],
        comparison: tuple[str, np.ndarray, np.ndarray] | None = None,
        probe: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        """``set_curve(*curve, title)`` and ``set_points(*points)`` with one redraw, as every input change needs.

        Two redraws would also fit the windows to the new curve with the old points first, and keep that.
        ``comparison`` = (name, f, f′) of another activation sampled at the same x, drawn dotted; ``probe`` =
        (z, f(z)) of the z probe, drawn as crosses. None removes them.
        """
        self._take_curve(*curve, title)
        self._take_points(*points)
        self._take_extras(comparison, probe)
        self._redraw()

    def _take_curve(self, x: np.ndarray, f: np.ndarray, df: np.ndarray, title: str) -> None:
        x, f, df = (np.asarray(a, dtype=np.float64).ravel() for a in (x, f, df))
        if not (x.shape == f.shape == df.shape):
            raise ValueError(
                f"ActivationPlot.set_curve: x, f and df must have the same length, got {x.size}, {f.size}, {df.size}"
            )
        if not (_same(x, self._x) and _same(f, self._raw["f"]) and _same(df, self._raw["df"])):
            self._x = x
            self._raw.update(f=f, df=df)
            self._curve_stale = True
        if title != self._title:  # re-laying out the title's HTML costs more than the rest of an update
            self._title = title
            self.getPlotItem().setTitle(title, size="10pt")

    def _take_points(self, z: np.ndarray, a: np.ndarray, dz: np.ndarray) -> None:
        z, a, dz = (np.asarray(v, dtype=np.float64).ravel() for v in (z, a, dz))
        if not (z.shape == a.shape == dz.shape):
            raise ValueError(
                f"ActivationPlot.set_points: z, a and dz must have the same length, got {z.size}, {a.size}, {dz.size}"
            )
        raw = self._raw
        if not (_same(z, raw["z"]) and _same(a, raw["a"]) and _same(dz, raw["dz"])):
            raw.update(z=z, a=a, dz=dz)
            self._points_stale = True

    def _take_extras(
        self, comparison: tuple[str, np.ndarray, np.ndarray] | None, probe: tuple[np.ndarray, np.ndarray] | None
    ) -> None:
        name, f, df = comparison if comparison is not None else ("", np.zeros(0), np.zeros(0))
        f, df = (np.asarray(v, dtype=np.float64).ravel() for v in (f, df))
        if name and not (f.shape == df.shape == self._x.shape):
            raise ValueError(f"ActivationPlot: the comparison needs {self._x.size} values of f and f′, got {f.size}")
        raw = self._raw
        if name != self._compared or not (_same(f, raw["cf"]) and _same(df, raw["cdf"])):
            raw.update(cf=f, cdf=df)
            self._curve_stale = True
            if name != self._compared:
                for entry in (self._compare, self._compare_derivative):
                    self._legend.removeItem(entry)
                if name:
                    self._legend.addItem(self._compare, f"{name}(z)")
                    self._legend.addItem(self._compare_derivative, f"{name}′(z)")
                self._compared = name
                self._apply_theme()
        pz, pa = (
            (np.zeros(0), np.zeros(0)) if probe is None else (np.asarray(v, dtype=np.float64).ravel() for v in probe)
        )
        if not (_same(pz, raw["pz"]) and _same(pa, raw["pa"])):
            raw.update(pz=pz, pa=pa)
            self._points_stale = True

    def set_dark(self, dark: bool) -> None:
        self._dark = bool(dark)
        self._apply_theme()

    def is_dark(self) -> bool:
        return self._dark

    # -- accessors (what is drawn) ---------------------------------------------------------------------------
    def curve_data(self) -> tuple[np.ndarray, np.ndarray]:
        return _xy(self._curve.getData())

    def derivative_data(self) -> tuple[np.ndarray, np.ndarray]:
        return _xy(self._derivative.getData())

    def point_data(self) -> tuple[np.ndarray, np.ndarray]:
        return _xy(self._points.getData())

    def derivative_point_data(self) -> tuple[np.ndarray, np.ndarray]:
        return _xy(self._derivative_points.getData())

    def comparison_data(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(x, f, f′) of the comparison curve as drawn (empty when there is none)."""
        x, f = _xy(self._compare.getData())
        return x, f, _xy(self._compare_derivative.getData())[1]

    def probe_point_data(self) -> tuple[np.ndarray, np.ndarray]:
        return _xy(self._probe_points.getData())

    def y_window(self) -> tuple[float, float]:
        """The y range shown."""
        return self._window

    def x_window(self) -> tuple[float, float]:
        (x_low, x_high), _ = self.getPlotItem().getViewBox().viewRange()
        return float(x_low), float(x_high)

    def title(self) -> str:
        return self.getPlotItem().titleLabel.text

    def legend_labels(self) -> list[str]:
        return [label.text for _sample, label in self._legend.items]

    # -- internals -------------------------------------------------------------------------------------------
    def _redraw(self) -> None:
        """Move into the items what changed since the last call; the rest stays (and stays cached)."""
        raw = self._raw
        x, z = self._x, raw["z"]
        x_low, x_high = stable_x_window(self._view_range and self._view_range[:2], x, np.concatenate([z, raw["pz"]]))
        inside = (x >= x_low) & (x <= x_high)
        shown = [raw["f"][inside], raw["df"][inside], raw["a"], raw["dz"], raw["pa"]]
        if raw["cf"].size:
            shown += [raw["cf"][inside], raw["cdf"][inside]]
        needed = sane_y_range(shown, np.array([x_low, x_high]))
        low, high = stable_y_window(self._view_range and self._view_range[2:], needed)
        if self._curve_stale or (low, high) != self._window:
            clip_low, clip_high = low - 10 * (high - low), high + 10 * (high - low)
            self._curve.setData(x, _drawable(raw["f"], clip_low, clip_high))
            self._derivative.setData(x, _drawable(raw["df"], clip_low, clip_high))
            compare_x = x if raw["cf"].size else np.zeros(0)
            self._compare.setData(compare_x, _drawable(raw["cf"], clip_low, clip_high))
            self._compare_derivative.setData(compare_x, _drawable(raw["cdf"], clip_low, clip_high))
            self._curve_stale = False
        self._window = (low, high)
        if self._points_stale:  # (clipped to the windows' limit: Qt crashes on coordinates near the largest float)
            shown = np.isfinite(z) & np.isfinite(raw["a"])
            self._points.setData(*_within_view(z[shown], raw["a"][shown]))
            shown = np.isfinite(z) & np.isfinite(raw["dz"])
            self._derivative_points.setData(*_within_view(z[shown], raw["dz"][shown]))
            shown = np.isfinite(raw["pz"]) & np.isfinite(raw["pa"])
            self._probe_points.setData(*_within_view(raw["pz"][shown], raw["pa"][shown]))
            self._points_stale = False
        view_range = (x_low, x_high, low, high)
        if view_range != self._view_range:  # a new range redraws both axes and the grid (~6 ms)
            self._view_range = view_range
            view = self.getPlotItem().getViewBox()
            view.disableAutoRange()
            view.setRange(xRange=(x_low, x_high), yRange=(low, high), padding=0.0)

    def _apply_theme(self) -> None:
        th = colors.theme(self._dark)
        background, foreground = th.background, th.foreground
        zero = colors.mix(th.muted, th.background, 0.5)
        f_colour, df_colour = CURVE_COLOURS[self._dark]
        self.setBackground(background)
        item = self.getPlotItem()
        for name in ("bottom", "left"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(foreground))
            axis.setTextPen(pg.mkPen(foreground))
            axis.set_background(background)
        item.titleLabel.setAttr("color", foreground)
        item.titleLabel.setText(item.titleLabel.text, color=foreground)
        zero_pen = pg.mkPen(zero, width=1)
        self._zero_x.setPen(zero_pen)
        self._zero_y.setPen(zero_pen)
        self._curve.setPen(pg.mkPen(f_colour, width=2.5))
        dashed = QPen(QColor(df_colour))
        dashed.setWidthF(2.0)
        dashed.setStyle(Qt.PenStyle.DashLine)
        dashed.setCosmetic(True)
        self._derivative.setPen(dashed)
        self._points.setPen(pg.mkPen(background, width=1.2))
        self._points.setBrush(pg.mkBrush(f_colour))
        self._derivative_points.setPen(pg.mkPen(df_colour, width=2))
        self._derivative_points.setBrush(pg.mkBrush(background))  # hollow: tells f′ points from f points
        compare_colour = th.muted
        dotted = QPen(QColor(compare_colour))
        dotted.setWidthF(2.0)
        dotted.setStyle(Qt.PenStyle.DotLine)
        dotted.setCosmetic(True)
        self._compare.setPen(dotted)
        dash_dotted = QPen(dotted)
        dash_dotted.setStyle(Qt.PenStyle.DashDotLine)
        self._compare_derivative.setPen(dash_dotted)
        self._probe_points.setPen(pg.mkPen(foreground, width=2))
        self._probe_points.setBrush(pg.mkBrush(foreground))
        self._legend.setLabelTextColor(foreground)
        self._legend.setBrush(pg.mkBrush(QColor(background)))
        for _sample, label in self._legend.items:
            label.setText(label.text, color=foreground)


def _drawable(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Finite values clipped far outside the window; non-finite ones become NaN (a gap in the line)."""
    out = np.full(values.shape, np.nan)
    finite = np.isfinite(values)
    out[finite] = np.clip(values[finite], low, high)
    return out


def _within_view(*arrays: np.ndarray) -> list[np.ndarray]:
    return [np.clip(a, -VIEW_LIMIT, VIEW_LIMIT) for a in arrays]


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    """Same shape and values (NaN equal to NaN): then the item already shows it."""
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=True)


def _xy(data) -> tuple[np.ndarray, np.ndarray]:
    x, y = data
    if x is None:
        return np.zeros(0), np.zeros(0)
    return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
