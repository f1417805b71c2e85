"""Response maps: what every neuron outputs over a plane of two inputs, in one batched forward pass.

TensorFlow Playground draws such a picture inside each neuron; here any two inputs of any network can span the
plane, the other inputs held at their current values. When the network is fed by Playground's input features
(``Network.input_features``: x1, x2, x1², x2², x1·x2, sin x1, sin x2) the plane is Playground's (x1, x2) and every
input is computed from the point, as Playground does.

The values are ``Network.forward`` of the grid points themselves (a batch equals its rows bit for bit), so a map
never disagrees with what the network view shows when the inputs sit on a grid point. Per neuron, the share of the
plane where it is dead (output 0 and gradient 0) or saturated tells "dead for every input shown" apart from "dead
here". Pure NumPy: no Qt.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from neuroviz.model import datasets
from neuroviz.model.network import Network
from neuroviz.model.picture import SATURATION_THRESHOLD, visible_outputs

__all__ = [
    "DEAD_EVERYWHERE",
    "MAX_RESOLUTION",
    "MIN_RESOLUTION",
    "PLANE_RANGE",
    "ResponseMaps",
    "auto_resolution",
    "plane_inputs",
    "plane_point",
    "plane_ranges",
    "response_maps",
]

#: Playground's plane: both axes from −6 to 6 (used when x1 or x2 is not an input of its own to take a range from).
PLANE_RANGE = (-6.0, 6.0)
MIN_RESOLUTION = 10
MAX_RESOLUTION = 400
#: A neuron whose dead share is this is dead for every input on the map.
DEAD_EVERYWHERE = 1.0
#: Work allowed for one map pass, in multiply-adds plus ~20 operations per neuron value, summed over the grid
#: points. On the reference machine (2 cores, quiet) 16 × 256 took 142.5 ms at 23 × 23 (5.7e8 of this work), so
#: this budget is about 70 ms: 16 × 256 gets 16 × 16 by itself (its recompute and draw within 100 ms), 8 × 64
#: gets 84 × 84, and Playground-sized networks keep 100 × 100.
WORK_BUDGET = 2.8e8
#: Bytes allowed for the values and derivatives kept (two float64 per neuron and grid point).
MEMORY_BUDGET = 256 * 2**20
_OPERATIONS_PER_VALUE = 20


@dataclass(frozen=True)
class ResponseMaps:
    """Every neuron's value over a grid of two inputs.

    ``layers[k][j, iy, ix]`` is neuron j of position k (0 = the input layer, as in ``Propagation``) at the point
    (``xs[ix]``, ``ys[iy]``): row 0 is the lowest y, so an image of it is drawn flipped. ``derivatives`` has the same
    shapes (1 for inputs). ``dead_fraction[k]`` / ``saturated_fraction[k]`` are per neuron shares of the grid points
    where it is dead (a = 0 and f′ = 0) / saturated (|f′| < picture.SATURATION_THRESHOLD and not dead).
    """

    plane: bool
    axes: tuple[int, int]
    axis_names: tuple[str, str]
    xs: np.ndarray
    ys: np.ndarray
    point: tuple[float, float]
    layers: list[np.ndarray]
    derivatives: list[np.ndarray]
    dead_fraction: list[np.ndarray]
    saturated_fraction: list[np.ndarray]

    @property
    def resolution(self) -> int:
        """Grid points along each axis."""
        return int(self.xs.size)

    def dead_everywhere(self, k: int) -> np.ndarray:
        """Per neuron of position k: True where it is dead at every grid point."""
        return self.dead_fraction[k] >= DEAD_EVERYWHERE


def response_maps(
    network: Network,
    axes: Sequence[int] = (0, 1),
    resolution: int = 100,
    ranges: Sequence[tuple[float, float]] | None = None,
    point_hint: tuple[float, float] | None = None,
) -> ResponseMaps:
    """Each neuron's value over a ``resolution`` × ``resolution`` grid of inputs ``axes`` (x, y).

    ``ranges`` defaults to the two inputs' slider ranges. For a network fed by Playground's features the axes are
    the plane's x1 and x2 whatever ``axes`` says, with the x1/x2 inputs' ranges or PLANE_RANGE. ``point_hint`` is
    the plane point the inputs were last set from (kept by the window), used when it reproduces the inputs.
    """
    resolution = _checked_resolution(resolution)
    plane = network.input_features is not None
    if plane:
        axes = (0, 1)
        names = ("x1", "x2")
        low_high = ranges if ranges is not None else plane_ranges(network)
        point = plane_point(network, point_hint)
    else:
        axes = _checked_axes(network, axes)
        names = (network.input_names[axes[0]], network.input_names[axes[1]])
        low_high = ranges if ranges is not None else [tuple(network.input_ranges[a]) for a in axes]
        point = (float(network.input_values[axes[0]]), float(network.input_values[axes[1]]))
    xs, ys = (_axis_values(r, resolution, name) for r, name in zip(_checked_ranges(low_high), "xy", strict=True))
    if plane:

        def inputs_of(px: np.ndarray, py: np.ndarray) -> np.ndarray:
            return plane_inputs(network, px, py)
    else:

        def inputs_of(px: np.ndarray, py: np.ndarray) -> np.ndarray:
            inputs = np.tile(network.input_values, (px.size, 1))
            inputs[:, axes[0]], inputs[:, axes[1]] = px, py
            return inputs

    grid = _Grid(network, xs, ys, inputs_of)
    first, *others = np.array_split(np.arange(resolution), _bands(network, resolution))
    try:
        helpers = [_pool().submit(grid.fill, band) for band in others]
    except RuntimeError:  # the interpreter is shutting down its thread pools: fill the bands here
        helpers = []
        for band in others:
            grid.fill(band)
    grid.fill(first)  # this thread fills a band itself rather than wait idle (no hand-over on a busy machine)
    for helper in helpers:
        helper.result()
    points = float(resolution * resolution)
    return ResponseMaps(
        plane=plane,
        axes=(int(axes[0]), int(axes[1])),
        axis_names=names,
        xs=xs,
        ys=ys,
        point=point,
        layers=grid.values,
        derivatives=grid.slopes,
        dead_fraction=[count / points for count in grid.dead],
        saturated_fraction=[count / points for count in grid.saturated],
    )


class _Grid:
    """The maps being filled, one band of grid rows at a time (bands run in parallel threads: NumPy releases the
    GIL, and a batch equals its rows bit for bit, so the bands give exactly the values of one pass)."""

    def __init__(self, network: Network, xs: np.ndarray, ys: np.ndarray, inputs_of) -> None:
        self.network, self.xs, self.ys, self.inputs_of = network, xs, ys, inputs_of
        res = xs.size
        units = [network.n_inputs] + [layer.output_size for layer in network.layers]
        self.values = [np.empty((u, res, res)) for u in units]
        self.slopes = [np.empty((u, res, res)) for u in units]
        self.dead = [np.zeros(u) for u in units]
        self.saturated = [np.zeros(u) for u in units]
        self._lock = threading.Lock()

    def fill(self, rows: np.ndarray) -> None:
        if rows.size == 0:
            return
        grid_x, grid_y = np.meshgrid(self.xs, self.ys[rows])
        propagation = self.network.forward(self.inputs_of(grid_x.ravel(), grid_y.ravel()))
        band = slice(int(rows[0]), int(rows[-1]) + 1)
        shape = (rows.size, self.xs.size)
        for k, (a, d) in enumerate(zip(propagation.activations, propagation.derivatives, strict=True)):
            if k > 0:
                d = visible_outputs(self.network.layers[k - 1], d)
            values, slopes = self.values[k][:, band, :], self.slopes[k][:, band, :]
            values[...] = a.T.reshape(-1, *shape)
            slopes[...] = d.T.reshape(-1, *shape)
            # Counted on the neuron-major copies (each neuron's band is one contiguous run: ~4× faster than counting
            # down the columns of a and d). picture.neuron_status's rule without building the codes: dead (a = 0
            # and f' = 0) wins over saturated (|f'| below the threshold, f' finite), a non-finite value is neither.
            dead, saturated = _dead_and_saturated(
                values.reshape(values.shape[0], -1), slopes.reshape(values.shape[0], -1)
            )
            with self._lock:
                self.dead[k] += dead
                self.saturated[k] += saturated


def _dead_and_saturated(a: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row (neuron) of values ``a`` and derivatives ``d``: how many points are dead (a = 0 and f' = 0) and how
    many saturated (|f'| below the threshold, not dead, a finite). The passes that cannot find anything are skipped:
    most layers have no exact zero and no infinity."""
    small = np.abs(d) < SATURATION_THRESHOLD
    if not small.any():  # dead needs f' = 0, saturated |f'| small
        none = np.zeros(a.shape[0], dtype=np.intp)
        return none, none
    if (a == 0).any():
        dead = (a == 0) & (d == 0)
        small &= ~dead
        dead_counts = np.count_nonzero(dead, axis=1)
    else:
        dead_counts = np.zeros(a.shape[0], dtype=np.intp)
    with np.errstate(over="ignore", invalid="ignore"):  # finite values near the largest float may sum to ±∞
        total = np.add.reduce(a, axis=None)
    if not math.isfinite(total):  # a finite sum: every value is finite (one pass); else look at each
        small &= np.isfinite(a)
    return dead_counts, np.count_nonzero(small, axis=1)


