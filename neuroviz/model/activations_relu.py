"""The ReLU family: relu, leaky_relu, prelu, relu6, elu, selu, celu and threshold.

Registered on import; import them through :mod:`neuroviz.model.activations`. Pure NumPy: never imports Qt.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from neuroviz.model.activation_core import Activation, Advice, Param, register
from neuroviz.model.activation_numerics import (
    _SELU_ALPHA,
    _SELU_SCALE,
    _per_neuron,
    _strict_between,
    _times_where_nonzero,
)


def _leaky_relu(x: np.ndarray, negative_slope: float) -> np.ndarray:
    # max(x, s·x), written as a choice so that a zero slope times -inf gives 0, not NaN
    keeps_x = (x >= 0) == (negative_slope <= 1)
    return np.where(keeps_x, x, _times_where_nonzero(x, negative_slope))


def _leaky_relu_derivative(x: np.ndarray, negative_slope: float) -> np.ndarray:
    # max(x, s·x): for s ≤ 1 the slope is 1 above 0 and s below; at 0 TensorFlow's gradient uses s.
    return np.where(x > 0, max(1.0, negative_slope), min(1.0, negative_slope))


def _relu(x: np.ndarray, negative_slope: float, max_value: float | None, threshold: float) -> np.ndarray:
    """Keras 3.15's relu: x·[x > t], clipped to [0, max_value] only if max_value is set (so with t < 0 the
    values in (t, 0) pass unchanged), minus the slope times the distance below the threshold."""
    if max_value is None and threshold == 0:
        if negative_slope == 0:
            return np.where(x > 0.0, x, 0.0)  # the plain relu, in one step
        return _leaky_relu(x, negative_slope)  # Keras takes this path; it differs only for slopes > 1
    kept = np.where(x > threshold, x, 0.0)
    if max_value is not None:
        kept = np.clip(kept, 0.0, max_value)
    return kept - _times_where_nonzero(np.maximum(threshold - x, 0.0), negative_slope)


def _relu_derivative(x: np.ndarray, negative_slope: float, max_value: float | None, threshold: float) -> np.ndarray:
    if max_value is None and threshold == 0:
        if negative_slope == 0:
            return (x > 0.0).astype(np.float64)
        return _leaky_relu_derivative(x, negative_slope)
    passes = x > threshold
    if max_value is not None:
        passes &= (x > 0) & (x < max_value)
    return passes.astype(np.float64) + np.where(x < threshold, negative_slope, 0.0)


register(
    Activation(
        name="relu",
        fn=_relu,
        dfn=_relu_derivative,
        guide=(
            "The rectified linear unit passes positive inputs unchanged and turns negative ones into 0. It "
            "is the default for hidden layers: cheap, and its gradient does not fade for large inputs. A "
            "neuron whose input stays negative outputs 0 with derivative 0 and can no longer learn ('dying "
            "ReLU'); negative_slope (Keras 2: alpha) keeps a small slope below the threshold, max_value caps "
            "the output. At x == threshold the derivative is taken as 0, as TensorFlow does."
        ),
        family="ReLU family",
        formula="max(x, 0)",
        output_range=(0.0, math.inf),
        output_closed=(True, False),
        params={
            "negative_slope": Param(
                "negative_slope",
                0.0,
                "slope below the threshold (Keras 2 called it alpha)",
                minimum=0.0,
                advice=Advice(
                    "a leak is a slope below 1, the slope above the threshold: at 1 (with threshold 0 and no "
                    "max_value) relu is the identity, no non-linearity; above 1 negative inputs are amplified, "
                    "not leaked",
                    low=0.0,
                    low_closed=True,
                    high=1.0,
                ),
            ),
            "max_value": Param(
                "max_value",
                None,
                "largest output; None means no cap",
                minimum=0.0,
                kind="optional_float",
                advice=Advice(
                    "every input above the threshold is capped at max_value, so the output is flat there "
                    "(derivative 0) and the positive side passes nothing on",
                    low=0.0,
                    above="threshold",
                ),
            ),
            "threshold": Param("threshold", 0.0, "inputs at or below this give 0 (or the negative slope)"),
        },
        monotonic=True,
        param_aliases={"alpha": "negative_slope"},
    )
)

register(
    Activation(
        name="leaky_relu",
        fn=_leaky_relu,
        dfn=_leaky_relu_derivative,
        guide=(
            "Leaky ReLU keeps a small slope for negative inputs, so a neuron never stops passing gradient "
            "and cannot die the way a plain ReLU neuron can. The function's default slope is 0.2 (Keras's "
            "LeakyReLU layer defaults to 0.3). The price is a little less sparsity: negative inputs no "
            "longer give exactly 0."
        ),
        family="ReLU family",
        formula="max(x, s·x)",
        output_range=(-math.inf, math.inf),
        params={
            "negative_slope": Param(
                "negative_slope",
                0.2,
                "slope for negative inputs",
                minimum=0.0,
                advice=Advice(
                    "the leak is a small positive slope: at 0 leaky_relu is a plain relu whose neurons can die, "
                    "at 1 it is the identity (no non-linearity), above 1 it is s·x for positive inputs and x for "
                    "negative ones",
                    low=0.0,
                    high=1.0,
                ),
            )
        },
        param_aliases={"alpha": "negative_slope"},  # Keras 2's LeakyReLU(alpha=0.1), as the tutorials write
        monotonic=True,
    )
)


def _prelu(x: np.ndarray, alpha: float | np.ndarray) -> np.ndarray:
    alpha = _per_neuron(x, alpha, "prelu", "alpha")
    return np.maximum(x, 0.0) + _times_where_nonzero(np.minimum(x, 0.0), alpha)


def _prelu_derivative(x: np.ndarray, alpha: float | np.ndarray) -> np.ndarray:
    alpha = _per_neuron(x, alpha, "prelu", "alpha")
    return np.where(x > 0, 1.0, alpha * np.ones_like(x))


register(
    Activation(
        name="prelu",
        fn=_prelu,
        dfn=_prelu_derivative,
        guide=(
            "Parametric ReLU is a leaky ReLU whose negative slope alpha is learned, one slope per neuron. "
            "Give one number for the whole layer or one per neuron. Here alpha defaults to 0.25 (the value "
            "of the original paper) so the leak is visible; Keras's PReLU layer initialises alpha to zeros, "
            "i.e. it starts as a plain ReLU. The extra freedom can overfit small data sets."
        ),
        family="ReLU family",
        formula="max(x, 0) + α·min(x, 0)",
        output_range=(-math.inf, math.inf),
        params={
            "alpha": Param(
                "alpha",
                0.25,
                "slope for negative inputs, one per neuron or one for all",
                kind="per_neuron",
                advice=Advice(
                    "a negative alpha turns negative inputs into positive outputs (alpha = −1 draws |x|, a V), "
                    "alpha = 1 is the identity (no non-linearity) and above 1 negative inputs are amplified",
                    low=0.0,
                    low_closed=True,
                    high=1.0,
                ),
            )
        },
        monotonic=True,
    )
)

register(
    Activation(
        name="relu6",
        fn=lambda x: np.clip(x, 0.0, 6.0),
        dfn=lambda x: _strict_between(x, 0.0, 6.0),
        guide=(
            "ReLU capped at 6. The bounded range suits low-precision (quantised) networks such as MobileNet. "
            "Above 6 the neuron saturates and its derivative is 0, like below 0."
        ),
        family="ReLU family",
        formula="min(max(x, 0), 6)",
        output_range=(0.0, 6.0),
        output_closed=(True, True),
        monotonic=True,
    )
)


def _elu(x: np.ndarray, alpha: float) -> np.ndarray:
    return np.where(x >= 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def _elu_derivative(x: np.ndarray, alpha: float) -> np.ndarray:
    return np.where(x >= 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


register(
    Activation(
        name="elu",
        fn=_elu,
        dfn=_elu_derivative,
        guide=(
            "The exponential linear unit is the identity for positive inputs and bends smoothly towards "
            "-alpha for negative ones; alpha must be > 0 for that shape (at 0 it is a ReLU, a negative alpha "
            "draws a V). The negative outputs pull the mean activation towards 0, which can speed up training, "
            "and neurons do not die. It costs an exponential, and very negative inputs saturate (derivative → 0)."
        ),
        family="ReLU family",
        formula="x if x ≥ 0, α·(eˣ − 1) otherwise",
        output_range=(-1.0, math.inf),
        params={
            "alpha": Param(
                "alpha",
                1.0,
                "the output approaches -alpha for very negative inputs",
                advice=Advice(
                    "at 0 ELU is a relu (negative inputs all give 0 and neurons can die), and a negative alpha "
                    "turns negative inputs into positive outputs (alpha = −1 draws a V)",
                    low=0.0,
                ),
            )
        },
        monotonic=True,
    )
)

register(
    Activation(
        name="selu",
        fn=lambda x: _SELU_SCALE * _elu(x, _SELU_ALPHA),
        dfn=lambda x: _SELU_SCALE * _elu_derivative(x, _SELU_ALPHA),
        guide=(
            "The scaled ELU uses fixed constants (alpha ≈ 1.6733, scale ≈ 1.0507) chosen so that activations "
            "keep mean 0 and variance 1 from layer to layer: the network normalises itself. That only works "
            "with lecun_normal weight initialisation (and AlphaDropout instead of Dropout) in a plain stack "
            "of dense layers; with other initialisers the promise does not hold."
        ),
        family="ReLU family",
        formula="λ·x if x ≥ 0, λ·α·(eˣ − 1) otherwise",
        output_range=(-_SELU_SCALE * _SELU_ALPHA, math.inf),
        monotonic=True,
    )
)


def _check_celu(values: dict[str, Any]) -> None:
    if values["alpha"] == 0:
        raise ValueError("celu: parameter 'alpha' must not be 0 (the formula divides by it)")


register(
    Activation(
        name="celu",
        fn=lambda x, alpha: np.maximum(x, 0.0) + alpha * np.expm1(np.minimum(x, 0.0) / alpha),
        dfn=lambda x, alpha: np.where(x > 0, 1.0, np.exp(np.minimum(x, 0.0) / alpha)),
        guide=(
            "The continuously differentiable ELU divides the input by alpha inside the exponential, so its "
            "slope is 1 on both sides of 0 for every alpha (ELU has a kink there unless alpha = 1). "
            "Otherwise it behaves like ELU: negative outputs down to -alpha and saturation for very negative "
            "inputs. Keep alpha > 0: with a negative alpha the negative side falls exponentially towards −∞."
        ),
        family="ReLU family",
        formula="max(x, 0) + α·(e^(min(x, 0)/α) − 1)",
        output_range=(-1.0, math.inf),
        params={
            "alpha": Param(
                "alpha",
                1.0,
                "scale of the negative part; must not be 0",
                advice=Advice(
                    "with a negative alpha the negative side of CELU falls exponentially towards −∞ instead of "
                    "levelling off at −alpha",
                    low=0.0,
                ),
            )
        },
        monotonic=True,
        validator=_check_celu,
    )
)

register(
    Activation(
        name="threshold",
        fn=lambda x, threshold, default_value: np.where(x > threshold, x, default_value),
        dfn=lambda x, threshold, default_value: (x > threshold).astype(np.float64),
        guide=(
            "Keeps inputs above the threshold and replaces all others with default_value. Keras requires "
            "both values; here they default to 0 and 0, which makes it a ReLU. With default_value different "
            "from the threshold the output jumps, and the derivative is 0 below the threshold, so those "
            "inputs get no gradient."
        ),
        family="ReLU family",
        formula="x if x > t, else v",
        output_range=(0.0, math.inf),
        output_closed=(True, False),
        params={
            "threshold": Param("threshold", 0.0, "inputs at or below this are replaced (no Keras default)"),
            "default_value": Param("default_value", 0.0, "the replacement value (no Keras default)"),
        },
        monotonic=True,
    )
)
