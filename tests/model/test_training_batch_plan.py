"""The Trainer's fast inner loop (batch_plan) against the general backpropagation it must equal.

BatchPlan writes every layer's pass into arrays made once and has its own few operations for linear, relu, tanh,
sigmoid and the mean squared error; these tests hold it (and ``network.gradients``, which runs on it) to the
general way, :func:`backprop.general_gradients`, bit for bit on seeded random networks of every activation and
every loss, and a whole ``fit`` (shuffled, with a last partial batch) to a replay built from the general way and
the same optimizer, so the fast path cannot drift.
"""

from __future__ import annotations

import numpy as np
import pytest

from neuroviz.model import activations, training
from neuroviz.model.network import Network
from neuroviz.model.training import SGD, Adam, RMSprop, Trainer, backprop, losses, metrics
from neuroviz.model.training.batch_plan import BatchPlan, kind_of


def _randomized(network: Network, seed: int) -> Network:
    rng = np.random.default_rng(seed)
    for layer in network.layers:
        layer.weights = rng.normal(0.0, 0.7, layer.weights.shape)
        layer.biases = rng.normal(0.0, 0.4, layer.biases.shape)
    return network


def _plan_gradients(network: Network, x: np.ndarray, y: np.ndarray, loss: str) -> tuple[float, list, list, list]:
    """The batch's mean loss and the gradients as the Trainer's BatchPlan computes them."""
    layers = network.layers
    blocks = [
        (
            backprop.stacked(layer),
            np.full((layer.weights.shape[0] + 1, layer.weights.shape[1]), np.nan),
            np.full(np.shape(layer.params["alpha"]), np.nan) if layer.activation == "prelu" else None,
        )
        for layer in layers
    ]
    plan = BatchPlan(layers, [layer.function for layer in layers], blocks, losses.get(loss), len(x))
    targets = losses.aligned_targets(loss, y, network.n_outputs)
    with np.errstate(all="ignore"):
        for _ in range(2):  # the second batch reuses the arrays of the first
            mean, by_output = plan.loss(targets, plan.forward(backprop.with_ones(x)))
            plan.backward(by_output)
    return mean, [g[1][:-1] for g in blocks], [g[1][-1] for g in blocks], [g[2] for g in blocks]


def _general(network: Network, x: np.ndarray, y: np.ndarray, loss: str) -> backprop.Gradients:
    """The gradients the general way (backprop.forward and backward), without any plan."""
    targets = losses.aligned_targets(loss, y, network.n_outputs)
    with np.errstate(all="ignore"):
        return backprop.general_gradients(network.layers, x, targets, losses.get(loss))


def _assert_same(network: Network, x: np.ndarray, y: np.ndarray, loss: str) -> None:
    """The plan equals the general way bit for bit, and network.gradients (the plan kept per network) equals both."""
    general = _general(network, x, y, loss)
    mean, weights, biases, alphas = _plan_gradients(network, x, y, loss)
    kept = training.gradients(network, x, y, loss, regularize=False)
    assert mean == general.loss == kept.loss
    for k in range(len(network.layers)):
        assert np.array_equal(weights[k], general.weights[k]), f"layer {k} weights"
        assert np.array_equal(biases[k], general.biases[k]), f"layer {k} biases"
        assert np.array_equal(kept.weights[k], general.weights[k]), f"layer {k} weights, network.gradients"
        assert np.array_equal(kept.biases[k], general.biases[k]), f"layer {k} biases, network.gradients"
        assert np.array_equal(kept.deltas[k], general.deltas[k]), f"layer {k} deltas, network.gradients"
        if alphas[k] is not None:
            assert np.array_equal(alphas[k], general.params[k]["alpha"]), f"layer {k} alpha"
            assert np.array_equal(kept.params[k]["alpha"], general.params[k]["alpha"]), f"layer {k} alpha, kept"


@pytest.mark.parametrize("name", activations.names())
def test_every_activation_gives_the_general_gradients_bit_for_bit(name):
    """As a hidden layer, and as the output layer (glu needs an even number of units)."""
    rng = np.random.default_rng(1)
    x = rng.normal(0.0, 1.5, (7, 3))
    hidden = _randomized(Network.from_sizes([3, 6, 4, 2], [name, "tanh", "linear"], seed=1), seed=2)
    _assert_same(hidden, x, rng.normal(0.0, 1.0, (7, 2)), "mse")
    output = _randomized(Network.from_sizes([3, 5, 4], ["relu", name], seed=3), seed=4)
    _assert_same(output, x, rng.normal(0.0, 1.0, (7, output.n_outputs)), "mse")


