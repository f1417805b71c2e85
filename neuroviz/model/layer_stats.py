"""What each layer does over a data set while a network trains: dead neurons and the spread of its activations.

The training views plot these per epoch: the share of training points on which ReLU-like neurons are dead (a = 0
and f' = 0, :func:`neuroviz.model.picture.neuron_status`'s rule) shows dying ReLUs under a large learning rate;
the mean and standard deviation of a layer's activations show SELU keeping them near 0 and 1 where sigmoid does not.

Pure NumPy: no Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: At most this many rows are propagated for the statistics (the first ones: a large CSV stays cheap per epoch).
MAX_ROWS = 2000
#: Pre-activations the probe for a dead region tries (an activation "can die" if it is 0 with slope 0 somewhere).
_PROBE = np.linspace(-20.0, 20.0, 401)


@dataclass(frozen=True)
class LayerStatistics:
    """Per layer position 1…L (index 0 = the first layer after the inputs).

    ``dead_share[k]``: the share of (point, neuron) pairs where the neuron is dead; ``dead_neurons[k]``: the
    share of each neuron's points where it is dead; ``dead_everywhere[k]``: how many neurons are dead on every
    point; ``can_die[k]``: whether the layer's activation has a dead region at all (relu, relu6, threshold, …);
    ``mean[k]``, ``std[k]``: the mean and standard deviation of the layer's activations over points and neurons.
    """

    dead_share: np.ndarray
    dead_neurons: list[np.ndarray]
    dead_everywhere: np.ndarray
    can_die: tuple[bool, ...]
    mean: np.ndarray
    std: np.ndarray
    rows: int


def layer_statistics(network, x: np.ndarray) -> LayerStatistics:
    """The statistics of ``network``'s layers over the rows of ``x`` (at most :data:`MAX_ROWS` of them)."""
    x = np.asarray(x, dtype=np.float64)[:MAX_ROWS]
    with np.errstate(all="ignore"):
        propagation = network.forward(x)
    dead_share, dead_neurons, everywhere, means, stds = [], [], [], [], []
    for a, d in zip(propagation.activations[1:], propagation.derivatives[1:], strict=True):
        dead = (a == 0) & (d == 0) if a.shape == d.shape else np.zeros(a.shape, dtype=bool)  # glu halves a
        per_neuron = dead.mean(axis=0)
        dead_neurons.append(per_neuron)
        dead_share.append(float(dead.mean()))
        everywhere.append(int(np.count_nonzero(per_neuron == 1.0)))
        finite = a[np.isfinite(a)]
        with np.errstate(over="ignore", invalid="ignore"):  # values near the largest float sum to ±∞: said so
            means.append(float(finite.mean()) if finite.size else np.nan)
            stds.append(float(finite.std()) if finite.size else np.nan)
    can_die = tuple(_can_die(layer) for layer in network.layers)
    return LayerStatistics(
        np.array(dead_share), dead_neurons, np.array(everywhere), can_die, np.array(means), np.array(stds), len(x)
    )


#: _can_die's answers by activation, formula, units and parameter values (asked every epoch, the same each time)
_CAN_DIE: dict[tuple, bool] = {}
_CAN_DIE_KEPT = 256


def _can_die(layer) -> bool:
    """Whether the layer's activation is 0 with slope 0 for some pre-activation (a neuron there learns nothing).
    Probed once per activation, formula, width and parameter values: probing cost 0.2 ms a layer every epoch."""
    key = (layer.activation, layer.formula, layer.units, _values_key(layer.params))
    answer = _CAN_DIE.get(key)
    if answer is None:
        if len(_CAN_DIE) >= _CAN_DIE_KEPT:
            _CAN_DIE.clear()
        answer = _CAN_DIE[key] = _probe_can_die(layer)
    return answer


def _values_key(params) -> tuple:
    """The parameters as a hashable key: numbers as they are, arrays and lists (PReLU's slopes) by shape and bytes."""
    return tuple((name, _hashable(value)) for name, value in sorted(params.items()))


def _hashable(value):
    if isinstance(value, np.ndarray | list | tuple):
        array = np.asarray(value)
        return (array.dtype.str, array.shape, array.tobytes())
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _probe_can_die(layer) -> bool:
    z = np.repeat(_PROBE[:, np.newaxis], layer.units, axis=1)
    try:
        function = layer.function
        with np.errstate(all="ignore"):
            values = np.asarray(function(z, **layer.params))
            slopes = np.asarray(function.derivative(z, **layer.params))
    except (ValueError, TypeError):
        return False
    if values.shape != slopes.shape:
        return False
    return bool(np.any((values == 0) & (slopes == 0)))
