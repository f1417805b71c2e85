"""Train the "spiral" example: TensorFlow Playground's largest network (7 input features, 6 hidden tanh layers of 8)
on its two-armed spiral, so Neuron Maps show what trained neurons look like (deterministic: seeded throughout).

    .venv/bin/python resources/examples/train_spiral.py

It writes resources/examples/spiral.json and prints the training and test accuracy it reached.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from neuroviz.model import Network, datasets
from neuroviz.model.files import save
from neuroviz.model.training import Trainer, optimizers

FOLDER = Path(__file__).resolve().parent
SEED = 7
EPOCHS = 300
POINT = (0.5, -0.8)  # where the saved inputs sit on the plane (x1, x2)
RANGES = {
    "x1": (-6.0, 6.0),
    "x2": (-6.0, 6.0),
    "x1^2": (0.0, 36.0),
    "x2^2": (0.0, 36.0),
    "x1*x2": (-36.0, 36.0),
    "sin(x1)": (-1.0, 1.0),
    "sin(x2)": (-1.0, 1.0),
}


def untrained() -> Network:
    features = datasets.FEATURES
    seeded = Network.from_sizes([len(features), 8, 8, 8, 8, 8, 8, 1], ["tanh"] * 7, seed=SEED)
    return Network(
        seeded.layers,
        input_names=list(features),
        input_values=datasets.features(features, POINT[0], POINT[1])[0],
        input_ranges=[RANGES[f] for f in features],
        input_features=list(features),
        name="Spiral",
        description=(
            "TensorFlow Playground's largest network, trained on its two-armed spiral: seven input features "
            "(x1, x2, x1², x2², x1·x2, sin x1, sin x2), six tanh layers of eight, one tanh output (+1 blue, "
            "−1 orange). Turn on View ▸ Neuron Maps (Ctrl+M): each neuron shows its output over the plane. "
            "The first layers draw stripes and rings from the features; deeper ones bend them into arms, and "
            "the output is the spiral itself. Saturated neurons (red ring) are the ones whose map is almost "
            "all one colour."
        ),
    )


def train() -> tuple[Network, float, float]:
    data = datasets.generate("spiral", noise=0.0, seed=SEED).with_features(datasets.FEATURES)
    train_set, test_set = datasets.split(data, train_share=0.5, seed=SEED)
    net = untrained()
    trainer = Trainer(net, optimizers.Adam(learning_rate=0.01), loss="mean_squared_error")
    x, y = train_set.x, train_set.targets_for(net)
    trainer.fit(x, y, batch_size=10, epochs=EPOCHS, shuffle=True, seed=SEED)
    return net, sign_accuracy(net, x, y), sign_accuracy(net, test_set.x, test_set.targets_for(net))


def sign_accuracy(net: Network, x: np.ndarray, y: np.ndarray) -> float:
    """Share of points on the right side of 0, as Playground counts it (labels ±1, a tanh output)."""
    return float(np.mean(np.sign(net.forward(x).outputs.ravel()) == y.ravel()))


def main() -> None:
    net, train_accuracy, test_accuracy = train()
    net.description += f" Trained here to {train_accuracy:.0%} on its training points, {test_accuracy:.0%} on test."
    path = FOLDER / "spiral.json"
    save(net, path)
    print(f"wrote {path}: accuracy {train_accuracy:.3f} (train), {test_accuracy:.3f} (test)")


if __name__ == "__main__":
    main()
