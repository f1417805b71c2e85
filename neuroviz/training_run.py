"""The window's training run: trains the document's network on the window's data set in slices between frames.

Slices in the GUI thread, not a worker with a copy: the networks neuroviz trains are small (Playground's largest
problem is about 0.3 ms a batch), so a slice of batches that stops after :attr:`TrainingRun.budget_ms` leaves the
window responsive, and training the document's own network in place means every view, the undo step and an edit
in between see one network and never a copy that lags behind or has to be merged back. A slice trains up to
"epochs per frame" epochs and stops early when its time budget is spent; the next frame carries on where it
stopped (mid-epoch too), so the numbers never depend on the slicing, only on the settings and the seed.

A run from Play to Pause is one undo step ("Train 120 epochs", :meth:`Document.commit_live_changes`). Any edit,
undo or redo, New/Open and Save pause it first (the document's ``aboutToChange``), so the run's step comes before
theirs. A step that makes the loss or a weight infinite stops the run with a message; the weights are those from
before that step (the Trainer restores them).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from neuroviz.data_source import feature_data, fit_problem
from neuroviz.document import FRAME_MS
from neuroviz.model.datasets import REGRESSION, DatasetError
from neuroviz.model.loss_advice import suggested_loss
from neuroviz.model.run_history import RunHistory
from neuroviz.model.training import Progress, Trainer, TrainingDiverged, losses, metrics, optimizers

#: A slice stops training once it has used this many milliseconds (the frame is 16 ms; drawing needs the rest).
SLICE_BUDGET_MS = 10.0


@dataclass(frozen=True)
class TrainingSettings:
    """What the Training dock sets. ``loss`` "" means the loss suggested for the output layer."""

    loss: str = ""
    optimizer: str = "adam"
    learning_rate: float = 0.01
    #: The optimizer's other parameters by their Keras names (momentum, beta_1, rho, …); Keras' defaults otherwise.
    options: dict[str, Any] = field(default_factory=dict)
    batch_size: int = 10
    epochs_per_frame: int = 1
    #: Seeds the shuffling of the batches and Reset's initial weights.
    seed: int = 0


def start_trainer(network, data, settings: TrainingSettings, loss: str, seed: int) -> tuple[Trainer, np.ndarray]:
    """A Trainer on ``network`` started on ``data``'s training rows (its test rows validate) with the Training
    dock's ``settings``, and the training rows' inputs; also what File ▸ Export ▸ Animation trains a copy with.
    DatasetError or ValueError when the data or the settings do not fit the network."""
    train = feature_data(data.train, network)
    test = feature_data(data.test, network)
    y_train = train.targets_for(network, loss)
    optimizer = optimizers.get(settings.optimizer, learning_rate=settings.learning_rate, **settings.options)
    trainer = Trainer(network, optimizer, loss)
    trainer.track_gradient_norms = True  # the gradient flow chart draws each epoch's mean
    validation = (test.x, test.targets_for(network, loss)) if len(test) else None
    trainer.start(train.x, y_train, settings.batch_size, True, seed, 0.0, validation)
    return trainer, train.x


class TrainingRun(QObject):
    """Play, Pause, Step and Reset of the window's training; :meth:`tick` trains one slice (the timer calls it)."""

    runningChanged = Signal(bool)
    #: A slice or step trained something: the history and the weights moved.
    progressed = Signal()
    #: The history was emptied (Reset, another data set, another network).
    historyCleared = Signal()
    #: What to tell the person: why the run could not start or stopped ("" clears it).
    message = Signal(str)

    def __init__(self, document, data_source, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document, self.data = document, data_source
        self.settings = TrainingSettings()
        self.history = RunHistory()
        #: Milliseconds a slice may train for; None trains whole "epochs per frame" (tests drive ticks so).
        self.budget_ms: float | None = SLICE_BUDGET_MS
        self.clock: Callable[[], float] = time.perf_counter
        self.last_message = ""
        self._trainer: Trainer | None = None
        self._running = False
        self._committing = False
        self._before = None  # the network as it was when the run started (its undo step's "before")
        self._batches_in_run = 0
        self._epochs_in_run = 0
        self._batch = 0
        self._x_train = np.empty((0, 0))
        #: Undo follows the epochs too: at each undo-stack index a run or a Reset began or ended at, the history
        #: then shown, as (the command just below that index, a history whose first epochs those were, how many).
        #: Histories only ever grow at their end (an Undo shows a copy of the first epochs); a mark whose command
        #: has since been replaced (an edit after an Undo) is stale and dropped.
        self._marks: dict[int, tuple[object, RunHistory, int]] = {}
        self._history_at_start = 0
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.tick)
        document.aboutToChange.connect(self._on_about_to_change)
        document.networkReplaced.connect(self.clear_history)
        document.undo_stack.indexChanged.connect(self._on_undo_index)
        data_source.changed.connect(self._on_data_changed)

    # -- state -----------------------------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._running

    @property
    def epoch(self) -> int:
        """Epochs finished since the last Reset or data change."""
        return len(self.history)

    @property
    def batch(self) -> int:
        """Batches done in the epoch under way (0 at an epoch's start)."""
        return self._batch

    def loss_name(self) -> str:
        """The loss in use: the chosen one, or the one suggested for the output layer and the data."""
        regression = self.data.dataset is not None and self.data.dataset.kind == REGRESSION
        return self.settings.loss or suggested_loss(self.document.network, regression)

    def set_settings(self, settings: TrainingSettings) -> None:
        """New settings apply from the next batch (a new optimizer starts with fresh moments, as a new compile)."""
        if settings == self.settings:
            return
        self.settings = settings
        self._trainer = None

    def accuracy_meaning(self) -> str:
        """What "accuracy" counts for the current data and output (a tooltip): by sign for −1/+1 labels."""
        network, dataset = self.document.network, self.data.dataset
        if dataset is None or fit_problem(dataset, network):
            return "Accuracy is reported once the data fits the network"
        loss = self.loss_name()
        try:
            y = feature_data(self.data.train, network).targets_for(network, loss)
        except (DatasetError, ValueError):
            return "Accuracy is reported once the data fits the network"
        kind = metrics.accuracy_kind(losses.is_sparse(loss), network.n_outputs, metrics.signed_labels(y))
        return "Accuracy: " + metrics.MEANING[kind]

    def data_problem(self) -> str:
        """ "" when the run can start; else what is missing or does not fit, in a sentence."""
        if self.data.dataset is None:
            return "Choose a data set first (the Data menu or the Training dock)."
        problem = fit_problem(self.data.dataset, self.document.network)
        return f"Cannot train: {problem}" if problem else ""

    # -- the buttons -----------------------------------------------------------------------------------------------
    def play(self) -> bool:
        """Start training (False, with a message, when there is nothing that can be trained on)."""
        if self._running:
            return True
        if not self._ready():
            return False
        self._begin_run()
        self._running = True
        self.timer.start()
        self.runningChanged.emit(True)
        return True

    def pause(self) -> None:
        """Stop after the current slice; the run becomes one undo step."""
        if not self._running:
            return
        self._running = False
        self.timer.stop()
        self._commit()
        self.runningChanged.emit(False)

    def toggle(self) -> None:
        if self._running:
            self.pause()
        else:
            self.play()

    def step_epoch(self) -> bool:
        """Train to the end of the current epoch (a whole one at an epoch's start) as its own undo step."""
        self.pause()
        if not self._ready():
            return False
        self._begin_run()
        trainer = self._trainer
        self._train(trainer.batches_per_epoch - self._batch, budget_ms=None)
        self._commit()
        return True

    def reset(self) -> bool:
        """New initial weights (undoable): glorot_uniform, lecun_normal for SELU layers (self-normalising needs it),
        from the settings' seed; the epoch counter and the history start again."""
        self.pause()
        seed = self.settings.seed

        def reinitialize(network) -> None:
            for k, layer in enumerate(network.layers, start=1):
                initializer = "lecun_normal" if layer.activation == "selu" else "glorot_uniform"
                network.reinitialize(k, kernel_initializer=initializer, seed=seed * 1000 + k)

        stack = self.document.undo_stack
        start, before = stack.index(), self.history
        try:
            self.document.edit(f"Reset weights (seed {seed})", reinitialize, 1)
        except ValueError as error:
            self._say(str(error))
            return False
        self._trainer = None
        self.history = RunHistory()
        self._mark(start, before, len(before))  # Undo of the Reset brings the epochs back with the weights
        self.historyCleared.emit()
        self._say("")
        return True

    def show_history(self, history: RunHistory) -> None:
        """Show a history trained elsewhere on the document's network (``neuroviz export --view loss`` trains
        without a window, then draws the charts from it)."""
        self.pause()
        self._trainer = None
        self.history = history
        self.progressed.emit()

    def clear_history(self) -> None:
        self._trainer = None
        self.history = RunHistory()
        self._marks.clear()
        self.historyCleared.emit()

    # -- one slice ---------------------------------------------------------------------------------------------------
    def tick(self) -> None:
        """Train one slice: up to "epochs per frame" epochs, within the time budget; the views draw once after."""
        if not self._running:
            return
        if self._trainer is None and not self._ready():  # settings changed: a new optimizer
            self._stop_without_commit_message()
            return
        trainer = self._trainer
        self._train(self.settings.epochs_per_frame * trainer.batches_per_epoch, self.budget_ms)

    def _train(self, batches: int, budget_ms: float | None) -> None:
        """Up to ``batches`` batches, stopping at an epoch's end to record it (its statistics are the network's
        there) and after any batch once ``budget_ms`` is spent."""
        trainer = self._trainer
        started = self.clock()

        def spent() -> bool:
            return budget_ms is not None and (self.clock() - started) * 1000.0 >= budget_ms

        done = 0
        while done < batches:
            to_epoch_end = trainer.batches_per_epoch - self._batch
            try:
                with np.errstate(all="ignore"):  # a huge gradient's norm may overflow to inf: shown, not warned
                    progress = trainer.step(min(batches - done, to_epoch_end), spent)
            except TrainingDiverged as error:
                if error.progress is not None:
                    done += self._took(error.progress)
                self._diverged(error)
                break
            done += self._took(progress)
            if spent():
                break
        if done:
            self.document.mark_values_changed(1)
            self.progressed.emit()

    def _took(self, progress: Progress) -> int:
        """Count and record a slice's batches and the epoch it finished; how many batches it trained."""
        self._batch = progress.batch
        self._batches_in_run += progress.batches
        self._epochs_in_run += len(progress.finished_epochs)
        self.history.record(progress, self.document.network, self._x_train)
        return progress.batches

    # -- getting ready, committing ---------------------------------------------------------------------------------
    def _ready(self) -> bool:
        """A Trainer on the document's network and the data set, or a message saying why not."""
        network = self.document.network
        if self._trainer is not None and self._trainer.network is network:
            return True
        problem = self.data_problem()
        if problem:
            self._say(problem)
            return False
        try:
            trainer, x_train = start_trainer(
                network, self.data, self.settings, self.loss_name(), self.settings.seed + len(self.history)
            )
        except (DatasetError, ValueError) as error:
            self._say(f"Cannot train: {error}")
            return False
        self._trainer, self._x_train, self._batch = trainer, x_train, 0
        self._say("")
        return True

    def _begin_run(self) -> None:
        self._before = self.document.network.copy()
        self._history_at_start = len(self.history)
        self._batches_in_run = 0
        self._epochs_in_run = 0

    def _commit(self) -> None:
        """The batches trained since play become one undo step (nothing trained: no step)."""
        before, self._before = self._before, None
        if before is None or self._batches_in_run == 0:
            return
        stack = self.document.undo_stack
        start = stack.index()
        self._committing = True
        try:
            self.document.commit_live_changes(self._run_text(), before)
        finally:
            self._committing = False
        self._batches_in_run = 0
        self._mark(start, self.history, self._history_at_start)

    def _mark(self, start: int, before: RunHistory, length: int) -> None:
        """A step pushed at undo index ``start`` (a run, a Reset): note the history before it and after it; the
        steps that could have been redone from ``start`` are gone, and so are their marks."""
        stack = self.document.undo_stack
        self._marks = {index: mark for index, mark in self._marks.items() if index < start}
        self._marks[start] = (self._command_below(start), before, length)
        end = stack.index()
        self._marks[end] = (self._command_below(end), self.history, len(self.history))

    def _command_below(self, index: int) -> object:
        """The undo command just below ``index`` (None at the bottom): what a mark at ``index`` belongs to."""
        return self.document.undo_stack.command(index - 1) if index > 0 else None

    def shut_down(self) -> None:
        """The window closed: no more ticks, and the undo stack's last signals (Qt clears a stack as it deletes it,
        after the window's widgets are gone) move nothing."""
        self._running = False
        self.timer.stop()
        self.document.undo_stack.indexChanged.disconnect(self._on_undo_index)
        self._marks.clear()

    def _on_undo_index(self, index: int) -> None:
        """Undo or Redo across a run or a Reset: the epoch counter, the numbers and the charts go back (or forward)
        with the weights, to the epochs shown at that step."""
        mark = self._marks.get(index)
        if self._committing or mark is None:
            return
        command, history, length = mark
        if self._command_below(index) is not command:  # that step was replaced: the mark describes another past
            del self._marks[index]
            return
        if history is self.history and length == len(history):
            return
        self._trainer = None
        self.history = history if length == len(history) else history.head(length)
        self.progressed.emit()

    def _run_text(self) -> str:
        epochs, batches = self._epochs_in_run, self._batches_in_run
        if epochs == 0:
            return f"Train {batches} batch{'es' * (batches != 1)}"
        return f"Train {epochs} epoch{'s' * (epochs != 1)}"

    def _diverged(self, error: TrainingDiverged) -> None:
        """Stop with the last good weights (restored by the Trainer) and say what to change."""
        self._trainer = None
        was_running = self._running
        self._running = False
        self.timer.stop()
        self._commit()
        self.document.mark_values_changed(1)
        rate = self.settings.learning_rate
        self._say(f"Training stopped: {error}. Try a smaller learning rate than {rate:g}, or Reset the weights.")
        if was_running:
            self.runningChanged.emit(False)

    def _stop_without_commit_message(self) -> None:
        message = self.last_message
        self.pause()
        self._say(message)

    def _say(self, text: str) -> None:
        self.last_message = text
        self.message.emit(text)

    # -- what pauses it ----------------------------------------------------------------------------------------------
    def _on_about_to_change(self) -> None:
        """An edit, undo/redo or file action is about to happen: pause (commit) first; start afresh after it."""
        if self._committing:
            return
        self.pause()
        self._trainer = None

    def _on_data_changed(self) -> None:
        self.pause()
        self.clear_history()
        self._say("")
