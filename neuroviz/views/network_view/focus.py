"""What is under a point (hit testing) and which neuron the keyboard is on (focus), computed from a Geometry.

The keyboard moves a focus ring between neurons: Up/Down within a column, Left/Right to the neighbouring column at
the nearest height (so the relative position is kept, heat strips included), Home/End to a column's ends. The ring
is a keyboard aid, not part of the picture: exports leave it out.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsObject

from neuroviz.views.network_view.layout import EDGE_HIT_PX, Geometry
from neuroviz.views.network_view.style import ring_width, xy

Point = QPointF | QPoint | tuple[float, float]

#: Keys that move the focus ring, and how.
MOVES = {
    Qt.Key.Key_Up: "up",
    Qt.Key.Key_Down: "down",
    Qt.Key.Key_Left: "left",
    Qt.Key.Key_Right: "right",
    Qt.Key.Key_Home: "first",
    Qt.Key.Key_End: "last",
}
#: Keys that select the focused neuron (as a click on it would).
SELECT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space, Qt.Key.Key_Select)


def neuron_at(geo: Geometry, pos: Point) -> tuple[int, int] | None:
    """(layer, index) of the neuron under ``pos``, or None."""
    if not geo.sizes:
        return None
    x, y = xy(pos)
    lay = geo.layout
    column = int(np.argmin(np.abs(lay.xs - x)))
    dx = lay.xs[column] - x
    if abs(dx) > lay.hit_half_widths[column]:
        return None
    pitch, top = lay.pitches[column], lay.tops[column]
    index = int(np.clip(np.rint((y - top) / pitch), 0, geo.sizes[column] - 1))
    dy = y - (top + index * pitch)
    if lay.strips[column]:
        return (column, index) if abs(dy) <= pitch / 2.0 + 1.0 else None
    if math.hypot(dx, dy) > lay.dot_hit_radii[column]:
        return None
    return column, index


def edge_at(geo: Geometry, drawn: list[tuple[np.ndarray, np.ndarray]], pos: Point) -> tuple[int, int, int] | None:
    """(layer, source, target) of the drawn link nearest ``pos`` within a few pixels, or None.

    ``drawn`` holds the (source, target) indices drawn per pair of columns; only the pair around ``pos`` is searched.
    """
    x, y = xy(pos)
    xs = geo.layout.xs
    pair = int(np.searchsorted(xs, x)) - 1
    if pair < 0 or pair >= len(drawn) or not xs[pair] <= x <= xs[pair + 1]:
        return None
    source, target = drawn[pair]
    if source.size == 0:
        return None
    y0 = geo.py[geo.offsets[pair] + source]
    y1 = geo.py[geo.offsets[pair + 1] + target]
    run = xs[pair + 1] - xs[pair]
    slope = (y1 - y0) / run
    distance = np.abs(y - (y0 + slope * (x - xs[pair]))) / np.sqrt(1.0 + slope * slope)
    best = int(np.argmin(distance))
    if distance[best] > EDGE_HIT_PX:
        return None
    return pair + 1, int(source[best]), int(target[best])


def header_at(rects: list[QRectF], pos: Point) -> int | None:
    """The column whose header rect contains ``pos``, or None."""
    x, y = xy(pos)
    for k, rect in enumerate(rects):
        if rect.contains(QPointF(x, y)):
            return k
    return None


def clamp_focus(sizes: tuple[int, ...] | list[int], focus: tuple[int, int] | None) -> tuple[int, int] | None:
    """``focus`` moved inside a network of ``sizes`` (after a column or neurons went away), None if it has none."""
    if focus is None or not sizes:
        return None
    layer = min(focus[0], len(sizes) - 1)
    return layer, min(focus[1], sizes[layer] - 1)


def moved_focus(geo: Geometry, focus: tuple[int, int], move: str) -> tuple[int, int]:
    """Where ``move`` (a value of MOVES) takes the focus from ``focus``; it stays at the network's edges."""
    layer, index = focus
    last = geo.sizes[layer] - 1
    if move in ("up", "down"):
        return layer, int(np.clip(index + (1 if move == "down" else -1), 0, last))
    if move in ("first", "last"):
        return layer, 0 if move == "first" else last
    target = layer + (1 if move == "right" else -1)
    if not 0 <= target < len(geo.sizes):
        return focus
    lay, y = geo.layout, float(geo.py[geo.neuron(layer, index)])
    nearest = np.rint((y - lay.tops[target]) / lay.pitches[target])  # the same height, so the same relative place
    return target, int(np.clip(nearest, 0, geo.sizes[target] - 1))


