"""``neuroviz train``: train a network file on a data set from a terminal, like Keras' ``fit``, and save the result.

Needs no display and no Qt. Every argument and the fit between the data and the network are checked before the
first epoch; a problem prints one line to stderr (exit status 2 for the command line, 1 for files). Ctrl+C stops
training after the current batch and still writes the network trained so far (exit status 130).
"""

from __future__ import annotations

import argparse
import csv
import math
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from neuroviz.cli.parsing import OneLineParser

USAGE_ERROR, FILE_ERROR, INTERRUPTED = 2, 1, 130
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
HISTORY_COLUMNS = ("epoch", "loss", "accuracy", "val_loss", "val_accuracy")

HELP_EPILOG = """\
data
  --data circle|xor|gauss|spiral|plane|multi_gauss  TensorFlow Playground's generators (--points, --noise,
        --seed); the network's inputs are the points' features: its saved input_features, else --features,
        else x1, x2. The first --train-share of the (shuffled) points train, the rest validate (Playground).
  --data iris           Fisher's iris, shipped with neuroviz (4 inputs, 3 classes: softmax with 3 outputs)
  --data FILE.csv       your own data: a header row, numeric input columns and a --target column (class names
        or numbers). Rows are shuffled with --seed, then split by --train-share (default 0.8 for files).
  Targets follow the output layer: 0/1 for one sigmoid output, -1/+1 for one tanh output, one-hot rows for
  one output per class; regression targets as they are.

defaults
  --loss: binary_crossentropy for one sigmoid output, categorical_crossentropy for softmax, else
  mean_squared_error. --learning-rate: the optimizer's Keras default.

exit status
  0 trained and written; 1 a file could not be read or written, or training diverged; 2 bad arguments or data
  that does not fit the network; 130 stopped with Ctrl+C (the network trained so far is written).

examples
  neuroviz train net.json --data circle --noise 0.1 --epochs 200 --optimizer adam --learning-rate 0.01 \\
      --batch-size 10 --loss binary_crossentropy -o trained.json --history history.csv
  neuroviz train model.keras --data iris.csv --target species --epochs 50 -o trained.keras"""


class UsageError(ValueError):
    """An argument that parsed but makes no sense, or data that does not fit the network (exit status 2)."""


def _parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="neuroviz train",
        description="Train a network (.json or .keras) on a data set, printing Keras-like progress, and save it.",
        epilog=HELP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", help="the network to train: a neuroviz .json or a Keras .keras/.h5 model")
    parser.add_argument("-o", "--output", required=True, type=Path, help="where to write the trained network")
    add_data_arguments(parser)
    add_fit_arguments(parser, epochs_default=1)
    parser.add_argument("--history", type=Path, help="write the per-epoch loss and accuracy to this CSV file")
    return parser


def add_data_arguments(parser: argparse.ArgumentParser, required: bool = True, standardize: bool = True) -> None:
    """The data options, shared with ``neuroviz export --animate`` so that both read data alike."""
    data = parser.add_argument_group("data")
    data.add_argument("--data", required=required, help="a Playground generator, iris, or a CSV file (see below)")
    data.add_argument("--target", help="the CSV column to predict (default: the last column)")
    data.add_argument("--noise", type=float, default=0.0, help="generators: noise from 0 to 0.5 (default 0)")
    data.add_argument("--points", type=int, help="generators: number of points (default 500, regression 1200)")
    data.add_argument("--features", help="generators: input features, e.g. x1,x2,x1^2 (stored in the network)")
    data.add_argument("--train-share", type=float, help="share of rows that train, 0.1 to 1 (default 0.5; CSV 0.8)")
    if standardize:
        data.add_argument(
            "--standardize",
            action="store_true",
            help="train on inputs scaled to mean 0, deviation 1 (train rows); the saved network takes raw inputs",
        )
    data.add_argument("--seed", type=int, default=0, help="seed of the data, split and batch order (default 0)")


