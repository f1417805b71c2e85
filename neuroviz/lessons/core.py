"""The parts every lesson is made of: what the window shows (:class:`LessonState`), a step and its check, a lesson,
and the small helpers the lessons' texts and checks share. No Qt here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from neuroviz.model import Layer, Network, activations, probe
from neuroviz.model.display import format_value
from neuroviz.model.layer_stats import LayerStatistics
from neuroviz.model.network import Propagation

if TYPE_CHECKING:
    from neuroviz.model.datasets import Dataset
    from neuroviz.model.race import Race

__all__ = ["Lesson", "LessonState", "Step"]


@dataclass(frozen=True)
class LessonState:
    """What the window shows, as far as lessons look at it."""

    network: Network
    propagation: Propagation
    selected_layer: int
    probe_text: str = ""
    compared: str = ""
    #: Per finished training epoch since the last Reset or data change: each layer's mean ‖∂L/∂W‖ (first layer
    #: first), as the Training Charts' gradient flow shows them.
    gradient_norms: tuple[np.ndarray, ...] = ()
    #: The latest epoch's layer statistics over the training points (dead shares, means, deviations), or None.
    statistics: LayerStatistics | None = None
    #: The training rows as the network's inputs (features computed), or None without data.
    data_x: np.ndarray | None = None
    #: The loss training uses (the Training dock's choice, or the one it suggests), "" without training.
    loss: str = ""
    #: The Training dock's data set, or None.
    dataset: Dataset | None = None
    #: The latest race started while this lesson is open (running, finished or closed), or None.
    race: Race | None = None
    #: The activation last kept from a race while this lesson is open ("" for none).
    kept: str = ""

    def layer(self, k: int = 1) -> Layer:
        return self.network.layers[k - 1]

    def probed(self) -> np.ndarray | None:
        """The probe's vector as typed, or None when it is empty or not numbers."""
        try:
            return probe.parse_vector(self.probe_text)
        except ValueError:
            return None


@dataclass(frozen=True)
class Step:
    """One "try this": what to do, and how the app sees that it was done."""

    text: str
    done: Callable[[LessonState], bool]


@dataclass(frozen=True)
class Lesson:
    key: str
    title: str
    summary: str
    build: Callable[[], Network]
    text: Callable[[], str]  # rich text; its numbers computed when called
    steps: tuple[Step, ...]
    #: The layer selected when the lesson opens (its curve is on the activation plot).
    start_layer: int = 1
    #: Data to train on: (Playground generator, noise, seed), loaded when the lesson opens; None: no training.
    data: tuple[str, float, int] | None = None
    #: Training settings the lesson starts with (TrainingSettings' fields: optimizer, learning_rate, loss, …).
    training: dict | None = None
    #: The Training Charts tab that shows the lesson's claim, brought to the front when it opens ("" for none: the
    #: activation plot is in front).
    chart: str = ""


# -- helpers ---------------------------------------------------------------------------------------------------
def _values(values: Sequence[float] | np.ndarray) -> str:
    return "[" + ", ".join(format_value(v) for v in np.ravel(values)) + "]"


def _f(name: str, z, **params) -> np.ndarray:
    return np.asarray(activations.get(name)(np.asarray(z, dtype=np.float64), **params), dtype=np.float64)


def _df(name: str, z, **params) -> np.ndarray:
    return np.asarray(activations.get(name).derivative(np.asarray(z, dtype=np.float64), **params), dtype=np.float64)


def _passing(z: Sequence[float], activation: str, *, name: str, description: str, low: float = -10.0) -> Network:
    """Inputs z fed unchanged (identity weights) into one layer of ``activation``: its outputs are f(z)."""
    n = len(z)
    layer = Layer("output", np.eye(n), np.zeros(n), activation)
    ranges = [(low, -low)] * n
    names = [f"z{i + 1}" for i in range(n)] if n > 1 else ["z"]
    return Network(
        [layer], input_names=names, input_values=list(z), input_ranges=ranges, name=name, description=description
    )


def _activation_is(state: LessonState, name: str, k: int = 1) -> bool:
    return state.layer(k).activation == name


def _param(state: LessonState, name: str, k: int = 1):
    return state.layer(k).params.get(name)


def _probed_is(state: LessonState, expected: Sequence[float]) -> bool:
    typed = state.probed()
    return typed is not None and typed.shape == np.shape(expected) and np.allclose(typed, expected, atol=1e-9)


def _hidden_all(state: LessonState, name: str) -> bool:
    return all(layer.activation == name for layer in state.network.layers[:-1])


def plane_network(sizes, activations_, seed: int, name: str, description: str, **initializers) -> Network:
    """A lesson's network fed by Playground's plane: inputs x1 and x2 (features of the point), ranges −6…6."""
    net = Network.from_sizes(
        list(sizes), list(activations_), seed=seed, name=name, description=description, **initializers
    )
    net.input_names = ["x1", "x2"]
    net.input_features = ("x1", "x2")
    for i in range(2):
        net.set_input_range(i, -6.0, 6.0)
    return net
