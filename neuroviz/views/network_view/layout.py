"""Where everything goes, in pixels (the scene is the viewport: 1 unit = 1 pixel, so circles stay round).

Each column spreads its neurons over the height it has, so a small layer next to a big one is not crammed into a
stub: pitch and radius are per column. Columns too crowded for dots (radius < ``STRIP_RADIUS``) become heat strips.
``Geometry`` holds the centre and radius of every neuron for one layout; it is what the items, the labels, hit
testing and keyboard focus read, and what the picture inside each neuron (thumbnails.py) is placed by
(``Geometry.neuron_rects``); with Neuron Maps on, neurons may grow up to ``MAX_THUMB_RADIUS``. Pure computation:
no item is touched here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRectF

# Layout, in pixels.
SIDE_MARGIN = 56.0
HEADER_FONT_PX = 12
HEADER_MIN_FONT_PX = 8  # headers shrink down to this before they are elided
HEADER_SHARED_MIN_FONT_PX = 10  # all headers share one size down to this; only longer lines go smaller
HEADER_LINE_PX = 16.0
HEADER_MAX_WIDTH = 170.0
HEADER_GAP_PX = 6.0  # free pixels between the headers of neighbouring columns
FOOTER_PX = 50.0
MAX_COLUMN_SPACING = 280.0
MAX_PITCH = 72.0
MAX_RADIUS = 20.0
MAX_THUMB_RADIUS = 27.0  # with Neuron Maps on, neurons grow to hold a picture (54 px, Playground's is 30 px)
THUMB_MIN_RADIUS = 4.5  # a column of smaller neurons keeps its dots: a map under 9 px shows nothing
MIN_RADIUS = 0.8
STRIP_RADIUS = 3.0  # columns whose neurons would be smaller are drawn as a heat strip
STRIP_MIN_WIDTH = 8.0
STRIP_MAX_WIDTH = 14.0
BIAS_STRIP_WIDTH = 3.0  # the biases of a strip column: a thin strip on its left
TICK_WIDTH = 5.0  # status marks beside a strip: a short bar in the mark's colour
LABEL_MIN_RADIUS = 11.0  # smaller neurons cannot hold "-0.73"
LABEL_MIN_FONT_PX = 7  # labels inside neurons shrink to fit: to 8 px, shortened to 8 px, then to this
BACKDROP_PAD_X, BACKDROP_PAD_Y = 2.5, 2.0  # room around a label on an opaque box
LABEL_BESIDE_MIN_PITCH = 11.0  # neurons further apart than this get their value written beside them
LABEL_BESIDE_MIN_ROOM = 30.0  # ... if there is this much room to the right
LABEL_BELOW_MIN_ROOM = 12.0  # or under them, if neighbours leave this much room (a line of LABEL_BESIDE_FONT_PX)
LABEL_BESIDE_FONT_PX = 9
LABEL_BESIDE_MIN_GAP = 9.0  # labels beside neurons closer than this would overwrite each other: every other one
EDGE_HIT_PX = 4.0

NO_LABEL, BESIDE, BELOW, INSIDE = 0, 1, 2, 3


@dataclass(frozen=True)
class Layout:
    """Where everything goes for one widget size, in pixels. Arrays have one entry per column."""

    width: float
    height: float
    xs: np.ndarray  # column centres
    tops: np.ndarray  # y of neuron 0
    pitches: np.ndarray  # distance between neighbouring neurons
    radii: np.ndarray  # neuron radius; in a strip column half a bar's height
    strips: np.ndarray  # True where the neurons are drawn as a heat strip
    spacing: float  # distance between columns
    strip_width: float
    header_top: float
    footer_top: float

    @property
    def dot_hit_radii(self) -> np.ndarray:
        """Mouse distance that still counts as on a neuron; tiny neurons share their column band."""
        return np.minimum(np.maximum(self.radii + 2.0, 4.0), np.maximum(self.pitches / 2.0, self.radii))

    @property
    def hit_half_widths(self) -> np.ndarray:
        """How far left or right of a column's centre the mouse is still on one of its neurons."""
        return np.where(self.strips, self.strip_width / 2.0 + 4.0, self.dot_hit_radii)

    @property
    def thumb_columns(self) -> np.ndarray:
        """Columns big enough for a map thumbnail in each neuron (dots, not strips, of at least THUMB_MIN_RADIUS)."""
        return ~self.strips & (self.radii >= THUMB_MIN_RADIUS)

    @property
    def dense(self) -> bool:
        return bool(self.pitches.size) and float(self.pitches.min()) < 8.0


