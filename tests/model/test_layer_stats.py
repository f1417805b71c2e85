"""Layer statistics over the data (model/layer_stats.py): dead shares, mean and deviation per layer."""

from __future__ import annotations

import warnings

import numpy as np

from neuroviz.model import Network
from neuroviz.model.layer_stats import layer_statistics


def test_dead_shares_mean_and_deviation_equal_the_forward_pass():
    net = Network.from_sizes([2, 6, 3, 1], ["relu", "tanh", "sigmoid"], seed=4)
    x = np.random.default_rng(0).uniform(-3, 3, (50, 2))
    stats = layer_statistics(net, x)
    forward = net.forward(x)
    relu = forward.activations[1]
    np.testing.assert_array_equal(stats.dead_neurons[0], (relu == 0).mean(axis=0))
    assert stats.can_die == (True, False, False)
    for k in range(3):
        assert stats.mean[k] == float(forward.activations[k + 1].mean())
        assert stats.std[k] == float(forward.activations[k + 1].std())


def test_activations_near_the_largest_float_give_an_infinite_mean_without_a_warning():
    """exp of large pre-activations: finite values whose sum overflows (the monkey test found the warning)."""
    net = Network.from_sizes([1, 2, 1], ["exponential", "linear"], seed=0)
    net.layers[0].weights[...] = 709.0  # exp(709 · x) is finite up to x = 1, about 8e307
    net.layers[0].biases[...] = 0.0
    x = np.ones((4, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        stats = layer_statistics(net, x)
    assert np.isinf(stats.mean[0]) and not np.isfinite(stats.std[0])


def test_whether_a_layer_can_die_follows_its_parameters_also_changed_in_place():
    """The answer is kept per activation and parameter values: a PReLU whose slopes training sets to 0 in place
    (as the Trainer publishes them) can die, and one with other slopes cannot; relu's threshold and a leaky slope."""
    net = Network.from_sizes([2, 3, 1], ["prelu", "sigmoid"], seed=0)
    x = np.random.default_rng(1).normal(size=(20, 2))
    assert layer_statistics(net, x).can_die[0] is False
    alpha = np.full(3, 0.25)  # one slope per neuron, as Keras' PReLU layer has them
    net.set_params(1, alpha=alpha)
    alpha = net.layers[0].params["alpha"]
    assert layer_statistics(net, x).can_die[0] is False
    alpha[...] = 0.0  # in place, as Trainer.publish_alphas leaves the same array with new values
    assert layer_statistics(net, x).can_die[0] is True
    alpha[...] = 0.3
    assert layer_statistics(net, x).can_die[0] is False
    leaky = Network.from_sizes([2, 3, 1], ["relu", "sigmoid"], seed=0)
    assert layer_statistics(leaky, x).can_die[0] is True
    leaky.set_params(1, negative_slope=0.1)
    assert layer_statistics(leaky, x).can_die[0] is False
