"""The footer: the colour bar, the meaning of the marks, the note about links left out."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QLinearGradient, QPainter, QPen
from PySide6.QtWidgets import QGraphicsObject

from neuroviz.views.colors import DivergingColorMap, Theme, theme
from neuroviz.views.network_view.style import (
    LEFT,
    NAN,
    NEG_INF,
    POS_INF,
    RIGHT,
    TOP,
    VCENTER,
    format_value,
    hatch_brush,
    nonfinite_fill,
    text_flags,
)


class LegendLayout(NamedTuple):
    """Where the footer's parts go: the colour-bar block (title, bar, ticks, link scale) on the right, the marks'
    samples in one or two rows on the left of it, the LOD note below them; nothing overlaps."""

    bar: QRectF  # the gradient itself
    block: QRectF  # everything that belongs to the colour bar
    marks: list[tuple[str, str, QPointF, QRectF]]  # (kind, label, sample centre, sample and label)
    notice: QRectF  # where the LOD note goes (elided to its width)


class Legend(QGraphicsObject):
    """The footer: colour bar ("activation", -limit, 0, +limit), the meaning of the marks, the LOD note.

    When the view is too narrow for the marks beside the colour bar they wrap into a second row; those that do not
    fit in two rows are left out (a neuron's tooltip names its state), so no sample is drawn over the colour bar.
    """

    BAR_WIDTH = 150.0
    BAR_HEIGHT = 10.0
    MARKS = (
        ("dead", "dead"),
        ("never", "dead everywhere"),
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
        self._link_name = "link scale"
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

    def set_link_name(self, name: str) -> None:
        """What the link scale measures: "link scale" (weights, signals) or "∂L/∂w scale" (gradients)."""
        if name != self._link_name:
            self.prepareGeometryChange()
            self._link_name = name
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
        return f"{self._link_name} ±{format_value(self._edge_limit)}"

    def mark_texts(self) -> list[str]:
        """The marks the footer explains (those that fit), in order."""
        return [label for _, label, _, _ in self.layout().marks]

    def layout(self) -> LegendLayout:
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
        return LegendLayout(bar, block, marks, notice)

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
            painter.drawText(box.adjusted(18.0, 0.0, 0.0, 0.0), text_flags(LEFT, VCENTER), label)
        notice = self.shown_notice()
        if notice:
            painter.setPen(QColor(self._theme.muted))
            painter.drawText(layout.notice, text_flags(LEFT, VCENTER), notice)

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
            painter.drawText(QRectF(bar.left() + k * third, top, third, line), text_flags(align, TOP), text)
        title = QRectF(bar.left() - 208.0, bar.center().y() - line / 2, 200.0, line)
        painter.setPen(QColor(th.foreground))
        painter.drawText(title, text_flags(RIGHT, VCENTER), "activation")
        painter.setPen(QColor(th.muted))  # links share the colours, on their own scale
        links = QRectF(bar.right() - 200.0, top + line, 200.0, line)
        painter.drawText(links, text_flags(RIGHT, TOP), self.link_scale_text())

    def _paint_sample(self, painter: QPainter, kind: str, centre: QPointF) -> None:
        th, radius = self._theme, self.SAMPLE_RADIUS
        code = {"nan": NAN, "+inf": POS_INF, "-inf": NEG_INF}.get(kind)
        fill = nonfinite_fill(th, code) if code is not None else QColor(th.neutral)
        painter.setPen(QPen(QColor(th.outline), 1.0))
        painter.setBrush(fill)
        painter.drawEllipse(centre, radius, radius)
        if kind == "dead":
            pen = QPen(QColor(th.dead), 1.6)
            painter.setPen(pen)
            d = radius * 0.6
            painter.drawLine(centre + QPointF(-d, -d), centre + QPointF(d, d))
            painter.drawLine(centre + QPointF(-d, d), centre + QPointF(d, -d))
        elif kind == "never":  # dead for every input on the map: a circle struck through (style.never_symbol)
            painter.setPen(QPen(QColor(th.dead), 1.4))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, radius * 0.84, radius * 0.84)
            d = radius * 0.84 * 0.7071
            painter.drawLine(centre + QPointF(-d, d), centre + QPointF(d, -d))
        elif kind == "saturated":
            painter.setPen(QPen(QColor(th.saturated), 2.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, radius + 1.5, radius + 1.5)
        elif code is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(hatch_brush(th, code))
            painter.drawEllipse(centre, radius, radius)
        elif kind == "sel":
            painter.setPen(QPen(QColor(th.selection), 1.8))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, radius + 2.5, radius + 2.5)
