"""The graphics items of the network picture, each made once and then only fed new data.

Neurons are one ScatterPlotItem (per-point sizes) whose brushes come from a pre-made table of 257 colours; heat
strips are painted by one item with one ``drawImage`` per column; texts (headers, value labels) are painted by one
item per kind, so exports contain real ``<text>`` elements. While exporting, the neurons are painted with
``drawEllipse`` (an SVG holds one ``<ellipse>`` per neuron) and the strips with rectangles. What only changes with
the structure or the weights is painted on screen from a pixmap of itself (``Snapshot``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Protocol

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPaintEngine, QPainter, QPen, QTransform
from PySide6.QtWidgets import QGraphicsEffect, QGraphicsObject

from neuroviz.views.colors import Theme
from neuroviz.views.network_view.layout import BIAS_STRIP_WIDTH, HEADER_FONT_PX, TICK_WIDTH, Geometry, Layout
from neuroviz.views.network_view.style import (
    DEAD,
    NAN,
    NEG_INF,
    POS_INF,
    SATURATED,
    cosmetic_pen,
    hatch_brush,
    pixel_font,
    ring_width,
)


class PaintingView(Protocol):
    """What a Snapshot asks of the view it serves."""

    def is_painting_itself(self) -> bool: ...

    def devicePixelRatio(self) -> float: ...


class Snapshot(QGraphicsEffect):
    """Paints an item (and its children) from a pixmap of itself until one of them changes.

    Qt keeps the pixmap and drops it whenever the item or a child calls ``update()``. It is only used while the
    view paints itself at its own pixel ratio (on screen, ``grab()``); exports (SVG, scaled PNGs, scene renders)
    get the items' own drawing, so they stay sharp vectors with real ``<text>``.
    """

    def __init__(self, view: PaintingView) -> None:
        super().__init__(view)
        self._view = view

    def draw(self, painter: QPainter) -> None:
        device = painter.device()
        on_screen = (
            self._view.is_painting_itself()
            and painter.paintEngine().type() == QPaintEngine.Type.Raster
            and device is not None
            and device.devicePixelRatio() == self._view.devicePixelRatio()
        )
        if not on_screen:
            self.updateBoundingRect()  # drops the pixmap, which drawSource would otherwise paint
            self.drawSource(painter)
            return
        offset = QPoint()
        pixmap = self.sourcePixmap(Qt.CoordinateSystem.DeviceCoordinates, offset)
        painter.save()
        painter.setWorldTransform(QTransform())  # the pixmap is in device pixels already: no rescaling blur
        painter.drawPixmap(offset, pixmap)
        painter.restore()


class Group(QGraphicsObject):
    """A parent that draws nothing itself: it holds the link buckets so they share one snapshot."""

    def boundingRect(self) -> QRectF:
        return QRectF()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        pass


class Text(NamedTuple):
    """One text of a TextLayer: where, what, in which colour and pixel size."""

    rect: QRectF
    text: str
    colour: QColor
    pixel_size: int = HEADER_FONT_PX
    flags: int = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextDontClip)
    backdrop: QColor | None = None  # filled behind the text, so it reads over the links
    rounded: bool = False  # the backdrop is the whole rect, with rounded corners (else the text's bounds)


class TextLayer(QGraphicsObject):
    """Many short texts painted by one item, so the item count never changes and exports get ``<text>``."""

    def __init__(self) -> None:
        super().__init__()
        self._entries: list[Text] = []
        self._bounds = QRectF()
        self._fonts: dict[int, QFont] = {}

    def set_entries(self, entries: list[Text], bounds: QRectF) -> None:
        if (entries, bounds) == (self._entries, self._bounds):
            return  # nothing to repaint (the usual case for headers, and for labels when none are shown)
        self.prepareGeometryChange()
        self._entries, self._bounds = entries, bounds
        self.update()

    def texts(self) -> list[str]:
        return [entry.text for entry in self._entries]

    def entries(self) -> list[Text]:
        return list(self._entries)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option, widget=None) -> None:
        size = None
        for entry in self._entries:
            if entry.pixel_size != size:
                size = entry.pixel_size
                painter.setFont(self._font(size))
            if entry.rounded:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(entry.backdrop)
                radius = min(entry.rect.height() / 2.0, 4.0)
                painter.drawRoundedRect(entry.rect, radius, radius)
            elif entry.backdrop is not None:
                bounds = painter.boundingRect(entry.rect, entry.flags, entry.text)
                painter.fillRect(bounds.adjusted(-1.0, 0.0, 1.0, 0.0), entry.backdrop)
            painter.setPen(entry.colour)
            painter.drawText(entry.rect, entry.flags, entry.text)

    def _font(self, pixel_size: int) -> QFont:
        if pixel_size not in self._fonts:
            self._fonts[pixel_size] = pixel_font(pixel_size)
        return self._fonts[pixel_size]


class NeuronDots(pg.ScatterPlotItem):
    """The neurons drawn as dots. On screen pyqtgraph stamps them from its symbol atlas; while exporting each one is
    painted with ``drawEllipse``, so an SVG gets one ``<ellipse>`` per neuron instead of a Bézier ``<path>``."""

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if self._exportOpts is False:
            super().paint(painter, option, widget)
            return
        data = self.data
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for x, y, size, pen, brush in zip(data["x"], data["y"], data["size"], data["pen"], data["brush"], strict=True):
            painter.setPen(self.opts["pen"] if pen is None else pen)
            painter.setBrush(self.opts["brush"] if brush is None else brush)
            radius = float(size) / 2.0
            painter.drawEllipse(QPointF(float(x), float(y)), radius, radius)
        painter.restore()


@dataclass(frozen=True)
class Bars:
    """One strip: ``count`` bars of ``pitch`` height stacked from the one centred at ``top``; colours from ``start``."""

    left: float
    width: float
    top: float
    pitch: float
    start: int
    count: int
    framed: bool

    def rect(self) -> QRectF:
        return QRectF(self.left, self.top - self.pitch / 2.0, self.width, self.pitch * self.count)


class Strips(QGraphicsObject):
    """Crowded columns as heat strips: one bar per neuron, its pitch tall, filled with its colour; beside it a thin
    strip of the biases and one of the status marks (transparent where a neuron has none).

    On screen each strip is one ``drawImage`` of a one-pixel-wide image of its colours, scaled without smoothing,
    so thousands of neurons cost a few calls and stay crisp. Exports get one rectangle per bar (vectors).
    """

    def __init__(self) -> None:
        super().__init__()
        self._strips: list[Bars] = []
        self._rgba = np.zeros((0, 4), dtype=np.uint8)
        self._image = QImage()
        self._outline = QPen()
        self._bounds = QRectF()
        self._exporting = False

    def set_strips(self, strips: list[Bars], outline: QPen) -> None:
        self.prepareGeometryChange()
        self._strips, self._outline = strips, outline
        bounds = QRectF()
        for strip in strips:
            bounds = bounds.united(strip.rect())
        self._bounds = bounds.adjusted(-1.0, -1.0, 1.0, 1.0)
        self.setVisible(bool(strips))
        self.update()

    def set_colours(self, rgba: np.ndarray) -> None:
        """Colour of every bar, (n, 4) uint8 RGBA, in the order of the strips' ``start`` indices."""
        if rgba.shape == self._rgba.shape and np.array_equal(rgba, self._rgba):
            return
        self._rgba = rgba.copy()
        c = rgba.astype(np.uint32) * rgba[:, 3:4].astype(np.uint32) // 255  # premultiplied: Qt draws it as is
        packed = (rgba[:, 3].astype(np.uint32) << 24) | (c[:, 0] << 16) | (c[:, 1] << 8) | c[:, 2]
        if packed.size:
            image = QImage(packed.tobytes(), 1, packed.size, 4, QImage.Format.Format_ARGB32_Premultiplied)
            self._image = image.copy()
        self.update()

    def setExportMode(self, export: bool, opts: dict | None = None) -> None:
        """Called by the exporter (as for pyqtgraph items): draw rectangles rather than a scaled image."""
        self._exporting = bool(export)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if not self._strips or self._rgba.shape[0] < max(s.start + s.count for s in self._strips):
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        if self._exporting:
            self._paint_rects(painter)
        else:
            for strip in self._strips:
                painter.drawImage(strip.rect(), self._image, QRectF(0.0, strip.start, 1.0, strip.count))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(self._outline)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for strip in self._strips:
            if strip.framed:
                painter.drawRect(strip.rect())
        painter.restore()

    def _paint_rects(self, painter: QPainter) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        for strip in self._strips:
            top = strip.top - strip.pitch / 2.0
            for i in range(strip.count):
                red, green, blue, alpha = (int(c) for c in self._rgba[strip.start + i])
                if alpha == 0:
                    continue  # no mark on this neuron
                painter.setBrush(QColor(red, green, blue, alpha))
                overlap = 0.0 if i == strip.count - 1 else 0.3  # no hairline seams between bars in a viewer
                painter.drawRect(QRectF(strip.left, top + i * strip.pitch, strip.width, strip.pitch + overlap))


