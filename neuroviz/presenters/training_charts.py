"""Presenter of the Training Charts dock: turns the run's history into the charts' series, once per frame."""

from __future__ import annotations

import numpy as np


class TrainingChartsPresenter:
    """Feeds loss, gradient flow, dead neurons and layer statistics from ``run.history``."""

    def __init__(self, view, run, document) -> None:
        self.view, self.run, self.document = view, run, document
        run.progressed.connect(self.update)
        run.historyCleared.connect(self.update)
        self.update()

    def layer_names(self) -> list[str]:
        return [layer.name for layer in self.document.network.layers]

    def update(self) -> None:
        history, view = self.run.history, self.view
        epochs = np.asarray(history.epochs, dtype=np.float64)
        loss = {"loss": history.column("loss"), "loss (test)": history.column("val_loss")}
        loss |= {"accuracy": history.column("accuracy"), "accuracy (test)": history.column("val_accuracy")}
        view.loss.set_series(epochs, loss, dashed=("loss (test)", "accuracy (test)"))
        names = self.layer_names()
        norms = _per_layer(history.gradient_norms, len(names))
        view.gradients.set_series(epochs, {name: norms[:, k] for k, name in enumerate(names)})
        stats = history.statistics
        dead = _per_layer([s.dead_share for s in stats], len(names))
        can_die = stats[-1].can_die if stats else ()
        view.dead.set_series(
            epochs, {name: dead[:, k] for k, name in enumerate(names) if k < len(can_die) and can_die[k]}
        )
        means = _per_layer([s.mean for s in stats], len(names))
        stds = _per_layer([s.std for s in stats], len(names))
        view.means.set_series(epochs, {name: means[:, k] for k, name in enumerate(names)})
        view.stds.set_series(epochs, {name: stds[:, k] for k, name in enumerate(names)})


def _per_layer(rows: list[np.ndarray], layers: int) -> np.ndarray:
    """Rows of per-layer values as an (epochs, layers) array; NaN where a row has another number of layers (the
    network was edited during the history)."""
    out = np.full((len(rows), layers), np.nan)
    for i, row in enumerate(rows):
        if len(row) == layers:
            out[i] = row
    return out
