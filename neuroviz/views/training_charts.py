"""The Training Charts dock: loss, gradient flow, dead neurons and layer statistics per epoch, as pyqtgraph plots.

A dumb view: each chart gets epochs and named series (``set_series``) and draws one curve per series, made once
per set of names and fed with ``setData`` afterwards. Hovering a chart shows the values at the epoch under the mouse.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from neuroviz.views.colors import theme

#: Colours of the series in order (colour-blind safe, readable on light and dark backgrounds).
SERIES_COLORS = ("#0877bd", "#f59322", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f")


class EpochAxis(pg.AxisItem):
    """An epoch axis: ticks on whole epochs only (no "1.5" or "2.5" when a few epochs fill the chart)."""

    def tickSpacing(self, minVal: float, maxVal: float, size: float):  # pyqtgraph calls it by these names
        whole = [(spacing, offset) for spacing, offset in super().tickSpacing(minVal, maxVal, size) if spacing >= 1]
        return whole or [(1.0, 0.0)]


class ValueAxis(pg.AxisItem):
    """A value axis whose log scale labels only as many of 2, 3, …, 9 × 10ⁿ as fit a line of text apart.

    pyqtgraph labels every one of them when the curves span about a decade, and in a dock's height they run together
    ("0.09" on "0.1"). The decades stay; then 2 and 5, or 3, as the room allows.
    """

    MANTISSAS = ((1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 5), (1, 2, 5), (1, 3), (1,))

    def logTickValues(self, minVal: float, maxVal: float, size: float, stdTicks):  # pyqtgraph's names
        ticks = super().logTickValues(minVal, maxVal, size, stdTicks)
        if maxVal <= minVal or size <= 0:
            return ticks
        per_decade = size / (maxVal - minVal)
        room = QFontMetricsF(self.font()).height()
        for mantissas in self.MANTISSAS:
            gaps = np.diff(np.log10([*mantissas, 10]))
            if gaps.min() * per_decade >= room:
                break
        kept = np.log10(mantissas)
        return [
            (spacing, values if spacing is not None else [v for v in values if np.isclose(kept, v % 1).any()])
            for spacing, values in ticks
        ]


class SeriesChart(QWidget):
    """One plot of per-epoch series with a legend, an optional log scale and a hover read-out."""

    #: The series were replaced by others (new names): a shared key (``key_html``) is out of date.
    namesChanged = Signal()

    def __init__(self, y_label: str, log_option: bool, log_default: bool = False, legend: bool = True) -> None:
        """``legend`` False: no legend in the plot (a shared key beside several charts names the curves)."""
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        top = QHBoxLayout()
        self.readout = QLabel(" ")
        self.readout.setObjectName("chartReadout")
        top.addWidget(self.readout, 1)
        self.log_box = QCheckBox("Log scale")
        self.log_box.setToolTip("A logarithmic value axis: equal ratios look equal")
        self.log_box.setChecked(log_default)
        self.log_box.setVisible(log_option)
        self.log_box.toggled.connect(self._on_log_toggled)
        top.addWidget(self.log_box)
        layout.addLayout(top)
        self.plot = pg.PlotWidget(axisItems={"bottom": EpochAxis("bottom"), "left": ValueAxis("left")})
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        self.plot.setLabel("bottom", "epoch")
        self.plot.setLabel("left", y_label)
        self.plot.setLogMode(False, log_default)
        self.plot.getAxis("left").enableAutoSIPrefix(False)  # a loss of 0.9 reads 0.9, not 900 × 0.001
        self.legend = self.plot.addLegend(offset=(-10, 10)) if legend else None
        layout.addWidget(self.plot, 1)
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._epochs = np.empty(0)
        self._series: dict[str, np.ndarray] = {}
        self._styles: dict[str, Qt.PenStyle] = {}
        self._dark = False
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)

    def set_series(self, epochs: np.ndarray, series: dict[str, np.ndarray], dashed: tuple[str, ...] = ()) -> None:
        """Draw ``series[name][i]`` at ``epochs[i]``; names in ``dashed`` are drawn dashed (test numbers)."""
        self._epochs = np.asarray(epochs, dtype=np.float64)
        self._series = {name: np.asarray(values, dtype=np.float64) for name, values in series.items()}
        if list(self._curves) != list(series) or any(self._styles.get(n) != (n in dashed) for n in series):
            self._rebuild(dashed)
        for name, curve in self._curves.items():
            values = self._series[name]
            shown = values if not self.log_box.isChecked() else np.where(values > 0, values, np.nan)
            curve.setData(self._epochs, shown, connect="finite")

    def series(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The (epochs, values) drawn for ``name`` (for tests and exports)."""
        curve = self._curves[name]  # xData/yData: the values given, before the log scale maps them
        return (np.empty(0), np.empty(0)) if curve.xData is None else (curve.xData.copy(), curve.yData.copy())

    def names(self) -> list[str]:
        return list(self._curves)

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        th = theme(dark)
        self.plot.setBackground(th.background)
        for side in ("left", "bottom"):
            axis = self.plot.getAxis(side)
            axis.setPen(pg.mkPen(th.muted))
            axis.setTextPen(pg.mkPen(th.foreground))
        if self.legend is not None:
            self.legend.setLabelTextColor(th.foreground)  # names added later; pyqtgraph leaves drawn ones as they are
            for _sample, label in self.legend.items:
                label.setText(label.text, color=th.foreground)
            backdrop = pg.mkColor(th.background)
            backdrop.setAlpha(215)  # curves run under the legend: keep its names readable, the curves faintly seen
            self.legend.setBrush(pg.mkBrush(backdrop))

    def _rebuild(self, dashed: tuple[str, ...]) -> None:
        for curve in self._curves.values():
            self.plot.removeItem(curve)
        if self.legend is not None:
            self.legend.clear()
        self._curves, self._styles = {}, {}
        for index, name in enumerate(self._series):
            style = Qt.PenStyle.DashLine if name in dashed else Qt.PenStyle.SolidLine
            base = name.replace(" (test)", "")
            order = list(dict.fromkeys(n.replace(" (test)", "") for n in self._series))
            color = SERIES_COLORS[order.index(base) % len(SERIES_COLORS)] if dashed else SERIES_COLORS[index % 9]
            pen = pg.mkPen(color, width=2, style=style)
            self._curves[name] = self.plot.plot([], [], pen=pen, name=name)
            self._styles[name] = name in dashed
        self.namesChanged.emit()

    def key_html(self) -> str:
        """Each curve's name in its colour (a key shared by charts that draw the same series)."""
        return " &nbsp; ".join(
            f"<span style='color:{curve.opts['pen'].color().name()}'>━</span>&nbsp;{name}"
            for name, curve in self._curves.items()
        )

    def _on_log_toggled(self, on: bool) -> None:
        self.plot.setLogMode(False, on)
        self.set_series(self._epochs, self._series, tuple(n for n, d in self._styles.items() if d))

    def readout_at(self, epoch: float) -> str:
        """The values at the epoch nearest ``epoch``, as the hover read-out shows them."""
        if not len(self._epochs):
            return " "
        i = int(np.argmin(np.abs(self._epochs - epoch)))
        parts = [f"epoch {int(self._epochs[i])}"]
        parts += [f"{name} {values[i]:.4g}" for name, values in self._series.items() if i < len(values)]
        return " · ".join(parts)

    def _on_mouse_moved(self, position: QPointF) -> None:
        if not self.plot.sceneBoundingRect().contains(position):
            return
        epoch = self.plot.getPlotItem().vb.mapSceneToView(position).x()
        self.readout.setText(self.readout_at(epoch))


