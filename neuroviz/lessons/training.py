"""Lessons that train: vanishing gradients in a deep sigmoid stack, dying ReLUs under a large learning rate, SELU
normalising itself. The numbers their texts state come from the training engine when the lesson opens; their steps
are checked on the window's own training history."""

from __future__ import annotations

import math

import numpy as np

from neuroviz.lessons.core import (
    Lesson,
    LessonState,
    Step,
    _df,
    _hidden_all,
    plane_network,
)
from neuroviz.model import Network
from neuroviz.model.display import format_value
from neuroviz.model.layer_stats import LayerStatistics, layer_statistics

# -- vanishing gradients: a deep sigmoid stack against relu -------------------------------------------------------
DEEP_SIZES = (2, 6, 6, 6, 6, 6, 6, 1)
DEEP_TRAINING = {"optimizer": "sgd", "learning_rate": 0.5, "loss": "binary_crossentropy", "batch_size": 10}
#: The first layer's gradient must be this many times smaller than the last layer's for the step to count.
VANISHING_RATIO = 100.0


def _deep_network(hidden: str = "sigmoid") -> Network:
    return plane_network(
        list(DEEP_SIZES),
        [hidden] * (len(DEEP_SIZES) - 2) + ["sigmoid"],
        seed=3,
        name="Lesson: vanishing gradients",
        description="Six hidden layers of six sigmoid neurons on Playground's circle: watch the gradient flow.",
    )


def gradient_ratio(norms: np.ndarray) -> float:
    """How many times smaller the first layer's gradient is than the last layer's (∞ when the first is 0)."""
    first, last = float(norms[0]), float(norms[-1])
    return math.inf if first == 0.0 else last / first


def deep_stack_ratios(epochs: int = 3) -> dict[str, float]:
    """The ratio :func:`gradient_ratio` after ``epochs`` of training each version of the lesson's network on the
    lesson's data, computed with the training engine: what the lesson's text states."""
    from neuroviz.model import datasets
    from neuroviz.model.training import SGD, Trainer

    name, noise, seed = VANISHING.data  # type: ignore[misc]
    train, _test = datasets.split(datasets.generate(name, noise=noise, seed=seed), 0.5)
    ratios = {}
    for hidden in ("sigmoid", "relu"):
        net = _deep_network(hidden)
        trainer = Trainer(net, optimizer=SGD(DEEP_TRAINING["learning_rate"]), loss=DEEP_TRAINING["loss"])
        y = train.targets_for(net, DEEP_TRAINING["loss"])
        trainer.fit(train.x, y, batch_size=DEEP_TRAINING["batch_size"], epochs=epochs, shuffle=True, seed=0)
        grads = net.gradients(train.x, y, DEEP_TRAINING["loss"])
        ratios[hidden] = gradient_ratio(np.array([np.linalg.norm(w) for w in grads.weights]))
    return ratios


def _vanishing_text() -> str:
    ratios = deep_stack_ratios()
    slope = float(np.max(_df("sigmoid", np.linspace(-10, 10, 2001))))
    return (
        "<p>A sigmoid's slope is at most "
        f"{format_value(slope)}, so the error that training sends back from the output shrinks in every sigmoid "
        "layer it passes through: the first layers learn far more slowly than the last (the <i>vanishing "
        "gradient</i>).</p>"
        "<p>This network has six hidden sigmoid layers and trains on Playground's circle. Computed when this "
        "lesson opened: after 3 epochs its first layer's gradient is "
        f"<b>{ratio_text(ratios['sigmoid'])}×</b> smaller than its last layer's; with relu in the hidden layers, "
        f"<b>{ratio_text(ratios['relu'])}×</b>.</p>"
        "<p>The <b>Training Charts</b> dock's gradient flow shows each layer's gradient per epoch on a log scale.</p>"
    )


def ratio_text(ratio: float) -> str:
    """A ratio for people: whole thousands with separators (16,236), small ones to 3 digits (1.21)."""
    return f"{ratio:,.0f}" if ratio >= 100 else f"{ratio:.3g}"


def _latest_ratio(state: LessonState) -> float:
    return gradient_ratio(state.gradient_norms[-1]) if state.gradient_norms else 0.0


