"""Keras' ``metrics=["accuracy"]``: which accuracy it means depends on the shapes (compile_utils.get_metric)."""

from __future__ import annotations

import numpy as np


def accuracy_kind(sparse_targets: bool, outputs: int) -> str:
    """ "binary" for one output, "sparse" for class indices against several outputs, else "categorical"."""
    if outputs == 1:
        return "binary"
    return "sparse" if sparse_targets else "categorical"


def correct(kind: str, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """1.0 per sample whose prediction is right, else 0.0 (binary: y == (p > 0.5), strict as in Keras)."""
    if kind == "binary":
        return (y_true == (y_pred > 0.5)).sum(axis=-1) / y_pred.shape[-1]
    if kind == "sparse":
        return (np.reshape(y_true, -1) == np.argmax(y_pred, axis=-1)).astype(np.float64)
    return (np.argmax(y_true, axis=-1) == np.argmax(y_pred, axis=-1)).astype(np.float64)
