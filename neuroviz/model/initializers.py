"""Weight initializers with the names and semantics of ``keras.initializers`` (Keras 3).

A learner who reads "SELU wants lecun_normal" must get the same distribution here as in Keras:

- ``glorot_uniform`` (Keras Dense's default), ``he_uniform``, ``lecun_uniform``: uniform on
  [-limit, limit] with ``limit = sqrt(3 * scale / fan)``.
- ``glorot_normal``, ``he_normal``, ``lecun_normal``: a normal truncated at two standard deviations (values
  beyond are redrawn) whose stddev is ``sqrt(scale / fan) / 0.87962566103423978``, so that the *truncated*
  distribution has the variance ``scale / fan`` the theory asks for.
- glorot: ``scale = 1``, ``fan = (fan_in + fan_out) / 2``; he: ``scale = 2``, ``fan = fan_in``;
  lecun: ``scale = 1``, ``fan = fan_in``.
- ``random_uniform`` on [-0.05, 0.05], ``random_normal`` with mean 0 and stddev 0.05, ``zeros``, ``ones``.

For a weight matrix of shape (inputs, units), ``fan_in`` = inputs and ``fan_out`` = units; for a bias vector
both are its length (as Keras computes them). Every random draw goes through ``np.random.default_rng(seed)``,
so the same seed always gives the same numbers.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable

import numpy as np

__all__ = ["TRUNCATION_CORRECTION", "check_name", "fans", "initialize", "names"]

#: Stddev of a unit normal truncated to [-2, 2]; dividing by it restores the wanted variance after truncation.
TRUNCATION_CORRECTION = 0.87962566103423978

Seed = int | np.random.Generator | None
Shape = tuple[int, ...]


def fans(shape: Shape) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight tensor, computed as Keras does."""
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


def _truncated_normal(rng: np.random.Generator, shape: Shape, stddev: float) -> np.ndarray:
    """Normal samples with |z| ≤ 2 standard deviations; the others are redrawn (as Keras does)."""
    values = rng.standard_normal(shape)
    outside = np.abs(values) > 2.0
    while np.any(outside):
        values[outside] = rng.standard_normal(int(np.count_nonzero(outside)))
        outside = np.abs(values) > 2.0
    return values * stddev


def _variance_scaling(scale: float, mode: str, distribution: str) -> Callable[[np.random.Generator, Shape], np.ndarray]:
    def draw(rng: np.random.Generator, shape: Shape) -> np.ndarray:
        fan_in, fan_out = fans(shape)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[mode]
        variance = scale / max(1.0, fan)
        if distribution == "uniform":
            limit = math.sqrt(3.0 * variance)
            return rng.uniform(-limit, limit, shape)
        return _truncated_normal(rng, shape, math.sqrt(variance) / TRUNCATION_CORRECTION)

    return draw


_INITIALIZERS: dict[str, Callable[[np.random.Generator, Shape], np.ndarray]] = {
    "glorot_uniform": _variance_scaling(1.0, "fan_avg", "uniform"),
    "glorot_normal": _variance_scaling(1.0, "fan_avg", "truncated_normal"),
    "he_uniform": _variance_scaling(2.0, "fan_in", "uniform"),
    "he_normal": _variance_scaling(2.0, "fan_in", "truncated_normal"),
    "lecun_uniform": _variance_scaling(1.0, "fan_in", "uniform"),
    "lecun_normal": _variance_scaling(1.0, "fan_in", "truncated_normal"),
    "random_uniform": lambda rng, shape: rng.uniform(-0.05, 0.05, shape),
    "random_normal": lambda rng, shape: rng.normal(0.0, 0.05, shape),
    "zeros": lambda rng, shape: np.zeros(shape),
    "ones": lambda rng, shape: np.ones(shape),
}


def names() -> list[str]:
    """Every initializer name, in the order a menu shows them (Keras Dense's default first)."""
    return list(_INITIALIZERS)


def check_name(name: str) -> str:
    """Return ``name`` if it is an initializer, else raise ValueError suggesting close matches."""
    if isinstance(name, str) and name in _INITIALIZERS:
        return name
    close = difflib.get_close_matches(str(name).strip().lower(), list(_INITIALIZERS), n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise ValueError(f"unknown initializer {name!r}{hint} (known: {', '.join(_INITIALIZERS)})")


def initialize(name: str, shape: Shape, seed: Seed = 0) -> np.ndarray:
    """A float64 array of ``shape`` drawn by initializer ``name``; ``seed`` is an int or a Generator."""
    draw = _INITIALIZERS[check_name(name)]
    shape = tuple(int(n) for n in shape)
    if any(n < 0 for n in shape):
        raise ValueError(f"initializer shape must not be negative, got {shape}")
    rng = np.random.default_rng(seed)
    return np.asarray(draw(rng, shape), dtype=np.float64)
