"""What ``set_structure`` and ``set_values`` are given, checked and flattened: bad input is a ValueError that says
what is wrong and where, before anything is drawn."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from neuroviz.views.colors import DivergingColorMap
from neuroviz.views.network_view.style import NAN, NEG_INF, NORMAL, POS_INF


@dataclass
class Frame:
    """The last values given to set_values, flattened over columns."""

    values: np.ndarray  # (N,) all neurons
    status: np.ndarray  # (N,) int8, with non-finite values forced to their codes
    edges: list[np.ndarray]  # per pair of columns; empty list = draw no links
    biases: np.ndarray  # (N - sizes[0],)
    value_limit: float = 1.0
    edge_limit: float = 1.0
    bias_limit: float = 1.0

    def neuron_rows(self, cmap: DivergingColorMap) -> np.ndarray:
        """Colour-table row of every neuron: NaN its own colour, ±inf the end colours."""
        rows = cmap.indices(self.values, self.value_limit)
        rows[self.status == NAN] = cmap.INVALID
        rows[self.status == POS_INF] = cmap.STEPS - 1
        rows[self.status == NEG_INF] = 0
        return rows


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    """Same float64 values bit for bit (so NaN equals NaN): ~40x faster than ``array_equal(equal_nan=True)``."""
    if a.shape != b.shape:
        return False
    as_int = (np.ascontiguousarray(x, dtype=np.float64).view(np.int64) for x in (a, b))
    return np.array_equal(*as_int)


def header_tooltips(headers: list[str], tooltips: Sequence[str] | None) -> list[str]:
    """The tooltips given, checked; by default each header on one line."""
    if tooltips is None:
        return [" · ".join(line for line in header.split("\n") if line) for header in headers]
    return check_texts(tooltips, len(headers), "tooltips")


def check_max_edges(count: int) -> int:
    if isinstance(count, bool) or not isinstance(count, int | np.integer) or count < 1:
        raise ValueError(f"max_edges must be a positive integer, got {count!r}")
    return int(count)


def check_sizes(sizes: Sequence[int]) -> list[int]:
    try:
        items = list(sizes)
    except TypeError:
        raise ValueError(f"set_structure: sizes must be a sequence of integers, got {sizes!r}") from None
    if not items:
        raise ValueError("set_structure: sizes is empty; a network has at least one column")
    for k, s in enumerate(items):
        if isinstance(s, bool) or not isinstance(s, int | np.integer) or s < 1:
            raise ValueError(f"set_structure: sizes[{k}] must be a positive integer, got {s!r}")
    return [int(s) for s in items]


def check_texts(texts: Sequence[str], count: int, what: str) -> list[str]:
    if isinstance(texts, str):
        raise ValueError(f"{what} must be a sequence of strings, one per column, not one string")
    items = list(texts)
    if len(items) != count:
        raise ValueError(f"got {len(items)} {what} for {count} columns")
    for k, h in enumerate(items):
        if not isinstance(h, str):
            raise ValueError(f"{what}[{k}] must be a string, got {h!r}")
    return items


def check_frame(sizes: list[int], values, edges, biases, status, value_limit, edge_limit, bias_limit) -> Frame:
    """set_values' arguments checked against ``sizes`` and flattened; a ValueError says what is wrong."""
    if not sizes:
        raise ValueError("set_values: call set_structure first, the view has no columns yet")
    limits = {}
    for name, limit in (
        ("value_limit", value_limit),
        ("edge_limit", edge_limit),
        ("bias_limit", bias_limit),
    ):
        try:
            limits[name] = float(limit)
        except (TypeError, ValueError):
            raise ValueError(f"set_values: {name} must be a number, got {limit!r}") from None
        if not (math.isfinite(limits[name]) and limits[name] > 0):
            raise ValueError(f"set_values: {name} must be finite and > 0, got {limit!r}")
    pairs = len(sizes) - 1
    for name, seq, expected in (
        ("values", values, len(sizes)),
        ("edges", edges, pairs),
        ("biases", biases, pairs),
        ("status", status, len(sizes)),
    ):
        try:
            length = len(seq)
        except TypeError:
            raise ValueError(f"set_values: {name} must be a sequence of arrays, got {seq!r}") from None
        if length != expected:
            raise ValueError(f"set_values: {name} has {length} arrays, expected {expected} for sizes {sizes}")
    vals = [as_array("values", k, v, (sizes[k],)) for k, v in enumerate(values)]
    edge_arrays = [as_array("edges", k, e, (sizes[k], sizes[k + 1])) for k, e in enumerate(edges)]
    bias_arrays = [as_array("biases", k, b, (sizes[k + 1],)) for k, b in enumerate(biases)]
    codes = []
    for k, s in enumerate(status):
        a = np.asarray(s)
        if a.shape != (sizes[k],):
            raise ValueError(f"set_values: status[{k}] has shape {a.shape}, expected ({sizes[k]},)")
        if a.size and (a.dtype.kind not in "iu" or a.min() < NORMAL or a.max() > NEG_INF):
            raise ValueError(f"set_values: status[{k}] must hold integer codes 0..5, got {a!r}")
        codes.append(a.astype(np.int8))
    flat = np.concatenate(vals)
    code = np.concatenate(codes)
    code[np.isnan(flat)] = NAN
    code[flat == np.inf] = POS_INF
    code[flat == -np.inf] = NEG_INF
    bias_flat = np.concatenate(bias_arrays) if bias_arrays else np.zeros(0)
    return Frame(flat, code, edge_arrays, bias_flat, *limits.values())


def as_array(name: str, k: int, value, shape: tuple[int, ...]) -> np.ndarray:
    try:
        a = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"set_values: {name}[{k}] is not an array of numbers") from None
    if a.shape != shape:
        raise ValueError(f"set_values: {name}[{k}] has shape {a.shape}, expected {shape}")
    return a