def compute_layout(sizes: Sequence[int], width: float, height: float, header_lines: int, maps: bool = False) -> Layout:
    """Where everything goes; ``maps``: neurons are drawn as map thumbnails, so they may be larger."""
    count = len(sizes)
    n = np.asarray(sizes, dtype=np.float64).reshape(-1)
    header_top = 8.0
    top = header_top + header_lines * HEADER_LINE_PX + 12.0
    footer_top = max(height - FOOTER_PX, top + 10.0)
    free_h = max(footer_top - top - 6.0, 10.0)
    spacing = min(max(width - 2 * SIDE_MARGIN, 10.0) / max(count - 1, 1), MAX_COLUMN_SPACING)
    pitches = np.minimum(free_h / np.maximum(n, 1.0), MAX_PITCH)  # each column spreads over the height
    radii = np.minimum(MAX_THUMB_RADIUS, 0.4 * pitches) if maps else np.minimum(MAX_RADIUS, 0.36 * pitches)
    strips = radii < STRIP_RADIUS  # too crowded for dots (not merely narrow: that keeps small dots)
    if count > 1:
        radii = np.minimum(radii, (0.22 if maps else 0.2) * spacing)
    radii = np.where(strips, pitches / 2.0, np.maximum(radii, MIN_RADIUS))
    strip_width = min(float(np.clip(0.25 * spacing, STRIP_MIN_WIDTH, STRIP_MAX_WIDTH)), 0.45 * spacing)
    xs = width / 2.0 - spacing * (count - 1) / 2.0 + spacing * np.arange(count)
    tops = top + free_h / 2.0 - (n - 1.0) / 2.0 * pitches
    if count:  # headers sit just above the tallest column, not at the window's top edge
        header_top = max(header_top, float(np.min(tops - radii)) - 14.0 - header_lines * HEADER_LINE_PX)
    return Layout(width, height, xs, tops, pitches, radii, strips, spacing, strip_width, header_top, footer_top)


@dataclass(frozen=True)
class Geometry:
    """Every neuron's place for one layout: arrays with one entry per neuron, columns one after the other."""

    layout: Layout
    sizes: tuple[int, ...]
    offsets: np.ndarray  # index of each column's first neuron; offsets[-1] = all neurons
    column: np.ndarray  # column of every neuron
    px: np.ndarray  # centre x of every neuron
    py: np.ndarray  # centre y of every neuron
    pr: np.ndarray  # radius of every neuron (in a strip: half a bar's height)

    @classmethod
    def make(cls, sizes: Sequence[int], width: float, height: float, header_lines: int, maps: bool = False) -> Geometry:
        lay = compute_layout(sizes, width, height, header_lines, maps)
        offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.intp)
        column = np.repeat(np.arange(len(sizes)), sizes).astype(np.intp)
        rows = np.arange(column.size) - offsets[column]
        py = lay.tops[column] + rows * lay.pitches[column]
        return cls(lay, tuple(sizes), offsets, column, lay.xs[column], py, lay.radii[column])

    def neuron(self, layer: int, index: int) -> int:
        """The flat index of neuron ``index`` of column ``layer``."""
        return int(self.offsets[layer]) + int(index)

    def neuron_rects(self, layer: int) -> list[QRectF]:
        """The square (a dot's bounding box; in a strip the bar) each neuron of column ``layer`` takes.

        The place for anything drawn inside a neuron, e.g. one response-map picture per neuron.
        """
        lo, hi = int(self.offsets[layer]), int(self.offsets[layer + 1])
        if self.layout.strips[layer]:
            half_w = self.layout.strip_width / 2.0
            return [
                QRectF(x - half_w, y - r, 2 * half_w, 2 * r)
                for x, y, r in zip(self.px[lo:hi], self.py[lo:hi], self.pr[lo:hi], strict=True)
            ]
        return [
            QRectF(x - r, y - r, 2 * r, 2 * r)
            for x, y, r in zip(self.px[lo:hi], self.py[lo:hi], self.pr[lo:hi], strict=True)
        ]


def label_modes(lay: Layout) -> np.ndarray:
    """Per column, where values go: inside the neurons, below them (a line of room between neighbours),
    on their right (room before the next column) or nowhere (too crowded: hover to read them)."""
    if not lay.xs.size:
        return np.zeros(0, dtype=np.int8)
    dots = ~lay.strips
    left_extent = np.where(lay.strips, lay.strip_width / 2.0 + 1.5 + BIAS_STRIP_WIDTH, lay.radii + 2.0)
    right = np.append(lay.xs[1:] - left_extent[1:] - 6.0, lay.width - 4.0)  # up to the next column's marks
    room_right = right - (lay.xs + lay.radii + 3.0)
    room_below = lay.pitches - 2.0 * lay.radii
    inside = dots & (lay.radii >= LABEL_MIN_RADIUS)
    below = dots & (room_below >= LABEL_BELOW_MIN_ROOM) & (lay.spacing >= LABEL_BESIDE_MIN_ROOM)
    beside = dots & (lay.pitches >= LABEL_BESIDE_MIN_PITCH) & (room_right >= LABEL_BESIDE_MIN_ROOM)
    modes = np.where(beside, BESIDE, NO_LABEL)
    return np.where(inside, INSIDE, np.where(below, BELOW, modes)).astype(np.int8)


def bias_positions(geo: Geometry) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, y, size) of the bias mark of every neuron after the input column: a square tab on the lower left of a
    big neuron (as in TensorFlow Playground), a dot just left of a tiny one, a thin strip left of a heat strip."""
    lay, first = geo.layout, geo.sizes[0] if geo.sizes else 0
    r, x, y = geo.pr[first:], geo.px[first:], geo.py[first:]
    square = np.clip(0.5 * r, 3.0, 9.0)
    tab = r >= 5.0
    bias_x = np.where(tab, x - 0.78 * r, x - r - square / 2.0 - 0.5)
    bias_y = np.where(tab, y + 0.78 * r, y)
    in_strip = lay.strips[geo.column[first:]]
    bias_x = np.where(in_strip, x - lay.strip_width / 2.0 - 1.5 - BIAS_STRIP_WIDTH / 2.0, bias_x)
    return bias_x, bias_y, square
