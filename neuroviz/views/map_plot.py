"""A map over two inputs, drawn large: the picture, its axes, a colour bar, the current input as a crosshair.

Shared by the Map dock (one neuron) and the Output Map (the output layer with the data). A dumb view: it draws an
RGBA picture it is handed over the grid ``xs`` × ``ys`` (row 0 is the lowest y, as in ``ResponseMaps``) and says
where the person clicked or dragged (``pointPicked`` in the axes' units). The plot never pans or zooms: the map is
the whole range of the two inputs, and a drag moves the input, not the view.

Made once: the image, the crosshair, the bar and the data points are items that only get new data; SVG exports
keep the picture as one embedded PNG and everything else (axes, text, crosshair, points) as vectors.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QPen
from PySide6.QtWidgets import QGraphicsItem, QWidget

from neuroviz.model.display import format_value
from neuroviz.views import colors, pg_options  # noqa: F401  (pyqtgraph options before any item)

#: Characters per line of a message shown in place of the title.
MESSAGE_COLUMNS = 40

__all__ = ["MapPlot", "rgba_of"]

#: Colour-bar width in pixels, and how many steps it draws.
BAR_WIDTH = 16
BAR_STEPS = 257
BAR_AXIS_WIDTH = 56
BAR_TICKS = 5


def rgba_of(rgb: np.ndarray) -> np.ndarray:
    """(…, 3) uint8 colours → (…, 4) opaque RGBA, the ImageItem's format."""
    out = np.empty((*rgb.shape[:-1], 4), dtype=np.uint8)
    out[..., :3] = rgb
    out[..., 3] = 255
    return out


class _PickBox(pg.ViewBox):
    """A view box that does not pan or zoom: a left click or drag reports the point under the mouse instead."""

    picked = Signal(float, float)

    def __init__(self) -> None:
        super().__init__(enableMenu=False)
        self.setMouseEnabled(False, False)

    def _report(self, scene_pos: QPointF) -> None:
        point = self.mapSceneToView(scene_pos)
        self.picked.emit(float(point.x()), float(point.y()))

    def mouseClickEvent(self, ev) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self._report(ev.scenePos())

    def mouseDragEvent(self, ev, axis=None) -> None:
        if ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self._report(ev.scenePos())
        else:
            ev.ignore()


