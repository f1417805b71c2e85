"""The race's fairness: same initial weights, same batches; a contender is exactly a plain Trainer run."""

import math

import numpy as np
import pytest

from neuroviz.model import Network, datasets
from neuroviz.model.race import Race, RaceSettings, contender_network
from neuroviz.model.training import Trainer, optimizers


def xor_rows():
    data = datasets.generate("xor", noise=0.0, seed=1)
    train, test = datasets.split(data, 0.5)
    net = Network.from_sizes([2, 5, 1], ["relu", "sigmoid"], seed=4)
    return net, (train.x, train.targets_for(net)), (test.x, test.targets_for(net))


def test_contenders_start_from_the_same_weights_with_their_activation():
    net, train, test = xor_rows()
    race = Race(net, ["tanh", "sigmoid", "selu"], RaceSettings("binary_crossentropy", epochs=3), train, test)
    for contender in race.contenders:
        assert contender.network.layers[0].activation == contender.name
        assert contender.network.layers[1].activation == "sigmoid"  # the output layer stays
        for mine, original in zip(contender.network.layers, net.layers, strict=True):
            np.testing.assert_array_equal(mine.weights, original.weights)
            np.testing.assert_array_equal(mine.biases, original.biases)
    assert net.layers[0].activation == "relu"  # the network itself is not touched


def test_a_contender_equals_a_plain_trainer_run_on_the_same_batches():
    net, train, test = xor_rows()
    settings = RaceSettings("binary_crossentropy", "adam", 0.02, {}, batch_size=10, seed=7, epochs=4)
    race = Race(net, ["tanh", "relu"], settings, train, test)
    while not race.finished:
        race.step(3)  # slices that cross epoch ends
    for name in ("tanh", "relu"):
        plain = contender_network(net, name)
        trainer = Trainer(plain, optimizers.get("adam", learning_rate=0.02), "binary_crossentropy")
        history = trainer.fit(*train, batch_size=10, epochs=4, shuffle=True, seed=7, validation_data=test)
        contender = next(c for c in race.contenders if c.name == name)
        assert contender.epoch == 4
        np.testing.assert_array_equal(contender.network.layers[0].weights, plain.layers[0].weights)
        assert contender.losses == history.history["loss"]
        assert contender.test_losses == history.history["val_loss"]


def test_the_winner_has_the_lowest_test_loss_and_a_diverged_contender_never_wins():
    net, train, test = xor_rows()
    race = Race(net, ["tanh", "sigmoid"], RaceSettings("binary_crossentropy", epochs=2), train, test)
    while not race.finished:
        race.step(50)
    best = min(race.contenders, key=lambda c: c.test_losses[-1])
    assert race.winner() is best
    best.failure = "training diverged"
    assert math.isinf(best.final_loss()) and race.winner() is not best


def test_bad_races_say_why():
    net, train, test = xor_rows()
    with pytest.raises(ValueError, match="at least one activation"):
        Race(net, [], RaceSettings("binary_crossentropy"), train, test)
    with pytest.raises(ValueError, match="custom formula"):
        Race(net, ["custom"], RaceSettings("binary_crossentropy"), train, test)
    with pytest.raises(ValueError, match="at least one epoch"):
        Race(net, ["tanh"], RaceSettings("binary_crossentropy", epochs=0), train, test)
