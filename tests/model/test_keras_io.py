"""Keras import and export: fixtures made by Keras itself, round trips, and refusals of bad or hostile files.

The fixtures in tests/fixtures/keras/ were written by Keras 3 (see make_keras_models.py); expected.json holds
Keras's own predictions. Only the last test needs Keras; without it, it is skipped.
"""

from __future__ import annotations

import builtins
import io
import json
import marshal
import os
import pickle
import struct
import zipfile
from pathlib import Path

import h5py
import numpy as np
import pytest

from neuroviz.model import Network, NetworkFileError, activations
from neuroviz.model.keras_io import load_keras, save_keras

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "keras"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))["models"]


def _forward(net: Network, name: str) -> tuple[np.ndarray, np.ndarray]:
    case = EXPECTED[name]
    return net.forward(np.array(case["inputs"])).outputs, np.array(case["outputs"])


# -- import: Keras's own files --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_imported_model_predicts_what_keras_predicts(name):
    ours, keras_outputs = _forward(load_keras(FIXTURES / name), name)
    assert ours.shape == keras_outputs.shape
    np.testing.assert_allclose(ours, keras_outputs, rtol=1e-5, atol=1e-5)


def test_activation_layers_merge_into_the_dense_layer_before_them():
    net = load_keras(FIXTURES / "relu_family.keras")
    assert net.name == "relu_family"
    assert net.sizes == [4, 6, 5, 5, 4, 4, 4, 3, 3]
    assert [layer.name for layer in net.layers] == [
        "plain_relu", "clipped", "leaky", "parametric", "exponential_linear", "no_bias", "squashed", "probabilities",
    ]  # fmt: skip
    assert [layer.activation for layer in net.layers] == [
        "relu", "relu", "leaky_relu", "prelu", "elu", "sigmoid", "tanh", "softmax",
    ]  # fmt: skip
    assert net.layers[1].params == {"negative_slope": pytest.approx(0.1), "max_value": 2.5, "threshold": 0.3}
    assert net.layers[2].params == {"negative_slope": pytest.approx(0.15)}
    assert net.layers[4].params == {"alpha": pytest.approx(0.7)}
    alpha = net.layers[3].params["alpha"]
    assert alpha.shape == (4,) and len(set(alpha.tolist())) == 4 and np.all((alpha >= 0) & (alpha <= 0.6))
    assert np.array_equal(net.layers[5].biases, np.zeros(4))  # use_bias=False
    assert not np.array_equal(net.layers[4].biases, np.zeros(4))
    assert net.input_names == ["features 1", "features 2", "features 3", "features 4"]
    assert "relu_family.keras" in net.description and "Keras 3." in net.description


def test_functional_model_skips_dropout_and_noise_layers():
    net = load_keras(FIXTURES / "smooth.keras")
    assert [layer.name for layer in net.layers] == ["sig", "tan", "el", "sel", "gel", "swi", "out"]
    assert [layer.activation for layer in net.layers] == ["sigmoid", "tanh", "elu", "selu", "gelu", "silu", "softmax"]
    assert net.input_names == ["x1", "x2", "x3"]  # Keras's automatic name "input_layer" is no better
    probabilities = net.forward(np.array(EXPECTED["smooth.keras"]["inputs"])).outputs
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)


def test_legacy_h5_from_keras_3_reads_prelu_slopes_per_neuron():
    net = load_keras(FIXTURES / "legacy_sequential.h5")
    assert net.name == "legacy"
    assert [(layer.name, layer.activation) for layer in net.layers] == [
        ("first", "relu"),
        ("second", "prelu"),
        ("out", "sigmoid"),
    ]
    assert net.layers[1].params["alpha"].shape == (4,)


def test_keras_2_h5_reads_leaky_relu_alpha_and_the_named_input():
    net = load_keras(FIXTURES / "keras2_functional.h5")
    assert net.name == "keras2_model"
    assert [(layer.name, layer.activation) for layer in net.layers] == [
        ("hidden", "leaky_relu"),
        ("gate", "tanh"),
        ("out", "softmax"),
    ]
    assert net.layers[0].params == {"negative_slope": 0.25}  # Keras 2 called it alpha
    assert net.input_names == ["inputs 1", "inputs 2", "inputs 3"]
    assert "Keras 2.15.0" in net.description


