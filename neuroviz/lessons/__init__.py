"""Lessons: the claims of the activation-function tutorials, each turned into a network and a few steps to try.

A lesson builds its own network, says what to look at, and lists "try this" steps; the window ticks a step off when
what it shows satisfies the step's check (a pure function of :class:`LessonState`: the network, its propagation,
the selected layer and the activation plot's tools). Every number a lesson's text states is computed here from the
activations, when the text is made, never typed in: the texts are functions. No Qt here.
"""

from __future__ import annotations

from neuroviz.lessons.core import Lesson, LessonState, Step
from neuroviz.lessons.functions import (
    CUSTOM,
    ELU,
    ELU_Z,
    RELU,
    RELU_Z,
    SIGMOID_Z,
    SOFTMAX,
    SOFTMAX_Z,
    SOFTPLUS,
    SOFTSIGN,
    SQUASH,
    TANH_Z,
    elu_means,
)
from neuroviz.lessons.races import (
    FASTER,
    FASTER_THRESHOLD,
    OUTPUTS,
    RACE,
    RACE_EPOCHS,
    convergence,
    epochs_to,
    output_suggestions,
    race_outcome,
    starting_gradient_ratios,
)
from neuroviz.lessons.training import (
    DYING,
    DYING_EPOCHS,
    SELU,
    VANISHING,
    VANISHING_RATIO,
    deep_stack_ratios,
    dying_outcomes,
    gradient_ratio,
    ratio_text,
    selu_statistics,
)

__all__ = [
    "CUSTOM",
    "DYING",
    "DYING_EPOCHS",
    "ELU",
    "ELU_Z",
    "FASTER",
    "FASTER_THRESHOLD",
    "LESSONS",
    "OUTPUTS",
    "RACE",
    "RACE_EPOCHS",
    "RELU",
    "RELU_Z",
    "SELU",
    "SIGMOID_Z",
    "SOFTMAX",
    "SOFTMAX_Z",
    "SOFTPLUS",
    "SOFTSIGN",
    "SQUASH",
    "TANH_Z",
    "VANISHING",
    "VANISHING_RATIO",
    "Lesson",
    "LessonState",
    "Step",
    "convergence",
    "deep_stack_ratios",
    "dying_outcomes",
    "elu_means",
    "epochs_to",
    "gradient_ratio",
    "lesson",
    "output_suggestions",
    "race_outcome",
    "ratio_text",
    "selu_statistics",
    "starting_gradient_ratios",
]

LESSONS: tuple[Lesson, ...] = (
    RELU,
    SQUASH,
    SOFTMAX,
    SOFTPLUS,
    SOFTSIGN,
    CUSTOM,
    ELU,
    VANISHING,
    FASTER,
    DYING,
    SELU,
    OUTPUTS,
    RACE,
)


def lesson(key: str) -> Lesson:
    """The lesson called ``key``; an unknown key raises ValueError listing the known ones."""
    for candidate in LESSONS:
        if candidate.key == key:
            return candidate
    raise ValueError(f"no lesson called {key!r} (lessons: {', '.join(item.key for item in LESSONS)})")