@pytest.mark.parametrize(
    ("sizes", "names", "loss"),
    [
        ([2, 4, 2, 1], ["tanh", "tanh", "tanh"], "mse"),
        ([7, 8, 8, 8, 1], ["relu", "sigmoid", "linear", "tanh"], "mean_squared_error"),
        ([3, 5, 3], ["relu", "tanh"], "mse"),
        ([3, 5, 3], ["elu", "sigmoid"], "mae"),
        ([3, 5, 1], ["relu", "sigmoid"], "binary_crossentropy"),
        ([3, 5, 3], ["tanh", "softmax"], "categorical_crossentropy"),
        ([3, 5, 3], ["selu", "softmax"], "sparse_categorical_crossentropy"),
        ([3, 5, 1], ["swish", "tanh"], "hinge"),
    ],
)
@pytest.mark.parametrize("batch", [1, 10, 33])
def test_every_loss_and_batch_size_gives_the_general_gradients_bit_for_bit(sizes, names, loss, batch):
    rng = np.random.default_rng(batch)
    network = _randomized(Network.from_sizes(sizes, names, seed=5), seed=6)
    x = rng.normal(0.0, 2.0, (batch, sizes[0]))
    outputs = network.n_outputs
    if loss == "sparse_categorical_crossentropy":
        y = rng.integers(0, outputs, batch).astype(float)
    elif loss == "categorical_crossentropy":
        y = np.eye(outputs)[rng.integers(0, outputs, batch)]
    elif loss in ("binary_crossentropy", "hinge"):
        y = rng.integers(0, 2, (batch, outputs)).astype(float)
    else:
        y = rng.normal(0.0, 1.0, (batch, outputs))
    _assert_same(network, x, y, loss)


def test_prelu_slopes_shared_and_per_neuron_bit_for_bit():
    rng = np.random.default_rng(7)
    x, y = rng.normal(0.0, 1.0, (9, 2)), rng.normal(0.0, 1.0, (9, 1))
    for alpha in (0.3, np.array([0.1, -0.2, 0.3, 0.4])):
        network = _randomized(Network.from_sizes([2, 4, 1], ["prelu", "linear"], seed=8), seed=9)
        network.set_params(1, alpha=alpha)
        _assert_same(network, x, y, "mse")


def test_the_four_playground_activations_take_the_short_way_and_the_others_the_general_one():
    network = Network.from_sizes([2, 3, 3, 3, 3, 3, 3], ["linear", "relu", "tanh", "sigmoid", "elu", "softmax"])
    assert [kind_of(layer) for layer in network.layers] == ["linear", "relu", "tanh", "sigmoid", "general", "general"]
    network.set_params(2, negative_slope=0.1)  # a leaky relu is not the plain one
    assert kind_of(network.layers[1]) == "general"


def _replay(network: Network, optimizer, x, y, loss: str, batch_size: int, epochs: int, seed: int) -> list:
    """fit, written out with the general backpropagation on copies of the arrays: Keras' loop, nothing shared (no
    regularizer in these cases, so the batch's gradient is the general one)."""
    layers = network.layers
    rng = np.random.default_rng(seed)
    targets = losses.aligned_targets(loss, y, network.n_outputs)
    kind = metrics.accuracy_kind(losses.is_sparse(loss), network.n_outputs)
    records = []
    for _ in range(epochs):
        order = rng.permutation(len(x))
        total = correct = 0.0
        for start in range(0, len(x), batch_size):
            rows = order[start : start + batch_size]
            with np.errstate(all="ignore"):
                grads = backprop.general_gradients(layers, x[rows], targets[rows], losses.get(loss))
            prediction = backprop.forward(layers, [layer.function for layer in layers], x[rows]).values[-1]
            total += grads.loss * len(rows)
            correct += metrics.correct(kind, targets[rows], prediction)
            pairs = zip(grads.weights, grads.biases, strict=True)
            flat = np.concatenate([np.concatenate([g.ravel(), b]) for g, b in pairs])
            values = np.concatenate([np.concatenate([layer.weights.ravel(), layer.biases]) for layer in layers])
            optimizer.apply(values, flat)
            start_at = 0
            for layer in layers:
                n_weights, n_biases = layer.weights.size, layer.biases.size
                layer.weights = values[start_at : start_at + n_weights].reshape(layer.weights.shape).copy()
                layer.biases = values[start_at + n_weights : start_at + n_weights + n_biases].copy()
                start_at += n_weights + n_biases
        records.append({"loss": total / len(x), "accuracy": correct / len(x)})
    return records