# Activation layers that cannot merge into the Dense layer before them: per fixture, the sizes, the columns and
# the columns that are activation layers on their own (identity weights, zero biases).
ACTIVATION_COLUMNS = {
    "relu_then_softmax": ([4, 3, 3], [("scores", "relu"), ("probabilities", "softmax")], ["probabilities"]),
    "tanh_then_prelu": (
        [3, 4, 4, 2],
        [("squash", "tanh"), ("learned_slopes", "prelu"), ("out", "linear")],
        ["learned_slopes"],
    ),
    "relu_dropout_leaky": ([3, 5, 5, 2], [("hidden", "relu"), ("leak", "leaky_relu"), ("out", "sigmoid")], ["leak"]),
    "activation_first": ([4, 4, 3], [("rectify_inputs", "relu"), ("out", "softmax")], ["rectify_inputs"]),
}


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
@pytest.mark.parametrize("stem", sorted(ACTIVATION_COLUMNS))
def test_activation_layer_that_cannot_merge_is_a_column_of_its_own(stem, suffix):
    name = f"{stem}{suffix}"
    net = load_keras(FIXTURES / name)
    sizes, columns, alone = ACTIVATION_COLUMNS[stem]
    assert net.sizes == sizes
    assert [(layer.name, layer.activation) for layer in net.layers] == columns
    for layer in net.layers:
        if layer.name in alone:
            assert np.array_equal(layer.weights, np.eye(layer.units))
            assert np.array_equal(layer.biases, np.zeros(layer.units))
        else:
            assert not np.array_equal(layer.weights, np.eye(*layer.weights.shape))
    ours, keras_outputs = _forward(net, name)
    np.testing.assert_allclose(ours, keras_outputs, rtol=1e-5, atol=1e-5)


def test_columns_of_their_own_keep_their_parameters_and_prelu_slopes():
    chain = load_keras(FIXTURES / "relu_dropout_leaky.keras")
    assert chain.layers[0].params == {"negative_slope": 0.5, "max_value": 2.0, "threshold": 0.0}
    assert chain.layers[1].params == {"negative_slope": pytest.approx(0.1)}
    rectified = chain.forward(np.array(EXPECTED["relu_dropout_leaky.keras"]["inputs"])).activations[1]
    assert np.any(rectified < 0)  # so the LeakyReLU column changes values and the Keras comparison sees it
    prelu = load_keras(FIXTURES / "tanh_then_prelu.h5").layers[1]
    alpha = prelu.params["alpha"]
    assert alpha.shape == (4,) and len(set(alpha.tolist())) == 4 and np.all((alpha >= 0) & (alpha <= 0.6))
    assert load_keras(FIXTURES / "tanh_then_prelu.keras").input_names == ["signals 1", "signals 2", "signals 3"]
    assert load_keras(FIXTURES / "activation_first.keras").input_names == ["raw 1", "raw 2", "raw 3", "raw 4"]


def test_identity_column_passes_every_value_on_bit_for_bit(tmp_path):
    path = _write_archive(
        tmp_path / "m.keras", [("ReLU", "first", {}, "re_lu", []), _dense("a", "dense", 200, 2)], n_inputs=200
    )
    net = load_keras(path)
    rng = np.random.default_rng(7)
    x = rng.normal(size=(32, 200)) * 10.0 ** rng.integers(-300, 300, size=(32, 200))
    x[0, :3] = [5e-324, -5e-324, 0.0]  # subnormals and zero too
    propagation = net.forward(x)
    assert np.array_equal(propagation.pre_activations[1], x)
    assert np.array_equal(propagation.activations[1], np.maximum(x, 0.0))


def _activation_pairs(count: int) -> list:
    """``count`` times Dense(tanh) followed by a ReLU layer: every ReLU needs a column of its own."""
    layers = []
    for i in range(count):
        suffix = "" if i == 0 else f"_{i}"
        layers.append(_dense(f"d{i}", f"dense{suffix}", 3 if i == 0 else 2, 2, "tanh"))
        layers.append(("ReLU", f"r{i}", {}, f"re_lu{suffix}", []))
    return layers


