"""The z probe and the comparison curve of the activation plot.

The tutorials show an activation on a typed vector (``relu([-10, -5, 0, 5, 10])``, ``softmax([1, 2, 3, 4, 1, 2,
3])``): the probe takes such a vector as the pre-activations of the selected layer and gives what its activation
(with the layer's parameters) makes of them, without building a network by hand. A comparison curve draws another
activation, with its default parameters, over the same range (relu against softplus). Pure NumPy: no Qt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from neuroviz.model import activations
from neuroviz.model.display import format_value
from neuroviz.model.layer import Layer
from neuroviz.model.picture import activation_label

__all__ = ["MAX_PROBE_VALUES", "Probe", "call_text", "compare_curve", "parse_vector", "probe", "probe_lines"]

#: A probe is for reading numbers: more values than this would not be read.
MAX_PROBE_VALUES = 64
_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class Probe:
    """f(z) of a typed vector: ``a`` the outputs, ``dz`` f′(z) (elementwise activations; None for layer-wide
    ones, whose derivative is a Jacobian), ``total`` Σ f(z) for softmax and sparsemax (None otherwise)."""

    z: np.ndarray
    a: np.ndarray
    dz: np.ndarray | None
    total: float | None


def parse_vector(text: str) -> np.ndarray:
    """Numbers separated by commas, spaces or semicolons, optionally in brackets as Python or NumPy prints them:
    ``-5, -8, 0, 3, 9`` or ``[1. 2. 3.]``. A ValueError says which item is wrong."""
    stripped = text.strip()
    if stripped[:1] in "[(" and stripped[-1:] in "])":
        stripped = stripped[1:-1]
    items = [item for item in _SEPARATORS.split(stripped) if item]
    if not items:
        raise ValueError("type some numbers, e.g. -5, -8, 0, 3, 9")
    if len(items) > MAX_PROBE_VALUES:
        raise ValueError(f"at most {MAX_PROBE_VALUES} numbers, got {len(items)}")
    values = []
    for position, item in enumerate(items, start=1):
        try:
            value = float(item.replace("−", "-"))
        except ValueError:
            raise ValueError(f"item {position}: {item!r} is not a number") from None
        if not np.isfinite(value):
            raise ValueError(f"item {position}: {item!r} is not a finite number")
        values.append(value)
    return np.array(values, dtype=np.float64)


def probe(layer: Layer, z: np.ndarray) -> Probe:
    """What ``layer``'s activation (its parameters included) gives for the pre-activations ``z``.

    Per-neuron parameters (PReLU's slopes) need one value per neuron of the layer; a GLU an even count.
    """
    z = np.asarray(z, dtype=np.float64)
    function = layer.function
    params = dict(layer.params)
    per_neuron = {name: value for name, value in params.items() if np.ndim(value) > 0}
    if per_neuron and z.size != np.size(next(iter(per_neuron.values()))):
        raise ValueError(f"{layer.activation} has one slope per neuron: type {layer.units} values, got {z.size}")
    if layer.activation == "glu" and z.size % 2:
        raise ValueError(f"glu splits z into two halves: type an even count of values, got {z.size}")
    a, dz = function.value_and_derivative(z, params)
    if not function.elementwise:
        dz = None
    total = float(np.sum(a)) if layer.activation in ("softmax", "sparsemax") else None
    return Probe(z, np.asarray(a, dtype=np.float64), dz, total)


def call_text(layer: Layer) -> str:
    """How the probe's call reads: ``relu(z)``, ``relu(z, negative_slope=0.5)``; ``f(z)`` for a custom formula."""
    if layer.formula is not None:
        return "f(z)"
    label = activation_label(layer, max_chars=None)
    return label.replace("(", "(z, ", 1) if "(" in label else f"{label}(z)"


def probe_lines(call: str, result: Probe) -> list[str]:
    """The probe's result for people: ``relu(z) = [0, 0, 0, 5, 10]`` (``call`` from :func:`call_text`); for softmax
    and sparsemax also Σ and, beside it, the plain normalisation z / Σz that softmax is not (its result changes with
    the scale of z)."""
    lines = [f"{call} = {_vector_text(result.a)}"]
    if result.total is not None:
        lines[0] += f"    Σ = {format_value(result.total)}"
        z_sum = float(np.sum(result.z))
        if z_sum != 0.0:
            lines.append(f"z / Σz = {_vector_text(result.z / z_sum)}")
    return lines


def _vector_text(values: np.ndarray) -> str:
    return "[" + ", ".join(format_value(v) for v in values) + "]"


def compare_curve(name: str, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """f and f′ of activation ``name`` with its defaults at ``x``; layer-wide ones are not curves of one z."""
    function = activations.get(name)
    if not function.elementwise:
        raise ValueError(f"{name} acts on a whole layer at once: it has no curve of one z to compare")
    f, df = function.value_and_derivative(np.asarray(x, dtype=np.float64))
    return np.asarray(f, dtype=np.float64), np.asarray(df, dtype=np.float64)
