"""Keras' ``metrics=["accuracy"]``: which accuracy it means depends on the shapes (compile_utils.get_metric)."""

from __future__ import annotations

import numpy as np


def accuracy_kind(sparse_targets: bool, outputs: int) -> str:
    """ "binary" for one output, "sparse" for class indices against several outputs, else "categorical"."""
    if outputs == 1:
        return "binary"
    return "sparse" if sparse_targets else "categorical"


def correct(kind: str, y_true: np.ndarray, y_pred: np.ndarray) -> int:
    """How many samples the prediction gets right (binary: y == (p > 0.5), strict as in Keras; one output)."""
    if kind == "binary":
        return int(np.count_nonzero(y_true == (y_pred > 0.5)))
    if kind == "sparse":
        return int(np.count_nonzero(np.reshape(y_true, -1) == y_pred.argmax(axis=-1)))
    return int(np.count_nonzero(y_true.argmax(axis=-1) == y_pred.argmax(axis=-1)))