def test_chain_that_becomes_too_deep_is_refused_and_says_why(tmp_path):
    at_the_limit = load_keras(
        _write_archive(tmp_path / "ok.keras", [*_activation_pairs(8), _dense("o", "dense_8", 2, 1)])
    )
    assert len(at_the_limit.layers) == 17  # 16 hidden layers and the output
    with pytest.raises(NetworkFileError) as error:
        load_keras(_write_archive(tmp_path / "deep.keras", _activation_pairs(9)))
    assert (
        "config.json: the model needs 18 layers (17 hidden): 9 Dense layers and 9 activation layers that cannot be "
        "merged into the Dense layer before them and are shown as layers of their own ('r0', 'r1', 'r2', 'r3', "
        "'r4', …); neuroviz shows at most 16 hidden layers plus the output layer"
    ) in str(error.value)


def test_layer_object_as_activation_is_refused_with_what_to_do_instead():
    with pytest.raises(NetworkFileError) as error:
        load_keras(FIXTURES / "layer_activation.keras")
    message = str(error.value)
    assert "layer 'leaky_dense' (Dense): uses a layer object (LeakyReLU) as its activation" in message
    assert "put a LeakyReLU layer after the Dense layer instead (Dense(4) followed by LeakyReLU(...))" in message
    assert "custom" not in message


# -- export and round trips -----------------------------------------------------------------------------------
def _assert_same_network(a: Network, b: Network) -> None:
    assert a.sizes == b.sizes
    assert a.input_names == b.input_names
    for left, right in zip(a.layers, b.layers, strict=True):
        assert left.name == right.name
        assert left.activation == right.activation
        assert np.array_equal(left.weights, right.weights)
        assert np.array_equal(left.biases, right.biases)
        assert left.params.keys() == right.params.keys()
        for key, value in left.params.items():
            assert np.array_equal(value, right.params[key]) if value is not None else right.params[key] is None


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_round_trip_is_identical(tmp_path, name):
    original = load_keras(FIXTURES / name)
    save_keras(original, tmp_path / "copy.keras")
    copy = load_keras(tmp_path / "copy.keras")
    _assert_same_network(original, copy)
    x = np.array(EXPECTED[name]["inputs"])
    assert np.array_equal(original.forward(x).outputs, copy.forward(x).outputs)


def _rich_network() -> Network:
    """Every kind of export: default strings, ReLU/LeakyReLU/ELU/PReLU layers, glu at the output."""
    net = Network.from_sizes(
        [3, 5, 4, 4, 4, 4, 4, 6],
        activations=[
            ("relu", {"max_value": 2.0, "threshold": 0.2, "negative_slope": 0.1}),
            ("leaky_relu", {"negative_slope": 0.05}),
            ("prelu", {"alpha": [0.1, 0.2, 0.3, 0.4]}),
            ("prelu", {"alpha": 0.3}),
            ("elu", {"alpha": 0.5}),
            "swish",
            "glu",
        ],
        seed=3,
        name="rich/net",
    )
    net.reinitialize(bias_initializer="glorot_uniform", seed=5)
    net.input_names = ["pixel 1", "pixel 2", "pixel 3"]
    return net


def _read_archive(path: Path) -> tuple[dict, dict]:
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
        with h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r") as h5:
            stored = {}
            h5.visititems(lambda key, item: stored.update({key: item[()]}) if isinstance(item, h5py.Dataset) else None)
    return config, stored


