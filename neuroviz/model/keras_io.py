"""Open small trained Keras models (``.keras``, ``.h5``) as Networks, and save a Network as ``.keras``.

Reading uses only ``zipfile``, ``json`` and ``h5py``: Keras and TensorFlow are never imported, and nothing in
a file is executed or unpickled (a Lambda layer's code is never even decoded).

**What can be opened.** Keras 3 ``.keras`` archives (``config.json`` + ``model.weights.h5``) and legacy
HDF5 ``.h5`` files of Keras 2 and Keras 3 (``model.save("x.h5")``; files of weights only hold no architecture
and are refused). The model must be a Sequential model, or a Functional model that is a single chain from
one input to one output, built from:

- ``InputLayer`` with a flat input (shape ``(n,)``),
- ``Dense`` with any ``keras.activations`` function (``use_bias=False`` gives zero biases),
- activation layers: ``Activation``, ``ReLU`` (negative_slope, max_value, threshold), ``LeakyReLU``
  (Keras 3 ``negative_slope``, Keras 2 ``alpha``; the layer's default slope is 0.3), ``PReLU`` (one learned
  slope per neuron, or one shared slope), ``ELU`` (alpha), ``Softmax`` (over the neurons), Keras 2
  ``ThresholdedReLU`` (theta),
- layers that do nothing at inference: ``Dropout``, ``AlphaDropout``, ``GaussianNoise``, ``GaussianDropout``,
  ``ActivityRegularization``, ``Identity``, ``Flatten`` (every tensor here is already flat) and
  ``Activation("linear")``; they are skipped.

**How activation layers are shown.** neuroviz draws one column per Dense layer, with the activation in the
column's header. So an activation layer that follows a *linear* Dense layer (no-op layers in between do not
count) is merged into that Dense layer: ``Dense(5) → ReLU(max_value=2)`` opens as one layer of 5 neurons with
``relu(max_value=2)``. The merge is exact, since the activation layer computes ``activation(Dense output)``.
Any other activation layer (right after the input, after a Dense layer with a non-linear activation, or
after another activation layer: ``Dense(3, "relu") → Softmax``, ``Dense → ReLU → Dropout → LeakyReLU``)
becomes a column of its own, named after the Keras layer: a Dense layer as wide as the column before it,
with identity weights, zero biases and that activation (PReLU brings its slopes). That is exact too: the
identity matrix and the zero biases pass every value on bit for bit (``x·1`` plus zeros; an infinity or NaN
goes only where its weight is not zero, see ``network._weighted_sums``), so the column computes
``activation(x)``. Such columns count towards the limit of 16 hidden layers.

**What is refused** (``NetworkFileError``, naming the file, where and what): legal files that hold no float
model neuroviz can show, named for what they are (a model saved before it was built: no weights; a quantized
model; LoRA in a legacy .h5 file, which keeps the LoRA matrices apart from the kernel), any other layer (the message
lists them all, e.g. ``unsupported layers: conv (Conv2D), lam (Lambda)``), custom layers and activations,
subclassed models, branches, shared layers, several inputs or outputs, inputs that are not flat vectors,
Keras 2's ``hard_sigmoid`` (it was ``0.2·x + 0.5``, not Keras 3's ``x/6 + 1/2``), a layer object as a Dense
layer's activation (``Dense(4, activation=LeakyReLU(0.1))``: the message suggests a LeakyReLU layer after the
Dense layer, which opens), more than 16 hidden layers (columns of their own included) or 256 neurons per
layer, configs that list more than 1,000 layers (``MAX_CONFIG_LAYERS``, checked before any layer is looked
at; every other check is linear in the number of layers), files that are not regular files (a FIFO or
device named ``.keras`` is refused at once, never opened for a blocking read), and damaged or hostile files:
truncated archives, members with ``..`` or absolute paths, members larger than 100 MB or compressed more than
1000:1, HDF5 links to other files, weights of the wrong shape or type. Archives are never extracted to disk;
the weights are read from memory.

Layer names become the layers' names and the model's name the network's name. Keras has one input tensor,
so the inputs are called ``x1 … xn``, unless the input layer has a name of its own: then one input takes that
name and several are called ``name 1 … name n``. A float32 model agrees with Keras's predictions to float32
precision. float16, bfloat16 (2-byte opaque HDF5 values, read exactly as the top half of a float32) and
mixed-precision models (``mixed_float16``, ``mixed_bfloat16``) open too, but Keras computes them in 16 bits,
so they agree only to about :data:`AGREEMENT` (relative); such a network says so in ``Network.load_note``
(also appended to its description) and ``Network.source_precision`` names the dtype policy. One exception to
agreement: a model with sparsemax opens with neuroviz's correct sparsemax, which differs from Keras 3.15's
(keras-team/keras issue 23425).

**Saving** (:func:`save_keras`) writes a Keras 3 ``.keras`` archive that ``keras.saving.load_model`` opens:
a Sequential model of Dense layers with the activation as Keras names it. Where Keras has no activation name
for a setting, a separate layer follows a linear Dense layer: relu with non-default parameters becomes
``ReLU``, leaky_relu with a slope other than 0.2 ``LeakyReLU``, elu with alpha other than 1 ``ELU``, prelu
always ``PReLU`` (its slopes are the layer's weights). An activation layer that opened as a column of its
own is saved as that column: a Dense layer with identity weights and zero biases (followed by a ReLU, PReLU,
… layer where the rule above asks for one), so the saved model has an extra Dense layer where the original
had the activation layer alone, and predicts the same. Refused with a message: activations Keras has no
function or layer for (custom formulas, celu/gelu/squareplus/shrink functions with non-default parameters,
threshold, relu with a negative threshold), glu anywhere but in the output layer (Keras's Dense layer
assumes its activation keeps the shape), and sparsemax (Keras 3.15's sparsemax computes different values,
keras-team/keras issue 23425). The file declares float32 layers like any Keras model but stores the weights
in float64, so opening it again in neuroviz gives the very same numbers.

Pure model code: no Qt here.
"""

from __future__ import annotations

import collections
import functools
import io
import json
import math
import os
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from neuroviz.model import activations
from neuroviz.model.atomic import atomic_write
from neuroviz.model.errors import FileReadError, FileWriteError, InvalidNetworkError, NetworkFileError
from neuroviz.model.network import MAX_HIDDEN_LAYERS, MAX_UNITS, Layer, Network
from neuroviz.model.reading import read_regular_file

__all__ = [
    "AGREEMENT",
    "KERAS_FORMAT_VERSION",
    "KERAS_FUNCTIONS",
    "MAX_COMPRESSION_RATIO",
    "MAX_CONFIG_LAYERS",
    "MAX_MEMBER_BYTES",
    "load_keras",
    "save_keras",
]

#: Largest file or archive member read, in bytes.
MAX_MEMBER_BYTES = 100 * 1024 * 1024
#: Members that expand more than this (and are larger than RATIO_FLOOR_BYTES) are taken for zip bombs.
MAX_COMPRESSION_RATIO = 1000
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_MEMBERS = 10_000
#: Most layers a model config may list. neuroviz shows at most 17 Dense columns; each may carry an activation
#: layer and a few layers that do nothing at inference (Dropout, GaussianNoise, ...), so real models that fit
#: list far fewer than this. Longer configs are refused before any layer is looked at.
MAX_CONFIG_LAYERS = 1_000
#: The Keras release whose .keras layout save_keras writes (metadata.json's "keras_version").
KERAS_FORMAT_VERSION = "3.15.1"

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"

