"""Output Map presenter: the output layer over the map's two inputs, with the data set's points when they fit the
network (a data set that does not fit is said once in the status bar and not drawn)."""

from __future__ import annotations

import numpy as np

from neuroviz.data_source import NOT_DRAWN, fit_problem
from neuroviz.model.datasets import CLASSIFICATION
from neuroviz.model.decision import class_strength, output_scale


def output_names(net, count: int, data=None) -> list[str]:
    """Names of the outputs: the data's class names when they match, the network's output names, else y1, y2, …"""
    if data is not None and data.kind == CLASSIFICATION and data.n_classes == count:
        return list(data.class_names)
    names = getattr(net, "output_names", None)
    if names is not None and len(names) == count:
        return [str(n) for n in names]
    return [f"y{j + 1}" for j in range(count)]


class OutputMapPresenter:
    WHO = "output map"

    def __init__(self, view, document, map_source, data_source, messages) -> None:
        self.view, self.document, self.source, self.data = view, document, map_source, data_source
        self.messages = messages
        self.visible = False
        self.problem = ""  # why the data set is not drawn ("" when it is, or there is none)
        self._say_outside = False  # a data set just arrived: say if its points lie beyond the map
        self._points_key: tuple = ()
        self._point_arrays: tuple = ()
        #: What was said about the latest data set in the status bar ("" when it is drawn in full).
        self.data_note = ""
        map_source.mapsChanged.connect(self.update)
        data_source.changed.connect(self._on_data_changed)
        document.structureChanged.connect(self._on_data_changed)
        view.pointPicked.connect(map_source.set_point)

    def set_visible(self, visible: bool) -> None:
        self.visible = visible
        self.source.want(self.WHO, visible)
        if visible:
            self.update()

    def fitting_data(self):
        """The data set when it fits the network, else None."""
        data = self.data.dataset
        return data if data is not None and not self.problem else None

    def _on_data_changed(self, *_args) -> None:
        data = self.data.dataset
        problem = fit_problem(data, self.document.network) if data is not None else ""
        self.data_note = f"{NOT_DRAWN}{problem}" if problem else ""
        if problem and problem != self.problem:
            self.messages.report(self.data_note)
        self.problem = problem
        self._say_outside = data is not None and not problem
        self.update()

    def update(self, *_args) -> None:
        """Redraw while the dock is on screen (a hidden one is drawn by :meth:`draw` for an export)."""
        if self.visible:
            self.draw()

    def draw(self) -> None:
        maps, net = self.source.maps, self.document.network
        if maps is None:
            if self.source.note:  # the network cannot have maps (one input): say so instead of a stale map
                self.view.set_message(self.source.note)
            return
        if net.n_inputs < 2 and not maps.plane:
            self.view.set_message("A map needs two inputs: this network has one")
            return
        outputs = maps.layers[-1]
        activation = net.layers[-1].activation
        data = self.fitting_data()
        args = (maps.xs, maps.ys, maps.axis_names, maps.point)
        count = outputs.shape[0]
        if count == 1:
            targets = data.y if data is not None and data.kind != CLASSIFICATION else None
            centre, half = output_scale(activation, outputs[0], targets)
        else:
            centre, half = 0.0, 1.0
        if data is None:
            self.view.clear_points(redraw=False)
        else:
            if self._say_outside:
                self._say_outside = False
                self._report_outside(data, maps)
            key = (id(self.data.train), maps.plane, maps.axes, count, centre, half)
            if key != self._points_key:  # the same arrays while nothing changes: the view keeps its points
                self._points_key = key
                self._point_arrays = (
                    *self._points(self.data.train, maps, count, centre, half),
                    *self._points(self.data.test, maps, count, centre, half),
                )
            self.view.set_points(*self._point_arrays, redraw=False)
        if count == 1:  # the axes name the inputs: the title stays short enough for a narrow dock
            title = f"Output {output_names(net, 1)[0]} ({net.layers[-1].activation})"
            self.view.set_single(outputs[0], centre, half, *args, title)
        else:
            winner, strength = class_strength(outputs, activation)
            names = output_names(net, count, data)
            self.view.set_classes(winner, strength, names, *args, "Most likely output")

    def _report_outside(self, data, maps) -> None:
        """Points beyond the inputs' ranges are not on the map: say how many, and what to do."""
        xy = data.x[:, :2] if maps.plane else data.x[:, list(maps.axes)]
        inside = (
            (xy[:, 0] >= maps.xs[0]) & (xy[:, 0] <= maps.xs[-1]) & (xy[:, 1] >= maps.ys[0]) & (xy[:, 1] <= maps.ys[-1])
        )
        outside = int((~inside).sum())
        if outside:
            x, y = maps.axis_names
            self.data_note = (
                f"{outside} of {len(xy)} points of {data.name} lie beyond the map ({x} {maps.xs[0]:g} to "
                f"{maps.xs[-1]:g}, {y} {maps.ys[0]:g} to {maps.ys[-1]:g}): widen the inputs' ranges to see them"
            )
            self.messages.report(self.data_note)

    @staticmethod
    def _points(part, maps, count: int, centre: float, half: float) -> tuple[np.ndarray, np.ndarray]:
        """Positions on the map's axes and labels in the view's terms (class index, or output units)."""
        xy = part.x[:, :2] if maps.plane else part.x[:, list(maps.axes)]
        if part.kind != CLASSIFICATION:
            return xy, part.y
        if count == 1:  # class 1 on the positive side of the output's middle, class 0 on the negative side
            return xy, np.where(part.y > 0, centre + half, centre - half)
        return xy, part.y.astype(np.intp)
