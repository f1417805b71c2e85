"""The Training Charts dock: loss, gradient flow, dead neurons and layer statistics per epoch, as pyqtgraph plots.

A dumb view: each chart gets epochs and named series (``set_series``) and draws one curve per series, made once
per set of names and fed with ``setData`` afterwards. Hovering a chart shows the values at the epoch under the mouse.

Speed (a training frame feeds all five charts): a chart that is not on screen (another tab, a closed dock) keeps
the series and draws them when it is shown, so a frame draws only the charts a person sees; the grid is drawn in
opaque colours behind the curves (``OpaqueGridAxis``: translucent lines cost Qt's raster engine ~15× more) and the
axes keep a pixmap of themselves until their ticks change (exports switch that cache off and stay vectors). The
epoch axis ends at a round number ahead of the last epoch (``epoch_axis_end``) instead of at the last epoch, and the
value axis spans the data out to round numbers (``value_axis_window``) instead of pyqtgraph's automatic range, so
both axes' ticks are drawn again every few epochs rather than on every frame (pyqtgraph's automatic range moved on
every epoch and painted the chart twice a frame: a training frame took 48 ms instead of 34). A person's zoom or pan
keeps the value axis where they put it until the chart's "A" button gives it back.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QFontMetricsF, QShowEvent
from PySide6.QtWidgets import QCheckBox, QGraphicsItem, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from neuroviz.views.activation_plot import OpaqueGridAxis
from neuroviz.views.colors import theme


def epoch_axis_end(last: float) -> float:
    """Where the epoch axis ends when the last epoch is ``last``: the next multiple of half its power of ten
    (7 → 7, 11 → 15, 37 → 40, 101 → 150, 1001 → 1500), so the axis moves every few epochs, not on every one."""
    if last <= 10:
        return float(max(1, math.ceil(last)))
    step = 10.0 ** math.floor(math.log10(last)) / 2.0
    return float(math.ceil(last / step) * step)


def value_axis_window(low: float, high: float, log: bool) -> tuple[float, float]:
    """The value axis' span for data from ``low`` to ``high`` (log: their log10, as the view holds them): out to
    multiples of a fifth of the span's power of ten (0.13–0.71 → 0.12–0.72, 0.03–1.04 → 0–1.2), on a log axis to
    half decades, so that it stays put while the data moves inside it."""
    if log:
        bottom, top = math.floor(2.0 * low) / 2.0, math.ceil(2.0 * high) / 2.0
        return (bottom, top) if top > bottom else (bottom, bottom + 0.5)
    span = high - low
    if not span > 0:
        span = abs(high) or 1.0
    step = 10.0 ** math.floor(math.log10(span)) / 5.0
    bottom, top = math.floor(low / step) * step, math.ceil(high / step) * step
    return (bottom, top) if top > bottom else (bottom, bottom + step)


#: Colours of the series in order (colour-blind safe, readable on light and dark backgrounds).
SERIES_COLORS = ("#0877bd", "#f59322", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f")


class EpochAxis(OpaqueGridAxis):
    """An epoch axis: ticks on whole epochs only (no "1.5" or "2.5" when a few epochs fill the chart); its grid
    lines opaque, behind the curves, as every SeriesChart axis."""

    def tickSpacing(self, minVal: float, maxVal: float, size: float):  # pyqtgraph calls it by these names
        whole = [(spacing, offset) for spacing, offset in super().tickSpacing(minVal, maxVal, size) if spacing >= 1]
        return whole or [(1.0, 0.0)]


class ValueAxis(OpaqueGridAxis):
    """A value axis (opaque grid behind the curves) whose log scale labels only as many of 2, 3, …, 9 × 10ⁿ as fit
    a line of text apart.

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


