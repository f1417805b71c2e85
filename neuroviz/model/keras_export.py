"""Save a Network as a Keras 3 ``.keras`` archive (:func:`save_keras`; see :mod:`neuroviz.model.keras_io`
for what is written and what is refused). Re-exported by ``keras_io``.

Pure model code: no Qt here.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import h5py
import numpy as np

from neuroviz.model import activations
from neuroviz.model.atomic import atomic_write
from neuroviz.model.errors import FileWriteError, NetworkFileError
from neuroviz.model.keras_format import (
    _AUTOMATIC_INPUT_NAME,
    KERAS_FORMAT_VERSION,
    KERAS_FUNCTIONS,
    _assign_weight_keys,
    _KerasLayer,
    _Problem,
)
from neuroviz.model.network import Layer, Network


def _regularizer_config(regularizer: dict[str, float] | None) -> dict | None:
    """The Keras L1L2 config of a layer's kernel_regularizer (None when it has none)."""
    if regularizer is None:
        return None
    config = {"l1": regularizer["l1"], "l2": regularizer["l2"]}
    return {"module": "keras.regularizers", "class_name": "L1L2", "config": config, "registered_name": None}


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
    if net.input_features is not None:  # Keras reads only keras_version here; neuroviz reads this back
        metadata["neuroviz"] = {"input_features": list(net.input_features)}
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