def add_fit_arguments(parser: argparse.ArgumentParser, epochs_default: int) -> None:
    """The training options (epochs, batch size, optimizer, learning rate, loss, shuffling), shared likewise."""
    fit = parser.add_argument_group("training")
    fit.add_argument(
        "--epochs", type=int, default=epochs_default, help=f"passes over the training rows (default {epochs_default})"
    )
    fit.add_argument("--batch-size", type=int, default=32, help="rows per update (default 32, as Keras)")
    fit.add_argument("--optimizer", default="adam", type=str.lower, choices=OPTIMIZERS, help="default adam")
    fit.add_argument("--learning-rate", type=float, help="the optimizer's learning rate (default: Keras')")
    fit.add_argument("--loss", choices=LOSSES, help="a Keras loss name (default: chosen from the output layer)")
    fit.add_argument("--no-shuffle", action="store_true", help="take the batches in order every epoch")


def main(argv: Sequence[str]) -> int:
    """Entry point of ``neuroviz train``; returns the process exit code (also for --help and bad arguments)."""
    try:
        options = _parser().parse_args(list(argv))
    except SystemExit as stop:  # --help, or argparse refused an argument (it printed the line)
        return stop.code if isinstance(stop.code, int) else USAGE_ERROR
    from neuroviz.model import NetworkFileError
    from neuroviz.model.datasets import DatasetError

    try:
        _check_arguments(options)
        network = _load_network(options.file)
        train, validation, standardization = load_data(options, network)
        loss = options.loss or default_loss(network)
        y_train = train.targets_for(network, loss)
        y_validation = validation.targets_for(network, loss) if validation is not None else None
        trainer = make_trainer(network, options, loss)
    except (UsageError, DatasetError) as error:
        print(f"neuroviz train: {error}", file=sys.stderr)
        return USAGE_ERROR
    except (NetworkFileError, OSError) as error:
        print(f"neuroviz train: {error}", file=sys.stderr)
        return FILE_ERROR
    validation_data = (validation.x, y_validation) if validation is not None else None
    run = _Run(trainer, options, train.x, y_train, validation_data, sys.stdout)
    try:
        interrupted = run.train()
    except _diverged_error() as error:
        print(f"\nneuroviz train: {error}; nothing written", file=sys.stderr)
        return FILE_ERROR
    if standardization is not None:  # the saved network takes raw inputs
        from neuroviz.model.training import fold_standardization

        fold_standardization(network, *standardization)
    try:
        network.save(options.output)
        if options.history is not None:
            write_history(options.history, run.history)
    except (ValueError, OSError) as error:
        print(f"neuroviz train: {error}", file=sys.stderr)
        return FILE_ERROR
    done = ""
    if interrupted:
        done = f"stopped by Ctrl+C after {run.epochs_done} epochs and {run.batches_into_epoch} batches; "
    print(f"{done}wrote {options.output}" + (f" and {options.history}" if options.history else ""))
    return INTERRUPTED if interrupted else 0


def _check_arguments(options: argparse.Namespace) -> None:
    if not 1 <= options.epochs <= MAX_EPOCHS:
        raise UsageError(f"--epochs must be from 1 to {MAX_EPOCHS}, got {options.epochs}")
    if options.batch_size < 1:
        raise UsageError(f"--batch-size must be 1 or more, got {options.batch_size}")
    if options.learning_rate is not None and not (math.isfinite(options.learning_rate) and options.learning_rate > 0):
        raise UsageError(f"--learning-rate must be a positive number, got {options.learning_rate}")
    if options.train_share is not None and not 0.1 <= options.train_share <= 1.0:
        raise UsageError(f"--train-share must be from 0.1 to 1, got {options.train_share}")
    suffix = options.output.suffix.lower()
    if suffix not in (".json", ".keras"):
        raise UsageError(f"-o {options.output}: the trained network is written as .json or .keras")
    if options.history is not None and options.history.suffix.lower() != ".csv":
        raise UsageError(f"--history {options.history}: the history is written as .csv")
    for path in (options.output, options.history):
        if path is not None and not path.resolve().parent.is_dir():
            raise UsageError(f"{path}: the folder {str(path.parent)!r} does not exist")


