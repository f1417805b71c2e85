"""CSV tables of response maps (``neuroviz.model.maps.ResponseMaps``): one row per grid point, x fastest.

Pure NumPy, no Qt; written with :func:`neuroviz.model.tables.write_csv` by the window and ``neuroviz export``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def _grid_columns(maps) -> tuple[np.ndarray, np.ndarray]:
    """x and y of every grid point, row by row from the lowest y (the order of ``layers[k][j].ravel()``)."""
    gx, gy = np.meshgrid(maps.xs, maps.ys)
    return gx.ravel(), gy.ravel()


def map_table(maps, k: int, i: int) -> tuple[list[str], list[list[float]]]:
    """(header, rows) of neuron ``i`` of position ``k``: x, y, value."""
    if not 0 <= k < len(maps.layers):
        raise ValueError(f"layer {k} is not in the map (positions 0 to {len(maps.layers) - 1})")
    if not 0 <= i < maps.layers[k].shape[0]:
        raise ValueError(f"layer {k} has {maps.layers[k].shape[0]} neurons, not {i + 1}")
    x, y = _grid_columns(maps)
    values = maps.layers[k][i].ravel()
    header = [maps.axis_names[0], maps.axis_names[1], "value"]
    return header, np.column_stack([x, y, values]).tolist()


def decision_table(maps, output_names: Sequence[str]) -> tuple[list[str], list[list[float]]]:
    """(header, rows) of the output layer: x, y, then each output."""
    outputs = maps.layers[-1]
    x, y = _grid_columns(maps)
    columns = [x, y, *(outputs[j].ravel() for j in range(outputs.shape[0]))]
    header = [maps.axis_names[0], maps.axis_names[1], *output_names]
    return header, np.column_stack(columns).tolist()