@dataclass(frozen=True)
class Marks:
    """Sizes and pens of the status marks on every neuron for one layout (made in ``_relayout``)."""

    on_dot: np.ndarray  # True where the neuron is a dot (its marks sit on it); False in strips (bars beside)
    dead_sizes: np.ndarray
    ring_sizes: np.ndarray
    ring_pens: np.ndarray  # object array of QPen
    ring_symbols: np.ndarray  # "o" around a dot, "s" around a map picture
    hatch_sizes: np.ndarray
    hatches: dict[int, QBrush]

    @classmethod
    def empty(cls) -> Marks:
        none = np.zeros(0)
        return cls(np.zeros(0, dtype=bool), none, none, np.zeros(0, dtype=object), np.zeros(0, dtype=object), none, {})

    @classmethod
    def make(cls, th: Theme, lay: Layout, column: np.ndarray, pr: np.ndarray, pictured: np.ndarray) -> Marks:
        """``pictured``: per column, True where neurons show a map picture (a square: square rings)."""
        rings = np.array([ring_width(float(r)) for r in lay.radii])
        pens = np.empty(len(rings), dtype=object)
        pens[:] = [cosmetic_pen(th.saturated, float(w)) for w in rings]
        symbols = np.where(pictured, "s", "o").astype(object)
        return cls(
            on_dot=~lay.strips[column],
            dead_sizes=np.maximum(1.1 * pr, np.minimum(7.0, lay.pitches[column])),
            ring_sizes=2.0 * pr + 2.0 * rings[column] + 2.0,
            ring_pens=pens[column],
            ring_symbols=symbols[column],
            hatch_sizes=np.maximum(2.0 * pr, 3.0),
            hatches={code: hatch_brush(th, code) for code in (NAN, POS_INF, NEG_INF)},
        )

    def draw(
        self,
        status: np.ndarray,
        everywhere: np.ndarray,
        geo: Geometry,
        items: tuple[pg.ScatterPlotItem, ...],
    ) -> None:
        """Put the marks of ``status`` (one code per neuron) on the dots: ✕ on dead, ⊘ on dead everywhere on the
        map (``everywhere``, which replaces the ✕), a ring on saturated, a hatch on NaN/±inf. In strips the marks
        are bars beside them, drawn with the strips."""
        dead, never, saturated, nonfinite = items
        px, py = geo.px, geo.py
        on_never = everywhere & self.on_dot
        on_dead = (status == DEAD) & self.on_dot & ~on_never
        on_saturated = (status == SATURATED) & self.on_dot
        on_nonfinite = (status >= NAN) & self.on_dot
        dead.setData(x=px[on_dead], y=py[on_dead], size=self.dead_sizes[on_dead])
        never.setData(x=px[on_never], y=py[on_never], size=np.maximum(2.0 * geo.pr[on_never], 7.0))
        pens, symbols = list(self.ring_pens[on_saturated]), list(self.ring_symbols[on_saturated])
        size = self.ring_sizes[on_saturated]
        saturated.setData(x=px[on_saturated], y=py[on_saturated], size=size, pen=pens, symbol=symbols)
        hatches = [self.hatches[int(code)] for code in status[on_nonfinite]]
        size = self.hatch_sizes[on_nonfinite]
        nonfinite.setData(x=px[on_nonfinite], y=py[on_nonfinite], size=size, brush=hatches)
        for item, mask in zip(items, (on_dead, on_never, on_saturated, on_nonfinite), strict=True):
            item.setVisible(bool(mask.any()))  # an empty scatter item still costs a paint call


