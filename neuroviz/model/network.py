"""A small feed-forward network of dense layers, its forward pass and the structural edits the app offers.

Positions are numbered as in :class:`Propagation`: 0 is the input layer, 1..L are the dense layers, and
``net.layers[k - 1]`` is the layer at position k. Every edit method takes that position.

What an edit does to weights it cannot keep (so that a user is never surprised by silent reuse of meaningless
numbers):

- ``insert_layer(k, ...)``: the new layer's incoming weights are drawn with glorot_uniform (seeded), its
  biases are zero. The layer after it now reads different inputs, so its weights are re-drawn for the new
  fan-in (its biases stay). Every other layer is untouched.
- ``remove_layer(k)``: the layer after the removed one now reads the previous layer; its weights are re-drawn
  for that fan-in (its biases stay).
- ``resize_layer(k, units)``: the overlapping block of weights and biases is kept, new rows/columns are drawn
  with glorot_uniform (new biases 0); the next layer keeps its rows for the neurons that still exist. A
  per-neuron parameter (prelu's alpha) is resized too, new neurons get 0.25. For a glu layer each half is
  resized separately, so every surviving output keeps both its value and its gate weights.
- ``set_activation(k, ...)`` to or from glu changes how many values the layer outputs; the next layer's
  weights are then re-drawn for the new fan-in (seed 0).

Custom activations: a layer whose ``activation`` is ``"custom"`` computes the formula text in ``Layer.formula``
(see :mod:`neuroviz.model.formula`, which never executes the text) with ``Layer.params`` as the formula's
parameter values. Give one with :meth:`Network.set_custom_activation`; ``Layer.function`` is the Activation
to evaluate for any layer. A formula is parsed once per text and parameter names and the result is cached.

Pure NumPy: no Qt here.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from neuroviz.model import activations, formula, initializers
from neuroviz.model.errors import FormulaError, InvalidNetworkError

__all__ = [
    "CUSTOM_ACTIVATION",
    "DEFAULT_INPUT_RANGE",
    "MAX_HIDDEN_LAYERS",
    "MAX_UNITS",
    "InvalidNetworkError",
    "Layer",
    "Network",
    "Propagation",
    "use_backprop",
    "use_file_io",
]

MAX_HIDDEN_LAYERS = 16
MAX_UNITS = 256
DEFAULT_INPUT_RANGE = (-5.0, 5.0)
#: Value given to new neurons of a per-neuron parameter (prelu's alpha) when a layer grows.
NEW_NEURON_PARAM = 0.25
#: Activations whose output has half as many values as the layer has units.
_HALVING_ACTIVATIONS = frozenset({"glu"})
_DEFAULT_HIDDEN_NAME = re.compile(r"hidden \d+")
#: The activation name of a layer that computes its own formula (``Layer.formula``).
CUSTOM_ACTIVATION = "custom"


# How Network.load and Network.save reach the files. neuroviz.model.files reads and writes networks, so it
# imports this module; it is plugged in here by neuroviz/model/__init__.py (see use_file_io) instead of being
# imported, so that the model has no import cycle.
_file_io: dict[str, Callable[..., Any]] = {}


def use_file_io(load: Callable[[str | Path], Network], save: Callable[[Network, str | Path], None]) -> None:
    """Set the functions :meth:`Network.load` and :meth:`Network.save` call (``files.load``, ``files.save``)."""
    _file_io["load"], _file_io["save"] = load, save


def use_backprop(gradients: Callable[..., Any]) -> None:
    """Set the function :meth:`Network.gradients` calls (``training.backprop.gradients``, which builds on this
    module: plugged in by neuroviz/model/__init__.py like the files)."""
    _file_io["gradients"] = gradients


def _file_function(name: str) -> Callable[..., Any]:
    if name not in _file_io:
        raise RuntimeError(f"Network.{name} is not connected: import neuroviz.model (it plugs it in)")
    return _file_io[name]


@dataclass(eq=False)
class Layer:
    """One dense layer: ``activation(inputs @ weights + biases, **params)``.

    ``weights`` has shape (inputs, units); ``params`` is the full validated parameter dict of the activation.
    ``formula`` is the formula text of a ``"custom"`` activation (whose ``params`` are the formula's parameter
    values) and None for the registry's activations. ``kernel_regularizer`` is None or ``{"l1": a, "l2": b}``:
    training adds ``a·Σ|w| + b·Σw²`` to the loss (Keras' L1L2), the forward pass ignores it.
    """

    name: str
    weights: np.ndarray
    biases: np.ndarray
    activation: str = "linear"
    params: dict[str, Any] = field(default_factory=dict)
    formula: str | None = None
    kernel_regularizer: dict[str, float] | None = None

    @property
    def function(self) -> activations.Activation:
        """The Activation this layer computes: the registry's, or its parsed formula for ``"custom"``.

        For a custom layer the parameters' defaults are the layer's current values (a formula has no
        other defaults), so ``function.validate(beta=2)`` keeps the other parameters as they are.
        """
        if self.activation != CUSTOM_ACTIVATION:
            return activations.get(self.activation)
        if not isinstance(self.formula, str):
            raise ValueError(f"layer {self.name!r}: a custom activation needs its formula text")
        return _custom_activation(self.formula, self.params)

    @property
    def units(self) -> int:
        """Number of pre-activations (Keras's ``Dense(units)``)."""
        return int(np.shape(self.biases)[0])

    @property
    def output_size(self) -> int:
        """Number of values the layer outputs (what is drawn): half the units for glu."""
        return _output_size(self.activation, self.units)

    @property
    def fan_in(self) -> int:
        return int(np.shape(self.weights)[0])

    def copy(self) -> Layer:
        return copy.deepcopy(self)


@dataclass(frozen=True)
class Propagation:
    """Everything one forward pass computed, per position (index 0 = the input layer).

    For the input layer pre-activation = activation = x and the derivative is 1. Arrays are read-only because
    :meth:`Network.forward_from` shares them between propagations.
    """

    pre_activations: list[np.ndarray]
    activations: list[np.ndarray]
    derivatives: list[np.ndarray]

    @property
    def outputs(self) -> np.ndarray:
        """The network's output (the last layer's activations)."""
        return self.activations[-1]


@functools.lru_cache(maxsize=256)
def _parsed_formula(text: str, param_names: tuple[str, ...]) -> activations.Activation:
    """The formula parsed once per text and parameter names (values are given at call time)."""
    return formula.from_formula(text, **dict.fromkeys(param_names, 0.0))


def _custom_activation(text: str, params: Mapping[str, Any]) -> activations.Activation:
    """``formula.from_formula(text, **params)`` without parsing again: defaults and ranges follow ``params``.

    Raises FormulaError for a bad formula or parameter name; parameter *values* are checked by ``validate``.
    """
    if not isinstance(text, str):
        raise FormulaError(f"a formula must be text, got {type(text).__name__}")
    names = list(params)
    for name in names:
        if not isinstance(name, str):
            raise FormulaError(f"parameter name {name!r} is not text")
    parsed = _parsed_formula(text, tuple(sorted(names)))
    specs = {}
    for name, spec in parsed.params.items():
        value = params[name]
        # As from_formula: the editor range is ±PARAM_LIMIT unless the value itself lies beyond it.
        bounded = _is_number(value) and abs(value) <= formula.PARAM_LIMIT
        specs[name] = dataclasses.replace(
            spec,
            default=value,
            minimum=spec.minimum if bounded else None,
            maximum=spec.maximum if bounded else None,
        )
    return dataclasses.replace(parsed, params=MappingProxyType(specs))


def _resolve_custom(text: Any, params: Any, where: str) -> dict[str, Any]:
    """The validated parameter values of a custom layer; InvalidNetworkError naming ``.formula`` or ``.params``.

    A FormulaError about the text (it has a position) is reported at ``.formula``, one about a parameter at
    ``.params``; the message, column included, is the parser's.
    """
    if text is None:
        raise InvalidNetworkError(f"{where}.formula", "missing: a custom activation needs its formula text")
    if not isinstance(text, str):
        raise InvalidNetworkError(f"{where}.formula", f"must be text, got {type(text).__name__}")
    if not isinstance(params, dict):
        raise InvalidNetworkError(f"{where}.params", f"expected a mapping of parameter names, got {params!r}")
    try:
        function = _custom_activation(text, params)
    except FormulaError as error:
        part = "params" if error.position is None else "formula"
        raise InvalidNetworkError(f"{where}.{part}", str(error)) from None
    try:
        values = function.validate(**params)
    except (TypeError, ValueError) as error:
        raise InvalidNetworkError(f"{where}.params", str(error)) from None
    return values


def _output_size(activation: str, units: int) -> int:
    return units // 2 if activation in _HALVING_ACTIVATIONS else units


def _weighted_sums(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``values @ weights`` for one sample (n,) or a batch (batch, n), summed the same way for both.

    Not ``@``: BLAS, behind it, sums in an order that depends on the batch size (a batch differed from its rows
    in the last bits) and breaks IEEE arithmetic (a sum holding +inf and -inf gave ±inf, not NaN). np.einsum
    without ``optimize`` never calls BLAS: a batch is bit-identical to its rows and ∞ − ∞ is NaN. It costs about
    twice as much (a 256×256 layer: 18 µs instead of 8; a 3×6 layer: 1.8 µs instead of 0.9).

    A weight of 0 is no connection: an infinite or NaN input reaches only the neurons it has a non-zero weight to.
    Plain IEEE arithmetic would make ∞ · 0 = NaN and spoil every other neuron of the layer, so a column of identity
    weights (a Keras activation layer shown as a column of its own) would not pass an infinity on unchanged.
    The caller sets ``np.errstate`` (overflow is expected here), as ``_propagate`` does.
    """
    if math.isfinite(np.add.reduce(values, axis=None)):  # every value finite (cheapest test: one sum)
        return np.einsum("...i,ij->...j", values, weights)
    finite = np.isfinite(values)
    sums = np.einsum("...i,ij->...j", np.where(finite, values, 0.0), weights)
    rows = np.atleast_2d(values)
    out = np.atleast_2d(sums)
    with np.errstate(invalid="ignore"):  # ∞ − ∞ is NaN here on purpose
        for row in np.flatnonzero(~np.atleast_2d(finite).all(axis=-1)):  # only the samples holding one
            bad = np.flatnonzero(~np.isfinite(rows[row]))
            connected = weights[bad] != 0
            products = np.where(connected, rows[row, bad][:, None] * np.where(connected, weights[bad], 1.0), 0.0)
            out[row] = out[row] + products.sum(axis=0)
    return out.reshape(sums.shape)


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)  # as flags.writeable = False, at half the cost (it is called 3 times a layer)
    return array


@functools.lru_cache(maxsize=16)
def _ones(shape: tuple[int, ...]) -> np.ndarray:
    """The input layer's derivative: a read-only view of a single 1.0 (even a sweep's holds 8 bytes), made once per
    shape because np.broadcast_to costs 4 µs, a seventh of a forward pass through the default example."""
    return np.broadcast_to(np.float64(1.0), shape)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool | np.bool_)


def _finite_number(value: Any, where: str) -> float:
    if not _is_number(value):
        raise InvalidNetworkError(where, f"must be a number, got {value!r}")
    try:
        number = float(value)
    except OverflowError:
        raise InvalidNetworkError(where, "must be finite, got a number too large to represent") from None
    if not math.isfinite(number):
        raise InvalidNetworkError(where, f"must be finite, got {number!r}")
    return number


def _float_array(value: Any, where: str) -> np.ndarray:
    if isinstance(value, str | bytes):
        raise InvalidNetworkError(where, f"must be numbers, got {value!r}")
    try:
        # C order whatever the caller's layout: einsum's summation order follows the weights' memory layout,
        # so a transposed copy of the same numbers could otherwise give results differing in the last bits.
        return np.array(value, dtype=np.float64, order="C")
    except (TypeError, ValueError, OverflowError) as error:
        raise InvalidNetworkError(where, f"must be numbers ({error})") from None


def _check_finite(array: np.ndarray, where: str) -> None:
    bad = np.argwhere(~np.isfinite(array))
    if len(bad):
        index = "".join(f"[{i}]" for i in bad[0])
        raise InvalidNetworkError(f"{where}{index}", f"must be finite, got {float(array[tuple(bad[0])])!r}")


def _check_units(units: int, activation: str, where: str) -> None:
    """The limits on a layer's size; glu may hold twice as many units because it outputs half of them."""
    if activation in _HALVING_ACTIVATIONS:
        if units % 2:
            raise InvalidNetworkError(where, f"{activation} needs an even number of units, got {units}")
        if not 2 <= units <= 2 * MAX_UNITS:
            raise InvalidNetworkError(
                where,
                f"a {activation} layer holds 2 to {2 * MAX_UNITS} units ({MAX_UNITS} outputs), got {units}",
            )
    elif not 1 <= units <= MAX_UNITS:
        raise InvalidNetworkError(where, f"a layer holds 1 to {MAX_UNITS} neurons, got {units}")


def _resolve_activation(name: Any, params: Any, units: int, where: str) -> tuple[str, dict[str, Any]]:
    """Canonical activation name and its full validated params for a layer of ``units`` units."""
    if name == CUSTOM_ACTIVATION:
        raise InvalidNetworkError(
            f"{where}.activation",
            "a custom activation needs its formula: use set_custom_activation(k, formula, **params)",
        )
    try:
        act = activations.get(name)
    except ValueError as error:
        raise InvalidNetworkError(f"{where}.activation", str(error)) from None
    if not isinstance(params, dict):
        raise InvalidNetworkError(f"{where}.params", f"expected a mapping of parameter names, got {params!r}")
    try:
        values = act.validate(**params)
    except (TypeError, ValueError) as error:
        raise InvalidNetworkError(f"{where}.params", str(error)) from None
    if "axis" in values and values["axis"] != -1:
        raise InvalidNetworkError(f"{where}.params", f"axis must be -1 (the layer's neurons), got {values['axis']!r}")
    for param in act.params.values():
        value = values.get(param.name)
        if param.kind == "per_neuron" and np.ndim(value) > 0 and len(value) != units:
            raise InvalidNetworkError(
                f"{where}.params",
                f"{param.name} has {len(value)} values but the layer has {units} neurons (one per neuron)",
            )
    return act.name, values


def _checked_layer(layer: Layer, fan_in: int, where: str) -> Layer:
    """A validated copy of ``layer`` reading ``fan_in`` values, or InvalidNetworkError naming the problem."""
    if not isinstance(layer, Layer):
        raise InvalidNetworkError(where, f"expected a Layer, got {type(layer).__name__}")
    if not isinstance(layer.name, str):
        raise InvalidNetworkError(f"{where}.name", f"must be text, got {layer.name!r}")
    biases = _float_array(layer.biases, f"{where}.biases")
    if biases.ndim != 1:
        raise InvalidNetworkError(f"{where}.biases", f"expected a list of numbers, got shape {biases.shape}")
    units = len(biases)
    custom = layer.activation == CUSTOM_ACTIVATION
    if not custom and layer.formula is not None:
        raise InvalidNetworkError(
            f"{where}.formula",
            f'only a "{CUSTOM_ACTIVATION}" activation has a formula, this layer\'s is {layer.activation!r}',
        )
    try:
        activation = CUSTOM_ACTIVATION if custom else activations.get(layer.activation).name
    except ValueError as error:
        raise InvalidNetworkError(f"{where}.activation", str(error)) from None
    _check_units(units, activation, where)
    _check_finite(biases, f"{where}.biases")
    weights = _float_array(layer.weights, f"{where}.weights")
    if weights.ndim != 2:
        raise InvalidNetworkError(
            f"{where}.weights", f"expected a {fan_in}×{units} matrix, got an array of shape {weights.shape}"
        )
    if weights.shape != (fan_in, units):
        raise InvalidNetworkError(
            f"{where}.weights", f"expected {fan_in}×{units}, got {weights.shape[0]}×{weights.shape[1]}"
        )
    _check_finite(weights, f"{where}.weights")
    regularizer = _check_regularizer(layer.kernel_regularizer, f"{where}.kernel_regularizer")
    if custom:
        params = _resolve_custom(layer.formula, copy.deepcopy(layer.params), where)
        return Layer(layer.name, weights, biases, activation, params, layer.formula, regularizer)
    activation, params = _resolve_activation(activation, copy.deepcopy(layer.params), units, where)
    return Layer(layer.name, weights, biases, activation, params, kernel_regularizer=regularizer)


def _check_regularizer(value: Any, where: str) -> dict[str, float] | None:
    """None, or ``{"l1": a, "l2": b}`` with finite a, b ≥ 0 (a missing key is 0, as in Keras' L1L2)."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise InvalidNetworkError(where, f'expected null or {{"l1": number, "l2": number}}, got {value!r}')
    unknown = sorted(set(value) - {"l1", "l2"})
    if unknown:
        raise InvalidNetworkError(where, f"unknown key {unknown[0]!r}; a regularizer has only 'l1' and 'l2'")
    checked = {}
    for key in ("l1", "l2"):
        number = _finite_number(value.get(key, 0.0), f"{where}.{key}")
        if number < 0:
            raise InvalidNetworkError(f"{where}.{key}", f"must be ≥ 0, got {number!r}")
        checked[key] = number
    return checked


def _check_inputs(names: Any, values: Any, ranges: Any, count: int) -> tuple[list[str], np.ndarray, list]:
    """Normalised input names, values and ranges; each value must lie in its range."""
    if not 1 <= count <= MAX_UNITS:
        raise InvalidNetworkError("inputs", f"a network has 1 to {MAX_UNITS} inputs, got {count}")
    names = [f"x{i + 1}" for i in range(count)] if names is None else list(names)
    values = [0.0] * count if values is None else list(np.asarray(values, dtype=object).reshape(-1))
    ranges = [DEFAULT_INPUT_RANGE] * count if ranges is None else list(ranges)
    for label, items in (("names", names), ("values", values), ("ranges", ranges)):
        if len(items) != count:
            raise InvalidNetworkError("inputs", f"expected {count} input {label}, got {len(items)}")
    checked_ranges = []
    for i, name in enumerate(names):
        if not isinstance(name, str):
            raise InvalidNetworkError(f"inputs[{i}].name", f"must be text, got {name!r}")
        try:
            low, high = ranges[i]
        except (TypeError, ValueError):
            raise InvalidNetworkError(f"inputs[{i}]", f"range must be (min, max), got {ranges[i]!r}") from None
        low = _finite_number(low, f"inputs[{i}].min")
        high = _finite_number(high, f"inputs[{i}].max")
        if low >= high:
            raise InvalidNetworkError(f"inputs[{i}]", f"min must be below max, got min {low!r} and max {high!r}")
        value = _finite_number(values[i], f"inputs[{i}].value")
        if not low <= value <= high:
            raise InvalidNetworkError(f"inputs[{i}].value", f"{value!r} lies outside its range [{low!r}, {high!r}]")
        values[i] = value
        checked_ranges.append((low, high))
    return names, np.array(values, dtype=np.float64), checked_ranges


def _check_input_features(features: Any, count: int) -> tuple[str, ...] | None:
    """Which of Playground's input features (datasets.FEATURES) feed the inputs, in order; None = plain inputs."""
    if features is None:
        return None
    from neuroviz.model.datasets import FEATURES

    if isinstance(features, str) or not isinstance(features, Sequence):
        raise InvalidNetworkError("input_features", f"expected a list of feature names, got {features!r}")
    for i, name in enumerate(features):
        if name not in FEATURES:
            raise InvalidNetworkError(
                f"input_features[{i}]", f"unknown feature {name!r} (known: {', '.join(FEATURES)})"
            )
    if len(features) != count:
        raise InvalidNetworkError("input_features", f"expected one feature per input ({count}), got {len(features)}")
    return tuple(features)


class Network:
    """Dense layers with per-layer activations, plus the inputs' names, current values and slider ranges.

    Construct with :meth:`from_sizes`, :meth:`load`, or ``Network(layers, ...)`` (which validates everything
    and raises :class:`InvalidNetworkError`, a ValueError, naming what is wrong and where, e.g.
    ``layers[2].weights: expected 5×3, got 4×3``).
    """

    #: The precision of the Keras file the network was read from ("float32", "float16", "bfloat16",
    #: "mixed_float16", "mixed: float16, float32"); None when it did not come from a Keras file.
    source_precision: str | None = None
    #: A sentence for the status bar about how the file was read ("" when there is nothing to say), e.g. that a
    #: float16 model agrees with Keras only to about 1e-3.
    load_note: str = ""

    def __init__(
        self,
        layers: Sequence[Layer],
        *,
        input_names: Sequence[str] | None = None,
        input_values: Sequence[float] | np.ndarray | None = None,
        input_ranges: Sequence[tuple[float, float]] | None = None,
        name: str = "untitled",
        description: str = "",
        input_features: Sequence[str] | None = None,
    ) -> None:
        layers = list(layers)
        if not layers:
            raise InvalidNetworkError("layers", "a network needs at least its output layer")
        if len(layers) > MAX_HIDDEN_LAYERS + 1:
            raise InvalidNetworkError(
                "layers", f"at most {MAX_HIDDEN_LAYERS} hidden layers are supported, got {len(layers) - 1}"
            )
        for label, text in (("name", name), ("description", description)):
            if not isinstance(text, str):
                raise InvalidNetworkError(label, f"must be text, got {text!r}")
        if input_names is not None:
            count = len(input_names)
        elif isinstance(layers[0], Layer) and np.ndim(layers[0].weights) == 2:
            count = int(np.shape(layers[0].weights)[0])
        else:
            raise InvalidNetworkError("layers[0].weights", "expected an (inputs × units) matrix")
        self.input_names, self.input_values, self.input_ranges = _check_inputs(
            input_names, input_values, input_ranges, count
        )
        self.layers: list[Layer] = []
        fan_in = count
        for index, layer in enumerate(layers):
            checked = _checked_layer(layer, fan_in, f"layers[{index}]")
            self.layers.append(checked)
            fan_in = checked.output_size
        self.name = name
        self.description = description
        self.input_features = _check_input_features(input_features, count)

    # -- construction ---------------------------------------------------------------------------------------
    @classmethod
    def from_sizes(
        cls,
        sizes: Sequence[int],
        activations: Sequence[str | tuple[str, dict[str, Any]]] | None = None,
        seed: int = 0,
        kernel_initializer: str = "glorot_uniform",
        bias_initializer: str = "zeros",
        name: str = "untitled",
        description: str = "",
    ) -> Network:
        """A network with ``sizes = [inputs, units_1, ..., units_L]`` (units as in Keras's ``Dense(units)``).

        ``activations`` lists one name, or ``(name, params)`` pair, per dense layer; by default relu for the
        hidden layers and linear for the output. Weights are drawn with the initializers from ``seed``.
        """
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(f"sizes needs the number of inputs and at least the output layer, got {sizes}")
        for i, size in enumerate(sizes):
            if not isinstance(size, int | np.integer) or isinstance(size, bool) or size < 1:
                raise ValueError(f"sizes[{i}] must be a whole number ≥ 1, got {size!r}")
        if sizes[0] > MAX_UNITS:
            raise ValueError(f"sizes[0]: a network has 1 to {MAX_UNITS} inputs, got {sizes[0]}")
        n_layers = len(sizes) - 1
        if n_layers > MAX_HIDDEN_LAYERS + 1:
            raise ValueError(f"at most {MAX_HIDDEN_LAYERS} hidden layers are supported, got {n_layers - 1}")
        if activations is None:
            activations = ["relu"] * (n_layers - 1) + ["linear"]
        specs = list(activations)
        if len(specs) != n_layers:
            raise ValueError(f"expected {n_layers} activations (one per dense layer), got {len(specs)}")
        initializers.check_name(kernel_initializer)
        initializers.check_name(bias_initializer)
        layers = []
        fan_in = int(sizes[0])
        for position, (units, spec) in enumerate(zip(sizes[1:], specs, strict=True), start=1):
            if isinstance(spec, str):
                act_name, params = spec, {}
            elif isinstance(spec, Sequence) and len(spec) == 2 and isinstance(spec[1], dict):
                act_name, params = spec
            else:
                raise ValueError(f"activations[{position - 1}] must be a name or (name, params), got {spec!r}")
            act_name, params = _resolve_activation(act_name, dict(params), int(units), f"activations[{position - 1}]")
            _check_units(int(units), act_name, f"sizes[{position}]")
            layer_name = "output" if position == n_layers else f"hidden {position}"
            layers.append(Layer(layer_name, np.zeros((fan_in, units)), np.zeros(units), act_name, params))
            fan_in = _output_size(act_name, int(units))
        net = cls(layers, name=name, description=description)
        net.reinitialize(None, kernel_initializer, bias_initializer, seed)
        return net

    def copy(self) -> Network:
        """A deep copy: editing it never changes this network."""
        return copy.deepcopy(self)

    def save(self, path: str | Path) -> None:
        """Write the network as JSON, atomically (see :mod:`neuroviz.model.files`)."""
        _file_function("save")(self, path)

    @classmethod
    def load(cls, path: str | Path) -> Network:
        """Read a network file; a bad file raises NetworkFileError saying what is wrong and where."""
        return _file_function("load")(path)

    # -- shape ----------------------------------------------------------------------------------------------
    @property
    def n_inputs(self) -> int:
        return len(self.input_names)

    @property
    def n_outputs(self) -> int:
        return self.layers[-1].output_size

    @property
    def sizes(self) -> list[int]:
        """Neurons drawn per column: the inputs, then each layer's output size."""
        return [self.n_inputs] + [layer.output_size for layer in self.layers]

    def __repr__(self) -> str:
        shape = "-".join(str(size) for size in self.sizes)
        acts = "/".join(layer.activation for layer in self.layers)
        return f"<Network {self.name!r} {shape} {acts}>"

    # -- forward pass ---------------------------------------------------------------------------------------
    def gradients(self, x: Any, y: Any, loss: str = "mean_squared_error") -> Any:
        """∂loss/∂(weights, biases, PReLU slopes) for inputs ``x`` and targets ``y`` (a training.Gradients)."""
        return _file_function("gradients")(self, x, y, loss)

    def forward(self, x: Any = None) -> Propagation:
        """Propagate ``x`` (``(n_inputs,)`` or ``(batch, n_inputs)``; None = the current input values)."""
        inputs = self._checked_inputs(x)
        return self._propagate(1, [inputs], [inputs], [_ones(inputs.shape)])

    def forward_from(self, k: int, previous: Propagation, x: Any = None) -> Propagation:
        """Recompute positions ≥ k only, reusing ``previous``'s arrays below k (a change in layer k is cheap).

        ``x`` is only used when k == 0 (None = the current input values); for k ≥ 1 the inputs are previous's.
        """
        k = self._check_position(k, "forward_from", first=0)
        if k == 0:
            return self.forward(x)
        if not isinstance(previous, Propagation):
            raise ValueError(f"forward_from: previous must be a Propagation, got {type(previous).__name__}")
        if len(previous.activations) < k:
            raise ValueError(f"forward_from: the previous propagation has no position {k - 1} to start from")
        below = previous.activations[k - 1]
        fan_in = self.layers[k - 1].fan_in
        if np.shape(below)[-1] != fan_in:
            given = np.shape(below)[-1]
            raise ValueError(
                f"forward_from: position {k - 1} of the previous propagation has {given} values, "
                f"layer {k} reads {fan_in}: start earlier"
            )
        return self._propagate(
            k,
            list(previous.pre_activations[:k]),
            list(previous.activations[:k]),
            list(previous.derivatives[:k]),
        )

    def _checked_inputs(self, x: Any) -> np.ndarray:
        if x is None:
            return _frozen(self.input_values.copy())
        try:
            inputs = np.array(x, dtype=np.float64)
        except (TypeError, ValueError) as error:
            raise ValueError(f"forward: inputs must be numbers ({error})") from None
        n = self.n_inputs
        if inputs.ndim not in (1, 2) or inputs.shape[-1] != n:
            raise ValueError(f"forward: expected inputs of shape ({n},) or (batch, {n}), got shape {inputs.shape}")
        return _frozen(inputs)

    def _propagate(self, start: int, pre: list, act: list, der: list) -> Propagation:
        # The pre-activations are float64 and Layer.params were validated when they were set, so the activation
        # is evaluated without converting or checking again: on a few neurons that would cost more than the
        # arithmetic (Activation.value_and_derivative is the checked way to do the same).
        with np.errstate(all="ignore"):
            for layer in self.layers[start - 1 :]:
                z = _weighted_sums(act[-1], layer.weights) + layer.biases
                value, slope = layer.function._evaluate(z, layer.params)
                pre.append(_frozen(z))
                act.append(_frozen(np.asarray(value, dtype=np.float64)))
                der.append(_frozen(np.asarray(slope, dtype=np.float64)))
        return Propagation(pre, act, der)

    # -- structural edits -----------------------------------------------------------------------------------
    def insert_layer(
        self,
        k: int,
        units: int,
        activation: str = "relu",
        params: dict[str, Any] | None = None,
        seed: int = 0,
    ) -> None:
        """Insert a hidden layer that becomes position k (1..L); the layer after it gets fresh weights."""
        k = self._check_position(k, "insert_layer")
        if len(self.layers) - 1 >= MAX_HIDDEN_LAYERS:
            raise ValueError(f"insert_layer: at most {MAX_HIDDEN_LAYERS} hidden layers are supported")
        units = self._check_count(units, "insert_layer: units", 2 * MAX_UNITS)  # _check_units has the limit
        where = f"insert_layer: layer {k}"
        act_name, values = _resolve_activation(activation, dict(params or {}), units, where)
        _check_units(units, act_name, where)
        rng = np.random.default_rng(seed)
        fan_in = self.sizes[k - 1]
        new = Layer(
            f"hidden {k}",
            initializers.initialize("glorot_uniform", (fan_in, units), rng),
            np.zeros(units),
            act_name,
            values,
        )
        following = self.layers[k - 1]
        following.weights = initializers.initialize("glorot_uniform", (new.output_size, following.units), rng)
        self.layers.insert(k - 1, new)
        self._renumber_default_names()

    def remove_layer(self, k: int, seed: int = 0) -> None:
        """Remove the hidden layer at position k (1..L-1); the next layer gets fresh weights (new fan-in)."""
        k = self._check_position(k, "remove_layer", last=len(self.layers) - 1)
        following = self.layers[k]
        fan_in = self.sizes[k - 1]
        following.weights = initializers.initialize("glorot_uniform", (fan_in, following.units), seed)
        del self.layers[k - 1]
        self._renumber_default_names()

    def resize_layer(self, k: int, units: int, seed: int = 0) -> None:
        """Give position k (0 = the inputs) ``units`` neurons, keeping the weights of neurons that remain."""
        k = self._check_position(k, "resize_layer", first=0)
        limit = 2 * MAX_UNITS if k > 0 and self.layers[k - 1].activation in _HALVING_ACTIVATIONS else MAX_UNITS
        units = self._check_count(units, "resize_layer: units", limit)
        rng = np.random.default_rng(seed)
        if k == 0:
            self._resize_inputs(units)
        else:
            layer = self.layers[k - 1]
            _check_units(units, layer.activation, f"resize_layer: layer {k}")
            halves = layer.activation in _HALVING_ACTIVATIONS
            fresh = initializers.initialize("glorot_uniform", (layer.fan_in, units), rng)
            layer.weights = _resized_columns(layer.weights, fresh, halves)
            layer.biases = _resized_columns(layer.biases[np.newaxis], np.zeros((1, units)), halves)[0]
            layer.params = self._resized_params(layer, units)
        if k < len(self.layers):
            following = self.layers[k]
            fan_in = self.sizes[k]
            fresh = initializers.initialize("glorot_uniform", (fan_in, following.units), rng)
            rows = min(fan_in, following.fan_in)
            fresh[:rows] = following.weights[:rows]
            following.weights = fresh

    def _resize_inputs(self, count: int) -> None:
        old = self.n_inputs
        keep = min(old, count)
        self.input_names = self.input_names[:keep] + [f"x{i + 1}" for i in range(keep, count)]
        self.input_values = np.concatenate([self.input_values[:keep], np.zeros(count - keep)])
        self.input_ranges = self.input_ranges[:keep] + [DEFAULT_INPUT_RANGE] * (count - keep)
        # Fewer inputs keep the features they still read; a new input has no feature to be computed from.
        features = getattr(self, "input_features", None)
        self.input_features = features[:count] if features is not None and count <= old else None

    @staticmethod
    def _resized_params(layer: Layer, units: int) -> dict[str, Any]:
        params = dict(layer.params)
        for param in layer.function.params.values():
            value = params.get(param.name)
            if param.kind == "per_neuron" and np.ndim(value) > 0:
                keep = min(len(value), units)
                params[param.name] = np.concatenate([value[:keep], np.full(units - keep, NEW_NEURON_PARAM)])
        return params

    # -- value edits ----------------------------------------------------------------------------------------
    def set_weight(self, k: int, i: int, j: int, value: float) -> None:
        """Set the weight from neuron i of position k-1 to unit j of layer k."""
        layer = self.layers[self._check_position(k, "set_weight") - 1]
        i = self._check_index(i, layer.fan_in, "set_weight: i")
        j = self._check_index(j, layer.units, "set_weight: j")
        layer.weights[i, j] = _finite_number(value, "set_weight: value")

    def set_bias(self, k: int, j: int, value: float) -> None:
        layer = self.layers[self._check_position(k, "set_bias") - 1]
        j = self._check_index(j, layer.units, "set_bias: j")
        layer.biases[j] = _finite_number(value, "set_bias: value")

    def set_activation(self, k: int, name: str, **params: Any) -> None:
        """Give layer k the registry activation ``name``; parameters not given take their defaults.

        If the output size changes (to or from glu), the next layer's weights are re-drawn (seed 0). A custom
        layer's formula is dropped; ``"custom"`` itself needs :meth:`set_custom_activation`.
        """
        k = self._check_position(k, "set_activation")
        layer = self.layers[k - 1]
        where = f"set_activation: layer {k}"
        act_name, values = _resolve_activation(name, params, layer.units, where)
        _check_units(layer.units, act_name, where)
        self._apply_activation(k, act_name, values)

    def set_custom_activation(self, k: int, formula: str, /, **params: float) -> None:
        """Give layer k the custom activation ``formula`` (e.g. ``"x * sigmoid(beta * x)"``, beta=1.0).

        Each keyword declares a formula parameter and its value (``k`` and ``formula`` are positional only, so
        they may name parameters too). A bad formula raises the parser's FormulaError (a ValueError with the
        column); a bad value a ValueError naming the parameter. The layer's name and size stay; if its output
        size changes (from glu), the next layer's weights are re-drawn (seed 0).
        """
        k = self._check_position(k, "set_custom_activation")
        layer = self.layers[k - 1]
        function = _custom_activation(formula, params)  # FormulaError propagates as it is
        where = f"set_custom_activation: layer {k}"
        try:
            values = function.validate(**params)
        except ValueError as error:
            raise ValueError(f"{where}: {error}") from None
        _check_units(layer.units, CUSTOM_ACTIVATION, where)
        self._apply_activation(k, CUSTOM_ACTIVATION, values, formula)

    def set_params(self, k: int, /, **params: Any) -> None:
        """Change some parameters of layer k's current activation; the others keep their values.

        For a custom layer only the formula's declared parameters exist; another name is a ValueError.
        """
        k = self._check_position(k, "set_params")
        layer = self.layers[k - 1]
        if layer.activation == CUSTOM_ACTIVATION:
            unknown = sorted(set(params) - set(layer.params))
            if unknown:
                known = ", ".join(layer.params) or "none"
                raise InvalidNetworkError(
                    f"set_params: layer {k}.params",
                    f"{CUSTOM_ACTIVATION}: unknown parameter {unknown[0]!r} (its parameters: {known})",
                )
            # Validated as a whole, like set_custom_activation with the same formula would.
            layer.params = _resolve_custom(layer.formula, {**layer.params, **params}, f"set_params: layer {k}")
            return
        act = activations.get(layer.activation)
        given = dict(params)
        for alias, canonical in getattr(act, "param_aliases", {}).items():
            if alias in given and canonical not in given:
                given[canonical] = given.pop(alias)
        _, values = _resolve_activation(act.name, {**layer.params, **given}, layer.units, f"set_params: layer {k}")
        layer.params = values

    def _apply_activation(self, k: int, act_name: str, values: dict[str, Any], formula_text: str | None = None) -> None:
        layer = self.layers[k - 1]
        old_size = layer.output_size
        layer.activation, layer.params, layer.formula = act_name, values, formula_text
        if layer.output_size != old_size and k < len(self.layers):
            following = self.layers[k]
            following.weights = initializers.initialize("glorot_uniform", (layer.output_size, following.units), 0)

    def reinitialize(
        self,
        k: int | None = None,
        kernel_initializer: str = "glorot_uniform",
        bias_initializer: str = "zeros",
        seed: int = 0,
    ) -> None:
        """Re-draw layer k's weights and biases (None = every layer in order, from one seeded generator)."""
        initializers.check_name(kernel_initializer)
        initializers.check_name(bias_initializer)
        positions = range(1, len(self.layers) + 1) if k is None else [self._check_position(k, "reinitialize")]
        rng = np.random.default_rng(seed)
        for position in positions:
            layer = self.layers[position - 1]
            layer.weights = initializers.initialize(kernel_initializer, layer.weights.shape, rng)
            layer.biases = initializers.initialize(bias_initializer, layer.biases.shape, rng)

    def set_input(self, i: int, value: float) -> None:
        """Set input i's current value; it must lie within its range (widen the range first).

        A value outside by no more than rounding (a billionth of the range, as a slider's ``low + step * n``
        can be) is clamped onto the range's end instead of refused.
        """
        i = self._check_index(i, self.n_inputs, "set_input: i")
        value = _finite_number(value, "set_input: value")
        low, high = self.input_ranges[i]
        slack = (high - low) * 1e-9
        if not low - slack <= value <= high + slack:
            raise ValueError(f"set_input: {value!r} lies outside input {i}'s range [{low!r}, {high!r}]")
        self.input_values[i] = min(max(value, low), high)

    def set_input_range(self, i: int, low: float, high: float) -> None:
        """Set input i's slider range; its current value is clamped into the new range."""
        i = self._check_index(i, self.n_inputs, "set_input_range: i")
        low = _finite_number(low, "set_input_range: low")
        high = _finite_number(high, "set_input_range: high")
        if low >= high:
            raise ValueError(f"set_input_range: low must be below high, got {low!r} and {high!r}")
        self.input_ranges[i] = (low, high)
        self.input_values[i] = min(max(self.input_values[i], low), high)

    # -- helpers --------------------------------------------------------------------------------------------
    def _check_position(self, k: Any, what: str, first: int = 1, last: int | None = None) -> int:
        last = len(self.layers) if last is None else last
        if not isinstance(k, int | np.integer) or isinstance(k, bool):
            raise ValueError(f"{what}: position must be a whole number, got {k!r}")
        if not first <= k <= last:
            if last < first:
                raise ValueError(f"{what}: this network has no hidden layer")
            raise ValueError(f"{what}: position must be between {first} and {last}, got {k}")
        return int(k)

    @staticmethod
    def _check_index(i: Any, count: int, what: str) -> int:
        if not isinstance(i, int | np.integer) or isinstance(i, bool):
            raise ValueError(f"{what} must be a whole number, got {i!r}")
        if not 0 <= i < count:
            raise ValueError(f"{what} must be between 0 and {count - 1}, got {i}")
        return int(i)

    @staticmethod
    def _check_count(units: Any, what: str, limit: int = MAX_UNITS) -> int:
        if not isinstance(units, int | np.integer) or isinstance(units, bool):
            raise ValueError(f"{what} must be a whole number, got {units!r}")
        if not 1 <= units <= limit:
            raise ValueError(f"{what}: a layer holds 1 to {limit} neurons, got {units}")
        return int(units)

    def _renumber_default_names(self) -> None:
        """Keep default names ("hidden 3") in step with positions after inserts/removals; custom ones stay."""
        for position, layer in enumerate(self.layers[:-1], start=1):
            if _DEFAULT_HIDDEN_NAME.fullmatch(layer.name):
                layer.name = f"hidden {position}"


def _resized_columns(old: np.ndarray, fresh: np.ndarray, halves: bool) -> np.ndarray:
    """``fresh`` with the overlapping columns of ``old`` copied in; ``halves``: each half on its own (glu)."""
    if not halves:
        keep = min(old.shape[1], fresh.shape[1])
        fresh[:, :keep] = old[:, :keep]
        return fresh
    old_half, new_half = old.shape[1] // 2, fresh.shape[1] // 2
    keep = min(old_half, new_half)
    fresh[:, :keep] = old[:, :keep]
    fresh[:, new_half : new_half + keep] = old[:, old_half : old_half + keep]
    return fresh
