"""The NetworkView widget: it composes the items, the legend, the labels and the focus ring, and turns mouse and
keyboard input into signals.

The view is dumb. The controller hands it arrays (``set_structure`` when the shape of the network changes,
``set_values`` on every change of a value) and it draws them; what the user does comes back as signals. It never
reads the network; its only model imports are the shared display rules (status codes, number texts). Every graphics
item is made once, in ``__init__``; later calls only move data into them. What it tells about its picture (colours,
places, marks) is in ``queries.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QCursor, QPalette, QPixmapCache
from PySide6.QtWidgets import QToolTip, QWidget

from neuroviz.views import pg_options  # noqa: F401  (pyqtgraph options before any item)
from neuroviz.views.colors import DivergingColorMap, mix, theme
from neuroviz.views.network_view.focus import (
    MOVES,
    SELECT_KEYS,
    FocusRing,
    SelectionRing,
    clamp_focus,
    focus_ring_rect,
    moved_focus,
    selection_ring,
)
from neuroviz.views.network_view.frame import (
    Frame,
    check_frame,
    check_max_edges,
    check_sizes,
    check_texts,
    header_tooltips,
)
from neuroviz.views.network_view.headers import count_header_lines, header_entries
from neuroviz.views.network_view.items import (
    Marks,
    NeuronDots,
    Snapshot,
    Strips,
    TextLayer,
    strip_bars,
    update_brushes,
)
from neuroviz.views.network_view.labels import LabelPlacer, PlacedLabels, hidden_reason
from neuroviz.views.network_view.layout import (
    Geometry,
    bias_positions,
    label_modes,
)
from neuroviz.views.network_view.legend import Legend
from neuroviz.views.network_view.links import DEFAULT_MAX_EDGES, Links
from neuroviz.views.network_view.queries import ViewQueries
from neuroviz.views.network_view.style import (
    DEAD_EVERYWHERE_MARK,
    choose,
    cosmetic_pen,
    mark_colours,
    never_symbol,
)
from neuroviz.views.network_view.thumbnails import MapFrame, Thumbnails, check_maps, packed_table


class NetworkView(ViewQueries, pg.GraphicsView):
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
        self._max_edges = check_max_edges(max_edges)
        self._show_labels = False
        self._labels_hidden = ""
        self._modes = np.zeros(0, dtype=np.int8)  # where each column writes its values (see label_modes)
        self._sizes: list[int] = []
        self._headers: list[str] = []
        self._header_tips: list[str] = []
        self._header_rects: list[QRectF] = []
        self._offsets = np.zeros(1, dtype=np.intp)
        self._geo = Geometry.make([], 1.0, 1.0, 1)
        self._dot_index = self._strip_index = np.zeros(0, dtype=np.intp)  # neurons drawn as dots / in strips
        self._bias_dot_index = self._bias_strip_index = np.zeros(0, dtype=np.intp)
        self._frame = self._blank_frame()
        self._selection: tuple[int, int] | None = None
        self._hover: tuple | None = None
        self._press_pos: QPointF | None = None
        self._cursor = QPoint()
        self._placer = LabelPlacer()
        self._placed = PlacedLabels([], np.zeros(0, dtype=object), {})
        self._focus: tuple[int, int] | None = None  # the neuron the keyboard is on
        self._focus_shown = False  # the ring shows once the keyboard is used (Tab, arrows), not on a mouse click
        self._keyboard_hover = False  # the last hover came from the keyboard: tooltips go by the focused neuron
        self._rows = np.zeros(0, dtype=np.intp)  # colour-table row of every neuron
        self._bias_rows = np.zeros(0, dtype=np.intp)
        self._bias_x = self._bias_y = np.zeros(0)
        self._drawn_rows: np.ndarray | None = None  # what the dot item holds, to skip unchanged updates
        self._drawn_bias_rows: np.ndarray | None = None
        self._drawn_status: np.ndarray | None = None
        self._marks = Marks.empty()
        self._show_maps = False  # Neuron Maps: a picture of its response map in each neuron
        self._dots_pictured = False  # every dot sits under a map picture (set with the layout)
        self._maps: MapFrame | None = None
        self._make_items()
        self._apply_theme()
        self._ready = True
        self._relayout()

    # -- items (made once) -----------------------------------------------------------------------------------
    def _make_items(self) -> None:
        self._links = Links()
        self.addItem(self._links.group)
        self._strips = Strips()
        self._neurons = NeuronDots(pxMode=True, symbol="o")
        self._biases = pg.ScatterPlotItem(pxMode=True, symbol="s")
        self._thumbnails = Thumbnails()  # over the dots, under the marks and biases (as in Playground)
        self._dead = pg.ScatterPlotItem(pxMode=True, symbol="x", pen=None)
        self._never = pg.ScatterPlotItem(pxMode=True, symbol=never_symbol(), brush=None)
        self._saturated = pg.ScatterPlotItem(pxMode=True, symbol="o", brush=None)
        self._nonfinite = pg.ScatterPlotItem(pxMode=True, symbol="o", pen=None)
        items = (self._strips, self._neurons, self._thumbnails, self._biases, self._dead, self._never)
        for z, item in enumerate((*items, self._saturated, self._nonfinite)):
            item.setZValue(20 + 0.5 * z)
            self.addItem(item)
        self._labels = TextLayer()
        self._labels.setZValue(30)
        self._selection_ring = SelectionRing()
        self._selection_ring.setZValue(31)
        self._header_texts = TextLayer()
        self._header_texts.setZValue(40)
        self._legend = Legend()
        self._legend.setZValue(40)
        self._focus_ring = FocusRing()
        self._focus_ring.setZValue(32)
        for item in (self._labels, self._selection_ring, self._focus_ring, self._header_texts, self._legend):
            self.addItem(item)
        for still in (self._links.group, self._header_texts, self._legend):  # redrawn only when they change
            still.setGraphicsEffect(Snapshot(self))
        # a full-window snapshot of the links must fit in Qt's pixmap cache (10 MB by default: 1600 x 1600 px)
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), 64 * 1024))

    # -- public API ------------------------------------------------------------------------------------------
    def set_structure(
        self, sizes: Sequence[int], headers: Sequence[str], tooltips: Sequence[str] | None = None
    ) -> None:
        """Take a new network shape: ``sizes[k]`` neurons in column k, ``headers[k]`` above it.

        ``tooltips[k]`` is shown when the mouse is on header k (default: the header on one line).
        """
        sizes = check_sizes(sizes)
        headers = check_texts(headers, len(sizes), "headers")
        self._header_tips = header_tooltips(headers, tooltips)
        self._sizes, self._headers = sizes, headers
        self._offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.intp)
        self._frame = self._blank_frame()
        self._maps = None  # drawn for the old shape: the next set_maps brings this one's
        self._selection = None
        self._hover = None
        self._focus = clamp_focus(sizes, self._focus)
        self._relayout()

    def set_headers(self, headers: Sequence[str], tooltips: Sequence[str] | None = None) -> None:
        """Change the column titles (and their tooltips) only."""
        headers = check_texts(headers, len(self._sizes), "headers")
        self._header_tips = header_tooltips(headers, tooltips)
        relayout = count_header_lines(headers) != count_header_lines(self._headers)
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
        self._frame = check_frame(self._sizes, values, edges, biases, status, value_limit, edge_limit, bias_limit)
        self._redraw()

    def set_show_labels(self, on: bool) -> None:
        """Write each neuron's value in it, or beside it where it is too small; see ``labels_hidden_reason``.

        A dead neuron's ✕ stands for its 0: no number is written over it.
        """
        self._show_labels = bool(on)
        self._draw_labels()

    def set_show_maps(self, on: bool) -> None:
        """Neuron Maps: draw each neuron as a square picture of its response map (given by ``set_maps``); neurons
        grow to hold it, and columns too crowded for a picture keep their dots or heat strip."""
        if bool(on) != self._show_maps:
            self._show_maps = bool(on)
            self._relayout()

    def maps_shown(self) -> bool:
        return self._show_maps

    def set_maps(
        self,
        layers: Sequence[np.ndarray],
        point: tuple[float, float] | None,
        dead_everywhere: Sequence[np.ndarray],
    ) -> None:
        """The response maps of this frame: ``layers[k]`` (sizes[k], res, res), row 0 the lowest y; ``point``
        where the input is, as fractions (0..1) across and up the map (None: no marker); ``dead_everywhere[k]``
        (sizes[k],) True where a neuron is dead for every input on the map (its ⊘ replaces the ✕). The pictures
        use the colour scale of the last ``set_values``."""
        self._maps = check_maps(self._sizes, layers, point, dead_everywhere)
        self._draw_maps()
        self._draw_status()

    def clear_maps(self) -> None:
        """No maps (none are computed): no pictures, no ⊘ marks."""
        self._maps = None
        self._draw_maps()
        self._draw_status()

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
        self._max_edges = check_max_edges(count)
        self._links.forget()
        self._draw_edges()
        self._draw_legend()

    def max_edges(self) -> int:
        """How many links are drawn at most."""
        return self._max_edges

    def show_tooltip(self, text: str) -> None:
        """Show ``text`` at the mouse cursor, or beside the focused neuron when the keyboard moved there (the
        controller decides what it says); empty text hides it."""
        if text and self._keyboard_hover and self._focus is not None:
            ring = self._focus_ring.rect()
            corner = self.mapFromScene(QPointF(ring.right(), ring.bottom()))
            QToolTip.showText(self.viewport().mapToGlobal(corner), text, self)
        elif text:
            QToolTip.showText(QCursor.pos(), text, self)
        else:
            QToolTip.hideText()

    def is_dark(self) -> bool:
        return self._theme.name == "dark"

    # -- mouse -----------------------------------------------------------------------------------------------
    # The items in this scene take no mouse input, so the events are handled here and not passed to
    # pyqtgraph's scene (its hover search would test every item's shape on each move).
    def mouseMoveEvent(self, ev) -> None:
        self._keyboard_hover = False
        self._cursor = ev.globalPosition().toPoint()
        self._set_hover(self._hit(self.mapToScene(ev.position().toPoint())))
        ev.accept()

    def mousePressEvent(self, ev) -> None:
        self._show_focus(False)  # a mouse user sees the selection ring; the focus ring is for the keyboard
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
            self._focus = (hit[1], hit[2])  # the keyboard goes on from the neuron clicked
            self._draw_focus()
            self.neuronClicked.emit(hit[1], hit[2])
        else:
            self.edgeClicked.emit(hit[1], hit[2], hit[3])

    def mouseDoubleClickEvent(self, ev) -> None:
        ev.accept()

    # -- keyboard --------------------------------------------------------------------------------------------
    def selection_ring_rect(self) -> QRectF | None:
        """Where the ring around the selected neuron is drawn, or None when nothing is selected."""
        return self._selection_ring.rect() if self._selection_ring.isVisible() else None

    def focus_neuron(self) -> tuple[int, int] | None:
        """(layer, index) of the neuron the keyboard is on, or None before it was used."""
        return self._focus

    def focus_ring_rect(self) -> QRectF | None:
        """Where the focus ring is drawn (scene = viewport pixels), or None while it is hidden."""
        return self._focus_ring.rect() if self._focus_ring.isVisible() else None

    def keyPressEvent(self, ev) -> None:
        key = ev.key()
        if (
            not self._sizes
            or ev.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            or (key not in MOVES and key not in SELECT_KEYS)
        ):
            super().keyPressEvent(ev)
            return
        ev.accept()
        if self._focus is None:
            self._focus = self._selection or (0, 0)
        elif (
            key in MOVES and self._focus_shown and self._focus_ring.isVisible()
        ):  # a first arrow only shows where the keyboard is
            self._focus = moved_focus(self._geo, self._focus, MOVES[key])
        self._show_focus(True)
        if key in SELECT_KEYS:
            self.neuronClicked.emit(*self._focus)

    def focusInEvent(self, ev) -> None:
        super().focusInEvent(ev)
        if ev.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason) and self._sizes:
            # Only the ring: Qt also moves the focus here "by Tab" when a focused widget goes away in the middle of
            # an edit, when nothing may be asked about a neuron yet. The first key says which neuron it is on.
            self._focus = clamp_focus(self._sizes, self._focus or self._selection or (0, 0))
            self._focus_shown = True
            self._draw_focus()

    def focusOutEvent(self, ev) -> None:
        super().focusOutEvent(ev)
        if self._ready:  # (closing, the view loses the focus after pyqtgraph deleted its items)
            self._show_focus(False)

    def _show_focus(self, shown: bool) -> None:
        """Show or hide the focus ring; shown (on a key press), the focused neuron is hovered as the mouse would."""
        self._focus_shown = shown
        self._draw_focus()
        if shown and self._focus is not None:
            self._hover = None  # the mouse reports its neuron again when it moves
            self._keyboard_hover = True
            self.neuronHovered.emit(*self._focus)

    def _draw_focus(self) -> None:
        if not (self._focus_shown and self._focus is not None and self._sizes):
            self._focus_ring.setVisible(False)
            return
        layer, index = self._focus
        picture = self._thumbnails.picture_rect(layer, index)
        rect = focus_ring_rect(self._geo, layer, index, picture)
        round_ = picture is None and not self.drawn_as_strip(layer)
        self._focus_ring.set_ring(rect, self.palette().color(QPalette.ColorRole.Accent), round_)
        self._focus_ring.setVisible(True)

    def paintEvent(self, ev) -> None:
        self._painting_itself = True  # snapshots may be used (see Snapshot)
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
        self._geo = geo = Geometry.make(
            self._sizes, float(size.width()), float(size.height()), count_header_lines(self._headers), self._show_maps
        )
        lay, column = geo.layout, geo.column
        self._modes = label_modes(lay)  # depends on the layout only: not worked out again per input change
        in_strip = lay.strips[column]
        self._dot_index, self._strip_index = np.flatnonzero(~in_strip), np.flatnonzero(in_strip)
        self._drawn_status = None
        self._links.forget()
        self._place_neurons()
        self._place_biases()
        self._place_strips()
        pictured = lay.thumb_columns & self._show_maps
        self._dots_pictured = bool(np.all(pictured[column[self._dot_index]]))
        self._marks = Marks.make(self._theme, lay, column, geo.pr, pictured)
        self._dead.setBrush(mix(self._theme.dead, self._theme.neutral, 0.2))
        self._never.setPen(cosmetic_pen(self._theme.dead, 1.8))
        th = self._theme
        marker, halo = (th.foreground, th.background)
        self._thumbnails.set_places(geo, np.flatnonzero(pictured).tolist(), cosmetic_pen(th.outline, 0.8), marker, halo)
        self._links.set_pens(lay, self._sizes, self._theme, self._cmap)
        self._draw_headers()
        self._legend.set_rect(QRectF(0.0, lay.footer_top, lay.width, lay.height - lay.footer_top))
        self._redraw()

    def _place_neurons(self) -> None:
        dots = self._dot_index
        radius = self._geo.pr[dots]
        outline = self._theme.outline
        pens = choose(radius >= 3.0, cosmetic_pen(outline, 1.0), cosmetic_pen(outline, 0.6))
        # colours go in with the positions: pyqtgraph looks every point up in its symbol atlas once, not twice
        self._drawn_rows = self._frame_neuron_rows()[dots]
        brushes = self._cmap.brushes[self._drawn_rows]
        size = 2.0 * radius
        if self._show_maps:  # a dot under a map picture stays inside it: no outline peeks out at its edges
            size = np.where(self._geo.layout.thumb_columns[self._geo.column[dots]], 1.8 * radius, size)
        self._neurons.setData(x=self._geo.px[dots], y=self._geo.py[dots], size=size, pen=pens, brush=brushes)

    def _place_biases(self) -> None:
        bias_x, bias_y, square = bias_positions(self._geo)
        self._bias_x, self._bias_y = bias_x, bias_y
        first = self._sizes[0] if self._sizes else 0
        in_strip = self._geo.layout.strips[self._geo.column[first:]]
        dots = self._bias_dot_index = np.flatnonzero(~in_strip)
        self._bias_strip_index = np.flatnonzero(in_strip)
        self._drawn_bias_rows = self._frame_bias_rows()[dots]
        pens = choose(self._geo.pr[first:][dots] >= 3.0, cosmetic_pen(self._theme.outline, 0.8), None)
        brushes = self._cmap.brushes[self._drawn_bias_rows]
        self._biases.setData(x=bias_x[dots], y=bias_y[dots], size=square[dots], pen=pens, brush=brushes)

    def _place_strips(self) -> None:
        """One strip per crowded column, one of its biases beside it; colours follow in ``_draw_strips``."""
        self._strips.set_strips(strip_bars(self._geo), cosmetic_pen(self._theme.outline, 0.8))

    def _apply_theme(self) -> None:
        th = self._theme
        self.setBackground(th.background)
        self._cmap = DivergingColorMap.for_theme(th)
        self._rgba = np.column_stack([self._cmap.rgb, np.full(len(self._cmap.rgb), 255, dtype=np.uint8)])
        self._mark_rgba = mark_colours(th)
        self._map_table = packed_table(self._cmap.rgb)
        self._legend.set_theme(self._theme, self._cmap)
        self._drawn_rows = self._drawn_bias_rows = None

    # -- drawing values --------------------------------------------------------------------------------------
    def _redraw(self) -> None:
        self._draw_neurons()
        self._draw_biases()
        self._draw_strips()
        self._draw_status()
        self._draw_maps()
        self._draw_labels()
        self._draw_edges()
        self._draw_selection()
        self._draw_focus()
        self._draw_legend()

    def _frame_neuron_rows(self) -> np.ndarray:
        return self._frame.neuron_rows(self._cmap)

    def _frame_bias_rows(self) -> np.ndarray:
        """Colour-table row of every bias mark for the current frame."""
        return self._cmap.indices(self._frame.biases, self._frame.bias_limit)

    def _draw_neurons(self) -> None:
        self._rows = self._frame_neuron_rows()
        rows = self._rows[self._dot_index]
        update_brushes(self._neurons, self._cmap.brushes, rows, self._drawn_rows)
        self._drawn_rows = rows

    def _draw_biases(self) -> None:
        self._bias_rows = self._frame_bias_rows()
        rows = self._bias_rows[self._bias_dot_index]
        update_brushes(self._biases, self._cmap.brushes, rows, self._drawn_bias_rows)
        self._drawn_bias_rows = rows

    def _draw_strips(self) -> None:
        rgba, marks = self._rgba, self._mark_rgba
        neurons, biases = self._rows[self._strip_index], self._bias_rows[self._bias_strip_index]
        status = self._frame.status[self._strip_index].copy()
        status[self._everywhere()[self._strip_index]] = DEAD_EVERYWHERE_MARK
        self._strips.set_colours(np.concatenate([rgba[neurons], rgba[biases], marks[status]]))

    def _draw_status(self) -> None:
        status = np.where(self._everywhere(), DEAD_EVERYWHERE_MARK, self._frame.status)
        if self._drawn_status is not None and np.array_equal(status, self._drawn_status):
            return
        self._drawn_status = status
        items = (self._dead, self._never, self._saturated, self._nonfinite)
        self._marks.draw(self._frame.status, status == DEAD_EVERYWHERE_MARK, self._geo, items)
        self._draw_strips()

    def _everywhere(self) -> np.ndarray:
        """Per neuron: dead for every input on the map (False for all while no maps are given)."""
        maps = self._maps
        if maps is None or maps.dead_everywhere.size != self._offsets[-1]:
            return np.zeros(int(self._offsets[-1]), dtype=bool)
        return maps.dead_everywhere

    def _draw_maps(self) -> None:
        maps = self._maps
        shown = self._show_maps and maps is not None and len(maps.layers) == len(self._sizes)
        self._thumbnails.setVisible(shown)
        # pictures are opaque and cover their dots: when every dot is under one, the dots are not painted at all
        self._neurons.setVisible(not (shown and self._dots_pictured))
        if shown:
            steps = self._cmap.STEPS
            self._thumbnails.set_maps(maps.layers, self._frame.value_limit, maps.point, self._map_table, steps)
        else:
            self._thumbnails.clear_maps()

    def _draw_labels(self) -> None:
        """Values in (or beside, or under) their neurons; NaN and ±inf always say what they are (see labels.py)."""
        lay = self._geo.layout
        self._placed = self._placer.place(
            self._geo, self._frame, self._modes, self._show_labels, self._theme, self._cmap, self._rows
        )
        self._labels.set_entries(self._placed.entries, QRectF(0.0, 0.0, lay.width, lay.height))
        self._labels.setVisible(bool(self._placed.entries))
        self._update_labels_hidden(self._modes)

    def _update_labels_hidden(self, modes: np.ndarray) -> None:
        reason = hidden_reason(modes, self._show_labels)
        if reason != self._labels_hidden:
            self._labels_hidden = reason
            self.labelsHiddenChanged.emit(reason)

    def _draw_edges(self) -> None:
        self._links.draw(self._frame.edges, self._frame.edge_limit, self._max_edges, self._geo)

    def _draw_selection(self) -> None:
        if self._selection is None or not self._sizes:
            self._selection_ring.setVisible(False)
            return
        picture = self._thumbnails.picture_rect(*self._selection)
        rect, width = selection_ring(self._geo, *self._selection, picture)
        self._selection_ring.set_ring(rect, cosmetic_pen(self._theme.selection, width), picture is None)
        self._selection_ring.setVisible(True)

    def set_link_name(self, name: str) -> None:
        """What the legend says the links' scale measures ("link scale", "∂L/∂w scale")."""
        self._legend.set_link_name(name)

    def _draw_legend(self) -> None:
        notice = short = ""
        drawn, total = self._links.drawn_count, self._links.total
        if drawn < total:
            notice = f"showing {drawn:,} strongest of {total:,} connections"
            short = f"{drawn:,} of {total:,} links shown"
        self._legend.set_limits(self._frame.value_limit, self._frame.edge_limit, notice, short)

    def _draw_headers(self) -> None:
        lay = self._geo.layout
        entries, self._header_rects = header_entries(self._headers, lay, self._theme)
        self._header_texts.set_entries(entries, QRectF(0.0, 0.0, lay.width, lay.header_top + 60.0))

    def _blank_frame(self) -> Frame:
        n = int(self._offsets[-1])
        first = self._sizes[0] if self._sizes else 0
        return Frame(np.zeros(n), np.zeros(n, dtype=np.int8), [], np.zeros(n - first))

    def _check_neuron(self, layer: int, index: int) -> None:
        self._column_slice(layer)
        if isinstance(index, bool) or not isinstance(index, int | np.integer) or not 0 <= index < self._sizes[layer]:
            raise ValueError(f"neuron index {index!r} is outside column {layer} (0..{self._sizes[layer] - 1})")

    def _column_slice(self, layer: int) -> tuple[int, int]:
        if isinstance(layer, bool) or not isinstance(layer, int | np.integer) or not 0 <= layer < len(self._sizes):
            raise ValueError(f"layer {layer!r} is outside the network (columns 0..{len(self._sizes) - 1})")
        return int(self._offsets[layer]), int(self._offsets[layer + 1])
