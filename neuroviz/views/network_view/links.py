"""The links: which to draw (level of detail), their pens, and the bucket curves that draw them.

Links are sorted into 2 signs × 6 strengths (+1 for NaN/inf), one ``PlotCurveItem(connect="pairs")`` per bucket.
When a network has more links than ``max_edges``, only the strongest of each pair of columns are drawn
(argpartition).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainterPath
from PySide6.QtWidgets import QGraphicsObject

from neuroviz.views.colors import DivergingColorMap, Theme, mix
from neuroviz.views.network_view.frame import same_bits
from neuroviz.views.network_view.items import Group
from neuroviz.views.network_view.layout import MAX_PITCH, Geometry, Layout
from neuroviz.views.network_view.style import cosmetic_pen

STRENGTHS = 6  # link widths per sign
NONFINITE_BUCKET = 2 * STRENGTHS  # links whose value is NaN or ±inf
#: Links drawn at most (the strongest): more are unreadable at window size, and Qt needs ~1.3 ms per thousand.
DEFAULT_MAX_EDGES = 5_000
EDGE_ANTIALIAS_LIMIT = 3_000  # more links than this are drawn without antialiasing (it costs 5x)

#: largest pair of columns has 64); more crowd each other, so they get thinner and fainter (see link_crowding).
CALM_LINKS = 100


def link_crowding(sizes: Sequence[int]) -> float:
    """1 for a network whose busiest pair of columns has at most CALM_LINKS links, less (down to 0.3) beyond.

    Hundreds of 4-px links between two columns of 24 neurons cover each other and the neurons: the width and
    the strength of every link scale with sqrt(CALM_LINKS / links of the busiest pair).
    """
    busiest = max((a * b for a, b in itertools.pairwise(sizes)), default=0)
    return float(np.clip(math.sqrt(CALM_LINKS / busiest), 0.3, 1.0)) if busiest > CALM_LINKS else 1.0


def strongest_edges(edges: Sequence[np.ndarray], max_edges: int) -> list[np.ndarray]:
    """Flat indices of the links to draw in each pair of columns: all, or the strongest |value| if too many.

    The budget is shared in proportion to each pair's size (see ``link_budget``), so exactly ``max_edges`` are
    drawn and no pair of columns vanishes. NaN and ±inf count as strongest (they are what a user must see). Zeros
    are set aside before the partition: signals from dead ReLUs make half a layer exactly 0, and NumPy's
    introselect is 25x slower on such ties.
    """
    total = sum(int(e.size) for e in edges)
    if total <= max_edges:
        return [np.arange(e.size) for e in edges]
    chosen = []
    for e, keep in zip(edges, link_budget([int(e.size) for e in edges], max_edges), strict=True):
        if keep == e.size:
            chosen.append(np.arange(e.size))
            continue
        magnitude = np.abs(e.ravel())
        nonzero = np.flatnonzero(magnitude != 0)  # NaN included
        if nonzero.size <= keep:
            zeros = np.flatnonzero(magnitude == 0)[: keep - nonzero.size]
            chosen.append(np.sort(np.concatenate([nonzero, zeros])))
        else:
            cut = nonzero.size - keep
            chosen.append(np.sort(nonzero[np.argpartition(magnitude[nonzero], cut)[cut:]]))
    return chosen


def link_budget(sizes: Sequence[int], max_edges: int) -> list[int]:
    """How many of each pair's ``sizes[k]`` links to draw when they are more than ``max_edges`` in all.

    Each pair gets its share in proportion to its size, rounded down; what rounding left over goes one by one to
    the largest fractions, so the shares add up to ``max_edges`` exactly. A pair whose share rounds to 0 still
    keeps its strongest link, taken from the largest share (only with fewer links allowed than pairs are more
    drawn).
    """
    total = sum(sizes)
    if total <= max_edges:
        return list(sizes)
    shares = [divmod(max_edges * size, total) for size in sizes]  # integers: exact, however large
    keep = [whole for whole, _ in shares]
    leftover = max_edges - sum(keep)
    for k in sorted(range(len(sizes)), key=lambda k: -shares[k][1])[:leftover]:
        keep[k] += 1
    for k, size in enumerate(sizes):
        if size and not keep[k]:
            largest = max(range(len(keep)), key=keep.__getitem__)
            if keep[largest] > 1:
                keep[largest] -= 1
            keep[k] = 1
    return keep


class EdgeCurve(pg.PlotCurveItem):
    """One bucket of links. Its shape is empty: the view does its own hit testing, and Qt's shape test on a
    path of thousands of segments would run on every mouse move."""

    def shape(self) -> QPainterPath:
        return QPainterPath()


class Links:
    """The link buckets under one parent item (so they share one snapshot), and what they last drew."""

    def __init__(self) -> None:
        self.group = Group()
        self.group.setFlag(QGraphicsObject.GraphicsItemFlag.ItemHasNoContents)
        self.curves: list[EdgeCurve] = []
        for bucket in range(NONFINITE_BUCKET + 1):
            curve = EdgeCurve(connect="pairs", skipFiniteCheck=True, antialias=True)
            curve.setParentItem(self.group)
            curve.setZValue(bucket)  # weak links first, the strongest on top
            self.curves.append(curve)
        self.drawn: list[tuple[np.ndarray, np.ndarray]] = []  # (source, target) per pair of columns
        self.total = 0  # links given
        self.drawn_count = 0  # links drawn
        self._drawn_input: tuple | None = None  # (copies of edges, edge_limit) last turned into links

    def forget(self) -> None:
        """Draw the next links given even if they equal the last (the positions or the budget changed)."""
        self._drawn_input = None

    def set_pens(self, lay: Layout, sizes: Sequence[int], th: Theme, cmap: DivergingColorMap) -> None:
        """Pens of the link buckets: wider and more saturated with strength.

        Opaque on purpose: alpha blending of thousands of long lines is ~20x slower in Qt's raster engine, so
        faintness is mixed into the colour towards the background instead. Links are as wide as the most crowded
        column allows (one pen per bucket serves every pair of columns).
        """
        pitch = float(lay.pitches.min()) if lay.pitches.size else MAX_PITCH
        crowding = link_crowding(sizes)
        widest = float(np.clip(0.3 * pitch * crowding, 1.0, 4.5))
        thinnest = 1.0  # thinner cosmetic pens leave Qt's fast line path (3-4x slower when not antialiased)
        # thousands of 1-px links, or hundreds between two columns: keep them quiet behind the neurons
        fade = (0.45 if lay.dense else 1.0) * math.sqrt(crowding)
        for bucket, curve in enumerate(self.curves):
            if bucket == NONFINITE_BUCKET:
                colour, width = QColor(th.nonfinite), widest
            else:
                strength, negative = divmod(bucket, 2)
                fraction = (strength + 1) / STRENGTHS
                row = cmap.CENTER + (-1 if negative else 1) * round(fraction * cmap.CENTER)
                opacity = (0.3 + 0.7 * fraction) * fade
                colour = mix(cmap.colors[row], th.background, 1.0 - opacity)
                width = thinnest + (widest - thinnest) * strength / (STRENGTHS - 1)
            pen = cosmetic_pen(colour, width)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            curve.setPen(pen)

    def draw(self, edges: list[np.ndarray], edge_limit: float, max_edges: int, geo: Geometry) -> None:
        """Sort the strongest ``max_edges`` links into their buckets; nothing is redone if the links did not change."""
        if self._unchanged(edges, edge_limit):  # weights mode while only the inputs move: nothing to redo
            return
        self._drawn_input = ([e.copy() for e in edges], edge_limit)
        self.total = sum(int(e.size) for e in edges)
        chosen = strongest_edges(edges, max_edges)
        xs, py, offsets = geo.layout.xs, geo.py, geo.offsets
        self.drawn = []
        x0, y0, x1, y1, vals = [], [], [], [], []
        for pair, (e, keep) in enumerate(zip(edges, chosen, strict=True)):
            source, target = np.divmod(keep, e.shape[1])
            self.drawn.append((source, target))
            x0.append(np.full(keep.size, xs[pair]))
            x1.append(np.full(keep.size, xs[pair + 1]))
            y0.append(py[offsets[pair] + source])
            y1.append(py[offsets[pair + 1] + target])
            vals.append(e.ravel()[keep])
        count = sum(v.size for v in vals)
        self.drawn_count = count
        if count:
            v = np.concatenate(vals)
            finite = np.isfinite(v)
            with np.errstate(over="ignore", invalid="ignore"):
                fraction = np.minimum(np.abs(np.where(finite, v, 0.0)) / edge_limit, 1.0)
            strength = np.minimum((fraction * STRENGTHS).astype(np.intp), STRENGTHS - 1)
            bucket = 2 * strength + (v < 0)
            bucket[~finite] = NONFINITE_BUCKET
            order = np.argsort(bucket, kind="stable")
            x = np.empty((count, 2))
            y = np.empty((count, 2))
            x[:, 0], x[:, 1] = np.concatenate(x0), np.concatenate(x1)
            y[:, 0], y[:, 1] = np.concatenate(y0), np.concatenate(y1)
            x, y = x[order].ravel(), y[order].ravel()
            bounds = 2 * np.concatenate([[0], np.cumsum(np.bincount(bucket, minlength=NONFINITE_BUCKET + 1))])
        else:
            x = y = np.zeros(0)
            bounds = np.zeros(NONFINITE_BUCKET + 2, dtype=np.intp)
        antialias = count <= EDGE_ANTIALIAS_LIMIT
        for b, curve in enumerate(self.curves):
            xb, yb = x[bounds[b] : bounds[b + 1]], y[bounds[b] : bounds[b + 1]]
            old_x, old_y = curve.getData()
            if (
                curve.opts["antialias"] == antialias
                and old_x is not None
                and np.array_equal(old_x, xb)
                and np.array_equal(old_y, yb)
            ):
                continue  # most buckets keep their links from one input change to the next
            curve.setData(x=xb, y=yb, antialias=antialias)

    def _unchanged(self, edges: list[np.ndarray], edge_limit: float) -> bool:
        if self._drawn_input is None:
            return False
        previous, limit = self._drawn_input
        return (
            limit == edge_limit
            and len(previous) == len(edges)
            and all(same_bits(a, b) for a, b in zip(previous, edges, strict=True))
        )
