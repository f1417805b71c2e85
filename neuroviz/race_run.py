"""Edit ▸ Race Activations: the window's race (``model/race.py``), trained in slices between frames, and keeping
the winner as one undoable edit.

The race trains copies, never the document's network: the window keeps working while it runs, and nothing
changes until the person keeps a contender ("Keep tanh from the race", one undo step). Cancel leaves everything as
it was. Like the training run, a slice trains batches until :attr:`RaceRun.budget_ms` is spent; tests set it to None
and call :meth:`RaceRun.tick` themselves.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from neuroviz.data_source import feature_data
from neuroviz.document import FRAME_MS
from neuroviz.model.datasets import DatasetError
from neuroviz.model.network import CUSTOM_ACTIVATION
from neuroviz.model.race import Race, RaceSettings
from neuroviz.training_run import SLICE_BUDGET_MS


class RaceRun(QObject):
    """Start, Stop, Cancel and Keep of a race; :meth:`tick` trains one slice of every contender."""

    #: A slice trained something (or the race was set up): the curves and maps can be redrawn.
    progressed = Signal()
    runningChanged = Signal(bool)
    #: What to tell the person ("" clears it).
    message = Signal(str)
    #: A contender was kept (its activation's name): the document's network now has its weights.
    kept = Signal(str)

    def __init__(self, document, training_run, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document, self.training = document, training_run
        self.race: Race | None = None
        #: A sentence that says what every contender shares (data, seed, optimizer, epochs).
        self.fairness = ""
        self.budget_ms: float | None = SLICE_BUDGET_MS
        self.clock: Callable[[], float] = time.perf_counter
        self._layout: list[tuple[str, int]] = []  # the network's layer names and sizes when the race started
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.tick)

    @property
    def running(self) -> bool:
        return self.timer.isActive()

    def start(self, names: Sequence[str], epochs: int) -> bool:
        """Race ``names`` (activations for the hidden layers) for ``epochs`` epochs on the Training dock's data,
        loss and optimizer; False with a message when it cannot start."""
        self.stop()
        training = self.training
        training.pause()  # the race starts from the weights as they are now
        problem = training.data_problem()
        if problem:
            return self._refuse(problem)
        network, s = self.document.network, training.settings
        if len(network.layers) < 2:
            return self._refuse("A race changes the hidden layers' activation: this network has no hidden layer.")
        loss = training.loss_name()
        try:
            train = feature_data(training.data.train, network)
            test = feature_data(training.data.test, network)
            rows = (train.x, train.targets_for(network, loss))
            held_out = (test.x, test.targets_for(network, loss)) if len(test) else None
            settings = RaceSettings(loss, s.optimizer, s.learning_rate, dict(s.options), s.batch_size, s.seed, epochs)
            self.race = Race(network, list(names), settings, rows, held_out)
        except (DatasetError, ValueError) as error:
            return self._refuse(f"Cannot race: {error}")
        self._layout = [(layer.name, layer.units) for layer in network.layers]
        data = training.data.dataset
        self.fairness = (
            f"Every contender starts from the same weights and trains on the same batches: {data.name}, "
            f"{len(train)} training rows (judged on {len(test)} test rows), {loss}, {s.optimizer} at learning rate "
            f"{s.learning_rate:g}, batch {s.batch_size}, seed {s.seed}, {epochs} epochs."
        )
        self.message.emit("")
        self.timer.start()
        self.runningChanged.emit(True)
        self.progressed.emit()
        return True

    def tick(self) -> None:
        """One slice: a batch of every contender at a time, until the budget is spent or the race is over."""
        race = self.race
        if race is None or not self.running:
            return
        started = self.clock()
        batches = race.batches_per_epoch * max(1, len(race.running()))
        for _ in range(batches):
            with np.errstate(all="ignore"):
                race.step(1)
            if race.finished or (self.budget_ms is not None and (self.clock() - started) * 1000.0 >= self.budget_ms):
                break
        if race.finished:
            self.stop()
        self.progressed.emit()

    def stop(self) -> None:
        """Stop training; the contenders keep what they learned and can still be kept."""
        if self.running:
            self.timer.stop()
            self.runningChanged.emit(False)

    def cancel(self) -> None:
        """Stop and forget the race: the document never changed."""
        self.stop()
        self.race = None
        self.progressed.emit()

    def keep(self, name: str) -> bool:
        """Make contender ``name``'s activations and trained weights the document's network: one undo step."""
        race = self.race
        contender = next((c for c in race.contenders if c.name == name), None) if race else None
        if contender is None:
            return self._refuse(f"There is no contender {name!r} to keep.")
        network = self.document.network
        if [(layer.name, layer.units) for layer in network.layers] != self._layout:
            return self._refuse("The network's layers changed since the race started: race again to keep a winner.")
        self.stop()
        winner = contender.network

        def install(target) -> None:
            for k, theirs in enumerate(winner.layers, start=1):
                if theirs.activation == CUSTOM_ACTIVATION:
                    target.set_custom_activation(k, theirs.formula, **theirs.params)
                else:
                    target.set_activation(k, theirs.activation, **theirs.params)
                mine = target.layers[k - 1]
                mine.weights[...] = theirs.weights
                mine.biases[...] = theirs.biases

        try:
            self.document.edit(f"Keep {name} from the race", install, 1)
        except ValueError as error:
            return self._refuse(f"Cannot keep {name}: {error}")
        self.message.emit("")
        self.kept.emit(name)
        return True

    def _refuse(self, text: str) -> bool:
        self.message.emit(text)
        return False
