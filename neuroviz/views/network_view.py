"""The network picture: columns of neurons coloured by value, links coloured and sized by weight or signal.

The view is dumb. The controller hands it arrays (``set_structure`` when the shape of the network changes,
``set_values`` on every change of a value) and it draws them; mouse events come back as signals. It never
imports the model.

How it stays fast: every graphics item is made once, in ``__init__``; later calls only move data into them.
Positions are computed in pixels (the scene is the viewport, 1 unit = 1 pixel), so circles stay round on any
window shape. All neurons are one ScatterPlotItem whose brushes come from a pre-made table of 257
colours. Links are sorted into 2 signs × 6 strengths (+1 for NaN/inf), one ``PlotCurveItem(connect="pairs")``
per bucket. When a network has more links than ``max_edges``, only the strongest of each pair of columns are
drawn (argpartition).
Texts (headers, value labels) are painted by one item per kind, so exports contain real ``<text>`` elements.
What only changes with the structure or the weights (links in weight mode, headers, legend) is painted on screen
from a pixmap of itself (``_Snapshot``), so moving an input repaints only the neurons.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QCursor,
    QFont,
    QFontMetricsF,
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

__all__ = ["STATUS_NAMES", "NetworkView", "format_value", "strongest_edges"]

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
HEADER_LINE_PX = 16.0
FOOTER_PX = 50.0
MAX_COLUMN_SPACING = 280.0
MAX_PITCH = 72.0
MAX_RADIUS = 20.0
MIN_RADIUS = 0.8
LABEL_MIN_RADIUS = 11.0  # smaller neurons cannot hold "-0.73"
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


def strongest_edges(edges: Sequence[np.ndarray], max_edges: int) -> list[np.ndarray]:
    """Flat indices of the links to draw in each pair of columns: all, or the strongest |value| if too many.

    The budget is shared in proportion to each pair's size, so no pair of columns vanishes. NaN and ±inf
    count as strongest (they are what a user must see). Zeros are set aside before the partition: signals
    from dead ReLUs make half a layer exactly 0, and NumPy's introselect is 25x slower on such ties.
    """
    total = sum(int(e.size) for e in edges)
    if total <= max_edges:
        return [np.arange(e.size) for e in edges]
    chosen = []
    for e in edges:
        keep = min(int(e.size), max(1, (max_edges * int(e.size)) // total)) if e.size else 0
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


@dataclass(frozen=True)
class _Layout:
    """Where everything goes for one widget size, in pixels."""

    width: float
    height: float
    xs: np.ndarray  # column centres
    tops: np.ndarray  # y of neuron 0 in each column
    pitch: float  # distance between neighbouring neurons of a column
    spacing: float  # distance between columns
    radius: float
    header_top: float
    footer_top: float

    @property
    def hit_radius(self) -> float:
        """Mouse distance that still counts as on a neuron; tiny neurons share their column band."""
        return min(max(self.radius + 2.0, 4.0), max(self.pitch / 2.0, self.radius))

    @property
    def dense(self) -> bool:
        return self.pitch < 8.0


def _compute_layout(sizes: Sequence[int], width: float, height: float, header_lines: int) -> _Layout:
    count = len(sizes)
    header_top = 8.0
    top = header_top + header_lines * HEADER_LINE_PX + 12.0
    footer_top = max(height - FOOTER_PX, top + 10.0)
    free_h = max(footer_top - top - 6.0, 10.0)
    pitch = min(free_h / max(max(sizes, default=1), 1), MAX_PITCH)
    spacing = min(max(width - 2 * SIDE_MARGIN, 10.0) / max(count - 1, 1), MAX_COLUMN_SPACING)
    radius = min(MAX_RADIUS, 0.36 * pitch)
    if count > 1:
        radius = min(radius, 0.2 * spacing)
    radius = max(radius, MIN_RADIUS)
    xs = width / 2.0 - spacing * (count - 1) / 2.0 + spacing * np.arange(count)
    centre_y = top + free_h / 2.0
    tops = centre_y - (np.asarray(sizes, dtype=np.float64) - 1.0) / 2.0 * pitch
    if count:  # headers sit just above the tallest column, not at the window's top edge
        header_top = max(header_top, float(tops.min()) - radius - 14.0 - header_lines * HEADER_LINE_PX)
    return _Layout(width, height, xs, tops, pitch, spacing, radius, header_top, footer_top)


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


class _TextLayer(QGraphicsObject):
    """Many short texts painted by one item, so the item count never changes and exports get ``<text>``."""

    FLAGS = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextDontClip)

    def __init__(self) -> None:
        super().__init__()
        self._font = QFont()
        self._entries: list[tuple[QRectF, str, QColor]] = []
        self._bounds = QRectF()

    def set_entries(self, entries: list[tuple[QRectF, str, QColor]], font: QFont, bounds: QRectF) -> None:
        if (entries, font, bounds) == (self._entries, self._font, self._bounds):
            return  # nothing to repaint (the usual case for headers, and for labels when none are shown)
        self.prepareGeometryChange()
        self._entries, self._font, self._bounds = entries, font, bounds
        self.update()

    def texts(self) -> list[str]:
        return [text for _, text, _ in self._entries]

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setFont(self._font)
        for rect, text, color in self._entries:
            painter.setPen(color)
            painter.drawText(rect, self.FLAGS, text)


class _Legend(QGraphicsObject):
    """The footer: colour bar ("activation", -limit, 0, +limit), the meaning of the marks, the LOD note."""

    BAR_WIDTH = 150.0
    BAR_HEIGHT = 10.0

    def __init__(self) -> None:
        super().__init__()
        self._rect = QRectF()
        self._theme: Theme = theme(False)
        self._cmap = DivergingColorMap.for_theme(self._theme)
        self._value_limit = 1.0
        self._edge_limit = 1.0
        self._notice = ""
        self._font = QFont()
        self._font.setPixelSize(11)

    def set_rect(self, rect: QRectF) -> None:
        self.prepareGeometryChange()
        self._rect = rect
        self.update()

    def set_theme(self, th: Theme, cmap: DivergingColorMap) -> None:
        self._theme, self._cmap = th, cmap
        self.update()

    def set_limits(self, value_limit: float, edge_limit: float, notice: str) -> None:
        if (value_limit, edge_limit, notice) != (self._value_limit, self._edge_limit, self._notice):
            self._value_limit, self._edge_limit, self._notice = value_limit, edge_limit, notice
            self.update()

    def notice(self) -> str:
        return self._notice

    def tick_texts(self) -> list[str]:
        return [format_value(-self._value_limit), "0", format_value(self._value_limit)]

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(self._font)
        bar = QRectF(
            self._rect.right() - self.BAR_WIDTH - 18.0,
            self._rect.top() + 8.0,
            self.BAR_WIDTH,
            self.BAR_HEIGHT,
        )
        self._paint_colour_bar(painter, bar)
        self._paint_marks(painter, bar.center().y())

    def _paint_colour_bar(self, painter: QPainter, bar: QRectF) -> None:
        th, line = self._theme, QFontMetricsF(self._font).height()
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
        painter.drawText(links, _flags(_RIGHT, _TOP), f"link scale ±{format_value(self._edge_limit)}")

    def _paint_marks(self, painter: QPainter, y: float) -> None:
        """What the marks mean, left-aligned on the colour bar's row; the LOD note below it."""
        metrics = QFontMetricsF(self._font)
        line, x = metrics.height(), self._rect.left() + 8.0
        for kind, label in (
            ("dead", "dead"),
            ("saturated", "saturated"),
            ("nonfinite", "NaN / ±∞"),
            ("sel", "selected"),
        ):
            self._paint_sample(painter, kind, QPointF(x + 7.0, y))
            width = metrics.horizontalAdvance(label) + 4.0
            painter.setPen(QColor(self._theme.muted))
            painter.drawText(QRectF(x + 18.0, y - line / 2, width, line), _flags(_LEFT, _VCENTER), label)
            x += 18.0 + width + 12.0
        if self._notice:
            notice = QRectF(self._rect.left() + 8.0, y + line * 0.9, 480.0, line)
            painter.drawText(notice, _flags(_LEFT, _VCENTER), self._notice)

    def _paint_sample(self, painter: QPainter, kind: str, centre: QPointF) -> None:
        th, radius = self._theme, 5.5
        fill = QColor(th.nonfinite) if kind == "nonfinite" else QColor(th.neutral)
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
            painter.drawEllipse(centre, radius + 2.0, radius + 2.0)
        elif kind == "nonfinite":
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_hatch(th))
            painter.drawEllipse(centre, radius, radius)
        elif kind == "sel":
            painter.setPen(QPen(QColor(th.selection), 1.8))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, radius + 3.0, radius + 3.0)


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