#: keras.activations functions (Keras 3.15) and their aliases: the names a Dense layer may carry.
KERAS_FUNCTIONS = frozenset(
    {
        "celu", "elu", "exponential", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_swish",
        "hard_tanh", "leaky_relu", "linear", "log_sigmoid", "log_softmax", "mish", "relu", "relu6", "selu",
        "sigmoid", "silu", "soft_shrink", "softmax", "softplus", "softsign", "sparse_plus", "sparse_sigmoid",
        "sparsemax", "squareplus", "swish", "tanh", "tanh_shrink", "threshold",
    }
)  # fmt: skip
_ACTIVATION_MODULES = ("keras.activations", "keras.src.activations", "keras.src.activations.activations")
_ACTIVATION_LAYERS = frozenset({"Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax", "ThresholdedReLU"})
#: Layers that change nothing at inference. Flatten too: every tensor it can meet here is already a flat vector
#: (a model's input must be flat, and Dense and activation layers keep it flat).
_IDENTITY_LAYERS = frozenset(
    {"Dropout", "AlphaDropout", "GaussianNoise", "GaussianDropout", "ActivityRegularization", "Identity", "Flatten"}
)
#: Relative agreement with Keras's predictions that a precision note promises, rounded up from what was measured
#: on tests/fixtures/keras/precision/ (float16 6e-4, mixed_float16 3e-3, bfloat16 1.3e-2, mixed_bfloat16 1.7e-2).
AGREEMENT = {"float16": 1e-3, "mixed_float16": 5e-3, "bfloat16": 2e-2, "mixed_bfloat16": 2e-2}
_SUPPORTED_LAYERS = _ACTIVATION_LAYERS | _IDENTITY_LAYERS | {"Dense", "InputLayer"}
_MODEL_CLASSES = frozenset({"Sequential", "Functional", "Model"})
_SUPPORTED_TEXT = (
    "neuroviz reads InputLayer, Dense, the activation layers Activation, ReLU, LeakyReLU, PReLU, ELU and "
    "Softmax, and layers that change nothing at inference (Dropout and its kin, Identity, Flatten)"
)
#: Input layer names Keras makes up; an input layer with another name gives the inputs its name.
_AUTOMATIC_INPUT_NAME = re.compile(r"input_layer(_\d+)?|input_\d+|input|.*_input|keras_tensor(_\d+)?")


# -- reading ---------------------------------------------------------------------------------------------
@dataclass
class _KerasLayer:
    """One layer entry of a model config."""

    name: str
    class_name: str
    config: dict
    #: The whole entry of the model config (Functional models keep the layer's connections there).
    entry: dict = field(default_factory=dict)
    #: Where a Keras 3 weights file keeps this layer's variables ("dense_1"), set for Keras 3 archives.
    weights_key: str = ""


@dataclass
class _ColumnPlan:
    """A layer (column) to build: a Dense layer with the activation layer after it merged in, or, when
    ``dense`` is None, an activation layer shown on its own (identity weights, as wide as the column before)."""

    dense: _KerasLayer | None
    #: The Dense layer's units; None for an activation layer on its own (its width is the column before's).
    units: int | None
    use_bias: bool
    activation: str
    params: dict = field(default_factory=dict)
    activation_layer: _KerasLayer | None = None

    @property
    def name(self) -> str:
        """The Keras layer the column shows: the Dense layer, or the activation layer that stands alone."""
        layer = self.dense or self.activation_layer
        assert layer is not None
        return layer.name

    @property
    def takes_activation_layer(self) -> bool:
        """Whether an activation layer after this column merges into it: only into a linear Dense layer."""
        return self.dense is not None and self.activation_layer is None and self.activation == "linear"


