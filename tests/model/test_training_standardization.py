"""fold_standardization: a network trained on standardised inputs, made to take the raw ones."""

from __future__ import annotations

import numpy as np
import pytest

from neuroviz.model import datasets
from neuroviz.model.network import Network
from neuroviz.model.training import Trainer, fold_standardization


@pytest.mark.parametrize("names", [["tanh", "sigmoid"], ["relu", "softmax"], ["glu", "linear"], ["elu", "tanh"]])
def test_the_folded_network_gives_on_raw_inputs_what_it_gave_on_standardised_ones(names):
    rng = np.random.default_rng(0)
    raw = rng.normal(5.0, 3.0, (40, 3)) * np.array([1.0, 100.0, 0.01])
    network = Network.from_sizes([3, 6, 3], names, seed=1)
    train = datasets.Dataset(raw, np.zeros(len(raw)), ("a", "b", "c"), "regression")
    mean, scale = datasets.standardization(train)
    (standardised,) = datasets.standardize(train)
    before = network.forward(standardised.x).outputs
    fold_standardization(network, mean, scale)
    np.testing.assert_allclose(network.forward(raw).outputs, before, rtol=1e-12, atol=1e-13)


def test_a_constant_column_is_only_shifted_and_still_works():
    raw = np.column_stack([np.full(6, 7.0), np.linspace(-1.0, 4.0, 6)])
    train = datasets.Dataset(raw, np.zeros(6), ("c", "x"), "regression")
    mean, scale = datasets.standardization(train)
    assert scale[0] == 1.0 and mean[0] == 7.0
    network = Network.from_sizes([2, 3, 1], ["tanh", "linear"], seed=2)
    before = network.forward(datasets.standardize(train)[0].x).outputs
    fold_standardization(network, mean, scale)
    np.testing.assert_allclose(network.forward(raw).outputs, before, rtol=1e-12, atol=1e-13)


def test_a_trained_network_scores_the_same_on_raw_validation_rows():
    data = datasets.generate("gauss", n=200, noise=0.2, seed=3)
    train, validation = datasets.split(data, 0.5)
    mean, scale = datasets.standardization(train)
    s_train, s_validation = datasets.standardize(train, validation)
    network = Network.from_sizes([2, 4, 1], ["tanh", "tanh"], seed=4)
    trainer = Trainer(network, optimizer="adam", loss="mse")
    y_train, y_validation = s_train.targets_for(network, "mse"), s_validation.targets_for(network, "mse")
    trainer.fit(s_train.x, y_train, batch_size=10, epochs=3, seed=5)
    standardised_score = trainer.evaluate(s_validation.x, y_validation)
    fold_standardization(network, mean, scale)
    raw_score = Trainer(network, loss="mse").evaluate(validation.x, y_validation)
    assert raw_score["loss"] == pytest.approx(standardised_score["loss"], rel=1e-12)
    assert raw_score["accuracy"] == standardised_score["accuracy"]


@pytest.mark.parametrize(
    ("mean", "scale", "message"),
    [
        ([0.0], [1.0, 1.0], "one number per input"),
        ([0.0, 0.0], [1.0, 0.0], "the scales positive"),
        ([np.nan, 0.0], [1.0, 1.0], "must be finite"),
    ],
)
def test_bad_numbers_are_refused_and_the_network_is_kept(mean, scale, message):
    network = Network.from_sizes([2, 3, 1], ["tanh", "linear"], seed=6)
    weights = network.layers[0].weights.copy()
    with pytest.raises(ValueError, match=message):
        fold_standardization(network, np.array(mean), np.array(scale))
    assert np.array_equal(network.layers[0].weights, weights)
