"""Backpropagation: the exact gradient of a loss with respect to every weight, bias and PReLU slope.

Elementwise activations (and custom formulas, through their symbolic derivative) pass the gradient through
their derivative; the layer-wide ones (softmax, log_softmax, sparsemax, glu) through the transposed product
Jᵀ·v of their full Jacobian, written out below. Everything runs on a whole batch at once, in float64.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from neuroviz.model import activations
from neuroviz.model.training import losses

if TYPE_CHECKING:
    from neuroviz.model.network import Layer


@dataclass
class Gradients:
    """∂loss/∂… per layer k (0 = the first layer after the inputs).

    ``weights[k]`` (fan_in, units), ``biases[k]`` (units,), ``deltas[k]`` = ∂loss/∂z (batch, units) per neuron
    and sample, ``params[k]`` the activation parameters' gradients (``{"alpha": …}`` for prelu, else empty),
    ``loss`` the loss they are the gradient of (the batch mean plus the layers' regularization penalties).
    """

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    deltas: list[np.ndarray]
    params: list[dict[str, Any]] = field(default_factory=list)
    loss: float = 0.0


# -- Jᵀ·v of the layer-wide activations (v is ∂loss/∂output, the result ∂loss/∂z) ---------------------------
def _softmax_vjp(z: np.ndarray, value: np.ndarray, v: np.ndarray) -> np.ndarray:
    # J = diag(s) − s sᵀ is symmetric
    return value * (v - np.add.reduce(value * v, -1, keepdims=True))


def _log_softmax_vjp(z: np.ndarray, value: np.ndarray, v: np.ndarray) -> np.ndarray:
    # J_ij = δ_ij − s_j, so (Jᵀv)_j = v_j − s_j Σ_i v_i
    return v - np.exp(value) * np.sum(v, axis=-1, keepdims=True)


def _sparsemax_vjp(z: np.ndarray, value: np.ndarray, v: np.ndarray) -> np.ndarray:
    # J = diag(S) − S Sᵀ/|S| over the support S (outputs > 0) is symmetric
    support = (value > 0).astype(np.float64)
    count = np.maximum(np.sum(support, axis=-1, keepdims=True), 1.0)
    return support * (v - np.sum(support * v, axis=-1, keepdims=True) / count)


def _glu_vjp(z: np.ndarray, value: np.ndarray, v: np.ndarray) -> np.ndarray:
    # out_i = a_i σ(b_i) for z = [a, b]: ∂/∂a_i = v_i σ(b_i), ∂/∂b_i = v_i a_i σ(b_i)(1 − σ(b_i))
    a, b = np.split(z, 2, axis=-1)
    gate = activations.get("sigmoid").fn(b)
    return np.concatenate([v * gate, v * a * gate * (1.0 - gate)], axis=-1)


VJP: dict[str, Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]] = {
    "softmax": _softmax_vjp,
    "log_softmax": _log_softmax_vjp,
    "sparsemax": _sparsemax_vjp,
    "glu": _glu_vjp,
}


#: Activations whose derivative training takes from the value, as JAX differentiates them (1 − tanh², σ(1 − σ)):
#: one operation instead of recomputing it from z.
SLOPE_FROM_VALUE: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "tanh": lambda value: 1.0 - value * value,
    "sigmoid": lambda value: value * (1.0 - value),
}


def vjp(layer: Layer, z: np.ndarray, value: np.ndarray, slope: np.ndarray | None, v: np.ndarray) -> np.ndarray:
    """∂loss/∂z of a layer from ∂loss/∂(its output) ``v``; ``value``, ``slope`` are f(z) and f'(z) (None for
    linear, the activations of SLOPE_FROM_VALUE, whose slope follows from the value, and the layer-wide ones)."""
    if layer.activation in VJP:
        axis = layer.params.get("axis", -1)
        if axis not in (-1, z.ndim - 1):
            raise ValueError(f"layer {layer.name!r}: training needs {layer.activation} along the neurons (axis -1)")
        return VJP[layer.activation](z, value, v)
    if slope is None:
        if layer.activation == "linear":
            return v
        return v * SLOPE_FROM_VALUE[layer.activation](value)
    return v * slope


@dataclass
class Pass:
    """One forward pass kept for the backward one: per layer its inputs (with their column of ones, see
    :func:`with_ones`), z, f(z) and f'(z)."""

    inputs: list[np.ndarray]
    z: list[np.ndarray]
    values: list[np.ndarray]
    slopes: list[np.ndarray | None]


#: relu's parameters for which it is max(z, 0) with slope [z > 0] (Keras' defaults).
_PLAIN_RELU = {"negative_slope": 0.0, "max_value": None, "threshold": 0.0}


def is_plain_relu(layer: Layer) -> bool:
    """Whether the layer is relu with Keras' default parameters, which training computes in two operations."""
    return layer.activation == "relu" and all(layer.params.get(key) == value for key, value in _PLAIN_RELU.items())


def with_ones(a: np.ndarray) -> np.ndarray:
    """The batch ``a`` (batch, n) with a last column of ones: z = [a 1]·[W; b] is one product (:func:`stacked`),
    and ∂loss/∂[W; b] = [a 1]ᵀ·δ another, so training adds no bias and sums no δ of its own."""
    out = np.empty((a.shape[0], a.shape[1] + 1))
    out[:, :-1] = a
    out[:, -1] = 1.0
    return out


