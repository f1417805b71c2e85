"""Backpropagation against central differences: every activation, PReLU slopes, a custom formula, every loss."""

from __future__ import annotations

import numpy as np
import pytest

from neuroviz.model import activations, training
from neuroviz.model.network import Network
from neuroviz.model.training import losses

STEP = 1e-6


def _randomized(network: Network, seed: int) -> Network:
    """Random non-zero biases too, so no neuron sits on a kink by construction."""
    rng = np.random.default_rng(seed)
    for layer in network.layers:
        layer.weights = rng.normal(0.0, 0.5, layer.weights.shape)
        layer.biases = rng.normal(0.0, 0.3, layer.biases.shape)
    return network


def _loss(network: Network, x: np.ndarray, y: np.ndarray, loss: str) -> float:
    return training.gradients(network, x, y, loss).loss


def _central_difference(network: Network, array: np.ndarray, x, y, loss: str) -> np.ndarray:
    numeric = np.zeros(array.shape)
    for index in np.ndindex(array.shape):
        kept = array[index]
        array[index] = kept + STEP
        above = _loss(network, x, y, loss)
        array[index] = kept - STEP
        below = _loss(network, x, y, loss)
        array[index] = kept
        numeric[index] = (above - below) / (2 * STEP)
    return numeric


def _check_all(network: Network, x, y, loss: str = "mean_squared_error") -> None:
    analytic = training.gradients(network, x, y, loss)
    for k, layer in enumerate(network.layers):
        weights = _central_difference(network, layer.weights, x, y, loss)
        np.testing.assert_allclose(analytic.weights[k], weights, rtol=1e-5, atol=1e-7, err_msg=f"layer {k} weights")
        biases = _central_difference(network, layer.biases, x, y, loss)
        np.testing.assert_allclose(analytic.biases[k], biases, rtol=1e-5, atol=1e-7, err_msg=f"layer {k} biases")
        # deltas are ∂loss/∂z: summed over the batch they are the bias gradient
        np.testing.assert_allclose(analytic.deltas[k].sum(axis=0), analytic.biases[k], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", activations.names())
def test_every_activation_backpropagates_exactly(name):
    hidden = 6  # even, for glu (which outputs half of it)
    network = _randomized(Network.from_sizes([3, hidden, 4, 2], [name, "tanh", "linear"], seed=1), seed=2)
    rng = np.random.default_rng(3)
    x = rng.normal(0.0, 1.0, (5, 3))
    y = rng.normal(0.0, 1.0, (5, 2))
    _check_all(network, x, y)


@pytest.mark.parametrize("alpha", [0.3, "per neuron"])
def test_prelu_slopes_have_their_gradient(alpha):
    network = _randomized(Network.from_sizes([2, 4, 1], ["prelu", "linear"], seed=4), seed=5)
    value = 0.3 if alpha == 0.3 else np.array([0.1, 0.2, -0.3, 0.4])
    network.set_params(1, alpha=value)
    rng = np.random.default_rng(6)
    x, y = rng.normal(0.0, 1.0, (7, 2)), rng.normal(0.0, 1.0, 7)
    analytic = training.gradients(network, x, y, "mse")
    layer = network.layers[0]
    slopes = np.array(layer.params["alpha"], dtype=np.float64, ndmin=1)
    numeric = np.zeros(slopes.shape)
    for i in range(len(slopes)):
        for sign in (1, -1):
            shifted = slopes.copy()
            shifted[i] += sign * STEP
            layer.params["alpha"] = float(shifted[0]) if alpha == 0.3 else shifted
            numeric[i] += sign * _loss(network, x, y, "mse") / (2 * STEP)
    assert np.ndim(analytic.params[0]["alpha"]) == np.ndim(value)
    np.testing.assert_allclose(np.atleast_1d(analytic.params[0]["alpha"]), numeric, rtol=1e-5, atol=1e-8)
    assert analytic.params[1] == {}


def test_a_custom_formula_backpropagates_through_its_symbolic_derivative():
    network = _randomized(Network.from_sizes([3, 4, 2], ["tanh", "linear"], seed=7), seed=8)
    network.set_custom_activation(1, "x * sigmoid(beta * x) + 0.1 * sin(x)", beta=1.7)
    rng = np.random.default_rng(9)
    _check_all(network, rng.normal(0.0, 1.0, (4, 3)), rng.normal(0.0, 1.0, (4, 2)))


@pytest.mark.parametrize(
    ("loss", "output", "targets"),
    [
        ("mean_squared_error", "linear", "real"),
        ("mae", "linear", "real"),
        ("binary_crossentropy", "sigmoid", "binary"),
        ("categorical_crossentropy", "softmax", "one_hot"),
        ("categorical_crossentropy", "sigmoid", "one_hot"),  # not normalised: the division by the sum counts
        ("sparse_categorical_crossentropy", "softmax", "labels"),
        ("hinge", "tanh", "binary"),
        ("hinge", "tanh", "signs"),
    ],
)
def test_every_loss_backpropagates_exactly(loss, output, targets):
    outputs = 1 if targets in ("binary", "signs") else 3
    network = _randomized(Network.from_sizes([2, 5, outputs], ["elu", output], seed=10), seed=11)
    rng = np.random.default_rng(12)
    x = rng.normal(0.0, 1.0, (6, 2))
    y = {
        "real": rng.normal(0.0, 1.0, (6, outputs)),
        "binary": rng.integers(0, 2, 6).astype(float),
        "signs": rng.choice([-1.0, 1.0], 6),
        "one_hot": np.eye(3)[rng.integers(0, 3, 6)],
        "labels": rng.integers(0, 3, 6).astype(float),
    }[targets]
    _check_all(network, x, y, loss)


def test_regularization_is_in_the_loss_and_the_weight_gradient():
    network = _randomized(Network.from_sizes([2, 3, 1], ["tanh", "linear"], seed=13), seed=14)
    network.layers[0].kernel_regularizer = {"l1": 0.02, "l2": 0.05}
    rng = np.random.default_rng(15)
    x, y = rng.normal(0.0, 1.0, (4, 2)), rng.normal(0.0, 1.0, 4)
    plain = training.gradients(network, x, y, "mse", regularize=False)
    full = training.gradients(network, x, y, "mse")
    w = network.layers[0].weights
    assert full.loss == pytest.approx(plain.loss + 0.02 * np.abs(w).sum() + 0.05 * (w**2).sum(), rel=1e-12)
    np.testing.assert_allclose(full.weights[0] - plain.weights[0], 0.02 * np.sign(w) + 0.1 * w, rtol=1e-12)
    _check_all(network, x, y)


def test_the_gradient_through_a_clipped_probability_is_zero():
    """Keras clips to [1e-7, 1 − 1e-7] and the gradient through jnp.clip is 0 there (facts §2)."""
    y_pred = np.array([[1.0 - 1e-12], [0.3]])
    per_sample, by_pred = losses.binary_crossentropy(np.array([[0.0], [1.0]]), y_pred)
    assert per_sample[0] == pytest.approx(-np.log(1e-7), rel=1e-6)
    assert by_pred[0, 0] == 0.0
    assert by_pred[1, 0] == pytest.approx(-1 / 0.3 / 2)


def test_network_gradients_is_the_same_function():
    network = _randomized(Network.from_sizes([2, 3, 1], ["tanh", "sigmoid"], seed=16), seed=17)
    x, y = np.array([0.5, -1.0]), np.array([1.0])
    method = network.gradients(x, y, "binary_crossentropy")
    function = training.gradients(network, x[np.newaxis], y, "binary_crossentropy")
    for ours, theirs in zip(method.weights + method.biases, function.weights + function.biases, strict=True):
        np.testing.assert_array_equal(ours, theirs)
    assert method.loss == function.loss