def test_export_writes_keras_layers_for_parameters_keras_names_cannot_carry(tmp_path):
    net = _rich_network()
    save_keras(net, tmp_path / "rich.keras")
    config, stored = _read_archive(tmp_path / "rich.keras")
    layers = config["config"]["layers"]
    assert config["class_name"] == "Sequential" and config["config"]["name"] == "rich_net"
    assert [(item["class_name"], item["config"]["name"]) for item in layers] == [
        ("InputLayer", "pixel"),
        ("Dense", "hidden 1"),
        ("ReLU", "hidden 1 relu"),
        ("Dense", "hidden 2"),
        ("LeakyReLU", "hidden 2 leaky_relu"),
        ("Dense", "hidden 3"),
        ("PReLU", "hidden 3 prelu"),
        ("Dense", "hidden 4"),
        ("PReLU", "hidden 4 prelu"),
        ("Dense", "hidden 5"),
        ("ELU", "hidden 5 elu"),
        ("Dense", "hidden 6"),
        ("Dense", "output"),
    ]
    assert layers[0]["config"]["batch_shape"] == [None, 3]
    relu_config = layers[2]["config"]
    assert [relu_config[key] for key in ("max_value", "negative_slope", "threshold")] == [2.0, 0.1, 0.2]
    assert [layers[i]["config"]["activation"] for i in (1, 11, 12)] == ["linear", "silu", "glu"]
    assert layers[8]["config"]["shared_axes"] == [1]
    np.testing.assert_array_equal(stored["layers/p_re_lu/vars/0"], [0.1, 0.2, 0.3, 0.4])
    np.testing.assert_array_equal(stored["layers/p_re_lu_1/vars/0"], [0.3])
    np.testing.assert_array_equal(stored["layers/dense_6/vars/0"], net.layers[6].weights)
    assert stored["layers/dense/vars/0"].dtype == np.float64  # nothing rounded
    with zipfile.ZipFile(tmp_path / "rich.keras") as archive:
        assert json.loads(archive.read("metadata.json"))["keras_version"].startswith("3.")


def test_export_writes_a_column_of_its_own_as_a_dense_layer_with_identity_weights(tmp_path):
    save_keras(load_keras(FIXTURES / "activation_first.keras"), tmp_path / "copy.keras")
    config, stored = _read_archive(tmp_path / "copy.keras")
    first = config["config"]["layers"][1]
    assert (first["class_name"], first["config"]["name"], first["config"]["activation"]) == (
        "Dense",
        "rectify_inputs",
        "relu",
    )
    np.testing.assert_array_equal(stored["layers/dense/vars/0"], np.eye(4))
    np.testing.assert_array_equal(stored["layers/dense/vars/1"], np.zeros(4))


def test_export_round_trip_gives_identical_weights_params_and_outputs(tmp_path):
    net = _rich_network()
    save_keras(net, tmp_path / "rich.keras")
    back = load_keras(tmp_path / "rich.keras")
    _assert_same_network(net, back)
    assert back.layers[3].params["alpha"] == 0.3  # a shared slope stays one number
    x = np.random.default_rng(0).uniform(-4, 4, (16, 3))
    assert np.array_equal(back.forward(x).outputs, net.forward(x).outputs)
    assert back.forward(x).outputs.shape == (16, 3)  # glu halves the 6 output units


EXPORTABLE_DEFAULTS = sorted(set(activations.primary_names()) - {"prelu", "sparsemax", "threshold", "glu"})


@pytest.mark.parametrize("name", EXPORTABLE_DEFAULTS)
def test_every_keras_activation_with_default_parameters_round_trips(tmp_path, name):
    net = Network.from_sizes([2, 3, 2], activations=[name, "linear"], seed=1)
    save_keras(net, tmp_path / "net.keras")
    config, _ = _read_archive(tmp_path / "net.keras")
    assert config["config"]["layers"][1]["config"]["activation"] == name
    _assert_same_network(net, load_keras(tmp_path / "net.keras"))