class NetworkView(pg.GraphicsView):
    """Draws a feed-forward network and reports what the mouse is on.

    Layer positions are numbered as in the model: column 0 is the input, column k ≥ 1 the k-th dense layer.
    Edge signals give the target column ``layer`` (≥ 1), the ``source`` index in column layer-1 and the
    ``target`` index in column layer. Hit-test methods take scene coordinates, which here are viewport pixels.
    """

    neuronHovered = Signal(int, int)
    edgeHovered = Signal(int, int, int)
    hoverLeft = Signal()
    neuronClicked = Signal(int, int)
    edgeClicked = Signal(int, int, int)
    backgroundClicked = Signal()

    def __init__(self, parent: QWidget | None = None, max_edges: int = DEFAULT_MAX_EDGES) -> None:
        self._painting_itself = False
        self._theme = theme(False)
        super().__init__(parent, background=self._theme.background)
        self.setMinimumSize(240, 180)
        self.setAntialiasing(True)
        self._cmap = DivergingColorMap.for_theme(self._theme)
        self._max_edges = _check_max_edges(max_edges)
        self._show_labels = False
        self._sizes: list[int] = []
        self._headers: list[str] = []
        self._offsets = np.zeros(1, dtype=np.intp)
        self._layout = _compute_layout([], 1.0, 1.0, 1)
        self._px = np.zeros(0)
        self._py = np.zeros(0)
        self._frame = self._blank_frame()
        self._selection: tuple[int, int] | None = None
        self._hover: tuple | None = None
        self._press_pos: QPointF | None = None
        self._label_texts = np.zeros(0, dtype=object)
        self._rows = np.zeros(0, dtype=np.intp)  # colour-table row of every neuron
        self._bias_rows = np.zeros(0, dtype=np.intp)
        self._bias_x = self._bias_y = np.zeros(0)
        self._drawn_rows: np.ndarray | None = None  # what the scatter item holds, to skip unchanged updates
        self._drawn_bias_rows: np.ndarray | None = None
        self._drawn_status: np.ndarray | None = None
        self._drawn_edge_input: tuple | None = None  # (copies of edges, edge_limit) last turned into links
        self._drawn_edges: list[tuple[np.ndarray, np.ndarray]] = []  # (source, target) per pair
        self._edge_total = 0
        self._edge_drawn = 0
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
        self._neurons = pg.ScatterPlotItem(pxMode=True, symbol="o")
        self._biases = pg.ScatterPlotItem(pxMode=True, symbol="s")
        self._dead = pg.ScatterPlotItem(pxMode=True, symbol="x", pen=None)
        self._saturated = pg.ScatterPlotItem(pxMode=True, symbol="o", brush=None)
        self._nonfinite = pg.ScatterPlotItem(pxMode=True, symbol="o", pen=None)
        for z, item in enumerate((self._neurons, self._biases, self._dead, self._saturated, self._nonfinite)):
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
    def set_structure(self, sizes: Sequence[int], headers: Sequence[str]) -> None:
        """Take a new network shape: ``sizes[k]`` neurons in column k, ``headers[k]`` above it."""
        sizes = _check_sizes(sizes)
        headers = _check_headers(headers, len(sizes))
        self._sizes, self._headers = sizes, headers
        self._offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.intp)
        self._frame = self._blank_frame()
        self._selection = None
        self._hover = None
        self._relayout()

    def set_headers(self, headers: Sequence[str]) -> None:
        """Change the column titles only."""
        headers = _check_headers(headers, len(self._sizes))
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
        """Show each neuron's value in it (when the neurons are big enough to hold a number)."""
        self._show_labels = bool(on)
        self._draw_labels()

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

    def legend_ticks(self) -> list[str]:
        """The colour bar's tick labels: -limit, 0, +limit."""
        return self._legend.tick_texts()

    def header_texts(self) -> list[str]:
        """The header lines as drawn (elided when a column is narrow)."""
        return self._header_texts.texts()

    def graphics_item_count(self) -> int:
        return len(self.scene().items())

    def plot_scene(self) -> QGraphicsScene:
        return self.scene()

    def neuron_radius(self) -> float:
        return self._layout.radius

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
        if abs(lay.xs[column] - x) > lay.hit_radius:
            return None
        index = int(np.clip(np.rint((y - lay.tops[column]) / lay.pitch), 0, self._sizes[column] - 1))
        dy = y - (lay.tops[column] + index * lay.pitch)
        if math.hypot(lay.xs[column] - x, dy) > lay.hit_radius:
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

    # -- mouse -----------------------------------------------------------------------------------------------
    # The items in this scene take no mouse input, so the events are handled here and not passed to
    # pyqtgraph's scene (its hover search would test every item's shape on each move).
    def mouseMoveEvent(self, ev) -> None:
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
        if hit is None:
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
        return None

    def _set_hover(self, hit: tuple | None) -> None:
        if hit == self._hover:
            return
        self._hover = hit
        if hit is None:
            QToolTip.hideText()
            self.hoverLeft.emit()
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
        self._px = np.repeat(lay.xs, self._sizes) if self._sizes else np.zeros(0)
        rows = np.arange(int(self._offsets[-1])) - np.repeat(self._offsets[:-1], self._sizes)
        self._py = np.repeat(lay.tops, self._sizes) + rows * lay.pitch if self._sizes else np.zeros(0)
        r = lay.radius
        outline = _pen(self._theme.outline, 1.0 if r >= 3.0 else 0.6)
        # colours go in with the positions: pyqtgraph looks every point up in its symbol atlas once, not twice
        self._drawn_rows = self._frame_neuron_rows()
        brushes = self._cmap.brushes[self._drawn_rows]
        self._neurons.setData(x=self._px, y=self._py, size=2.0 * r, pen=outline, brush=brushes)
        self._drawn_status = self._drawn_edge_input = None
        self._place_biases()
        self._place_status_items()
        self._make_edge_pens()
        self._draw_headers()
        self._legend.set_rect(QRectF(0.0, lay.footer_top, lay.width, lay.height - lay.footer_top))
        self._redraw()

    def _place_biases(self) -> None:
        r = self._layout.radius
        square = float(np.clip(0.5 * r, 3.0, 9.0))
        n0 = self._sizes[0] if self._sizes else 0
        x, y = self._px[n0:], self._py[n0:]
        if r >= 5.0:  # a tab on the lower left of the neuron, as in TensorFlow Playground
            x, y = x - 0.78 * r, y + 0.78 * r
        else:  # tiny neurons: a dot just left of them
            x = x - r - square / 2.0 - 0.5
        self._bias_x, self._bias_y = x, y
        self._drawn_bias_rows = self._frame_bias_rows()
        pen = _pen(self._theme.outline, 0.8) if r >= 3.0 else None
        self._biases.setData(x=x, y=y, size=square, pen=pen, brush=self._cmap.brushes[self._drawn_bias_rows])

    def _place_status_items(self) -> None:
        th, r = self._theme, self._layout.radius
        ring = _ring_width(r)
        self._dead.setSize(max(1.1 * r, min(7.0, self._layout.pitch)))
        self._dead.setBrush(mix(th.dead, th.neutral, 0.2))
        self._saturated.setSize(2.0 * r + 2.0 * ring + 2.0)
        self._saturated.setPen(_pen(th.saturated, ring))
        self._nonfinite.setSize(max(2.0 * r, 3.0))
        self._nonfinite.setBrush(_hatch(th))
        self._selection_ring.setPen(_pen(th.selection, 2.0 if r >= 3.0 else 1.5))

    def _make_edge_pens(self) -> None:
        """Pens of the link buckets: wider and more saturated with strength.

        Opaque on purpose: alpha blending of thousands of long lines is ~20x slower in Qt's raster engine, so
        faintness is mixed into the colour towards the background instead.
        """
        lay, th, cmap = self._layout, self._theme, self._cmap
        widest = float(np.clip(0.3 * lay.pitch, 1.0, 4.5))
        thinnest = 1.0  # thinner cosmetic pens leave Qt's fast line path (3-4x slower when not antialiased)
        fade = 0.45 if lay.dense else 1.0  # thousands of 1-px links: keep them quiet behind the neurons
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
        self.setBackground(self._theme.background)
        self._cmap = DivergingColorMap.for_theme(self._theme)
        self._legend.set_theme(self._theme, self._cmap)
        self._drawn_rows = self._drawn_bias_rows = None

    # -- drawing values --------------------------------------------------------------------------------------
    def _redraw(self) -> None:
        self._draw_neurons()
        self._draw_status()
        self._draw_labels()
        self._draw_biases()
        self._draw_edges()
        self._draw_selection()
        self._draw_legend()

    def _frame_neuron_rows(self) -> np.ndarray:
        """Colour-table row of every neuron for the current frame."""
        f = self._frame
        rows = self._cmap.indices(f.values, f.value_limit)
        rows[f.status >= NAN] = self._cmap.INVALID
        return rows

    def _frame_bias_rows(self) -> np.ndarray:
        """Colour-table row of every bias mark for the current frame."""
        return self._cmap.indices(self._frame.biases, self._frame.bias_limit)

    def _draw_neurons(self) -> None:
        rows = self._frame_neuron_rows()
        self._rows = rows
        _update_brushes(self._neurons, self._cmap.brushes, rows, self._drawn_rows)
        self._drawn_rows = rows

    def _draw_status(self) -> None:
        status = self._frame.status
        if self._drawn_status is not None and np.array_equal(status, self._drawn_status):
            return
        self._drawn_status = status
        for item, mask in (
            (self._dead, status == DEAD),
            (self._saturated, status == SATURATED),
            (self._nonfinite, status >= NAN),
        ):
            item.setData(x=self._px[mask], y=self._py[mask])
            item.setVisible(bool(mask.any()))  # an empty scatter item still costs a paint call

    def _draw_labels(self) -> None:
        f, lay, th = self._frame, self._layout, self._theme
        texts = np.full(f.values.shape, "", dtype=object)
        show = np.zeros(f.values.shape, dtype=bool)
        if self._show_labels and lay.radius >= LABEL_MIN_RADIUS:
            show[:] = True
        nonfinite = f.status >= NAN
        show |= nonfinite
        entries = []
        font = QFont()
        font.setPixelSize(int(np.clip(0.62 * lay.radius, 9, 11)))
        box = max(2.0 * lay.radius, 40.0)
        for n in np.flatnonzero(show):
            code = int(f.status[n])
            text = _NONFINITE_TEXT[code] if code >= NAN else format_value(f.values[n])
            texts[n] = text
            light_fill = self._cmap.luminance[self._rows[n]] > 0.3 and code < NAN
            colour = QColor(th.dark_text if light_fill else th.light_text)
            if code >= NAN and lay.radius < 8.0:  # too small to hold the text: write it beside the neuron
                rect = QRectF(self._px[n] + lay.radius + 2.0, self._py[n] - 8.0, box, 16.0)
                colour = QColor(th.nonfinite)
            else:
                rect = QRectF(self._px[n] - box / 2.0, self._py[n] - 8.0, box, 16.0)
            entries.append((rect, text, colour))
        self._label_texts = texts
        self._labels.set_entries(entries, font, QRectF(0.0, 0.0, lay.width, lay.height))
        self._labels.setVisible(bool(entries))

    def _draw_biases(self) -> None:
        rows = self._frame_bias_rows()
        self._bias_rows = rows
        _update_brushes(self._biases, self._cmap.brushes, rows, self._drawn_bias_rows)
        self._drawn_bias_rows = rows

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
        centre = self.neuron_position(*self._selection)
        r = self._layout.radius
        ring = r + _ring_width(r) + 4.0
        self._selection_ring.setRect(QRectF(centre.x() - ring, centre.y() - ring, 2 * ring, 2 * ring))
        self._selection_ring.setVisible(True)

    def _draw_legend(self) -> None:
        notice = ""
        if self._edge_drawn < self._edge_total:
            notice = f"showing {self._edge_drawn:,} strongest of {self._edge_total:,} connections"
        self._legend.set_limits(self._frame.value_limit, self._frame.edge_limit, notice)

    def _draw_headers(self) -> None:
        lay, th = self._layout, self._theme
        font = QFont()
        font.setPixelSize(HEADER_FONT_PX)
        metrics = QFontMetricsF(font)
        width = float(np.clip(lay.spacing - 6.0, 40.0, 170.0)) if len(self._sizes) > 1 else 170.0
        entries = []
        for k, header in enumerate(self._headers):
            left = float(np.clip(lay.xs[k] - width / 2.0, 2.0, max(lay.width - width - 2.0, 2.0)))
            for line_no, line in enumerate(header.split("\n")):
                text = metrics.elidedText(line, Qt.TextElideMode.ElideRight, width)
                rect = QRectF(left, lay.header_top + line_no * HEADER_LINE_PX, width, HEADER_LINE_PX)
                entries.append((rect, text, QColor(th.foreground if line_no == 0 else th.muted)))
        self._header_texts.set_entries(entries, font, QRectF(0.0, 0.0, lay.width, lay.header_top + 60.0))

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


