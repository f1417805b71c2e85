"""Trainer: Keras' fit bookkeeping (batches, history, validation), slices, divergence, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from neuroviz.model import training
from neuroviz.model.network import Network
from neuroviz.model.training import SGD, Adam, Trainer, TrainingDiverged, optimizers


def _data(n: int = 23, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, (n, 2))
    return x, (x[:, 0] * x[:, 1] > 0).astype(float)


def _network(seed: int = 1) -> Network:
    return Network.from_sizes([2, 4, 1], ["tanh", "sigmoid"], seed=seed)


def test_fit_is_plain_minibatch_sgd_with_the_keras_history():
    """Batches in order, the last partial one (23 = 2·10 + 3) its own step, loss = batch-size-weighted mean
    of the losses before each update, penalty included (replayed by hand with training.gradients)."""
    x, y = _data()
    network = _network()
    network.layers[0].kernel_regularizer = {"l1": 0.0, "l2": 0.01}
    replay = network.copy()
    history = Trainer(network, optimizer=SGD(0.5), loss="binary_crossentropy").fit(
        x, y, batch_size=10, epochs=2, shuffle=False
    )
    expected = []
    for _ in range(2):
        total = 0.0
        for start in (0, 10, 20):
            grads = training.gradients(replay, x[start : start + 10], y[start : start + 10], "binary_crossentropy")
            total += grads.loss * len(x[start : start + 10])
            for layer, gw, gb in zip(replay.layers, grads.weights, grads.biases, strict=True):
                layer.weights = layer.weights - 0.5 * gw
                layer.biases = layer.biases - 0.5 * gb
        expected.append(total / len(x))
    np.testing.assert_allclose(history.history["loss"], expected, rtol=1e-12)
    for ours, theirs in zip(network.layers, replay.layers, strict=True):
        np.testing.assert_allclose(ours.weights, theirs.weights, rtol=1e-12)
        np.testing.assert_allclose(ours.biases, theirs.biases, rtol=1e-12)
    assert sorted(history.history) == ["accuracy", "loss"]
    assert history.epoch == [0, 1]


def test_validation_split_takes_the_last_samples_and_scores_them_after_the_epoch():
    x, y = _data(90)
    network = _network()
    trainer = Trainer(network, optimizer="adam", loss="binary_crossentropy")
    history = trainer.fit(x, y, batch_size=8, epochs=1, validation_split=0.3, seed=3)
    assert trainer.batches_per_epoch == math.ceil(62 / 8)  # floor(90·0.7) = 62, as Keras' float pitfall
    after = trainer.evaluate(x[62:], y[62:])
    assert history.history["val_loss"] == [pytest.approx(after["loss"], rel=1e-12)]
    assert history.history["val_accuracy"] == [pytest.approx(after["accuracy"])]


def test_validation_data_is_used_instead_of_a_split():
    x, y = _data(30)
    vx, vy = _data(12, seed=5)
    trainer = Trainer(_network(), optimizer="sgd", loss="mse")
    history = trainer.fit(x, y, batch_size=5, epochs=2, validation_data=(vx, vy), validation_split=0.5, seed=0)
    assert trainer.batches_per_epoch == 6
    assert len(history.history["val_loss"]) == 2
    assert history.history["val_loss"][-1] == pytest.approx(trainer.evaluate(vx, vy)["loss"])


def test_shuffling_follows_the_seed():
    x, y = _data(40)
    results = []
    for seed in (7, 7, 8):
        network = _network()
        Trainer(network, optimizer="adam").fit(x, y, batch_size=4, epochs=2, seed=seed)
        results.append(network.layers[0].weights.copy())
    np.testing.assert_array_equal(results[0], results[1])
    assert not np.array_equal(results[0], results[2])


def test_steps_report_counters_loss_and_gradient_norms():
    x, y = _data(25)
    trainer = Trainer(_network(), optimizer="sgd", loss="binary_crossentropy")
    trainer.start(x, y, batch_size=10, shuffle=False)
    progress = trainer.step(2)
    assert (progress.epoch, progress.batch, progress.batches_per_epoch) == (0, 2, 3)
    assert len(progress.gradient_norms) == 2 and all(norm > 0 for norm in progress.gradient_norms)
    assert progress.finished_epochs == ()
    progress = trainer.step(1)
    assert (progress.epoch, progress.batch) == (1, 0)
    assert progress.finished_epochs[0]["loss"] == progress.loss == trainer.history.history["loss"][0]
    progress = trainer.epoch()
    assert (progress.epoch, progress.batch) == (2, 0)
    assert len(trainer.history.history["loss"]) == 2


def test_a_diverging_step_raises_and_keeps_the_weights_from_before_it():
    network = Network.from_sizes([1, 3, 1], ["exponential", "exponential"], seed=2)
    x = np.linspace(1.0, 3.0, 8)[:, None]
    trainer = Trainer(network, optimizer=SGD(1e6), loss="mse")
    trainer.start(x, np.full(8, 1e3), batch_size=2, shuffle=False)
    before = [layer.weights.copy() for layer in network.layers]
    with pytest.raises(TrainingDiverged) as raised:
        for _ in range(20):
            before = [layer.weights.copy() for layer in network.layers]
            trainer.step(1)
    assert raised.value.epoch >= 1 and raised.value.batch >= 1
    assert f"epoch {raised.value.epoch}, batch {raised.value.batch}" in str(raised.value)
    for layer, kept in zip(network.layers, before, strict=True):
        np.testing.assert_array_equal(layer.weights, kept)
        assert np.isfinite(layer.weights).all()


def test_a_diverging_slice_tells_what_it_trained_before_the_failing_batch():
    network = Network.from_sizes([1, 3, 1], ["exponential", "exponential"], seed=2)
    x = np.linspace(1.0, 3.0, 8)[:, None]
    trainer = Trainer(network, optimizer=SGD(1e6), loss="mse")
    trainer.start(x, np.full(8, 1e3), batch_size=2, shuffle=False)
    with pytest.raises(TrainingDiverged) as raised:
        trainer.step(40)
    progress = raised.value.progress
    failed_at = (raised.value.epoch - 1) * trainer.batches_per_epoch + raised.value.batch
    assert progress.batches == failed_at - 1  # every batch before the failing one
    assert progress.epoch == raised.value.epoch - 1 and progress.batch == raised.value.batch - 1


def test_a_slice_stops_when_until_says_so_and_counts_its_batches():
    x, y = _data(50)
    trainer = Trainer(_network(), optimizer="sgd", loss="binary_crossentropy")
    trainer.start(x, y, batch_size=10, shuffle=False)
    asked = []
    progress = trainer.step(12, until=lambda: asked.append(1) or len(asked) == 3)
    assert (progress.batches, progress.epoch, progress.batch) == (3, 0, 3) and len(asked) == 3
    progress = trainer.step(12)
    assert (progress.batches, progress.epoch, progress.batch) == (12, 3, 0)
    assert len(progress.finished_epochs) == 3


def test_tracked_gradient_norms_are_each_epochs_mean_of_its_batches_norms():
    """Batch by batch (each step's last-batch norms, averaged by hand) and whole epochs at once give the same."""
    x, y = _data(45)
    by_batch = Trainer(_network(), optimizer=SGD(0.3), loss="binary_crossentropy")
    whole = Trainer(_network(), optimizer=SGD(0.3), loss="binary_crossentropy")
    whole.track_gradient_norms = True
    for trainer in (by_batch, whole):
        trainer.start(x, y, batch_size=10, shuffle=True, seed=4)
    expected = []
    for _ in range(3):
        norms = [np.array(by_batch.step(1).gradient_norms) for _ in range(by_batch.batches_per_epoch)]
        total = norms[0]
        for batch_norms in norms[1:]:
            total = total + batch_norms
        expected.append(total / len(norms))
    progress = whole.step(3 * whole.batches_per_epoch)
    assert len(progress.epoch_gradient_norms) == 3
    for got, want in zip(progress.epoch_gradient_norms, expected, strict=True):
        np.testing.assert_array_equal(got, want)
    assert by_batch.step(1).epoch_gradient_norms == ()  # not tracked: none computed


def test_adams_first_step_moves_every_weight_by_about_the_learning_rate():
    """m = 0.1g, v = 0.001g², alpha = lr·√0.001/0.1, so each step is lr·g/(|g| + ε/√0.001) ≈ lr·sign(g)."""
    optimizer = Adam(learning_rate=0.01)
    w = np.array([1.0, -2.0, 3.0])
    g = np.array([0.5, -4.0, 1e-3])
    optimizer.apply(w, g)
    np.testing.assert_allclose(w, [1.0, -2.0, 3.0] - 0.01 * g / (np.abs(g) + 1e-7 / math.sqrt(0.001)), rtol=1e-12)


def test_optimizers_by_name_take_keras_defaults_and_refuse_what_they_cannot_do():
    assert optimizers.get("SGD").get_config() == {"learning_rate": 0.01, "momentum": 0.0, "nesterov": False}
    assert optimizers.get("adagrad").initial_accumulator_value == 0.1
    assert optimizers.get("rmsprop", learning_rate=0.1, name="rmsprop", clipnorm=None).learning_rate == 0.1
    with pytest.raises(ValueError, match="clipnorm"):
        optimizers.get("adam", clipnorm=1.0)
    with pytest.raises(ValueError, match="unknown optimizer"):
        optimizers.get("lbfgs")
    with pytest.raises(ValueError, match="learning_rate must be > 0"):
        optimizers.get("sgd", learning_rate=-1)


def test_prelu_slopes_train_and_a_shared_slope_stays_one_number():
    x, y = _data(20)
    network = Network.from_sizes([2, 4, 1], ["prelu", "sigmoid"], seed=3)
    network.set_params(1, alpha=0.25)
    Trainer(network, optimizer=SGD(0.5), loss="binary_crossentropy").fit(x, y, batch_size=5, epochs=2, shuffle=False)
    alpha = network.layers[0].params["alpha"]
    assert isinstance(alpha, float) and alpha != 0.25


def test_an_edited_network_keeps_training():
    x, y = _data(20)
    network = _network()
    trainer = Trainer(network, optimizer="adam")
    trainer.fit(x, y, batch_size=5)
    network.resize_layer(1, 6)
    history = trainer.fit(x, y, batch_size=5)
    assert network.layers[0].weights.shape == (2, 6) and math.isfinite(history.history["loss"][0])
    assert network.forward(x).outputs.shape == (20, 1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"y": np.zeros((20, 2))}, r"targets of shape \(20, 2\) do not fit a network with 1 output"),
        ({"y": np.zeros(19)}, "20 input rows but 19 targets"),
        ({"x": np.zeros((20, 3))}, r"expected inputs of shape \(samples, 2\)"),
        ({"batch_size": 0}, "batch_size must be a whole number"),
        ({"validation_split": 0.99}, "leaves 0 of 20 samples"),
        ({"x": np.full((20, 2), np.nan)}, "must be finite"),
    ],
)
def test_bad_data_is_refused_with_a_clear_message(kwargs, message):
    x, y = _data(20)
    arguments = {"x": x, "y": y, **kwargs}
    with pytest.raises(ValueError, match=message):
        Trainer(_network(), loss="binary_crossentropy").fit(**arguments)