class MapPlot(pg.GraphicsLayoutWidget):
    """Title, the map with axes and crosshair, a colour bar on the right, an optional legend line below."""

    #: The person clicked or dragged at (x, y), in the axes' units, clipped to the map.
    pointPicked = Signal(float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dark = False
        self._xs = np.array([0.0, 1.0])
        self._ys = np.array([0.0, 1.0])
        self._rgba = np.zeros((2, 2, 4), dtype=np.uint8)
        self._point: tuple[float, float] | None = None
        self.ci.setContentsMargins(6, 6, 6, 6)
        self.title = pg.LabelItem("", size="10pt")
        self.addItem(self.title, row=0, col=0, colspan=2)

        self.box = _PickBox()
        self.plot = pg.PlotItem(viewBox=self.box)
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.plot.showAxis("top", False)
        self.plot.showAxis("right", False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.cross_v = pg.InfiniteLine(angle=90, movable=False)
        self.cross_h = pg.InfiniteLine(angle=0, movable=False)
        for line in (self.cross_v, self.cross_h):
            line.setZValue(20)
            self.plot.addItem(line, ignoreBounds=True)
        self.addItem(self.plot, row=1, col=0)

        self.bar = pg.PlotItem()
        self.bar.hideButtons()
        self.bar.setMenuEnabled(False)
        self.bar.setMouseEnabled(False, False)
        self.bar.showAxis("left", False)
        self.bar.showAxis("bottom", False)
        self.bar.showAxis("right", True)
        self.bar.getViewBox().setDefaultPadding(0)
        self.bar_image = pg.ImageItem(axisOrder="row-major")
        self.bar.addItem(self.bar_image)
        self.bar.setFixedWidth(BAR_WIDTH + BAR_AXIS_WIDTH)
        self.addItem(self.bar, row=1, col=1)
        self.bar.getAxis("right").setWidth(BAR_AXIS_WIDTH)

        self.legend = pg.LabelItem("", size="9pt")
        self.addItem(self.legend, row=2, col=0, colspan=2)
        self.legend.setVisible(False)
        self.box.picked.connect(self._on_picked)
        self.setMinimumSize(220, 200)
        self._apply_theme()

    # -- what it draws -----------------------------------------------------------------------------------------
    def set_picture(self, rgba: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> None:
        """Draw ``rgba`` (rows × columns × 4, row 0 at the lowest y) so pixel centres sit on the grid points."""
        xs, ys = np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)
        self._rgba, self._xs, self._ys = rgba, xs, ys
        self.image.setImage(rgba, autoLevels=False, levels=None)
        dx = (xs[-1] - xs[0]) / max(len(xs) - 1, 1) or 1.0
        dy = (ys[-1] - ys[0]) / max(len(ys) - 1, 1) or 1.0
        rect = QRectF(xs[0] - dx / 2, ys[0] - dy / 2, dx * len(xs), dy * len(ys))
        if rect != getattr(self, "_rect", None):
            self._rect = rect
            self.image.setRect(rect)
            self.box.setRange(rect=rect, padding=0)

    def set_axis_names(self, x_name: str, y_name: str) -> None:
        if (x_name, y_name) != getattr(self, "_axis_names", None):  # a new label lays the plot out again
            self._axis_names = (x_name, y_name)
            self.plot.setLabel("bottom", x_name)
            self.plot.setLabel("left", y_name)

    def set_message(self, text: str) -> None:
        """A sentence in place of the title (why there is no map), broken into lines that fit a narrow dock."""
        self.set_title("<br>".join(textwrap.wrap(text, MESSAGE_COLUMNS)))

    def set_title(self, text: str) -> None:
        if text != self.title.text:
            self.title.setText(text, color=colors.theme(self._dark).foreground)

    def set_point(self, x: float | None, y: float | None = None) -> None:
        """The current input as a crosshair (None hides it)."""
        self._point = None if x is None or y is None else (float(x), float(y))
        for line in (self.cross_v, self.cross_h):
            line.setVisible(self._point is not None)
        if self._point is not None:
            self.cross_v.setValue(self._point[0])
            self.cross_h.setValue(self._point[1])

    def set_bar(self, rgb: np.ndarray | None, low: float = -1.0, high: float = 1.0, label: str = "") -> None:
        """A vertical colour bar from ``low`` (bottom) to ``high``; ``rgb`` (steps × 3) runs bottom to top."""
        key = None if rgb is None else (np.asarray(rgb, dtype=np.uint8).tobytes(), low, high, label)
        if key == getattr(self, "_bar_key", 0):  # unchanged: nothing is laid out or painted again
            return
        self._bar_key = key
        self.bar.setVisible(rgb is not None)
        self.bar.setFixedWidth(0 if rgb is None else BAR_WIDTH + BAR_AXIS_WIDTH)  # a hidden bar takes no room
        if rgb is None:
            return
        self.bar_image.setImage(rgba_of(np.asarray(rgb, dtype=np.uint8))[:, None, :], autoLevels=False, levels=None)
        # drawn in units of ``scale`` and labelled back in values: a limit near the largest float has no
        # finite height in values (high − low overflows), but has one in these units
        scale = max(abs(low), abs(high)) or 1.0
        bottom, top = low / scale, high / scale
        self.bar_image.setRect(QRectF(0.0, bottom, 1.0, top - bottom))
        self.bar.getViewBox().setRange(xRange=(0.0, 1.0), yRange=(bottom, top), padding=0)
        ticks = np.linspace(bottom, top, BAR_TICKS)  # written by hand: pyqtgraph's own ticks overflow near 1e308
        labels = [(float(t), format_value(float(t) * scale)) for t in ticks]
        axis = self.bar.getAxis("right")
        axis.setTicks([labels])
        metrics = QFontMetricsF(axis.font() if hasattr(axis, "font") else self.font())
        widest = max(metrics.horizontalAdvance(text) for _, text in labels)
        width = max(BAR_AXIS_WIDTH, round(widest) + 30)  # every label fits, the axis title beside them
        axis.setWidth(width)
        self.bar.setFixedWidth(BAR_WIDTH + width)
        self.bar.setLabel("right", label)
        self._bar_range = (low, high)

    def set_legend(self, entries: list[tuple[str, QColor | str]]) -> None:
        """A line of coloured squares with names under the map ("■ setosa  ■ versicolor"); empty hides it."""
        key = ([(name, QColor(c).name()) for name, c in entries], self._dark)
        if key == getattr(self, "_legend_key", None):
            return
        self._legend_key = key
        self.legend.setVisible(bool(entries))
        th = colors.theme(self._dark)
        html = "&nbsp;&nbsp;&nbsp;".join(
            f"<span style='color:{QColor(c).name()}'>■</span>&nbsp;{_escape(name)}" for name, c in entries
        )
        self.legend.setText(html, color=th.foreground)
        self._legend = list(entries)

    def set_dark(self, dark: bool) -> None:
        self._dark = bool(dark)
        self._apply_theme()

    def is_dark(self) -> bool:
        return self._dark

    def _apply_theme(self) -> None:
        th = colors.theme(self._dark)
        self.setBackground(th.background)
        for plot, names in ((self.plot, ("bottom", "left")), (self.bar, ("right",))):
            for name in names:
                axis = plot.getAxis(name)
                axis.setPen(pg.mkPen(th.muted))
                axis.setTextPen(pg.mkPen(th.foreground))
                axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)  # axes only change with the range
        pen = QPen(QColor(th.foreground))
        pen.setWidthF(1.25)
        pen.setCosmetic(True)
        for line in (self.cross_v, self.cross_h):
            line.setPen(pen)
        self.title.setText(self.title.text, color=th.foreground)
        self._bar_key = 0  # the bar's colours are the theme's: draw it again

    # -- what the person does ------------------------------------------------------------------------------------
    def _on_picked(self, x: float, y: float) -> None:
        rect = getattr(self, "_rect", None)
        if rect is None:
            return
        x = min(max(x, float(self._xs[0])), float(self._xs[-1]))
        y = min(max(y, float(self._ys[0])), float(self._ys[-1]))
        self.pointPicked.emit(x, y)

    # -- what tests and exports read -----------------------------------------------------------------------------
    def picture(self) -> np.ndarray:
        """The RGBA array drawn (row 0 = lowest y)."""
        return self._rgba

    def grid(self) -> tuple[np.ndarray, np.ndarray]:
        return self._xs, self._ys

    def point(self) -> tuple[float, float] | None:
        return self._point

    def title_text(self) -> str:
        return self.title.text

    def legend_entries(self) -> list[tuple[str, QColor | str]]:
        return list(getattr(self, "_legend", [])) if self.legend.isVisible() else []

    def bar_range(self) -> tuple[float, float] | None:
        return getattr(self, "_bar_range", None) if self.bar.isVisible() else None

    def widget_pos(self, x: float, y: float) -> QPointF:
        """Where the point (x, y) of the map is in this widget's pixels (for tests that click it)."""
        scene = self.box.mapViewToScene(QPointF(x, y))
        return QPointF(self.mapFromScene(scene))

    def drawn_color(self, x: float, y: float) -> QColor:
        """The colour of the map's pixel at (x, y), as drawn on screen (for tests)."""
        image = self.grab().toImage()
        pos = self.widget_pos(x, y) * self.devicePixelRatioF()
        return QColor(image.pixel(round(pos.x()), round(pos.y())))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
