"""What the views should show, computed from a Network and its Propagation.

The views are dumb: they draw arrays. The choices of *which* arrays (neuron status marks, colour limits, the edge
values in weight or signal mode, the range of the activation plot) are made here, in pure NumPy, so they are tested
without a screen and shared by the window and the command-line exporter.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from neuroviz.model import activations
from neuroviz.model.network import Layer, Network, Propagation

# Status codes drawn on neurons (NetworkView.set_values documents the same numbers).
NORMAL, DEAD, SATURATED, NAN, POS_INF, NEG_INF = 0, 1, 2, 3, 4, 5
#: |f'(z)| below this counts as saturated: the gradient has all but vanished.
SATURATION_THRESHOLD = 1e-3
#: Activations whose output layer reads as probabilities.
PROBABILITY_ACTIVATIONS = frozenset({"softmax", "sparsemax"})


def visible_outputs(layer: Layer, values: np.ndarray) -> np.ndarray:
    """A layer's per-neuron array as drawn: GLU shows the first half (its k outputs) of 2k pre-activations."""
    if values.shape[-1] != layer.output_size:
        return values[..., : layer.output_size]
    return values


def neuron_status(activation: np.ndarray, derivative: np.ndarray) -> np.ndarray:
    """Status code per neuron: NaN/±inf first, then dead (a = 0 and f' = 0), then saturated (|f'| < 1e-3)."""
    a = np.asarray(activation, dtype=np.float64)
    d = np.asarray(derivative, dtype=np.float64)
    status = np.zeros(a.shape, dtype=np.int8)
    finite_d = np.abs(np.nan_to_num(d, nan=1.0, posinf=1.0, neginf=1.0))
    status[finite_d < SATURATION_THRESHOLD] = SATURATED
    status[(a == 0) & (d == 0)] = DEAD
    status[np.isnan(a)] = NAN
    status[a == np.inf] = POS_INF
    status[a == -np.inf] = NEG_INF
    return status


def nice_limit(arrays: Sequence[np.ndarray], floor: float = 1e-6) -> float:
    """The smallest 1-2-5 step at or above the largest finite |value|, so colours stay stable while values move."""
    finite = [np.abs(a[np.isfinite(a)]) for a in arrays if np.size(a)]
    largest = max((float(f.max()) for f in finite if f.size), default=0.0)
    largest = max(largest, floor)
    exponent = math.floor(math.log10(largest))
    for step in (1.0, 2.0, 5.0, 10.0):
        limit = step * 10.0**exponent
        if limit >= largest * (1 - 1e-12):
            return min(limit, sys.float_info.max)  # 2e308 would overflow to inf: the largest float covers it
    return min(10.0 ** (exponent + 1), sys.float_info.max)


@dataclass(frozen=True)
class NetworkPicture:
    """Everything NetworkView.set_values needs, for one propagation."""

    values: list[np.ndarray]
    edges: list[np.ndarray]
    biases: list[np.ndarray]
    status: list[np.ndarray]
    value_limit: float
    edge_limit: float
    bias_limit: float


def network_picture(
    net: Network, prop: Propagation, edge_mode: str = "weight", edge_gradients: Sequence[np.ndarray] | None = None
) -> NetworkPicture:
    """The arrays drawn for one sample. ``edge_mode`` is "weight" (w), "signal" (w × source activation) or
    "gradient" (∂L/∂w over the training data, given per layer as ``edge_gradients``)."""
    if edge_mode not in ("weight", "signal", "gradient"):
        raise ValueError(f"edge_mode must be 'weight', 'signal' or 'gradient', got {edge_mode!r}")
    if edge_mode == "gradient" and (edge_gradients is None or len(edge_gradients) != len(net.layers)):
        raise ValueError("edge_mode 'gradient' needs one gradient array per layer")
    values = [np.asarray(prop.activations[0], dtype=np.float64)]
    status = [neuron_status(values[0], np.ones_like(values[0]))]
    edges, biases = [], []
    for k, layer in enumerate(net.layers, start=1):
        a = visible_outputs(layer, prop.activations[k])
        d = visible_outputs(layer, prop.derivatives[k])
        values.append(a)
        status.append(neuron_status(a, d))
        w = visible_outputs(layer, layer.weights if edge_mode != "gradient" else edge_gradients[k - 1])
        if edge_mode == "signal":
            with np.errstate(all="ignore"):
                w = w * values[k - 1][:, None]
        edges.append(w)
        biases.append(visible_outputs(layer, layer.biases))
    return NetworkPicture(
        values=values,
        edges=edges,
        biases=biases,
        status=status,
        value_limit=nice_limit(values),
        edge_limit=nice_limit(edges),
        bias_limit=nice_limit(biases),
    )


