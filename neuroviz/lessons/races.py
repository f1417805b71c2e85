"""Lessons about choosing: which activation (and loss) for which output, a race of the hidden activations, and
relu converging faster than sigmoid in a deep network. Their numbers come from the training engine and the race
(``model/race.py``) when the lesson opens; their steps are checked on the window's Training dock and its race."""

from __future__ import annotations

import html
import math
import time
from functools import lru_cache

import numpy as np

from neuroviz.lessons.core import Lesson, LessonState, Step, _hidden_all, plane_network
from neuroviz.lessons.training import gradient_ratio, ratio_text
from neuroviz.model import Network, activations, advice, datasets
from neuroviz.model.display import format_value
from neuroviz.model.loss_advice import mismatch_warning, suggested_loss
from neuroviz.model.race import Contender, Race, RaceSettings

#: The losses as the Training dock names them.
LOSS_NAMES = {
    "mean_squared_error": "mean squared error",
    "binary_crossentropy": "binary cross-entropy",
    "categorical_crossentropy": "categorical cross-entropy",
}


def judged_losses(contender: Contender) -> list[float]:
    """The losses the race's chart draws for a contender: test losses when there are test rows."""
    return contender.test_losses or contender.losses


def epochs_to(losses: list[float], threshold: float) -> int | None:
    """The first epoch (from 1) whose loss is below ``threshold``; None when none is."""
    below = np.flatnonzero(np.asarray(losses, dtype=np.float64) < threshold)
    return int(below[0]) + 1 if below.size else None


def run_race(
    network: Network, names: tuple[str, ...], data: tuple[str, float, int], training: dict, epochs: int
) -> Race:
    """The race the window would run on this network with the lesson's data and Training settings (seed 0, half
    the points for training), run to the end."""
    name, noise, seed = data
    train, test = datasets.split(datasets.generate(name, noise=noise, seed=seed), 0.5)
    loss = training["loss"] or suggested_loss(network)
    settings = RaceSettings(
        loss, training["optimizer"], training["learning_rate"], {}, training["batch_size"], 0, epochs
    )
    rows = (train.x, train.targets_for(network, loss))
    race = Race(network, list(names), settings, rows, (test.x, test.targets_for(network, loss)))
    with np.errstate(all="ignore"):
        while not race.finished:
            race.step(race.batches_per_epoch)
    return race


def _race_finished(state: LessonState) -> bool:
    return state.race is not None and state.race.finished and state.race.winner() is not None


# -- which activation for which output, each with its loss ----------------------------------------------------------
OUTPUTS_TRAINING = {"optimizer": "adam", "learning_rate": 0.01, "loss": "", "batch_size": 10}


def _outputs_network() -> Network:
    return plane_network(
        [2, 8, 8, 1],
        ["relu", "relu", "linear"],
        seed=2,
        name="Lesson: which activation for which output",
        description="Two hidden relu layers; the output layer and the loss are yours to match to the data.",
    )


def output_suggestions() -> list[tuple[advice.Decision, str]]:
    """Each output row of the guide's overview with the loss the Training dock suggests for that output layer
    (one neuron, or three for the multi-class and multi-label rows) — computed, so the lesson shows the dock's own
    answer beside the guide's."""
    rows = []
    for decision in advice.DECISIONS:
        if decision.place != "output":
            continue
        activation = decision.activations[0]
        units = 3 if decision.situation.startswith("Multi") else 1
        network = Network.from_sizes([2, units], [activation], seed=0)
        rows.append((decision, suggested_loss(network, regression=decision.situation.startswith("Regression"))))
    return rows


