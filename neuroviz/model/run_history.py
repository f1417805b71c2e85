"""What a training run records per epoch — Keras' History numbers, each layer's gradient magnitude and the layer
statistics — and how it becomes the Training Charts' series and their CSV tables.

One place for both the window (``training_run.TrainingRun`` records, ``presenters/training_charts.py`` draws) and
``neuroviz export --view loss …`` (which trains without a window): the CSV always holds the numbers the chart
draws, and a chart exported from the command line is the one the window would show.

Pure NumPy: no Qt here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from neuroviz.model.layer_stats import LayerStatistics, layer_statistics

Table = tuple[list[str], list[list]]

#: Keras' History keys in the order Keras' ``model.fit`` reports them.
KERAS_KEYS = ("loss", "accuracy", "val_loss", "val_accuracy")
#: The loss chart's series and the History keys they draw.
LOSS_SERIES = {"loss": "loss", "loss (test)": "val_loss", "accuracy": "accuracy", "accuracy (test)": "val_accuracy"}
#: CSV column heads of the loss chart's series (accuracy as a fraction, as Keras reports it).
LOSS_HEADERS = {
    "loss": "training loss",
    "loss (test)": "test loss",
    "accuracy": "training accuracy (fraction 0-1)",
    "accuracy (test)": "test accuracy (fraction 0-1)",
}
#: What the per-layer charts' columns hold, after the layer's name.
LAYER_UNITS = {
    "gradients": "mean gradient norm |dL/dW|",
    "dead": "dead share of training points (fraction 0-1)",
    "means": "mean of activations",
    "stds": "standard deviation of activations",
}


@dataclass
class RunHistory:
    """One entry per finished epoch since the last Reset or data change (epochs counted from 1)."""

    epochs: list[int] = field(default_factory=list)
    records: list[dict[str, float]] = field(default_factory=list)
    #: Per epoch: the mean over its batches of each layer's ‖∂L/∂W‖.
    gradient_norms: list[np.ndarray] = field(default_factory=list)
    #: Per epoch: dead neurons and activation spread over the training points, after the epoch.
    statistics: list[LayerStatistics] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.epochs)

    def column(self, key: str) -> np.ndarray:
        """The values of "loss", "accuracy", "val_loss" or "val_accuracy" per epoch (NaN where missing)."""
        return np.array([record.get(key, math.nan) for record in self.records], dtype=np.float64)

    def finish_epoch(self, record: dict[str, float], gradient_norms: np.ndarray, statistics: LayerStatistics) -> None:
        """The Trainer's record of a finished epoch, its mean gradient norms (``Progress.epoch_gradient_norms``)
        and the layer statistics after it."""
        self.epochs.append(len(self.epochs) + 1)
        self.records.append(dict(record))
        self.gradient_norms.append(gradient_norms)
        self.statistics.append(statistics)

    def record(self, progress, network, x_train: np.ndarray) -> None:
        """The epoch a slice of a Trainer that tracks gradient norms finished (if it did), with the layer statistics
        of ``network`` over ``x_train`` now. The statistics are those after the epoch only when the slice stopped
        at its end: a slice that went on into the next epoch is refused (step to the epoch's end first)."""
        finished = progress.finished_epochs
        if not finished:
            return
        if len(finished) > 1 or progress.batch != 0:
            raise ValueError("a slice recorded must end where the epoch it finished ends")
        self.finish_epoch(finished[0], progress.epoch_gradient_norms[0], layer_statistics(network, x_train))

    def head(self, count: int) -> RunHistory:
        """The first ``count`` epochs (what the run had shown before later ones were undone)."""
        return RunHistory(
            self.epochs[:count], self.records[:count], self.gradient_norms[:count], self.statistics[:count]
        )

    def keras_history(self) -> dict[str, list[float]]:
        """Keras' ``History.history``: each recorded key → its value per epoch (keys no epoch has are left out)."""
        keys = [key for key in KERAS_KEYS if any(key in r for r in self.records)]
        keys += sorted({key for r in self.records for key in r} - set(KERAS_KEYS))
        return {key: [float(r.get(key, math.nan)) for r in self.records] for key in keys}


def record_epochs(trainer, epochs: int, x_train: np.ndarray, history: RunHistory | None = None) -> RunHistory:
    """Train ``epochs`` whole epochs with a started ``trainer``, an epoch at a time, recording what the window
    records (``neuroviz export`` uses it; the window trains in slices and records the same way). TrainingDiverged
    propagates with the last good weights in place."""
    history = history if history is not None else RunHistory()
    trainer.track_gradient_norms = True
    for _ in range(epochs):
        with np.errstate(all="ignore"):  # a huge gradient's norm may overflow to inf: recorded, not warned
            history.record(trainer.epoch(), trainer.network, x_train)
    return history


# -- the charts' series ----------------------------------------------------------------------------------------------
def chart_series(history: RunHistory, layer_names: Sequence[str]) -> dict[str, dict[str, np.ndarray]]:
    """What each Training Chart draws: "loss", "gradients", "dead", "means", "stds" → series name → values per
    epoch. The dead-neuron chart has the layers whose activation can die only."""
    return GrowingChartSeries().series(history, layer_names)


class GrowingChartSeries:
    """:func:`chart_series` of a history that grows between calls, working through the epochs added since the
    last call only: the window asks once per frame, and rebuilding every epoch's rows in Python cost 3 ms a frame
    at 1,000 epochs and 16 ms at 5,000. Another history (a Reset), a shorter one or another number of layers (an
    edit) starts afresh."""

    def __init__(self) -> None:
        self._history: RunHistory | None = None
        self._layers = -1
        self._count = 0
        self._columns: dict[str, np.ndarray] = {}

    def series(self, history: RunHistory, layer_names: Sequence[str]) -> dict[str, dict[str, np.ndarray]]:
        layers, count = len(layer_names), len(history)
        if history is not self._history or layers != self._layers or count < self._count:
            self._history, self._layers, self._count, self._columns = history, layers, 0, {}
        if count > self._count or not self._columns:
            self._columns = self._grown(history, layers, slice(self._count, count))
            self._count = count
        c = self._columns
        stats = history.statistics
        can_die = stats[-1].can_die if stats else ()
        return {
            "loss": {name: c[key] for name, key in LOSS_SERIES.items()},
            "gradients": {name: c["norms"][:, k] for k, name in enumerate(layer_names)},
            "dead": {name: c["dead"][:, k] for k, name in enumerate(layer_names) if k < len(can_die) and can_die[k]},
            "means": {name: c["means"][:, k] for k, name in enumerate(layer_names)},
            "stds": {name: c["stds"][:, k] for k, name in enumerate(layer_names)},
        }

    def _grown(self, history: RunHistory, layers: int, new: slice) -> dict[str, np.ndarray]:
        """The columns so far with the rows of the epochs ``new`` appended."""
        records, stats = history.records[new], history.statistics[new]
        parts = {key: np.array([r.get(key, math.nan) for r in records], dtype=np.float64) for key in KERAS_KEYS}
        parts["norms"] = per_layer(history.gradient_norms[new], layers)
        parts["dead"] = per_layer([s.dead_share for s in stats], layers)
        parts["means"] = per_layer([s.mean for s in stats], layers)
        parts["stds"] = per_layer([s.std for s in stats], layers)
        if not self._columns:
            return parts
        return {key: np.concatenate([self._columns[key], part]) for key, part in parts.items()}


def per_layer(rows: list[np.ndarray], layers: int) -> np.ndarray:
    """Rows of per-layer values as an (epochs, layers) array; NaN where a row has another number of layers (the
    network was edited during the history)."""
    out = np.full((len(rows), layers), np.nan)
    for i, row in enumerate(rows):
        if len(row) == layers:
            out[i] = row
    return out


def padded(values: Sequence[float], length: int) -> np.ndarray:
    """``values`` then NaN up to ``length`` (a contender that stopped early draws no line past its end)."""
    out = np.full(length, np.nan)
    out[: len(values)] = values
    return out


def race_series(contenders: Sequence) -> tuple[np.ndarray, dict[str, np.ndarray], str]:
    """The race chart: (epochs, each contender's loss per epoch, what the loss is). Contenders are judged by their
    test loss when there are test rows, else by their training loss."""
    longest = max((c.epoch for c in contenders), default=0)
    epochs = np.arange(1, longest + 1, dtype=np.float64)
    series = {c.name: padded(c.test_losses or c.losses, longest) for c in contenders}
    judged = any(c.test_losses for c in contenders)
    return epochs, series, "test loss" if judged else "training loss"


# -- CSV tables ------------------------------------------------------------------------------------------------------
def history_table(history: dict[str, Sequence[float]]) -> Table:
    """Keras' History as a table: epoch (from 1), then each key (loss, accuracy, val_loss, val_accuracy, …)."""
    keys = list(history)
    epochs = len(next(iter(history.values()), []))
    rows = [[index + 1, *(float(history[key][index]) for key in keys)] for index in range(epochs)]
    return ["epoch", *keys], rows


def chart_table(chart: str, history: RunHistory, layer_names: Sequence[str]) -> Table:
    """The numbers of one Training Chart ("loss", "gradients", "dead" or "stats"): a row per epoch, a column per
    series. The loss chart leaves out series that have no value at all (no test rows, no accuracy)."""
    series = chart_series(history, layer_names)
    if chart == "loss":
        columns = {LOSS_HEADERS[n]: v for n, v in series["loss"].items() if np.isfinite(v).any()}
    elif chart == "stats":
        columns = {}
        for name in layer_names:
            columns[f"{name}: {LAYER_UNITS['means']}"] = series["means"][name]
            columns[f"{name}: {LAYER_UNITS['stds']}"] = series["stds"][name]
    elif chart in ("gradients", "dead"):
        columns = {f"{name}: {LAYER_UNITS[chart]}": values for name, values in series[chart].items()}
    else:
        raise ValueError(f"no training chart called {chart!r}")
    return columns_table(history.epochs, columns)


def race_table(contenders: Sequence) -> Table:
    """The race chart's numbers: epoch, then each contender's loss ("tanh: test loss")."""
    epochs, series, label = race_series(contenders)
    return columns_table(epochs.astype(int), {f"{name}: {label}": values for name, values in series.items()})


def columns_table(epochs: Iterable[int], columns: dict[str, np.ndarray]) -> Table:
    """A row per epoch: the epoch, then each column's value (NaN where a series has none)."""
    names = list(columns)
    rows = [[int(epoch), *(float(columns[n][i]) for n in names)] for i, epoch in enumerate(epochs)]
    return ["epoch", *names], rows
