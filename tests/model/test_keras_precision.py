"""Keras files that are legal but not plain float32 models (issue 10 item 13): float16, bfloat16 and mixed
precision are read and say so; Identity and Flatten are skipped like Dropout; never-built, quantized and LoRA
(.h5) models are refused saying what they are. The files are Keras's own (make_keras_precision_models.py)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import h5py
import numpy as np
import pytest

from neuroviz.model import Network, NetworkFileError
from neuroviz.model.keras_io import AGREEMENT

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "keras" / "precision"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))["models"]


def _precision_of(name: str) -> str:
    return "float32" if name.startswith(("identity_flatten", "lora")) else name.rsplit(".", 1)[0]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_model_in_any_float_precision_predicts_what_keras_predicts_to_the_promised_agreement(name):
    net = Network.load(FIXTURES / name)
    case = EXPECTED[name]
    ours, keras_outputs = net.forward(np.array(case["inputs"])).outputs, np.array(case["outputs"])
    precision = _precision_of(name)
    assert net.source_precision == precision
    tolerance = AGREEMENT.get(precision, 1e-5)
    np.testing.assert_allclose(ours, keras_outputs, rtol=tolerance, atol=tolerance * 1e-1)


@pytest.mark.parametrize(
    ("name", "stored", "agreement"),
    [
        ("float16.keras", "float16", "1e-3"),
        ("float16.h5", "float16", "1e-3"),
        ("bfloat16.keras", "bfloat16", "2e-2"),
        ("bfloat16.h5", "bfloat16", "2e-2"),
        ("mixed_float16.keras", "float32", "5e-3"),
        ("mixed_bfloat16.h5", "float32", "2e-2"),
    ],
)
def test_a_reduced_precision_model_says_which_precision_and_how_close_to_keras(name, stored, agreement):
    net = Network.load(FIXTURES / name)
    note = (
        f"Keras {_precision_of(name)} model (weights stored as {stored}): neuroviz computes in float64, so its "
        f"values agree with Keras's predictions only to about {agreement} (relative), not to float32 precision."
    )
    assert net.load_note == note
    assert net.description.endswith(note)


@pytest.mark.parametrize("name", ["identity_flatten.keras", "identity_flatten.h5", "lora.keras"])
def test_a_float32_model_has_no_note(name):
    net = Network.load(FIXTURES / name)
    assert (net.source_precision, net.load_note) == ("float32", "")


def test_a_network_not_read_from_keras_has_no_source_precision(tmp_path):
    net = Network.from_sizes([2, 2], seed=0)
    net.save(tmp_path / "n.json")
    loaded = Network.load(tmp_path / "n.json")
    assert (net.source_precision, loaded.source_precision, loaded.load_note) == (None, None, "")


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_identity_and_flatten_are_skipped_like_dropout(suffix):
    net = Network.load(FIXTURES / f"identity_flatten{suffix}")
    assert [(layer.activation, layer.units) for layer in net.layers] == [("tanh", 4), ("linear", 2)]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "unbuilt.keras",
            "config.json: the model was saved before it was built: no weights (and no input shape); build it "
            "(give it a keras.Input or call it on data) and save it again",
        ),
        ("unbuilt.h5", "model_config: the model was saved before it was built: no weights"),
        ("int8.keras", "is quantized (int8, made by model.quantize()): its kernel holds integers and scales"),
        (
            "lora.h5",
            "uses LoRA (rank 2) and this file keeps its 4 arrays (kernel, bias and the two LoRA matrices) apart; "
            "neuroviz reads LoRA models from .keras files",
        ),
    ],
)
def test_legal_files_neuroviz_cannot_show_are_refused_saying_what_they_are(name, message):
    with pytest.raises(NetworkFileError) as caught:
        Network.load(FIXTURES / name)
    assert message in str(caught.value)


def _archive_with_kernel(path: Path, kernel_bits: np.ndarray, policy: str, mark: bool) -> Path:
    """Input(2) → Dense(2) whose kernel is stored as 2-byte opaque values, as Keras stores bfloat16."""
    dense = {
        "module": "keras.layers",
        "class_name": "Dense",
        "config": {
            "name": "d",
            "units": 2,
            "use_bias": False,
            "activation": "linear",
            "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": policy}},
        },
    }
    inputs = {"module": "keras.layers", "class_name": "InputLayer", "config": {"name": "in", "batch_shape": [None, 2]}}
    config = {"module": "keras", "class_name": "Sequential", "config": {"name": "m", "layers": [inputs, dense]}}
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5:
        variables = h5.create_group("layers/dense/vars")
        variables.attrs["name"] = "d"
        dataset = variables.create_dataset("0", data=kernel_bits.astype("<u2").view("V2"))
        if mark:
            dataset.attrs["dtype"] = "bfloat16"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("config.json", json.dumps(config))
        archive.writestr("model.weights.h5", buffer.getvalue())
    return path


@pytest.mark.parametrize(("policy", "mark"), [("float32", True), ("bfloat16", False)])
def test_bfloat16_weights_are_read_exactly(tmp_path, policy, mark):
    bits = np.array([[0x3F80, 0xC020], [0x3E20, 0x7F7F]], dtype=np.uint16)  # 1, -2.5, 0.15625, bfloat16's max
    net = Network.load(_archive_with_kernel(tmp_path / "bf16.keras", bits, policy, mark))
    np.testing.assert_array_equal(net.layers[0].weights, [[1.0, -2.5], [0.15625, 3.3895313892515355e38]])


def test_opaque_two_byte_weights_not_marked_as_bfloat16_are_refused_by_name(tmp_path):
    path = _archive_with_kernel(tmp_path / "v2.keras", np.ones((2, 2), dtype=np.uint16), "float32", False)
    with pytest.raises(NetworkFileError) as caught:
        Network.load(path)
    assert "expected float16, bfloat16, float32 or float64 weights, got 2-byte opaque values (|V2) not marked as " in (
        str(caught.value)
    )
