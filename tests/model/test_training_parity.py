"""Keras parity, the acceptance test of training (issue 12): neuroviz's fit ends where Keras' fit ends.

Each fixture in ``tests/fixtures/keras_training/`` is an untrained model saved by Keras 3 (``<case>.keras``) and
what Keras' ``model.fit(x, y, batch_size, epochs=3, shuffle=False, ...)`` made of it (``<case>.json``); the script
``tests/fixtures/make_keras_training.py`` wrote them and lists the case matrix. Here the model is opened with
``Network.load``, trained by neuroviz's Trainer with the same optimizer, loss, regularizers and fit arguments, and
its final weights, biases, PReLU slopes and every ``history`` list are compared with Keras'.

Tolerance against Keras' own (float32) run: ``|ours - keras| <= 1e-4 * |keras| + 2e-6``. The 1e-4 relative
bar is the issue's; the absolute 2e-6 is for values that end near zero, where a relative bar measures only
float32 noise: the fixture script trained every case a second time in float64 Keras, and the float32 run
deviated from it by up to 1.0e-6 absolute (Adam cases; 7.6e-5 relative on a weight of 0.0099).

Tolerance against Keras' float64 run of the same case (also in each fixture): ``1e-6`` relative plus ``1e-9``
absolute, a hundred times tighter, so that a small formula slip cannot hide under the float32 noise: putting
Adam's epsilon on the bias-corrected v (the paper's form) passes the float32 bar in two of the seven Adam cases
but fails this one in all of them. Keras' float64 run is itself not exact to the last digit (with tanh, sigmoid,
gelu, selu or swish in the model it differs from an independent float64 re-implementation by up to ~1e-7
relative; models of relu, elu, leaky_relu and softmax only agree to ~1e-15), so 1e-6 is as tight as it can be.

Measured with the engine of this branch (``|ours - keras| / max(|keras|, 1e-2)`` over all weights and history
values): at most 7.6e-5 against Keras' float32 run (adam_cce_sigmoid_hidden, 7.8e-7 absolute: exactly Keras'
own float32-vs-float64 deviation) and at most 1.8e-7 against its float64 run (sgd_mse_tanh).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from neuroviz.model.network import Network

FIXTURES = Path(__file__).parent.parent / "fixtures" / "keras_training"
CASES = sorted(path.stem for path in FIXTURES.glob("*.json"))

FLOAT32_RTOL, FLOAT32_ATOL = 1e-4, 2e-6
FLOAT64_RTOL, FLOAT64_ATOL = 1e-6, 1e-9


def _record(case: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{case}.json").read_text(encoding="utf-8"))


def _trained(case: str) -> tuple[Network, dict[str, list[float]], dict[str, Any]]:
    """Open the untrained Keras model and train it with neuroviz exactly as the fixture's Keras fit did."""
    from neuroviz.model.training import Trainer, optimizers

    record = _record(case)
    network = Network.load(FIXTURES / f"{case}.keras")
    settings = record["compile"]["optimizer"]
    optimizer = optimizers.get(settings["name"], **settings["config"])
    trainer = Trainer(network, optimizer=optimizer, loss=record["compile"]["loss"])
    fit = record["fit"]
    validation = record.get("validation_data")
    history = trainer.fit(
        np.array(record["x"]),
        np.array(record["y"]),
        batch_size=fit["batch_size"],
        epochs=fit["epochs"],
        shuffle=fit["shuffle"],
        validation_split=fit["validation_split"],
        validation_data=None if validation is None else (np.array(validation["x"]), np.array(validation["y"])),
    )
    return network, history.history, record


def _mismatches(case: str, what: str, ours: Any, keras: Any, rtol: float, atol: float) -> list[str]:
    """Every value outside the tolerance, as 'case: quantity[index]: ours … vs Keras …'."""
    ours_array = np.atleast_1d(np.asarray(ours, dtype=np.float64))
    keras_array = np.atleast_1d(np.asarray(keras, dtype=np.float64))
    if ours_array.shape != keras_array.shape:
        return [f"{case}: {what}: shape {ours_array.shape} vs Keras {keras_array.shape}"]
    bad = ~(np.abs(ours_array - keras_array) <= rtol * np.abs(keras_array) + atol)
    return [
        f"{case}: {what}{list(map(int, index))}: ours {ours_array[index]!r} vs Keras {keras_array[index]!r}"
        for index in zip(*np.nonzero(bad), strict=True)
    ]


