"""Keras parity against Keras itself (optional: skipped unless Keras is installed).

Where the fixture test (``test_training_parity.py``) replays what Keras did once, this test runs Keras: it
builds a model with initial weights the fixtures do not have (another seed), saves it as ``.keras``, trains it
with ``model.fit(..., shuffle=False)`` and trains the same file with neuroviz, then compares the final weights,
biases, PReLU slopes and history with the same tolerance as the fixture test (1e-4 relative + 2e-6).

The normal environment has no Keras. To run it, install the project into the Keras environment the fixtures
were made with (Keras 3 on the JAX backend) and run pytest there::

    /work/kerasvenv/bin/pip install -e . pytest pytest-qt hypothesis
    export KERAS_BACKEND=jax QT_QPA_PLATFORM=offscreen
    /work/kerasvenv/bin/python -m pytest -p no:cacheprovider tests/model/test_training_real_keras.py
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from test_training_parity import FLOAT32_ATOL, FLOAT32_RTOL, _compare

from neuroviz.model.network import Network

SCRIPT = Path(__file__).parent.parent / "fixtures" / "make_keras_training.py"


def _fixture_script():
    """The fixture script as a module (it picks the JAX backend unless KERAS_BACKEND is set)."""
    spec = importlib.util.spec_from_file_location("make_keras_training", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


script = _fixture_script()
keras = pytest.importorskip("keras")

# One case per optimizer family, with a PReLU column, regularizers, a validation split and validation data.
CASES = [
    "adam_prelu_cce_l2",
    "rmsprop_centered_bce",
    "sgd_nesterov_cce_elu",
    "adagrad_mse_prelu",
    "adam_valdata_bce_elu",
]


@pytest.mark.parametrize("case", CASES)
def test_neuroviz_trains_a_fresh_keras_model_as_keras_does(case, tmp_path):
    from neuroviz.model.training import Trainer, optimizers

    settings = script.CASES[case]
    model = script._build(settings, seed=7)
    path = tmp_path / f"{case}.keras"
    model.save(path)
    trained = script._train(case, settings, model)
    expected = {
        "layers": [
            {key: value if key == "name" else np.asarray(value, dtype=np.float64) for key, value in column.items()}
            for column in trained["columns"]
        ],
        "history": trained["history"],
    }

    network = Network.load(path)
    optimizer = script._optimizer_record(settings)
    trainer = Trainer(
        network, optimizer=optimizers.get(optimizer["name"], **optimizer["config"]), loss=settings["loss"]
    )
    fit = trained["fit"]
    validation = trained["validation"]
    history = trainer.fit(
        trained["x"].astype(np.float64),
        trained["y"].astype(np.float64),
        batch_size=fit["batch_size"],
        epochs=fit["epochs"],
        shuffle=False,
        validation_split=fit["validation_split"],
        validation_data=None if validation is None else tuple(a.astype(np.float64) for a in validation),
    )
    problems = _compare(case, network, history.history, expected, FLOAT32_RTOL, FLOAT32_ATOL)
    assert not problems, "\n".join(problems[:20])