def _bands(network: Network, resolution: int) -> int:
    """Two bands (one per core) when the pass is big enough to be worth a thread, else one."""
    neurons = network.n_inputs + sum(layer.output_size for layer in network.layers)
    return 2 if resolution * resolution * neurons >= 20_000 and resolution >= 2 else 1


@functools.cache
def _pool() -> ThreadPoolExecutor:
    """The helper thread that fills the second band while the calling thread fills the first."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="neuroviz-maps")


def plane_inputs(network: Network, x1, x2) -> np.ndarray:
    """The network's input values at plane point(s) (x1, x2): its features, (n, inputs) or (inputs,) for one."""
    if network.input_features is None:
        raise ValueError("this network's inputs are not Playground features of a plane (no input_features)")
    single = np.ndim(x1) == 0 and np.ndim(x2) == 0
    values = datasets.features(network.input_features, x1, x2)
    return values[0] if single else values


def plane_point(network: Network, hint: tuple[float, float] | None = None) -> tuple[float, float]:
    """The plane point the inputs show: ``hint`` if its features are the inputs, else the x1/x2 inputs (else 0)."""
    features = network.input_features
    if features is None:
        raise ValueError("this network's inputs are not Playground features of a plane (no input_features)")
    if hint is not None and np.array_equal(plane_inputs(network, *hint), network.input_values):
        return (float(hint[0]), float(hint[1]))
    values = network.input_values
    return tuple(float(values[features.index(n)]) if n in features else 0.0 for n in ("x1", "x2"))  # type: ignore[return-value]