#: The longest curve name the layer statistics' key writes out (longer ones end in "…"; the tooltip has them all).
KEY_NAME_CHARACTERS = 24
#: Epochs drawn per pixel column of a long run (pyqtgraph's peak downsampling: a low and a high per bucket).
SAMPLES_PER_PIXEL = 0.5


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
        axes = {"left": ValueAxis("left"), "bottom": EpochAxis("bottom")}
        self.plot = pg.PlotWidget(axisItems=axes)
        for axis in axes.values():  # blitted from a pixmap while the ticks stay (a curve's redraw repaints them)
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        self.plot.setLabel("bottom", "epoch")
        self.plot.setLabel("left", y_label)
        self.plot.setLogMode(False, log_default)
        self.legend = self.plot.addLegend(offset=(-10, 10)) if legend else None
        layout.addWidget(self.plot, 1)
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._epochs = np.empty(0)
        self._series: dict[str, np.ndarray] = {}
        self._styles: dict[str, Qt.PenStyle] = {}
        self._dashed: tuple[str, ...] = ()
        self._pending = False  # series given while the chart was not on screen, not drawn yet
        self._x_window: tuple[float, float] | None = None
        self._y_window: tuple[float, float] | None = None
        #: the value axis follows the data (value_axis_window) until a person zooms or pans it
        self._y_follows = True
        view = self.plot.getViewBox()
        view.disableAutoRange(axis=pg.ViewBox.YAxis)
        view.sigRangeChangedManually.connect(self._on_range_changed_by_hand)
        self.plot.getPlotItem().autoBtn.clicked.connect(self._on_auto_range_button)  # after pyqtgraph's own slot
        self._dark = False
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)

    def set_series(self, epochs: np.ndarray, series: dict[str, np.ndarray], dashed: tuple[str, ...] = ()) -> None:
        """Draw ``series[name][i]`` at ``epochs[i]``; names in ``dashed`` are drawn dashed (test numbers).

        While the chart is hidden in a window on screen (a tab behind another, a closed dock) the series are only
        kept, and drawn when it is shown; a plot drawn on its own (an export, an animation) or in a window that is
        not shown draws at once."""
        self._epochs = np.asarray(epochs, dtype=np.float64)
        self._series = {name: np.asarray(values, dtype=np.float64) for name, values in series.items()}
        self._dashed = tuple(dashed)
        if list(self._curves) != list(series) or any(self._styles.get(n) != (n in dashed) for n in series):
            self._rebuild(self._dashed)  # new names: curves, legend and shared key follow at once (rare, cheap)
        self._pending = True
        if self.plot.isVisible() or not self.window().isVisible():  # hidden in a shown window: drawn when shown
            self._draw()

    def showEvent(self, event: QShowEvent) -> None:
        """Draw what came while the chart was hidden (another tab, a closed dock)."""
        self._draw()
        super().showEvent(event)

    def _draw(self) -> None:
        if not self._pending:
            return
        self._pending = False
        for name, curve in self._curves.items():
            values = self._series[name]
            shown = values if not self.log_box.isChecked() else np.where(values > 0, values, np.nan)
            curve.setData(self._epochs, shown, connect="finite")
        self._set_epoch_window()
        self._set_value_window()

    def _set_value_window(self) -> None:
        """The value axis around every drawn value, out to round numbers (set only when that changes)."""
        if not self._y_follows:
            return
        log = self.log_box.isChecked()
        values = np.concatenate([np.empty(0), *self._series.values()])
        values = values[np.isfinite(values) & (values > 0)] if log else values[np.isfinite(values)]
        if not values.size:
            return
        if log:
            values = np.log10(values)
        window = value_axis_window(float(values.min()), float(values.max()), log)
        if window != self._y_window:
            self._y_window = window
            self.plot.setYRange(*window)  # pyqtgraph's padding for the plot's size: room for the end labels

    def _on_range_changed_by_hand(self, changed: list[bool]) -> None:
        """A zoom or pan by mouse: the value axis stays where the person put it."""
        if len(changed) > 1 and changed[1]:
            self._y_follows = False

    def _on_auto_range_button(self, _button: object = None) -> None:
        """pyqtgraph's "A" button: the axes follow the data again, in round numbers."""
        self.plot.getViewBox().disableAutoRange(axis=pg.ViewBox.YAxis)
        self._y_follows, self._y_window, self._x_window = True, None, None
        self._pending = True
        self._draw()

    def _set_epoch_window(self) -> None:
        """The epoch axis from the first epoch to ``epoch_axis_end`` of the last (set only when that changes)."""
        if not self._epochs.size:
            self._x_window = None
            self.plot.enableAutoRange(x=True)
            return
        window = (float(self._epochs[0]), max(epoch_axis_end(float(self._epochs[-1])), float(self._epochs[0]) + 1))
        if window != self._x_window:
            self._x_window = window
            self.plot.setXRange(*window, padding=0.02)

    def epoch_window(self) -> tuple[float, float] | None:
        """The first and last epoch the epoch axis spans (before its small margin), None while there is no data."""
        self._draw()
        return self._x_window

    def series(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The (epochs, values) drawn for ``name`` (for tests and exports), drawn first if they were waiting."""
        self._draw()
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
            axis.set_background(th.background)
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
            curve = self.plot.plot([], [], pen=pen, name=name)
            # A long run is drawn through the lowest and highest value of every two pixel columns (spikes stay):
            # a line through every epoch made the chart's paint grow with the run, 4 ms at 200 epochs, 36 ms at
            # 5,000 and 59 ms at 20,000 (pyqtgraph's own factor, 5 samples a pixel, left 36 ms); now 10 ms at most
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            curve.opts["autoDownsampleFactor"] = SAMPLES_PER_PIXEL
            self._curves[name] = curve
            self._styles[name] = name in dashed
        self.namesChanged.emit()

    def key_html(self, longest: int = KEY_NAME_CHARACTERS) -> str:
        """Each curve's name in its colour (a key shared by charts that draw the same series); names longer than
        ``longest`` characters end in "…", so that one long layer name cannot widen the dock and the window."""
        return " &nbsp; ".join(
            f"<span style='color:{curve.opts['pen'].color().name()}'>━</span>&nbsp;"
            f"{html.escape(name if len(name) <= longest else name[: longest - 1] + '…')}"
            for name, curve in self._curves.items()
        )

    def _on_log_toggled(self, on: bool) -> None:
        self.plot.setLogMode(False, on)
        self._y_window = None  # the view's values are now (or no longer) log10s
        self.set_series(self._epochs, self._series, self._dashed)

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
        self.stats_key.setMinimumWidth(1)  # the key wraps; its words never set the window's width
        self.means.namesChanged.connect(self._show_stats_key)
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

    def _show_stats_key(self) -> None:
        self.stats_key.setText(self.means.key_html())
        self.stats_key.setToolTip("\n".join(self.means.names()))

    def charts(self) -> tuple[SeriesChart, ...]:
        return self.loss, self.gradients, self.dead, self.means, self.stds

    def set_dark(self, dark: bool) -> None:
        for chart in self.charts():
            chart.set_dark(dark)
