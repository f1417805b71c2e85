"""What the network view tells about what it draws: colours, labels, marks, pictures, places, for tests, the
controller and exports. A mixin of :class:`~neuroviz.views.network_view.view.NetworkView`, kept apart so the
widget's module holds the drawing; it only reads the view's state."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QPointF, QRectF
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGraphicsScene

from neuroviz.views.network_view.focus import edge_at, header_at, neuron_at
from neuroviz.views.network_view.layout import MIN_RADIUS


class ViewQueries:
    """Read-only questions about the drawn picture (scene coordinates = viewport pixels)."""

    def neuron_colors(self, layer: int) -> list[QColor]:
        """The fill colours currently given to column ``layer``."""
        lo, hi = self._column_slice(layer)
        return [QColor(self._cmap.colors[row]) for row in self._rows[lo:hi]]

    def label_rect(self, layer: int, index: int) -> QRectF | None:
        """Where the label of a neuron is written, or None when it has none."""
        self._check_neuron(layer, index)
        rect = self._placed.rects.get(int(self._offsets[layer] + index))
        return None if rect is None else QRectF(rect)

    def neuron_labels(self, layer: int) -> list[str]:
        """The label text shown on each neuron of column ``layer`` ('' where none is shown)."""
        lo, hi = self._column_slice(layer)
        return [str(t) for t in self._placed.texts[lo:hi]]

    def dead_everywhere_marks(self, layer: int) -> np.ndarray:
        """True where column ``layer`` shows the "dead everywhere on the map" mark (⊘, or its bar in a strip)."""
        lo, hi = self._column_slice(layer)
        return self._everywhere()[lo:hi].copy()

    def map_picture_rect(self, layer: int, index: int) -> QRectF | None:
        """Where a neuron's map picture is drawn (scene = viewport pixels), or None when it shows none."""
        self._check_neuron(layer, index)
        return self._thumbnails.picture_rect(layer, index) if self._thumbnails.shown() else None

    def map_marker_position(self, layer: int, index: int) -> QPointF | None:
        """Centre of the current input's marker in a neuron's map picture, or None."""
        self._check_neuron(layer, index)
        return self._thumbnails.marker_position(layer, index) if self._thumbnails.shown() else None

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
        if layer > len(self._links.drawn):
            return np.zeros((0, 2), dtype=np.intp)
        source, target = self._links.drawn[layer - 1]
        return np.column_stack([source, target])

    def drawn_edge_count(self) -> int:
        return self._links.drawn_count

    def hidden_edge_count(self) -> int:
        return self._links.total - self._links.drawn_count

    def lod_notice(self) -> str:
        """The footer note about hidden links ('' when every link is drawn)."""
        return self._legend.notice()

    def shown_lod_notice(self) -> str:
        """``lod_notice`` as the footer writes it: shortened or elided where the view is narrow."""
        return self._legend.shown_notice()

    def link_scale_text(self) -> str:
        """The legend's link scale as written, e.g. "∂L/∂w scale ±0.05"."""
        return self._legend.link_scale_text()

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
            return float(self._geo.layout.radii.min()) if self._sizes else MIN_RADIUS
        self._column_slice(layer)
        return float(self._geo.layout.radii[layer])

    def drawn_as_strip(self, layer: int) -> bool:
        """Whether column ``layer`` is too crowded for dots and drawn as a heat strip."""
        self._column_slice(layer)
        return bool(self._geo.layout.strips[layer])

    def strip_width(self) -> float:
        """Width of the bars of heat-strip columns."""
        return self._geo.layout.strip_width

    def neuron_position(self, layer: int, index: int) -> QPointF:
        """Centre of a neuron, in the coordinates ``neuron_at``/``edge_at`` take (scene = viewport pixels)."""
        self._check_neuron(layer, index)
        n = self._geo.neuron(layer, index)
        return QPointF(float(self._geo.px[n]), float(self._geo.py[n]))

    def neuron_at(self, pos: QPointF | QPoint | tuple[float, float]) -> tuple[int, int] | None:
        """(layer, index) of the neuron under ``pos``, or None."""
        return neuron_at(self._geo, pos)

    def edge_at(self, pos: QPointF | QPoint | tuple[float, float]) -> tuple[int, int, int] | None:
        """(layer, source, target) of the drawn link nearest ``pos`` within a few pixels, or None.

        Only the links between the two columns around ``pos`` are searched."""
        return edge_at(self._geo, self._links.drawn, pos)

    def header_at(self, pos: QPointF | QPoint | tuple[float, float]) -> int | None:
        """The column whose header is under ``pos``, or None."""
        return header_at(self._header_rects, pos)
