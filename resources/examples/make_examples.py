"""Write the example networks shipped with neuroviz (deterministic: run it again and nothing changes).

    /work/venv/bin/python resources/examples/make_examples.py

Every example has a name and a description telling the user what to watch. Hand-set weights are written out
here so that a reader can check them; random ones come from fixed seeds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from neuroviz.model import Layer, Network
from neuroviz.model.files import save

FOLDER = Path(__file__).resolve().parent


def default_network() -> Network:
    """What the app opens with: three activations side by side, some ReLUs dead, some tanhs saturated."""
    net = Network.from_sizes(
        [3, 6, 5, 3],
        ["relu", "tanh", "softmax"],
        seed=9,
        name="Three activations",
        description=(
            "Three inputs feed six ReLU neurons, five tanh neurons and a three-way softmax. "
            "Watch: ReLU neurons whose weighted input is negative go dark and pass nothing on, and their "
            "derivative is 0 (a 'dead' neuron learns nothing) — move x2 and x3 to wake them up. tanh "
            "neurons near ±1 saturate and their derivative almost vanishes. The softmax outputs always sum "
            "to 1; change the output layer's activation to linear to see the raw scores it turns into "
            "probabilities."
        ),
    )
    # He initialisation suits ReLU layers; tanh and softmax keep Keras's default glorot_uniform.
    net.reinitialize(1, kernel_initializer="he_uniform", seed=9)
    for i, value in enumerate([1.0, -0.5, 2.0]):
        net.set_input(i, value)
    return net


def xor_network() -> Network:
    """2-2-1 with hand-set weights: the classic problem a single neuron cannot solve."""
    hidden = Layer(
        "hidden 1",
        # h1 = relu(x1 + x2) counts the ones, h2 = relu(x1 + x2 - 1) fires only when both are on.
        weights=np.array([[1.0, 1.0], [1.0, 1.0]]),
        biases=np.array([0.0, -1.0]),
        activation="relu",
    )
    output = Layer(
        "output",
        # sigmoid(10 * (h1 - 2 * h2) - 5): about 0.007 for 00 and 11, 0.993 for 01 and 10.
        weights=np.array([[10.0], [-20.0]]),
        biases=np.array([-5.0]),
        activation="sigmoid",
    )
    return Network(
        [hidden, output],
        input_names=["x1", "x2"],
        input_values=[1.0, 0.0],
        input_ranges=[(0.0, 1.0), (0.0, 1.0)],
        name="XOR",
        description=(
            "Exclusive or with hand-set weights: the output is near 1 when exactly one input is 1. "
            "Watch the hidden layer: the first ReLU counts the inputs that are on, the second only fires "
            "when both are, and the output subtracts it twice. Set both inputs to 1 and see the second "
            "neuron switch the answer off; drag the sliders between 0 and 1 to see the sigmoid's soft "
            "boundary."
        ),
    )


def softmax_classifier_network() -> Network:
    """Iris-like flowers in three classes, with hand-set rules a reader can follow."""
    hidden = Layer(
        "hidden 1",
        # inputs: sepal length, sepal width, petal length, petal width
        weights=np.array(
            [
                [0.0, 0.0, 0.0, 1.0],  # sepal length feeds "long sepals"
                [0.0, 0.0, 0.0, 0.0],  # sepal width tells little apart
                [-1.0, 1.0, 1.0, 0.0],  # petal length: "small petals", "not small", "big"
                [0.0, 0.0, 2.0, 0.0],  # petal width adds to "big"
            ]
        ),
        biases=np.array([2.5, -2.5, -8.2, -6.0]),
        activation="relu",
    )
    output = Layer(
        "output",
        # columns: setosa, versicolor, virginica
        weights=np.array(
            [
                [4.0, 0.0, 0.0],
                [-2.0, 2.0, 1.0],
                [0.0, -5.0, 4.0],
                [0.0, 0.0, 0.5],
            ]
        ),
        biases=np.array([0.0, 0.0, -1.0]),
        activation="softmax",
    )
    return Network(
        [hidden, output],
        input_names=["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"],
        input_values=[6.0, 2.8, 4.5, 1.4],
        input_ranges=[(4.0, 8.0), (2.0, 4.5), (1.0, 7.0), (0.0, 2.5)],
        name="Softmax classifier",
        description=(
            "Classifies iris flowers: the three outputs are the probabilities of setosa, versicolor and "
            "virginica, and a softmax makes them sum to 1. It starts on a typical versicolor. Drag petal "
            "width up and watch virginica take over; shrink petal length below 2.5 cm for setosa. "
            "Sepal width has no weight at all: moving it changes nothing."
        ),
    )


def vanishing_sigmoid_network() -> Network:
    """Six sigmoid layers deep: each multiplies the gradient by at most 0.25."""
    return Network.from_sizes(
        [2, 5, 5, 5, 5, 5, 5, 1],
        ["sigmoid"] * 7,
        seed=3,
        name="Vanishing sigmoid",
        description=(
            "Six hidden sigmoid layers with Keras's default glorot_uniform weights. A sigmoid's derivative "
            "is at most 0.25, so the gradient that training sends back shrinks several times in every layer: "
            "at the first hidden layer it is over ten thousand times smaller than at the output. Watch the "
            "derivative view: no value exceeds 0.25. Drag the inputs from end to end: the first layer swings "
            "fully, each deeper layer less, and the output stays near 0.35. Switch the hidden layers to relu "
            "or selu and compare."
        ),
    )


EXAMPLES = {
    "default": default_network,
    "xor": xor_network,
    "softmax_classifier": softmax_classifier_network,
    "vanishing_sigmoid": vanishing_sigmoid_network,
}


def main() -> None:
    for name, build in EXAMPLES.items():
        path = FOLDER / f"{name}.json"
        save(build(), path)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