@pytest.mark.parametrize(
    ("activation", "message"),
    [
        (("sparsemax", {}), "sparsemax, which Keras 3.15 computes differently"),
        (("threshold", {}), "threshold, which Keras has no default parameters or layer for"),
        (("glu", {}), "glu in a hidden layer"),
        (("gelu", {"approximate": True}), "gelu with approximate=True: Keras has no layer for it"),
        (("celu", {"alpha": 2.0}), "celu with alpha=2.0"),
        (("relu", {"threshold": -1.0}), "Keras's ReLU layer refuses a negative threshold"),
    ],
)
def test_export_refuses_what_keras_cannot_compute_and_leaves_the_old_file(tmp_path, activation, message):
    net = Network.from_sizes([2, 4, 2], activations=[activation, "linear"], seed=0)
    target = tmp_path / "net.keras"
    target.write_bytes(b"the old file")
    with pytest.raises(NetworkFileError, match="cannot be saved for Keras") as error:
        save_keras(net, target)
    assert message in str(error.value)
    assert "layer 1 ('hidden 1')" in str(error.value)
    assert target.read_bytes() == b"the old file"
    assert [p.name for p in tmp_path.iterdir()] == ["net.keras"]


def test_save_replaces_an_existing_file_and_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "net.keras"
    target.write_bytes(b"old")
    save_keras(_rich_network(), target)
    assert zipfile.is_zipfile(target)
    assert [p.name for p in tmp_path.iterdir()] == ["net.keras"]


def test_save_into_a_missing_folder_is_a_network_file_error(tmp_path):
    with pytest.raises(NetworkFileError, match=r"cannot write in the folder .*missing.: No such file or directory"):
        save_keras(_rich_network(), tmp_path / "missing" / "net.keras")


# -- refusals of models neuroviz cannot show ------------------------------------------------------------------
def test_conv_model_lists_every_unsupported_layer():
    with pytest.raises(NetworkFileError) as error:
        load_keras(FIXTURES / "conv.keras")
    assert "unsupported layers: conv (Conv2D), norm (BatchNormalization);" in str(error.value)  # Flatten is read
    assert str(FIXTURES / "conv.keras") in str(error.value)


def test_lambda_layer_is_refused_without_running_or_decoding_its_code(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("load_keras must never decode or run code from a file")

    load_keras(FIXTURES / "smooth.keras")  # every module load_keras needs is imported before the trap
    for module, function in ((marshal, "loads"), (pickle, "loads"), (builtins, "eval"), (builtins, "exec")):
        monkeypatch.setattr(module, function, forbidden)
    with pytest.raises(NetworkFileError, match=r"unsupported layers: lam \(Lambda\)"):
        load_keras(FIXTURES / "lambda.keras")


def test_branching_model_says_why():
    with pytest.raises(NetworkFileError) as error:
        load_keras(FIXTURES / "branches.keras")
    message = str(error.value)
    assert "unsupported layers: join (Add)" in message
    assert "branches after layer 'x' (it feeds left, right)" in message


# Hand-made archives in the Keras 3 layout: (class name, layer name, config, weights key, weight arrays).
def _write_archive(path: Path, layers: list, *, n_inputs=3, model_class="Sequential", metadata=None, extra=()):
    shape = [None, n_inputs] if isinstance(n_inputs, int) else n_inputs
    entries = [{"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": shape, "name": "in"}}]
    if n_inputs is None:  # a Sequential model built without an Input: the kernel tells the number of inputs
        entries = []
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5:
        for class_name, name, config, key, arrays in layers:
            entries.append(
                {
                    "module": "keras.layers",
                    "class_name": class_name,
                    "config": {"name": name, **config},
                    "registered_name": None,
                }
            )
            variables = h5.create_group(f"layers/{key}/vars")
            variables.attrs["name"] = name
            for i, array in enumerate(arrays):
                variables.create_dataset(str(i), data=np.asarray(array, dtype=np.float32))
    config = {"module": "keras", "class_name": model_class, "config": {"name": "handmade", "layers": entries}}
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", json.dumps(metadata or {"keras_version": "3.15.1"}))
        archive.writestr("config.json", json.dumps(config))
        archive.writestr("model.weights.h5", buffer.getvalue())
        for name, data in extra:
            archive.writestr(name, data)
    return path


def _dense(name, key, n_in, units, activation="linear"):
    rng = np.random.default_rng(len(key))
    arrays = [rng.normal(size=(n_in, units)), rng.normal(size=units)]
    return ("Dense", name, {"units": units, "activation": activation, "use_bias": True}, key, arrays)