def _outputs_text() -> str:
    cells = "".join(
        f"<tr><td>{html.escape(decision.situation)}</td><td><b>{decision.activations[0]}</b></td>"
        f"<td>{LOSS_NAMES.get(loss, loss)}</td></tr>"
        for decision, loss in output_suggestions()
    )
    one = Network.from_sizes([2, 1], ["softmax"], seed=0).forward(np.array([1.5, -2.0])).outputs
    return (
        "<p>The hidden layers are yours to choose; the <b>output</b> layer is set by what the data asks for, and "
        "the loss goes with it. The Training dock suggests the loss for the output layer you have (these are its "
        "own answers):</p>"
        "<table cellpadding='3'><tr><th align='left'>Problem</th><th align='left'>Output</th>"
        f"<th align='left'>Loss suggested</th></tr>{cells}</table>"
        "<p>When the loss does not fit the output, the dock says why in orange — e.g. a softmax over one neuron "
        f"outputs {format_value(float(np.ravel(one)[0]))} whatever its input. The same table, with the "
        "reasons, is the first page of <b>Help ▸ Activation Guide</b> (<i>Which activation where?</i>).</p>"
    )


def _data_is(state: LessonState, kind: str, classes: int = 0) -> bool:
    data = state.dataset
    return data is not None and data.kind == kind and data.n_classes == classes


def _output_is(state: LessonState, activation: str, units: int, loss: str) -> bool:
    layer = state.network.layers[-1]
    return layer.activation == activation and layer.units == units and state.loss == loss


OUTPUTS = Lesson(
    key="outputs",
    title="Which activation for which output, and its loss",
    summary="Regression, binary, multi-class and multi-label: the output layer and the loss that go together.",
    build=_outputs_network,
    text=_outputs_text,
    steps=(
        Step(
            "The data is <b>Plane</b>: a number to predict at every point (regression). Keep the output "
            "<b>linear</b> with the suggested <b>mean squared error</b> and press <b>Step</b> in the Training dock.",
            lambda s: (
                _data_is(s, datasets.REGRESSION)
                and _output_is(s, "linear", 1, "mean_squared_error")
                and len(s.gradient_norms) >= 1
            ),
        ),
        Step(
            "Binary: choose <b>Circle</b> in Data set (two classes) and switch the output layer to <b>sigmoid</b>: "
            "the suggested loss becomes binary cross-entropy.",
            lambda s: _data_is(s, datasets.CLASSIFICATION, 2) and _output_is(s, "sigmoid", 1, "binary_crossentropy"),
        ),
        Step(
            "Multi-class: choose <b>Iris</b> (three species) and press <b>Fit the Network to the Data</b>: three "
            "<b>softmax</b> outputs and categorical cross-entropy. Pick Binary cross-entropy in Loss to read the "
            "warning, then the one marked (suggested) again.",
            lambda s: (
                _data_is(s, datasets.CLASSIFICATION, 3) and _output_is(s, "softmax", 3, "categorical_crossentropy")
            ),
        ),
        Step(
            "Multi-label: switch the output layer to <b>sigmoid</b>. Its three outputs are now independent yes/no "
            "answers (a photo can be both “beach” and “sunset”), and the suggestion is binary cross-entropy.",
            lambda s: s.network.n_outputs > 1 and _output_is(s, "sigmoid", s.network.n_outputs, "binary_crossentropy"),
        ),
    ),
    data=("plane", 0.0, 0),
    training=OUTPUTS_TRAINING,
)


# -- a race decides the hidden activation ---------------------------------------------------------------------------
RACE_DATA = ("xor", 0.1, 0)
RACE_TRAINING = {"optimizer": "adam", "learning_rate": 0.03, "loss": "", "batch_size": 10}
RACE_EPOCHS = 20
RACE_NAMES = ("relu", "tanh", "sigmoid")


def _race_network(output: str = "softmax") -> Network:
    return plane_network(
        [2, 8, 8, 1],
        ["relu", "relu", output],
        seed=3,
        name="Lesson: race the hidden activations",
        description="Two hidden layers of eight on XOR: first fix the output layer, then race the hidden activations.",
    )


