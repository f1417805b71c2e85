"""Which activation where: the decision table the guide's overview shows (and lessons link to).

One row per situation: where in the network, which activation, which loss goes with it at the output, and why. The
names are the registry's and the losses' own (a test checks both), so following a row in the app works as written;
numbers a row states (the sigmoid's largest slope) are computed from the activation, not typed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuroviz.model import activations

__all__ = ["DECISIONS", "Decision", "largest_slope", "why_text"]


@dataclass(frozen=True)
class Decision:
    """``place``: "hidden" or "output"; ``situation``: when this applies; ``activations`` the ones to use (first
    one first); ``loss``: the Keras loss for an output row ("" for hidden layers); ``why``: one sentence;
    ``lesson``: the key of the lesson that shows it ("" for none)."""

    place: str
    situation: str
    activations: tuple[str, ...]
    loss: str
    why: str
    #: The lesson that shows it (neuroviz.lessons key), "" for none.
    lesson: str = ""


def largest_slope(name: str) -> float:
    """The largest |f′(z)| of activation ``name`` (default parameters) over z in [−20, 20]."""
    z = np.linspace(-20.0, 20.0, 40001)
    return float(np.max(np.abs(activations.get(name).derivative(z))))


DECISIONS: tuple[Decision, ...] = (
    Decision(
        "hidden",
        "A first choice for hidden layers",
        ("relu",),
        "",
        "Cheap, and its slope is 1 for every positive input, so gradients pass through deep stacks; a neuron whose "
        "input stays negative is dead (slope 0) and stops learning.",
        lesson="relu",
    ),
    Decision(
        "hidden",
        "Many ReLUs die (large learning rate, negative biases)",
        ("leaky_relu", "prelu", "elu"),
        "",
        "They keep a slope for negative inputs, so a neuron pushed below zero can come back; PReLU learns that slope.",
        lesson="dying",
    ),
    Decision(
        "hidden",
        "A deep plain stack that should keep its activations normalised",
        ("selu",),
        "",
        "With lecun_normal weights, SELU keeps each layer's mean near 0 and standard deviation near 1 as data "
        "passes through, without batch normalisation.",
        lesson="selu",
    ),
    Decision(
        "hidden",
        "Smooth alternatives used in modern architectures",
        ("gelu", "silu"),
        "",
        "Like ReLU for large inputs but smooth around 0, with a small negative dip.",
    ),
    Decision(
        "hidden",
        "Small or recurrent networks that want zero-centred outputs",
        ("tanh",),
        "",
        "Outputs in (−1, 1) centred on 0; it saturates for |z| beyond about 3.",
        lesson="squash",
    ),
    Decision(
        "hidden",
        "Avoid in deep hidden layers",
        ("sigmoid",),
        "",
        "Its slope is at most {sigmoid_slope}, so the gradient shrinks in every sigmoid layer it passes back through "
        "(the vanishing gradient).",
        lesson="vanishing",
    ),
    Decision(
        "output",
        "Regression: any real number",
        ("linear",),
        "mean_squared_error",
        "The output is the weighted sum itself, unbounded; mean absolute error is the robust alternative.",
        lesson="outputs",
    ),
    Decision(
        "output",
        "Binary classification: yes or no",
        ("sigmoid",),
        "binary_crossentropy",
        "One neuron whose output in (0, 1) reads as the probability of yes.",
        lesson="outputs",
    ),
    Decision(
        "output",
        "Multi-class: exactly one of k classes",
        ("softmax",),
        "categorical_crossentropy",
        "k neurons whose outputs are positive and sum to 1; use sparse_categorical_crossentropy for integer labels.",
        lesson="outputs",
    ),
    Decision(
        "output",
        "Multi-label: any number of k labels",
        ("sigmoid",),
        "binary_crossentropy",
        "k independent yes/no probabilities: they need not sum to 1.",
        lesson="outputs",
    ),
)


def why_text(decision: Decision) -> str:
    """The row's reason with its computed numbers filled in."""
    return decision.why.format(sigmoid_slope=f"{largest_slope('sigmoid'):.4g}")
