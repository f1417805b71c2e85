"""What neuroviz knows about Keras files, and reading their bytes safely: limits, archive members,
JSON, HDF5 attributes and weights (split out of :mod:`neuroviz.model.keras_io`, which builds Networks from them).

Pure model code: no Qt here.
"""

from __future__ import annotations

import functools
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

import h5py
import numpy as np

#: Largest file or archive member read, in bytes.
MAX_MEMBER_BYTES = 100 * 1024 * 1024
#: Members that expand more than this (and are larger than RATIO_FLOOR_BYTES) are taken for zip bombs.
MAX_COMPRESSION_RATIO = 1000
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_MEMBERS = 10_000


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


_SUPPORTED_LAYERS = _ACTIVATION_LAYERS | _IDENTITY_LAYERS | {"Dense", "InputLayer"}
_MODEL_CLASSES = frozenset({"Sequential", "Functional", "Model"})
_SUPPORTED_TEXT = (
    "neuroviz reads InputLayer, Dense, the activation layers Activation, ReLU, LeakyReLU, PReLU, ELU and "
    "Softmax, and layers that change nothing at inference (Dropout and its kin, Identity, Flatten)"
)
#: Input layer names Keras makes up; an input layer with another name gives the inputs its name.
_AUTOMATIC_INPUT_NAME = re.compile(r"input_layer(_\d+)?|input_\d+|input|.*_input|keras_tensor(_\d+)?")


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


class _Problem(Exception):
    """A problem found while reading; turned into a NetworkFileError naming the file."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


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
