"""``network.gradients``: the exact gradients of a loss for a batch, computed by the Trainer's own BatchPlan.

The plan is kept for the two networks asked last (weakly: it goes with the network) for the next call with the
same layers and batch size, and the parameters are copied into it at each call, so edits and training between
calls are always seen. What the window shows (the inspector's ∂L/∂z, Edges Show Gradients) is therefore what
training uses, to the bit.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from neuroviz.model.training import losses
from neuroviz.model.training.backprop import (
    Gradients,
    alpha_gradient_array,
    general_gradients,
    penalty,
    regularizer_gradient,
)
from neuroviz.model.training.batch_plan import BatchPlan

if TYPE_CHECKING:
    from neuroviz.model.network import Layer, Network


def gradients(network: Network, x: Any, y: Any, loss: str = "mean_squared_error", regularize: bool = True) -> Gradients:
    """∂loss/∂(every parameter) of ``network`` for inputs ``x`` (n_inputs,) or (batch, n_inputs) and targets
    ``y``; the loss is the batch mean (Keras' reduction) plus, with ``regularize``, the kernel penalties.

    Computed by the Trainer's own :class:`~neuroviz.model.training.batch_plan.BatchPlan` (kept per network for
    the next call with the same layers and batch size), so what the window shows is what training uses, to the bit.
    """
    layers = network.layers
    x = np.asarray(x, dtype=np.float64)
    if x.ndim < 2:
        x = x.reshape(1, -1)
    if x.ndim != 2 or x.shape[1] != network.n_inputs:
        raise ValueError(f"gradients: expected inputs of shape (batch, {network.n_inputs}), got {x.shape}")
    loss_function = losses.get(loss)
    outputs = network.n_outputs
    y = np.asarray(y, dtype=np.float64)
    if x.shape[0] == 1 and y.ndim == 1 and (len(y) == outputs != 1 and not losses.is_sparse(loss)):
        y = y[np.newaxis]
    targets = losses.aligned_targets(loss, y, outputs)
    if len(targets) != len(x):
        raise ValueError(f"gradients: {len(x)} input rows but {len(targets)} targets")
    plan = _plan_for(network, len(x), loss_function)
    with np.errstate(all="ignore"):
        result = plan.gradients(layers, x, targets)
        if result is None:  # the loss is NaN: maybe a NaN pre-activation, whose relu slope is NaN the general way
            result = general_gradients(layers, x, targets, loss_function)
    if regularize:
        result.loss += penalty(layers)
        for layer, grad in zip(layers, result.weights, strict=True):
            if layer.kernel_regularizer is not None:
                grad += regularizer_gradient(layer)
    return result


class _GradientPlan:
    """A BatchPlan for one network's layers and batch size, on copies of their parameters made at each call."""

    def __init__(self, layers: Sequence[Layer], batch: int, loss: losses.LossFunction) -> None:
        self.signature = _structure(layers)
        self.batch, self.loss = batch, loss
        #: per layer ([W; b], its gradient, the PReLU slopes' gradient or None), as BatchPlan takes them
        self.blocks = []
        for layer in layers:
            block = np.empty((layer.weights.shape[0] + 1, layer.weights.shape[1]))
            self.blocks.append((block, np.empty_like(block), alpha_gradient_array(layer)))
        self.inputs = np.ones((batch, layers[0].weights.shape[0] + 1))
        self.plan = BatchPlan(layers, [layer.function for layer in layers], self.blocks, loss, batch)

    def fits(self, layers: Sequence[Layer], batch: int, loss: losses.LossFunction) -> bool:
        return batch == self.batch and loss is self.loss and _structure(layers) == self.signature

    def gradients(self, layers: Sequence[Layer], x: np.ndarray, targets: np.ndarray) -> Gradients | None:
        """The gradients (without penalties), or None when the loss is NaN. The caller sets ``np.errstate``."""
        for layer, (block, _, _) in zip(layers, self.blocks, strict=True):
            block[:-1] = layer.weights
            block[-1] = layer.biases
        self.inputs[:, :-1] = x
        mean, by_output = self.plan.loss(targets, self.plan.forward(self.inputs))
        if math.isnan(mean):
            return None
        self.plan.backward(by_output)
        params = [
            {} if alpha is None else {"alpha": alpha.copy() if alpha.shape else float(alpha)}
            for *_, alpha in self.blocks
        ]
        return Gradients(
            [grad[:-1].copy() for _, grad, _ in self.blocks],
            [grad[-1].copy() for _, grad, _ in self.blocks],
            [step.last_delta.copy() for step in self.plan.steps],
            params,
            mean,
        )


#: The plans of the networks asked last, most recent first: a window asks for its current network each frame, and a
#: plan holds arrays of the batch's size for every layer (megabytes for a wide network over many rows), so the
#: networks of older undo steps keep none.
_KEPT = 2
_recent: list[tuple[weakref.ref, _GradientPlan]] = []


def _plan_for(network: Network, batch: int, loss: losses.LossFunction) -> _GradientPlan:
    for index, (ref, plan) in enumerate(_recent):
        if ref() is network:
            del _recent[index]
            if plan.fits(network.layers, batch, loss):
                _recent.insert(0, (ref, plan))
                return plan
            break
    plan = _GradientPlan(network.layers, batch, loss)
    _recent.insert(0, (weakref.ref(network), plan))
    _recent[:] = [(ref, kept) for ref, kept in _recent if ref() is not None][:_KEPT]
    return plan


def _structure(layers: Sequence[Layer]) -> list[tuple[Any, ...]]:
    """What a plan is built for: the layers, their shapes, activations and parameters (a new dict is a change)."""
    return [(layer, layer.weights.shape, layer.activation, layer.params, layer.formula) for layer in layers]