@lru_cache(maxsize=1)
def race_outcome() -> dict[str, float]:
    """Each contender's final test loss after the lesson's race (its network with a sigmoid output, as after the
    first step), computed with the race engine — what the lesson's text states."""
    race = run_race(_race_network("sigmoid"), RACE_NAMES, RACE_DATA, RACE_TRAINING, RACE_EPOCHS)
    return {c.name: c.final_loss() for c in race.contenders}


def _race_text() -> str:
    outcome = race_outcome()
    winner = min(outcome, key=outcome.__getitem__)
    losses = ", ".join(f"{name} {format_value(loss)}" for name, loss in outcome.items())
    return (
        "<p>The output layer follows from the problem — here one <b>sigmoid</b> for two classes, with binary "
        "cross-entropy — but nothing tells you which activation the hidden layers should have. A <b>race</b> "
        "trains one copy of the network per activation, from the same starting weights on the same batches, and "
        "draws their test losses side by side.</p>"
        f"<p>Computed when this lesson opened ({RACE_EPOCHS} epochs on XOR with {RACE_DATA[1]:.0%} noise, Adam "
        f"at learning rate {format_value(RACE_TRAINING['learning_rate'])}): final test loss {losses}. The winner is "
        f"<b>{winner}</b>. On another problem another activation may win: racing is how to find out.</p>"
    )


def _race_started(state: LessonState) -> bool:
    race = state.race
    return (
        race is not None and len(race.contenders) >= 2 and race.contenders[0].network.layers[-1].activation == "sigmoid"
    )


def _winner_kept(state: LessonState) -> bool:
    race = state.race
    winner = race.winner() if race is not None and race.finished else None
    return winner is not None and state.kept == winner.name and _hidden_all(state, winner.name)


RACE = Lesson(
    key="race",
    title="Race the hidden activations",
    summary="Fix the output layer and its loss, then race relu, tanh and sigmoid and keep the winner.",
    build=_race_network,
    text=_race_text,
    steps=(
        Step(
            "The Training dock warns: a softmax over one neuron always outputs 1. Switch the output layer to "
            "<b>sigmoid</b>: the suggested loss becomes binary cross-entropy and the warning goes.",
            lambda s: (
                _output_is(s, "sigmoid", 1, "binary_crossentropy") and not mismatch_warning(s.network, s.loss, False)
            ),
        ),
        Step(
            "Press <b>Race…</b> in the Training dock (Edit ▸ Race Activations…), tick relu, tanh and sigmoid, set "
            f"Epochs to {RACE_EPOCHS} and press <b>Race</b>.",
            _race_started,
        ),
        Step(
            "Wait for the race to finish: ★ marks the winner, the contender with the lowest test loss.",
            lambda s: _race_started(s) and _race_finished(s),
        ),
        Step(
            "Press <b>Keep</b>: the winner's activation and trained weights become your network (Undo brings yours "
            "back).",
            _winner_kept,
        ),
    ),
    data=RACE_DATA,
    training=RACE_TRAINING,
)


# -- relu converges faster than sigmoid in a deep network -----------------------------------------------------------
FASTER_DATA = ("circle", 0.0, 0)
FASTER_TRAINING = {"optimizer": "sgd", "learning_rate": 0.1, "loss": "binary_crossentropy", "batch_size": 10}
ADAM_TRAINING = {**FASTER_TRAINING, "optimizer": "adam", "learning_rate": 0.01}
FASTER_SIZES = (2, 8, 8, 8, 8, 1)
#: A contender has converged once its test loss is below this (log 2 ≈ 0.693 is a coin toss).
FASTER_THRESHOLD = 0.2
SGD_EPOCHS, ADAM_EPOCHS = 10, 20


def _faster_network(hidden: str = "sigmoid") -> Network:
    return plane_network(
        list(FASTER_SIZES),
        [hidden] * (len(FASTER_SIZES) - 2) + ["sigmoid"],
        seed=3,
        name="Lesson: relu converges faster",
        description="Four hidden layers of eight sigmoid neurons on Playground's circle, trained with plain SGD.",
    )


