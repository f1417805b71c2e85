"""Making a network fit a data set: Playground's feature toggles as the network's inputs, and the one edit that gives
a network the inputs and outputs a data set needs (what the Training dock offers when they do not match).

Both change the network in place; the window applies them to the copy of an undoable edit. Pure NumPy: no Qt here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from neuroviz.model import initializers
from neuroviz.model.datasets import FEATURES, REGRESSION, Dataset

#: Slider ranges of the features of a point in Playground's plane [-6, 6]².
FEATURE_RANGES = {
    "x1": (-6.0, 6.0),
    "x2": (-6.0, 6.0),
    "x1^2": (0.0, 36.0),
    "x2^2": (0.0, 36.0),
    "x1*x2": (-36.0, 36.0),
    "sin(x1)": (-1.0, 1.0),
    "sin(x2)": (-1.0, 1.0),
}


def read_features(network) -> tuple[str, ...]:
    """The Playground features the network reads: its ``input_features``, or (x1, x2) for two plain inputs named
    so; () when its inputs are something else."""
    if network.input_features is not None:
        return tuple(network.input_features)
    if list(network.input_names) == ["x1", "x2"]:
        return FEATURES[:2]
    return ()


def set_features(network, names: Sequence[str], seed: int = 0) -> None:
    """Feed the network Playground's features ``names`` (put in Playground's order): an input that stays keeps
    its weights, value and range; a new one gets glorot_uniform weights from ``seed`` and the feature's range."""
    chosen = [name for name in FEATURES if name in names]
    if not chosen:
        raise ValueError("choose at least one input feature")
    old = read_features(network)
    first = network.layers[0]
    fresh = initializers.initialize("glorot_uniform", (len(chosen), first.units), np.random.default_rng(seed))
    weights, values, ranges = [], [], []
    for row, name in enumerate(chosen):
        if name in old:
            i = old.index(name)
            weights.append(first.weights[i])
            values.append(float(network.input_values[i]))
            ranges.append(tuple(network.input_ranges[i]))
        else:
            weights.append(fresh[row])
            values.append(0.0)
            ranges.append(FEATURE_RANGES[name])
    first.weights = np.array(weights, dtype=np.float64).reshape(len(chosen), first.units)
    network.input_names = list(chosen)
    network.input_values = np.array(values, dtype=np.float64)
    network.input_ranges = ranges
    network.input_features = tuple(chosen)


def fit_to_data(network, data: Dataset, features: Sequence[str] = FEATURES[:2], seed: int = 0) -> None:
    """Give the network the inputs and outputs ``data`` needs: Playground's ``features`` for a 2-D set (else one
    input per column, named as the columns); one sigmoid output for two classes, one softmax output per class for
    more, one linear output for a regression. Hidden layers stay as they are."""
    if data.feature_names == FEATURES[:2]:
        set_features(network, features or FEATURES[:2], seed)
    elif network.n_inputs != data.x.shape[1] or network.input_features is not None:
        network.resize_layer(0, data.x.shape[1], seed)
        network.input_features = None
        network.input_names = list(data.feature_names)
        low, high = data.x.min(axis=0), data.x.max(axis=0)
        network.input_ranges = [
            (float(a), float(b) if b > a else float(a) + 1.0) for a, b in zip(low, high, strict=True)
        ]
        network.input_values = np.clip(network.input_values, low, np.maximum(high, low + 1.0))
    last = len(network.layers)
    if data.kind == REGRESSION:
        units, activation = 1, "linear"
    elif data.n_classes == 2:
        units, activation = 1, "sigmoid"
    else:
        units, activation = data.n_classes, "softmax"
    if network.layers[-1].units != units:
        network.resize_layer(last, units, seed)
    if network.layers[-1].activation != activation:
        network.set_activation(last, activation)
