"""``neuroviz train``: train a network file on a data set from a terminal, like Keras' ``fit``, and save the result.

Needs no display and no Qt. Every argument and the fit between the data and the network are checked before the
first epoch; a problem prints one line to stderr (exit status 2 for the command line, 1 for files). Ctrl+C stops
training after the current batch and still writes the network trained so far (exit status 130).
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from neuroviz.cli.parsing import OneLineParser
from neuroviz.cli.training_options import (
    UsageError,
    add_data_arguments,
    add_fit_arguments,
    check_fit_arguments,
    default_loss,
    load_data,
    make_trainer,
)
from neuroviz.cli.training_options import start as start_trainer

__all__ = ["HISTORY_COLUMNS", "UsageError", "default_loss", "main", "write_history"]

USAGE_ERROR, FILE_ERROR, INTERRUPTED = 2, 1, 130
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
    fit = add_fit_arguments(parser)
    fit.add_argument("--history", type=Path, help="write the per-epoch loss and accuracy to this CSV file")
    return parser


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
    check_fit_arguments(options)
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
        start_trainer(self.trainer, self.options, self.x, self.y, self.validation_data)
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
    """The per-epoch numbers as CSV, written atomically: epoch, then loss, accuracy, val_loss, val_accuracy (those
    recorded) — the table File ▸ Export ▸ Training History writes in the window."""
    from neuroviz.model.run_history import history_table
    from neuroviz.model.tables import write_csv

    keys = [key for key in HISTORY_COLUMNS[1:] if key in history] + sorted(set(history) - set(HISTORY_COLUMNS))
    write_csv(path, *history_table({key: history[key] for key in keys}))
