"""The Trainer's inner loop for one network and one batch size: each layer's forward and backward pass written
into arrays made once, so that a batch costs only its NumPy operations.

At TensorFlow Playground's sizes (a few neurons, batches of 10) NumPy's fixed cost per call, 1–4 µs on the
reference machine, is most of the work: what counts is how many calls a batch makes and that none of them
allocates. The arithmetic is the one of :func:`backprop.forward` and :func:`backprop.backward`, operation for
operation and in the same order, so the gradients are the same to the bit (tests/model/test_training_batch_plan.py
checks it for every activation). Playground's four activations (linear, relu, tanh, sigmoid) get their own few
operations; every other one goes through the general code of :mod:`backprop`.

The caller sets ``np.errstate`` and runs the forward pass, the loss, then the backward pass of the same batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from neuroviz.model import activations
from neuroviz.model.training import backprop, losses

if TYPE_CHECKING:
    from neuroviz.model.network import Layer


def kind_of(layer: Layer) -> str:
    """How :class:`LayerStep` computes the layer: "linear", "tanh", "sigmoid", "relu" (Keras' plain relu) or
    "general"."""
    if layer.activation in ("linear", "tanh", "sigmoid"):
        return layer.activation
    return "relu" if backprop.is_plain_relu(layer) else "general"


class LayerStep:
    """One dense layer's forward and backward pass for batches of ``batch`` rows.

    ``weights``, ``biases`` are the layer's arrays (views into the Trainer's parameter vector, so they follow its
    updates); the gradients go into the given arrays. A NaN pre-activation of a plain relu gets slope 0 here
    (NaN in :mod:`backprop`): it never matters, as it makes the loss NaN and the Trainer stops before the backward
    pass.
    """

    __slots__ = (
        "alpha_grad",
        "bias_grad",
        "biases",
        "by_input",
        "delta",
        "first",
        "function",
        "inputs",
        "kind",
        "layer",
        "mask",
        "scratch",
        "slope",
        "value",
        "weight_grad",
        "weights",
        "weights_t",
        "z",
    )

    def __init__(
        self,
        layer: Layer,
        function: activations.Activation,
        grads: tuple[np.ndarray, np.ndarray, np.ndarray | None],
        batch: int,
        first: bool,
    ) -> None:
        self.layer, self.function, self.kind = layer, function, kind_of(layer)
        # biases as a row: adding a (1, units) row to the batch is quicker than broadcasting a (units,) vector
        self.weights, self.weights_t, self.biases = layer.weights, layer.weights.T, layer.biases.reshape(1, -1)
        self.weight_grad, self.bias_grad, self.alpha_grad = grads
        self.first = first
        fan_in, units = layer.weights.shape
        self.inputs = np.empty((0, fan_in))  # the last batch's inputs
        self.z = np.empty((batch, units))
        self.value: np.ndarray = np.empty((batch, units))
        self.slope: np.ndarray | None = None
        self.scratch = np.empty((batch, units))
        self.mask = np.empty((batch, units), dtype=bool)
        self.delta = np.empty((batch, units))
        self.by_input = np.empty((batch, fan_in))

    def forward(self, a: np.ndarray) -> np.ndarray:
        """The layer's output for inputs ``a`` (kept for the backward pass).

        Outputs are passed by position (``np.tanh(z, out)``): NumPy parses that quicker than ``out=``."""
        self.inputs = a
        z = np.dot(a, self.weights, self.z)  # np.dot: the same BLAS product as @, with less overhead per call
        np.add(z, self.biases, z)
        kind = self.kind
        if kind == "tanh":
            return np.tanh(z, self.value)
        if kind == "relu":
            np.greater(z, 0.0, self.mask)
            return np.maximum(z, 0.0, out=self.value)  # (np.maximum alone wants out= by name)
        if kind == "linear":
            return z
        layer = self.layer
        if kind == "sigmoid" or layer.activation in backprop.VJP:  # their slope comes from the value
            self.value = self.function.fn(z, **layer.params)
        else:
            self.value, self.slope = self.function._evaluate(z, layer.params)
        return self.value

    def backward(self, v: np.ndarray) -> np.ndarray | None:
        """Write the gradients from ``v`` = ∂loss/∂(the layer's output); return ∂loss/∂(its inputs) (None for the
        first layer, whose inputs are the data)."""
        kind = self.kind
        if kind == "tanh":  # v · (1 − value²), as backprop.SLOPE_FROM_VALUE
            slope = np.multiply(self.value, self.value, self.scratch)
            np.subtract(1.0, slope, slope)
            delta = np.multiply(v, slope, self.delta)
        elif kind == "relu":
            delta = np.multiply(v, self.mask, self.delta)
        elif kind == "linear":
            delta = v
        elif kind == "sigmoid":  # v · value(1 − value)
            slope = np.subtract(1.0, self.value, self.scratch)
            np.multiply(self.value, slope, slope)
            delta = np.multiply(v, slope, self.delta)
        else:
            delta = backprop.vjp(self.layer, self.z, self.value, self.slope, v)
        np.dot(self.inputs.T, delta, self.weight_grad)
        np.add.reduce(delta, 0, None, self.bias_grad)  # delta.sum(axis=0) without its Python wrapper
        if self.alpha_grad is not None:
            by_alpha = (v * np.minimum(self.z, 0.0)).sum(axis=0)
            self.alpha_grad[...] = by_alpha if self.alpha_grad.shape else by_alpha.sum()
        if self.first:
            return None
        return np.dot(delta, self.weights_t, self.by_input)


class MeanSquaredError:
    """:func:`losses.mean_squared_error` and the batch mean of its per-sample losses, into arrays made once."""

    def __init__(self, batch: int, outputs: int) -> None:
        self.difference = np.empty((batch, outputs))
        self.square = np.empty((batch, outputs))
        self.per_sample = np.empty(batch)
        self.by_output = np.empty((batch, outputs))
        self.scale = 2.0 / (outputs * batch)
        self.outputs = outputs

    def __call__(self, y_true: np.ndarray, y_pred: np.ndarray) -> tuple[float, np.ndarray]:
        difference = np.subtract(y_pred, y_true, self.difference)
        square = np.multiply(difference, difference, self.square)
        if self.outputs == 1:  # a sum over one value and a division by 1 change nothing
            total = np.add.reduce(square, None)
        else:
            per_sample = np.add.reduce(square, 1, None, self.per_sample)
            total = np.add.reduce(np.divide(per_sample, self.outputs, per_sample), None)
        return float(total) / len(square), np.multiply(difference, self.scale, self.by_output)


class GeneralLoss:
    """Any loss of :mod:`losses` as ``(batch mean, ∂loss/∂prediction)``."""

    def __init__(self, function: losses.LossFunction) -> None:
        self.function = function

    def __call__(self, y_true: np.ndarray, y_pred: np.ndarray) -> tuple[float, np.ndarray]:
        per_sample, by_output = self.function(y_true, y_pred)
        return float(np.add.reduce(per_sample, None)) / len(per_sample), by_output


class BatchPlan:
    """Every layer's :class:`LayerStep` and the loss for batches of one size."""

    def __init__(
        self,
        layers: Sequence[Layer],
        functions: Sequence[activations.Activation],
        grads: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray | None]],
        loss: losses.LossFunction,
        batch: int,
    ) -> None:
        self.steps = [
            LayerStep(layer, function, layer_grads, batch, index == 0)
            for index, (layer, function, layer_grads) in enumerate(zip(layers, functions, grads, strict=True))
        ]
        self._backwards = self.steps[::-1]
        outputs = layers[-1].output_size
        #: (y_true, y_pred) -> (the batch's mean loss, ∂loss/∂y_pred), as the loss function and a mean of it
        self.loss = MeanSquaredError(batch, outputs) if loss is losses.mean_squared_error else GeneralLoss(loss)

    def forward(self, x: np.ndarray) -> np.ndarray:
        """The network's output for the batch ``x`` (an array of the plan's, valid until the next batch)."""
        for step in self.steps:
            x = step.forward(x)
        return x

    def backward(self, by_output: np.ndarray) -> None:
        """Write every layer's gradients for ∂loss/∂(output) ``by_output`` of the last forward batch."""
        v: np.ndarray | None = by_output
        for step in self._backwards:
            v = step.backward(v)  # type: ignore[arg-type]
