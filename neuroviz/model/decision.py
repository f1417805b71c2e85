"""What the output map shows, computed from the output layer's maps: pure NumPy, no Qt.

- One output: its values around the activation's middle (``output_scale``): tanh-like outputs around 0 on ±1,
  sigmoid-like ones around 0.5 on ±0.5, others around 0 on a 1-2-5 limit that covers the values (and the targets
  of a regression data set), so a regression's points and the map share one colour scale.
- Several outputs: the winning output per grid point and how sure it is (``class_strength``): 0 at chance (1/k),
  1 when one output takes everything. Outputs that are not probabilities (no softmax) are read through a softmax.
"""

from __future__ import annotations

import numpy as np

from neuroviz.model.picture import nice_limit

#: Activations whose outputs run from −1 to 1, and from 0 to 1.
SYMMETRIC_UNIT = frozenset({"tanh", "softsign", "hard_tanh"})
ZERO_ONE = frozenset({"sigmoid", "hard_sigmoid", "sparse_sigmoid"})
#: Layer-wide activations whose outputs already sum to 1.
PROBABILITIES = frozenset({"softmax", "sparsemax"})


def output_scale(activation: str, values: np.ndarray, targets: np.ndarray | None = None) -> tuple[float, float]:
    """(centre, half width) of the one-output map's colour scale."""
    if activation in SYMMETRIC_UNIT:
        return 0.0, 1.0
    if activation in ZERO_ONE:
        return 0.5, 0.5
    arrays = [np.asarray(values)] + ([np.asarray(targets)] if targets is not None else [])
    return 0.0, nice_limit(arrays)


def class_strength(outputs: np.ndarray, activation: str) -> tuple[np.ndarray, np.ndarray]:
    """(winner, strength) per grid point of ``outputs`` (outputs × rows × columns).

    NaN anywhere in a point's outputs gives strength NaN there (drawn in the non-finite colour).
    """
    outputs = np.asarray(outputs, dtype=np.float64)
    count = outputs.shape[0]
    bad = ~np.isfinite(outputs).all(axis=0)
    clean = np.where(np.isfinite(outputs), outputs, 0.0)
    winner = np.argmax(clean, axis=0)
    if activation in PROBABILITIES:
        probabilities = clean
    else:  # the largest output becomes 0: an output near −1.8e308 below it overflows to −inf, exp(−inf) = 0
        with np.errstate(over="ignore", invalid="ignore"):
            shifted = clean - clean.max(axis=0, keepdims=True)
        exp = np.exp(shifted)
        probabilities = exp / exp.sum(axis=0, keepdims=True)
    best = np.take_along_axis(probabilities, winner[None], axis=0)[0]
    strength = (best - 1.0 / count) / (1.0 - 1.0 / count)
    strength[bad] = np.nan
    return winner, np.clip(strength, 0.0, 1.0)
