"""Trainer: Keras' ``compile`` + ``fit`` for a neuroviz Network, in float64 and in slices a live view can drive.

``Trainer(network, optimizer, loss).fit(x, y, …)`` trains as Keras' ``model.fit`` does (batches in order or
freshly shuffled each epoch, the last partial batch its own step, ``history["loss"]`` the batch-size-weighted
mean of each batch's loss before its update, regularization included, ``validation_split`` the last samples,
validation after each epoch). :meth:`Trainer.start` then :meth:`Trainer.step` / :meth:`Trainer.epoch` do the same
a few batches at a time and report a :class:`Progress` (loss so far, per-layer gradient norms, counters).

Every weight, bias and PReLU slope of the network lives in one float64 vector while a Trainer trains it (the
layers' arrays are views into it), so the optimizer updates all layers with a few NumPy operations.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from neuroviz.model.network import Layer, Network
from neuroviz.model.training import backprop, losses, metrics, optimizers
from neuroviz.model.training.batch_plan import BatchPlan


class TrainingDiverged(ArithmeticError):
    """A step made the loss or a weight infinite or NaN; the network keeps its weights from before that step."""

    def __init__(self, epoch: int, batch: int, what: str) -> None:
        super().__init__(
            f"training diverged in epoch {epoch}, batch {batch}: {what}; the weights are kept as before it"
        )
        self.epoch = epoch
        self.batch = batch
        #: what the slice trained before the failing batch (its finished epochs count): set by Trainer.step
        self.progress: Progress | None = None


@dataclass
class History:
    """What Keras' ``fit`` returns: ``history`` maps "loss", "accuracy" (and "val_loss", "val_accuracy") to one
    value per epoch; ``epoch`` holds the epochs' numbers (0-based, as Keras')."""

    history: dict[str, list[float]] = field(default_factory=dict)
    epoch: list[int] = field(default_factory=list)

    def add(self, epoch: int, record: dict[str, float]) -> None:
        self.epoch.append(epoch)
        for key, value in record.items():
            self.history.setdefault(key, []).append(value)


@dataclass(frozen=True)
class Progress:
    """Where training stands after a slice, for a live view.

    ``epoch`` counts finished epochs; ``batch`` is the number of batches done in the current epoch (0 right
    after an epoch finished) of ``batches_per_epoch``. ``loss`` and ``accuracy`` are the current epoch's
    running means (the finished epoch's values when ``batch`` is 0). ``gradient_norms[k]`` is ‖∂loss/∂W‖ of
    layer k in the last batch. ``finished_epochs`` holds the records of epochs this slice finished, and, when the
    Trainer tracks them (``track_gradient_norms``), ``epoch_gradient_norms`` each one's mean over its batches of
    every layer's ‖∂loss/∂W‖. ``batches`` is how many batches this slice trained.
    """

    epoch: int
    batch: int
    batches_per_epoch: int
    loss: float
    accuracy: float
    gradient_norms: tuple[float, ...]
    finished_epochs: tuple[dict[str, float], ...] = ()
    epoch_gradient_norms: tuple[np.ndarray, ...] = ()
    batches: int = 0


class _Binding:
    """The network's parameters as views into one flat vector, with its gradient and regularization vectors."""

    def __init__(self, layers: list[Layer]) -> None:
        sizes = []
        for layer in layers:
            sizes += [layer.weights.size, layer.biases.size]
            sizes.append(max(1, np.size(layer.params["alpha"])) if layer.activation == "prelu" else 0)
        self.values = np.empty(sum(sizes))
        self.gradient = np.zeros_like(self.values)
        self.l1 = np.zeros_like(self.values)
        self.l2 = np.zeros_like(self.values)
        #: each layer's ∂loss/∂W, flat (a view of ``gradient``)
        self.weight_grads: list[np.ndarray] = []
        #: per layer (its [W; b] block, the block's gradient, its PReLU slopes' gradient or None): BatchPlan's
        self.blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray | None]] = []
        self.alphas: list[tuple[Layer, np.ndarray, bool]] = []
        #: the PReLU slopes as last given to each prelu layer: another object there means someone set new ones
        self.published: dict[int, Any] = {}
        start = 0
        for index, layer in enumerate(layers):
            n_weights, n_biases, n_alpha = sizes[3 * index : 3 * index + 3]
            shape = layer.weights.shape
            block_shape = (shape[0] + 1, shape[1])
            block = self.values[start : start + n_weights + n_biases].reshape(block_shape)
            grad_block = self.gradient[start : start + n_weights + n_biases].reshape(block_shape)
            weights = self.values[start : start + n_weights].reshape(shape)
            weights[...] = layer.weights
            self.weight_grads.append(self.gradient[start : start + n_weights])
            if layer.kernel_regularizer is not None:
                self.l1[start : start + n_weights] = layer.kernel_regularizer["l1"]
                self.l2[start : start + n_weights] = layer.kernel_regularizer["l2"]
            start += n_weights
            biases = self.values[start : start + n_biases]
            biases[...] = layer.biases
            start += n_biases
            layer.weights, layer.biases = weights, biases
            if n_alpha:
                alpha = np.asarray(layer.params["alpha"], dtype=np.float64)
                slot = self.values[start : start + n_alpha].reshape(alpha.shape)
                slot[...] = alpha
                alpha_grad = self.gradient[start : start + n_alpha].reshape(alpha.shape)
                self.alphas.append((layer, slot, alpha.ndim == 0))
                self.published[id(layer)] = layer.params["alpha"]
                start += n_alpha
            else:
                alpha_grad = None
            self.blocks.append((block, grad_block, alpha_grad))
        self.regularized = bool(self.l1.any() or self.l2.any())
        self.signature = self._signature(layers)
        #: the values before the last update, to undo it when it diverged
        self.saved = np.empty_like(self.values)
        self._layers = list(layers)
        self._plans: dict[int, BatchPlan] = {}

    def plan(self, batch: int, functions: list, loss: losses.LossFunction) -> BatchPlan:
        """The BatchPlan for batches of ``batch`` rows (made on first use: a fit has at most two sizes)."""
        plan = self._plans.get(batch)
        if plan is None:
            plan = self._plans[batch] = BatchPlan(self._layers, functions, self.blocks, loss, batch)
        return plan

    @staticmethod
    def _signature(layers: list[Layer]) -> list[tuple[Any, ...]]:
        return [
            (
                layer,
                layer.weights,
                layer.biases,
                layer.activation,
                layer.kernel_regularizer,
                layer.params,
                layer.formula,
            )
            for layer in layers
        ]

    def fits(self, layers: list[Layer]) -> bool:
        """Whether the layers are still the ones bound (an edit that replaced an array needs a new binding)."""
        if len(layers) != len(self.signature):
            return False
        for layer, signature in zip(layers, self.signature, strict=True):
            bound, weights, biases, activation, regularizer, params, formula = signature
            if not (
                layer is bound
                and layer.weights is weights
                and layer.biases is biases
                and layer.activation == activation
                and layer.kernel_regularizer == regularizer
                and layer.params is params  # set_params gives a layer a new dict
                and layer.formula == formula
                and (activation != "prelu" or layer.params.get("alpha") is self.published.get(id(layer)))
            ):
                return False
        return True

    def penalty(self) -> float:
        if not self.regularized:
            return 0.0
        return float(np.dot(self.l1, np.abs(self.values)) + np.dot(self.l2, self.values * self.values))

    def add_penalty_gradient(self) -> None:
        if self.regularized:
            self.gradient += self.l1 * np.sign(self.values) + 2.0 * self.l2 * self.values

    def publish_alphas(self) -> None:
        """PReLU slopes back into the layers' params (a shared slope stays one number)."""
        for layer, slot, shared in self.alphas:
            layer.params["alpha"] = float(slot) if shared else slot
            self.published[id(layer)] = layer.params["alpha"]