VANISHING = Lesson(
    key="vanishing",
    title="Vanishing gradients: a deep sigmoid stack against relu",
    summary="Train six sigmoid layers and watch the first ones barely learn; then the same with relu.",
    build=_deep_network,
    text=_vanishing_text,
    steps=(
        Step(
            "Press <b>Step</b> in the Training dock three times (three epochs), then look at the gradient flow: the "
            f"first layer's gradient is at least {VANISHING_RATIO:g}× smaller than the last layer's.",
            lambda s: _hidden_all(s, "sigmoid") and len(s.gradient_norms) >= 3 and _latest_ratio(s) >= VANISHING_RATIO,
        ),
        Step(
            "Switch all six hidden layers to <b>relu</b>, press <b>Reset</b>, and Step three epochs again: the "
            "first layers now get a gradient of the same order as the last.",
            lambda s: _hidden_all(s, "relu") and len(s.gradient_norms) >= 3 and _latest_ratio(s) < 10.0,
        ),
    ),
    data=("circle", 0.0, 0),
    training=DEEP_TRAINING,
    chart="Gradient flow",
)


# -- dying ReLUs under a large learning rate; leaky_relu and PReLU keep a slope --------------------------------------
DYING_TRAINING = {"optimizer": "sgd", "learning_rate": 3.0, "loss": "binary_crossentropy", "batch_size": 10}
DYING_EPOCHS = 5


def _dying_network(hidden: str = "relu") -> Network:
    return plane_network(
        [2, 8, 8, 1],
        [hidden, hidden, "sigmoid"],
        seed=3,
        name="Lesson: dying ReLUs",
        description="Two hidden layers of eight ReLUs on Playground's circle, trained with a learning rate of 3.",
    )


def dying_outcomes(epochs: int = DYING_EPOCHS) -> dict[str, tuple[int, float]]:
    """Per hidden activation: (neurons of the second layer dead on every training point, final training loss)
    after ``epochs`` of the lesson's training, computed with the engine — what the lesson's text states."""
    from neuroviz.model import datasets
    from neuroviz.model.training import SGD, Trainer

    train, _test = datasets.split(datasets.generate("circle", noise=0.0, seed=0), 0.5)
    outcomes = {}
    for hidden in ("relu", "leaky_relu"):
        net = _dying_network(hidden)
        trainer = Trainer(net, optimizer=SGD(DYING_TRAINING["learning_rate"]), loss=DYING_TRAINING["loss"])
        y = train.targets_for(net, DYING_TRAINING["loss"])
        history = trainer.fit(train.x, y, batch_size=10, epochs=epochs, shuffle=True, seed=0)
        stats = layer_statistics(net, train.x)
        outcomes[hidden] = (int(stats.dead_everywhere[1]), float(history.history["loss"][-1]))
    return outcomes


def _dying_text() -> str:
    outcomes = dying_outcomes()
    dead, _relu_loss = outcomes["relu"]
    leaky_dead, _leaky_loss = outcomes["leaky_relu"]
    slope = float(_df("leaky_relu", -1.0))
    return (
        "<p>A ReLU whose input is negative for every data point outputs 0 with slope 0: no gradient reaches its "
        "weights, so it never recovers — it has <i>died</i>. A large learning rate pushes many biases that far.</p>"
        f"<p>Computed when this lesson opened: after {DYING_EPOCHS} epochs with learning rate "
        f"{format_value(DYING_TRAINING['learning_rate'])}, <b>{dead} of 8</b> neurons of the second hidden layer are "
        f"dead on every training point. With leaky_relu, whose slope below 0 is {format_value(slope)}, "
        f"{leaky_dead} are. PReLU keeps a slope too, and <i>learns</i> it.</p>"
        "<p>The Training Charts' <b>dead neurons</b> tab shows the dead share of each ReLU layer per epoch; the "
        "network view marks a neuron dead on the whole map with ⊘ (one dead on every training point may still "
        "fire somewhere else on the plane: it is marked ✕ where the inputs now are, not ⊘).</p>"
    )


def _statistics_after(state: LessonState, epochs: int) -> LayerStatistics | None:
    return state.statistics if len(state.gradient_norms) >= epochs else None


def _dead_everywhere(state: LessonState, minimum: int) -> bool:
    stats = _statistics_after(state, DYING_EPOCHS)
    return stats is not None and int(np.max(stats.dead_everywhere)) >= minimum


def _none_dead(state: LessonState) -> bool:
    stats = _statistics_after(state, DYING_EPOCHS)
    return stats is not None and float(np.max(stats.dead_share)) == 0.0


