"""Presenter of the Training Charts dock: turns the run's history into the charts' series, once per frame (the
epochs added since the last frame only, ``GrowingChartSeries``)."""

from __future__ import annotations

import numpy as np

from neuroviz.model.run_history import GrowingChartSeries


class TrainingChartsPresenter:
    """Feeds loss, gradient flow, dead neurons and layer statistics from ``run.history``."""

    def __init__(self, view, run, document) -> None:
        self.view, self.run, self.document = view, run, document
        self._series = GrowingChartSeries()
        run.progressed.connect(self.update)
        run.historyCleared.connect(self.update)
        self.update()

    def layer_names(self) -> list[str]:
        return [layer.name for layer in self.document.network.layers]

    def update(self) -> None:
        history, view = self.run.history, self.view
        epochs = np.asarray(history.epochs, dtype=np.float64)
        series = self._series.series(history, self.layer_names())
        view.loss.set_series(epochs, series["loss"], dashed=("loss (test)", "accuracy (test)"))
        view.gradients.set_series(epochs, series["gradients"])
        view.dead.set_series(epochs, series["dead"])
        view.means.set_series(epochs, series["means"])
        view.stds.set_series(epochs, series["stds"])
