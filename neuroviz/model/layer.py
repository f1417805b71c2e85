"""The core types of a network: :class:`Layer` (one dense layer and its activation), :class:`Propagation`
(the values of one forward pass), the limits, and the arithmetic of one layer. :mod:`neuroviz.model.network`
builds on them and re-exports them; they live here so that the checks in :mod:`neuroviz.model.network_checks`
can use them without importing the Network.

Pure NumPy: no Qt here.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from neuroviz.model import activations, formula
from neuroviz.model.errors import FormulaError

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


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool | np.bool_)


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
