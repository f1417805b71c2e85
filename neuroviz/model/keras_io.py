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
goes only where its weight is not zero, see ``layer._weighted_sums``), so the column computes
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

Modules: this one reads a model config and builds the Network; :mod:`~neuroviz.model.keras_format` holds the
limits and the safe reading of archive members, JSON, HDF5 and weights, :mod:`~neuroviz.model.keras_chain` turns
the config's layers into one chain, :mod:`~neuroviz.model.keras_export` writes ``.keras`` files. Everything
listed in ``__all__`` stays importable from here.

Pure model code: no Qt here.
"""

from __future__ import annotations

import io
import math
import os
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from neuroviz.model import activations
from neuroviz.model.errors import FileReadError, InvalidNetworkError, NetworkFileError
from neuroviz.model.keras_chain import (
    _count,
    _functional_chain,
    _is_custom,
    _layer_entry,
    _refuse_unsupported,
    _sequential_chain,
)
from neuroviz.model.keras_export import save_keras
from neuroviz.model.keras_format import (  # noqa: F401 (every limit stays importable from here)
    _ACTIVATION_LAYERS,
    _ACTIVATION_MODULES,
    _AUTOMATIC_INPUT_NAME,
    _HDF5_MAGIC,
    _IDENTITY_LAYERS,
    _MODEL_CLASSES,
    _ZIP_MAGIC,
    KERAS_FORMAT_VERSION,
    KERAS_FUNCTIONS,
    MAX_COMPRESSION_RATIO,
    MAX_MEMBER_BYTES,
    MAX_MEMBERS,
    RATIO_FLOOR_BYTES,
    _ArchiveWeights,
    _assign_weight_keys,
    _attribute_text,
    _checked_members,
    _json_member,
    _KerasLayer,
    _layer_dtype_policy,
    _LegacyWeights,
    _member_bytes,
    _open_h5,
    _parse_json,
    _Problem,
    _safe_group,
    _WeightReader,
)
from neuroviz.model.network import MAX_HIDDEN_LAYERS, MAX_UNITS, Layer, Network
from neuroviz.model.network_checks import _check_input_features
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

#: Most layers a model config may list. neuroviz shows at most 17 Dense columns; each may carry an activation
#: layer and a few layers that do nothing at inference (Dropout, GaussianNoise, ...), so real models that fit
#: list far fewer than this. Longer configs are refused before any layer is looked at.
MAX_CONFIG_LAYERS = 1_000
#: Relative agreement with Keras's predictions that a precision note promises, rounded up from what was measured
#: on tests/fixtures/keras/precision/ (float16 6e-4, mixed_float16 3e-3, bfloat16 1.3e-2, mixed_bfloat16 1.7e-2).
AGREEMENT = {"float16": 1e-3, "mixed_float16": 5e-3, "bfloat16": 2e-2, "mixed_bfloat16": 2e-2}
# -- reading ---------------------------------------------------------------------------------------------


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
        net = _build(path, model, reader, version)
    _read_input_features(net, metadata)
    return net


def _read_input_features(net: Network, metadata: Any) -> None:
    """Playground's input features of the inputs, which neuroviz saves in metadata.json (Keras has no place)."""
    own = metadata.get("neuroviz") if isinstance(metadata, dict) else None
    if own is None:
        return
    if not isinstance(own, dict):
        raise _Problem("metadata.json neuroviz", f"expected an object, got {type(own).__name__}")
    try:
        net.input_features = _check_input_features(own.get("input_features"), net.n_inputs)
    except InvalidNetworkError as error:
        raise _Problem(f"metadata.json neuroviz.{error.where}", error.reason) from None


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


def _prelu_slopes(layer: _KerasLayer, units: int, weights: _WeightReader) -> float | np.ndarray:
    """PReLU's slopes: one per neuron, or a single one shared over the neurons (shape (1,))."""
    shared = layer.config.get("shared_axes")
    shape = (1,) if shared in (1, [1], (1,), -1, [-1]) else (units,)
    (alpha,) = weights.arrays(layer, [shape])
    return float(alpha[0]) if shape == (1,) else alpha