@lru_cache(maxsize=2)
def convergence(optimizer: str = "sgd") -> dict[str, tuple[int | None, float]]:
    """Per hidden activation: (the first epoch whose test loss is below FASTER_THRESHOLD or None, final test loss)
    in the lesson's race with plain SGD (10 epochs) or Adam (20 epochs), computed — what the lesson states."""
    training, epochs = (ADAM_TRAINING, ADAM_EPOCHS) if optimizer == "adam" else (FASTER_TRAINING, SGD_EPOCHS)
    race = run_race(_faster_network(), ("relu", "tanh", "sigmoid"), FASTER_DATA, training, epochs)
    return {c.name: (epochs_to(judged_losses(c), FASTER_THRESHOLD), c.final_loss()) for c in race.contenders}


@lru_cache(maxsize=1)
def starting_gradient_ratios() -> dict[str, float]:
    """How many times smaller the first layer's gradient is than the last layer's at the starting weights, with
    sigmoid and with relu hidden layers: the reason the lesson gives."""
    name, noise, seed = FASTER_DATA
    train, _test = datasets.split(datasets.generate(name, noise=noise, seed=seed), 0.5)
    ratios = {}
    for hidden in ("sigmoid", "relu"):
        net = _faster_network(hidden)
        grads = net.gradients(train.x, train.targets_for(net, FASTER_TRAINING["loss"]), FASTER_TRAINING["loss"])
        ratios[hidden] = gradient_ratio(np.array([np.linalg.norm(w) for w in grads.weights]))
    return ratios


#: How many pre-activations the cost comparison evaluates, and how often (the fastest run counts).
COST_VALUES, COST_RUNS = 1_000_000, 5
#: The clock the cost comparison reads (a test gives it a fake one: lessons' tests never time anything).
_CLOCK = time.perf_counter


@lru_cache(maxsize=1)
def activation_costs() -> dict[str, float]:
    """Seconds the app's relu and sigmoid take for COST_VALUES pre-activations on this computer (the fastest of
    COST_RUNS runs), measured once when the lesson first opens: the tutorials' "sigmoid is computationally heavy"."""
    z = np.linspace(-6.0, 6.0, COST_VALUES)
    costs = {}
    for name in ("relu", "sigmoid"):
        function = activations.get(name)  # with Keras' default parameters, as a layer calls it
        best = math.inf
        for _ in range(COST_RUNS):
            start = _CLOCK()
            function(z)
            best = min(best, _CLOCK() - start)
        costs[name] = best
    return costs


def _cost_text() -> str:
    costs = activation_costs()
    relu, sigmoid = costs["relu"], costs["sigmoid"]
    times = f"{sigmoid / relu:.3g}× as long" if relu > 0 else "longer than relu's, which the clock could not see"
    return (
        "<p>The tutorials also call sigmoid <i>computationally heavy</i> (it needs an exponential) and relu cheap. "
        f"Measured on this computer when the lesson opened: relu of {COST_VALUES:,} pre-activations took "
        f"{format_value(relu * 1e3)} ms, sigmoid {format_value(sigmoid * 1e3)} ms — {times}. Those times change "
        "from computer to computer and run to run; the epochs above do not.</p>"
    )


def _epoch_text(epoch: int | None, within: int) -> str:
    return f"epoch <b>{epoch}</b>" if epoch is not None else f"<b>not within {within} epochs</b>"


