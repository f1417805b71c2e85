"""Neuron Maps: each neuron drawn as a square picture of its response map, as in TensorFlow Playground.

One item paints every thumbnail. Each column's maps are coloured at once (one lookup into the view's colour table)
into one image, the column's *atlas*: the maps stacked top to bottom, ``resolution`` pixels square each. On screen a
neuron is one ``drawImage`` of its part of the atlas, scaled into the square ``Geometry.neuron_rects`` gives it;
while exporting each neuron gets its own small image, so an SVG holds one ``<image>`` (base64 PNG) per neuron and
everything else stays vector. The current input is a small ring at the same place in every picture.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QGraphicsObject

from neuroviz.views.network_view.layout import Geometry
from neuroviz.views.network_view.style import cosmetic_pen

MARKER_MIN_SIDE = 14.0  # smaller pictures get no marker: it would cover them


@dataclass(frozen=True)
class MapFrame:
    """The last maps given to ``NetworkView.set_maps``, checked."""

    layers: list[np.ndarray]  # per column (units, res, res), row 0 the lowest y
    point: tuple[float, float] | None  # the input's place, 0..1 across and up
    dead_everywhere: np.ndarray  # (N,) bool, all neurons


def check_maps(sizes: Sequence[int], layers, point, dead_everywhere) -> MapFrame:
    """``set_maps``' arguments checked against the network's ``sizes``: a ValueError says what is wrong and where."""
    if len(layers) != len(sizes) or len(dead_everywhere) != len(sizes):
        raise ValueError(
            f"set_maps: got {len(layers)} maps and {len(dead_everywhere)} dead-everywhere arrays "
            f"for {len(sizes)} columns"
        )
    arrays, res = [], None
    for k, (maps, size) in enumerate(zip(layers, sizes, strict=True)):
        a = np.asarray(maps)
        res = a.shape[-1] if res is None and a.ndim == 3 else res
        if a.ndim != 3 or a.shape != (size, res, res) or res < 1 or a.dtype.kind not in "fiu":
            raise ValueError(f"set_maps: layers[{k}] has shape {a.shape}, expected ({size}, {res}, {res}) numbers")
        arrays.append(a)
    marks = []
    for k, (dead, size) in enumerate(zip(dead_everywhere, sizes, strict=True)):
        d = np.asarray(dead)
        if d.shape != (size,) or d.dtype != bool:
            raise ValueError(f"set_maps: dead_everywhere[{k}] must be ({size},) booleans, got {d.dtype} {d.shape}")
        marks.append(d)
    if point is not None:
        if len(point) != 2 or not all(isinstance(v, int | float | np.floating) and math.isfinite(v) for v in point):
            raise ValueError(f"set_maps: point must be two finite fractions or None, got {point!r}")
        point = (float(point[0]), float(point[1]))
    return MapFrame(arrays, point, np.concatenate(marks) if marks else np.zeros(0, dtype=bool))


def packed_table(rgb: np.ndarray) -> np.ndarray:
    """The colour table as opaque 0xAARRGGBB words, the pixel format of ``QImage.Format_RGB32``."""
    c = rgb.astype(np.uint32)
    return np.uint32(0xFF000000) | (c[:, 0] << 16) | (c[:, 1] << 8) | c[:, 2]


def colour_rows(values: np.ndarray, limit: float, steps: int) -> np.ndarray:
    """Colour-table rows of ``values`` (any shape) on the scale ±``limit``, as ``DivergingColorMap.indices``
    (clipped to the ends, NaN → row ``steps``), in float32 because a frame colours 500,000 values."""
    centre = (steps - 1) / 2.0
    v = np.asarray(values, dtype=np.float32)
    with np.errstate(invalid="ignore", over="ignore"):
        t = v * np.float32(centre / limit) + np.float32(centre + 0.5)  # + 0.5: floor rounds to nearest
    nan = np.isnan(t)
    np.clip(t, 0.0, steps - 1, out=t)
    t[nan] = steps
    return t.astype(np.intp)


def atlas(maps: np.ndarray, limit: float, table: np.ndarray, steps: int) -> QImage:
    """One column's maps, (units, res, res) with row 0 the lowest y, as one image: map j in rows j·res.. of it,
    highest y on top (as on screen)."""
    units, res = maps.shape[0], maps.shape[2]
    pixels = table[colour_rows(maps[:, ::-1, :], limit, steps)]
    pixels = np.ascontiguousarray(pixels.reshape(units * res, res))
    return QImage(pixels.data, res, units * res, 4 * res, QImage.Format.Format_RGB32).copy()


class Thumbnails(QGraphicsObject):
    """Every neuron's response map, painted in the square of its neuron; see the module's text."""

    def __init__(self) -> None:
        super().__init__()
        self._rects: dict[int, list[QRectF]] = {}  # column -> one square per neuron
        self._atlases: dict[int, QImage] = {}
        self._coloured: tuple = ()  # (maps, limit, table) the atlases were coloured from
        self._resolution = 0
        self._point: tuple[float, float] | None = None  # where the input is, 0..1 across and up each picture
        self._bounds = QRectF()
        self._exporting = False
        self._outline = QPen()
        self._marker_pens = (QPen(), QPen())

    def set_places(self, geo: Geometry, columns: Sequence[int], outline: QPen, marker: QColor, halo: QColor) -> None:
        """Put a picture in each neuron of ``columns``, in the squares of ``geo``; the pictures are dropped."""
        self.prepareGeometryChange()
        self._rects = {k: geo.neuron_rects(k) for k in columns}
        self._atlases = {}
        self._outline = outline
        self._marker_pens = (cosmetic_pen(halo, 3.2), cosmetic_pen(marker, 1.4))
        bounds = QRectF()
        for rects in self._rects.values():
            for rect in rects:
                bounds = bounds.united(rect)
        self._bounds = bounds.adjusted(-2.0, -2.0, 2.0, 2.0)
        self.update()

    def columns(self) -> list[int]:
        """The columns that get pictures."""
        return sorted(self._rects)

    def set_maps(
        self,
        layers: Sequence[np.ndarray],
        limit: float,
        point: tuple[float, float] | None,
        table: np.ndarray,
        steps: int,
    ) -> None:
        """Colour the maps of the columns that get pictures; ``point``: the input's place, 0..1 across and up.

        Moving only the point (the same map arrays, the same limit) colours nothing again."""
        if not self._coloured_from(layers, limit, table) or self._atlases.keys() != self._rects.keys():
            self._atlases = {k: atlas(layers[k], limit, table, steps) for k in self._rects}
            self._coloured = (list(layers), limit, table)  # kept: the arrays are compared by identity
        self._resolution = int(layers[0].shape[2]) if len(layers) else 0
        self._point = point
        self.update()

    def _coloured_from(self, layers: Sequence[np.ndarray], limit: float, table: np.ndarray) -> bool:
        if not self._coloured:
            return False
        maps, old_limit, old_table = self._coloured
        same_maps = len(maps) == len(layers) and all(a is b for a, b in zip(maps, layers, strict=True))
        return same_maps and old_limit == limit and old_table is table

    def clear_maps(self) -> None:
        self._atlases, self._coloured = {}, ()
        self.update()

    def shown(self) -> bool:
        """Whether pictures are painted (some column gets them and maps were given)."""
        return self.isVisible() and bool(self._atlases)

    def picture_rect(self, layer: int, index: int) -> QRectF | None:
        """Where neuron ``index`` of column ``layer`` shows its map, or None when it shows none."""
        rects = self._rects.get(layer)
        return QRectF(rects[index]) if rects is not None and layer in self._atlases else None

    def marker_position(self, layer: int, index: int) -> QPointF | None:
        """Centre of the marker of the current input in that neuron's picture, or None."""
        rect = self.picture_rect(layer, index)
        if rect is None or self._point is None:
            return None
        fx, fy = self._point
        return QPointF(rect.left() + fx * rect.width(), rect.bottom() - fy * rect.height())

    def setExportMode(self, export: bool, opts: dict | None = None) -> None:
        """Called by the exporter: one image per neuron (an SVG ``<image>`` each) instead of parts of an atlas."""
        self._exporting = bool(export)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option, widget=None) -> None:
        res = self._resolution
        if not self._atlases or res == 0:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        # The view antialiases; an antialiased scaled image costs Qt ~3× a plain one, and only its edges differ,
        # which the outline drawn next covers.
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for k, image in self._atlases.items():
            for j, rect in enumerate(self._rects[k]):
                source = QRectF(0.0, j * res, res, res)
                if self._exporting:  # Qt's SVG engine ignores the source rect: give it the picture alone
                    painter.drawImage(rect, image.copy(0, j * res, res, res))
                else:
                    painter.drawImage(rect, image, source)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(self._outline)
        for rects in (self._rects[k] for k in self._atlases):
            for rect in rects:
                painter.drawRect(rect)
        self._paint_markers(painter)
        painter.restore()

    def _paint_markers(self, painter: QPainter) -> None:
        if self._point is None:
            return
        fx, fy = self._point
        if not (0.0 <= fx <= 1.0 and 0.0 <= fy <= 1.0):
            return  # the input is off the map: no marker rather than one on the edge
        for pen in self._marker_pens:  # a light halo, then the ring: it reads on every colour
            painter.setPen(pen)
            for rects in (self._rects[k] for k in self._atlases):
                for rect in rects:
                    if rect.width() < MARKER_MIN_SIDE:
                        continue
                    radius = max(2.0, 0.06 * rect.width())
                    centre = QPointF(rect.left() + fx * rect.width(), rect.bottom() - fy * rect.height())
                    painter.drawEllipse(centre, radius, radius)