def test_sparse_labels_must_be_classes_of_the_output():
    network = Network.from_sizes([2, 3], ["softmax"], seed=0)
    with pytest.raises(ValueError, match="whole numbers from 0 to 2"):
        Trainer(network, loss="sparse_categorical_crossentropy").fit(np.zeros((4, 2)), [0, 1, 3, 1])


def test_slopes_set_between_slices_are_kept_and_trained_from():
    x, y = _data(20)
    network = Network.from_sizes([2, 4, 1], ["prelu", "sigmoid"], seed=3)
    trainer = Trainer(network, optimizer=SGD(0.1), loss="binary_crossentropy")
    trainer.start(x, y, batch_size=5, shuffle=False)
    trainer.step(1)
    network.set_params(1, alpha=[0.5, 0.5, 0.5, 0.5])
    network.set_weight(1, 0, 0, 2.0)
    replay = network.copy()
    trainer.step(1)
    grads = training.gradients(replay, x[5:10], y[5:10], "binary_crossentropy")
    np.testing.assert_allclose(network.layers[0].params["alpha"], 0.5 - 0.1 * grads.params[0]["alpha"], rtol=1e-12)
    assert network.layers[0].weights[0, 0] == pytest.approx(2.0 - 0.1 * grads.weights[0][0, 0], rel=1e-12)


