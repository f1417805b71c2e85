"""Column titles: each within its own column's room, so that no two ever overlap."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF

from neuroviz.views.colors import Theme
from neuroviz.views.network_view.items import Text
from neuroviz.views.network_view.layout import (
    HEADER_FONT_PX,
    HEADER_GAP_PX,
    HEADER_LINE_PX,
    HEADER_MAX_WIDTH,
    HEADER_MIN_FONT_PX,
    HEADER_SHARED_MIN_FONT_PX,
    Layout,
)
from neuroviz.views.network_view.style import pixel_font


def header_entries(headers: Sequence[str], lay: Layout, th: Theme) -> tuple[list[Text], list[QRectF]]:
    """The header lines to paint, and the rect each column's header takes.

    All lines share the largest size at which they fit (not below ``HEADER_SHARED_MIN_FONT_PX``); a line that
    needs less gets its own smaller size, down to ``HEADER_MIN_FONT_PX``; below that a "name · size" line
    drops its size (the tooltip has it), and only then is a line elided.
    """
    metrics = {size: QFontMetricsF(pixel_font(size)) for size in range(HEADER_MIN_FONT_PX, HEADER_FONT_PX + 1)}
    rects = header_column_rects(lay)
    lines = [
        [header_line(metrics, line, rect.width()) for line in header.split("\n")]
        for header, rect in zip(headers, rects, strict=True)
    ]
    smallest = min((size for column in lines for _, size in column), default=HEADER_FONT_PX)
    shared = max(smallest, HEADER_SHARED_MIN_FONT_PX)
    entries, header_rects = [], []
    for rect, column in zip(rects, lines, strict=True):
        for line_no, (line, fit) in enumerate(column):
            size = min(shared, fit)
            text = metrics[size].elidedText(line, Qt.TextElideMode.ElideRight, rect.width())
            line_rect = QRectF(rect.left(), lay.header_top + line_no * HEADER_LINE_PX, rect.width(), HEADER_LINE_PX)
            entries.append(Text(line_rect, text, QColor(th.foreground if line_no == 0 else th.muted), size))
        header_rects.append(QRectF(rect.left(), lay.header_top, rect.width(), len(column) * HEADER_LINE_PX))
    return entries, header_rects


def header_column_rects(lay: Layout) -> list[QRectF]:
    """Per column, the room its header may take: centred on it, HEADER_GAP_PX short of its neighbours'
    rooms, at most HEADER_MAX_WIDTH wide, and cut (not shifted) at the view's edges."""
    width = min(lay.spacing - HEADER_GAP_PX, HEADER_MAX_WIDTH) if lay.xs.size > 1 else HEADER_MAX_WIDTH
    rects = []
    for x in lay.xs:
        left, right = max(x - width / 2.0, 2.0), min(x + width / 2.0, lay.width - 2.0)
        rects.append(QRectF(left, lay.header_top, max(right - left, 1.0), HEADER_LINE_PX))
    return rects


def count_header_lines(headers: Sequence[str]) -> int:
    return max((h.count("\n") + 1 for h in headers), default=1)


def header_line(metrics: dict[int, QFontMetricsF], line: str, width: float) -> tuple[str, int]:
    """(text, pixel size) of a header line in ``width``: the line at the size it fits, or, if it does not fit even
    at the smallest, without its " · size" part ("12 · 24" becomes "12"); elided later if still too long."""
    size = fitting_size(metrics, line, width)
    if " · " in line and metrics[size].horizontalAdvance(line) > width:
        line = line.split(" · ")[0]
        size = fitting_size(metrics, line, width)
    return line, size


def fitting_size(metrics: dict[int, QFontMetricsF], text: str, width: float) -> int:
    """The largest header pixel size at which ``text`` fits ``width`` (the smallest if none does)."""
    for size in sorted(metrics, reverse=True):
        if metrics[size].horizontalAdvance(text) <= width:
            return size
    return min(metrics)
