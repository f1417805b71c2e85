"""The network picture: columns of neurons coloured by value, links coloured and sized by weight or signal.

The view is dumb. The controller hands it arrays (``set_structure`` when the shape of the network changes,
``set_values`` on every change of a value) and it draws them; mouse events come back as signals. It never
imports the model.

How it stays fast: every graphics item is made once, in ``__init__``; later calls only move data into them.
Positions are computed in pixels (the scene is the viewport, 1 unit = 1 pixel), so circles stay round on any
window shape. Each column spreads its neurons over the height it has, so a small layer next to a big one is not
crammed into a stub: pitch and radius are per column. Neurons are one ScatterPlotItem (per-point sizes) whose
brushes come from a pre-made table of 257 colours. Columns too crowded for dots (radius < ``STRIP_RADIUS``)
are heat strips instead: one bar per neuron, all painted by one item with one ``drawImage`` per column.
Links are sorted into 2 signs × 6 strengths (+1 for NaN/inf), one ``PlotCurveItem(connect="pairs")``
per bucket. When a network has more links than ``max_edges``, only the strongest of each pair of columns are
drawn (argpartition).
Texts (headers, value labels) are painted by one item per kind, so exports contain real ``<text>`` elements,
and while exporting the neurons are painted with ``drawEllipse``, so an SVG holds one ``<ellipse>`` per neuron.
What only changes with the structure or the weights (links in weight mode, headers, legend) is painted on screen
from a pixmap of itself (``_Snapshot``), so moving an input repaints only the neurons.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QCursor,
    QFont,
    QFontMetricsF,
    QImage,
    QLinearGradient,
    QPaintEngine,
    QPainter,
    QPainterPath,
    QPen,
    QPixmapCache,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsEffect,
    QGraphicsEllipseItem,
    QGraphicsObject,
    QGraphicsScene,
    QToolTip,
    QWidget,
)

from neuroviz.views.colors import DivergingColorMap, Theme, mix, theme

pg.setConfigOptions(antialias=True, imageAxisOrder="row-major")

__all__ = ["STATUS_NAMES", "NetworkView", "format_value", "link_budget", "link_crowding", "strongest_edges"]

# Status codes of set_values (the same numbers as neuroviz.model.picture).
NORMAL, DEAD, SATURATED, NAN, POS_INF, NEG_INF = 0, 1, 2, 3, 4, 5
STATUS_NAMES = {
    NORMAL: "normal",
    DEAD: "dead",
    SATURATED: "saturated",
    NAN: "NaN",
    POS_INF: "+inf",
    NEG_INF: "-inf",
}
_NONFINITE_TEXT = {NAN: "NaN", POS_INF: "+∞", NEG_INF: "−∞"}

STRENGTHS = 6  # link widths per sign
NONFINITE_BUCKET = 2 * STRENGTHS  # links whose value is NaN or ±inf
#: Links drawn at most (the strongest): more are unreadable at window size, and Qt needs ~1.3 ms per thousand.
DEFAULT_MAX_EDGES = 5_000
EDGE_ANTIALIAS_LIMIT = 3_000  # more links than this are drawn without antialiasing (it costs 5x)

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


def format_value(value: float) -> str:
    """A value in at most ~6 characters: ``0.73``, ``12.3``, ``-1.2e3``, ``5e-4``, ``NaN``, ``+∞``."""
    v = float(value)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "+∞" if v > 0 else "−∞"
    a = abs(v)
    if a == 0:
        return "0"
    if 0.01 <= a < 0.995:
        return f"{v:.2f}"
    if 0.995 <= a < 999.5:
        return f"{v:.3g}"
    mantissa, exponent = f"{v:.1e}".split("e")
    return f"{mantissa.removesuffix('.0')}e{int(exponent)}"


#: Links between two columns up to which they are drawn at full width and strength (TensorFlow Playground's
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


@dataclass(frozen=True)
class _Layout:
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
    def dense(self) -> bool:
        return bool(self.pitches.size) and float(self.pitches.min()) < 8.0


def _compute_layout(sizes: Sequence[int], width: float, height: float, header_lines: int) -> _Layout:
    count = len(sizes)
    n = np.asarray(sizes, dtype=np.float64).reshape(-1)
    header_top = 8.0
    top = header_top + header_lines * HEADER_LINE_PX + 12.0
    footer_top = max(height - FOOTER_PX, top + 10.0)
    free_h = max(footer_top - top - 6.0, 10.0)
    spacing = min(max(width - 2 * SIDE_MARGIN, 10.0) / max(count - 1, 1), MAX_COLUMN_SPACING)
    pitches = np.minimum(free_h / np.maximum(n, 1.0), MAX_PITCH)  # each column spreads over the height
    radii = np.minimum(MAX_RADIUS, 0.36 * pitches)
    strips = radii < STRIP_RADIUS  # too crowded for dots (not merely narrow: that keeps small dots)
    if count > 1:
        radii = np.minimum(radii, 0.2 * spacing)
    radii = np.where(strips, pitches / 2.0, np.maximum(radii, MIN_RADIUS))
    strip_width = min(float(np.clip(0.25 * spacing, STRIP_MIN_WIDTH, STRIP_MAX_WIDTH)), 0.45 * spacing)
    xs = width / 2.0 - spacing * (count - 1) / 2.0 + spacing * np.arange(count)
    tops = top + free_h / 2.0 - (n - 1.0) / 2.0 * pitches
    if count:  # headers sit just above the tallest column, not at the window's top edge
        header_top = max(header_top, float(np.min(tops - radii)) - 14.0 - header_lines * HEADER_LINE_PX)
    return _Layout(width, height, xs, tops, pitches, radii, strips, spacing, strip_width, header_top, footer_top)


class _Snapshot(QGraphicsEffect):
    """Paints an item (and its children) from a pixmap of itself until one of them changes.

    Qt keeps the pixmap and drops it whenever the item or a child calls ``update()``. It is only used while the
    view paints itself at its own pixel ratio (on screen, ``grab()``); exports (SVG, scaled PNGs, scene renders)
    get the items' own drawing, so they stay sharp vectors with real ``<text>``.
    """

    def __init__(self, view: NetworkView) -> None:
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


class _Group(QGraphicsObject):
    """A parent that draws nothing itself: it holds the link buckets so they share one snapshot."""

    def boundingRect(self) -> QRectF:
        return QRectF()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        pass


class _Text(NamedTuple):
    """One text of a _TextLayer: where, what, in which colour and pixel size."""

    rect: QRectF
    text: str
    colour: QColor
    pixel_size: int = HEADER_FONT_PX
    flags: int = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextDontClip)
    backdrop: QColor | None = None  # filled behind the text, so it reads over the links
    rounded: bool = False  # the backdrop is the whole rect, with rounded corners (else the text's bounds)


class _TextLayer(QGraphicsObject):
    """Many short texts painted by one item, so the item count never changes and exports get ``<text>``."""

    def __init__(self) -> None:
        super().__init__()
        self._entries: list[_Text] = []
        self._bounds = QRectF()
        self._fonts: dict[int, QFont] = {}

    def set_entries(self, entries: list[_Text], bounds: QRectF) -> None:
        if (entries, bounds) == (self._entries, self._bounds):
            return  # nothing to repaint (the usual case for headers, and for labels when none are shown)
        self.prepareGeometryChange()
        self._entries, self._bounds = entries, bounds
        self.update()

    def texts(self) -> list[str]:
        return [entry.text for entry in self._entries]

    def entries(self) -> list[_Text]:
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
            self._fonts[pixel_size] = _font(pixel_size)
        return self._fonts[pixel_size]


class _LegendLayout(NamedTuple):
    """Where the footer's parts go: the colour-bar block (title, bar, ticks, link scale) on the right, the marks'
    samples in one or two rows on the left of it, the LOD note below them; nothing overlaps."""

    bar: QRectF  # the gradient itself
    block: QRectF  # everything that belongs to the colour bar
    marks: list[tuple[str, str, QPointF, QRectF]]  # (kind, label, sample centre, sample and label)
    notice: QRectF  # where the LOD note goes (elided to its width)


class _Legend(QGraphicsObject):
    """The footer: colour bar ("activation", -limit, 0, +limit), the meaning of the marks, the LOD note.

    When the view is too narrow for the marks beside the colour bar they wrap into a second row; those that do not
    fit in two rows are left out (a neuron's tooltip names its state), so no sample is drawn over the colour bar.
    """

    BAR_WIDTH = 150.0
    BAR_HEIGHT = 10.0
    MARKS = (
        ("dead", "dead"),
        ("saturated", "saturated"),
        ("nan", "NaN"),
        ("+inf", "+∞"),
        ("-inf", "−∞"),
        ("sel", "selected"),
    )
    SAMPLE_RADIUS = 5.0
    ROW_PITCH = 17.0  # two rows of samples: their rings (up to 8.4 px from the centre) never touch

    def __init__(self) -> None:
        super().__init__()
        self._rect = QRectF()
        self._theme: Theme = theme(False)
        self._cmap = DivergingColorMap.for_theme(self._theme)
        self._value_limit = 1.0
        self._edge_limit = 1.0
        self._notice = ""
        self._short_notice = ""
        self._font = QFont()
        self._font.setPixelSize(11)
        self._metrics = QFontMetricsF(self._font)

    def set_rect(self, rect: QRectF) -> None:
        self.prepareGeometryChange()
        self._rect = rect
        self.update()

    def set_theme(self, th: Theme, cmap: DivergingColorMap) -> None:
        self._theme, self._cmap = th, cmap
        self.update()

    def set_limits(self, value_limit: float, edge_limit: float, notice: str, short_notice: str = "") -> None:
        """The colour bar's and link scale's limits; the LOD note, and a shorter one for a narrow view."""
        limits = (value_limit, edge_limit, notice, short_notice or notice)
        if limits != (self._value_limit, self._edge_limit, self._notice, self._short_notice):
            self._value_limit, self._edge_limit, self._notice, self._short_notice = limits
            self.update()

    def notice(self) -> str:
        return self._notice

    def shown_notice(self) -> str:
        """The LOD note as written: in full, shortened, or elided to the room left of the colour bar."""
        room = self.layout().notice.width()
        if not self._notice or room <= 0:
            return ""
        if self._metrics.horizontalAdvance(self._notice) <= room:
            return self._notice
        return self._metrics.elidedText(self._short_notice, Qt.TextElideMode.ElideRight, room)

    def tick_texts(self) -> list[str]:
        return [format_value(-self._value_limit), "0", format_value(self._value_limit)]

    def link_scale_text(self) -> str:
        return f"link scale ±{format_value(self._edge_limit)}"

    def mark_texts(self) -> list[str]:
        """The marks the footer explains (those that fit), in order."""
        return [label for _, label, _, _ in self.layout().marks]

    def layout(self) -> _LegendLayout:
        """Where everything goes in the current rect (cheap: a dozen text widths)."""
        rect, metrics = self._rect, self._metrics
        line = metrics.height()
        bar = QRectF(rect.right() - self.BAR_WIDTH - 18.0, rect.top() + 8.0, self.BAR_WIDTH, self.BAR_HEIGHT)
        title_left = bar.left() - 8.0 - metrics.horizontalAdvance("activation")
        link_left = bar.right() - metrics.horizontalAdvance(self.link_scale_text())
        block = QRectF(QPointF(min(title_left, link_left), rect.top()), QPointF(rect.right(), rect.bottom()))
        left, right = rect.left() + 8.0, block.left() - 12.0
        items = [(kind, label, 18.0 + metrics.horizontalAdvance(label) + 4.0) for kind, label in self.MARKS]
        rows = [[]]
        x = left
        for kind, label, width in items:
            if x + width > right and rows[-1]:
                if len(rows) == 2:
                    break
                rows.append([])
                x = left
            if x + width > right:
                break
            rows[-1].append((kind, label, x, width))
            x += width + 10.0
        first = bar.center().y() if len(rows) == 1 else rect.top() + 8.5
        marks = []
        for row_no, row in enumerate(rows):
            y = first + row_no * self.ROW_PITCH
            for kind, label, x, width in row:
                box = QRectF(x, y - self.ROW_PITCH / 2.0, width, self.ROW_PITCH)
                marks.append((kind, label, QPointF(x + 7.0, y), box))
        below = first + (len(rows) - 1) * self.ROW_PITCH + (0.9 * line if len(rows) == 1 else self.ROW_PITCH)
        notice = QRectF(left, below - line / 2.0, max(right - left, 0.0), line)
        return _LegendLayout(bar, block, marks, notice)

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(self._font)
        layout = self.layout()
        self._paint_colour_bar(painter, layout.bar)
        for kind, label, centre, box in layout.marks:
            self._paint_sample(painter, kind, centre)
            painter.setPen(QColor(self._theme.muted))
            painter.drawText(box.adjusted(18.0, 0.0, 0.0, 0.0), _flags(_LEFT, _VCENTER), label)
        notice = self.shown_notice()
        if notice:
            painter.setPen(QColor(self._theme.muted))
            painter.drawText(layout.notice, _flags(_LEFT, _VCENTER), notice)

    def _paint_colour_bar(self, painter: QPainter, bar: QRectF) -> None:
        th, line = self._theme, self._metrics.height()
        gradient = QLinearGradient(bar.topLeft(), bar.topRight())
        for position, colour in self._cmap.gradient_stops():
            gradient.setColorAt(position, colour)
        painter.setPen(QPen(QColor(th.outline), 0.8))
        painter.setBrush(QBrush(gradient))
        painter.drawRect(bar)
        top, third = bar.bottom() + 2.0, self.BAR_WIDTH / 3.0
        alignments = (Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignHCenter, Qt.AlignmentFlag.AlignRight)
        painter.setPen(QColor(th.muted))
        for k, (text, align) in enumerate(zip(self.tick_texts(), alignments, strict=True)):
            painter.drawText(QRectF(bar.left() + k * third, top, third, line), _flags(align, _TOP), text)
        title = QRectF(bar.left() - 208.0, bar.center().y() - line / 2, 200.0, line)
        painter.setPen(QColor(th.foreground))
        painter.drawText(title, _flags(_RIGHT, _VCENTER), "activation")
        painter.setPen(QColor(th.muted))  # links share the colours, on their own scale
        links = QRectF(bar.right() - 200.0, top + line, 200.0, line)
        painter.drawText(links, _flags(_RIGHT, _TOP), self.link_scale_text())

    def _paint_sample(self, painter: QPainter, kind: str, centre: QPointF) -> None:
        th, radius = self._theme, self.SAMPLE_RADIUS
        code = {"nan": NAN, "+inf": POS_INF, "-inf": NEG_INF}.get(kind)
        fill = _nonfinite_fill(th, code) if code is not None else QColor(th.neutral)
        painter.setPen(QPen(QColor(th.outline), 1.0))
        painter.setBrush(fill)
        painter.drawEllipse(centre, radius, radius)
        if kind == "dead":
            pen = QPen(QColor(th.dead), 1.6)
            painter.setPen(pen)
            d = radius * 0.6
            painter.drawLine(centre + QPointF(-d, -d), centre + QPointF(d, d))
            painter.drawLine(centre + QPointF(-d, d), centre + QPointF(d, -d))
        elif kind == "saturated":
            painter.setPen(QPen(QColor(th.saturated), 2.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, radius + 1.5, radius + 1.5)
        elif code is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_hatch(th, code))
            painter.drawEllipse(centre, radius, radius)
        elif kind == "sel":
            painter.setPen(QPen(QColor(th.selection), 1.8))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, radius + 2.5, radius + 2.5)


class _EdgeCurve(pg.PlotCurveItem):
    """One bucket of links. Its shape is empty: the view does its own hit testing, and Qt's shape test on a
    path of thousands of segments would run on every mouse move."""

    def shape(self) -> QPainterPath:
        return QPainterPath()


@dataclass
class _Frame:
    """The last values given to set_values, flattened over columns."""

    values: np.ndarray  # (N,) all neurons
    status: np.ndarray  # (N,) int8, with non-finite values forced to their codes
    edges: list[np.ndarray]  # per pair of columns; empty list = draw no links
    biases: np.ndarray  # (N - sizes[0],)
    value_limit: float = 1.0
    edge_limit: float = 1.0
    bias_limit: float = 1.0


class _NeuronDots(pg.ScatterPlotItem):
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
class _Bars:
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


class _Strips(QGraphicsObject):
    """Crowded columns as heat strips: one bar per neuron, its pitch tall, filled with its colour; beside it a thin
    strip of the biases and one of the status marks (transparent where a neuron has none).

    On screen each strip is one ``drawImage`` of a one-pixel-wide image of its colours, scaled without smoothing,
    so thousands of neurons cost a few calls and stay crisp. Exports get one rectangle per bar (vectors).
    """

    def __init__(self) -> None:
        super().__init__()
        self._strips: list[_Bars] = []
        self._rgba = np.zeros((0, 4), dtype=np.uint8)
        self._image = QImage()
        self._outline = QPen()
        self._bounds = QRectF()
        self._exporting = False

    def set_strips(self, strips: list[_Bars], outline: QPen) -> None:
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


class NetworkView(pg.GraphicsView):
    """Draws a feed-forward network and reports what the mouse is on.

    Layer positions are numbered as in the model: column 0 is the input, column k ≥ 1 the k-th dense layer.
    Edge signals give the target column ``layer`` (≥ 1), the ``source`` index in column layer-1 and the
    ``target`` index in column layer. Hit-test methods take scene coordinates, which here are viewport pixels.
    ``labelsHiddenChanged`` says why values asked for are not written on some neurons ('' once they all are).
    """

    neuronHovered = Signal(int, int)
    edgeHovered = Signal(int, int, int)
    hoverLeft = Signal()
    neuronClicked = Signal(int, int)
    edgeClicked = Signal(int, int, int)
    backgroundClicked = Signal()
    labelsHiddenChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None, max_edges: int = DEFAULT_MAX_EDGES) -> None:
        self._painting_itself = False
        self._theme = theme(False)
        super().__init__(parent, background=self._theme.background)
        self.setMinimumSize(240, 180)
        self.setAntialiasing(True)
        self._cmap = DivergingColorMap.for_theme(self._theme)
        self._max_edges = _check_max_edges(max_edges)
        self._show_labels = False
        self._labels_hidden = ""
        self._modes = np.zeros(0, dtype=np.int8)  # where each column writes its values (see _label_modes)
        self._sizes: list[int] = []
        self._headers: list[str] = []
        self._header_tips: list[str] = []
        self._header_rects: list[QRectF] = []
        self._offsets = np.zeros(1, dtype=np.intp)
        self._layout = _compute_layout([], 1.0, 1.0, 1)
        self._column = np.zeros(0, dtype=np.intp)  # column of every neuron
        self._px = self._py = self._pr = np.zeros(0)  # centre and radius of every neuron
        self._dot_index = self._strip_index = np.zeros(0, dtype=np.intp)  # neurons drawn as dots / in strips
        self._bias_dot_index = self._bias_strip_index = np.zeros(0, dtype=np.intp)
        self._frame = self._blank_frame()
        self._selection: tuple[int, int] | None = None
        self._hover: tuple | None = None
        self._press_pos: QPointF | None = None
        self._cursor = QPoint()
        self._label_texts = np.zeros(0, dtype=object)
        self._label_rects: dict[int, QRectF] = {}
        self._fits: dict[tuple, tuple | None] = {}  # see _fit_inside
        self._metrics: dict[int, QFontMetricsF] = {}
        self._rows = np.zeros(0, dtype=np.intp)  # colour-table row of every neuron
        self._bias_rows = np.zeros(0, dtype=np.intp)
        self._bias_x = self._bias_y = np.zeros(0)
        self._drawn_rows: np.ndarray | None = None  # what the dot item holds, to skip unchanged updates
        self._drawn_bias_rows: np.ndarray | None = None
        self._drawn_status: np.ndarray | None = None
        self._drawn_edge_input: tuple | None = None  # (copies of edges, edge_limit) last turned into links
        self._drawn_edges: list[tuple[np.ndarray, np.ndarray]] = []  # (source, target) per pair
        self._edge_total = 0
        self._edge_drawn = 0
        self._marks = _Marks.empty()
        self._make_items()
        self._apply_theme()
        self._ready = True
        self._relayout()

    # -- items (made once) -----------------------------------------------------------------------------------
    def _make_items(self) -> None:
        self._edge_layer = _Group()
        self._edge_layer.setFlag(QGraphicsObject.GraphicsItemFlag.ItemHasNoContents)
        self.addItem(self._edge_layer)
        self._edge_curves = []
        for bucket in range(NONFINITE_BUCKET + 1):
            curve = _EdgeCurve(connect="pairs", skipFiniteCheck=True, antialias=True)
            curve.setParentItem(self._edge_layer)
            curve.setZValue(bucket)  # weak links first, the strongest on top
            self._edge_curves.append(curve)
        self._strips = _Strips()
        self._neurons = _NeuronDots(pxMode=True, symbol="o")
        self._biases = pg.ScatterPlotItem(pxMode=True, symbol="s")
        self._dead = pg.ScatterPlotItem(pxMode=True, symbol="x", pen=None)
        self._saturated = pg.ScatterPlotItem(pxMode=True, symbol="o", brush=None)
        self._nonfinite = pg.ScatterPlotItem(pxMode=True, symbol="o", pen=None)
        items = (self._strips, self._neurons, self._biases, self._dead, self._saturated, self._nonfinite)
        for z, item in enumerate(items):
            item.setZValue(20 + z)
            self.addItem(item)
        self._labels = _TextLayer()
        self._labels.setZValue(30)
        self._selection_ring = QGraphicsEllipseItem()
        self._selection_ring.setZValue(31)
        self._selection_ring.setBrush(Qt.BrushStyle.NoBrush)
        self._selection_ring.setVisible(False)
        self._header_texts = _TextLayer()
        self._header_texts.setZValue(40)
        self._legend = _Legend()
        self._legend.setZValue(40)
        for item in (self._labels, self._selection_ring, self._header_texts, self._legend):
            self.addItem(item)
        for still in (self._edge_layer, self._header_texts, self._legend):  # redrawn only when they change
            still.setGraphicsEffect(_Snapshot(self))
        # a full-window snapshot of the links must fit in Qt's pixmap cache (10 MB by default: 1600 x 1600 px)
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), 64 * 1024))

    # -- public API ------------------------------------------------------------------------------------------
    def set_structure(
        self, sizes: Sequence[int], headers: Sequence[str], tooltips: Sequence[str] | None = None
    ) -> None:
        """Take a new network shape: ``sizes[k]`` neurons in column k, ``headers[k]`` above it.

        ``tooltips[k]`` is shown when the mouse is on header k (default: the header on one line).
        """
        sizes = _check_sizes(sizes)
        headers = _check_texts(headers, len(sizes), "headers")
        self._header_tips = _header_tooltips(headers, tooltips)
        self._sizes, self._headers = sizes, headers
        self._offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.intp)
        self._frame = self._blank_frame()
        self._selection = None
        self._hover = None
        self._relayout()

    def set_headers(self, headers: Sequence[str], tooltips: Sequence[str] | None = None) -> None:
        """Change the column titles (and their tooltips) only."""
        headers = _check_texts(headers, len(self._sizes), "headers")
        self._header_tips = _header_tooltips(headers, tooltips)
        relayout = _header_lines(headers) != _header_lines(self._headers)
        self._headers = headers
        if relayout:
            self._relayout()
        else:
            self._draw_headers()

    def set_values(
        self,
        values: Sequence[np.ndarray],
        edges: Sequence[np.ndarray],
        biases: Sequence[np.ndarray],
        status: Sequence[np.ndarray],
        value_limit: float,
        edge_limit: float,
        bias_limit: float,
    ) -> None:
        """Draw new values.

        ``values[k]``: (sizes[k],); ``edges[k]``: (sizes[k], sizes[k+1]); ``biases[k]``: (sizes[k+1],);
        ``status[k]``: int codes (sizes[k],): 0 normal, 1 dead, 2 saturated, 3 NaN, 4 +inf, 5 -inf.
        Colours are normalised by the three limits (each finite and > 0).
        """
        self._frame = _check_frame(self._sizes, values, edges, biases, status, value_limit, edge_limit, bias_limit)
        self._redraw()

    def set_show_labels(self, on: bool) -> None:
        """Write each neuron's value in it, or beside it where it is too small; see ``labels_hidden_reason``.

        A dead neuron's ✕ stands for its 0: no number is written over it.
        """
        self._show_labels = bool(on)
        self._draw_labels()

    def labels_hidden_reason(self) -> str | None:
        """Why values asked for (``set_show_labels(True)``) are not written on some columns, or None."""
        return self._labels_hidden or None

    def set_selection(self, layer: int | None, index: int | None = None) -> None:
        """Ring one neuron, or none with ``set_selection(None)``."""
        if layer is None:
            self._selection = None
        else:
            if index is None:
                raise ValueError("set_selection: give the neuron index with the layer, or None to clear")
            self._check_neuron(layer, index)
            self._selection = (int(layer), int(index))
        self._draw_selection()

    def set_dark(self, dark: bool) -> None:
        """Switch between the light and the dark theme."""
        self._theme = theme(bool(dark))
        self._apply_theme()
        self._relayout()

    def set_max_edges(self, count: int) -> None:
        """Draw at most ``count`` links (the strongest); the rest are counted in the footer."""
        self._max_edges = _check_max_edges(count)
        self._drawn_edge_input = None
        self._draw_edges()
        self._draw_legend()

    def max_edges(self) -> int:
        """How many links are drawn at most."""
        return self._max_edges

    def show_tooltip(self, text: str) -> None:
        """Show ``text`` at the mouse cursor (the controller decides what it says); empty text hides it."""
        if text:
            QToolTip.showText(QCursor.pos(), text, self)
        else:
            QToolTip.hideText()

    def is_dark(self) -> bool:
        return self._theme.name == "dark"

    # -- queries for tests, the controller and exports -------------------------------------------------------
    def neuron_colors(self, layer: int) -> list[QColor]:
        """The fill colours currently given to column ``layer``."""
        lo, hi = self._column_slice(layer)
        return [QColor(self._cmap.colors[row]) for row in self._rows[lo:hi]]

    def label_rect(self, layer: int, index: int) -> QRectF | None:
        """Where the label of a neuron is written, or None when it has none."""
        self._check_neuron(layer, index)
        rect = self._label_rects.get(int(self._offsets[layer] + index))
        return None if rect is None else QRectF(rect)

    def neuron_labels(self, layer: int) -> list[str]:
        """The label text shown on each neuron of column ``layer`` ('' where none is shown)."""
        lo, hi = self._column_slice(layer)
        return [str(t) for t in self._label_texts[lo:hi]]

    def status_marks(self, layer: int) -> np.ndarray:
        """The status codes last drawn in column ``layer`` (non-finite values count as NaN/+inf/-inf)."""
        lo, hi = self._column_slice(layer)
        return self._frame.status[lo:hi].copy()

    def bias_colors(self, layer: int) -> list[QColor]:
        """The colours of the bias marks of column ``layer`` (≥ 1)."""
        lo, hi = self._column_slice(layer)
        if layer == 0:
            raise ValueError("the input column has no biases")
        first = self._sizes[0]
        return [QColor(self._cmap.colors[row]) for row in self._bias_rows[lo - first : hi - first]]

    def bias_position(self, layer: int, index: int) -> QPointF:
        """Centre of the bias mark of a neuron of column ``layer`` (≥ 1)."""
        self._check_neuron(layer, index)
        if layer == 0:
            raise ValueError("the input column has no biases")
        n = self._offsets[layer] + index - self._sizes[0]
        return QPointF(float(self._bias_x[n]), float(self._bias_y[n]))

    def drawn_edges(self, layer: int) -> np.ndarray:
        """(source, target) rows of the links drawn into column ``layer`` (≥ 1)."""
        self._column_slice(layer)
        if layer == 0:
            raise ValueError("no links end in the input column")
        if layer > len(self._drawn_edges):
            return np.zeros((0, 2), dtype=np.intp)
        source, target = self._drawn_edges[layer - 1]
        return np.column_stack([source, target])

    def drawn_edge_count(self) -> int:
        return self._edge_drawn

    def hidden_edge_count(self) -> int:
        return self._edge_total - self._edge_drawn

    def lod_notice(self) -> str:
        """The footer note about hidden links ('' when every link is drawn)."""
        return self._legend.notice()

    def shown_lod_notice(self) -> str:
        """``lod_notice`` as the footer writes it: shortened or elided where the view is narrow."""
        return self._legend.shown_notice()

    def legend_ticks(self) -> list[str]:
        """The colour bar's tick labels: -limit, 0, +limit."""
        return self._legend.tick_texts()

    def legend_rect(self) -> QRectF:
        """Where the footer (colour bar and the samples of the marks) is drawn."""
        return self._legend.boundingRect()

    def legend_marks(self) -> list[str]:
        """The names of the marks the footer explains, in order (on a narrow view only those that fit)."""
        return self._legend.mark_texts()

    def legend_mark_rects(self) -> list[QRectF]:
        """Where each mark of ``legend_marks`` is drawn: its sample and its name."""
        return [QRectF(box) for _, _, _, box in self._legend.layout().marks]

    def legend_colour_bar_rect(self) -> QRectF:
        """Where the colour bar is drawn, with its title, its ticks and the link scale."""
        return QRectF(self._legend.layout().block)

    def legend_bar_rect(self) -> QRectF:
        """The colour bar's gradient alone."""
        return QRectF(self._legend.layout().bar)

    def header_texts(self) -> list[str]:
        """The header lines as drawn (elided when a column is narrow)."""
        return self._header_texts.texts()

    def header_font_sizes(self) -> list[int]:
        """The pixel size of each header line, in the order of ``header_texts``."""
        return [entry.pixel_size for entry in self._header_texts.entries()]

    def header_tooltip(self, layer: int) -> str:
        self._column_slice(layer)
        return self._header_tips[layer]

    def header_rect(self, layer: int) -> QRectF:
        """Where the header of column ``layer`` is drawn (scene = viewport pixels)."""
        self._column_slice(layer)
        return QRectF(self._header_rects[layer])

    def graphics_item_count(self) -> int:
        return len(self.scene().items())

    def plot_scene(self) -> QGraphicsScene:
        return self.scene()

    def neuron_radius(self, layer: int | None = None) -> float:
        """Radius of column ``layer``'s neurons (in a heat strip: half a bar's height); by default the smallest."""
        if layer is None:
            return float(self._layout.radii.min()) if self._sizes else MIN_RADIUS
        self._column_slice(layer)
        return float(self._layout.radii[layer])

    def drawn_as_strip(self, layer: int) -> bool:
        """Whether column ``layer`` is too crowded for dots and drawn as a heat strip."""
        self._column_slice(layer)
        return bool(self._layout.strips[layer])

    def strip_width(self) -> float:
        """Width of the bars of heat-strip columns."""
        return self._layout.strip_width

    def neuron_position(self, layer: int, index: int) -> QPointF:
        """Centre of a neuron, in the coordinates ``neuron_at``/``edge_at`` take (scene = viewport pixels)."""
        self._check_neuron(layer, index)
        n = self._offsets[layer] + index
        return QPointF(float(self._px[n]), float(self._py[n]))

    def neuron_at(self, pos: QPointF | QPoint | tuple[float, float]) -> tuple[int, int] | None:
        """(layer, index) of the neuron under ``pos``, or None."""
        if not self._sizes:
            return None
        x, y = _xy(pos)
        lay = self._layout
        column = int(np.argmin(np.abs(lay.xs - x)))
        dx = lay.xs[column] - x
        if abs(dx) > lay.hit_half_widths[column]:
            return None
        pitch, top = lay.pitches[column], lay.tops[column]
        index = int(np.clip(np.rint((y - top) / pitch), 0, self._sizes[column] - 1))
        dy = y - (top + index * pitch)
        if lay.strips[column]:
            return (column, index) if abs(dy) <= pitch / 2.0 + 1.0 else None
        if math.hypot(dx, dy) > lay.dot_hit_radii[column]:
            return None
        return column, index

    def edge_at(self, pos: QPointF | QPoint | tuple[float, float]) -> tuple[int, int, int] | None:
        """(layer, source, target) of the drawn link nearest ``pos`` within a few pixels, or None.

        Only the links between the two columns around ``pos`` are searched."""
        x, y = _xy(pos)
        xs = self._layout.xs
        pair = int(np.searchsorted(xs, x)) - 1
        if pair < 0 or pair >= len(self._drawn_edges) or not xs[pair] <= x <= xs[pair + 1]:
            return None
        source, target = self._drawn_edges[pair]
        if source.size == 0:
            return None
        y0 = self._py[self._offsets[pair] + source]
        y1 = self._py[self._offsets[pair + 1] + target]
        run = xs[pair + 1] - xs[pair]
        slope = (y1 - y0) / run
        distance = np.abs(y - (y0 + slope * (x - xs[pair]))) / np.sqrt(1.0 + slope * slope)
        best = int(np.argmin(distance))
        if distance[best] > EDGE_HIT_PX:
            return None
        return pair + 1, int(source[best]), int(target[best])

    def header_at(self, pos: QPointF | QPoint | tuple[float, float]) -> int | None:
        """The column whose header is under ``pos``, or None."""
        x, y = _xy(pos)
        for k, rect in enumerate(self._header_rects):
            if rect.contains(QPointF(x, y)):
                return k
        return None

    # -- mouse -----------------------------------------------------------------------------------------------
    # The items in this scene take no mouse input, so the events are handled here and not passed to
    # pyqtgraph's scene (its hover search would test every item's shape on each move).
    def mouseMoveEvent(self, ev) -> None:
        self._cursor = ev.globalPosition().toPoint()
        self._set_hover(self._hit(self.mapToScene(ev.position().toPoint())))
        ev.accept()

    def mousePressEvent(self, ev) -> None:
        self._press_pos = ev.position() if ev.button() == Qt.MouseButton.LeftButton else None
        ev.accept()

    def mouseReleaseEvent(self, ev) -> None:
        pressed, self._press_pos = self._press_pos, None
        ev.accept()
        if pressed is None or ev.button() != Qt.MouseButton.LeftButton:
            return
        if (ev.position() - pressed).manhattanLength() > 5:
            return
        hit = self._hit(self.mapToScene(ev.position().toPoint()))
        if hit is None or hit[0] == "header":
            self.backgroundClicked.emit()
        elif hit[0] == "neuron":
            self.neuronClicked.emit(hit[1], hit[2])
        else:
            self.edgeClicked.emit(hit[1], hit[2], hit[3])

    def mouseDoubleClickEvent(self, ev) -> None:
        ev.accept()

    def paintEvent(self, ev) -> None:
        self._painting_itself = True  # snapshots may be used (see _Snapshot)
        try:
            super().paintEvent(ev)
        finally:
            self._painting_itself = False

    def is_painting_itself(self) -> bool:
        """True while the view paints itself (on screen or grab()), not while something renders its scene."""
        return self._painting_itself

    def leaveEvent(self, ev) -> None:
        self._set_hover(None)
        super().leaveEvent(ev)

    def resizeEvent(self, ev) -> None:
        super().resizeEvent(ev)
        if getattr(self, "_ready", False):  # pyqtgraph's __init__ resizes before our items exist
            self._relayout()

    def close(self) -> bool:
        self._ready = False  # pyqtgraph's close() deletes the scene's items; draw nothing after that
        return super().close()

    def _hit(self, pos: QPointF) -> tuple | None:
        neuron = self.neuron_at(pos)
        if neuron is not None:
            return ("neuron", *neuron)
        edge = self.edge_at(pos)
        if edge is not None:
            return ("edge", *edge)
        header = self.header_at(pos)
        if header is not None:
            return ("header", header)
        return None

    def _set_hover(self, hit: tuple | None) -> None:
        if hit == self._hover:
            return
        previous, self._hover = self._hover, hit
        if hit is None:
            QToolTip.hideText()
            self.hoverLeft.emit()
        elif hit[0] == "header":  # the view knows what its headers say: it shows their tooltips itself
            if previous is not None and previous[0] != "header":
                self.hoverLeft.emit()
            QToolTip.showText(self._cursor, self._header_tips[hit[1]], self)
        elif hit[0] == "neuron":
            self.neuronHovered.emit(hit[1], hit[2])
        else:
            self.edgeHovered.emit(hit[1], hit[2], hit[3])

    # -- layout and theme ------------------------------------------------------------------------------------
    def _relayout(self) -> None:
        """Recompute pixel positions for the current size and put every item in place."""
        size = self.viewport().size()
        self._layout = lay = _compute_layout(
            self._sizes, float(size.width()), float(size.height()), _header_lines(self._headers)
        )
        column = np.repeat(np.arange(len(self._sizes)), self._sizes).astype(np.intp)
        rows = np.arange(column.size) - self._offsets[column]
        self._column = column
        self._modes = self._label_modes()  # depends on the layout only: not worked out again per input change
        self._px = lay.xs[column]
        self._py = lay.tops[column] + rows * lay.pitches[column]
        self._pr = lay.radii[column]
        in_strip = lay.strips[column]
        self._dot_index, self._strip_index = np.flatnonzero(~in_strip), np.flatnonzero(in_strip)
        self._drawn_status = self._drawn_edge_input = None
        self._place_neurons()
        self._place_biases()
        self._place_strips()
        self._marks = _Marks.make(self._theme, lay, column, self._pr)
        self._dead.setBrush(mix(self._theme.dead, self._theme.neutral, 0.2))
        self._make_edge_pens()
        self._draw_headers()
        self._legend.set_rect(QRectF(0.0, lay.footer_top, lay.width, lay.height - lay.footer_top))
        self._redraw()

    def _place_neurons(self) -> None:
        dots = self._dot_index
        radius = self._pr[dots]
        outline = self._theme.outline
        pens = _choose(radius >= 3.0, _pen(outline, 1.0), _pen(outline, 0.6))
        # colours go in with the positions: pyqtgraph looks every point up in its symbol atlas once, not twice
        self._drawn_rows = self._frame_neuron_rows()[dots]
        brushes = self._cmap.brushes[self._drawn_rows]
        self._neurons.setData(x=self._px[dots], y=self._py[dots], size=2.0 * radius, pen=pens, brush=brushes)

    def _place_biases(self) -> None:
        lay, first = self._layout, self._sizes[0] if self._sizes else 0
        r, x, y = self._pr[first:], self._px[first:], self._py[first:]
        square = np.clip(0.5 * r, 3.0, 9.0)
        tab = r >= 5.0  # a tab on the lower left of the neuron, as in TensorFlow Playground
        bias_x = np.where(tab, x - 0.78 * r, x - r - square / 2.0 - 0.5)  # tiny neurons: a dot just left of them
        bias_y = np.where(tab, y + 0.78 * r, y)
        in_strip = lay.strips[self._column[first:]]  # strips: a thin strip of biases on the left
        bias_x = np.where(in_strip, x - lay.strip_width / 2.0 - 1.5 - BIAS_STRIP_WIDTH / 2.0, bias_x)
        self._bias_x, self._bias_y = bias_x, bias_y
        dots = self._bias_dot_index = np.flatnonzero(~in_strip)
        self._bias_strip_index = np.flatnonzero(in_strip)
        self._drawn_bias_rows = self._frame_bias_rows()[dots]
        pens = _choose(r[dots] >= 3.0, _pen(self._theme.outline, 0.8), None)
        brushes = self._cmap.brushes[self._drawn_bias_rows]
        self._biases.setData(x=bias_x[dots], y=bias_y[dots], size=square[dots], pen=pens, brush=brushes)

    def _place_strips(self) -> None:
        """One strip per crowded column, one of its biases beside it; colours follow in ``_draw_strips``."""
        lay, width = self._layout, self._layout.strip_width
        columns = [int(k) for k in np.flatnonzero(lay.strips)]
        strips, start = [], 0
        for k in columns:
            x, top, pitch, count = lay.xs[k], lay.tops[k], lay.pitches[k], self._sizes[k]
            strips.append(_Bars(x - width / 2.0, width, top, pitch, start, count, True))
            start += count
        for k in columns:
            if k == 0:
                continue  # the input column has no biases
            x, top, pitch, count = lay.xs[k], lay.tops[k], lay.pitches[k], self._sizes[k]
            strips.append(
                _Bars(x - width / 2.0 - 1.5 - BIAS_STRIP_WIDTH, BIAS_STRIP_WIDTH, top, pitch, start, count, False)
            )
            start += count
        for k in columns:  # the marks: dead, saturated, NaN / ±inf, on the right
            x, top, pitch, count = lay.xs[k], lay.tops[k], lay.pitches[k], self._sizes[k]
            strips.append(_Bars(x + width / 2.0 + 1.5, TICK_WIDTH, top, pitch, start, count, False))
            start += count
        self._strips.set_strips(strips, _pen(self._theme.outline, 0.8))

    def _make_edge_pens(self) -> None:
        """Pens of the link buckets: wider and more saturated with strength.

        Opaque on purpose: alpha blending of thousands of long lines is ~20x slower in Qt's raster engine, so
        faintness is mixed into the colour towards the background instead. Links are as wide as the most crowded
        column allows (one pen per bucket serves every pair of columns).
        """
        lay, th, cmap = self._layout, self._theme, self._cmap
        pitch = float(lay.pitches.min()) if lay.pitches.size else MAX_PITCH
        crowding = link_crowding(self._sizes)
        widest = float(np.clip(0.3 * pitch * crowding, 1.0, 4.5))
        thinnest = 1.0  # thinner cosmetic pens leave Qt's fast line path (3-4x slower when not antialiased)
        # thousands of 1-px links, or hundreds between two columns: keep them quiet behind the neurons
        fade = (0.45 if lay.dense else 1.0) * math.sqrt(crowding)
        for bucket, curve in enumerate(self._edge_curves):
            if bucket == NONFINITE_BUCKET:
                colour, width = QColor(th.nonfinite), widest
            else:
                strength, negative = divmod(bucket, 2)
                fraction = (strength + 1) / STRENGTHS
                row = cmap.CENTER + (-1 if negative else 1) * round(fraction * cmap.CENTER)
                opacity = (0.3 + 0.7 * fraction) * fade
                colour = mix(cmap.colors[row], th.background, 1.0 - opacity)
                width = thinnest + (widest - thinnest) * strength / (STRENGTHS - 1)
            pen = _pen(colour, width)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            curve.setPen(pen)

    def _apply_theme(self) -> None:
        th = self._theme
        self.setBackground(th.background)
        self._cmap = DivergingColorMap.for_theme(th)
        self._rgba = np.column_stack([self._cmap.rgb, np.full(len(self._cmap.rgb), 255, dtype=np.uint8)])
        self._mark_rgba = _mark_colours(th)
        self._legend.set_theme(self._theme, self._cmap)
        self._drawn_rows = self._drawn_bias_rows = None

    # -- drawing values --------------------------------------------------------------------------------------
    def _redraw(self) -> None:
        self._draw_neurons()
        self._draw_biases()
        self._draw_strips()
        self._draw_status()
        self._draw_labels()
        self._draw_edges()
        self._draw_selection()
        self._draw_legend()

    def _frame_neuron_rows(self) -> np.ndarray:
        """Colour-table row of every neuron for the current frame: NaN its own colour, ±inf the end colours."""
        f, cmap = self._frame, self._cmap
        rows = cmap.indices(f.values, f.value_limit)
        rows[f.status == NAN] = cmap.INVALID
        rows[f.status == POS_INF] = cmap.STEPS - 1
        rows[f.status == NEG_INF] = 0
        return rows

    def _frame_bias_rows(self) -> np.ndarray:
        """Colour-table row of every bias mark for the current frame."""
        return self._cmap.indices(self._frame.biases, self._frame.bias_limit)

    def _draw_neurons(self) -> None:
        self._rows = self._frame_neuron_rows()
        rows = self._rows[self._dot_index]
        _update_brushes(self._neurons, self._cmap.brushes, rows, self._drawn_rows)
        self._drawn_rows = rows

    def _draw_biases(self) -> None:
        self._bias_rows = self._frame_bias_rows()
        rows = self._bias_rows[self._bias_dot_index]
        _update_brushes(self._biases, self._cmap.brushes, rows, self._drawn_bias_rows)
        self._drawn_bias_rows = rows

    def _draw_strips(self) -> None:
        rgba, marks = self._rgba, self._mark_rgba
        neurons, biases = self._rows[self._strip_index], self._bias_rows[self._bias_strip_index]
        status = self._frame.status[self._strip_index]
        self._strips.set_colours(np.concatenate([rgba[neurons], rgba[biases], marks[status]]))

    def _draw_status(self) -> None:
        status = self._frame.status
        if self._drawn_status is not None and np.array_equal(status, self._drawn_status):
            return
        self._drawn_status = status
        marks, px, py = self._marks, self._px, self._py
        on_dot = marks.on_dot  # in strips the marks are bars beside them, drawn with the strips
        dead, saturated, nonfinite = (status == DEAD) & on_dot, (status == SATURATED) & on_dot, (status >= NAN) & on_dot
        self._dead.setData(x=px[dead], y=py[dead], size=marks.dead_sizes[dead])
        self._saturated.setData(
            x=px[saturated], y=py[saturated], size=marks.ring_sizes[saturated], pen=list(marks.ring_pens[saturated])
        )
        hatches = [marks.hatches[int(code)] for code in status[nonfinite]]
        self._nonfinite.setData(x=px[nonfinite], y=py[nonfinite], size=marks.hatch_sizes[nonfinite], brush=hatches)
        for item, mask in ((self._dead, dead), (self._saturated, saturated), (self._nonfinite, nonfinite)):
            item.setVisible(bool(mask.any()))  # an empty scatter item still costs a paint call

    def _draw_labels(self) -> None:
        """Values in (or beside, or under) their neurons; NaN and ±inf always say what they are.

        A non-finite neuron too small to hold its label is labelled beside its column, one label per run of such
        neurons closer together than a line ("NaN ×12", "NaN/+∞ ×5"), so a crowded strip never shows a few
        of its labels as though they were a pattern.
        """
        f, lay = self._frame, self._layout
        texts = np.full(f.values.shape, "", dtype=object)
        modes = self._modes
        mode = modes[self._column]
        nonfinite = f.status >= NAN
        written = (mode != _NO_LABEL) & self._show_labels
        entries: list[_Text] = []
        last_beside: dict[int, float] = {}  # per column: y of the last label written beside it
        self._label_rects = {}
        runs = np.zeros(f.values.shape, dtype=bool)  # non-finite neurons labelled by runs, beside their column
        for n in np.flatnonzero(written | nonfinite):
            code, k = int(f.status[n]), int(self._column[n])
            text = _NONFINITE_TEXT[code] if code >= NAN else format_value(f.values[n])
            entry = None
            if code >= NAN and not lay.strips[k]:  # in its dot if it fits there
                entry = self._label_inside(n, code, text)
            if entry is None and written[n]:
                if mode[n] == _INSIDE:
                    if code == DEAD:
                        continue  # its ✕ says "0, dead"; a "0" over it would be unreadable
                    entry = self._label_inside(n, code, text)
                elif mode[n] == _BELOW:
                    entry = self._label_below(n, code, text)
                elif self._py[n] - last_beside.get(k, -math.inf) >= LABEL_BESIDE_MIN_GAP:
                    last_beside[k] = float(self._py[n])
                    entry = self._label_beside(n, code, text)
            if entry is None:
                runs[n] = code >= NAN  # (a finite value that does not fit is left to the tooltip)
                continue
            entries.append(entry)
            texts[n] = entry.text
            self._label_rects[int(n)] = entry.rect
        for n, text in self._run_labels(np.flatnonzero(runs)):
            entry = self._label_beside(n, int(f.status[n]), text)
            entries.append(entry)
            texts[n] = text
            self._label_rects[int(n)] = entry.rect
        self._label_texts = texts
        self._labels.set_entries(entries, QRectF(0.0, 0.0, lay.width, lay.height))
        self._labels.setVisible(bool(entries))
        self._update_labels_hidden(modes)

    def _run_labels(self, neurons: np.ndarray) -> list[tuple[int, str]]:
        """(neuron, text) of one label per run of ``neurons`` (non-finite, sorted) less than a line apart.

        The text names every kind in the run and how many there are; it goes on the run's middle neuron.
        """
        if not neurons.size:
            return []
        column, y = self._column[neurons], self._py[neurons]
        breaks = np.flatnonzero((np.diff(column) != 0) | (np.diff(y) >= LABEL_BESIDE_MIN_GAP)) + 1
        labels = []
        for run in np.split(neurons, breaks):
            codes = self._frame.status[run]
            kinds = "/".join(_NONFINITE_TEXT[code] for code in (NAN, POS_INF, NEG_INF) if np.any(codes == code))
            middle = run[np.argmin(np.abs(self._py[run] - (self._py[run[0]] + self._py[run[-1]]) / 2.0))]
            labels.append((int(middle), kinds if run.size == 1 else f"{kinds} ×{run.size}"))
        return labels

    def _label_inside(self, n: int, code: int, text: str) -> _Text | None:
        """The label centred in its neuron at the largest size that fits inside it, or None if none does.

        Non-finite labels sit on a small opaque box in the background colour (readable over the hatch), their
        ∞ bigger than a digit; values that do not fit in full are shortened ("3.2e-4" to "3e-4") before that.
        """
        r, th = float(self._pr[n]), self._theme
        if code >= NAN:
            colour, backdrop = QColor(th.foreground), QColor(th.background)
            largest = int(np.clip(0.85 * r, 10, 17)) if code != NAN else int(np.clip(0.62 * r, 9, 12))
            short = text
        else:
            light_fill = self._cmap.luminance[self._rows[n]] > 0.3
            colour, backdrop = QColor(th.dark_text if light_fill else th.light_text), None
            largest = int(np.clip(0.62 * r, 9, 11))
            short = _shorter(float(self._frame.values[n]), text)
        fit = self._fit_inside(text, short, r, largest, backdrop is not None)
        if fit is None:
            return None
        shown, size, box = fit
        rect = box.translated(float(self._px[n]), float(self._py[n]))
        return _Text(rect, shown, colour, size, backdrop=backdrop, rounded=backdrop is not None)

    def _fit_inside(self, text: str, short: str, radius: float, largest: int, padded: bool) -> tuple | None:
        """(text, pixel size, box centred on (0, 0)) of the largest label that fits in a circle of ``radius``.

        Readable sizes first, the full text before the short one; the smallest size only as a last resort. Cached:
        while an input moves most labels keep their text.
        """
        key = (text, short, radius, largest, padded)
        if key in self._fits:
            return self._fits[key]
        if len(self._fits) > 4096:  # values change all the time: keep the cache small
            self._fits.clear()
        candidates = [text] if short == text else [text, short]
        attempts = [(c, size) for c in candidates for size in range(largest, LABEL_MIN_FONT_PX, -1)]
        attempts += [(c, LABEL_MIN_FONT_PX) for c in candidates]
        fit = None
        for candidate, size in attempts:
            box = self._glyph_box(candidate, size, padded)
            if math.hypot(box.width() / 2.0, box.height() / 2.0) <= radius - 0.5:
                fit = (candidate, size, box)
                break
        self._fits[key] = fit
        return fit

    def _glyph_box(self, text: str, size: int, padded: bool) -> QRectF:
        """The box ``text`` covers at ``size`` px (padded: with room for a backdrop), centred on (0, 0)."""
        if size not in self._metrics:
            self._metrics[size] = QFontMetricsF(_font(size))
        metrics = self._metrics[size]
        tight = metrics.tightBoundingRect(text)
        width, height = max(metrics.horizontalAdvance(text), tight.width()), tight.height()
        if padded:
            width, height = width + 2 * BACKDROP_PAD_X, height + 2 * BACKDROP_PAD_Y
        return QRectF(-width / 2.0, -height / 2.0, width, height)

    def _label_beside(self, n: int, code: int, text: str) -> _Text:
        """On the right of the neuron (of a strip's marks)."""
        in_strip = self._layout.strips[self._column[n]]
        right = self._layout.strip_width / 2.0 + 1.5 + TICK_WIDTH if in_strip else self._pr[n]
        left = self._px[n] + right + 3.0
        rect = QRectF(left, self._py[n] - 8.0, 60.0, 16.0)
        return self._small_label(rect, code, text, _flags(_LEFT, _VCENTER, _NO_CLIP))

    def _label_below(self, n: int, code: int, text: str) -> _Text:
        """Under the neuron, where the column leaves a line of room between neighbours."""
        box = min(self._layout.spacing - 4.0, 60.0)
        rect = QRectF(self._px[n] - box / 2.0, self._py[n] + self._pr[n] + 1.0, box, 11.0)
        return self._small_label(rect, code, text, _flags(_HCENTER, _TOP, _NO_CLIP))

    def _small_label(self, rect: QRectF, code: int, text: str, flags: int) -> _Text:
        """A value written next to its neuron, over a patch of background so it reads across the links."""
        th = self._theme
        colour = QColor(th.nonfinite if code >= NAN else th.foreground)
        backdrop = QColor(th.background)
        backdrop.setAlpha(200)
        size = LABEL_BESIDE_FONT_PX + 2 if "∞" in text else LABEL_BESIDE_FONT_PX  # the ∞ glyph is small
        return _Text(rect, text, colour, size, flags, backdrop)

    def _label_modes(self) -> np.ndarray:
        """Per column, where values go: inside the neurons, below them (a line of room between neighbours),
        on their right (room before the next column) or nowhere (too crowded: hover to read them)."""
        lay = self._layout
        if not self._sizes:
            return np.zeros(0, dtype=np.int8)
        dots = ~lay.strips
        left_extent = np.where(lay.strips, lay.strip_width / 2.0 + 1.5 + BIAS_STRIP_WIDTH, lay.radii + 2.0)
        right = np.append(lay.xs[1:] - left_extent[1:] - 6.0, lay.width - 4.0)  # up to the next column's marks
        room_right = right - (lay.xs + lay.radii + 3.0)
        room_below = lay.pitches - 2.0 * lay.radii
        inside = dots & (lay.radii >= LABEL_MIN_RADIUS)
        below = dots & (room_below >= LABEL_BELOW_MIN_ROOM) & (lay.spacing >= LABEL_BESIDE_MIN_ROOM)
        beside = dots & (lay.pitches >= LABEL_BESIDE_MIN_PITCH) & (room_right >= LABEL_BESIDE_MIN_ROOM)
        modes = np.where(beside, _BESIDE, _NO_LABEL)
        return np.where(inside, _INSIDE, np.where(below, _BELOW, modes)).astype(np.int8)

    def _update_labels_hidden(self, modes: np.ndarray) -> None:
        hidden = int(np.count_nonzero(modes == _NO_LABEL)) if self._show_labels else 0
        reason = ""
        if hidden:
            where = "all columns" if hidden == modes.size else f"{hidden} of {modes.size} columns"
            reason = f"Values are not written in {where}: the neurons are too close. Hover a neuron to read it."
        if reason != self._labels_hidden:
            self._labels_hidden = reason
            self.labelsHiddenChanged.emit(reason)

    def _draw_edges(self) -> None:
        f = self._frame
        edges = f.edges
        if self._edges_unchanged():  # weights mode while only the inputs move: nothing to redo
            return
        self._drawn_edge_input = ([e.copy() for e in edges], f.edge_limit)
        self._edge_total = sum(int(e.size) for e in edges)
        chosen = strongest_edges(edges, self._max_edges)
        xs, py, offsets = self._layout.xs, self._py, self._offsets
        self._drawn_edges = []
        x0, y0, x1, y1, vals = [], [], [], [], []
        for pair, (e, keep) in enumerate(zip(edges, chosen, strict=True)):
            source, target = np.divmod(keep, e.shape[1])
            self._drawn_edges.append((source, target))
            x0.append(np.full(keep.size, xs[pair]))
            x1.append(np.full(keep.size, xs[pair + 1]))
            y0.append(py[offsets[pair] + source])
            y1.append(py[offsets[pair + 1] + target])
            vals.append(e.ravel()[keep])
        count = sum(v.size for v in vals)
        self._edge_drawn = count
        if count:
            v = np.concatenate(vals)
            finite = np.isfinite(v)
            with np.errstate(over="ignore", invalid="ignore"):
                fraction = np.minimum(np.abs(np.where(finite, v, 0.0)) / f.edge_limit, 1.0)
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
        for b, curve in enumerate(self._edge_curves):
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

    def _edges_unchanged(self) -> bool:
        if self._drawn_edge_input is None:
            return False
        previous, limit = self._drawn_edge_input
        edges = self._frame.edges
        return (
            limit == self._frame.edge_limit
            and len(previous) == len(edges)
            and all(_same_bits(a, b) for a, b in zip(previous, edges, strict=True))
        )

    def _draw_selection(self) -> None:
        if self._selection is None or not self._sizes:
            self._selection_ring.setVisible(False)
            return
        layer = self._selection[0]
        centre = self.neuron_position(*self._selection)
        lay = self._layout
        if lay.strips[layer]:  # a flat ring around the bar
            half_w = lay.strip_width / 2.0 + 4.0
            half_h = max(float(lay.pitches[layer]), 3.0) / 2.0 + 4.0
            width = 1.5
        else:
            r = float(lay.radii[layer])
            half_w = half_h = r + _ring_width(r) + 4.0
            width = 2.0 if r >= 3.0 else 1.5
        self._selection_ring.setPen(_pen(self._theme.selection, width))
        self._selection_ring.setRect(QRectF(centre.x() - half_w, centre.y() - half_h, 2 * half_w, 2 * half_h))
        self._selection_ring.setVisible(True)

    def _draw_legend(self) -> None:
        notice = short = ""
        if self._edge_drawn < self._edge_total:
            notice = f"showing {self._edge_drawn:,} strongest of {self._edge_total:,} connections"
            short = f"{self._edge_drawn:,} of {self._edge_total:,} links shown"
        self._legend.set_limits(self._frame.value_limit, self._frame.edge_limit, notice, short)

    def _draw_headers(self) -> None:
        """The titles above the columns, each within its own column's room so that no two ever overlap.

        All lines share the largest size at which they fit (not below ``HEADER_SHARED_MIN_FONT_PX``); a line that
        needs less gets its own smaller size, down to ``HEADER_MIN_FONT_PX``; below that a "name · size" line
        drops its size (the tooltip has it), and only then is a line elided.
        """
        lay, th = self._layout, self._theme
        metrics = {size: QFontMetricsF(_font(size)) for size in range(HEADER_MIN_FONT_PX, HEADER_FONT_PX + 1)}
        rects = self._header_column_rects()
        lines = [
            [_header_line(metrics, line, rect.width()) for line in header.split("\n")]
            for header, rect in zip(self._headers, rects, strict=True)
        ]
        smallest = min((size for column in lines for _, size in column), default=HEADER_FONT_PX)
        shared = max(smallest, HEADER_SHARED_MIN_FONT_PX)
        entries, self._header_rects = [], []
        for rect, column in zip(rects, lines, strict=True):
            for line_no, (line, fit) in enumerate(column):
                size = min(shared, fit)
                text = metrics[size].elidedText(line, Qt.TextElideMode.ElideRight, rect.width())
                line_rect = QRectF(rect.left(), lay.header_top + line_no * HEADER_LINE_PX, rect.width(), HEADER_LINE_PX)
                entries.append(_Text(line_rect, text, QColor(th.foreground if line_no == 0 else th.muted), size))
            self._header_rects.append(QRectF(rect.left(), lay.header_top, rect.width(), len(column) * HEADER_LINE_PX))
        self._header_texts.set_entries(entries, QRectF(0.0, 0.0, lay.width, lay.header_top + 60.0))

    def _header_column_rects(self) -> list[QRectF]:
        """Per column, the room its header may take: centred on it, HEADER_GAP_PX short of its neighbours'
        rooms, at most HEADER_MAX_WIDTH wide, and cut (not shifted) at the view's edges."""
        lay = self._layout
        width = min(lay.spacing - HEADER_GAP_PX, HEADER_MAX_WIDTH) if len(self._sizes) > 1 else HEADER_MAX_WIDTH
        rects = []
        for x in lay.xs:
            left, right = max(x - width / 2.0, 2.0), min(x + width / 2.0, lay.width - 2.0)
            rects.append(QRectF(left, lay.header_top, max(right - left, 1.0), HEADER_LINE_PX))
        return rects

    def _blank_frame(self) -> _Frame:
        n = int(self._offsets[-1])
        first = self._sizes[0] if self._sizes else 0
        return _Frame(np.zeros(n), np.zeros(n, dtype=np.int8), [], np.zeros(n - first))

    def _check_neuron(self, layer: int, index: int) -> None:
        self._column_slice(layer)
        if isinstance(index, bool) or not isinstance(index, int | np.integer) or not 0 <= index < self._sizes[layer]:
            raise ValueError(f"neuron index {index!r} is outside column {layer} (0..{self._sizes[layer] - 1})")

    def _column_slice(self, layer: int) -> tuple[int, int]:
        if isinstance(layer, bool) or not isinstance(layer, int | np.integer) or not 0 <= layer < len(self._sizes):
            raise ValueError(f"layer {layer!r} is outside the network (columns 0..{len(self._sizes) - 1})")
        return int(self._offsets[layer]), int(self._offsets[layer + 1])


_NO_LABEL, _BESIDE, _BELOW, _INSIDE = 0, 1, 2, 3


@dataclass(frozen=True)
class _Marks:
    """Sizes and pens of the status marks on every neuron for one layout (made in ``_relayout``)."""

    on_dot: np.ndarray  # True where the neuron is a dot (its marks sit on it); False in strips (bars beside)
    dead_sizes: np.ndarray
    ring_sizes: np.ndarray
    ring_pens: np.ndarray  # object array of QPen
    hatch_sizes: np.ndarray
    hatches: dict[int, QBrush]

    @classmethod
    def empty(cls) -> _Marks:
        none = np.zeros(0)
        return cls(np.zeros(0, dtype=bool), none, none, np.zeros(0, dtype=object), none, {})

    @classmethod
    def make(cls, th: Theme, lay: _Layout, column: np.ndarray, pr: np.ndarray) -> _Marks:
        rings = np.array([_ring_width(float(r)) for r in lay.radii])
        pens = np.empty(len(rings), dtype=object)
        pens[:] = [_pen(th.saturated, float(w)) for w in rings]
        return cls(
            on_dot=~lay.strips[column],
            dead_sizes=np.maximum(1.1 * pr, np.minimum(7.0, lay.pitches[column])),
            ring_sizes=2.0 * pr + 2.0 * rings[column] + 2.0,
            ring_pens=pens[column],
            hatch_sizes=np.maximum(2.0 * pr, 3.0),
            hatches={code: _hatch(th, code) for code in (NAN, POS_INF, NEG_INF)},
        )


def _mark_colours(th: Theme) -> np.ndarray:
    """RGBA of the mark beside a strip, by status code: none, quiet grey for dead (common in ReLU layers), the
    saturation red, and the NaN colour for NaN and ±inf (whose bars are the colour map's ends)."""
    colours = [QColor(0, 0, 0, 0), mix(th.dead, th.background, 0.45), QColor(th.saturated)]
    colours += [QColor(th.nonfinite)] * 3
    return np.array([c.getRgb() for c in colours], dtype=np.uint8)


def _update_brushes(
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


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    """Same float64 values bit for bit (so NaN equals NaN): ~40x faster than ``array_equal(equal_nan=True)``."""
    if a.shape != b.shape:
        return False
    as_int = (np.ascontiguousarray(x, dtype=np.float64).view(np.int64) for x in (a, b))
    return np.array_equal(*as_int)


def _header_lines(headers: Sequence[str]) -> int:
    return max((h.count("\n") + 1 for h in headers), default=1)


def _header_tooltips(headers: list[str], tooltips: Sequence[str] | None) -> list[str]:
    """The tooltips given, checked; by default each header on one line."""
    if tooltips is None:
        return [" · ".join(line for line in header.split("\n") if line) for header in headers]
    return _check_texts(tooltips, len(headers), "tooltips")


def _header_line(metrics: dict[int, QFontMetricsF], line: str, width: float) -> tuple[str, int]:
    """(text, pixel size) of a header line in ``width``: the line at the size it fits, or, if it does not fit even
    at the smallest, without its " · size" part ("12 · 24" becomes "12"); elided later if still too long."""
    size = _fitting_size(metrics, line, width)
    if " · " in line and metrics[size].horizontalAdvance(line) > width:
        line = line.split(" · ")[0]
        size = _fitting_size(metrics, line, width)
    return line, size


def _fitting_size(metrics: dict[int, QFontMetricsF], text: str, width: float) -> int:
    """The largest header pixel size at which ``text`` fits ``width`` (the smallest if none does)."""
    for size in sorted(metrics, reverse=True):
        if metrics[size].horizontalAdvance(text) <= width:
            return size
    return min(metrics)


def _check_max_edges(count: int) -> int:
    if isinstance(count, bool) or not isinstance(count, int | np.integer) or count < 1:
        raise ValueError(f"max_edges must be a positive integer, got {count!r}")
    return int(count)


def _check_sizes(sizes: Sequence[int]) -> list[int]:
    try:
        items = list(sizes)
    except TypeError:
        raise ValueError(f"set_structure: sizes must be a sequence of integers, got {sizes!r}") from None
    if not items:
        raise ValueError("set_structure: sizes is empty; a network has at least one column")
    for k, s in enumerate(items):
        if isinstance(s, bool) or not isinstance(s, int | np.integer) or s < 1:
            raise ValueError(f"set_structure: sizes[{k}] must be a positive integer, got {s!r}")
    return [int(s) for s in items]


def _check_texts(texts: Sequence[str], count: int, what: str) -> list[str]:
    if isinstance(texts, str):
        raise ValueError(f"{what} must be a sequence of strings, one per column, not one string")
    items = list(texts)
    if len(items) != count:
        raise ValueError(f"got {len(items)} {what} for {count} columns")
    for k, h in enumerate(items):
        if not isinstance(h, str):
            raise ValueError(f"{what}[{k}] must be a string, got {h!r}")
    return items


def _check_frame(sizes: list[int], values, edges, biases, status, value_limit, edge_limit, bias_limit) -> _Frame:
    """set_values' arguments checked against ``sizes`` and flattened; a ValueError says what is wrong."""
    if not sizes:
        raise ValueError("set_values: call set_structure first, the view has no columns yet")
    limits = {}
    for name, limit in (
        ("value_limit", value_limit),
        ("edge_limit", edge_limit),
        ("bias_limit", bias_limit),
    ):
        try:
            limits[name] = float(limit)
        except (TypeError, ValueError):
            raise ValueError(f"set_values: {name} must be a number, got {limit!r}") from None
        if not (math.isfinite(limits[name]) and limits[name] > 0):
            raise ValueError(f"set_values: {name} must be finite and > 0, got {limit!r}")
    pairs = len(sizes) - 1
    for name, seq, expected in (
        ("values", values, len(sizes)),
        ("edges", edges, pairs),
        ("biases", biases, pairs),
        ("status", status, len(sizes)),
    ):
        try:
            length = len(seq)
        except TypeError:
            raise ValueError(f"set_values: {name} must be a sequence of arrays, got {seq!r}") from None
        if length != expected:
            raise ValueError(f"set_values: {name} has {length} arrays, expected {expected} for sizes {sizes}")
    vals = [_array("values", k, v, (sizes[k],)) for k, v in enumerate(values)]
    edge_arrays = [_array("edges", k, e, (sizes[k], sizes[k + 1])) for k, e in enumerate(edges)]
    bias_arrays = [_array("biases", k, b, (sizes[k + 1],)) for k, b in enumerate(biases)]
    codes = []
    for k, s in enumerate(status):
        a = np.asarray(s)
        if a.shape != (sizes[k],):
            raise ValueError(f"set_values: status[{k}] has shape {a.shape}, expected ({sizes[k]},)")
        if a.size and (a.dtype.kind not in "iu" or a.min() < NORMAL or a.max() > NEG_INF):
            raise ValueError(f"set_values: status[{k}] must hold integer codes 0..5, got {a!r}")
        codes.append(a.astype(np.int8))
    flat = np.concatenate(vals)
    code = np.concatenate(codes)
    code[np.isnan(flat)] = NAN
    code[flat == np.inf] = POS_INF
    code[flat == -np.inf] = NEG_INF
    bias_flat = np.concatenate(bias_arrays) if bias_arrays else np.zeros(0)
    return _Frame(flat, code, edge_arrays, bias_flat, *limits.values())


def _array(name: str, k: int, value, shape: tuple[int, ...]) -> np.ndarray:
    try:
        a = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"set_values: {name}[{k}] is not an array of numbers") from None
    if a.shape != shape:
        raise ValueError(f"set_values: {name}[{k}] has shape {a.shape}, expected {shape}")
    return a


_LEFT, _RIGHT = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight
_TOP, _VCENTER = Qt.AlignmentFlag.AlignTop, Qt.AlignmentFlag.AlignVCenter
_HCENTER = Qt.AlignmentFlag.AlignHCenter
_NO_CLIP = Qt.TextFlag.TextDontClip


def _flags(*flags: Qt.AlignmentFlag | Qt.TextFlag) -> int:
    combined = 0
    for flag in flags:
        combined |= int(flag)
    return combined


def _shorter(value: float, text: str) -> str:
    """``text`` (format_value of ``value``) in fewer characters: "3e-4" for "3.2e-4", "-.73" for "-0.73"."""
    if "e" in text and math.isfinite(value):
        mantissa, exponent = f"{value:.0e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    return text.replace("0.", ".", 1) if text.lstrip("-").startswith("0.") else text


def _font(pixel_size: int) -> QFont:
    font = QFont()
    font.setPixelSize(pixel_size)
    return font


def _pen(colour: str | QColor, width: float) -> QPen:
    """A cosmetic pen: its width is in pixels whatever the painter's scale (exports included)."""
    pen = QPen(QColor(colour))
    pen.setCosmetic(True)
    pen.setWidthF(width)
    return pen


def _choose(mask: np.ndarray, yes: object, no: object) -> list:
    """``yes`` where ``mask`` is True, ``no`` elsewhere: per-point pens for pyqtgraph."""
    return [yes if m else no for m in mask.tolist()]


def _ring_width(radius: float) -> float:
    """Width of the saturation ring: bold on big neurons, thin where neurons are only a few pixels apart."""
    return float(np.clip(0.15 * radius, 1.5 if radius >= 3.0 else 1.0, 3.0))


def _nonfinite_fill(th: Theme, code: int) -> QColor:
    """NaN has a colour of its own; +inf and -inf are the saturated ends of the colour map."""
    return QColor({NAN: th.nonfinite, POS_INF: th.positive, NEG_INF: th.negative}[code])


def _hatch(th: Theme, code: int) -> QBrush:
    """Stripes over a non-finite neuron, so it is marked by shape as well as colour and stays quiet behind the
    label: diagonal over NaN, a grid over ±inf (told apart from a large finite value of the same colour)."""
    colour = QColor(th.light_text)
    colour.setAlpha(110 if code == NAN else 150)
    style = Qt.BrushStyle.BDiagPattern if code == NAN else Qt.BrushStyle.CrossPattern
    return QBrush(colour, style)


def _xy(pos: QPointF | QPoint | tuple[float, float]) -> tuple[float, float]:
    if isinstance(pos, QPointF | QPoint):
        return float(pos.x()), float(pos.y())
    x, y = pos
    return float(x), float(y)
