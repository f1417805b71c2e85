"""Keras configs with very many layers: absurd ones are refused at once with a clear message, and reading is
linear in the number of layers (20,000 Dropout layers took 4.7 s and 80,000 took 122 s with list.count).

Nothing here asserts a time: the large loads run in a child process with a generous timeout (60 s), which a
linear reader meets by far (about a second for 100,000 layers) and a quadratic one does not (several minutes).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import h5py
import numpy as np
import pytest

from neuroviz.model import Network, NetworkFileError
from neuroviz.model.keras_io import MAX_CONFIG_LAYERS


def _layer(class_name: str, name: str, config: dict, parent: str | None, functional: bool) -> dict:
    entry = {"module": "keras.layers", "class_name": class_name, "config": {"name": name, **config}, "name": name}
    if functional and parent is not None:
        history = {"class_name": "__keras_tensor__", "config": {"keras_history": [parent, 0, 0]}}
        entry["inbound_nodes"] = [{"args": [history], "kwargs": {}}]
    elif functional:
        entry["inbound_nodes"] = []
    return entry


def write_dropout_model(path: Path, dropouts: int, functional: bool = False, duplicate: str | None = None) -> Path:
    """Input(3) → ``dropouts`` Dropout layers → Dense(2, tanh), as a Keras 3 archive."""
    names = ["in"] + [f"drop_{i}" for i in range(dropouts)] + ["out"]
    if duplicate is not None:
        names[len(names) // 2] = duplicate
    layers = [_layer("InputLayer", "in", {"batch_shape": [None, 3]}, None, functional)]
    for i in range(dropouts):
        layers.append(_layer("Dropout", names[i + 1], {"rate": 0.5}, names[i], functional))
    dense = {"units": 2, "activation": "tanh", "use_bias": True}
    layers.append(_layer("Dense", "out", dense, names[-2], functional))
    body = {"name": "deep", "layers": layers}
    if functional:
        body |= {"input_layers": [["in", 0, 0]], "output_layers": [["out", 0, 0]]}
    config = {"module": "keras", "class_name": "Functional" if functional else "Sequential", "config": body}
    weights = io.BytesIO()
    with h5py.File(weights, "w") as h5:
        variables = h5.create_group("layers/dense/vars")
        variables.attrs["name"] = "out"
        variables.create_dataset("0", data=np.arange(6, dtype=np.float32).reshape(3, 2))
        variables.create_dataset("1", data=np.array([0.5, -0.5], dtype=np.float32))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))
        archive.writestr("config.json", json.dumps(config))
        archive.writestr("model.weights.h5", weights.getvalue())
    return path


def _in_a_child(script: str) -> str:
    try:
        done = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, timeout=60, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail("reading the model config took over 60 s: it is not linear in the number of layers")
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_twenty_thousand_dropout_layers_are_refused_at_once_saying_why(tmp_path):
    path = write_dropout_model(tmp_path / "dropouts.keras", 20_000)
    message = _in_a_child(
        f"""
        from neuroviz.model import Network, NetworkFileError
        try:
            Network.load({str(path)!r})
        except NetworkFileError as error:
            print(error)
        """
    )
    assert message == (
        f"{path}: config.json: the model lists 20,002 layers; neuroviz reads models of at most 1,000 layers "
        "(it shows at most 16 hidden layers plus the output layer, and layers like Dropout that change nothing "
        "at inference are skipped)"
    )


@pytest.mark.parametrize("functional", [False, True], ids=["sequential", "functional"])
def test_a_model_at_the_layer_limit_opens_with_its_dropouts_skipped(tmp_path, functional):
    net = Network.load(write_dropout_model(tmp_path / "limit.keras", MAX_CONFIG_LAYERS - 2, functional))
    assert [(layer.name, layer.activation, layer.units) for layer in net.layers] == [("out", "tanh", 2)]
    np.testing.assert_allclose(net.forward([1.0, 0.0, -1.0]).outputs, np.tanh([-4 + 0.5, -4 - 0.5]), rtol=1e-6)
    with pytest.raises(NetworkFileError, match="the model lists 1,001 layers"):
        Network.load(write_dropout_model(tmp_path / "over.keras", MAX_CONFIG_LAYERS - 1, functional))


def test_reading_one_hundred_thousand_layers_is_linear(tmp_path):
    """With the limit lifted, every check runs over 100,002 layers; a quadratic check would take minutes."""
    path = write_dropout_model(tmp_path / "huge.keras", 100_000)
    output = _in_a_child(
        f"""
        from neuroviz.model import Network, keras_io
        keras_io.MAX_CONFIG_LAYERS = 10**6
        net = Network.load({str(path)!r})
        print([layer.name for layer in net.layers], net.n_inputs)
        """
    )
    assert output == "['out'] 3"


def test_a_duplicate_name_among_one_hundred_thousand_layers_is_found_in_linear_time(tmp_path):
    """The check that called list.count for every layer (quadratic) now counts once."""
    path = write_dropout_model(tmp_path / "twice.keras", 100_000, duplicate="out")
    output = _in_a_child(
        f"""
        from neuroviz.model import Network, NetworkFileError, keras_io
        keras_io.MAX_CONFIG_LAYERS = 10**6
        try:
            Network.load({str(path)!r})
        except NetworkFileError as error:
            print(error.reason)
        """
    )
    assert output == "two layers are called 'out'; layer names must be unique"
