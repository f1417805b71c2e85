"""Race activations: copies of one network, each with another activation in its hidden layers, trained side by side.

The race is fair by construction: every contender starts from the same weights (a copy of the network as it is,
only the hidden layers' activation changed), trains on the same batches in the same order (one seed for every
Trainer's shuffling), with the same loss, optimizer settings and number of epochs. Pure NumPy, no Qt; the window
runs it in slices (``race_run.py``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from neuroviz.model.network import CUSTOM_ACTIVATION, Network
from neuroviz.model.training import Trainer, TrainingDiverged, optimizers

#: The activations offered for a race, in the order shown (Keras names; silu is Keras' swish).
RACE_ACTIVATIONS = ("relu", "tanh", "sigmoid", "selu", "silu")


@dataclass(frozen=True)
class RaceSettings:
    """What every contender shares."""

    loss: str
    optimizer: str = "adam"
    learning_rate: float = 0.01
    options: dict[str, Any] = field(default_factory=dict)
    batch_size: int = 10
    seed: int = 0
    epochs: int = 100


@dataclass
class Contender:
    """One network of the race and its losses per finished epoch."""

    name: str
    network: Network
    trainer: Trainer
    losses: list[float] = field(default_factory=list)
    test_losses: list[float] = field(default_factory=list)
    #: Why it stopped early ("" while it runs or once it finished all epochs).
    failure: str = ""

    @property
    def epoch(self) -> int:
        return len(self.losses)

    def final_loss(self) -> float:
        """The loss it is judged by: the last test loss when there are test rows, else the last training loss."""
        values = self.test_losses or self.losses
        return values[-1] if values and not self.failure else math.inf


def contender_network(network: Network, activation: str, formula: str | None = None, **params: float) -> Network:
    """A copy of ``network`` whose hidden layers all compute ``activation`` (or the custom ``formula``); weights,
    biases and the output layer as they are."""
    copy = network.copy()
    for k in range(1, len(copy.layers)):
        if activation == CUSTOM_ACTIVATION:
            if formula is None:
                raise ValueError("a custom contender needs its formula")
            copy.set_custom_activation(k, formula, **params)
        else:
            copy.set_activation(k, activation)
    return copy


def custom_formula(network: Network) -> tuple[str, dict[str, float]] | None:
    """The first hidden layer's custom formula and parameters, if a hidden layer has one (a race can enter it)."""
    for layer in network.layers[:-1]:
        if layer.activation == CUSTOM_ACTIVATION and layer.formula:
            return layer.formula, dict(layer.params)
    return None


class Race:
    """Contenders trained batch by batch in lockstep; :meth:`step` trains a few batches of each."""

    def __init__(
        self,
        network: Network,
        names: Sequence[str],
        settings: RaceSettings,
        train: tuple[np.ndarray, np.ndarray],
        test: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        if not names:
            raise ValueError("choose at least one activation to race")
        if settings.epochs < 1:
            raise ValueError(f"a race needs at least one epoch, got {settings.epochs}")
        self.settings = settings
        custom = custom_formula(network)
        self.contenders: list[Contender] = []
        for name in names:
            if name == CUSTOM_ACTIVATION:
                if custom is None:
                    raise ValueError("no hidden layer has a custom formula to race")
                net = contender_network(network, name, custom[0], **custom[1])
            else:
                net = contender_network(network, name)
            optimizer = optimizers.get(settings.optimizer, learning_rate=settings.learning_rate, **settings.options)
            trainer = Trainer(net, optimizer, settings.loss)
            trainer.start(*train, settings.batch_size, True, settings.seed, 0.0, test)
            self.contenders.append(Contender(name, net, trainer))

    @property
    def batches_per_epoch(self) -> int:
        return self.contenders[0].trainer.batches_per_epoch

    def running(self) -> list[Contender]:
        return [c for c in self.contenders if not c.failure and c.epoch < self.settings.epochs]

    @property
    def finished(self) -> bool:
        return not self.running()

    def step(self, batches: int = 1) -> None:
        """Train up to ``batches`` batches of every contender still running (never past the last epoch)."""
        for contender in self.running():
            for _ in range(batches):
                try:
                    progress = contender.trainer.step(1)
                except TrainingDiverged as error:
                    contender.failure = str(error)
                    break
                for record in progress.finished_epochs:
                    contender.losses.append(float(record["loss"]))
                    if "val_loss" in record:
                        contender.test_losses.append(float(record["val_loss"]))
                if contender.epoch >= self.settings.epochs:
                    break

    def winner(self) -> Contender | None:
        """The contender with the lowest final loss (test loss when there are test rows); None while none has one."""
        finite = [c for c in self.contenders if math.isfinite(c.final_loss())]
        return min(finite, key=Contender.final_loss) if finite else None
