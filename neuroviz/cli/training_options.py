"""The data and training options that ``neuroviz train`` and ``neuroviz export --view loss …`` share: their
arguments, their checks, loading the data and setting up the Trainer, so both commands train alike.

No Qt here; NumPy and the model are imported when used, so ``--help`` stays quick.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

OPTIMIZERS = ("sgd", "adam", "rmsprop", "adagrad")
LOSSES = (
    "mean_squared_error",
    "mse",
    "mean_absolute_error",
    "mae",
    "binary_crossentropy",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "hinge",
)
MAX_EPOCHS = 1_000_000


class UsageError(ValueError):
    """An argument that parsed but makes no sense, or data that does not fit the network (exit status 2)."""


def add_generator_arguments(group) -> None:
    """--noise, --points, --features, --train-share, --seed: how Playground's generators make the data."""
    group.add_argument("--noise", type=float, default=0.0, help="generators: noise from 0 to 0.5 (default 0)")
    group.add_argument("--points", type=int, help="generators: number of points (default 500, regression 1200)")
    group.add_argument("--features", help="generators: input features, e.g. x1,x2,x1^2 (stored in the network)")
    group.add_argument("--train-share", type=float, help="share of rows that train, 0.1 to 1 (default 0.5; CSV 0.8)")
    group.add_argument("--seed", type=int, default=0, help="seed of the data, split and batch order (default 0)")


def add_data_arguments(
    parser: argparse.ArgumentParser, required: bool = True, standardize: bool = True
) -> argparse._ArgumentGroup:
    """The "data" group: --data, --target, the generators' options and (if ``standardize``) --standardize."""
    data = parser.add_argument_group("data")
    data.add_argument("--data", required=required, help="a Playground generator, iris, or a CSV file (see below)")
    data.add_argument("--target", help="the CSV column to predict (default: the last column)")
    add_generator_arguments(data)
    if standardize:
        data.add_argument(
            "--standardize",
            action="store_true",
            help="train on inputs scaled to mean 0, deviation 1 (train rows); the saved network takes raw inputs",
        )
    return data


def add_fit_arguments(parser: argparse.ArgumentParser, epochs_default: int = 1) -> argparse._ArgumentGroup:
    """The "training" group: --epochs, --batch-size, --optimizer, --learning-rate, --loss, --no-shuffle."""
    fit = parser.add_argument_group("training")
    fit.add_argument(
        "--epochs", type=int, default=epochs_default, help=f"passes over the training rows (default {epochs_default})"
    )
    fit.add_argument("--batch-size", type=int, default=32, help="rows per update (default 32, as Keras)")
    fit.add_argument("--optimizer", default="adam", type=str.lower, choices=OPTIMIZERS, help="default adam")
    fit.add_argument("--learning-rate", type=float, help="the optimizer's learning rate (default: Keras')")
    fit.add_argument("--loss", choices=LOSSES, help="a Keras loss name (default: chosen from the output layer)")
    fit.add_argument("--no-shuffle", action="store_true", help="take the batches in order every epoch")
    return fit


def check_fit_arguments(options: argparse.Namespace) -> None:
    """The numbers of the training options, judged before anything is loaded."""
    if not 1 <= options.epochs <= MAX_EPOCHS:
        raise UsageError(f"--epochs must be from 1 to {MAX_EPOCHS}, got {options.epochs}")
    if options.batch_size < 1:
        raise UsageError(f"--batch-size must be 1 or more, got {options.batch_size}")
    if options.learning_rate is not None and not (math.isfinite(options.learning_rate) and options.learning_rate > 0):
        raise UsageError(f"--learning-rate must be a positive number, got {options.learning_rate}")
    if options.train_share is not None and not 0.1 <= options.train_share <= 1.0:
        raise UsageError(f"--train-share must be from 0.1 to 1, got {options.train_share}")


def load_data(options: argparse.Namespace, network) -> tuple[Any, Any, tuple[Any, Any] | None]:
    """(training rows, validation rows or None) with the network's input features, checked against it, and
    (mean, scale) when --standardize standardised them (None otherwise)."""
    from neuroviz.model import datasets

    data, share, split_seed = load_data_set(options, network)
    if options.data in datasets.GENERATORS:  # the network reads the points through its input features
        data = data.with_features(network.input_features or datasets.FEATURES[:2])
    data.check_fits(network.n_inputs, network.n_outputs)
    if share >= 1.0:
        train, validation = data, None
    else:
        train, validation = datasets.split(data, share, seed=split_seed)
    standardization = None
    if getattr(options, "standardize", False):
        standardization = datasets.standardization(train)
        train, *rest = datasets.standardize(train, *([validation] if validation is not None else []))
        validation = rest[0] if rest else None
    return train, validation, standardization


def load_data_set(options: argparse.Namespace, network) -> tuple[Any, float, int | None]:
    """The whole data set as --data, --noise, --points and --target give it (a generator's points as x1, x2;
    --features becomes the network's input features), its training share, and the seed its rows are shuffled
    with before the split (None: generated sets come shuffled)."""
    from neuroviz.model import datasets

    name = options.data
    generated = name in datasets.GENERATORS
    if generated:
        data = datasets.generate(name, n=options.points, noise=options.noise, seed=options.seed)
        features = _features(options, network)  # checked against the network's own
        if network.input_features is None and options.features is not None:
            network.input_features = tuple(features)
    else:
        for option in ("points", "features"):
            if getattr(options, option) is not None:
                raise UsageError(f"--{option} applies to Playground's generators, not to {name}")
        if name == "iris":
            data = datasets.iris()
        elif Path(name).suffix.lower() == ".csv" or Path(name).exists():
            data = datasets.load_csv(name, target=getattr(options, "target", None))
        else:
            known = ", ".join([*datasets.GENERATORS, "iris"])
            raise UsageError(f"--data {name}: neither a data set ({known}) nor a CSV file")
    share = options.train_share if options.train_share is not None else (0.5 if generated else 0.8)
    return data, share, None if generated else options.seed


def _features(options: argparse.Namespace, network) -> tuple[str, ...]:
    from neuroviz.model.datasets import FEATURES

    if options.features is not None:
        chosen = tuple(name.strip() for name in options.features.split(","))
        if network.input_features is not None and chosen != network.input_features:
            raise UsageError(
                f"--features {options.features}: the network already reads {','.join(network.input_features)}"
            )
        return chosen
    if network.input_features is not None:
        return network.input_features
    return FEATURES[:2]


def default_loss(network) -> str:
    """The loss a Keras user would compile this output layer with."""
    activation = network.layers[-1].activation
    if activation == "sigmoid" and network.n_outputs == 1:
        return "binary_crossentropy"
    if activation == "softmax":
        return "categorical_crossentropy"
    return "mean_squared_error"


def make_trainer(network, options: argparse.Namespace, loss: str):
    from neuroviz.model import training

    settings = {} if options.learning_rate is None else {"learning_rate": options.learning_rate}
    optimizer = training.optimizers.get(options.optimizer, **settings)
    return training.Trainer(network, optimizer=optimizer, loss=loss)


def start(trainer, options: argparse.Namespace, x, y, validation_data) -> None:
    """Start ``trainer`` on the rows with the options' batch size, shuffling and seed."""
    trainer.start(
        x,
        y,
        batch_size=options.batch_size,
        shuffle=not options.no_shuffle,
        seed=options.seed,
        validation_data=validation_data,
    )