def stacked(layer: Layer) -> np.ndarray:
    """The layer's weights and, as one more row, its biases: a (fan_in + 1, units) array."""
    return np.vstack((layer.weights, layer.biases))


def forward(
    layers: Sequence[Layer], functions: Sequence[activations.Activation], x: np.ndarray, nan_slopes: bool = True
) -> Pass:
    """The forward pass of a batch (batch, n_inputs), keeping what backpropagation needs.

    ``nan_slopes=False`` lets a plain relu give a NaN pre-activation slope 0 instead of NaN (two NumPy calls
    instead of five), for a caller that goes back only when the loss is not NaN: a NaN pre-activation makes its
    sample's loss NaN, as every activation and loss passes NaN on. The caller sets ``np.errstate`` (a diverging
    network overflows here on purpose)."""
    record = Pass([], [], [], [])
    a = x
    for layer, function in zip(layers, functions, strict=True):
        a = with_ones(a)
        z = np.dot(a, stacked(layer))  # the same BLAS product as a @ weights, with less overhead per call
        if layer.activation == "linear":
            value, slope = z, None
        elif layer.activation in SLOPE_FROM_VALUE:
            value, slope = function.fn(z), None
        elif layer.activation in VJP:  # its Jᵀv needs the value only, not the Jacobian's diagonal
            value, slope = function.fn(z, **layer.params), None
        elif not nan_slopes and is_plain_relu(layer):
            value, slope = np.maximum(z, 0.0), np.greater(z, 0.0)  # as relu's where(z > 0, z, 0) and its slope
        else:
            value, slope = function._evaluate(z, layer.params)
        record.inputs.append(a)
        record.z.append(z)
        record.values.append(value)
        record.slopes.append(slope)
        a = value
    return record


def backward(
    layers: Sequence[Layer],
    record: Pass,
    by_output: np.ndarray,
    weight_out: Sequence[np.ndarray],
    bias_out: Sequence[np.ndarray],
    alpha_out: Sequence[np.ndarray | None],
) -> list[np.ndarray]:
    """Write ∂loss/∂W, ∂loss/∂b (and ∂loss/∂alpha for prelu) into the given arrays; return the deltas.

    ``by_output`` is ∂loss/∂(network output) for the batch; ``alpha_out[k]`` is None unless layer k is prelu.
    The caller sets ``np.errstate``.
    """
    deltas: list[np.ndarray] = [by_output] * len(layers)
    v = by_output
    for k in range(len(layers) - 1, -1, -1):
        layer = layers[k]
        z = record.z[k]
        delta = vjp(layer, z, record.values[k], record.slopes[k], v)
        deltas[k] = delta
        by_block = np.dot(record.inputs[k].T, delta)  # ∂loss/∂[W; b]: the last row is Σ δ, from the ones
        weight_out[k][...] = by_block[:-1]
        bias_out[k][...] = by_block[-1]
        if alpha_out[k] is not None:
            by_alpha = (v * np.minimum(z, 0.0)).sum(axis=0)
            alpha_out[k][...] = by_alpha if alpha_out[k].shape else by_alpha.sum()
        if k:
            v = np.dot(delta, layer.weights.T)
    return deltas


def penalty(layers: Sequence[Layer]) -> float:
    """Σ over layers of l1·Σ|W| + l2·ΣW² (Keras' L1L2 kernel regularizers), added to every batch's loss."""
    total = 0.0
    for layer in layers:
        if layer.kernel_regularizer is not None:
            l1, l2 = layer.kernel_regularizer["l1"], layer.kernel_regularizer["l2"]
            total += l1 * float(np.sum(np.abs(layer.weights))) + l2 * float(np.sum(layer.weights**2))
    return total


def general_gradients(
    layers: Sequence[Layer], x: np.ndarray, targets: np.ndarray, loss_function: losses.LossFunction
) -> Gradients:
    """The gradients through :func:`forward` and :func:`backward`, without penalties: the general way, which keeps
    a NaN pre-activation's relu slope NaN, and the reference the BatchPlan is tested against. The caller sets
    ``np.errstate``."""
    weights = [np.empty(layer.weights.shape) for layer in layers]
    biases = [np.empty(layer.biases.shape) for layer in layers]
    alphas = [alpha_gradient_array(layer) for layer in layers]
    record = forward(layers, [layer.function for layer in layers], x)
    per_sample, by_output = loss_function(targets, record.values[-1])
    deltas = backward(layers, record, by_output, weights, biases, alphas)
    params = [{} if alpha is None else {"alpha": alpha if alpha.shape else float(alpha)} for alpha in alphas]
    return Gradients(weights, biases, deltas, params, float(np.add.reduce(per_sample, None)) / len(per_sample))


def regularizer_gradient(layer: Layer) -> np.ndarray | float:
    """∂penalty/∂W: l1·sign(W) + 2·l2·W (0 without a regularizer)."""
    if layer.kernel_regularizer is None:
        return 0.0
    return (
        layer.kernel_regularizer["l1"] * np.sign(layer.weights) + 2.0 * layer.kernel_regularizer["l2"] * layer.weights
    )


def alpha_gradient_array(layer: Layer) -> np.ndarray | None:
    if layer.activation != "prelu":
        return None
    return np.zeros(np.shape(layer.params["alpha"]))
