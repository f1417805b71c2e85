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

Modules: :class:`Layer`, :class:`Propagation`, the limits and one layer's arithmetic live in
:mod:`neuroviz.model.layer`, the checks of what a network is built from in :mod:`neuroviz.model.network_checks`;
both are re-exported here, so ``from neuroviz.model.network import Layer, MAX_UNITS`` keeps working.

Pure NumPy: no Qt here.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from neuroviz.model import activations, initializers
from neuroviz.model.errors import InvalidNetworkError
from neuroviz.model.layer import (  # noqa: F401 (_parsed_formula: tests clear its cache here)
    _DEFAULT_HIDDEN_NAME,
    _HALVING_ACTIVATIONS,
    CUSTOM_ACTIVATION,
    DEFAULT_INPUT_RANGE,
    MAX_HIDDEN_LAYERS,
    MAX_UNITS,
    NEW_NEURON_PARAM,
    Layer,
    Propagation,
    _custom_activation,
    _output_size,
    _parsed_formula,
    _weighted_sums,
)
from neuroviz.model.network_checks import (
    _check_input_features,
    _check_inputs,
    _check_regularizer,
    _check_units,
    _checked_layer,
    _finite_number,
    _frozen,
    _ones,
    _resolve_activation,
    _resolve_custom,
)

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


# How Network.load and Network.save reach the files. neuroviz.model.files reads and writes networks, so it
# imports this module; it is plugged in here by neuroviz/model/__init__.py (see use_file_io) instead of being
# imported, so that the model has no import cycle.
_file_io: dict[str, Callable[..., Any]] = {}


def use_file_io(load: Callable[[str | Path], Network], save: Callable[[Network, str | Path], None]) -> None:
    """Set the functions :meth:`Network.load` and :meth:`Network.save` call (``files.load``, ``files.save``)."""
    _file_io["load"], _file_io["save"] = load, save


def use_backprop(gradients: Callable[..., Any]) -> None:
    """Set the function :meth:`Network.gradients` calls (``training.gradient_plan.gradients``, which builds on this
    module: plugged in by neuroviz/model/__init__.py like the files)."""
    _file_io["gradients"] = gradients


def _file_function(name: str) -> Callable[..., Any]:
    if name not in _file_io:
        raise RuntimeError(f"Network.{name} is not connected: import neuroviz.model (it plugs it in)")
    return _file_io[name]


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

    def set_regularizer(self, k: int, l1: float, l2: float) -> None:
        """Layer k's kernel regularizer (Keras' L1L2: the loss gains l1·Σ|W| + l2·ΣW²); both 0 removes it."""
        k = self._check_position(k, "set_regularizer")
        checked = _check_regularizer({"l1": l1, "l2": l2}, f"set_regularizer: layer {k}")
        self.layers[k - 1].kernel_regularizer = checked if checked["l1"] or checked["l2"] else None

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
