"""Smooth ReLU-likes: softplus, silu, gelu, mish, hard_silu, squareplus and sparse_plus.

Registered on import; import them through :mod:`neuroviz.model.activations`. Pure NumPy: never imports Qt.
"""

from __future__ import annotations

import math

import numpy as np

from neuroviz.model.activation_core import Activation, Param, register
from neuroviz.model.activation_numerics import (
    _GELU_CUBIC,
    _SQRT_2_OVER_PI,
    _normal_cdf,
    _normal_pdf,
    _sech2,
    _sigmoid,
    _sigmoid_slope,
    _softplus,
    _times_where_nonzero,
)

register(
    Activation(
        name="softplus",
        fn=_softplus,
        dfn=_sigmoid,
        guide=(
            "A smooth ReLU: log(1 + eˣ) is close to 0 for negative inputs and close to x for positive ones, "
            "and its derivative is the sigmoid. It is always positive, so it suits outputs that must be "
            "positive (a variance, a rate). Unlike ReLU it never gives exact zeros."
        ),
        family="Smooth ReLU-likes",
        formula="log(1 + eˣ)",
        output_range=(0.0, math.inf),
        monotonic=True,
    )
)

register(
    Activation(
        name="silu",
        fn=lambda x: _times_where_nonzero(x, _sigmoid(x)),
        dfn=lambda x: _sigmoid(x) + _times_where_nonzero(x, _sigmoid_slope(x)),
        guide=(
            "SiLU, also called swish, multiplies the input by its own sigmoid. It is smooth, lets small "
            "negative values through (minimum ≈ -0.278 at x ≈ -1.28) and often trains deeper networks a "
            "little better than ReLU. It is not monotonic and costs an exponential per neuron."
        ),
        family="Smooth ReLU-likes",
        formula="x·σ(x)",
        output_range=(-0.27847, math.inf),
        output_closed=(True, False),
        output_rounded=(True, False),
        aliases=("swish",),
    )
)


def _gelu(x: np.ndarray, approximate: bool) -> np.ndarray:
    if approximate:
        # 0.5·x·(1 + tanh(u)) = x·σ(2u); the sigmoid form has no cancellation for very negative x.
        u = _SQRT_2_OVER_PI * (x + _GELU_CUBIC * x**3)
        return _times_where_nonzero(x, _sigmoid(2.0 * u))
    return _times_where_nonzero(x, _normal_cdf(x))


def _gelu_derivative(x: np.ndarray, approximate: bool) -> np.ndarray:
    if approximate:
        u = _SQRT_2_OVER_PI * (x + _GELU_CUBIC * x**3)
        du = _SQRT_2_OVER_PI * (1.0 + 3.0 * _GELU_CUBIC * x**2)
        return _sigmoid(2.0 * u) + _times_where_nonzero(2.0 * x * du, _sigmoid_slope(2.0 * u))
    return _normal_cdf(x) + _times_where_nonzero(x, _normal_pdf(x))


register(
    Activation(
        name="gelu",
        fn=_gelu,
        dfn=_gelu_derivative,
        guide=(
            "The Gaussian error linear unit weights each input by the probability that a standard normal "
            "value is below it, x·Φ(x). It is the standard activation in Transformers (BERT, GPT). Keras "
            "computes it exactly with erf by default; approximate=True uses the tanh formula with 0.044715. "
            "Like SiLU it dips slightly below 0 (minimum ≈ -0.17) and is not monotonic."
        ),
        family="Smooth ReLU-likes",
        formula="x·Φ(x)",
        output_range=(-0.16998, math.inf),
        output_closed=(True, False),
        output_rounded=(True, False),
        params={"approximate": Param("approximate", False, "use the tanh approximation instead of erf", kind="bool")},
    )
)


def _mish(x: np.ndarray) -> np.ndarray:
    return _times_where_nonzero(x, np.tanh(_softplus(x)))


def _mish_derivative(x: np.ndarray) -> np.ndarray:
    softplus = _softplus(x)
    return np.tanh(softplus) + _times_where_nonzero(x, _sech2(softplus) * _sigmoid(x))


