"""Lessons: the claims of the activation-function tutorials, each turned into a network and a few steps to try.

A lesson builds its own network, says what to look at, and lists "try this" steps; the window ticks a step off when
what it shows satisfies the step's check (a pure function of :class:`LessonState`: the network, its propagation,
the selected layer and the activation plot's tools). Every number a lesson's text states is computed here from the
activations, when the text is made, never typed in: the texts are functions. No Qt here.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from neuroviz.model import Layer, Network, activations, probe
from neuroviz.model.display import format_value
from neuroviz.model.layer_stats import LayerStatistics, layer_statistics
from neuroviz.model.network import Propagation
from neuroviz.model.picture import SATURATED, neuron_status

__all__ = ["LESSONS", "Lesson", "LessonState", "Step", "lesson"]


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


# -- ReLU and its parameters -----------------------------------------------------------------------------------
RELU_Z = (-10.0, -5.0, 0.0, 5.0, 10.0)


def _relu_text() -> str:
    z = RELU_Z
    rows = [
        ("relu(z)", {}),
        ("negative_slope=0.5", {"negative_slope": 0.5}),
        ("max_value=5", {"max_value": 5.0}),
        ("threshold=5", {"threshold": 5.0}),
    ]
    table = "".join(
        f"<tr><td>{html.escape(label)}</td><td>{_values(_f('relu', z, **p))}</td></tr>" for label, p in rows
    )
    return (
        "<p>ReLU passes positive inputs unchanged and turns the rest into 0: on the tutorial's "
        f"z = {_values(z)} it gives {_values(_f('relu', z))}. Its three parameters change that:</p>"
        f"<table cellpadding='3'>{table}</table>"
        "<p>The five inputs here go straight into one ReLU layer, so the <b>Outputs</b> chart shows relu(z). "
        "Older Keras calls <i>negative_slope</i> <i>alpha</i>.</p>"
    )


def _relu_network() -> Network:
    return _passing(
        RELU_Z,
        "relu",
        name="Lesson: ReLU and its parameters",
        description="Five inputs go unchanged into one ReLU layer: the outputs are relu(z).",
    )


def _relu_outputs(state: LessonState, **params) -> bool:
    return _activation_is(state, "relu") and np.array_equal(state.propagation.outputs, _f("relu", RELU_Z, **params))


RELU = Lesson(
    key="relu",
    title="ReLU and its parameters",
    summary="max(z, 0), a leaking negative slope, a ceiling and a threshold — the tutorial's outputs reproduced.",
    build=_relu_network,
    text=_relu_text,
    steps=(
        Step(
            "Type the tutorial's vector -10, -5, 0, 5, 10 in <b>Probe z</b> under the activation plot.",
            lambda s: _activation_is(s, "relu") and _probed_is(s, RELU_Z),
        ),
        Step(
            "Set <b>negative slope</b> to 0.5 in the layer's card: negative inputs now leak through at half strength.",
            lambda s: _relu_outputs(s, negative_slope=0.5),
        ),
        Step(
            "Set negative slope back to 0, tick <b>max value</b> and set it to 5: the output stops at 5.",
            lambda s: _relu_outputs(s, max_value=5.0),
        ),
        Step(
            "Untick max value and set <b>threshold</b> to 5: only inputs above 5 pass.",
            lambda s: _relu_outputs(s, threshold=5.0),
        ),
    ),
)


# -- sigmoid and tanh: ranges and saturation ----------------------------------------------------------------------
def _squash_text() -> str:
    return (
        "<p>The sigmoid squashes any z into (0, 1): "
        f"σ(−8) = {format_value(_f('sigmoid', -8.0))}, σ(0) = {format_value(_f('sigmoid', 0.0))}, "
        f"σ(8) = {format_value(_f('sigmoid', 8.0))}. Far from 0 its slope all but vanishes: "
        f"σ′(8) = {format_value(_df('sigmoid', 8.0))}, so a saturated neuron barely learns. The network view "
        "rings a neuron whose slope is below 0.001 as <i>saturated</i>.</p>"
        "<p>tanh does the same into (−1, 1), centred on 0: "
        f"tanh(−2) = {format_value(_f('tanh', -2.0))}, tanh(2) = {format_value(_f('tanh', 2.0))}.</p>"
    )


def _squash_network() -> Network:
    return _passing(
        (1.0,),
        "sigmoid",
        name="Lesson: sigmoid and tanh",
        description="One input z goes unchanged into one neuron: its output is f(z).",
    )


def _saturated(state: LessonState) -> bool:
    status = neuron_status(state.propagation.activations[1], state.propagation.derivatives[1])
    return bool(np.any(status == SATURATED))


SQUASH = Lesson(
    key="squash",
    title="Sigmoid and tanh: ranges and saturation",
    summary="(0, 1) against (−1, 1), and why a saturated neuron stops learning.",
    build=_squash_network,
    text=_squash_text,
    steps=(
        Step(
            "Drag the input z up to 8 or more: the output nears 1 and the neuron gets the saturated ring.",
            lambda s: _activation_is(s, "sigmoid") and _saturated(s) and s.propagation.outputs[0] > 0.5,
        ),
        Step(
            "Drag z below −8: the output nears 0 and the neuron is saturated again.",
            lambda s: _activation_is(s, "sigmoid") and _saturated(s) and s.propagation.outputs[0] < 0.5,
        ),
        Step(
            "Switch the layer to <b>tanh</b> and bring z to about −2: the output is now negative.",
            lambda s: _activation_is(s, "tanh") and s.propagation.outputs[0] < -0.9,
        ),
    ),
)


# -- softmax: sums to 1, not scale invariant ---------------------------------------------------------------------
SOFTMAX_Z = (1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0)


def _softmax_text() -> str:
    z = np.array(SOFTMAX_Z)
    big, small = _f("softmax", z), _f("softmax", 0.1 * z)
    return (
        f"<p>softmax turns scores into probabilities that sum to 1. On the tutorial's z = {_values(z)}:</p>"
        f"<p>softmax(z) = {_values(big)}, Σ = {format_value(big.sum())}</p>"
        "<p>It is not the plain share z / Σz, and it is not scale invariant: the same scores × 0.1 give "
        f"{_values(small)} (Σ = {format_value(small.sum())}) — flatter, while z / Σz = "
        f"{_values(z / z.sum())} would not change at all.</p>"
        "<p>The seven inputs go straight into one softmax layer: the <b>Outputs</b> chart shows the probabilities "
        "and their Σ.</p>"
    )


def _softmax_network() -> Network:
    return _passing(
        SOFTMAX_Z,
        "softmax",
        name="Lesson: softmax",
        description="Seven scores go unchanged into one softmax layer: the outputs are softmax(z).",
    )


SOFTMAX = Lesson(
    key="softmax",
    title="Softmax: probabilities that sum to 1",
    summary="[1, 2, 3, 4, 1, 2, 3] against the same × 0.1, with Σ and z / Σz beside it.",
    build=_softmax_network,
    text=_softmax_text,
    steps=(
        Step(
            "Type the scores × 0.1 in <b>Probe z</b>: 0.1, 0.2, 0.3, 0.4, 0.1, 0.2, 0.3 — compare softmax with "
            "z / Σz on the line below it.",
            lambda s: _activation_is(s, "softmax") and _probed_is(s, 0.1 * np.array(SOFTMAX_Z)),
        ),
        Step(
            "Drag z4 down to 1: the largest probability moves, and Σ stays 1.",
            lambda s: _activation_is(s, "softmax") and abs(float(s.network.input_values[3]) - 1.0) < 0.05,
        ),
        Step(
            "Switch the layer to <b>sparsemax</b>: it also sums to 1, but gives exact zeros.",
            lambda s: _activation_is(s, "sparsemax") and bool(np.any(s.propagation.outputs == 0.0)),
        ),
    ),
)


# -- softplus: a smooth ReLU whose derivative is the sigmoid -----------------------------------------------------
def _softplus_text() -> str:
    z = np.linspace(-10.0, 10.0, 2001)
    gap = float(np.max(np.abs(_df("softplus", z) - _f("sigmoid", z))))
    worst = float(np.max(np.abs(_f("softplus", z) - _f("relu", z))))
    return (
        "<p>softplus(z) = log(1 + eᶻ) is a smooth ReLU: it differs from relu by at most "
        f"{format_value(worst)} (at z = 0, where softplus(0) = log 2 = {format_value(_f('softplus', 0.0))}), and "
        "has no kink and no dead zone.</p>"
        "<p>Its derivative is exactly the sigmoid: over z in [−10, 10] they differ by at most "
        f"{format_value(gap)}.</p>"
    )


def _softplus_network() -> Network:
    return _passing(
        (0.5,),
        "relu",
        name="Lesson: softplus",
        description="One input z goes unchanged into one neuron: its output is f(z).",
    )


SOFTPLUS = Lesson(
    key="softplus",
    title="Softplus: a smooth ReLU",
    summary="relu against softplus, and softplus′ against the sigmoid.",
    build=_softplus_network,
    text=_softplus_text,
    steps=(
        Step(
            "Choose <b>Compare with: softplus</b> above the activation plot: the dotted curve rounds relu's corner.",
            lambda s: _activation_is(s, "relu") and s.compared == "softplus",
        ),
        Step(
            "Switch the layer to <b>softplus</b> and compare with <b>sigmoid</b>: the dashed f′ lies on the dotted "
            "sigmoid.",
            lambda s: _activation_is(s, "softplus") and s.compared == "sigmoid",
        ),
    ),
)


# -- softsign against tanh ---------------------------------------------------------------------------------------
def _softsign_text() -> str:
    return (
        "<p>softsign(z) = z / (1 + |z|) has tanh's range (−1, 1) but approaches it much more slowly: "
        f"at z = 3, tanh gives {format_value(_f('tanh', 3.0))} and softsign {format_value(_f('softsign', 3.0))}; "
        f"at z = 10, {format_value(_f('tanh', 10.0))} and {format_value(_f('softsign', 10.0))}. Its slope fades "
        f"polynomially (softsign′(3) = {format_value(_df('softsign', 3.0))}) where tanh's fades exponentially "
        f"(tanh′(3) = {format_value(_df('tanh', 3.0))}).</p>"
    )


def _softsign_network() -> Network:
    return _passing(
        (1.0,),
        "tanh",
        name="Lesson: softsign",
        description="One input z goes unchanged into one neuron: its output is f(z).",
    )


SOFTSIGN = Lesson(
    key="softsign",
    title="Softsign: tanh's range, reached slowly",
    summary="Two S-curves into (−1, 1) that saturate at very different speeds.",
    build=_softsign_network,
    text=_softsign_text,
    steps=(
        Step(
            "Choose <b>Compare with: softsign</b>: the dotted curve rises more gently.",
            lambda s: _activation_is(s, "tanh") and s.compared == "softsign",
        ),
        Step(
            "Switch the layer to <b>softsign</b> and drag z to 3: read the output in the Outputs chart.",
            lambda s: _activation_is(s, "softsign") and abs(float(s.network.input_values[0]) - 3.0) < 0.05,
        ),
    ),
)


# -- your own activation: x · sigmoid(β x) -------------------------------------------------------------------------
CUSTOM_GRID = np.linspace(-6.0, 6.0, 241)


def _custom_function_gap(state: LessonState, reference: Callable[[np.ndarray], np.ndarray]) -> float:
    layer = state.layer(1)
    if layer.formula is None:
        return float("inf")
    values = np.asarray(layer.function(CUSTOM_GRID, **layer.params), dtype=np.float64)
    return float(np.max(np.abs(values - reference(CUSTOM_GRID))))


def _custom_text() -> str:
    beta = 10.0
    swish10 = CUSTOM_GRID * _f("sigmoid", beta * CUSTOM_GRID)
    gap = float(np.max(np.abs(swish10 - _f("relu", CUSTOM_GRID))))
    return (
        "<p>The tutorials end by writing an activation of your own: <b>x · sigmoid(β·x)</b>. With β = 1 it is "
        "Keras' <i>silu</i> (swish); as β grows it approaches relu — with β = 10 it is within "
        f"{format_value(gap)} of relu over [−6, 6]; with β = 0 it is x / 2.</p>"
    )


def _custom_network() -> Network:
    return _passing(
        (1.0,),
        "relu",
        name="Lesson: your own activation",
        description="One input z goes unchanged into one neuron: its output is f(z).",
    )


CUSTOM = Lesson(
    key="custom",
    title="Your own activation: x · sigmoid(β·x)",
    summary="Type a formula, give it a parameter, and watch it become silu, then relu.",
    build=_custom_network,
    text=_custom_text,
    steps=(
        Step(
            "Choose <b>Custom…</b> at the end of the layer's activation list; the editor starts with "
            "x * sigmoid(beta * x) and β = 1: press OK.",
            lambda s: _custom_function_gap(s, lambda z: _f("silu", z)) < 1e-12,
        ),
        Step(
            "Set <b>beta</b> to 10 in the layer's card: the curve bends into relu's corner.",
            lambda s: _custom_function_gap(s, lambda z: z * _f("sigmoid", 10.0 * z)) < 1e-12,
        ),
        Step(
            "Choose <b>Compare with: relu</b> to see how close it came.",
            lambda s: s.layer(1).formula is not None and s.compared == "relu",
        ),
    ),
)


# -- vanishing gradients: a deep sigmoid stack against relu -------------------------------------------------------
DEEP_SIZES = (2, 6, 6, 6, 6, 6, 6, 1)
DEEP_TRAINING = {"optimizer": "sgd", "learning_rate": 0.5, "loss": "binary_crossentropy", "batch_size": 10}
#: The first layer's gradient must be this many times smaller than the last layer's for the step to count.
VANISHING_RATIO = 100.0


def _deep_network(hidden: str = "sigmoid") -> Network:
    net = Network.from_sizes(
        list(DEEP_SIZES),
        [hidden] * (len(DEEP_SIZES) - 2) + ["sigmoid"],
        seed=3,
        name="Lesson: vanishing gradients",
        description="Six hidden layers of six sigmoid neurons on Playground's circle: watch the gradient flow.",
    )
    net.input_names = ["x1", "x2"]
    net.input_features = ("x1", "x2")
    for i in range(2):
        net.set_input_range(i, -6.0, 6.0)
    return net


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
        f"<b>{format_value(ratios['sigmoid'])}×</b> smaller than its last layer's; with relu in the hidden layers, "
        f"<b>{format_value(ratios['relu'])}×</b>.</p>"
        "<p>The <b>Training Charts</b> dock's gradient flow shows each layer's gradient per epoch on a log scale.</p>"
    )


def _latest_ratio(state: LessonState) -> float:
    return gradient_ratio(state.gradient_norms[-1]) if state.gradient_norms else 0.0


def _hidden_all(state: LessonState, name: str) -> bool:
    return all(layer.activation == name for layer in state.network.layers[:-1])


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
)


# -- dying ReLUs under a large learning rate; leaky_relu and PReLU keep a slope --------------------------------------
DYING_TRAINING = {"optimizer": "sgd", "learning_rate": 3.0, "loss": "binary_crossentropy", "batch_size": 10}
DYING_EPOCHS = 5


def _dying_network(hidden: str = "relu") -> Network:
    net = Network.from_sizes(
        [2, 8, 8, 1],
        [hidden, hidden, "sigmoid"],
        seed=3,
        name="Lesson: dying ReLUs",
        description="Two hidden layers of eight ReLUs on Playground's circle, trained with a learning rate of 3.",
    )
    net.input_names = ["x1", "x2"]
    net.input_features = ("x1", "x2")
    for i in range(2):
        net.set_input_range(i, -6.0, 6.0)
    return net


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
        "network view marks a neuron dead on the whole map with ⊘.</p>"
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
)


def _prelu_learned(state: LessonState) -> bool:
    return any(not np.allclose(layer.params.get("alpha", 0.25), 0.25) for layer in state.network.layers[:-1])


# -- SELU normalises itself -----------------------------------------------------------------------------------------
SELU_SIZES = (2, *[32] * 8, 1)
SELU_TRAINING = {"optimizer": "adam", "learning_rate": 0.001, "loss": "binary_crossentropy", "batch_size": 10}


def _selu_network(hidden: str = "selu") -> Network:
    initializer = "lecun_normal" if hidden == "selu" else "glorot_uniform"
    net = Network.from_sizes(
        list(SELU_SIZES),
        [hidden] * (len(SELU_SIZES) - 2) + ["sigmoid"],
        seed=5,
        kernel_initializer=initializer,
        name="Lesson: SELU normalises itself",
        description="Eight hidden layers of 32 SELU neurons with lecun_normal weights, on Playground's circle.",
    )
    net.input_names = ["x1", "x2"]
    net.input_features = ("x1", "x2")
    for i in range(2):
        net.set_input_range(i, -6.0, 6.0)
    return net


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
)


# -- ELU: negative outputs pull the mean towards 0 ---------------------------------------------------------------
ELU_Z = (-5.0, -1.0, 0.0, 1.0, 5.0)


def _elu_network(hidden: str = "elu") -> Network:
    net = Network.from_sizes(
        [2, 16, 16, 1],
        [hidden, hidden, "sigmoid"],
        seed=4,
        name="Lesson: ELU and the mean of a layer",
        description="Two hidden layers of 16 ELU neurons, fed Playground's circle.",
    )
    net.input_names = ["x1", "x2"]
    net.input_features = ("x1", "x2")
    for i in range(2):
        net.set_input_range(i, -6.0, 6.0)
    return net


def elu_means() -> dict[str, float]:
    """The first hidden layer's mean activation over the lesson's training points for relu, ELU with α = 1 and
    with α = 2, computed — what the lesson's text states."""
    from neuroviz.model import datasets

    train, _test = datasets.split(datasets.generate("circle", noise=0.0, seed=0), 0.5)
    means = {}
    for label, hidden, alpha in (("relu", "relu", None), ("elu", "elu", 1.0), ("elu α=2", "elu", 2.0)):
        net = _elu_network(hidden)
        if alpha is not None:
            for k in (1, 2):
                net.set_params(k, alpha=alpha)
        means[label] = float(layer_statistics(net, train.x).mean[0])
    return means


