"""The outputs chart: one bar per output neuron; probabilities on a fixed 0..1 axis, the winner highlighted.

A dumb view: the controller passes the output layer's values and says whether they are probabilities
(softmax, sigmoid, sparsemax outputs). One BarGraphItem is created once and updated with setOpts; value
labels are a pool of TextItems that only grows when the number of outputs does.

Non-finite outputs cannot be drawn as bars of their height: they are drawn as full-height hatched bars
in a warning colour with the text "NaN", "∞" or "−∞".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QWidget

from neuroviz.views import colors

__all__ = ["ChartColors", "OutputsChart", "chart_colors", "format_value"]

pg.setConfigOptions(antialias=True, imageAxisOrder="row-major")


@dataclass(frozen=True)
class ChartColors:
    """The chart's colours, taken from the shared theme so bars mean what neurons mean."""

    background: str
    foreground: str
    positive: str  # raw outputs ≥ 0
    negative: str  # raw outputs < 0
    probability: QColor  # probabilities other than the most likely: a pale positive colour
    most_likely: str  # the highlighted probability
    nonfinite: str  # NaN / ±∞ marker bars


def chart_colors(dark: bool) -> ChartColors:
    th = colors.theme(dark)
    return ChartColors(
        background=th.background,
        foreground=th.foreground,
        positive=th.positive,
        negative=th.negative,
        probability=colors.mix(th.positive, th.background, 0.6),
        most_likely=th.positive,
        nonfinite=th.nonfinite,
    )


#: Labels are written on every bar up to this many outputs; beyond, only on the highlighted one.
MAX_LABELLED_BARS = 16
BAR_WIDTH = 0.7


