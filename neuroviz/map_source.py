"""The window's response maps: computed from the document once per frame, only while a view wants them.

Thumbnails in the network view, the Map dock and the neuron marks all read the same :class:`ResponseMaps`, so the
grid is computed once per frame for all of them. Moving one of the two inputs the maps are drawn over changes no map
(only where the current point sits), so that costs no recomputation: the maps are recomputed when the weights,
activations or structure change, when another input moves, or when the axes, ranges or resolution change.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from PySide6.QtCore import QObject, Signal

from neuroviz.document import Document
from neuroviz.model import maps

DEFAULT_RESOLUTION = 100


class MapSource(QObject):
    """Computes the document's response maps once per frame, only while some view wants them.

    ``mapsChanged`` carries the latest :class:`maps.ResponseMaps`, or None when there are none to show (nobody
    wants them, or the network cannot have them: then :attr:`note` says why, e.g. a network with one input).
    """

    mapsChanged = Signal(object)
    axesChanged = Signal(int, int)

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._wanted: dict[str, int | None] = {}  # who wants maps → the resolution it needs (None: the set one)
        self._axes = (0, 1)
        self._wanted_resolution = DEFAULT_RESOLUTION
        self._resolution = DEFAULT_RESOLUTION
        self._maps: maps.ResponseMaps | None = None
        self._key: tuple | None = None  # what the latest maps depend on besides the weights
        self._stale = True  # weights, activations or structure changed since the latest maps
        self._plane_point: tuple[float, float] | None = None
        #: Why there are no maps ("" when there are, or when nobody wants them).
        self.note = ""
        document.valuesChanged.connect(self._values_changed)
        document.layersEdited.connect(self._mark_stale)
        document.structureChanged.connect(self._structure_changed)
        document.networkReplaced.connect(self._network_replaced)

    # -- what the views ask for ------------------------------------------------------------------------------
    @property
    def maps(self) -> maps.ResponseMaps | None:
        """The latest maps (None when nobody wants them or the network cannot have them)."""
        return self._maps

    @property
    def axes(self) -> tuple[int, int]:
        return self._axes

    @property
    def resolution(self) -> int:
        """The resolution of the latest maps: the one asked for, or lower for a large network."""
        return self._resolution

    @property
    def reduced_note(self) -> str:
        """For the status bar: that the maps are coarser than asked because the network is large ("" if not)."""
        wanted = self._needed_resolution()
        if self._maps is None or self._resolution >= wanted:
            return ""
        return f"Maps at {self._resolution} × {self._resolution} (network too large for {wanted} × {wanted})"

    def want(self, who: str, wanted: bool, resolution: int | None = None) -> None:
        """A view says whether it shows maps; they are computed only while at least one does, at the finest
        resolution any of them needs (``resolution``; None: the one set with :meth:`set_resolution`). The neuron
        marks only count dead points, so they ask for a coarse grid while no picture is shown."""
        was, before = bool(self._wanted), self._needed_resolution()
        if wanted:
            self._wanted[who] = resolution
        else:
            self._wanted.pop(who, None)
        if self._wanted and (not was or self._needed_resolution() > before):
            self._stale = not was or self._stale
            self._refresh()
        elif self._wanted and self._needed_resolution() < before:
            # a view that needed a finer grid left: the maps shown stay valid (only finer than needed); the next
            # change computes the coarser grid. Nothing is emitted now (a closing window is deleting its views).
            self._stale = True
        elif not self._wanted and was:
            self._maps, self._key, self.note = None, None, ""
            self.mapsChanged.emit(None)

    def _needed_resolution(self) -> int:
        asked = [self._wanted_resolution if r is None else r for r in self._wanted.values()]
        return max(asked, default=self._wanted_resolution)

    def is_wanted(self) -> bool:
        return bool(self._wanted)

    def set_axes(self, x: int, y: int) -> None:
        """Draw the maps over inputs ``x`` (horizontal) and ``y``; ignored for a plane-feature network."""
        n = self._document.network.n_inputs
        if not (0 <= x < n and 0 <= y < n) or x == y:
            raise ValueError(f"map axes must be two different inputs from 0 to {n - 1}, got {x} and {y}")
        if (x, y) == self._axes:
            return
        self._axes = (x, y)
        self.axesChanged.emit(x, y)
        self._refresh()

    def set_resolution(self, wanted: int) -> None:
        """Points along each axis, MIN_RESOLUTION to MAX_RESOLUTION; a large network may get fewer."""
        if not maps.MIN_RESOLUTION <= wanted <= maps.MAX_RESOLUTION:
            raise ValueError(f"map resolution must be {maps.MIN_RESOLUTION} to {maps.MAX_RESOLUTION}, got {wanted}")
        self._wanted_resolution = int(wanted)
        self._refresh()

    def set_point(self, x: float, y: float) -> None:
        """Move the current input to (x, y) on the maps' axes: a live input change (no undo step), drawn next frame.

        Values are clamped into the inputs' slider ranges. For a plane-feature network the point is clamped into
        the plane and every input is its feature of (x1, x2); a feature whose slider range is too narrow for it
        (x1² with a range of −6…6, say) gets its range widened rather than a value that is not the point's.
        """
        network = self._document.network
        if network.input_features is not None:
            (x_low, x_high), (y_low, y_high) = maps.plane_ranges(network)
            x, y = min(max(float(x), x_low), x_high), min(max(float(y), y_low), y_high)
            values = maps.plane_inputs(network, x, y)
            self._plane_point = (x, y)
            for index, value in enumerate(values):
                low, high = network.input_ranges[index]
                if not low <= value <= high:
                    self._document.set_input_range(index, min(low, float(value)), max(high, float(value)))
            self._document.set_inputs(values)
            return
        values = network.input_values.copy()
        values[self._axes[0]], values[self._axes[1]] = x, y
        lows, highs = np.array(network.input_ranges, dtype=np.float64).T
        self._document.set_inputs(np.clip(values, lows, highs))

    # -- keeping up with the document ------------------------------------------------------------------------
    def _mark_stale(self, *_args) -> None:
        self._stale = True

    def _structure_changed(self, *_args) -> None:
        self._stale = True
        n = self._document.network.n_inputs
        if n >= 2 and not (self._axes[0] < n and self._axes[1] < n):
            self._axes = (0, 1)
            self.axesChanged.emit(0, 1)

    def _network_replaced(self) -> None:
        self._plane_point = None
        self._structure_changed()

    def _values_changed(self, from_layer: int) -> None:
        if from_layer > 0:  # weights or activations changed in place (a training step)
            self._stale = True
        self._refresh()

    def _dependencies(self) -> tuple:
        """Everything besides the weights that the maps depend on: moving the two axes' inputs changes none."""
        network = self._document.network
        held = network.input_values.copy()
        if network.input_features is not None:
            held[:] = 0.0  # every input is a feature of the plane point: the maps do not depend on it
        else:
            held[[a for a in self._axes if a < held.size]] = 0.0
        ranges = tuple(tuple(r) for r in network.input_ranges)
        return (self._axes, self._needed_resolution(), ranges, held.tobytes(), network.input_features)

    def _refresh(self) -> None:
        if not self._wanted:
            return
        network = self._document.network
        key = self._dependencies()
        if not self._stale and key == self._key and self._maps is not None:
            self._maps = dataclasses.replace(self._maps, point=self._point(network))
            self.mapsChanged.emit(self._maps)
            return
        self._resolution = maps.auto_resolution(network, self._needed_resolution())
        try:
            self._maps = maps.response_maps(network, self._axes, self._resolution, point_hint=self._plane_point)
            self.note = ""
        except ValueError as error:
            self._maps, self.note = None, f"No maps: {error}"
        self._key, self._stale = key, False
        self.mapsChanged.emit(self._maps)

    def _point(self, network) -> tuple[float, float]:
        """Where the current input sits on the latest maps' axes."""
        if network.input_features is not None:
            return maps.plane_point(network, self._plane_point)
        return (float(network.input_values[self._axes[0]]), float(network.input_values[self._axes[1]]))