class _Problem(Exception):
    """A problem found while reading; turned into a NetworkFileError naming the file."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


def load_keras(path: str | os.PathLike) -> Network:
    """Open a Keras model file (``.keras`` or legacy ``.h5``) as a Network; see the module docstring."""
    path = Path(path)
    try:
        return _load(path)
    except _Problem as problem:
        raise NetworkFileError(path, problem.where, problem.reason) from None
    except InvalidNetworkError as error:
        raise NetworkFileError(path, error.where, error.reason) from None
    except RecursionError:
        raise NetworkFileError(path, "", "its model config is nested too deeply to be a Keras model") from None


def _load(path: Path) -> Network:
    # Read once, as a regular file only (a FIFO or device named .keras/.h5 is refused at once, never opened
    # for blocking reads); the archive and HDF5 readers then work on these bytes, never on the path again.
    try:
        data = read_regular_file(path, MAX_MEMBER_BYTES, "Keras model file", "a Keras model")
    except FileReadError as error:
        raise _Problem("", error.reason) from None
    if data.startswith(_ZIP_MAGIC):
        return _load_archive(path, data)
    if data.startswith(_HDF5_MAGIC):
        return _load_legacy(path, data)
    if path.suffix.lower() == ".keras":
        reason = "is not a Keras model archive (a .keras file is a zip archive; this one is not)"
    elif path.suffix.lower() in (".h5", ".hdf5"):
        reason = "is not an HDF5 file (no HDF5 signature at its start)"
    else:
        reason = "is neither a Keras 3 .keras archive (zip) nor a legacy Keras .h5 file (HDF5)"
    raise _Problem("", reason)


def _keras_major(version: Any) -> int | None:
    match = re.match(r"\s*(\d+)\.", str(version)) if version is not None else None
    return int(match.group(1)) if match else None


# .keras archives ----------------------------------------------------------------------------------------
def _load_archive(path: Path, data: bytes) -> Network:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = _checked_members(archive)
            config = _json_member(archive, members, "config.json")
            metadata = _json_member(archive, members, "metadata.json") if "metadata.json" in members else {}
            if "model.weights.h5" not in members:
                extra = (
                    " (sharded weights, model.weights.json, are not supported)"
                    if any(name.endswith(".weights.json") for name in members)
                    else ""
                )
                raise _Problem("model.weights.h5", f"missing from the archive{extra}")
            weights_data = _member_bytes(archive, members["model.weights.h5"])
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError) as error:
        raise _Problem("", f"is damaged or truncated (not a readable zip archive: {error})") from None
    version = metadata.get("keras_version") if isinstance(metadata, dict) else None
    model = _read_model_config(config, "config.json", _keras_major(version))
    _assign_weight_keys(model.layers)
    weights = _open_h5(weights_data, "model.weights.h5")
    with weights:
        reader = _ArchiveWeights(weights)
        return _build(path, model, reader, version)


def _checked_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The archive's members by name, after refusing unsafe names, duplicates and zip bombs."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _Problem("", f"holds {len(infos)} files; a Keras model archive holds a handful")
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename
        parts = re.split(r"[/\\]", name)
        if name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name) or ".." in parts or "\0" in name:
            raise _Problem(name, "refused: an archive member with an absolute path or '..' is not safe")
        if name in members:
            raise _Problem(name, "refused: the archive holds two members with this name")
        if info.file_size > MAX_MEMBER_BYTES:
            raise _Problem(
                name, f"refused: declares {info.file_size / 1e6:.0f} MB uncompressed (at most 100 MB are read)"
            )
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise _Problem(
                name,
                f"refused: {info.compress_size} bytes would expand to {info.file_size} bytes "
                f"(more than {MAX_COMPRESSION_RATIO}:1, a zip bomb)",
            )
        members[name] = info
    if "config.json" not in members:
        raise _Problem("config.json", "missing: this zip archive is not a Keras model")
    return members


def _member_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as stream:
        data = stream.read(MAX_MEMBER_BYTES + 1)
    if len(data) != info.file_size:
        raise _Problem(info.filename, "is damaged: its size differs from the size the archive declares")
    return data


def _json_member(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], name: str) -> Any:
    return _parse_json(_member_bytes(archive, members[name]), name)


def _parse_json(data: bytes | str, where: str) -> Any:
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        return json.loads(text)
    except UnicodeDecodeError as error:
        raise _Problem(where, f"is not UTF-8 text (invalid byte at offset {error.start})") from None
    except json.JSONDecodeError as error:
        raise _Problem(where, f"bad JSON at line {error.lineno}, column {error.colno}: {error.msg}") from None
    except RecursionError:
        raise _Problem(where, "bad JSON: nested too deeply") from None


def _open_h5(data: bytes, where: str) -> h5py.File:
    try:
        return h5py.File(io.BytesIO(data), "r")
    except (OSError, ValueError, RuntimeError) as error:
        raise _Problem(where, f"is not a readable HDF5 file (damaged or truncated: {error})") from None


@functools.lru_cache(maxsize=256)  # a model has few layer classes and may have many layers
def _snake_case(class_name: str) -> str:
    """Keras's ``naming.to_snake_case``: "PReLU" -> "p_re_lu", "Dense" -> "dense"."""
    name = re.sub(r"\W+", "", class_name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def _assign_weight_keys(layers: list[_KerasLayer]) -> None:
    """Keras 3 stores a layer's variables under its class name, numbered in model order: dense, dense_1, ..."""
    used: dict[str, int] = {}
    for layer in layers:
        key = _snake_case(layer.class_name)
        if key in used:
            used[key] += 1
            key = f"{key}_{used[key]}"
        else:
            used[key] = 0
        layer.weights_key = key


# legacy .h5 files ---------------------------------------------------------------------------------------
def _load_legacy(path: Path, data: bytes) -> Network:
    weights = _open_h5(data, "")
    with weights:
        try:
            raw_config = weights.attrs.get("model_config")
            version = _attribute_text(weights.attrs.get("keras_version"))
        except (OSError, KeyError, TypeError, ValueError) as error:
            raise _Problem("", f"its attributes cannot be read ({error})") from None
        if raw_config is None:
            raise _Problem(
                "model_config",
                "missing: this HDF5 file holds weights only, no model; save the whole model with model.save()",
            )
        config = _parse_json(_attribute_text(raw_config, "model_config"), "model_config")
        model = _read_model_config(config, "model_config", _keras_major(version))
        root = _safe_group(weights, "model_weights", "model_weights") if "model_weights" in weights else weights
        return _build(path, model, _LegacyWeights(root), version)


def _attribute_text(value: Any, where: str = "") -> str:
    """An HDF5 attribute as text (h5py gives str, bytes or a 0-d array, depending on how it was written)."""
    if value is None:
        return ""
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    if isinstance(value, bytes | np.bytes_):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            raise _Problem(where, "is not UTF-8 text") from None
    return str(value)


def _attribute_strings(group: h5py.Group, name: str) -> list[str]:
    """A list-of-names attribute, also when Keras split it into ``name0``, ``name1``, ... (large models)."""
    if name in group.attrs:
        chunks = [group.attrs[name]]
    else:
        chunks, index = [], 0
        while f"{name}{index}" in group.attrs:
            chunks.append(group.attrs[f"{name}{index}"])
            index += 1
    values = []
    for chunk in chunks:
        for item in np.atleast_1d(np.asarray(chunk)).ravel():
            values.append(item.decode("utf-8") if isinstance(item, bytes | np.bytes_) else str(item))
    return values


# safe HDF5 access ---------------------------------------------------------------------------------------
def _safe_child(parent: h5py.Group, path: str, where: str) -> h5py.Group | h5py.Dataset | None:
    """The object at ``path`` below ``parent`` through hard links only (never a link to another file)."""
    current: Any = parent
    for part in path.split("/"):
        if not part:
            raise _Problem(where, f"the path {path!r} is not a plain path inside the file")
        if not isinstance(current, h5py.Group):
            return None
        link = current.get(part, getlink=True)
        if link is None:
            return None
        if not isinstance(link, h5py.HardLink):
            raise _Problem(where, f"refused: {part!r} is a {type(link).__name__} (links are not followed)")
        current = current[part]
    return current


def _safe_group(parent: h5py.Group, path: str, where: str) -> h5py.Group:
    group = _safe_child(parent, path, where)
    if not isinstance(group, h5py.Group):
        raise _Problem(where, "missing" if group is None else "expected a group of weights, found a dataset")
    return group


def _read_array(dataset: Any, shape: tuple[int, ...], where: str, policy: str | None = None) -> np.ndarray:
    """A weight array of exactly ``shape`` as float64; checks happen before any data is read.

    bfloat16 has no NumPy type: h5py gives 2-byte opaque values (``|V2``). They are read as bfloat16 (the top
    16 bits of a float32, so ``uint16 << 16`` is the exact float32) when the dataset says so (Keras 3 archives
    write the attribute ``dtype="bfloat16"``) or its layer's dtype policy is bfloat16 (legacy .h5 files).
    """
    if dataset is None:
        raise _Problem(where, "missing")
    if not isinstance(dataset, h5py.Dataset):
        raise _Problem(where, "expected an array of weights, found a group")
    if dataset.external or dataset.is_virtual:
        raise _Problem(where, "refused: the array's data lives in another file")
    bfloat16 = _is_bfloat16(dataset, policy)
    if not bfloat16 and (dataset.dtype.kind != "f" or dataset.dtype.itemsize not in (2, 4, 8)):
        raise _Problem(where, f"expected float16, bfloat16, float32 or float64 weights, got {_dtype_text(dataset)}")
    if tuple(dataset.shape) != shape:
        raise _Problem(where, f"expected shape {_shape_text(shape)}, got {_shape_text(dataset.shape)}")
    try:
        raw = dataset[()]
        if bfloat16:
            bits = np.frombuffer(np.ascontiguousarray(raw).tobytes(), dtype="<u2").astype(np.uint32) << 16
            raw = bits.view(np.float32)
        values = np.asarray(raw, dtype=np.float64).reshape(shape)
    except (OSError, ValueError, TypeError, RuntimeError) as error:
        raise _Problem(where, f"cannot be read (damaged file: {error})") from None
    bad = np.argwhere(~np.isfinite(values))
    if len(bad):
        index = "".join(f"[{i}]" for i in bad[0])
        raise _Problem(f"{where}{index}", f"must be finite, got {values[tuple(bad[0])]!r}")
    return values


def _is_bfloat16(dataset: h5py.Dataset, policy: str | None) -> bool:
    if dataset.dtype.kind != "V" or dataset.dtype.itemsize != 2 or dataset.dtype.fields is not None:
        return False
    try:
        marked = _attribute_text(dataset.attrs.get("dtype")) == "bfloat16"
    except (_Problem, OSError, TypeError, ValueError):
        marked = False
    return marked or policy == "bfloat16"


def _dtype_text(dataset: h5py.Dataset) -> str:
    """A stored type for a person: "int8", or "2-byte opaque values (|V2) not marked as bfloat16"."""
    if dataset.dtype.kind == "V":
        return f"{dataset.dtype.itemsize}-byte opaque values ({dataset.dtype.str}) not marked as bfloat16"
    return str(dataset.dtype)


def _stored_type(dataset: Any, policy: str | None) -> str:
    if isinstance(dataset, h5py.Dataset) and _is_bfloat16(dataset, policy):
        return "bfloat16"
    return str(dataset.dtype) if isinstance(dataset, h5py.Dataset) else "?"


def _shape_text(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


class _WeightReader:
    """Finds a layer's weight arrays in a weights file; subclasses know where each Keras version keeps them."""

    def datasets(self, layer: _KerasLayer) -> list[tuple[Any, str]]:
        """(dataset or None, where) for each stored array of ``layer``, in Keras's order."""
        raise NotImplementedError

    #: The types the weights were stored in ("float16", "bfloat16", ...), filled in as arrays are read.
    stored_types: set[str]

    def arrays(self, layer: _KerasLayer, shapes: list[tuple[int, ...]]) -> list[np.ndarray]:
        found = self.datasets(layer)
        lora_rank = layer.config.get("lora_rank")
        if lora_rank and len(found) != len(shapes):
            raise _Problem(
                self.location(layer),
                f"layer {layer.name!r} ({layer.class_name}) uses LoRA (rank {lora_rank}) and this file keeps "
                f"its {len(found)} arrays (kernel, bias and the two LoRA matrices) apart; neuroviz reads LoRA "
                "models from .keras files, where Keras stores the merged kernel: save the model as .keras",
            )
        if not found and shapes:
            raise _Problem(
                self.location(layer),
                f"layer {layer.name!r} ({layer.class_name}) has no weights: the model was saved before it was "
                "built; build it (give it a keras.Input or call it on data) and save it again",
            )
        if len(found) != len(shapes):
            where = found[0][1].rsplit("/", 1)[0] if found else self.location(layer)
            raise _Problem(
                where,
                f"layer {layer.name!r} ({layer.class_name}) should have {len(shapes)} weight arrays, "
                f"the file has {len(found)}",
            )
        policy = _layer_dtype_policy(layer)
        arrays = [
            _read_array(dataset, shape, where, policy) for (dataset, where), shape in zip(found, shapes, strict=True)
        ]
        self.stored_types.update(_stored_type(dataset, policy) for dataset, _ in found)
        return arrays

    def has_weights(self, layer: _KerasLayer) -> bool:
        """Whether the file holds any array for ``layer`` (a model saved before it was built holds none)."""
        try:
            return bool(self.datasets(layer))
        except _Problem:
            return False

    def kernel_rows(self, layer: _KerasLayer) -> int:
        """Rows of a Dense layer's stored kernel (its inputs), for models that do not declare an input shape."""
        found = self.datasets(layer)
        dataset, where = found[0] if found else (None, self.location(layer))
        if not isinstance(dataset, h5py.Dataset) or len(dataset.shape) != 2:
            raise _Problem(where, f"expected the kernel of layer {layer.name!r}, a matrix (inputs, units)")
        return int(dataset.shape[0])

    def location(self, layer: _KerasLayer) -> str:
        raise NotImplementedError


class _ArchiveWeights(_WeightReader):
    """Variables of a Keras 3 ``model.weights.h5``: ``layers/<key>/vars/0, 1, ...``."""

    def __init__(self, h5: h5py.File) -> None:
        self.h5 = h5
        self.stored_types = set()

    def location(self, layer: _KerasLayer) -> str:
        return f"model.weights.h5: layers/{layer.weights_key}/vars"

    def datasets(self, layer: _KerasLayer) -> list[tuple[Any, str]]:
        where = self.location(layer)
        group = _safe_child(self.h5, f"layers/{layer.weights_key}/vars", where)
        if group is None:  # tf.keras 2.13 archives keep the layers under another name
            group = _safe_child(self.h5, f"_layer_checkpoint_dependencies/{layer.weights_key}/vars", where)
        if not isinstance(group, h5py.Group):
            raise _Problem(where, f"missing: no weights for layer {layer.name!r} ({layer.class_name})")
        stored_name = group.attrs.get("name")
        if stored_name is not None and _attribute_text(stored_name) != layer.name:
            raise _Problem(
                where,
                f"holds the weights of {_attribute_text(stored_name)!r}, expected those of {layer.name!r}: "
                "config.json and the weights do not match",
            )
        return [(_safe_child(group, str(i), f"{where}/{i}"), f"{where}/{i}") for i in range(len(group))]


class _LegacyWeights(_WeightReader):
    """Weights of a legacy HDF5 file: ``model_weights/<layer name>`` lists its arrays in ``weight_names``."""

    def __init__(self, root: h5py.Group) -> None:
        self.root = root
        self.stored_types = set()

    def location(self, layer: _KerasLayer) -> str:
        return f"model_weights/{layer.name}"

    def datasets(self, layer: _KerasLayer) -> list[tuple[Any, str]]:
        where = self.location(layer)
        group = _safe_group(self.root, layer.name, where)
        try:
            names = _attribute_strings(group, "weight_names")
        except (OSError, TypeError, ValueError) as error:
            raise _Problem(where, f"its weight_names cannot be read ({error})") from None
        return [(_safe_child(group, name, f"{where}/{name}"), f"{where}/{name}") for name in names]


# model config -------------------------------------------------------------------------------------------
@dataclass
class _Model:
    """The parts of a model config neuroviz uses: its name, its layers in order, the declared input shape."""

    name: str
    layers: list[_KerasLayer]
    input_shape: list | None
    input_name: str
    keras_major: int | None
    #: Where the config came from ("config.json" or "model_config"), for messages.
    source: str


def _read_model_config(config: Any, where: str, keras_major: int | None) -> _Model:
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise _Problem(where, "is not a Keras model config (no class_name)")
    class_name = config["class_name"]
    body = config.get("config")
    if class_name not in _MODEL_CLASSES or _is_custom(config):
        raise _Problem(
            where,
            f"the model is a {class_name} (a subclassed or custom model): its computation is Python code, "
            "which neuroviz never runs; rebuild it as a Sequential or Functional model",
        )
    if class_name == "Sequential" and isinstance(body, list):  # Keras 2.0-2.2: the config is the layer list
        body = {"layers": body}
    if not isinstance(body, dict) or not isinstance(body.get("layers"), list):
        raise _Problem(where, f"the {class_name} config has no list of layers")
    if len(body["layers"]) > MAX_CONFIG_LAYERS:
        raise _Problem(
            where,
            f"the model lists {len(body['layers']):,} layers; neuroviz reads models of at most "
            f"{MAX_CONFIG_LAYERS:,} layers (it shows at most {MAX_HIDDEN_LAYERS} hidden layers plus the output "
            "layer, and layers like Dropout that change nothing at inference are skipped)",
        )
    name = body.get("name") if isinstance(body.get("name"), str) else "keras model"
    entries = [_layer_entry(item, f"{where}: layers[{i}]") for i, item in enumerate(body["layers"])]
    _refuse_unsupported(entries, body, class_name, where)
    if class_name == "Sequential":
        layers, input_name = _sequential_chain(entries, where)
    else:
        layers, input_name = _functional_chain(entries, body, where)
    input_shape = _declared_input_shape(layers, body, config)
    chain = [layer for layer in layers if layer.class_name != "InputLayer"]
    return _Model(name, chain, input_shape, input_name, keras_major, where)


def _is_custom(item: dict) -> bool:
    """A custom class: from a module outside Keras, or registered under a name of its own."""
    module = item.get("module")
    registered = item.get("registered_name")
    if module is not None and not (isinstance(module, str) and module.split(".")[0] == "keras"):
        return True
    return registered is not None and registered != item.get("class_name")


def _layer_entry(item: Any, where: str) -> _KerasLayer:
    if not isinstance(item, dict) or not isinstance(item.get("class_name"), str):
        raise _Problem(where, "is not a layer config (no class_name)")
    config = item.get("config")
    if not isinstance(config, dict):
        raise _Problem(where, f"layer {item['class_name']} has no config")
    name = item.get("name", config.get("name"))
    if not isinstance(name, str) or not name:
        raise _Problem(where, f"layer {item['class_name']} has no name")
    return _KerasLayer(name, item["class_name"], config, item)


def _refuse_unsupported(entries: list[_KerasLayer], body: dict, class_name: str, where: str) -> None:
    unsupported = []
    for layer in entries:
        if _is_custom(layer.entry):
            unsupported.append(f"{layer.name} ({layer.class_name}, custom)")
        elif layer.class_name not in _SUPPORTED_LAYERS:
            unsupported.append(f"{layer.name} ({layer.class_name})")
    if not unsupported:
        return
    reason = f"unsupported layers: {', '.join(unsupported)}; {_SUPPORTED_TEXT}"
    if class_name != "Sequential":
        shape_problem = _chain_problem(entries, body)
        if shape_problem:
            reason += f"; also, {shape_problem}"
    raise _Problem(where, reason)


def _sequential_chain(entries: list[_KerasLayer], where: str) -> tuple[list[_KerasLayer], str]:
    counts = collections.Counter(layer.name for layer in entries)  # linear: no list.count per layer
    duplicates = sorted(name for name, count in counts.items() if count > 1)
    if duplicates:
        raise _Problem(where, f"two layers are called {duplicates[0]!r}; layer names must be unique")
    inputs = [layer for layer in entries if layer.class_name == "InputLayer"]
    if len(inputs) > 1 or (inputs and entries[0] is not inputs[0]):
        raise _Problem(where, "an InputLayer may only come first in a Sequential model")
    return entries, inputs[0].name if inputs else ""


def _tensor_refs(value: Any) -> list[str]:
    """Layer names of a Functional config's ``input_layers`` / ``output_layers`` (any nesting Keras uses)."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list) and len(value) >= 1 and isinstance(value[0], str):
        return [value[0]]
    if isinstance(value, list):
        return [name for item in value for name in _tensor_refs(item)]
    return []


def _node_inputs(node: Any) -> list[str]:
    """Names of the layers whose outputs a node (one call of a layer) reads, Keras 2 and Keras 3 style."""
    if isinstance(node, dict):
        if node.get("class_name") == "__keras_tensor__":
            history = node.get("config", {}).get("keras_history") if isinstance(node.get("config"), dict) else None
            return [history[0]] if isinstance(history, list) and history and isinstance(history[0], str) else []
        return [name for value in node.values() for name in _node_inputs(value)]
    if isinstance(node, list):
        if len(node) >= 3 and isinstance(node[0], str) and isinstance(node[1], int):  # Keras 2 [name, 0, 0, {}]
            return [node[0]]
        return [name for item in node for name in _node_inputs(item)]
    return []


def _graph(entries: list[_KerasLayer]) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Per layer: the layers it reads (its parents) and how many times it is called."""
    parents: dict[str, list[str]] = {}
    calls: dict[str, int] = {}
    for layer in entries:
        nodes = layer.entry.get("inbound_nodes") or []
        nodes = nodes if isinstance(nodes, list) else [nodes]
        calls[layer.name] = len(nodes)
        parents[layer.name] = [name for node in nodes for name in _node_inputs(node)]
    return parents, calls


def _chain_problem(
    entries: list[_KerasLayer], body: dict, graph: tuple[dict[str, list[str]], dict[str, int]] | None = None
) -> str:
    """Why a Functional model is not one chain from one input to one output ("" if it is); ``graph`` is
    ``_graph(entries)`` when the caller has it already."""
    inputs, outputs = _tensor_refs(body.get("input_layers")), _tensor_refs(body.get("output_layers"))
    if len(inputs) != 1 or len(outputs) != 1:
        return (
            f"the model has {_count(len(inputs), 'input')} and {_count(len(outputs), 'output')}; "
            "neuroviz reads models with one input and one output"
        )
    parents, calls = graph or _graph(entries)
    children: dict[str, list[str]] = {name: [] for name in parents}
    for name, sources in parents.items():
        for source in sources:
            children.setdefault(source, []).append(name)
    for layer in entries:
        if calls[layer.name] > 1:
            return f"layer {layer.name!r} is used {calls[layer.name]} times (shared layers are not supported)"
    for layer in entries:
        if len(parents[layer.name]) > 1:
            joined = ", ".join(parents[layer.name])
            return f"layer {layer.name!r} joins several branches ({joined}); neuroviz reads a single chain"
        if len(children.get(layer.name, [])) > 1:
            split = ", ".join(children[layer.name])
            return f"the model branches after layer {layer.name!r} (it feeds {split}); neuroviz reads a single chain"
    return ""


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _functional_chain(entries: list[_KerasLayer], body: dict, where: str) -> tuple[list[_KerasLayer], str]:
    by_name: dict[str, _KerasLayer] = {}
    for layer in entries:
        if layer.name in by_name:
            raise _Problem(where, f"two layers are called {layer.name!r}; layer names must be unique")
        by_name[layer.name] = layer
    graph = _graph(entries)
    problem = _chain_problem(entries, body, graph)
    if problem:
        raise _Problem(where, problem)
    parents, _ = graph
    (input_name,) = _tensor_refs(body.get("input_layers"))
    (output_name,) = _tensor_refs(body.get("output_layers"))
    chain: list[_KerasLayer] = []
    current = output_name
    while True:
        if current not in by_name:
            raise _Problem(where, f"the model refers to a layer {current!r} that its config does not define")
        chain.append(by_name[current])
        if not parents[current]:
            break
        current = parents[current][0]
        if len(chain) > len(entries):
            raise _Problem(where, "the layers form a loop")
    chain.reverse()
    if chain[0].name != input_name or chain[0].class_name != "InputLayer":
        raise _Problem(where, f"the chain of layers does not start at the model's input {input_name!r}")
    if len(chain) != len(entries):
        on_chain = {id(layer) for layer in chain}
        stray = ", ".join(layer.name for layer in entries if id(layer) not in on_chain)
        raise _Problem(where, f"layers not on the path from the input to the output: {stray}")
    return chain, input_name


def _declared_input_shape(layers: list[_KerasLayer], body: dict, config: dict) -> list | None:
    """The input shape (batch axis included) the model declares, wherever its Keras version put it."""
    candidates = []
    if layers:
        first = layers[0]
        candidates += [first.config.get("batch_shape"), first.config.get("batch_input_shape")]
        if isinstance(first.entry.get("build_config"), dict):
            candidates.append(first.entry["build_config"].get("input_shape"))
    candidates.append(body.get("build_input_shape"))
    if isinstance(config.get("build_config"), dict):
        candidates.append(config["build_config"].get("input_shape"))
    for shape in candidates:
        if isinstance(shape, list) and shape:
            return shape
    return None


# activations --------------------------------------------------------------------------------------------
def _function_name(value: Any, layer: _KerasLayer) -> str:
    """The keras.activations name in a serialized activation (a string or Keras 3's function dict)."""
    label = f"layer {layer.name!r} ({layer.class_name})"
    if value is None:
        return "linear"
    if isinstance(value, dict):
        if (
            value.get("class_name") == "function"
            and value.get("module") in _ACTIVATION_MODULES
            and isinstance(value.get("config"), str)
        ):
            value = value["config"]
        elif _is_layer_object(value):
            raise _Problem(label, _layer_object_reason(value, layer))
        else:
            described = value.get("config") if isinstance(value.get("config"), str) else value.get("class_name")
            raise _Problem(
                label,
                f"uses the custom activation {described!r}; only the functions of keras.activations "
                "can be read (custom code is never run)",
            )
    if not isinstance(value, str):
        raise _Problem(label, f"has an activation neuroviz cannot read: {value!r}")
    if value not in KERAS_FUNCTIONS:
        raise _Problem(label, f"uses the activation {value!r}, which is not one of keras.activations")
    return value


def _is_layer_object(value: dict) -> bool:
    """An activation given as a Keras layer object (``Dense(4, activation=LeakyReLU(0.1))``)."""
    module = value.get("module")
    from_layers = isinstance(module, str) and module.startswith(("keras.layers", "keras.src.layers"))
    return from_layers or (module is None and value.get("class_name") in _ACTIVATION_LAYERS)


def _layer_object_reason(value: dict, layer: _KerasLayer) -> str:
    class_name = value.get("class_name")
    reason = (
        f"uses a layer object ({class_name}) as its activation; neuroviz reads only keras.activations functions there"
    )
    if class_name not in _ACTIVATION_LAYERS:
        return reason
    units = layer.config.get("units")
    dense = f"Dense({units})" if isinstance(units, int) and not isinstance(units, bool) else "Dense(...)"
    return (
        f"{reason}: put a {class_name} layer after the Dense layer instead ({dense} followed by {class_name}(...)), "
        "which computes the same and opens in neuroviz"
    )


def _dense_activation(layer: _KerasLayer, keras_major: int | None) -> tuple[str, dict]:
    name = _function_name(layer.config.get("activation"), layer)
    if name == "hard_sigmoid" and keras_major is not None and keras_major < 3:
        raise _Problem(
            f"layer {layer.name!r} ({layer.class_name})",
            "uses Keras 2's hard_sigmoid (0.2·x + 0.5), which differs from Keras 3's hard_sigmoid "
            "(x/6 + 1/2) that neuroviz implements",
        )
    return activations.get(name).name, {}


def _number(layer: _KerasLayer, key: str, default: float | None, optional: bool = False) -> float | None:
    value = layer.config.get(key, default)
    if value is None and optional:
        return None
    if isinstance(value, list) and len(value) == 1:  # Keras 2 wrote some parameters as one-element lists
        value = value[0]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _Problem(f"layer {layer.name!r} ({layer.class_name})", f"{key} must be a number, got {value!r}")
    return float(value)


def _layer_activation(layer: _KerasLayer, keras_major: int | None) -> tuple[str, dict]:
    """(activation name, params) of an activation layer; PReLU's slopes are filled in from its weights."""
    kind = layer.class_name
    if kind == "Activation":
        return _dense_activation(layer, keras_major)
    if kind == "ReLU":
        return "relu", {
            "negative_slope": _number(layer, "negative_slope", 0.0),
            "max_value": _number(layer, "max_value", None, optional=True),
            "threshold": _number(layer, "threshold", 0.0),
        }
    if kind == "LeakyReLU":
        key = "negative_slope" if "negative_slope" in layer.config else "alpha"
        return "leaky_relu", {"negative_slope": _number(layer, key, 0.3)}
    if kind == "ELU":
        return "elu", {"alpha": _number(layer, "alpha", 1.0)}
    if kind == "ThresholdedReLU":
        return "threshold", {"threshold": _number(layer, "theta", 1.0), "default_value": 0.0}
    if kind == "Softmax":
        axis = _number(layer, "axis", -1)
        if axis not in (-1.0, 1.0):
            raise _Problem(f"layer {layer.name!r} (Softmax)", f"acts on axis {axis:g}; only the neurons' axis works")
        return "softmax", {}
    return "prelu", {}


def _layer_dtype_policy(layer: _KerasLayer) -> str | None:
    """The layer's dtype policy name ("float32", "float16", "mixed_bfloat16", ...); None when it has none.

    A quantized layer (``model.quantize("int8")`` and kin) is refused here, saying so: its kernel holds
    integers and scales, not the float weights neuroviz reads.
    """
    label = f"layer {layer.name!r} ({layer.class_name})"
    value = layer.config.get("dtype")
    quantization = layer.config.get("quantization_config")
    body = value.get("config") if isinstance(value, dict) and isinstance(value.get("config"), dict) else {}
    if quantization or "Quantized" in str(value.get("class_name") if isinstance(value, dict) else "") or "mode" in body:
        mode = body.get("mode") or (quantization.get("mode") if isinstance(quantization, dict) else None) or "unknown"
        raise _Problem(
            label,
            f"is quantized ({mode}, made by model.quantize()): its kernel holds integers and scales, not float "
            "weights; neuroviz reads float models, so open the model as it was saved before quantizing",
        )
    if isinstance(value, str):
        return value
    name = body.get("name")
    return name if isinstance(name, str) else None


def _precision(plans: list[_ColumnPlan], weights: _WeightReader) -> tuple[str, str]:
    """(precision, note): the dtype policy the model's weighted layers compute in ("float32", "float16",
    "mixed: float16, float32"), and a sentence for the status bar when it is not float32 ("" otherwise)."""
    layers = [layer for plan in plans for layer in (plan.dense, plan.activation_layer) if layer is not None]
    policies = sorted({_layer_dtype_policy(layer) or "float32" for layer in layers if weights.has_weights(layer)})
    precision = policies[0] if len(policies) == 1 else "mixed: " + ", ".join(policies)
    if policies in ([], ["float32"]):
        return policies[0] if policies else "float32", ""
    stored = ", ".join(sorted(weights.stored_types)) or "none"
    agreement = f"{max(AGREEMENT.get(policy, 2e-2) for policy in policies):.0e}".replace("e-0", "e-")  # "5e-3"
    note = (
        f"Keras {precision} model (weights stored as {stored}): neuroviz computes in float64, so its values "
        f"agree with Keras's predictions only to about {agreement} (relative), not to float32 precision."
    )
    return precision, note


def _is_identity(layer: _KerasLayer) -> bool:
    """Layers that change nothing at inference: Dropout and its kin, Activation("linear")."""
    if layer.class_name in _IDENTITY_LAYERS:
        return True
    return layer.class_name == "Activation" and _function_name(layer.config.get("activation"), layer) == "linear"


def _plan(model: _Model) -> list[_ColumnPlan]:
    """The columns to build: Dense layers with the activation layers merged in (see the module docstring)."""
    plans: list[_ColumnPlan] = []
    for layer in model.layers:
        label = f"layer {layer.name!r} ({layer.class_name})"
        if _is_identity(layer):
            continue
        _layer_dtype_policy(layer)  # refuses a quantized layer, saying so
        if layer.class_name == "Dense":
            units = layer.config.get("units")
            if isinstance(units, bool) or not isinstance(units, int) or units < 1:
                raise _Problem(label, f"units must be a whole number ≥ 1, got {units!r}")
            use_bias = layer.config.get("use_bias", True)
            if not isinstance(use_bias, bool):
                raise _Problem(label, f"use_bias must be true or false, got {use_bias!r}")
            name, params = _dense_activation(layer, model.keras_major)
            plans.append(_ColumnPlan(layer, units, use_bias, name, params))
            continue
        name, params = _layer_activation(layer, model.keras_major)
        if plans and plans[-1].takes_activation_layer:
            plans[-1].activation, plans[-1].params = name, params
            plans[-1].activation_layer = layer
        else:  # after the input, a non-linear Dense layer or another activation layer: a column of its own
            plans.append(_ColumnPlan(None, None, False, name, params, layer))
    if not plans:
        raise _Problem(model.source, "the model has no Dense layer; neuroviz shows networks of Dense layers")
    _check_limits(plans, model.source)
    return plans


def _check_limits(plans: list[_ColumnPlan], where: str) -> None:
    if len(plans) - 1 > MAX_HIDDEN_LAYERS:
        alone = [plan.name for plan in plans if plan.dense is None]
        if alone:
            shown = ", ".join(repr(name) for name in alone[:5]) + (", …" if len(alone) > 5 else "")
            count = f"{len(plans)} layers ({len(plans) - 1} hidden)"
            reason = (
                f"the model needs {count}: {_count(len(plans) - len(alone), 'Dense layer')} and "
                f"{_count(len(alone), 'activation layer')} that cannot be merged into the Dense layer before "
                f"them and are shown as layers of their own ({shown})"
            )
        else:
            reason = f"the model has {len(plans)} Dense layers ({len(plans) - 1} hidden)"
        raise _Problem(
            where, f"{reason}; neuroviz shows at most {MAX_HIDDEN_LAYERS} hidden layers plus the output layer"
        )
    for plan in plans:
        limit = 2 * MAX_UNITS if plan.activation == "glu" else MAX_UNITS
        if plan.units is not None and plan.units > limit:
            raise _Problem(
                f"layer {plan.name!r} (Dense)",
                f"has {plan.units} units; neuroviz shows at most {MAX_UNITS} neurons per layer",
            )


def _input_count(model: _Model) -> int | None:
    shape = model.input_shape
    if shape is None:
        return None
    dims = shape[1:]
    if len(dims) != 1 or isinstance(dims[0], bool) or not isinstance(dims[0], int) or dims[0] < 1:
        text = "(" + ", ".join("None" if d is None else str(d) for d in dims) + ")"
        raise _Problem(
            "input",
            f"has shape {text}; neuroviz reads models whose input is a flat vector (one value per input neuron)",
        )
    if dims[0] > MAX_UNITS:
        raise _Problem("input", f"has {dims[0]} values; neuroviz shows at most {MAX_UNITS} inputs")
    return dims[0]


def _undeclared_input_count(model: _Model, plans: list[_ColumnPlan], weights: _WeightReader) -> int:
    """Inputs of a model that declares no input shape: the first Dense kernel's rows (a glu before it halves)."""
    halvings = 0
    for plan in plans:
        if plan.dense is not None:
            if not weights.has_weights(plan.dense):
                raise _Problem(
                    model.source,
                    "the model was saved before it was built: no weights (and no input shape); build it "
                    "(give it a keras.Input or call it on data) and save it again",
                )
            return weights.kernel_rows(plan.dense) * 2**halvings
        halvings += plan.activation == "glu"
    raise _Problem(
        model.source, "the model declares no input shape and has no Dense layer, so its number of inputs is unknown"
    )


def _input_names(name: str, count: int) -> list[str]:
    if not name or _AUTOMATIC_INPUT_NAME.fullmatch(name):
        return [f"x{i + 1}" for i in range(count)]
    return [name] if count == 1 else [f"{name} {i + 1}" for i in range(count)]


def _build(path: Path, model: _Model, weights: _WeightReader, version: Any) -> Network:
    plans = _plan(model)
    fan_in = _input_count(model)
    if fan_in is None:
        fan_in = _undeclared_input_count(model, plans, weights)
    layers = []
    for plan in plans:
        layers.append(_build_layer(plan, fan_in, weights))
        fan_in = layers[-1].output_size
    version_text = f" (Keras {version})" if version else ""
    precision, note = _precision(plans, weights)
    net = Network(
        layers,
        input_names=_input_names(model.input_name, layers[0].fan_in),
        name=model.name,
        description=f"Imported from the Keras model file {path.name}{version_text}." + (f" {note}" if note else ""),
    )
    net.source_precision, net.load_note = precision, note
    return net


def _build_layer(plan: _ColumnPlan, fan_in: int, weights: _WeightReader) -> Layer:
    if plan.dense is None:
        # An activation layer on its own: identity weights and zero biases pass every value on unchanged
        # (x·1 plus zeros; ±inf and NaN only reach the neuron whose weight is 1), so the column computes activation(x).
        units = fan_in
        kernel, biases = np.eye(units), np.zeros(units)
    else:
        units = plan.units
        assert units is not None
        shapes = [(fan_in, units)] + ([(units,)] if plan.use_bias else [])
        arrays = weights.arrays(plan.dense, shapes)
        kernel, biases = arrays[0], arrays[1] if plan.use_bias else np.zeros(units)
    params = dict(plan.params)
    if plan.activation == "prelu":
        assert plan.activation_layer is not None
        params["alpha"] = _prelu_slopes(plan.activation_layer, units, weights)
    act = activations.get(plan.activation)
    try:
        params = act.validate(**params)
    except ValueError as error:
        raise _Problem(f"layer {plan.name!r}", str(error)) from None
    regularizer = None if plan.dense is None else _kernel_regularizer(plan.dense)
    return Layer(plan.name, kernel, biases, act.name, params, kernel_regularizer=regularizer)


#: Keras' regularizer classes and string names with the (l1, l2) they mean when their config leaves one out
#: (keras/src/regularizers: "l2" is L2(0.01), "l1l2" is L1L2(0, 0)).
_REGULARIZERS = {"L1": (0.01, 0.0), "L2": (0.0, 0.01), "L1L2": (0.0, 0.0)}


def _kernel_regularizer(layer: _KerasLayer) -> dict[str, float] | None:
    """A Dense layer's kernel_regularizer as ``{"l1": a, "l2": b}`` (None when it has none)."""
    value = layer.config.get("kernel_regularizer")
    if value is None:
        return None
    where = f"layer {layer.name!r} ({layer.class_name}): kernel_regularizer"
    if isinstance(value, str):
        class_name, config = {"l1": "L1", "l2": "L2", "l1l2": "L1L2"}.get(value.lower(), value), {}
    elif isinstance(value, dict) and isinstance(value.get("config", {}), dict):
        class_name, config = value.get("class_name"), value.get("config", {})
    else:
        raise _Problem(where, f"expected a Keras regularizer, got {value!r}")
    if class_name not in _REGULARIZERS:
        raise _Problem(where, f"{class_name!r} is not supported; neuroviz trains with L1, L2 and L1L2")
    l1, l2 = _REGULARIZERS[class_name]
    try:
        l1, l2 = float(config.get("l1", l1)), float(config.get("l2", l2))
    except (TypeError, ValueError):
        raise _Problem(where, f"l1 and l2 must be numbers, got {config!r}") from None
    if not (math.isfinite(l1) and math.isfinite(l2) and l1 >= 0 and l2 >= 0):
        raise _Problem(where, f"l1 and l2 must be finite and ≥ 0, got l1={l1!r}, l2={l2!r}")
    return {"l1": l1, "l2": l2}


def _regularizer_config(regularizer: dict[str, float] | None) -> dict | None:
    """The Keras L1L2 config of a layer's kernel_regularizer (None when it has none)."""
    if regularizer is None:
        return None
    config = {"l1": regularizer["l1"], "l2": regularizer["l2"]}
    return {"module": "keras.regularizers", "class_name": "L1L2", "config": config, "registered_name": None}


def _prelu_slopes(layer: _KerasLayer, units: int, weights: _WeightReader) -> float | np.ndarray:
    """PReLU's slopes: one per neuron, or a single one shared over the neurons (shape (1,))."""
    shared = layer.config.get("shared_axes")
    shape = (1,) if shared in (1, [1], (1,), -1, [-1]) else (units,)
    (alpha,) = weights.arrays(layer, [shape])
    return float(alpha[0]) if shape == (1,) else alpha


# -- writing ---------------------------------------------------------------------------------------------
@dataclass
class _KerasEntry:
    """One layer of the exported Sequential model, with its variables in Keras's order."""

    class_name: str
    name: str
    config: dict
    weights: list[np.ndarray] = field(default_factory=list)
    input_size: int | None = None


def _dtype_policy() -> dict:
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}


def _initializer(class_name: str, config: dict | None = None) -> dict:
    return {"module": "keras.initializers", "class_name": class_name, "config": config or {}, "registered_name": None}


def _is_default(act: activations.Activation, params: dict) -> bool:
    defaults = act.defaults()
    for name, value in params.items():
        default = defaults.get(name)
        if name == "axis":
            continue
        if np.ndim(value) or np.ndim(default):
            return False
        if (value is None) != (default is None) or (value is not None and float(value) != float(default)):
            return False
    return True


def _export_activation(layer: Layer, position: int, is_output: bool) -> tuple[str, tuple[str, dict, list] | None]:
    """(Dense activation name, None), or ("linear", (class, config, weights) of the activation layer after it)."""
    where = f"layer {position} ({layer.name!r})"
    name = layer.activation
    params = layer.params
    try:
        act = activations.get(name)
    except ValueError:
        act = None
    if act is None or (name not in KERAS_FUNCTIONS and name != "prelu"):
        raise _Problem(where, f"uses the activation {name!r}, which Keras has no function or layer for")
    if name == "prelu":
        alpha = np.asarray(params["alpha"], dtype=np.float64)
        if alpha.ndim == 0:
            return "linear", ("PReLU", {"shared_axes": [1]}, [alpha.reshape(1)])
        return "linear", ("PReLU", {"shared_axes": None}, [alpha])
    if name == "sparsemax":
        raise _Problem(
            where,
            "uses sparsemax, which Keras 3.15 computes differently (keras-team/keras issue 23425); "
            "the saved model would not predict what neuroviz shows",
        )
    if name == "threshold":
        raise _Problem(where, "uses threshold, which Keras has no default parameters or layer for")
    if name == "glu" and not is_output:
        raise _Problem(
            where,
            "uses glu in a hidden layer: Keras's Dense layer assumes its activation keeps the number of "
            "values, so only the output layer can use glu",
        )
    if _is_default(act, params):
        return name, None
    if name == "relu":
        if params["threshold"] < 0:
            raise _Problem(
                where,
                f"uses relu with threshold {params['threshold']!r}: Keras's ReLU layer refuses a negative threshold",
            )
        config = {key: params[key] for key in ("max_value", "negative_slope", "threshold")}
        return "linear", ("ReLU", config, [])
    if name == "leaky_relu":
        return "linear", ("LeakyReLU", {"negative_slope": params["negative_slope"]}, [])
    if name == "elu":
        return "linear", ("ELU", {"alpha": params["alpha"]}, [])
    changed = ", ".join(
        f"{key}={value!r}" for key, value in params.items() if key != "axis" and value != act.params[key].default
    )
    raise _Problem(
        where,
        f"uses {name} with {changed}: Keras has no layer for it and its function {name!r} only has the "
        "default parameters",
    )


class _Names:
    """Keras layer names: unique within the model and without '/'."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, wanted: str, fallback: str) -> str:
        base = wanted.replace("/", "_").strip() or fallback
        name, number = base, 2
        while name in self.used:
            name, number = f"{base}_{number}", number + 1
        self.used.add(name)
        return name


def _export_input_name(net: Network) -> str:
    """The input layer's name: the inputs' common name when _input_names would give them back."""
    names = net.input_names
    if len(names) == 1 and names[0] != "x1" and not _AUTOMATIC_INPUT_NAME.fullmatch(names[0]):
        return names[0]
    base = names[0].rsplit(" ", 1)[0] if " " in names[0] else ""
    if base and names == [f"{base} {i + 1}" for i in range(len(names))]:
        return base
    return "input_layer"


def _export_entries(net: Network) -> tuple[str, list[_KerasEntry]]:
    names = _Names()
    input_name = names.take(_export_input_name(net), "input_layer")
    entries = []
    fan_in = net.n_inputs
    for position, layer in enumerate(net.layers, start=1):
        is_output = position == len(net.layers)
        dense_activation, extra = _export_activation(layer, position, is_output)
        dense_name = names.take(layer.name, f"dense_{position}")
        config = {
            "units": layer.units,
            "activation": dense_activation,
            "use_bias": True,
            "kernel_initializer": _initializer("GlorotUniform", {"seed": None}),
            "bias_initializer": _initializer("Zeros"),
            "kernel_regularizer": _regularizer_config(layer.kernel_regularizer),
            "bias_regularizer": None,
            "kernel_constraint": None,
            "bias_constraint": None,
        }
        entries.append(_KerasEntry("Dense", dense_name, config, [layer.weights, layer.biases], fan_in))
        if extra is not None:
            class_name, extra_config, weights = extra
            if class_name == "PReLU":
                extra_config = {
                    "alpha_initializer": _initializer("Constant", {"value": 0.25}),
                    "alpha_regularizer": None,
                    "alpha_constraint": None,
                    **extra_config,
                }
            separator = " " if " " in dense_name else "_"  # "hidden 1 relu", "dense_2_relu"
            extra_name = names.take(f"{dense_name}{separator}{layer.activation}", layer.activation)
            entries.append(_KerasEntry(class_name, extra_name, extra_config, weights, layer.units))
        fan_in = layer.output_size
    return input_name, entries


def _export_config(net: Network, input_name: str, entries: list[_KerasEntry]) -> dict:
    model_name = net.name.replace("/", "_").strip() or "neuroviz"
    layers: list[dict] = [
        {
            "module": "keras.layers",
            "class_name": "InputLayer",
            "config": {"batch_shape": [None, net.n_inputs], "dtype": "float32", "sparse": False, "name": input_name},
            "registered_name": None,
        }
    ]
    for entry in entries:
        item = {
            "module": "keras.layers",
            "class_name": entry.class_name,
            "config": {"name": entry.name, "trainable": True, "dtype": _dtype_policy(), **entry.config},
            "registered_name": None,
        }
        if entry.class_name in ("Dense", "PReLU"):
            item["build_config"] = {"input_shape": [None, entry.input_size]}
        layers.append(item)
    return {
        "module": "keras",
        "class_name": "Sequential",
        "config": {
            "name": model_name,
            "trainable": True,
            "dtype": _dtype_policy(),
            "layers": layers,
            "build_input_shape": [None, net.n_inputs],
        },
        "registered_name": None,
        "build_config": {"input_shape": [None, net.n_inputs]},
    }


def _export_weights(model_name: str, entries: list[_KerasEntry]) -> bytes:
    """model.weights.h5 as Keras 3 writes it: layers/<class key>/vars/<i>, float64 so nothing is rounded."""
    keyed = [_KerasLayer(entry.name, entry.class_name, {}) for entry in entries]
    _assign_weight_keys(keyed)
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5:
        group = h5.create_group("layers")
        for entry, layer in zip(entries, keyed, strict=True):
            variables = group.create_group(layer.weights_key).create_group("vars")
            variables.attrs["name"] = entry.name
            for i, array in enumerate(entry.weights):
                variables.create_dataset(str(i), data=np.asarray(array, dtype=np.float64))
        h5.create_group("vars").attrs["name"] = model_name
    return buffer.getvalue()


def save_keras(net: Network, path: str | os.PathLike) -> None:
    """Write ``net`` as a Keras 3 ``.keras`` archive, atomically; see the module docstring for the mapping."""
    from neuroviz.version import __version__

    path = Path(path)
    try:
        input_name, entries = _export_entries(net)
    except _Problem as problem:
        raise NetworkFileError(path, problem.where, f"cannot be saved for Keras: {problem.reason}") from None
    config = _export_config(net, input_name, entries)
    metadata = {
        "keras_version": KERAS_FORMAT_VERSION,
        "date_saved": datetime.now(UTC).strftime("%Y-%m-%d@%H:%M:%S"),
        "saved_by": f"neuroviz {__version__}",
    }
    weights = _export_weights(config["config"]["name"], entries)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("metadata.json", json.dumps(metadata))
        archive.writestr("config.json", json.dumps(config, allow_nan=False))
        archive.writestr("model.weights.h5", weights)
    try:
        atomic_write(path, buffer.getvalue())
    except FileWriteError as error:
        raise NetworkFileError.from_write_error(path, error) from None