@pytest.mark.parametrize(
    ("sizes", "names", "loss", "make_optimizer"),
    [
        ([2, 4, 2, 1], ["tanh", "tanh", "tanh"], "mse", lambda: SGD(0.03)),
        ([3, 6, 1], ["relu", "sigmoid"], "binary_crossentropy", lambda: Adam(0.01)),
        ([3, 5, 3], ["sigmoid", "softmax"], "categorical_crossentropy", lambda: RMSprop(0.01, momentum=0.5)),
        ([3, 4, 4, 2], ["linear", "gelu", "tanh"], "mse", lambda: SGD(0.05, momentum=0.9, nesterov=True)),
    ],
)
def test_a_shuffled_fit_with_a_partial_batch_equals_the_replay_bit_for_bit(sizes, names, loss, make_optimizer):
    rng = np.random.default_rng(11)
    x = rng.normal(0.0, 1.0, (23, sizes[0]))
    outputs = sizes[-1]
    if loss == "categorical_crossentropy":
        y = np.eye(outputs)[rng.integers(0, outputs, 23)]
    elif loss == "binary_crossentropy":
        y = rng.integers(0, 2, 23).astype(float)
    else:
        y = rng.normal(0.0, 0.5, (23, outputs))
    network = _randomized(Network.from_sizes(sizes, names, seed=12), seed=13)
    replayed = network.copy()
    history = Trainer(network, optimizer=make_optimizer(), loss=loss).fit(
        x, y, batch_size=5, epochs=3, shuffle=True, seed=14
    )
    expected = _replay(replayed, make_optimizer(), x, y, loss, batch_size=5, epochs=3, seed=14)
    assert history.history["loss"] == [record["loss"] for record in expected]
    assert history.history["accuracy"] == [record["accuracy"] for record in expected]
    for ours, theirs in zip(network.layers, replayed.layers, strict=True):
        assert np.array_equal(ours.weights, theirs.weights)
        assert np.array_equal(ours.biases, theirs.biases)


def test_slices_of_any_length_count_the_same_loss_and_accuracy_as_whole_epochs():
    rng = np.random.default_rng(15)
    x = rng.normal(0.0, 1.0, (47, 2))
    y = (x[:, 0] > x[:, 1]).astype(float)
    whole = Network.from_sizes([2, 5, 1], ["relu", "sigmoid"], seed=16)
    sliced = whole.copy()
    expected = Trainer(whole, optimizer="adam", loss="binary_crossentropy").fit(x, y, batch_size=4, epochs=3, seed=2)
    trainer = Trainer(sliced, optimizer="adam", loss="binary_crossentropy")
    trainer.start(x, y, batch_size=4, seed=2)
    finished = []
    for n in (1, 5, 2, 7, 1, 3, 12, 5):  # 36 batches: 3 epochs of 12, crossing epoch ends mid-slice
        progress = trainer.step(n)
        finished += progress.finished_epochs
        assert 0.0 <= progress.accuracy <= 1.0
    assert [record["loss"] for record in finished] == expected.history["loss"]
    assert [record["accuracy"] for record in finished] == expected.history["accuracy"]


def test_gradient_plans_are_kept_for_the_two_networks_asked_last_only():
    """A plan holds arrays of the batch's size for every layer: older networks (undo steps) keep none, and a network
    asked again after others gets the same numbers from a new plan."""
    from neuroviz.model.training import gradient_plan

    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(9, 3)), rng.normal(size=(9, 2))
    networks = [_randomized(Network.from_sizes([3, 5, 2], ["tanh", "linear"], seed=s), seed=s) for s in range(3)]
    first = training.gradients(networks[0], x, y, "mse")
    for network in networks[1:]:
        training.gradients(network, x, y, "mse")
    kept = [ref() for ref, _plan in gradient_plan._recent]
    assert kept == [networks[2], networks[1]]
    again = training.gradients(networks[0], x, y, "mse")
    for k in range(2):
        assert np.array_equal(again.weights[k], first.weights[k])
    assert [ref() for ref, _plan in gradient_plan._recent] == [networks[0], networks[2]]
