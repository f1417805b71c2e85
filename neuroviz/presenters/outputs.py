"""Outputs chart presenter: the output layer's activations as bars."""

from __future__ import annotations

import numpy as np

from neuroviz.model import picture
from neuroviz.presenters.on_screen import OnScreen


class OutputsPresenter:
    DOCK = "outputs_dock"

    def __init__(self, view, document, selection) -> None:
        self.view, self.document = view, document
        self.on_screen = OnScreen(self.update)
        document.valuesChanged.connect(self.update)

    def update(self, *_args) -> None:
        if self.on_screen.held():
            return
        doc = self.document
        values = np.asarray(doc.propagation.activations[-1], dtype=np.float64)
        labels = [f"y{j + 1}" for j in range(values.size)]
        probabilities = doc.network.layers[-1].activation in picture.PROBABILITY_ACTIVATIONS
        # the sum shows what a softmax promises (Σ = 1) whatever the scale of its inputs
        total = float(np.sum(values)) if probabilities else None
        self.view.set_outputs(values, labels, probabilities, total)
