"""The Map dock's widget: one neuron's map drawn large, in the network view's colour scale, with a choice of the two
inputs on its axes.

A dumb view: it is handed the neuron's values over the grid and the colour limit, colours them with the theme's
diverging map (the same table the network view's neurons use) and says what the person picked: a point
(``pointPicked``) or the inputs on the axes (``axesChosen``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from neuroviz.views import colors
from neuroviz.views.map_plot import BAR_STEPS, MapPlot, rgba_of

__all__ = ["MapView", "diverging_rgba"]


def diverging_rgba(values: np.ndarray, limit: float, dark: bool) -> np.ndarray:
    """``values`` coloured as the network view colours neurons: orange −limit, neutral 0, blue +limit, NaN magenta."""
    cmap = colors.DivergingColorMap.for_theme(colors.theme(dark))
    return rgba_of(cmap.rgb[cmap.indices(values, limit)])


def diverging_bar(limit: float, dark: bool) -> np.ndarray:
    """The colour bar's steps from −limit (first) to +limit (last): the same for every limit (no overflow for
    a limit near the largest float)."""
    return diverging_rgba(np.linspace(-1.0, 1.0, BAR_STEPS), 1.0, dark)[:, :3]


class MapView(QWidget):
    """Two combo boxes (the inputs on x and y) above a :class:`MapPlot`."""

    #: The person clicked or dragged at (x, y) of the map, in the inputs' units.
    pointPicked = Signal(float, float)
    #: The person chose the inputs (indices) shown on x and y; they always differ.
    axesChosen = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values = np.zeros((2, 2))
        self._limit = 1.0
        self.x_combo = QComboBox()
        self.y_combo = QComboBox()
        self.x_combo.setToolTip("The input shown along the horizontal axis; its range is its slider's")
        self.y_combo.setToolTip("The input shown along the vertical axis; its range is its slider's")
        self.x_combo.setObjectName("mapXInput")
        self.y_combo.setObjectName("mapYInput")
        self.axes_row = QWidget()
        row = QHBoxLayout(self.axes_row)
        row.setContentsMargins(6, 4, 6, 0)
        row.addWidget(QLabel("x:"))
        row.addWidget(self.x_combo, 1)
        row.addSpacing(8)
        row.addWidget(QLabel("y:"))
        row.addWidget(self.y_combo, 1)
        self.plot = MapPlot()
        self.plot.setObjectName("mapPlot")
        self.plot.setToolTip("Click or drag to move the two inputs of the axes; the whole network follows")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.axes_row)
        layout.addWidget(self.plot, 1)
        self.plot.pointPicked.connect(self.pointPicked)
        self.x_combo.currentIndexChanged.connect(lambda _i: self._on_combo_changed(self.x_combo))
        self.y_combo.currentIndexChanged.connect(lambda _i: self._on_combo_changed(self.y_combo))
        self._axes = (0, 1)

    # -- what it draws -----------------------------------------------------------------------------------------
    def set_axis_choices(self, names: Sequence[str], x: int, y: int, choosable: bool = True) -> None:
        """The inputs offered on the axes and the chosen ones; ``choosable=False`` hides the choice (plane mode)."""
        self._axes = (x, y)
        for combo, current in ((self.x_combo, x), (self.y_combo, y)):
            with QSignalBlocker(combo):
                if [combo.itemText(i) for i in range(combo.count())] != list(names):
                    combo.clear()
                    combo.addItems(list(names))
                combo.setCurrentIndex(current)
        self.axes_row.setVisible(choosable and len(names) >= 2)

    def set_map(
        self,
        values: np.ndarray,
        limit: float,
        xs: np.ndarray,
        ys: np.ndarray,
        axis_names: tuple[str, str],
        point: tuple[float, float],
        title: str,
    ) -> None:
        """One neuron's ``values`` (rows = ys from the lowest, columns = xs), coloured from −limit to +limit."""
        self._values, self._limit = values, float(limit)
        self.plot.set_picture(diverging_rgba(values, limit, self.plot.is_dark()), xs, ys)
        self.plot.set_bar(diverging_bar(limit, self.plot.is_dark()), -limit, limit, "value")
        self.plot.set_axis_names(*axis_names)
        self.plot.set_point(*point)
        self.plot.set_title(title)

    def set_message(self, text: str) -> None:
        """No map to show (no inputs to put on axes): say why in the title, draw nothing."""
        self.plot.set_message(text)
        self.plot.set_picture(np.zeros((2, 2, 4), np.uint8), np.array([0.0, 1.0]), np.array([0.0, 1.0]))
        self.plot.set_point(None)
        self.plot.set_bar(None)

    def set_dark(self, dark: bool) -> None:
        self.plot.set_dark(dark)
        if self._values.size > 4:
            self.plot.set_picture(diverging_rgba(self._values, self._limit, dark), *self.plot.grid())
            self.plot.set_bar(diverging_bar(self._limit, dark), -self._limit, self._limit, "value")

    def axes(self) -> tuple[int, int]:
        return self._axes

    # -- what the person does ------------------------------------------------------------------------------------
    def _on_combo_changed(self, combo: QComboBox) -> None:
        x, y = self.x_combo.currentIndex(), self.y_combo.currentIndex()
        if x == y:  # the same input on both axes: the other axis takes the input this one had
            old_x, old_y = self._axes
            if combo is self.x_combo:
                y = old_x
            else:
                x = old_y
        self.set_axis_choices([self.x_combo.itemText(i) for i in range(self.x_combo.count())], x, y)
        self.axesChosen.emit(x, y)
