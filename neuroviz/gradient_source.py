"""The window's gradients over the training data: ∂L/∂w, ∂L/∂b and each neuron's ∂L/∂z of the document's network,
for the Training dock's data set and loss, computed at most once per frame and only when a view asks.

The links (View ▸ Edges Show Gradients) and the inspector read the same :class:`DataGradients`. They are the
gradient of the loss training minimises (the mean over the training rows plus the layers' regularization
penalties), so the links show what the next full-batch step would push against.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from neuroviz.data_source import feature_data
from neuroviz.model import training
from neuroviz.model.datasets import DatasetError


@dataclass(frozen=True)
class DataGradients:
    """backprop's gradients over the training rows, and what they were computed from (for tooltips)."""

    gradients: training.Gradients
    rows: int
    loss: str

    def weights(self, k: int) -> np.ndarray:
        """∂L/∂W of layer k (1 = the first layer after the inputs), (fan_in, units)."""
        return self.gradients.weights[k - 1]

    def mean_delta(self, k: int) -> np.ndarray:
        """Per neuron of layer k: the mean over the rows of ∂loss/∂z (backprop's deltas already carry the 1/n).
        Deltas near the float limit sum to ±∞, which the inspector shows; no warning."""
        with np.errstate(over="ignore", invalid="ignore"):
            return np.add.reduce(self.gradients.deltas[k - 1], 0)

    def mean_abs_delta(self, k: int) -> np.ndarray:
        """Per neuron of layer k: the mean over the rows of |∂loss/∂z| (signs of different rows do not cancel)."""
        with np.errstate(over="ignore", invalid="ignore"):
            return np.add.reduce(np.abs(self.gradients.deltas[k - 1]), 0)


class GradientSource(QObject):
    """Computes :class:`DataGradients` of the document's network when asked, once per change of the weights.

    Built before the presenters, so that its stale mark on ``valuesChanged`` comes before their redraw; the
    training run (data set and loss) is attached when the training parts exist. ``noteChanged`` says why there are
    no gradients ("" once there are).
    """

    #: The data set or the network changed in a way the weights' signals do not announce: ask again.
    changed = Signal()
    noteChanged = Signal(str)

    def __init__(self, document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.run = None
        self.note = "No training data yet"
        self._cache: DataGradients | None = None
        self._key: tuple | None = None
        self._generation = 0
        document.valuesChanged.connect(lambda k: k >= 1 and self._mark_stale())
        document.layersEdited.connect(self._mark_stale)
        document.structureChanged.connect(self._mark_stale)
        document.networkReplaced.connect(self._mark_stale)

    def attach(self, run) -> None:
        """Use the training run's data set and loss (a TrainingRun)."""
        self.run = run
        run.data.changed.connect(self._data_changed)
        self._mark_stale()

    def current(self) -> DataGradients | None:
        """The gradients of the network as it is now, or None (then :attr:`note` says why)."""
        run = self.run
        if run is None:
            return self._set_note("No training data yet")
        problem = run.data_problem()
        if problem:
            return self._set_note(problem)
        network, loss = self.document.network, run.loss_name()
        key = (self._generation, id(network), id(run.data.train), loss)
        if key == self._key:
            return self._cache
        try:
            train = feature_data(run.data.train, network)
            if len(train) == 0:
                raise ValueError("the training split has no rows")
            with np.errstate(all="ignore"):
                grads = training.gradients(network, train.x, train.targets_for(network, loss), loss)
        except (DatasetError, ValueError) as error:
            self._key, self._cache = None, None
            return self._set_note(f"No gradients: {error}")
        self._key, self._cache = key, DataGradients(grads, len(train), loss)
        self._set_note("")
        return self._cache

    def _set_note(self, note: str) -> None:
        if note != self.note:
            self.note = note
            self.noteChanged.emit(note)
        return None

    def _mark_stale(self, *_args) -> None:
        self._generation += 1

    def _data_changed(self) -> None:
        self._mark_stale()
        self.changed.emit()