def test_plus_minus_one_labels_count_accuracy_by_sign_and_zero_one_labels_as_keras():
    """Keras' binary accuracy (output > 0.5 equals the label) never counts a −1 row right; for −1/+1 labels the
    accuracy is the share with the label's sign, for 0/1 labels it stays Keras' own. One batch: the epoch's
    accuracy is measured before its one update, on the initial weights."""
    x, y01 = _data(40, seed=5)
    signed = 2.0 * y01 - 1.0
    net = Network.from_sizes([2, 4, 1], ["tanh", "tanh"], seed=2)
    out = net.forward(x).activations[-1][:, 0]
    trainer = Trainer(net.copy(), SGD(0.01), "mean_squared_error")
    history = trainer.fit(x, signed, batch_size=40, epochs=1, shuffle=False)
    assert trainer.accuracy_kind == "sign"
    assert history.history["accuracy"] == [pytest.approx(np.mean((out > 0) == (signed > 0)))]
    assert history.history["accuracy"][0] != pytest.approx(np.mean(signed == (out > 0.5)))
    trainer = Trainer(net.copy(), SGD(0.01), "mean_squared_error")
    history = trainer.fit(x, y01, batch_size=40, epochs=1, shuffle=False)
    assert trainer.accuracy_kind == "binary"
    assert history.history["accuracy"] == [pytest.approx(np.mean(y01 == (out > 0.5)))]