def _compare(case: str, network: Network, history: dict, expected: dict, rtol: float, atol: float) -> list[str]:
    problems: list[str] = []
    assert len(network.layers) == len(expected["layers"]), f"{case}: layer count"
    for layer, column in zip(network.layers, expected["layers"], strict=True):
        problems += _mismatches(case, f"{column['name']}.weights", layer.weights, column["weights"], rtol, atol)
        problems += _mismatches(case, f"{column['name']}.biases", layer.biases, column["biases"], rtol, atol)
        if "alpha" in column:
            alpha = np.broadcast_to(layer.params["alpha"], np.shape(column["alpha"]))
            problems += _mismatches(case, f"{column['name']}.alpha", alpha, column["alpha"], rtol, atol)
    for key, values in expected["history"].items():
        if key not in history:
            problems.append(f"{case}: history has no {key!r} (ours has {sorted(history)})")
            continue
        problems += _mismatches(case, f"history[{key!r}]", history[key], values, rtol, atol)
    return problems


def test_the_fixtures_cover_the_acceptance_matrix():
    """Every optimizer variant, loss, activation, regularizer and batch layout the issue names has a case."""
    records = [_record(case) for case in CASES]
    optimizers = set()
    for record in records:
        settings = record["compile"]["optimizer"]
        config = settings["config"]
        variant = settings["name"]
        if config.get("nesterov"):
            variant += "+nesterov"
        elif config.get("momentum"):
            variant += "+momentum"
        if config.get("amsgrad"):
            variant += "+amsgrad"
        if config.get("centered"):
            variant += "+centered"
        optimizers.add(variant)
    assert {"sgd", "sgd+momentum", "sgd+nesterov", "adam", "adam+amsgrad", "rmsprop", "rmsprop+centered"} <= optimizers
    assert {"rmsprop+momentum", "adagrad"} <= optimizers
    losses = {record["compile"]["loss"] for record in records}
    assert {
        "mse",
        "mae",
        "binary_crossentropy",
        "categorical_crossentropy",
        "sparse_categorical_crossentropy",
    } <= losses
    used = {layer.activation for case in CASES for layer in Network.load(FIXTURES / f"{case}.keras").layers}
    # Keras' "swish" opens as neuroviz's "silu" (the same function).
    assert {"relu", "tanh", "sigmoid", "softmax", "elu", "selu", "gelu", "leaky_relu", "silu", "prelu"} <= used
    regularizers = [r for record in records for r in record["kernel_regularizers"]]
    assert {"l1": 0.0, "l2": 0.01} in regularizers and None in regularizers
    assert any(r and r["l1"] > 0 and r["l2"] > 0 for r in regularizers)

    def train_size(record: dict) -> int:
        return int(np.floor(len(record["x"]) * (1.0 - record["fit"]["validation_split"])))

    assert any(train_size(r) % r["fit"]["batch_size"] for r in records), "a last partial batch"
    assert any(train_size(r) % r["fit"]["batch_size"] == 0 for r in records), "whole batches only"
    assert any(r["fit"]["validation_split"] > 0 for r in records) and any("validation_data" in r for r in records)
    assert all(r["float32_vs_float64"] < 1e-4 for r in records), "every case is well conditioned in float32"


@pytest.mark.parametrize("case", CASES)
def test_regularizers_are_read_from_the_keras_file(case):
    network = Network.load(FIXTURES / f"{case}.keras")
    assert [layer.kernel_regularizer for layer in network.layers] == _record(case)["kernel_regularizers"]


@pytest.mark.parametrize("case", CASES)
def test_training_ends_where_keras_fit_ends(case):
    network, history, record = _trained(case)
    problems = _compare(case, network, history, record, FLOAT32_RTOL, FLOAT32_ATOL)
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("case", CASES)
def test_training_matches_keras_in_float64_closely(case):
    network, history, record = _trained(case)
    problems = _compare(case, network, history, record["float64"], FLOAT64_RTOL, FLOAT64_ATOL)
    assert not problems, "\n".join(problems[:20])