register(
    Activation(
        name="mish",
        fn=_mish,
        dfn=_mish_derivative,
        guide=(
            "Mish, x·tanh(softplus(x)), is a smooth self-gated activation close to SiLU: unbounded above, a "
            "small negative dip (minimum ≈ -0.309) and no dead neurons. It was popular in object detectors "
            "(YOLOv4). It is not monotonic and is among the more expensive activations."
        ),
        family="Smooth ReLU-likes",
        formula="x·tanh(softplus(x))",
        output_range=(-0.30885, math.inf),
        output_closed=(True, False),
        output_rounded=(True, False),
    )
)


def _hard_silu_derivative(x: np.ndarray) -> np.ndarray:
    return np.where(x >= 3.0, 1.0, np.where(x > -3.0, (2.0 * x + 3.0) / 6.0, 0.0))


register(
    Activation(
        name="hard_silu",
        fn=lambda x: _times_where_nonzero(x, np.clip(x / 6.0 + 0.5, 0.0, 1.0)),
        dfn=_hard_silu_derivative,
        guide=(
            "Hard SiLU (hard swish) replaces the sigmoid in SiLU by the hard sigmoid: 0 below -3, x above 3 "
            "and the parabola x·(x + 3)/6 in between. It was designed for fast mobile networks "
            "(MobileNetV3). Like SiLU it has a small negative dip (minimum -0.375 at x = -1.5)."
        ),
        family="Smooth ReLU-likes",
        formula="x·clip(x/6 + 1/2, 0, 1)",
        output_range=(-0.375, math.inf),
        output_closed=(True, False),
        aliases=("hard_swish",),
    )
)


def _squareplus(x: np.ndarray, b: float) -> np.ndarray:
    root = np.hypot(x, math.sqrt(b))  # √(x² + b) without overflow
    # For x < 0, x + √(x² + b) cancels; (b/4)/((√(x² + b) - x)/2) is the same number without cancellation.
    return np.where(x >= 0, (x + root) / 2.0, (b / 4.0) / (root / 2.0 - x / 2.0))


def _squareplus_derivative(x: np.ndarray, b: float) -> np.ndarray:
    root = np.hypot(x, math.sqrt(b))
    ratio = np.where(np.isposinf(x), 1.0, x / root)  # x/√(x² + b) → 1 as x → ∞, where ∞/∞ would give NaN
    slope = np.where(x >= 0, 0.5 + 0.5 * ratio, (b / 2.0) / root / (root - x))
    return np.where(root == 0, 0.5, slope)  # b = 0 at x = 0: every b > 0 gives slope 1/2 there


register(
    Activation(
        name="squareplus",
        fn=_squareplus,
        dfn=_squareplus_derivative,
        guide=(
            "Squareplus is a softplus-like curve built from a square root instead of exp and log, so it is "
            "cheap. The smoothness b sets how round the corner at 0 is: b = 0 gives ReLU exactly, larger b a "
            "gentler bend. Outputs are always positive."
        ),
        family="Smooth ReLU-likes",
        formula="(x + √(x² + b)) / 2",
        output_range=(0.0, math.inf),
        params={"b": Param("b", 4.0, "smoothness of the corner (0 gives ReLU)", minimum=0.0)},
        monotonic=True,
    )
)

register(
    Activation(
        name="sparse_plus",
        fn=lambda x: np.where(x <= -1.0, 0.0, np.where(x < 1.0, 0.25 * (x + 1.0) ** 2, x)),
        dfn=lambda x: np.where(x <= -1.0, 0.0, np.where(x < 1.0, 0.5 * (x + 1.0), 1.0)),
        guide=(
            "SparsePlus is a softplus that reaches exactly 0 for x ≤ -1 and exactly x for x ≥ 1, joined by a "
            "parabola, so it is smooth (continuous slope) and still gives sparse outputs. Below -1 the "
            "derivative is 0, as with ReLU."
        ),
        family="Smooth ReLU-likes",
        formula="0 | (x + 1)²/4 | x",
        output_range=(0.0, math.inf),
        output_closed=(True, False),
        monotonic=True,
    )
)