#: With more columns than this, headers are compacted so they fit above narrow columns.
COMPACT_HEADER_COLUMNS = 8
#: Custom formulas longer than this are shortened in headers (the tooltip has them whole).
HEADER_FORMULA_CHARS = 40


def layer_header(net: Network, k: int) -> str:
    """Column title: name on the first line, size and activation on the second.

    Deep networks have narrow columns: there the first line is the layer number (or "in"/"out") and the size,
    e.g. ``1 · 24`` over ``relu``, so name, size and activation are still on every column;
    :func:`layer_tooltip` gives the full name and parameters.
    """
    compact = len(net.layers) + 1 > COMPACT_HEADER_COLUMNS
    if k == 0:
        return f"in · {net.n_inputs}" if compact else f"input\n{net.n_inputs}"
    layer = net.layers[k - 1]
    if compact:
        title = "out" if k == len(net.layers) else str(k)
        return f"{title} · {layer.output_size}\n{layer.activation}"
    return f"{layer.name}\n{layer.output_size} · {activation_label(layer)}"


def layer_headers(net: Network) -> list[str]:
    """Every column's title, input first."""
    return [layer_header(net, k) for k in range(len(net.sizes))]


def layer_tooltip(net: Network, k: int) -> str:
    """What a column's header says in full, for its tooltip: ``hidden 1 · 24 neurons · relu(negative_slope=0.1)``."""
    if k == 0:
        count = net.n_inputs
        return f"input · {count} input{'s' if count != 1 else ''}"
    layer = net.layers[k - 1]
    count = layer.output_size
    activation = activation_label(layer, max_chars=None)
    return f"{layer.name} · {count} neuron{'s' if count != 1 else ''} · {activation}"


def layer_tooltips(net: Network) -> list[str]:
    """Every column's tooltip, input first."""
    return [layer_tooltip(net, k) for k in range(len(net.sizes))]


def activation_label(layer: Layer, max_chars: int | None = HEADER_FORMULA_CHARS) -> str:
    """``relu(negative_slope=0.1)``: the activation with the parameters that differ from Keras's defaults.

    A custom layer shows its formula, e.g. ``x * sigmoid(beta * x)``, shortened to ``max_chars`` (None: whole).
    """
    if layer.formula is not None:
        if max_chars is None or len(layer.formula) <= max_chars:
            return layer.formula
        return layer.formula[: max_chars - 1] + "…"
    act = layer.function
    changed = []
    for pname, value in layer.params.items():
        spec = act.params.get(pname)
        if spec is None or not spec.ui:
            continue
        if np.ndim(value) > 0:
            changed.append(f"{pname}=[…]")
        elif value != spec.default:
            changed.append(f"{pname}={_short(value)}")
    return f"{layer.activation}({', '.join(changed)})" if changed else layer.activation


