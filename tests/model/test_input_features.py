"""Network.input_features: which of Playground's features feed the inputs, saved in .json and .keras, validated."""

import json
import zipfile

import pytest

from neuroviz.model import Network, NetworkFileError
from neuroviz.model.network import InvalidNetworkError


def test_a_network_without_features_has_none_and_saves_no_key(tmp_path):
    net = Network.from_sizes([2, 3, 1])
    assert net.input_features is None
    net.save(tmp_path / "net.json")
    assert "input_features" not in json.loads((tmp_path / "net.json").read_text())
    assert Network.load(tmp_path / "net.json").input_features is None


def test_features_round_trip_through_json(tmp_path):
    net = Network.from_sizes([3, 3, 1])
    net = Network(net.layers, input_features=["x1^2", "x2^2", "sin(x1)"])
    net.save(tmp_path / "net.json")
    assert Network.load(tmp_path / "net.json").input_features == ("x1^2", "x2^2", "sin(x1)")


def test_features_round_trip_through_keras_and_a_file_without_them_has_none(tmp_path):
    """Keras has no place for them: neuroviz keeps them in the archive's metadata.json, which Keras ignores."""
    net = Network(Network.from_sizes([3, 3, 1]).layers, input_features=["x1", "x1*x2", "sin(x2)"])
    net.save(tmp_path / "net.keras")
    assert Network.load(tmp_path / "net.keras").input_features == ("x1", "x1*x2", "sin(x2)")
    Network.from_sizes([3, 3, 1]).save(tmp_path / "plain.keras")
    with zipfile.ZipFile(tmp_path / "plain.keras") as archive:
        assert "neuroviz" not in json.loads(archive.read("metadata.json"))
    assert Network.load(tmp_path / "plain.keras").input_features is None


@pytest.mark.parametrize(
    ("own", "where", "reason"),
    [
        ({"input_features": ["x1", "x9"]}, r"neuroviz.input_features\[1\]", "unknown feature 'x9'"),
        ({"input_features": ["x1"]}, "neuroviz.input_features", r"one feature per input \(2\), got 1"),
        ("x1", "neuroviz", "expected an object, got str"),
    ],
)
def test_bad_features_in_a_keras_file_say_where(tmp_path, own, where, reason):
    Network.from_sizes([2, 1]).save(tmp_path / "net.keras")
    with zipfile.ZipFile(tmp_path / "net.keras") as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    metadata = json.loads(members["metadata.json"])
    metadata["neuroviz"] = own
    members["metadata.json"] = json.dumps(metadata).encode()
    with zipfile.ZipFile(tmp_path / "bad.keras", "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(NetworkFileError, match=f"metadata.json {where}: .*{reason}"):
        Network.load(tmp_path / "bad.keras")


@pytest.mark.parametrize(
    ("features", "where", "reason"),
    [
        (["x1", "x9"], r"input_features\[1\]", "unknown feature 'x9'"),
        (["x1"], "input_features", r"one feature per input \(2\), got 1"),
        ("x1", "input_features", "expected a list of feature names"),
        ([1, 2], r"input_features\[0\]", "unknown feature 1"),
    ],
)
def test_bad_features_in_a_file_say_where(tmp_path, features, where, reason):
    net = Network.from_sizes([2, 1])
    net.save(tmp_path / "net.json")
    data = json.loads((tmp_path / "net.json").read_text())
    data["input_features"] = features
    (tmp_path / "net.json").write_text(json.dumps(data))
    with pytest.raises(NetworkFileError, match=f"{where}: .*{reason}"):
        Network.load(tmp_path / "net.json")


def test_constructor_refuses_a_wrong_count():
    with pytest.raises(InvalidNetworkError, match="input_features"):
        Network(Network.from_sizes([2, 1]).layers, input_features=["x1", "x2", "x1*x2"])


def test_structural_edits_keep_features_where_they_still_mean_something():
    net = Network(Network.from_sizes([3, 4, 1]).layers, input_features=["x1", "x2", "x1*x2"])
    net.insert_layer(1, 2)
    net.remove_layer(1)
    net.resize_layer(1, 5)
    assert net.input_features == ("x1", "x2", "x1*x2")
    assert net.copy().input_features == ("x1", "x2", "x1*x2")
    net.resize_layer(0, 2)
    assert net.input_features == ("x1", "x2")
    net.resize_layer(0, 3)
    assert net.input_features is None
