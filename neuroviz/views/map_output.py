"""The Output Map dock's widget: the output layer over the two inputs, like TensorFlow Playground's big picture,
with the data set's points on it.

- One output: Playground's orange–blue diverging colours around the output's middle (0 for tanh, 0.5 for sigmoid),
  with a colour bar.
- Several outputs: each pixel takes the winning class's colour, from the neutral colour at chance to the full class
  colour at certainty, with a legend of class names.
- "Discretize output" draws only the decision: the winning side or class at full colour.
- Points: training points filled, test points as rings ("Show test data" hides them).

A dumb view: the presenter hands it values, class indices and point coordinates; it colours them with the theme.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from neuroviz.views import colors
from neuroviz.views.map_plot import BAR_STEPS, MapPlot, rgba_of
from neuroviz.views.map_view import diverging_rgba

__all__ = ["CLASS_COLOURS", "OutputMapView", "class_colours"]

#: Colours of classes 3, 4, … (classes 1 and 2 take the theme's negative and positive colours, as in Playground).
CLASS_COLOURS = ("#3aa655", "#8e5cc4", "#d64550", "#2bb5b0", "#9c6b3c", "#e377c2", "#7f7f7f", "#bcbd22")
POINT_SIZE = 7
#: With data on it the map is faded this far towards the background, so points of a class stand out on their own
#: region (Playground draws its map translucent for the same reason).
DATA_FADE = 0.4
TEST_POINT_SIZE = 8


def class_colours(count: int, dark: bool) -> list[QColor]:
    """One colour per class: orange and blue first (Playground's negative and positive), then a fixed palette."""
    th = colors.theme(dark)
    base = [th.negative, th.positive, *CLASS_COLOURS]
    return [QColor(base[i % len(base)]) for i in range(count)]


class OutputMapView(QWidget):
    """Two check boxes (show test data, discretize) above a :class:`MapPlot` with the data's points."""

    pointPicked = Signal(float, float)
    #: "Show test data" or "Discretize output" was toggled: (show_test, discretize).
    optionsChanged = Signal(bool, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.show_test = QCheckBox("Show test data")
        self.show_test.setObjectName("showTestData")
        self.show_test.setToolTip("Draw the test points (rings) as well as the training points (filled)")
        self.discretize = QCheckBox("Discretize output")
        self.discretize.setObjectName("discretizeOutput")
        self.discretize.setToolTip("Colour only the decision (the winning side or class), not how sure it is")
        row = QHBoxLayout()
        row.setContentsMargins(6, 4, 6, 0)
        row.addWidget(self.show_test)
        row.addWidget(self.discretize)
        row.addStretch(1)
        self.plot = MapPlot()
        self.plot.setObjectName("outputMapPlot")
        self.plot.setToolTip("Click or drag to move the two inputs of the axes; the whole network follows")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.plot, 1)
        self.train_points = pg.ScatterPlotItem(pxMode=True, size=POINT_SIZE)
        self.test_points = pg.ScatterPlotItem(pxMode=True, size=TEST_POINT_SIZE)
        for item, z in ((self.train_points, 10), (self.test_points, 11)):
            item.setZValue(z)
            self.plot.plot.addItem(item)
        self.plot.pointPicked.connect(self.pointPicked)
        self.show_test.toggled.connect(self._on_option)
        self.discretize.toggled.connect(self._on_option)
        self._picture: tuple | None = None
        self._points: tuple | None = None
        self._drawn_points: tuple = ()  # what the scatter items show (see _points_key)

    # -- what it draws -----------------------------------------------------------------------------------------
    def set_single(
        self,
        values: np.ndarray,
        centre: float,
        half: float,
        xs: np.ndarray,
        ys: np.ndarray,
        axis_names: tuple[str, str],
        point: tuple[float, float],
        title: str,
    ) -> None:
        """One output: ``values`` over the grid, orange at centre − half, neutral at centre, blue at centre + half."""
        self._picture = ("single", values, centre, half, xs, ys)
        self._common(axis_names, point, title)
        self._draw_picture()

    def set_classes(
        self,
        winner: np.ndarray,
        strength: np.ndarray,
        class_names: Sequence[str],
        xs: np.ndarray,
        ys: np.ndarray,
        axis_names: tuple[str, str],
        point: tuple[float, float],
        title: str,
    ) -> None:
        """Several outputs: the winning class per pixel and how sure it is (0 at chance, 1 certain)."""
        self._picture = ("classes", winner, strength, tuple(class_names), xs, ys)
        self._common(axis_names, point, title)
        self._draw_picture()

    def set_points(
        self,
        train_xy: np.ndarray,
        train_labels: np.ndarray,
        test_xy: np.ndarray,
        test_labels: np.ndarray,
        redraw: bool = True,
    ) -> None:
        """The data's points at (x, y) rows; labels: class indices (several classes or two) or target values
        (a regression, coloured like the one-output map). ``redraw=False``: drawn with the next picture."""
        self._points = (train_xy, train_labels, test_xy, test_labels)
        if redraw:
            self._draw_picture()

    def clear_points(self, redraw: bool = True) -> None:
        self._points = None
        if redraw:
            self._draw_picture()

    def set_message(self, text: str) -> None:
        self._picture = None
        self.plot.set_message(text)
        self.plot.set_picture(np.zeros((2, 2, 4), np.uint8), np.array([0.0, 1.0]), np.array([0.0, 1.0]))
        self.plot.set_point(None)
        self.plot.set_bar(None)
        self.plot.set_legend([])

    def set_dark(self, dark: bool) -> None:
        self.plot.set_dark(dark)
        self._draw_picture()

    # -- drawing -----------------------------------------------------------------------------------------------------
    def _common(self, axis_names: tuple[str, str], point: tuple[float, float], title: str) -> None:
        self.plot.set_axis_names(*axis_names)
        self.plot.set_point(*point)
        self.plot.set_title(title)

    def _draw_picture(self) -> None:
        """The map (faded when points are on it) and then the points."""
        if self._picture is None:
            self._draw_points()
            return
        dark, discrete = self.plot.is_dark(), self.discretize.isChecked()
        if self._picture[0] == "single":
            _, values, centre, half, xs, ys = self._picture
            with np.errstate(over="ignore", invalid="ignore"):  # near ±1.8e308: ±inf, drawn at the ends
                shifted = np.asarray(values, dtype=np.float64) - centre
            if discrete:
                shifted = np.where(np.isnan(shifted), np.nan, np.sign(shifted) * half)
            self.plot.set_picture(self._faded(diverging_rgba(shifted, half, dark)), xs, ys)
            steps = np.linspace(-1.0, 1.0, BAR_STEPS)
            self.plot.set_bar(diverging_rgba(steps, 1.0, dark)[:, :3], centre - half, centre + half, "output")
            self.plot.set_legend([])
        else:
            _, winner, strength, names, xs, ys = self._picture
            self.plot.set_picture(self._faded(self.class_rgba(winner, strength, len(names), discrete, dark)), xs, ys)
            self.plot.set_bar(None)
            self.plot.set_legend(list(zip(names, class_colours(len(names), dark), strict=True)))
        self._draw_points()

    def _faded(self, rgba: np.ndarray) -> np.ndarray:
        if self._points is None:
            return rgba
        background = np.array(QColor(colors.theme(self.plot.is_dark()).background).getRgb()[:3], dtype=np.float64)
        faded = rgba.copy()
        faded[..., :3] = np.rint(rgba[..., :3] + (background - rgba[..., :3]) * DATA_FADE).astype(np.uint8)
        return faded

    @staticmethod
    def class_rgba(winner: np.ndarray, strength: np.ndarray, count: int, discrete: bool, dark: bool) -> np.ndarray:
        """Each pixel: the neutral colour moved ``strength`` of the way to its class's colour (all the way when
        ``discrete``); NaN strength shows the theme's non-finite colour."""
        th = colors.theme(dark)
        table = np.array([c.getRgb()[:3] for c in class_colours(count, dark)], dtype=np.float64)
        neutral = np.array(QColor(th.neutral).getRgb()[:3], dtype=np.float64)
        s = np.asarray(strength, dtype=np.float64)
        bad = ~np.isfinite(s)
        t = np.ones_like(s) if discrete else np.clip(np.where(bad, 0.0, s), 0.0, 1.0)
        index = np.clip(np.asarray(winner, dtype=np.intp), 0, count - 1)
        rgb = neutral + (table[index] - neutral) * t[..., None]
        rgb[bad] = QColor(th.nonfinite).getRgb()[:3]
        return rgba_of(np.rint(rgb).astype(np.uint8))

    def _draw_points(self) -> None:
        """Points are set again only when they or their colours change, not on every frame of the map."""
        key = self._points_key()
        if key == self._drawn_points:
            return
        self._drawn_points = key
        if self._points is None or self._picture is None:
            self.train_points.setData([], [])
            self.test_points.setData([], [])
            return
        train_xy, train_labels, test_xy, test_labels = self._points
        th = colors.theme(self.plot.is_dark())
        ring = QPen(QColor(th.background))
        ring.setWidthF(1.0)
        ring.setCosmetic(True)
        fills = self._point_colours(train_labels)
        self.train_points.setData(
            pos=np.asarray(train_xy, dtype=np.float64).reshape(-1, 2), brush=[QBrush(c) for c in fills], pen=ring
        )
        shown = self.show_test.isChecked()
        test = np.asarray(test_xy, dtype=np.float64).reshape(-1, 2) if shown else np.zeros((0, 2))
        rings = self._point_colours(test_labels) if shown else []
        pens = []
        for c in rings:
            pen = QPen(c)
            pen.setWidthF(2.0)
            pen.setCosmetic(True)
            pens.append(pen)
        self.test_points.setData(pos=test, pen=pens, brush=QBrush(QColor(th.background)))

    def _points_key(self) -> tuple:
        if self._points is None or self._picture is None:
            return ()
        scale = self._picture[3] if self._picture[0] == "classes" else self._picture[2:4]
        ids = tuple(id(a) for a in self._points)
        return (ids, self._picture[0], scale, self.show_test.isChecked(), self.plot.is_dark())

    def _point_colours(self, labels: np.ndarray) -> list[QColor]:
        dark = self.plot.is_dark()
        labels = np.asarray(labels, dtype=np.float64)
        if self._picture[0] == "classes":
            table = class_colours(len(self._picture[3]), dark)
            return [table[int(v)] for v in labels]
        _, _values, centre, half, _xs, _ys = self._picture
        rgba = diverging_rgba(labels - centre, half, dark)
        return [QColor(int(r), int(g), int(b)) for r, g, b, _a in rgba]

    # -- what the person does ------------------------------------------------------------------------------------
    def _on_option(self, *_args) -> None:
        self._draw_picture()
        self.optionsChanged.emit(self.show_test.isChecked(), self.discretize.isChecked())

    # -- what tests read ---------------------------------------------------------------------------------------------
    def shown_points(self) -> tuple[np.ndarray, np.ndarray]:
        """(training, test) point positions as drawn."""
        train = np.array([[p.pos().x(), p.pos().y()] for p in self.train_points.points()]).reshape(-1, 2)
        test = np.array([[p.pos().x(), p.pos().y()] for p in self.test_points.points()]).reshape(-1, 2)
        return train, test