def _faster_text() -> str:
    sgd, adam, ratios = convergence("sgd"), convergence("adam"), starting_gradient_ratios()
    stuck = sgd["sigmoid"][1]
    return (
        "<p>The tutorials say relu makes a network converge faster. In a <i>deep</i> network that is true, and the "
        "reason is the gradient: relu's slope is 1 for every positive input, while each sigmoid layer multiplies "
        f"the error sent back by at most {format_value(advice.largest_slope('sigmoid'))}. At the starting weights "
        "here, the first layer's gradient is "
        f"{ratio_text(ratios['sigmoid'])}× smaller than the last layer's with sigmoid, {ratio_text(ratios['relu'])}× "
        "with relu.</p>"
        f"<p>Computed when this lesson opened — {len(FASTER_SIZES) - 2} hidden layers of {FASTER_SIZES[1]} on "
        "Playground's circle, plain SGD at "
        f"learning rate {format_value(FASTER_TRAINING['learning_rate'])}, batches of 10, every contender from the "
        f"same weights on the same batches — the test loss first falls below {format_value(FASTER_THRESHOLD)} at: "
        f"relu {_epoch_text(sgd['relu'][0], SGD_EPOCHS)}, tanh {_epoch_text(sgd['tanh'][0], SGD_EPOCHS)}, sigmoid "
        f"{_epoch_text(sgd['sigmoid'][0], SGD_EPOCHS)} (it ends at {format_value(stuck)}, near log 2 = "
        f"{format_value(math.log(2))}: a coin toss).</p>"
        "<p>The conditions matter: with Adam (learning rate "
        f"{format_value(ADAM_TRAINING['learning_rate'])}, {ADAM_EPOCHS} epochs), which scales every weight's step "
        f"by its own gradient's size, sigmoid gets there too, at {_epoch_text(adam['sigmoid'][0], ADAM_EPOCHS)} — "
        f"relu at {_epoch_text(adam['relu'][0], ADAM_EPOCHS)}. The gap is counted in epochs, not seconds.</p>"
        + _cost_text()
    )


def _race_with(state: LessonState, optimizer: str) -> Race | None:
    race = state.race
    if race is None or race.settings.optimizer != optimizer:
        return None
    if not {"relu", "sigmoid"} <= {c.name for c in race.contenders}:
        return None
    return race


def _reached(race: Race, name: str) -> int | None:
    contender = next(c for c in race.contenders if c.name == name)
    return epochs_to(judged_losses(contender), FASTER_THRESHOLD)


def _relu_first(state: LessonState, optimizer: str, sigmoid_must_arrive: bool) -> bool:
    race = _race_with(state, optimizer)
    if race is None or not race.finished:
        return False
    relu, sigmoid = _reached(race, "relu"), _reached(race, "sigmoid")
    if relu is None or (sigmoid_must_arrive and sigmoid is None):
        return False
    return sigmoid is None or relu < sigmoid


FASTER = Lesson(
    key="faster",
    title="ReLU converges faster — in a deep network",
    summary="Race relu, tanh and sigmoid in four hidden layers: with plain SGD sigmoid stays a coin toss.",
    build=_faster_network,
    text=_faster_text,
    steps=(
        Step(
            "Press <b>Race…</b> in the Training dock, tick relu, tanh and sigmoid, set Epochs to "
            f"{SGD_EPOCHS} and press <b>Race</b>.",
            lambda s: _race_with(s, "sgd") is not None,
        ),
        Step(
            f"When it finishes, read the curves: relu's test loss drops below {format_value(FASTER_THRESHOLD)} "
            "within a few epochs, sigmoid's stays flat at a coin toss.",
            lambda s: _relu_first(s, "sgd", sigmoid_must_arrive=False),
        ),
        Step(
            "Set the Training dock's optimizer to <b>Adam</b> with learning rate "
            f"{format_value(ADAM_TRAINING['learning_rate'])} and race again for {ADAM_EPOCHS} epochs: sigmoid learns "
            "too now, but later than relu.",
            lambda s: _relu_first(s, "adam", sigmoid_must_arrive=True),
        ),
    ),
    data=FASTER_DATA,
    training=FASTER_TRAINING,
)
