"""The Training Charts' series of a growing history, worked out per new epoch, equal those of the whole history."""

from __future__ import annotations

import numpy as np
import pytest

from neuroviz.model import Network
from neuroviz.model.layer_stats import layer_statistics
from neuroviz.model.run_history import GrowingChartSeries, RunHistory, chart_series


def _assert_same(got: dict, expected: dict) -> None:
    assert list(got) == list(expected)
    for chart in expected:
        assert list(got[chart]) == list(expected[chart]), chart
        for name, values in expected[chart].items():
            np.testing.assert_array_equal(got[chart][name], values, err_msg=f"{chart}: {name}")


def _epoch(history: RunHistory, network: Network, x: np.ndarray, rng, test: bool = True) -> None:
    norms = rng.uniform(0.0, 1.0, len(network.layers))
    record = {"loss": float(rng.uniform()), "accuracy": float(rng.uniform())}
    if test:
        record |= {"val_loss": float(rng.uniform()), "val_accuracy": float(rng.uniform())}
    history.finish_epoch(record, norms, layer_statistics(network, x))


def test_series_grown_epoch_by_epoch_equal_the_whole_historys():
    rng = np.random.default_rng(0)
    network = Network.from_sizes([2, 5, 4, 1], ["relu", "tanh", "sigmoid"], seed=0)
    x = rng.normal(size=(40, 2))
    names = [layer.name for layer in network.layers]
    history, growing = RunHistory(), GrowingChartSeries()
    _assert_same(growing.series(history, names), chart_series(history, names))  # empty
    for epoch in range(7):
        _epoch(history, network, x, rng, test=epoch != 3)  # one epoch without test numbers: NaN there
        network.layers[0].biases[:] -= 0.3  # relu neurons die as training goes
        _assert_same(growing.series(history, names), chart_series(history, names))
    assert np.isnan(growing.series(history, names)["loss"]["loss (test)"][3])


def test_a_reset_or_an_edited_network_starts_the_series_afresh():
    rng = np.random.default_rng(1)
    network = Network.from_sizes([2, 3, 1], ["relu", "sigmoid"], seed=0)
    x = rng.normal(size=(30, 2))
    history, growing = RunHistory(), GrowingChartSeries()
    for _ in range(3):
        _epoch(history, network, x, rng)
    growing.series(history, ["hidden 1", "output"])
    network.insert_layer(2, 4, "tanh")  # an edit: three layers now, the old epochs have two (NaN in the charts)
    _epoch(history, network, x, rng)
    names = [layer.name for layer in network.layers]
    _assert_same(growing.series(history, names), chart_series(history, names))
    fresh = RunHistory()  # Reset: a new history
    _epoch(fresh, network, x, rng)
    _assert_same(growing.series(fresh, names), chart_series(fresh, names))
    assert len(growing.series(fresh, names)["loss"]["loss"]) == 1


def test_a_slice_is_recorded_only_when_it_ends_where_its_epoch_ends():
    """The layer statistics of an epoch are the network's at its end: a slice that went on is refused."""
    from neuroviz.model.training import Trainer

    rng = np.random.default_rng(0)
    network = Network.from_sizes([2, 3, 1], ["relu", "sigmoid"], seed=0)
    x, y = rng.normal(size=(30, 2)), rng.integers(0, 2, 30).astype(float)
    trainer = Trainer(network, optimizer="sgd", loss="binary_crossentropy")
    trainer.track_gradient_norms = True
    trainer.start(x, y, batch_size=10, shuffle=False)
    history = RunHistory()
    history.record(trainer.step(2), network, x)
    assert len(history) == 0  # nothing finished yet
    history.record(trainer.step(1), network, x)
    assert len(history) == 1
    np.testing.assert_array_equal(history.statistics[0].mean, layer_statistics(network, x).mean)
    with pytest.raises(ValueError, match="must end where the epoch"):
        history.record(trainer.step(4), network, x)
