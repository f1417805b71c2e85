"""Lessons on one activation at a time: relu's parameters, sigmoid and tanh, softmax, softplus, softsign, a custom
formula, ELU. Each reproduces the tutorials' own examples; every number in a text is computed when it is written."""

from __future__ import annotations

import html
from collections.abc import Callable

import numpy as np

from neuroviz.lessons.core import (
    Lesson,
    LessonState,
    Step,
    _activation_is,
    _df,
    _f,
    _hidden_all,
    _passing,
    _probed_is,
    _values,
    plane_network,
)
from neuroviz.model import Network
from neuroviz.model.display import format_value
from neuroviz.model.layer_stats import layer_statistics
from neuroviz.model.picture import SATURATED, neuron_status

# -- ReLU and its parameters -----------------------------------------------------------------------------------
#: The tutorial's vector (``tf.constant([-5, -8, 0.0, 3, 9])``) and its parameters: alpha=0.7, max_value=3, threshold=7.
RELU_Z = (-5.0, -8.0, 0.0, 3.0, 9.0)


def _relu_text() -> str:
    z = RELU_Z
    rows = [
        ("relu(z)", {}),
        ("negative_slope=0.7", {"negative_slope": 0.7}),
        ("max_value=3", {"max_value": 3.0}),
        ("threshold=7", {"threshold": 7.0}),
        ("all three", {"negative_slope": 0.7, "max_value": 3.0, "threshold": 7.0}),
    ]
    table = "".join(
        f"<tr><td>{html.escape(label)}</td><td>{_values(_f('relu', z, **p))}</td></tr>" for label, p in rows
    )
    return (
        "<p>ReLU passes positive inputs unchanged and turns the rest into 0: on the tutorial's "
        f"z = {_values(z)} it gives {_values(_f('relu', z))}. Its three parameters change that:</p>"
        f"<table cellpadding='3'>{table}</table>"
        "<p>The five inputs here go straight into one ReLU layer, so the <b>Outputs</b> chart shows relu(z). "
        "Older Keras (and the tutorials) call <i>negative_slope</i> <i>alpha</i>. With all three, the slope is "
        "measured from the threshold and the negative part is not capped by max_value.</p>"
    )


def _relu_network() -> Network:
    return _passing(
        RELU_Z,
        "relu",
        name="Lesson: ReLU and its parameters",
        description="Five inputs go unchanged into one ReLU layer: the outputs are relu(z).",
    )


def _relu_outputs(state: LessonState, **params) -> bool:
    expected = _f("relu", RELU_Z, **params)
    return _activation_is(state, "relu") and np.allclose(state.propagation.outputs, expected, rtol=1e-9, atol=1e-12)


RELU = Lesson(
    key="relu",
    title="ReLU and its parameters",
    summary="max(z, 0), a leaking negative slope, a ceiling and a threshold — the tutorial's outputs reproduced.",
    build=_relu_network,
    text=_relu_text,
    steps=(
        Step(
            "Type the tutorial's vector -5, -8, 0, 3, 9 in <b>Probe z</b> under the activation plot.",
            lambda s: _activation_is(s, "relu") and _probed_is(s, RELU_Z),
        ),
        Step(
            "Set <b>negative slope</b> to 0.7 in the layer's card: negative inputs now leak through at 70 %.",
            lambda s: _relu_outputs(s, negative_slope=0.7),
        ),
        Step(
            "Set negative slope back to 0, tick <b>max value</b> and set it to 3: the output stops at 3.",
            lambda s: _relu_outputs(s, max_value=3.0),
        ),
        Step(
            "Untick max value and set <b>threshold</b> to 7: only 9 passes — the tutorial's printed output.",
            lambda s: _relu_outputs(s, threshold=7.0),
        ),
    ),
)


# -- sigmoid and tanh: ranges and saturation ----------------------------------------------------------------------
#: The tutorial's vectors for sigmoid and tanh.
SIGMOID_Z = (-35.0, -5.0, 0.0, 6.0, 25.0)
TANH_Z = (5.0, -1.0, -5.0, 6.0, 3.0)


def _squash_text() -> str:
    return (
        f"<p>The tutorial's sigmoid example: sigmoid({_values(SIGMOID_Z)}) = {_values(_f('sigmoid', SIGMOID_Z))}; "
        f"its tanh example: tanh({_values(TANH_Z)}) = {_values(_f('tanh', TANH_Z))}.</p>"
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
            "Type the tutorial's -35, -5, 0, 6, 25 in <b>Probe z</b>: read sigmoid of each.",
            lambda s: _activation_is(s, "sigmoid") and _probed_is(s, SIGMOID_Z),
        ),
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
            "Switch the layer to <b>softsign</b>, choose <b>Compare with: tanh</b> and drag z to 3: the Outputs "
            "chart reads softsign(3), the dotted curve tanh well above it.",
            lambda s: (
                _activation_is(s, "softsign")
                and s.compared == "tanh"
                and abs(float(s.network.input_values[0]) - 3.0) < 0.05
            ),
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


# -- ELU: negative outputs pull the mean towards 0 ---------------------------------------------------------------
ELU_Z = (-5.0, -1.0, 0.0, 1.0, 5.0)


def _elu_network(hidden: str = "elu") -> Network:
    return plane_network(
        [2, 16, 16, 1],
        [hidden, hidden, "sigmoid"],
        seed=4,
        name="Lesson: ELU and the mean of a layer",
        description="Two hidden layers of 16 ELU neurons, fed Playground's circle.",
    )


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