def focus_ring_rect(geo: Geometry, layer: int, index: int, picture: QRectF | None = None) -> QRectF:
    """The box the focus ring is drawn on: just outside the selection ring, around a dot, a strip's bar or the
    neuron's map ``picture``."""
    if picture is not None:
        return picture.adjusted(-8.0, -8.0, 8.0, 8.0)
    n = geo.neuron(layer, index)
    x, y, lay = float(geo.px[n]), float(geo.py[n]), geo.layout
    if lay.strips[layer]:
        half_w = lay.strip_width / 2.0 + 7.0
        half_h = max(float(lay.pitches[layer]), 3.0) / 2.0 + 6.0
    else:
        r = float(lay.radii[layer])
        half_w = half_h = r + ring_width(r) + 7.0
    return QRectF(x - half_w, y - half_h, 2 * half_w, 2 * half_h)


def selection_ring(geo: Geometry, layer: int, index: int, picture: QRectF | None = None) -> tuple[QRectF, float]:
    """(box, pen width) of the ring around the selected neuron: round around a dot, flat around a strip's bar,
    square around the neuron's map ``picture``."""
    if picture is not None:
        return picture.adjusted(-4.0, -4.0, 4.0, 4.0), 2.0
    n = geo.neuron(layer, index)
    x, y, lay = float(geo.px[n]), float(geo.py[n]), geo.layout
    if lay.strips[layer]:
        half_w = lay.strip_width / 2.0 + 4.0
        half_h = max(float(lay.pitches[layer]), 3.0) / 2.0 + 4.0
        width = 1.5
    else:
        r = float(lay.radii[layer])
        half_w = half_h = r + ring_width(r) + 4.0
        width = 2.0 if r >= 3.0 else 1.5
    return QRectF(x - half_w, y - half_h, 2 * half_w, 2 * half_h), width


class FocusRing(QGraphicsObject):
    """A dashed ring in the accent colour around the neuron the keyboard is on; left out of exports."""

    def __init__(self) -> None:
        super().__init__()
        self._rect = QRectF()
        self._round = True
        self._pen = QPen()
        self._exporting = False
        self.setVisible(False)

    def set_ring(self, rect: QRectF, colour: QColor, round_: bool) -> None:
        """Draw around ``rect``: an ellipse (``round_``) or a rounded rectangle (a strip's bar)."""
        pen = QPen(colour, 2.0, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        if (rect, round_, pen) == (self._rect, self._round, self._pen):
            return
        self.prepareGeometryChange()
        self._rect, self._round, self._pen = QRectF(rect), round_, pen
        self.update()

    def rect(self) -> QRectF:
        return QRectF(self._rect)

    def setExportMode(self, export: bool, opts: dict | None = None) -> None:
        """Called by the exporter: a keyboard aid is not part of the picture."""
        self._exporting = bool(export)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2.0, -2.0, 2.0, 2.0)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if self._exporting:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(self._pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self._round:
            painter.drawEllipse(self._rect)
        else:
            painter.drawRoundedRect(self._rect, 3.0, 3.0)
        painter.restore()


class SelectionRing(QGraphicsObject):
    """The ring around the selected neuron: an ellipse around a dot, a rounded square around a map picture or a
    strip's bar. Part of exported pictures."""

    def __init__(self) -> None:
        super().__init__()
        self._rect = QRectF()
        self._round = True
        self._pen = QPen()
        self.setVisible(False)

    def set_ring(self, rect: QRectF, pen: QPen, round_: bool) -> None:
        self.prepareGeometryChange()
        self._rect, self._pen, self._round = QRectF(rect), pen, round_
        self.update()

    def rect(self) -> QRectF:
        return QRectF(self._rect)

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2.0, -2.0, 2.0, 2.0)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(self._pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self._round:
            painter.drawEllipse(self._rect)
        else:
            painter.drawRoundedRect(self._rect, 3.0, 3.0)
        painter.restore()
