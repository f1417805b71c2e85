"""Standardised training without keeping the standardisation: fold it into the first layer.

``neuroviz train --standardize`` (and ``datasets.standardize`` from Python) trains on ``(x − mean) / scale``. Rather
than a second pair of numbers that every user of the file would have to apply, the trained network's first layer
absorbs them, so the saved network takes raw inputs (in every file format, Keras' included).
"""

from __future__ import annotations

import numpy as np

from neuroviz.model.network import Network


def fold_standardization(network: Network, mean: np.ndarray, scale: np.ndarray) -> None:
    """Make a network trained on standardised inputs ``(x − mean) / scale`` work on the raw inputs ``x``.

    The first layer computes ``((x − mean) / scale)·W + b = x·(W / scale) + (b − (mean / scale)·W)``, so it
    gets those weights and biases: the same outputs up to rounding, and no separate numbers to keep with the file.
    """
    mean, scale = np.asarray(mean, dtype=np.float64), np.asarray(scale, dtype=np.float64)
    layer = network.layers[0]
    if mean.shape != (network.n_inputs,) or scale.shape != (network.n_inputs,):
        raise ValueError(f"mean and scale need one number per input ({network.n_inputs})")
    if not (np.isfinite(mean).all() and np.isfinite(scale).all() and (scale > 0).all()):
        raise ValueError("mean and scale must be finite and the scales positive")
    weights = layer.weights / scale[:, np.newaxis]
    layer.biases = layer.biases - (mean / scale) @ layer.weights
    layer.weights = weights
