"""The activation plot: a layer's f(z) and f′(z), with each neuron drawn as a point on both curves.

A dumb view: the controller computes the curve (for layer-wide activations by varying one neuron with
the others fixed) and the per-neuron points; this widget only draws them. Items are created once and
updated with setData.

Curves that explode (``exponential``) would flatten everything else, so the y window is clipped to a
sane height derived from the x range; values far outside the window are clipped before drawing and
non-finite values leave a gap, so Qt never receives inf or 1e300 coordinates.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QWidget

from neuroviz.views import colors

__all__ = ["ActivationPlot", "sane_y_range"]

pg.setConfigOptions(antialias=True, imageAxisOrder="row-major")

#: (function, derivative) curve colours per theme (dark: True). They avoid the shared theme's blue and orange,
#: which mean "positive" and "negative" everywhere else; background and text come from the shared theme.
CURVE_COLOURS = {False: ("#5e3c99", "#1b9e77"), True: ("#b8a6e8", "#5fd3ad")}


def sane_y_range(values: list[np.ndarray], x: np.ndarray) -> tuple[float, float]:
    """A y window for the finite values, clipped to ±max(2·max|x|, 2) so an exploding curve stays readable."""
    finite = [v[np.isfinite(v)] for v in values]
    finite = [v for v in finite if v.size]
    reach = float(np.max(np.abs(x[np.isfinite(x)]))) if np.any(np.isfinite(x)) else 1.0
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


class ActivationPlot(pg.PlotWidget):
    """f(z) (solid) and f′(z) (dashed) of one layer, with its neurons as points on both curves."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        item.addItem(self._points)
        item.addItem(self._derivative_points)
        self._x = np.zeros(0)
        self._window = (-1.0, 1.0)
        self._raw = {
            "f": np.zeros(0),
            "df": np.zeros(0),
            "z": np.zeros(0),
            "a": np.zeros(0),
            "dz": np.zeros(0),
        }
        self._apply_theme()

    # -- data ------------------------------------------------------------------------------------------------
    def set_curve(self, x: np.ndarray, f: np.ndarray, df: np.ndarray, title: str) -> None:
        """Draw f and f′ sampled at x; ``title`` names the layer and activation."""
        x, f, df = (np.asarray(a, dtype=np.float64).ravel() for a in (x, f, df))
        if not (x.shape == f.shape == df.shape):
            raise ValueError(
                "ActivationPlot.set_curve: x, f and df must have the same length, "
                f"got {x.size}, {f.size}, {df.size}"
            )
        self._x = x
        self._raw.update(f=f, df=df)
        self.getPlotItem().setTitle(title, size="10pt")
        self._redraw()

    def set_points(self, z: np.ndarray, a: np.ndarray, dz: np.ndarray) -> None:
        """Each neuron's (z, f(z)) on the curve and (z, f′(z)) on the derivative; skips non-finite ones."""
        z, a, dz = (np.asarray(v, dtype=np.float64).ravel() for v in (z, a, dz))
        if not (z.shape == a.shape == dz.shape):
            raise ValueError(
                "ActivationPlot.set_points: z, a and dz must have the same length, "
                f"got {z.size}, {a.size}, {dz.size}"
            )
        self._raw.update(z=z, a=a, dz=dz)
        self._redraw()

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
        raw = self._raw
        x, z = self._x, raw["z"]
        low, high = sane_y_range([raw["f"], raw["df"], raw["a"], raw["dz"]], np.concatenate([x, z]))
        self._window = (low, high)
        clip_low, clip_high = low - 10 * (high - low), high + 10 * (high - low)
        self._curve.setData(x, _drawable(raw["f"], clip_low, clip_high))
        self._derivative.setData(x, _drawable(raw["df"], clip_low, clip_high))
        shown = np.isfinite(z) & np.isfinite(raw["a"])
        self._points.setData(z[shown], raw["a"][shown])
        shown = np.isfinite(z) & np.isfinite(raw["dz"])
        self._derivative_points.setData(z[shown], raw["dz"][shown])
        xs = np.concatenate([x, z])
        xs = xs[np.isfinite(xs)]
        x_low, x_high = (float(xs.min()), float(xs.max())) if xs.size else (-1.0, 1.0)
        if x_high - x_low < 1e-9:
            x_low, x_high = x_low - 1.0, x_high + 1.0
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


def _xy(data) -> tuple[np.ndarray, np.ndarray]:
    x, y = data
    if x is None:
        return np.zeros(0), np.zeros(0)
    return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
