"""Other activations: linear, exponential, soft_shrink, hard_shrink and tanh_shrink.

Registered on import; import them through :mod:`neuroviz.model.activations`. Pure NumPy: never imports Qt.
"""

from __future__ import annotations

import math

import numpy as np

from neuroviz.model.activation_core import Activation, Advice, Param, register

register(
    Activation(
        name="linear",
        fn=lambda x: x.copy(),
        dfn=np.ones_like,
        guide=(
            "The identity: the neuron outputs its weighted sum unchanged. Use it for regression outputs "
            "(predicting any real number). A network whose layers are all linear collapses to a single "
            "linear map, however deep it is, so hidden layers need a non-linear activation."
        ),
        family="Others",
        formula="x",
        output_range=(-math.inf, math.inf),
        monotonic=True,
    )
)

register(
    Activation(
        name="exponential",
        fn=np.exp,
        dfn=np.exp,
        guide=(
            "eˣ: always positive and growing very fast. Useful as an output for strictly positive "
            "quantities, such as a rate or a scale. Inputs above about 709 (88 in float32) overflow to "
            "infinity, as in NumPy."
        ),
        family="Others",
        formula="eˣ",
        output_range=(0.0, math.inf),
        monotonic=True,
    )
)

register(
    Activation(
        name="soft_shrink",
        fn=lambda x, threshold: np.where(x > threshold, x - threshold, np.where(x < -threshold, x + threshold, 0.0)),
        dfn=lambda x, threshold: (np.abs(x) > threshold).astype(np.float64),
        guide=(
            "Soft shrinkage sets inputs within ±threshold to 0 and moves all others towards 0 by the "
            "threshold. It comes from denoising and sparse coding (it is the proximal step of an L1 "
            "penalty). Inside the dead band the derivative is 0."
        ),
        family="Others",
        formula="x − t·sign(x) if |x| > t, else 0",
        output_range=(-math.inf, math.inf),
        params={
            "threshold": Param(
                "threshold",
                0.5,
                "half-width of the band that maps to 0",
                minimum=0.0,
                advice=Advice(
                    "with threshold 0 nothing is shrunk: soft_shrink is the identity (no non-linearity)", low=0.0
                ),
            )
        },
        monotonic=True,
    )
)

register(
    Activation(
        name="hard_shrink",
        fn=lambda x, threshold: np.where(np.abs(x) > threshold, x, 0.0),
        dfn=lambda x, threshold: (np.abs(x) > threshold).astype(np.float64),
        guide=(
            "Hard shrinkage sets inputs within ±threshold to 0 and passes all others unchanged, so the "
            "output jumps at ±threshold. It removes small values (noise) while keeping large ones exact."
        ),
        family="Others",
        formula="x if |x| > t, else 0",
        output_range=(-math.inf, math.inf),
        params={
            "threshold": Param(
                "threshold",
                0.5,
                "half-width of the band that maps to 0",
                minimum=0.0,
                advice=Advice(
                    "with threshold 0 nothing is shrunk: hard_shrink is the identity (no non-linearity)", low=0.0
                ),
            )
        },
        monotonic=True,
    )
)


#: x - tanh(x) = x³·(1/3 - 2x²/15 + 17x⁴/315 - …): coefficients of the polynomial in x², highest power first.
_TANH_SHRINK_SERIES = [-21844 / 6081075, 1382 / 155925, -62 / 2835, 17 / 315, -2 / 15, 1 / 3]


def _tanh_shrink(x: np.ndarray) -> np.ndarray:
    # x - tanh(x) ≈ x³/3 cancels for small |x|; there its Taylor series is exact to ~1e-15.
    series = x**3 * np.polyval(_TANH_SHRINK_SERIES, x * x)
    return np.where(np.abs(x) < 0.1, series, x - np.tanh(x))


register(
    Activation(
        name="tanh_shrink",
        fn=_tanh_shrink,
        dfn=lambda x: np.tanh(x) ** 2,
        guide=(
            "x − tanh(x): nearly flat (cubic) around 0 and close to x ∓ 1 for large inputs, so small inputs "
            "are suppressed smoothly. It is rarely used outside sparse-coding experiments; near 0 the "
            "derivative vanishes."
        ),
        family="Others",
        formula="x − tanh(x)",
        output_range=(-math.inf, math.inf),
        monotonic=True,
    )
)