def update_brushes(
    scatter: pg.ScatterPlotItem, brushes: np.ndarray, rows: np.ndarray, drawn: np.ndarray | None
) -> None:
    """Give ``scatter``'s points the brushes of colour-table ``rows``; ``drawn`` is what they show now (or None).

    ``setBrush`` looks every point up in pyqtgraph's symbol atlas (~5 µs each, 20 ms for 4,000 neurons), while
    an input change recolours only a few percent of a big network: only those points are looked up again.
    """
    if drawn is not None and drawn.shape == rows.shape:
        changed = rows != drawn
        if not changed.any():
            return
        if np.count_nonzero(changed) < rows.size // 2:
            data = scatter.data  # pyqtgraph's record array: a new brush and a cleared atlas rect per point
            data["brush"][changed] = brushes[rows[changed]]
            data["sourceRect"][changed] = 0
            scatter.updateSpots()  # looks up the points whose atlas rect was cleared
            return
    scatter.setBrush(brushes[rows])


def strip_bars(geo: Geometry) -> list[Bars]:
    """The bars of every heat-strip column: its neurons, then (left of them) its biases, then (right) its marks:
    dead, saturated, NaN / ±inf. Colours come in this order too (see ``Strips.set_colours``)."""
    lay, width = geo.layout, geo.layout.strip_width
    columns = [int(k) for k in np.flatnonzero(lay.strips)]
    bias_left, marks_left = -width / 2.0 - 1.5 - BIAS_STRIP_WIDTH, width / 2.0 + 1.5
    kinds = [
        (-width / 2.0, width, True, columns),  # the neurons, framed
        (bias_left, BIAS_STRIP_WIDTH, False, [k for k in columns if k != 0]),  # the biases (inputs have none)
        (marks_left, TICK_WIDTH, False, columns),  # the marks
    ]
    bars, start = [], 0
    for left, bar_width, framed, kind_columns in kinds:
        for k in kind_columns:
            count = geo.sizes[k]
            bars.append(Bars(lay.xs[k] + left, bar_width, lay.tops[k], lay.pitches[k], start, count, framed))
            start += count
    return bars
