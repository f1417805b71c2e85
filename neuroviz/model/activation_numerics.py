"""Numerical building blocks of the activation functions: sigmoid, softplus, erfc, … without overflow.

Every formula in the ``activations_*`` modules receives float64 arrays (see ``Activation._run``) and is written so
that no finite input overflows in an intermediate step: exp() only sees non-positive arguments unless the true
result is huge. The helpers are shared by those modules only, hence their leading underscores.

Pure NumPy: this module never imports Qt.
"""

from __future__ import annotations

import math

import numpy as np

_SQRT_2 = math.sqrt(2.0)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_CUBIC = 0.044715
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-x) without overflow: e^-|x| is at most 1."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sigmoid_slope(x: np.ndarray) -> np.ndarray:
    """σ'(x) = σ(x)·σ(-x) = e^-|x| / (1 + e^-|x|)², exact in both tails."""
    e = np.exp(-np.abs(x))
    return e / (1.0 + e) ** 2


def _softplus(x: np.ndarray) -> np.ndarray:
    """log(1 + e^x) = max(x, 0) + log1p(e^-|x|): exact for tiny and huge x alike."""
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def _sigmoid_and_slope(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """_sigmoid(x) and _sigmoid_slope(x) to the bit, from one exp instead of two (a map pass evaluates both)."""
    e = np.exp(-np.abs(x))
    p = 1.0 + e
    return np.where(x >= 0, 1.0 / p, e / p), e / (p * p)


def _sech2(y: np.ndarray) -> np.ndarray:
    """sech²(y) = 1 - tanh²(y) without the cancellation near |y| → ∞."""
    e = np.exp(-2.0 * np.abs(y))
    return 4.0 * e / (1.0 + e) ** 2


_ERFC = np.frompyfunc(math.erfc, 1, 1)


def _erfc(x: np.ndarray) -> np.ndarray:
    """Complementary error function, elementwise (NumPy has none; SciPy is not a dependency).

    math.erfc is the C library's, accurate to an ulp; through frompyfunc it is as fast as a vectorised series
    for large arrays and much faster for the small ones a network view evaluates.
    """
    return np.asarray(_ERFC(x), dtype=np.float64)


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    """Φ(x) = erfc(-x/√2)/2: accurate in the left tail where 1 + erf(x/√2) would cancel to 0."""
    return 0.5 * _erfc(-x / _SQRT_2)


def _normal_pdf(x: np.ndarray) -> np.ndarray:
    return np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def _times_where_nonzero(scale: np.ndarray, factor: np.ndarray) -> np.ndarray:
    """scale·factor, but exactly 0 where factor is 0 (so an infinite scale gives 0, not NaN)."""
    return np.where(factor == 0, 0.0, scale * factor)


def _per_neuron(x: np.ndarray, value: float | np.ndarray, activation: str, name: str) -> float | np.ndarray:
    """A scalar, or one value per neuron broadcast along the last axis of ``x``."""
    if np.ndim(value) == 0:
        return value
    neurons = x.shape[-1] if x.ndim else 1
    if len(value) != neurons:
        raise ValueError(
            f"{activation}: parameter '{name}' has {len(value)} values but the input has {neurons} neuron(s) "
            "along its last axis"
        )
    return value


def _axis_length(x: np.ndarray, axis: int, activation: str) -> int:
    """Length of ``axis``; an axis the input does not have raises ValueError naming the parameter."""
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(
            f"{activation}: parameter 'axis' = {axis} is out of range for an input with {x.ndim} dimension(s)"
        )
    return x.shape[axis]


def _strict_between(x: np.ndarray, low: float, high: float) -> np.ndarray:
    return ((x > low) & (x < high)).astype(np.float64)
