"""Sigmoid and tanh: sigmoid, tanh, hard_sigmoid, sparse_sigmoid, hard_tanh, log_sigmoid and softsign.

Registered on import; import them through :mod:`neuroviz.model.activations`. Pure NumPy: never imports Qt.
"""

from __future__ import annotations

import math

import numpy as np

from neuroviz.model.activation_core import Activation, register
from neuroviz.model.activation_numerics import (
    _sech2,
    _sigmoid,
    _sigmoid_and_slope,
    _sigmoid_slope,
    _softplus,
    _strict_between,
)

register(
    Activation(
        name="sigmoid",
        fn=_sigmoid,
        dfn=_sigmoid_slope,
        value_and_derivative_fn=_sigmoid_and_slope,
        guide=(
            "The logistic sigmoid squashes any input into (0, 1), which makes it the natural output for a "
            "yes/no (binary) decision: read the output as a probability. In hidden layers it trains slowly: "
            "the derivative is at most 0.25 and vanishes when the input is far from 0 (saturation), and the "
            "outputs are not centred on 0."
        ),
        family="Sigmoid and tanh",
        formula="1 / (1 + e⁻ˣ)",
        output_range=(0.0, 1.0),
        monotonic=True,
    )
)

register(
    Activation(
        name="tanh",
        fn=np.tanh,
        dfn=lambda x: _sech2(x),
        guide=(
            "The hyperbolic tangent squashes inputs into (-1, 1) and is centred on 0, so it trains better "
            "than the sigmoid in hidden layers and is the classic choice inside recurrent networks. It still "
            "saturates: for inputs beyond about ±3 the derivative almost vanishes and learning stalls."
        ),
        family="Sigmoid and tanh",
        formula="tanh(x)",
        output_range=(-1.0, 1.0),
        monotonic=True,
    )
)

register(
    Activation(
        name="hard_sigmoid",
        fn=lambda x: np.clip(x / 6.0 + 0.5, 0.0, 1.0),
        dfn=lambda x: _strict_between(x, -3.0, 3.0) / 6.0,
        guide=(
            "A piecewise-linear stand-in for the sigmoid: a straight line from (-3, 0) to (3, 1), flat "
            "outside. It is cheap on small devices. Keras 3 uses x/6 + 1/2 (Keras 2 used 0.2·x + 0.5). "
            "Outside [-3, 3] the derivative is exactly 0."
        ),
        family="Sigmoid and tanh",
        formula="clip(x/6 + 1/2, 0, 1)",
        output_range=(0.0, 1.0),
        output_closed=(True, True),
        monotonic=True,
    )
)

register(
    Activation(
        name="sparse_sigmoid",
        fn=lambda x: np.clip(0.5 * (x + 1.0), 0.0, 1.0),
        dfn=lambda x: 0.5 * _strict_between(x, -1.0, 1.0),
        guide=(
            "A sigmoid-like ramp that reaches exactly 0 and 1 (at x = -1 and x = 1), so outputs can be "
            "sparse. It is the two-class case of sparsemax. Outside [-1, 1] the derivative is 0."
        ),
        family="Sigmoid and tanh",
        formula="clip((x + 1)/2, 0, 1)",
        output_range=(0.0, 1.0),
        output_closed=(True, True),
        monotonic=True,
    )
)

register(
    Activation(
        name="hard_tanh",
        fn=lambda x: np.clip(x, -1.0, 1.0),
        dfn=lambda x: _strict_between(x, -1.0, 1.0),
        guide=(
            "The identity clipped to [-1, 1]: a cheap, piecewise-linear tanh. Outside the band the neuron "
            "saturates completely (derivative 0)."
        ),
        family="Sigmoid and tanh",
        formula="clip(x, −1, 1)",
        output_range=(-1.0, 1.0),
        output_closed=(True, True),
        monotonic=True,
    )
)

register(
    Activation(
        name="log_sigmoid",
        fn=lambda x: -_softplus(-x),
        dfn=lambda x: _sigmoid(-x),
        guide=(
            "The logarithm of the sigmoid, computed without overflow. It appears in log-likelihood losses "
            "for binary outputs; as an activation its outputs are always negative, approaching 0 for large "
            "inputs and -x for very negative ones."
        ),
        family="Sigmoid and tanh",
        formula="log(1 / (1 + e⁻ˣ))",
        output_range=(-math.inf, 0.0),
        monotonic=True,
    )
)


def _softsign(x: np.ndarray) -> np.ndarray:
    # For |x| ≥ 1, 1 - 1/(1 + |x|) is a chain of monotone roundings (x/(1 + |x|) is not, above 2⁵³) and
    # reaches ±1 at ±inf; below 1 the quotient keeps full relative precision for tiny x.
    magnitude = np.where(np.abs(x) >= 1.0, 1.0 - 1.0 / (1.0 + np.abs(x)), np.abs(x) / (1.0 + np.abs(x)))
    return np.copysign(magnitude, x)


register(
    Activation(
        name="softsign",
        fn=_softsign,
        dfn=lambda x: 1.0 / (1.0 + np.abs(x)) ** 2,
        guide=(
            "Like tanh it maps inputs into (-1, 1), but it approaches the limits polynomially instead of "
            "exponentially, so it saturates more gently and keeps some gradient for large inputs. It is "
            "cheap to compute."
        ),
        family="Sigmoid and tanh",
        formula="x / (1 + |x|)",
        output_range=(-1.0, 1.0),
        monotonic=True,
    )
)