class TrainingCharts(QTabWidget):
    """Loss | Gradient flow | Dead neurons | Layer statistics."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loss = SeriesChart("loss · accuracy", log_option=True)
        self.gradients = SeriesChart("mean ‖∂L/∂W‖", log_option=True, log_default=True)
        self.dead = SeriesChart("share of points dead", log_option=False)
        self.means = SeriesChart("mean of activations", log_option=False, legend=False)
        self.stds = SeriesChart("std of activations", log_option=False, legend=False)
        self.stats = stats = QWidget()  # both statistics charts and their key: one tab, one exported picture
        column = QVBoxLayout(stats)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        # one key for both charts, above them: a legend inside each would cover the curves of a deep network
        self.stats_key = QLabel()
        self.stats_key.setObjectName("layerStatisticsKey")
        self.stats_key.setWordWrap(True)
        self.stats_key.setTextFormat(Qt.TextFormat.RichText)
        self.stats_key.setContentsMargins(6, 3, 6, 3)  # off the picture's edge, as the charts below are
        self.means.namesChanged.connect(lambda: self.stats_key.setText(self.means.key_html()))
        column.addWidget(self.stats_key)
        row = QHBoxLayout()
        row.addWidget(self.means)
        row.addWidget(self.stds)
        column.addLayout(row, 1)
        for widget, title, tip in (
            (self.loss, "Loss", "Training (solid) and test (dashed) loss and accuracy per epoch"),
            (self.gradients, "Gradient flow", "Each layer's gradient magnitude per epoch: who is learning"),
            (self.dead, "Dead neurons", "Share of training points on which ReLU-like neurons output 0 with slope 0"),
            (stats, "Layer statistics", "Mean and standard deviation of each layer's activations over the data"),
        ):
            self.setTabToolTip(self.addTab(widget, title), tip)

    def page(self, key: str) -> QWidget:
        """The tab that shows the chart exported as ``key`` ("loss", "gradients", "dead", "stats")."""
        return {"loss": self.loss, "gradients": self.gradients, "dead": self.dead, "stats": self.stats}[key]

    def charts(self) -> tuple[SeriesChart, ...]:
        return self.loss, self.gradients, self.dead, self.means, self.stds

    def set_dark(self, dark: bool) -> None:
        for chart in self.charts():
            chart.set_dark(dark)
