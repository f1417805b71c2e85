"""Keras' ``metrics=["accuracy"]``: which accuracy it means depends on the shapes (compile_utils.get_metric).

One departure: for one output with −1/+1 labels (Playground's tanh output) Keras' binary accuracy, output > 0.5
equal to the label, never counts a −1 row right, so the accuracy there is the share with the label's sign ("sign"),
which is how Playground classifies."""

from __future__ import annotations

import numpy as np


def accuracy_kind(sparse_targets: bool, outputs: int, signed_labels: bool = False) -> str:
    """ "binary" for one output ("sign" when its labels are −1/+1), "sparse" for class indices against several
    outputs, else "categorical"."""
    if outputs == 1:
        return "sign" if signed_labels else "binary"
    return "sparse" if sparse_targets else "categorical"


def correct(kind: str, y_true: np.ndarray, y_pred: np.ndarray) -> int:
    """How many samples the prediction gets right (binary: y == (p > 0.5), strict as in Keras; one output)."""
    if kind == "binary":
        return int(np.count_nonzero(y_true == (y_pred > 0.5)))
    if kind == "sign":
        return int(np.count_nonzero((y_true > 0) == (y_pred > 0)))
    if kind == "sparse":
        return int(np.count_nonzero(np.reshape(y_true, -1) == y_pred.argmax(axis=-1)))
    return int(np.count_nonzero(y_true.argmax(axis=-1) == y_pred.argmax(axis=-1)))


def signed_labels(y: np.ndarray) -> bool:
    """Whether targets are −1/+1 labels (at least one −1): what a tanh output is trained on."""
    y = np.asarray(y)
    return y.size > 0 and bool(np.isin(y, (-1.0, 1.0)).all()) and bool((y < 0).any())


#: What each kind of accuracy counts, for a tooltip or a command's note.
MEANING = {
    "binary": "the share of rows where output > 0.5 equals the 0/1 label (Keras' binary accuracy)",
    "sign": "the share of rows whose output has the label's sign (−1/+1 labels; Keras' binary accuracy, "
    "output > 0.5, would never count a −1 row)",
    "sparse": "the share of rows where the largest output is the labelled class (Keras' sparse categorical accuracy)",
    "categorical": "the share of rows where the largest output is the one-hot label's class "
    "(Keras' categorical accuracy)",
}
