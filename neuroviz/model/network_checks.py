"""Validation of what a Network is built from (layers, activations, parameters, inputs, ranges, features):
each check raises InvalidNetworkError saying what is wrong and where. Split out of :mod:`neuroviz.model.network`,
which calls them from its constructor and its edits.

Pure NumPy: no Qt here.
"""

from __future__ import annotations

import copy
import functools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from neuroviz.model import activations
from neuroviz.model.errors import FormulaError, InvalidNetworkError
from neuroviz.model.layer import (
    _HALVING_ACTIVATIONS,
    CUSTOM_ACTIVATION,
    DEFAULT_INPUT_RANGE,
    MAX_UNITS,
    Layer,
    _custom_activation,
    _is_number,
)


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


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)  # as flags.writeable = False, at half the cost (it is called 3 times a layer)
    return array


@functools.lru_cache(maxsize=16)
def _ones(shape: tuple[int, ...]) -> np.ndarray:
    """The input layer's derivative: a read-only view of a single 1.0 (even a sweep's holds 8 bytes), made once per
    shape because np.broadcast_to costs 4 µs, a seventh of a forward pass through the default example."""
    return np.broadcast_to(np.float64(1.0), shape)


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