def auto_resolution(network: Network, wanted: int = 100) -> int:
    """The largest resolution up to ``wanted`` whose map pass fits WORK_BUDGET and MEMORY_BUDGET."""
    wanted = _checked_resolution(wanted)
    neurons = network.n_inputs + sum(layer.output_size for layer in network.layers)
    multiply_adds = sum(layer.weights.size for layer in network.layers)
    work_per_point = multiply_adds + _OPERATIONS_PER_VALUE * neurons
    points = min(WORK_BUDGET / work_per_point, MEMORY_BUDGET / (16 * neurons))
    return int(max(MIN_RESOLUTION, min(wanted, np.floor(np.sqrt(points)))))


# -- checks and helpers ----------------------------------------------------------------------------------------
def _checked_resolution(resolution) -> int:
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)):
        raise ValueError(f"resolution must be a whole number, got {resolution!r}")
    if not MIN_RESOLUTION <= resolution <= MAX_RESOLUTION:
        raise ValueError(f"resolution must be {MIN_RESOLUTION} to {MAX_RESOLUTION}, got {resolution}")
    return int(resolution)


def _checked_axes(network: Network, axes: Sequence[int]) -> tuple[int, int]:
    if network.n_inputs < 2:
        raise ValueError(f"a map needs two inputs to span its plane; this network has {network.n_inputs}")
    try:
        x, y = (int(a) for a in axes if not isinstance(a, bool) and int(a) == a)
    except (TypeError, ValueError):
        raise ValueError(f"axes must be two input indices, got {axes!r}") from None
    for a in (x, y):
        if not 0 <= a < network.n_inputs:
            raise ValueError(f"axes: input {a} does not exist (inputs are 0 to {network.n_inputs - 1})")
    if x == y:
        raise ValueError(f"axes must be two different inputs, got input {x} twice")
    return x, y


def _checked_ranges(ranges: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    pairs = [tuple(float(v) for v in r) for r in ranges]
    if len(pairs) != 2 or any(len(p) != 2 for p in pairs):
        raise ValueError(f"ranges must be two (low, high) pairs, got {ranges!r}")
    for (low, high), name in zip(pairs, "xy", strict=True):
        if not (np.isfinite(low) and np.isfinite(high) and low < high):
            raise ValueError(f"the {name} range must be finite with low < high, got ({low:g}, {high:g})")
    return pairs  # type: ignore[return-value]


def _axis_values(low_high: tuple[float, float], resolution: int, name: str) -> np.ndarray:
    values = np.linspace(low_high[0], low_high[1], resolution)
    if np.unique(values).size != resolution:
        raise ValueError(f"the {name} range ({low_high[0]:g}, {low_high[1]:g}) is too narrow for {resolution} steps")
    return values


def plane_ranges(network: Network) -> list[tuple[float, float]]:
    """The plane's (x1, x2) ranges: those of the x1 and x2 inputs where the network reads them, else PLANE_RANGE."""
    features = network.input_features or ()
    return [
        tuple(network.input_ranges[features.index(n)]) if n in features else PLANE_RANGE  # type: ignore[misc]
        for n in ("x1", "x2")
    ]
