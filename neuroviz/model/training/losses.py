"""Keras' losses with their gradients: the batch's loss and ∂loss/∂prediction, in float64.

Each function takes ``(y_true, y_pred)`` with ``y_pred`` of shape (batch, k) and returns the per-sample losses
(batch,) and, for the batch loss ``mean(per_sample)`` (Keras' "sum over batch size" of the actual batch), its
gradient with respect to ``y_pred``. The cross-entropies work on probabilities (Keras' ``from_logits=False``):
they clip to [1e-7, 1 − 1e-7] like Keras, and a clipped prediction gets gradient 0, as through ``jnp.clip``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

#: Keras' backend.epsilon(), the clipping bound of the cross-entropies.
EPSILON = 1e-7

LossFunction = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def mean_squared_error(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """mean((y − p)², axis=-1); no ½, so the gradient is 2(p − y)/k per sample."""
    difference = y_pred - y_true
    batch, k = y_pred.shape
    return np.add.reduce(difference * difference, -1) / k, difference * (2.0 / (k * batch))


def mean_absolute_error(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    difference = y_pred - y_true
    batch, k = y_pred.shape
    return np.abs(difference).sum(axis=-1) / k, np.sign(difference) / (k * batch)


def binary_crossentropy(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """−(y·log p + (1 − y)·log(1 − p)) of the clipped p, averaged over the outputs."""
    batch, k = y_pred.shape
    clipped = np.clip(y_pred, EPSILON, 1.0 - EPSILON)
    per_value = -(y_true * np.log(clipped) + (1.0 - y_true) * np.log1p(-clipped))
    inside = (y_pred > EPSILON) & (y_pred < 1.0 - EPSILON)
    slope = (clipped - y_true) / (clipped * (1.0 - clipped))
    return per_value.sum(axis=-1) / k, np.where(inside, slope, 0.0) / (k * batch)


def categorical_crossentropy(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """−Σ y·log(p / Σp), with p / Σp clipped (Keras normalises the predictions before clipping)."""
    batch = y_pred.shape[0]
    total = np.sum(y_pred, axis=-1, keepdims=True)
    share = y_pred / total
    clipped = np.clip(share, EPSILON, 1.0 - EPSILON)
    inside = (share > EPSILON) & (share < 1.0 - EPSILON)
    per_sample = -np.sum(y_true * np.log(clipped), axis=-1)
    by_share = np.where(inside, -y_true / clipped, 0.0)
    # share_j = p_j / s: ∂/∂p_i = by_share_i / s − Σ_j by_share_j p_j / s²
    by_pred = (by_share - np.sum(by_share * share, axis=-1, keepdims=True)) / total
    return per_sample, by_pred / batch


def sparse_categorical_crossentropy(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Categorical cross-entropy against class indices (shape (batch,) or (batch, 1))."""
    return categorical_crossentropy(one_hot(y_true, y_pred.shape[-1]), y_pred)


def hinge(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """mean(max(1 − y·p, 0)); labels that are all 0 or 1 count as −1 and +1, as in Keras."""
    batch, k = y_pred.shape
    if np.all((y_true == 0) | (y_true == 1)):
        y_true = 2.0 * y_true - 1.0
    margin = 1.0 - y_true * y_pred
    return np.mean(np.maximum(margin, 0.0), axis=-1), np.where(margin > 0, -y_true, 0.0) / (k * batch)


def one_hot(labels: np.ndarray, classes: int) -> np.ndarray:
    """Rows of 0 with a 1 at each label; labels must be whole numbers in [0, classes)."""
    flat = np.asarray(labels).reshape(-1)
    indices = flat.astype(np.int64)
    if np.any(indices != flat) or np.any(indices < 0) or np.any(indices >= classes):
        raise ValueError(f"sparse labels must be whole numbers from 0 to {classes - 1}, got {flat[:5].tolist()}…")
    out = np.zeros((len(indices), classes))
    out[np.arange(len(indices)), indices] = 1.0
    return out


_LOSSES: dict[str, LossFunction] = {
    "mean_squared_error": mean_squared_error,
    "mse": mean_squared_error,
    "mean_absolute_error": mean_absolute_error,
    "mae": mean_absolute_error,
    "binary_crossentropy": binary_crossentropy,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
    "hinge": hinge,
}


def names() -> list[str]:
    return list(_LOSSES)


def get(name: str) -> LossFunction:
    """The loss called ``name`` (Keras' names and the short mse/mae)."""
    try:
        return _LOSSES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown loss {name!r}; choose one of {', '.join(_LOSSES)}") from None


def is_sparse(name: str) -> bool:
    return get(name) is sparse_categorical_crossentropy


def aligned_targets(name: str, y: np.ndarray, outputs: int) -> np.ndarray:
    """The targets in the shape the loss compares with predictions of ``outputs`` columns, as Keras squeezes
    or expands them (a (N,) target against one output is (N, 1), never broadcast to (N, N))."""
    y = np.asarray(y, dtype=np.float64)
    if is_sparse(name):
        if y.ndim == 2 and y.shape[1] == 1:
            y = y[:, 0]
        if y.ndim != 1:
            raise ValueError(f"sparse_categorical_crossentropy needs one class index per sample, got shape {y.shape}")
        one_hot(y, outputs)  # checks the labels
        return y
    if y.ndim == 1:
        y = y[:, np.newaxis]
    if y.ndim != 2 or y.shape[1] != outputs:
        raise ValueError(f"targets of shape {y.shape} do not fit a network with {outputs} output(s)")
    return y
