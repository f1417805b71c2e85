"""Layer.kernel_regularizer: validated, kept in .json files and in Keras files (L1, L2, L1L2)."""

from __future__ import annotations

import json
import zipfile

import pytest

from neuroviz.model.files import NetworkFileError
from neuroviz.model.network import InvalidNetworkError, Network


def _network() -> Network:
    network = Network.from_sizes([2, 3, 1], ["relu", "sigmoid"], seed=0)
    network.layers[0].kernel_regularizer = {"l1": 0.001, "l2": 0.01}
    return network


def test_a_regularizer_survives_json(tmp_path):
    path = tmp_path / "net.json"
    _network().save(path)
    assert json.loads(path.read_text())["layers"][0]["kernel_regularizer"] == {"l1": 0.001, "l2": 0.01}
    assert "kernel_regularizer" not in json.loads(path.read_text())["layers"][1]
    loaded = Network.load(path)
    assert [layer.kernel_regularizer for layer in loaded.layers] == [{"l1": 0.001, "l2": 0.01}, None]


@pytest.mark.parametrize(
    ("value", "where", "reason"),
    [
        ({"l2": -1}, "layers[0].kernel_regularizer.l2", "must be ≥ 0"),
        ({"l3": 1}, "layers[0].kernel_regularizer", "unknown key 'l3'"),
        ("l2", "layers[0].kernel_regularizer", "expected null or"),
        ({"l1": "a lot"}, "layers[0].kernel_regularizer.l1", "must be a number"),
    ],
)
def test_a_bad_regularizer_in_a_file_says_where(tmp_path, value, where, reason):
    path = tmp_path / "net.json"
    _network().save(path)
    data = json.loads(path.read_text())
    data["layers"][0]["kernel_regularizer"] = value
    path.write_text(json.dumps(data))
    with pytest.raises(NetworkFileError) as raised:
        Network.load(path)
    assert where in str(raised.value) and reason in str(raised.value)


def test_a_missing_key_is_zero_as_in_keras():
    network = _network()
    network.layers[0].kernel_regularizer = {"l2": 0.5}
    checked = Network(network.layers)
    assert checked.layers[0].kernel_regularizer == {"l1": 0.0, "l2": 0.5}
    with pytest.raises(InvalidNetworkError, match=r"layers\[0\].kernel_regularizer"):
        network.layers[0].kernel_regularizer = {"l2": float("inf")}
        Network(network.layers)


def test_a_regularizer_survives_a_keras_file_as_l1l2(tmp_path):
    path = tmp_path / "net.keras"
    _network().save(path)
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
    dense = [layer for layer in config["config"]["layers"] if layer["class_name"] == "Dense"]
    assert dense[0]["config"]["kernel_regularizer"]["class_name"] == "L1L2"
    assert dense[0]["config"]["kernel_regularizer"]["config"] == {"l1": 0.001, "l2": 0.01}
    assert dense[1]["config"]["kernel_regularizer"] is None
    assert [layer.kernel_regularizer for layer in Network.load(path).layers] == [{"l1": 0.001, "l2": 0.01}, None]


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ({"class_name": "L2", "config": {"l2": 0.02}}, {"l1": 0.0, "l2": 0.02}),
        ({"class_name": "L1", "config": {"l1": 0.03}}, {"l1": 0.03, "l2": 0.0}),
        ("l2", {"l1": 0.0, "l2": 0.01}),
        ("L1L2", {"l1": 0.0, "l2": 0.0}),
    ],
)
def test_keras_regularizer_configs_are_read(tmp_path, stored, expected):
    path = _rewritten(tmp_path, stored)
    assert Network.load(path).layers[0].kernel_regularizer == expected


def test_an_unsupported_keras_regularizer_says_which_layer(tmp_path):
    path = _rewritten(tmp_path, {"class_name": "OrthogonalRegularizer", "config": {"factor": 0.01}})
    with pytest.raises(ValueError, match="kernel_regularizer: 'OrthogonalRegularizer' is not supported"):
        Network.load(path)


def _rewritten(tmp_path, regularizer) -> str:
    """A .keras file whose first Dense layer has ``regularizer`` as its kernel_regularizer config."""
    original = tmp_path / "original.keras"
    _network().save(original)
    path = tmp_path / "edited.keras"
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "config.json":
                config = json.loads(data)
                dense = next(layer for layer in config["config"]["layers"] if layer["class_name"] == "Dense")
                dense["config"]["kernel_regularizer"] = regularizer
                data = json.dumps(config).encode()
            target.writestr(item, data)
    return path