def _check_headers(headers: Sequence[str], count: int) -> list[str]:
    if isinstance(headers, str):
        raise ValueError("headers must be a sequence of strings, one per column, not one string")
    items = list(headers)
    if len(items) != count:
        raise ValueError(f"got {len(items)} headers for {count} columns")
    for k, h in enumerate(items):
        if not isinstance(h, str):
            raise ValueError(f"headers[{k}] must be a string, got {h!r}")
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


def _flags(*flags: Qt.AlignmentFlag) -> int:
    combined = flags[0]
    for flag in flags[1:]:
        combined |= flag
    return int(combined)


def _pen(colour: str | QColor, width: float) -> QPen:
    """A cosmetic pen: its width is in pixels whatever the painter's scale (exports included)."""
    pen = QPen(QColor(colour))
    pen.setCosmetic(True)
    pen.setWidthF(width)
    return pen


def _ring_width(radius: float) -> float:
    """Width of the saturation ring: bold on big neurons, thin where neurons are only a few pixels apart."""
    return float(np.clip(0.15 * radius, 1.5 if radius >= 3.0 else 1.0, 3.0))


def _hatch(th: Theme) -> QBrush:
    """Stripes over the NaN/±inf fill: marked by shape as well as colour, and still quiet behind the label."""
    colour = QColor(th.light_text)
    colour.setAlpha(110)
    return QBrush(colour, Qt.BrushStyle.BDiagPattern)


def _xy(pos: QPointF | QPoint | tuple[float, float]) -> tuple[float, float]:
    if isinstance(pos, QPointF | QPoint):
        return float(pos.x()), float(pos.y())
    x, y = pos
    return float(x), float(y)