def format_value(value: float) -> str:
    """Compact text for a bar: ``0.73``, ``12.3``, ``-1234``, ``1.2e+04``, ``NaN``, ``∞``, ``−∞``."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if value != 0 and (abs(value) >= 1e4 or abs(value) < 1e-3):
        return f"{value:.2g}"
    if abs(value) >= 1000:
        return f"{value:.0f}"
    return f"{value:.3g}" if abs(value) >= 1 else f"{value:.2f}"


class OutputsChart(pg.PlotWidget):
    """A bar chart of the output layer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dark = False
        self._values = np.zeros(0)
        self._labels: list[str] = []
        self._probabilities = False
        self._highlight: int | None = None
        self._heights = np.zeros(0)
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.showGrid(y=True, alpha=0.15)
        self.setMouseEnabled(x=False, y=False)
        self.setMinimumSize(200, 150)
        self.setToolTip("The output layer: one bar per output neuron.")
        self._zero = pg.InfiniteLine(pos=0, angle=0, movable=False)
        item.addItem(self._zero, ignoreBounds=True)
        self._bars = pg.BarGraphItem(x=[], height=[], width=BAR_WIDTH)
        item.addItem(self._bars)
        self._texts: list[pg.TextItem] = []
        self._bold = QFont()
        self._bold.setBold(True)
        self._apply_theme()

    # -- data ------------------------------------------------------------------------------------------------
    def set_outputs(self, values: np.ndarray, labels: Sequence[str], probabilities: bool) -> None:
        """Show the outputs; ``probabilities`` fixes the axis to 0..1 and highlights the most likely one."""
        values = np.asarray(values, dtype=np.float64).ravel()
        if len(labels) != values.size:
            raise ValueError(
                f"OutputsChart.set_outputs: got {values.size} values but {len(labels)} labels; "
                "give one label per output"
            )
        self._values = values
        self._labels = [str(label) for label in labels]
        self._probabilities = bool(probabilities)
        finite = np.isfinite(values)
        self._highlight = (
            int(np.argmax(np.where(finite, values, -np.inf))) if probabilities and finite.any() else None
        )
        self._redraw()

    def set_dark(self, dark: bool) -> None:
        self._dark = bool(dark)
        self._apply_theme()
        self._redraw()

    def is_dark(self) -> bool:
        return self._dark

    # -- accessors -------------------------------------------------------------------------------------------
    def bar_heights(self) -> np.ndarray:
        """The heights drawn (non-finite outputs: the full-height marker bar, signed)."""
        return self._heights.copy()

    def highlighted_index(self) -> int | None:
        return self._highlight

    def bar_colors(self) -> list[QColor]:
        return [QColor(b.color()) for b in self._bars.opts.get("brushes") or []]

    def value_texts(self) -> list[str]:
        """The text shown over each bar ('' where none is shown)."""
        return [t.toPlainText() if t.isVisible() else "" for t in self._texts[: self._values.size]]

    def y_window(self) -> tuple[float, float]:
        _, (low, high) = self.getPlotItem().getViewBox().viewRange()
        return float(low), float(high)

    def y_label(self) -> str:
        return self.getPlotItem().getAxis("left").labelText

    # -- internals -------------------------------------------------------------------------------------------
    def _window(self) -> tuple[float, float]:
        if self._probabilities:
            return 0.0, 1.0
        finite = self._values[np.isfinite(self._values)]
        low = min(float(finite.min()), 0.0) if finite.size else 0.0
        high = max(float(finite.max()), 0.0) if finite.size else 1.0
        if high - low < 1e-12:
            high = low + 1.0
        return low, high

    def _redraw(self) -> None:
        palette = chart_colors(self._dark)
        foreground, negative, marker = palette.foreground, palette.negative, palette.nonfinite
        positive = palette.probability if self._probabilities else palette.positive
        values, n = self._values, self._values.size
        low, high = self._window()
        span = high - low
        finite = np.isfinite(values)
        # Non-finite outputs: full-height bars (downwards for −∞) so they cannot be missed.
        marker_heights = np.where(np.isneginf(values), low if low < 0 else -span, high)
        heights = np.where(finite, values, marker_heights)
        self._heights = heights
        brushes = []
        for i, value in enumerate(values):
            if not finite[i]:
                brushes.append(QBrush(QColor(marker), Qt.BrushStyle.BDiagPattern))
            elif i == self._highlight:
                brushes.append(pg.mkBrush(palette.most_likely))
            else:
                brushes.append(pg.mkBrush(positive if value >= 0 else negative))
        pens = [pg.mkPen(marker, width=1.5) if not finite[i] else pg.mkPen(None) for i in range(n)]
        if n == 0:
            # pyqtgraph 0.14.0's BarGraphItem fails on empty pen/brush lists (UnboundLocalError)
            brushes = pens = None
        self._bars.setOpts(
            x=np.arange(n, dtype=float), height=heights, width=BAR_WIDTH, brushes=brushes, pens=pens
        )

        item = self.getPlotItem()
        item.getAxis("bottom").setTicks([[(i, label) for i, label in enumerate(self._labels)]])
        item.setLabel("left", "probability" if self._probabilities else "output")
        pad = 0.18 * span  # room for the value labels
        view = item.getViewBox()
        view.disableAutoRange()
        view.setRange(
            xRange=(-0.6, max(n - 1, 0) + 0.6),
            yRange=(low - (pad if low < 0 else 0.03 * span), high + pad),
            padding=0.0,
        )
        self._place_texts(values, heights, foreground, marker, span)

    def _place_texts(
        self, values: np.ndarray, heights: np.ndarray, foreground: str, marker: str, span: float
    ):
        while len(self._texts) < values.size:
            text = pg.TextItem(anchor=(0.5, 1.0))
            self.getPlotItem().addItem(text, ignoreBounds=True)
            self._texts.append(text)
        normal = QFont()
        for i, text in enumerate(self._texts):
            if i >= values.size:
                text.setVisible(False)
                continue
            value = values[i]
            shown = not np.isfinite(value) or i == self._highlight or values.size <= MAX_LABELLED_BARS
            text.setVisible(bool(shown))
            if not shown:
                continue
            text.setText(format_value(value), color=marker if not np.isfinite(value) else foreground)
            text.setFont(self._bold if i == self._highlight or not np.isfinite(value) else normal)
            below = heights[i] < 0
            if np.isfinite(value):
                text.setAnchor((0.5, 0.0) if below else (0.5, 1.0))
                text.setPos(i, heights[i] - 0.02 * span if below else heights[i] + 0.02 * span)
            else:
                text.setAnchor((0.5, 0.5))
                text.setPos(i, heights[i] / 2)  # in the middle of the hatched marker bar

    def _apply_theme(self) -> None:
        palette = chart_colors(self._dark)
        foreground = palette.foreground
        self.setBackground(palette.background)
        item = self.getPlotItem()
        for name in ("bottom", "left"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(foreground))
            axis.setTextPen(pg.mkPen(foreground))
        self._zero.setPen(pg.mkPen(foreground, width=1))