def test_handmade_archive_loads(tmp_path):
    path = _write_archive(
        tmp_path / "m.keras", [_dense("a", "dense", 3, 4), ("ReLU", "r", {"max_value": 1.0}, "re_lu", [])]
    )
    net = load_keras(path)
    assert [(layer.name, layer.activation, layer.params["max_value"]) for layer in net.layers] == [("a", "relu", 1.0)]
    assert net.input_names == ["in 1", "in 2", "in 3"]


@pytest.mark.parametrize(
    ("layers", "message"),
    [
        (
            [_dense("a", "dense", 3, 2, {"class_name": "LeakyReLU", "config": {"name": "l", "alpha": 0.1}})],
            "layer 'a' (Dense): uses a layer object (LeakyReLU) as its activation",  # Keras 2 writes no module
        ),
        (
            [_dense("a", "dense", 3, 2, "mystery")],
            "layer 'a' (Dense): uses the activation 'mystery', which is not one of keras.activations",
        ),
        (
            [_dense("a", "dense", 3, 2, {"module": "my_package", "class_name": "function", "config": "my_act"})],
            "uses the custom activation 'my_act'",
        ),
        (
            [("Dense", "a", {"units": 2}, "dense", [np.ones((3, 3)), np.ones(2)])],
            "model.weights.h5: layers/dense/vars/0: expected shape (3, 2), got (3, 3)",
        ),
        (
            [("Dense", "a", {"units": 2}, "dense", [np.ones((3, 2))])],
            "layer 'a' (Dense) should have 2 weight arrays, the file has 1",
        ),
        (
            [("Dense", "a", {"units": 2}, "dense", [np.array([[1.0, np.nan]] * 3), np.ones(2)])],
            "layers/dense/vars/0[0][1]: must be finite",
        ),
        (
            [_dense("a", "dense", 3, 300)],
            "layer 'a' (Dense): has 300 units; neuroviz shows at most 256 neurons per layer",
        ),
        (
            [_dense(f"d{i}", "dense" if i == 0 else f"dense_{i}", 3 if i == 0 else 2, 2) for i in range(18)],
            "the model has 18 Dense layers (17 hidden); neuroviz shows at most 16 hidden layers",
        ),
    ],
)
def test_handmade_archive_refusals(tmp_path, layers, message):
    path = _write_archive(tmp_path / "m.keras", layers)
    with pytest.raises(NetworkFileError) as error:
        load_keras(path)
    assert message in str(error.value)


def test_sequential_model_without_input_layer_takes_its_inputs_from_the_kernel(tmp_path):
    path = _write_archive(tmp_path / "m.keras", [_dense("a", "dense", 5, 2, "tanh")], n_inputs=None)
    net = load_keras(path)
    assert net.n_inputs == 5
    assert net.input_names == ["x1", "x2", "x3", "x4", "x5"]
    assert net.layers[0].activation == "tanh"