class Trainer:
    """Trains ``network`` in place with an optimizer (a name with Keras' defaults, or an optimizer object) and
    a Keras loss name; accuracy is reported as Keras' ``metrics=["accuracy"]`` would choose it (but by sign for
    −1/+1 labels, see metrics.py)."""

    def __init__(
        self, network: Network, optimizer: str | optimizers.Optimizer = "adam", loss: str = "binary_crossentropy"
    ) -> None:
        if not isinstance(network, Network):
            raise TypeError(f"Trainer needs a Network, got {type(network).__name__}")
        self.network = network
        self.optimizer = optimizers.get(optimizer)
        self.loss_name = loss
        self._loss = losses.get(loss)
        self._binding: _Binding | None = None
        self._functions: list = []
        self.history = History()
        self._x = self._y = np.empty((0, 0))
        self._validation: tuple[np.ndarray, np.ndarray] | None = None
        self._batch_size = 32
        self._shuffle = True
        self._rng = np.random.default_rng()
        #: this epoch's samples in batch order (shuffled once per epoch), and its predictions so far
        self._epoch_x = self._epoch_y = self._x
        self._predictions = np.empty((0, network.n_outputs))
        self._epoch = 0
        self._batch = 0
        self._batches = 0
        #: this epoch's loss total, correct predictions and samples; _counted of them are in the correct count
        self._sums = [0.0, 0.0, 0]
        self._counted = 0
        self._signed = False  # −1/+1 labels: accuracy by sign (metrics.py)
        self._accuracy_kind = metrics.accuracy_kind(losses.is_sparse(loss), network.n_outputs)
        self._last_record: dict[str, float] = {}
        #: Whether each epoch's mean gradient norms are recorded (what the window's gradient flow chart draws);
        #: off, a batch computes no norm (Keras' fit computes none either).
        self.track_gradient_norms = False
        self._norm_sum: np.ndarray | None = None  # this epoch's sum over its batches of each layer's norm
        self._norm_count = 0
        self._epoch_norms: list[np.ndarray] = []  # the means of the epochs this slice finished

    # -- Keras' fit ------------------------------------------------------------------------------------------
    def fit(
        self,
        x: Any,
        y: Any,
        batch_size: int = 32,
        epochs: int = 1,
        shuffle: bool = True,
        seed: int | None = None,
        validation_split: float = 0.0,
        validation_data: tuple[Any, Any] | None = None,
    ) -> History:
        """Train ``epochs`` epochs as Keras' ``model.fit`` does; the History of these epochs."""
        if isinstance(epochs, bool) or not isinstance(epochs, int | np.integer) or epochs < 0:
            raise ValueError(f"epochs must be a whole number ≥ 0, got {epochs!r}")
        self.start(x, y, batch_size, shuffle, seed, validation_split, validation_data)
        history = History()
        for _ in range(epochs):
            for record in self.epoch().finished_epochs:
                history.add(self._epoch - 1, record)
        return history

    def evaluate(self, x: Any, y: Any) -> dict[str, float]:
        """{"loss", "accuracy"} of the network on (x, y), as Keras' ``evaluate`` (regularization included)."""
        x, y = self._checked_data(x, y, "evaluate")
        return self._evaluate(x, y)

    # -- in slices ------------------------------------------------------------------------------------------
    def start(
        self,
        x: Any,
        y: Any,
        batch_size: int = 32,
        shuffle: bool = True,
        seed: int | None = None,
        validation_split: float = 0.0,
        validation_data: tuple[Any, Any] | None = None,
    ) -> None:
        """Set the data the next :meth:`step` / :meth:`epoch` calls train on, from the start of an epoch."""
        x, y = self._checked_data(x, y, "fit")
        if isinstance(batch_size, bool) or not isinstance(batch_size, int | np.integer) or batch_size < 1:
            raise ValueError(f"batch_size must be a whole number ≥ 1, got {batch_size!r}")
        if not (isinstance(validation_split, int | float) and 0.0 <= validation_split < 1.0):
            raise ValueError(f"validation_split must be a number in [0, 1), got {validation_split!r}")
        validation = None
        if validation_data is not None:
            if not isinstance(validation_data, tuple | list) or len(validation_data) != 2:
                raise ValueError("validation_data must be a pair (x, y)")
            validation = self._checked_data(*validation_data, "validation_data")
        elif validation_split > 0:
            split_at = math.floor(len(x) * (1.0 - validation_split))
            if split_at in (0, len(x)):
                raise ValueError(
                    f"validation_split={validation_split} leaves {split_at} of {len(x)} samples for training; "
                    "both parts need at least one"
                )
            validation = (x[split_at:], y[split_at:])
            x, y = x[:split_at], y[:split_at]
        self._x, self._y, self._validation = backprop.with_ones(x), y, validation  # x as BatchPlan takes it
        self._signed = metrics.signed_labels(y)
        self._accuracy_kind = metrics.accuracy_kind(
            losses.is_sparse(self.loss_name), self.network.n_outputs, self._signed
        )
        self._batch_size = int(batch_size)
        self._batches = math.ceil(len(x) / self._batch_size)
        self._shuffle = bool(shuffle)
        self._rng = np.random.default_rng(seed)
        self._batch = 0
        self._sums = [0.0, 0.0, 0]
        self._counted = 0
        self._norm_sum, self._norm_count = None, 0

    @property
    def accuracy_kind(self) -> str:
        """Which accuracy "accuracy" is: "binary", "sign", "sparse" or "categorical" (metrics.MEANING says)."""
        return self._accuracy_kind

    @property
    def batches_per_epoch(self) -> int:
        return self._batches

    def step(self, n_batches: int = 1, until: Callable[[], bool] | None = None) -> Progress:
        """Train the next ``n_batches`` batches (crossing into the next epoch when one ends), or fewer: after each
        batch ``until()`` (when given) may say to stop, e.g. when a frame's time is spent.

        A TrainingDiverged carries (``.progress``) what the batches before the failing one trained."""
        if len(self._x) == 0:
            raise RuntimeError("call start(x, y, …) or fit(…) before step()")
        binding = self._bound()  # nothing else changes the network during the loop
        if self._predictions.shape != (len(self._y), self.network.n_outputs):
            self._predictions = np.empty((len(self._y), self.network.n_outputs))
        finished: list[dict[str, float]] = []
        self._epoch_norms = []
        done = 0
        try:
            with np.errstate(all="ignore"):  # a diverging network overflows on purpose; it is caught below
                for _ in range(n_batches):
                    if self._batch == 0:
                        self._begin_epoch()
                    self._train_batch(binding)
                    done += 1
                    if self._batch == self._batches:
                        finished.append(self._finish_epoch())
                    if until is not None and until():
                        break
        except TrainingDiverged as error:
            self._count_correct()
            error.progress = self._progress(tuple(finished), done)
            raise
        self._count_correct()
        return self._progress(tuple(finished), done)

    def epoch(self) -> Progress:
        """Train up to the end of the current epoch (a whole epoch when at its start)."""
        remaining = self.batches_per_epoch - self._batch
        return self.step(remaining)

    # -- the work ---------------------------------------------------------------------------------------------
    def _checked_data(self, x: Any, y: Any, where: str) -> tuple[np.ndarray, np.ndarray]:
        try:
            x = np.asarray(x, dtype=np.float64)
            y = np.asarray(y, dtype=np.float64)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{where}: inputs and targets must be numbers ({error})") from None
        n = self.network.n_inputs
        if x.ndim != 2 or x.shape[1] != n:
            raise ValueError(f"{where}: expected inputs of shape (samples, {n}), got {x.shape}")
        if len(x) == 0:
            raise ValueError(f"{where}: there are no samples")
        try:
            y = losses.aligned_targets(self.loss_name, y, self.network.n_outputs)
        except ValueError as error:
            raise ValueError(f"{where}: {error}") from None
        if len(y) != len(x):
            raise ValueError(f"{where}: {len(x)} input rows but {len(y)} targets")
        if not (np.isfinite(x).all() and np.isfinite(y).all()):
            raise ValueError(f"{where}: the inputs and targets must be finite numbers")
        return x, y

    def _bound(self) -> _Binding:
        layers = self.network.layers
        if self._binding is None or not self._binding.fits(layers):
            self._binding = _Binding(layers)
            self._functions = [layer.function for layer in layers]
            self._accuracy_kind = metrics.accuracy_kind(
                losses.is_sparse(self.loss_name), self.network.n_outputs, self._signed
            )
        return self._binding

    def _begin_epoch(self) -> None:
        if self._shuffle:
            order = self._rng.permutation(len(self._x))
            self._epoch_x, self._epoch_y = self._x[order], self._y[order]
        else:
            self._epoch_x, self._epoch_y = self._x, self._y
        self._sums = [0.0, 0.0, 0]
        self._counted = 0

    def _train_batch(self, binding: _Binding) -> None:
        """Forward, loss, backward and update of the next batch (in ``np.errstate(all="ignore")``)."""
        start = self._batch * self._batch_size
        stop = min(start + self._batch_size, len(self._x))
        plan = binding.plan(stop - start, self._functions, self._loss)
        # the predictions are kept (counted as correct or not once per step, by _count_correct)
        prediction = plan.forward(self._epoch_x[start:stop], self._predictions[start:stop])
        yb = self._epoch_y[start:stop]
        loss, by_output = plan.loss(yb, prediction)
        if binding.regularized:
            loss += binding.penalty()
        if not math.isfinite(loss):
            raise TrainingDiverged(self._epoch + 1, self._batch + 1, f"the loss is {loss}")
        plan.backward(by_output)
        if binding.regularized:
            binding.add_penalty_gradient()
        np.copyto(binding.saved, binding.values)
        state = self.optimizer.state()
        self.optimizer.apply(binding.values, binding.gradient)
        # a sum is finite when every value is (unless it overflows: then ask each value)
        if not (math.isfinite(np.add.reduce(binding.values, None)) or np.isfinite(binding.values).all()):
            np.copyto(binding.values, binding.saved)
            self.optimizer.restore(state)
            raise TrainingDiverged(self._epoch + 1, self._batch + 1, "a weight became infinite or NaN")
        if binding.alphas:
            binding.publish_alphas()
        if self.track_gradient_norms:  # √(g·g): np.linalg.norm's own arithmetic for a flat array
            norms = np.array([math.sqrt(np.dot(g, g)) for g in binding.weight_grads])
            self._norm_sum = norms if self._norm_sum is None else self._norm_sum + norms
            self._norm_count += 1
        self._sums[0] += loss * (stop - start)
        self._sums[2] += stop - start
        self._batch += 1

    def _count_correct(self) -> None:
        """Add the correct predictions of the batches trained since the last count (one call, not one a batch)."""
        done = self._sums[2]
        if done > self._counted:
            rows = slice(self._counted, done)
            self._sums[1] += metrics.correct(self._accuracy_kind, self._epoch_y[rows], self._predictions[rows])
            self._counted = done

    def _finish_epoch(self) -> dict[str, float]:
        self._count_correct()
        total, correct, count = self._sums
        record = {"loss": total / count, "accuracy": correct / count}
        if self._validation is not None:
            scores = self._evaluate(*self._validation)
            record["val_loss"], record["val_accuracy"] = scores["loss"], scores["accuracy"]
        self.history.add(self._epoch, record)
        if self.track_gradient_norms:
            count = max(1, self._norm_count)
            self._epoch_norms.append(self._norm_sum / count if self._norm_sum is not None else np.empty(0))
            self._norm_sum, self._norm_count = None, 0
        self._last_record = record
        self._epoch += 1
        self._batch = 0
        return record

    def _evaluate(self, x: np.ndarray, y: np.ndarray) -> dict[str, float]:
        binding = self._bound()
        with np.errstate(all="ignore"):
            record = backprop.forward(self.network.layers, self._functions, x)
            prediction = record.values[-1]
            per_sample, _ = self._loss(y, prediction)
        kind = self._accuracy_kind
        if kind in ("binary", "sign"):  # −1/+1 labels count by sign also when evaluate() comes before any fit
            kind = "sign" if self._signed or metrics.signed_labels(y) else "binary"
        return {
            "loss": float(per_sample.sum()) / len(per_sample) + binding.penalty(),
            "accuracy": metrics.correct(kind, y, prediction) / len(y),
        }

    def _progress(self, finished: tuple[dict[str, float], ...], batches: int) -> Progress:
        if self._batch == 0:
            loss, accuracy = self._last_record.get("loss", math.nan), self._last_record.get("accuracy", math.nan)
        else:
            total, correct, count = self._sums
            loss, accuracy = total / count, correct / count
        # √(g·g): np.linalg.norm's own arithmetic for a flat array, without its checks (once per slice)
        grads = () if self._binding is None else self._binding.weight_grads
        norms = tuple(math.sqrt(np.dot(g, g)) for g in grads)
        epoch_norms = tuple(self._epoch_norms) if self.track_gradient_norms else ()
        return Progress(self._epoch, self._batch, self._batches, loss, accuracy, norms, finished, epoch_norms, batches)