def _short(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def curve_range(pre_activations: np.ndarray, minimum_half_width: float = 4.0) -> tuple[float, float]:
    """x range of the activation plot: covers every neuron's z with a margin, and at least ±4 around zero."""
    z = np.asarray(pre_activations, dtype=np.float64)
    z = z[np.isfinite(z)]
    lo = min(float(z.min()) if z.size else 0.0, -minimum_half_width)
    hi = max(float(z.max()) if z.size else 0.0, minimum_half_width)
    margin = 0.1 * (hi - lo)
    lo, hi = lo - margin, hi + margin
    # keep the plot usable if a neuron sits at 1e300: clip to a range float64 sampling can resolve
    return max(lo, -1e6), min(hi, 1e6)


@dataclass(frozen=True)
class ActivationCurve:
    """Samples of f and f' for the activation plot, and each neuron's point on them."""

    x: np.ndarray
    f: np.ndarray
    df: np.ndarray
    z: np.ndarray
    a: np.ndarray
    dz: np.ndarray
    title: str


def activation_curve(
    net: Network,
    prop: Propagation,
    k: int,
    neuron: int | None = None,
    samples: int = 401,
    also: np.ndarray | None = None,
) -> ActivationCurve:
    """The curve of layer k's activation over the range its pre-activations (and ``also``, e.g. probed z) span.

    Elementwise activations give one curve shared by all neurons. Layer-wide ones (softmax…) have a curve per
    neuron: we sweep ``neuron``'s own pre-activation with the others held at their current values, which is what
    the points of that neuron move along.
    """
    layer = net.layers[k - 1]
    act = layer.function
    z = np.asarray(prop.pre_activations[k], dtype=np.float64)
    lo, hi = curve_range(z if also is None else np.concatenate([z.ravel(), np.ravel(also)]))
    x = np.linspace(lo, hi, samples)
    params = layer.params
    if act.elementwise:
        per_neuron = {name: v for name, v in params.items() if np.ndim(v) > 0}
        if per_neuron:  # prelu with one slope per neuron: draw the selected neuron's curve
            j = neuron or 0
            params = {**params, **{name: float(v[j]) for name, v in per_neuron.items()}}
        f, df = act(x, **params), act.derivative(x, **params)
        title = f"{layer.name} · {activation_label(layer)}"
        return ActivationCurve(x, f, df, z, prop.activations[k], prop.derivatives[k], title)
    j = 0 if neuron is None else int(neuron)
    out_j = j % layer.output_size
    batch = np.repeat(z[None, :], samples, axis=0)
    batch[:, j] = x
    f = act(batch, **params)[:, out_j]
    d = act.derivative(batch, **params)[:, j]
    title = f"{layer.name} · {activation_label(layer)} · neuron {j + 1} (others fixed)"
    # only this neuron sits on this curve; the others move along curves of their own
    a_j = np.asarray(prop.activations[k], dtype=np.float64)[out_j : out_j + 1]
    return ActivationCurve(x, f, d, z[j : j + 1], a_j, np.asarray(prop.derivatives[k])[j : j + 1], title)


#: What a layer-wide activation gives on a layer of one neuron, whatever its input.
ONE_NEURON_CONSTANTS = {"softmax": "1", "sparsemax": "1", "log_softmax": "0"}


def param_warnings(net: Network, k: int) -> dict[str, str]:
    """Layer k's parameters whose values do not do what the activation is for: name → reason (see
    :func:`neuroviz.model.activations.param_warning`). Keras allows them; the layer card marks them."""
    layer = net.layers[k - 1]
    if layer.formula is not None:
        return {}
    return activations.param_warnings(layer.activation, layer.params)


def layer_notes(net: Network, k: int) -> tuple[str, ...]:
    """Warnings about layer k as a whole, for its card: a layer-wide activation over one neuron is a constant."""
    layer = net.layers[k - 1]
    notes = []
    constant = ONE_NEURON_CONSTANTS.get(layer.activation)
    if constant is not None and layer.output_size == 1:
        what = f"{layer.activation} over one neuron is always {constant}"
        if k == len(net.layers):
            notes.append(f"{what} — use sigmoid for a binary output")
        else:
            notes.append(f"{what}, so this layer passes nothing on — give it more neurons or another activation")
    return tuple(notes)