def _load_network(path: str):
    from neuroviz.model import Network

    return Network.load(path)


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
            data = datasets.load_csv(name, target=options.target)
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


def _diverged_error() -> type[Exception]:
    from neuroviz.model.training import TrainingDiverged

    return TrainingDiverged


class _Run:
    """The batch loop: progress lines, the history, and a clean stop on SIGINT after the current batch."""

    def __init__(self, trainer, options, x, y, validation_data, out: TextIO) -> None:
        self.trainer = trainer
        self.options = options
        self.x, self.y = x, y
        self.validation_data = validation_data
        self.out = out
        self.live = out.isatty()
        self.history: dict[str, list[float]] = {}
        self.epochs_done = 0
        self.batches_into_epoch = 0
        self.stop_requested = False
        self._last_draw = 0.0

    def train(self) -> bool:
        """Train up to --epochs epochs, one batch at a time; True when Ctrl+C stopped it early."""
        self.trainer.start(
            self.x,
            self.y,
            batch_size=self.options.batch_size,
            shuffle=not self.options.no_shuffle,
            seed=self.options.seed,
            validation_data=self.validation_data,
        )
        if self.trainer.accuracy_kind == "sign":
            from neuroviz.model.training import metrics

            self.out.write(f"note: accuracy is {metrics.MEANING['sign']}\n")
        previous = signal.signal(signal.SIGINT, self._on_interrupt)
        try:
            for _ in range(self.options.epochs * self.trainer.batches_per_epoch):
                progress = self.trainer.step(1)
                self.batches_into_epoch = progress.batch
                for record in progress.finished_epochs:
                    self.epochs_done += 1
                    for key, value in record.items():
                        self.history.setdefault(key, []).append(float(value))
                    self._print_epoch(record)
                if not progress.finished_epochs and self.live:
                    self._draw_batch(progress)
                if self.stop_requested:
                    break
        finally:
            signal.signal(signal.SIGINT, previous)
            if self.live:
                self.out.write("\n")
                self.out.flush()
        return self.stop_requested

    def _on_interrupt(self, signum, frame) -> None:
        self.stop_requested = True

    def _print_epoch(self, record: dict[str, float]) -> None:
        numbers = " - ".join(f"{key}: {value:.4f}" for key, value in record.items())
        self._write(f"Epoch {self.epochs_done}/{self.options.epochs} - {numbers}", final=True)

    def _draw_batch(self, progress) -> None:
        """On a terminal, the running epoch's batch counter and loss so far, at most 10 times a second."""
        now = time.monotonic()
        if now - self._last_draw < 0.1:
            return
        self._last_draw = now
        self._write(
            f"Epoch {self.epochs_done + 1}/{self.options.epochs} - batch {progress.batch}/{progress.batches_per_epoch}"
            f" - loss: {progress.loss:.4f} - accuracy: {progress.accuracy:.4f}",
            final=False,
        )

    def _write(self, line: str, final: bool) -> None:
        if self.live:
            self.out.write("\r\033[K" + line)  # rewritten in place, as Keras' progress bar
        elif final:
            self.out.write(line + "\n")
        self.out.flush()


def write_history(path: Path, history: dict[str, list[float]]) -> None:
    """The per-epoch numbers as CSV: epoch, then loss, accuracy, val_loss, val_accuracy (those recorded)."""
    from neuroviz.model.files import NetworkFileError

    keys = [key for key in HISTORY_COLUMNS[1:] if key in history] + sorted(set(history) - set(HISTORY_COLUMNS))
    epochs = len(next(iter(history.values()), []))
    try:
        with open(path, "w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(["epoch", *keys])
            for index in range(epochs):
                writer.writerow([index + 1, *(repr(float(np.float64(history[key][index]))) for key in keys)])
    except OSError as error:
        raise NetworkFileError(path, "", f"cannot be written: {error.strerror or error}") from None