def _rewrite_config(source: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    config = json.loads(members["config.json"])
    change(config["config"])
    members["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return target


def test_functional_model_with_two_outputs_is_refused(tmp_path):
    def two_outputs(body):
        body["output_layers"] = [["sig", 0, 0], ["out", 0, 0]]

    path = _rewrite_config(FIXTURES / "smooth.keras", tmp_path / "two.keras", two_outputs)
    with pytest.raises(NetworkFileError, match="the model has 1 input and 2 outputs; neuroviz reads models with one"):
        load_keras(path)


def test_shared_layer_is_refused(tmp_path):
    def call_twice(body):
        layer = body["layers"][2]
        layer["inbound_nodes"] = layer["inbound_nodes"] * 2

    path = _rewrite_config(FIXTURES / "smooth.keras", tmp_path / "shared.keras", call_twice)
    with pytest.raises(NetworkFileError, match=r"layer 'drop' is used 2 times \(shared layers are not supported\)"):
        load_keras(path)


def test_image_input_is_refused(tmp_path):
    path = _write_archive(tmp_path / "m.keras", [_dense("a", "dense", 3, 2)], n_inputs=[None, 28, 28])
    with pytest.raises(
        NetworkFileError, match=r"input: has shape \(28, 28\); neuroviz reads models whose input is a flat"
    ):
        load_keras(path)


def test_keras_2_hard_sigmoid_is_refused_because_its_formula_differs(tmp_path):
    layers = [_dense("a", "dense", 3, 2, "hard_sigmoid")]
    assert load_keras(_write_archive(tmp_path / "k3.keras", layers)).layers[0].activation == "hard_sigmoid"
    with pytest.raises(NetworkFileError, match=r"Keras 2's hard_sigmoid \(0.2·x \+ 0.5\)"):
        load_keras(_write_archive(tmp_path / "k2.keras", layers, metadata={"keras_version": "2.15.0"}))


def test_subclassed_model_is_refused(tmp_path):
    path = _write_archive(tmp_path / "m.keras", [_dense("a", "dense", 3, 2)], model_class="MyModel")
    with pytest.raises(NetworkFileError, match="subclassed or custom model"):
        load_keras(path)


# -- hostile and damaged files --------------------------------------------------------------------------------
def test_truncated_archive(tmp_path):
    data = (FIXTURES / "relu_family.keras").read_bytes()
    path = tmp_path / "cut.keras"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(NetworkFileError, match="is damaged or truncated"):
        load_keras(path)


def test_truncated_legacy_h5(tmp_path):
    data = (FIXTURES / "legacy_sequential.h5").read_bytes()
    path = tmp_path / "cut.h5"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(NetworkFileError, match="is not a readable HDF5 file"):
        load_keras(path)


@pytest.mark.parametrize("member", ["../evil.txt", "/tmp/evil.txt", "assets/../../evil.txt"])
def test_archive_member_escaping_the_folder_is_refused_and_nothing_is_written(tmp_path, member):
    folder = tmp_path / "inner"
    folder.mkdir()
    path = _write_archive(folder / "m.keras", [_dense("a", "dense", 3, 2)], extra=[(member, "boo")])
    with pytest.raises(NetworkFileError, match=r"absolute path or '\.\.' is not safe"):
        load_keras(path)
    assert not (tmp_path / "evil.txt").exists()
    assert sorted(p.name for p in folder.iterdir()) == ["m.keras"]


def test_member_declaring_a_huge_size_is_refused_before_reading(tmp_path):
    path = _write_archive(tmp_path / "m.keras", [_dense("a", "dense", 3, 2)])
    data = bytearray(path.read_bytes())
    name_at = data.index(b"model.weights.h5", data.index(b"PK\x01\x02"))
    entry = data.rindex(b"PK\x01\x02", 0, name_at)
    struct.pack_into("<I", data, entry + 24, 3_000_000_000)  # the central directory's uncompressed size
    path.write_bytes(bytes(data))
    with pytest.raises(NetworkFileError, match=r"model.weights.h5: refused: declares 3000 MB uncompressed"):
        load_keras(path)


def test_highly_compressed_member_is_refused_as_a_zip_bomb(tmp_path):
    path = _write_archive(tmp_path / "m.keras", [_dense("a", "dense", 3, 2)])
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_BZIP2) as archive:
        archive.writestr("assets/zeros.bin", bytes(20 * 1024 * 1024))
    with pytest.raises(
        NetworkFileError,
        match=r"assets/zeros\.bin: refused: \d+ bytes would expand to 20971520 bytes \(more than 1000:1, a zip bomb\)",
    ):
        load_keras(path)


def test_archive_without_weights_or_config(tmp_path):
    only_config = tmp_path / "config_only.keras"
    with zipfile.ZipFile(only_config, "w") as archive:
        archive.writestr("config.json", json.dumps({"class_name": "Sequential", "config": {"layers": []}}))
    with pytest.raises(NetworkFileError, match=r"model\.weights\.h5: missing from the archive"):
        load_keras(only_config)
    other_zip = tmp_path / "other.keras"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(NetworkFileError, match=r"config\.json: missing: this zip archive is not a Keras model"):
        load_keras(other_zip)


def test_files_that_are_not_keras_models(tmp_path):
    text = tmp_path / "notes.keras"
    text.write_text("hello")
    with pytest.raises(NetworkFileError, match="is not a Keras model archive"):
        load_keras(text)
    with pytest.raises(NetworkFileError, match="cannot be opened"):
        load_keras(tmp_path / "missing.h5")
    weights_only = tmp_path / "w.h5"
    with h5py.File(weights_only, "w") as h5:
        h5.create_group("dense")
    with pytest.raises(NetworkFileError, match="model_config: missing: this HDF5 file holds weights only"):
        load_keras(weights_only)


def test_bad_json_in_the_config(tmp_path):
    path = tmp_path / "m.keras"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", '{"class_name": "Sequential", ')
        archive.writestr("model.weights.h5", b"")
    with pytest.raises(NetworkFileError, match=r"config\.json: bad JSON at line 1"):
        load_keras(path)


def test_hdf5_link_to_another_file_is_not_followed(tmp_path):
    secret = tmp_path / "secret.h5"
    with h5py.File(secret, "w") as h5:
        h5.create_dataset("vars/0", data=np.ones((3, 2)))
        h5.create_dataset("vars/1", data=np.ones(2))
    path = _write_archive(tmp_path / "m.keras", [_dense("a", "dense", 3, 2)])
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5:
        h5["layers/dense"] = h5py.ExternalLink(str(secret), "/")
    members["model.weights.h5"] = buffer.getvalue()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(NetworkFileError, match="'dense' is a ExternalLink \\(links are not followed\\)"):
        load_keras(path)


def test_legacy_h5_with_a_wrongly_shaped_kernel(tmp_path):
    path = tmp_path / "bad.h5"
    path.write_bytes((FIXTURES / "keras2_functional.h5").read_bytes())
    with h5py.File(path, "a") as h5:
        del h5["model_weights/gate/gate/kernel:0"]
        h5["model_weights/gate/gate/kernel:0"] = np.ones((4, 4), dtype=np.float32)
    with pytest.raises(
        NetworkFileError, match=r"model_weights/gate/gate/kernel:0: expected shape \(5, 4\), got \(4, 4\)"
    ):
        load_keras(path)


# -- Keras itself (skipped when Keras is not installed) -------------------------------------------------------
def test_keras_loads_our_export_and_predicts_the_same(tmp_path, monkeypatch):
    if "KERAS_BACKEND" not in os.environ:
        monkeypatch.setenv("KERAS_BACKEND", "numpy")
    keras = pytest.importorskip(
        "keras", reason="Keras is not installed: pip install keras jax and set KERAS_BACKEND=jax to run it"
    )
    net = _rich_network()
    save_keras(net, tmp_path / "rich.keras")
    model = keras.saving.load_model(tmp_path / "rich.keras")
    x = np.random.default_rng(1).uniform(-4, 4, (10, 3)).astype(np.float32)
    np.testing.assert_allclose(model.predict(x, verbose=0), net.forward(x).outputs, rtol=1e-5, atol=1e-5)
    for name in EXPECTED:
        save_keras(load_keras(FIXTURES / name), tmp_path / "copy.keras")
        again = keras.saving.load_model(tmp_path / "copy.keras")
        case = EXPECTED[name]
        predicted = again.predict(np.array(case["inputs"], dtype=np.float32), verbose=0)
        np.testing.assert_allclose(predicted, case["outputs"], rtol=1e-5, atol=1e-5)


def test_network_load_and_save_dispatch_keras_files(tmp_path):
    """Network.load/save pick the Keras reader and writer from the file name, as File ▸ Open does."""
    from neuroviz.model import Network

    source = Path(__file__).resolve().parent.parent / "fixtures" / "keras" / "relu_family.keras"
    net = Network.load(source)
    assert net.sizes == load_keras(source).sizes
    target = tmp_path / "copy.keras"
    net.save(target)
    again = Network.load(target)
    for a, b in zip(net.layers, again.layers, strict=True):
        np.testing.assert_array_equal(a.weights, b.weights)
    with pytest.raises(NetworkFileError, match=r"save as \.keras or \.json"):
        net.save(tmp_path / "legacy.h5")
