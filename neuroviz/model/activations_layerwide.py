"""Layer-wide activations: softmax, log_softmax, sparsemax and glu.

Registered on import; import them through :mod:`neuroviz.model.activations`. Pure NumPy: never imports Qt.
"""

from __future__ import annotations

import math

import numpy as np

from neuroviz.model.activation_core import Activation, Param, register
from neuroviz.model.activation_numerics import _axis_length, _sigmoid, _sigmoid_slope


def _softmax(x: np.ndarray, axis: int) -> np.ndarray:
    if _axis_length(x, axis, "softmax") == 0:
        return x.copy()
    # e^(x − max) / Σ, in place and with direct reductions: the same numbers as x.max(…)/e.sum(…) in fewer calls
    e = np.subtract(x, np.maximum.reduce(x, axis, keepdims=True))
    np.exp(e, out=e)
    return np.divide(e, np.add.reduce(e, axis, keepdims=True), out=e)


def _softmax_with_diagonal(x: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    s = _softmax(x, axis)
    return s, s * (1.0 - s)


def _softmax_jvp(x: np.ndarray, v: np.ndarray, axis: int) -> np.ndarray:
    s = _softmax(x, axis)
    return s * (v - np.sum(s * v, axis=axis, keepdims=True))


register(
    Activation(
        name="softmax",
        fn=_softmax,
        dfn=lambda x, axis: _softmax_with_diagonal(x, axis)[1],
        value_and_derivative_fn=_softmax_with_diagonal,
        guide=(
            "Softmax turns a whole layer into probabilities: every output is in (0, 1) and they sum to 1. It "
            "is the output activation for choosing one class out of several. Adding the same number to all "
            "inputs changes nothing, but scaling them does: larger inputs give a sharper, more confident "
            "distribution. Each output depends on every input, so the derivative shown is the diagonal of "
            "the Jacobian."
        ),
        family="Layer-wide",
        formula="eˣⁱ / Σⱼ eˣʲ",
        output_range=(0.0, 1.0),
        params={"axis": Param("axis", -1, "axis along which the layer lies", kind="int", ui=False)},
        elementwise=False,
        jvp_fn=_softmax_jvp,
    )
)


def _log_softmax(x: np.ndarray, axis: int) -> np.ndarray:
    if _axis_length(x, axis, "log_softmax") == 0:
        return x.copy()
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


register(
    Activation(
        name="log_softmax",
        fn=_log_softmax,
        dfn=lambda x, axis: 1.0 - _softmax(x, axis),
        guide=(
            "The logarithm of softmax, computed stably (the largest input is subtracted first). It gives "
            "log-probabilities, which is what cross-entropy losses need; exponentiate to get probabilities. "
            "All outputs are ≤ 0."
        ),
        family="Layer-wide",
        formula="xᵢ − log Σⱼ eˣʲ",
        output_range=(-math.inf, 0.0),
        params={"axis": Param("axis", -1, "axis along which the layer lies", kind="int", ui=False)},
        elementwise=False,
        jvp_fn=lambda x, v, axis: v - np.sum(_softmax(x, axis) * v, axis=axis, keepdims=True),
    )
)


def _sparsemax(x: np.ndarray, axis: int) -> np.ndarray:
    """Euclidean projection of each slice onto the probability simplex (Martins & Astudillo 2016)."""
    size = _axis_length(x, axis, "sparsemax")
    if size == 0:
        return x.copy()
    z = np.moveaxis(x, axis, -1)
    z = z - np.max(z, axis=-1, keepdims=True)  # sparsemax ignores shifts; keeps the sums below finite
    ordered = -np.sort(-z, axis=-1)
    running_sum = np.cumsum(ordered, axis=-1)
    rank = np.arange(1, size + 1)
    support_size = np.sum(1.0 + rank * ordered > running_sum, axis=-1, keepdims=True)
    support_sum = np.take_along_axis(running_sum, np.maximum(support_size - 1, 0), axis=-1)
    tau = (support_sum - 1.0) / np.maximum(support_size, 1)
    out = np.maximum(z - tau, 0.0)
    out = np.where(np.any(np.isnan(z), axis=-1, keepdims=True), np.nan, out)
    return np.moveaxis(out, -1, axis)


def _sparsemax_support(x: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Indicator of the outputs that are > 0, and how many there are per slice."""
    support = (_sparsemax(x, axis) > 0).astype(np.float64)
    return support, np.maximum(np.sum(support, axis=axis, keepdims=True), 1.0)


def _sparsemax_derivative(x: np.ndarray, axis: int) -> np.ndarray:
    support, count = _sparsemax_support(x, axis)
    return support * (1.0 - 1.0 / count)


def _sparsemax_jvp(x: np.ndarray, v: np.ndarray, axis: int) -> np.ndarray:
    support, count = _sparsemax_support(x, axis)
    return support * (v - np.sum(support * v, axis=axis, keepdims=True) / count)


register(
    Activation(
        name="sparsemax",
        fn=_sparsemax,
        dfn=_sparsemax_derivative,
        guide=(
            "Sparsemax is a softmax that can output exact zeros: it projects the layer onto the probability "
            "simplex, so outputs are ≥ 0, sum to 1, and unlikely classes get exactly 0. This is the correct "
            "projection; Keras 3.15.1's sparsemax gives wrong values whenever more than one output stays "
            "above 0 (keras-team/keras issue 23425), e.g. sparsemax([.1, .2, .3, -.5]) is [.2333, .3333, "
            ".4333, 0]."
        ),
        family="Layer-wide",
        formula="max(xᵢ − τ(x), 0)",
        output_range=(0.0, 1.0),
        output_closed=(True, True),
        params={"axis": Param("axis", -1, "axis along which the layer lies", kind="int", ui=False)},
        elementwise=False,
        jvp_fn=_sparsemax_jvp,
    )
)


def _glu_halves(x: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    size = _axis_length(x, axis, "glu")
    if size % 2:
        raise ValueError(
            f"glu: parameter 'axis' = {axis} selects an axis of odd length {size}; glu splits it into two equal halves"
        )
    a, b = np.split(x, 2, axis=axis)
    return a, b


def _glu(x: np.ndarray, axis: int) -> np.ndarray:
    a, b = _glu_halves(x, axis)
    return a * _sigmoid(b)


def _glu_derivative(x: np.ndarray, axis: int) -> np.ndarray:
    # Shape of the input: ∂out_i/∂a_i = σ(b_i) for the first half, ∂out_i/∂b_i = a_i·σ'(b_i) for the second.
    a, b = _glu_halves(x, axis)
    return np.concatenate([_sigmoid(b), a * _sigmoid_slope(b)], axis=axis)


def _glu_jvp(x: np.ndarray, v: np.ndarray, axis: int) -> np.ndarray:
    a, b = _glu_halves(x, axis)
    va, vb = np.split(v, 2, axis=axis)
    return _sigmoid(b) * va + a * _sigmoid_slope(b) * vb


register(
    Activation(
        name="glu",
        fn=_glu,
        dfn=_glu_derivative,
        guide=(
            "The gated linear unit splits the layer into two halves a and b and outputs a·σ(b): the second "
            "half decides how much of the first passes, like a gate. A GLU layer of 2k units therefore shows "
            "k outputs, and the unit count must be even. Gated variants are common in Transformer "
            "feed-forward blocks."
        ),
        family="Layer-wide",
        formula="a·σ(b), x = [a, b]",
        output_range=(-math.inf, math.inf),
        params={"axis": Param("axis", -1, "axis that is split into halves", kind="int", ui=False)},
        elementwise=False,
        jvp_fn=_glu_jvp,
    )
)
