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

    The layer's weights and biases are one ``block`` (fan_in + 1, units): the weights' rows, then the biases' row
    (views into the Trainer's parameter vector, so they follow its updates), and its inputs come with a column of
    ones, so that z = [a 1]·[W; b] is one product and ∂loss/∂[W; b] = [a 1]ᵀ·δ another, written into
    ``grad_block``. A layer that feeds another writes its output into the next one's input array (its ``output``,
    whose last column stays 1). A NaN pre-activation of a plain relu gets slope 0 here (NaN in :mod:`backprop`): it
    never matters, as it makes the loss NaN and the Trainer stops before the backward pass.
    """

    __slots__ = (
        "alpha_grad",
        "block",
        "by_input",
        "delta",
        "first",
        "function",
        "grad_block",
        "inputs",
        "kind",
        "last",
        "last_delta",
        "layer",
        "mask",
        "output",
        "scratch",
        "slope",
        "value",
        "weights_t",
        "z",
    )

    def __init__(
        self,
        layer: Layer,
        function: activations.Activation,
        blocks: tuple[np.ndarray, np.ndarray, np.ndarray | None],
        batch: int,
        first: bool,
        last: bool,
    ) -> None:
        self.layer, self.function, self.kind = layer, function, kind_of(layer)
        self.block, self.grad_block, self.alpha_grad = blocks
        self.weights_t = self.block[:-1].T
        self.first, self.last = first, last
        fan_in, units = layer.weights.shape
        self.inputs = np.empty((0, fan_in + 1))  # the last batch's inputs, with their column of ones
        self.z = np.empty((batch, units))
        #: the next layer's inputs: this layer's outputs and a column of ones (None for the output layer)
        outputs = layer.output_size  # glu gives half as many outputs as it has units
        self.output = None if last else np.ones((batch, outputs + 1))
        self.value: np.ndarray = np.empty((batch, outputs)) if last else self.output[:, :outputs]
        self.slope: np.ndarray | None = None
        self.scratch = np.empty((batch, units))
        self.mask = np.empty((batch, units), dtype=bool)
        self.delta = np.empty((batch, units))
        #: ∂loss/∂z of the last backward pass (the array ``delta``, or ``v`` itself for a linear layer)
        self.last_delta = self.delta
        self.by_input = np.empty((batch, fan_in))

    def forward(self, a: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """The layer's output for inputs ``a`` with their column of ones (kept for the backward pass): the next
        layer's inputs, or, for the last layer, the network's output (written into ``out`` when given).

        Outputs are passed by position (``np.tanh(z, out)``): NumPy parses that quicker than ``out=``."""
        self.inputs = a
        z = np.dot(a, self.block, self.z)  # np.dot: the same BLAS product as @, with less overhead per call
        if self.last:
            if out is None:
                out = np.empty(z.shape if self.kind != "general" else (len(z), self.layer.output_size))
            self.value = out
        kind = self.kind
        if kind == "tanh":
            np.tanh(z, self.value)
        elif kind == "relu":
            np.greater(z, 0.0, self.mask)
            np.maximum(z, 0.0, out=self.value)  # (np.maximum alone wants out= by name)
        elif kind == "linear":
            np.copyto(self.value, z)
        else:
            layer = self.layer
            if kind == "sigmoid" or layer.activation in backprop.VJP:  # their slope comes from the value
                value = self.function.fn(z, **layer.params)
            else:
                value, self.slope = self.function._evaluate(z, layer.params)
            np.copyto(self.value, value)
        return self.value if self.last else self.output  # type: ignore[return-value]

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
        self.last_delta = delta
        np.dot(self.inputs.T, delta, self.grad_block)  # ∂loss/∂W and, from the ones, ∂loss/∂b = Σ δ
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
    """Every layer's :class:`LayerStep` and the loss for batches of one size.

    ``blocks[k]`` is layer k's (parameters, their gradient, its PReLU slopes' gradient or None): the parameters
    [W; b] as one (fan_in + 1, units) array, as :func:`backprop.stacked` makes them (see :class:`LayerStep`).
    """

    def __init__(
        self,
        layers: Sequence[Layer],
        functions: Sequence[activations.Activation],
        blocks: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray | None]],
        loss: losses.LossFunction,
        batch: int,
    ) -> None:
        last = len(layers) - 1
        self.steps = [
            LayerStep(layer, function, layer_blocks, batch, index == 0, index == last)
            for index, (layer, function, layer_blocks) in enumerate(zip(layers, functions, blocks, strict=True))
        ]
        self._backwards = self.steps[::-1]
        outputs = layers[-1].output_size
        #: (y_true, y_pred) -> (the batch's mean loss, ∂loss/∂y_pred), as the loss function and a mean of it
        self.loss = MeanSquaredError(batch, outputs) if loss is losses.mean_squared_error else GeneralLoss(loss)

    def forward(self, x: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """The network's output for the batch ``x`` given with a last column of ones (:func:`backprop.with_ones`),
        written into ``out`` (batch, outputs) when given, else into a new array."""
        *hidden, last = self.steps
        for step in hidden:
            x = step.forward(x)
        return last.forward(x, out)

    def backward(self, by_output: np.ndarray) -> None:
        """Write every layer's gradients for ∂loss/∂(output) ``by_output`` of the last forward batch."""
        v: np.ndarray | None = by_output
        for step in self._backwards:
            v = step.backward(v)  # type: ignore[arg-type]