DYING = Lesson(
    key="dying",
    title="Dying ReLUs, and the slope that saves them",
    summary="A large learning rate kills ReLUs for good; leaky_relu and PReLU keep a slope (PReLU learns it).",
    build=_dying_network,
    text=_dying_text,
    steps=(
        Step(
            f"Press <b>Step</b> {DYING_EPOCHS} times: neurons of the second layer die for every training point "
            "(⊘ on the network, the dead-neurons chart).",
            lambda s: _hidden_all(s, "relu") and _dead_everywhere(s, 1),
        ),
        Step(
            f"Switch both hidden layers to <b>leaky_relu</b>, press <b>Reset</b> and Step {DYING_EPOCHS} times: no "
            "neuron is dead on any point.",
            lambda s: _hidden_all(s, "leaky_relu") and _none_dead(s),
        ),
        Step(
            "Switch them to <b>prelu</b>, Reset and Step: its slope α (in the layer's card) moves away from 0.25 — it "
            "is learned like a weight.",
            lambda s: _hidden_all(s, "prelu") and len(s.gradient_norms) >= 1 and _prelu_learned(s),
        ),
    ),
    data=("circle", 0.0, 0),
    training=DYING_TRAINING,
    chart="Dead neurons",
)


def _prelu_learned(state: LessonState) -> bool:
    return any(not np.allclose(layer.params.get("alpha", 0.25), 0.25) for layer in state.network.layers[:-1])


# -- SELU normalises itself -----------------------------------------------------------------------------------------
SELU_SIZES = (2, *[32] * 8, 1)
SELU_TRAINING = {"optimizer": "adam", "learning_rate": 0.001, "loss": "binary_crossentropy", "batch_size": 10}


def _selu_network(hidden: str = "selu") -> Network:
    initializer = "lecun_normal" if hidden == "selu" else "glorot_uniform"
    return plane_network(
        list(SELU_SIZES),
        [hidden] * (len(SELU_SIZES) - 2) + ["sigmoid"],
        seed=5,
        kernel_initializer=initializer,
        name="Lesson: SELU normalises itself",
        description="Eight hidden layers of 32 SELU neurons with lecun_normal weights, on Playground's circle.",
    )


def selu_statistics() -> dict[str, tuple[float, float, float]]:
    """Per hidden activation: (first hidden layer's deviation, last hidden layer's mean, its deviation) over the
    lesson's training points at the start, computed — what the lesson's text states."""
    from neuroviz.model import datasets

    train, _test = datasets.split(datasets.generate("circle", noise=0.0, seed=0), 0.5)
    out = {}
    for hidden in ("selu", "tanh", "sigmoid"):
        stats = layer_statistics(_selu_network(hidden), train.x)
        out[hidden] = (float(stats.std[0]), float(stats.mean[-2]), float(stats.std[-2]))
    return out


def _selu_text() -> str:
    stats = selu_statistics()

    def describe(name: str) -> str:
        first, mean, std = stats[name]
        return (
            f"{name}: deviation {format_value(first)} in the first layer, mean {format_value(mean)} and "
            f"deviation {format_value(std)} in the eighth"
        )

    return (
        "<p>SELU's two constants are chosen so that, with <i>lecun_normal</i> weights, each layer pushes the mean of "
        "its activations towards 0 and their standard deviation towards 1: a deep stack normalises itself, without "
        "batch normalisation. Other activations let the spread shrink (or sit off-centre) layer after layer.</p>"
        "<p>Computed over the training points when this lesson opened:</p><ul>"
        + "".join(f"<li>{describe(name)}</li>" for name in ("selu", "tanh", "sigmoid"))
        + "</ul><p>The Training Charts' <b>layer statistics</b> tab shows each layer's mean and deviation per "
        "epoch. (The Training dock's Reset gives SELU layers lecun_normal weights.)</p>"
    )


def _last_hidden_normal(state: LessonState) -> bool:
    stats = _statistics_after(state, 1)
    if stats is None:
        return False
    return abs(float(stats.mean[-2])) < 0.2 and 0.7 < float(stats.std[-2]) < 1.3


def _spread_shrinks(state: LessonState) -> bool:
    stats = _statistics_after(state, 1)
    return stats is not None and float(stats.std[-2]) < 0.5 * float(stats.std[0])


SELU = Lesson(
    key="selu",
    title="SELU normalises itself",
    summary="Eight SELU layers keep their activations near mean 0 and deviation 1; tanh lets them shrink.",
    build=_selu_network,
    text=_selu_text,
    steps=(
        Step(
            "Press <b>Step</b> once and open <b>Training Charts ▸ layer statistics</b>: the last SELU layers sit "
            "near mean 0 and deviation 1.",
            lambda s: _hidden_all(s, "selu") and _last_hidden_normal(s),
        ),
        Step(
            "Switch the eight hidden layers to <b>tanh</b>, press <b>Reset</b> and Step once: the deviation shrinks "
            "to less than half from the first layer to the last.",
            lambda s: _hidden_all(s, "tanh") and _spread_shrinks(s),
        ),
    ),
    data=("circle", 0.0, 0),
    training=SELU_TRAINING,
    chart="Layer statistics",
)