def _elu_text() -> str:
    means = elu_means()
    return (
        "<p>ELU is relu for positive inputs, but below 0 it curves down towards −α instead of stopping at 0: "
        f"on z = {_values(ELU_Z)} it gives {_values(_f('elu', ELU_Z))}. Negative outputs pull a layer's mean "
        "activation towards 0, which helps the next layer learn; and a neuron below 0 keeps a slope, so it "
        "cannot die.</p>"
        "<p>Computed over the training points (the first hidden layer's mean activation): relu "
        f"{format_value(means['relu'])}, ELU with α = 1 {format_value(means['elu'])}, with α = 2 "
        f"{format_value(means['elu α=2'])}.</p>"
    )


def _first_layer_mean(state: LessonState) -> float | None:
    if state.data_x is None or state.data_x.shape[1] != state.network.n_inputs:
        return None
    return float(layer_statistics(state.network, state.data_x).mean[0])


def _elu_alpha_is(state: LessonState, alpha: float) -> bool:
    return all(
        layer.activation == "elu" and np.isclose(layer.params["alpha"], alpha) for layer in state.network.layers[:-1]
    )


ELU = Lesson(
    key="elu",
    title="ELU: negative outputs and the mean of a layer",
    summary="ELU's α sets how far below 0 it reaches, and pulls a layer's mean activation towards 0.",
    build=_elu_network,
    text=_elu_text,
    steps=(
        Step(
            "Type -5, -1, 0, 1, 5 in <b>Probe z</b>: the negative ones approach −α = −1.",
            lambda s: _activation_is(s, "elu") and _probed_is(s, ELU_Z),
        ),
        Step(
            "Set <b>alpha</b> to 2 in both hidden layers: the first layer's mean activation drops to about 0.",
            lambda s: _elu_alpha_is(s, 2.0) and (m := _first_layer_mean(s)) is not None and abs(m) < 0.1,
        ),
        Step(
            "Switch both hidden layers to <b>relu</b>: no output is below 0 any more, and the mean rises.",
            lambda s: _hidden_all(s, "relu") and (m := _first_layer_mean(s)) is not None and m > 0.3,
        ),
    ),
    data=("circle", 0.0, 0),
    training={"optimizer": "adam", "learning_rate": 0.01, "loss": "binary_crossentropy", "batch_size": 10},
)


LESSONS: tuple[Lesson, ...] = (RELU, SQUASH, SOFTMAX, SOFTPLUS, SOFTSIGN, CUSTOM, ELU, VANISHING, DYING, SELU)


def lesson(key: str) -> Lesson:
    """The lesson called ``key``; an unknown key raises ValueError listing the known ones."""
    for candidate in LESSONS:
        if candidate.key == key:
            return candidate
    raise ValueError(f"no lesson called {key!r} (lessons: {', '.join(item.key for item in LESSONS)})")
