"""``neuroviz export --view loss|gradients|dead|stats --data NAME --epochs N``: the training charts of a run trained
with ``neuroviz train``'s options, as pictures and as CSV, and one clear line for every mistake."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtSvg import QSvgRenderer

from neuroviz.cli_export import run_export
from neuroviz.cli_train import main as run_train
from neuroviz.model import Network

TRAINING = ["--data", "circle", "--noise", "0.1", "--epochs", "4", "--batch-size", "25", "--learning-rate", "0.02"]


@pytest.fixture
def net_file(tmp_path):
    path = tmp_path / "net.json"
    Network.from_sizes([2, 5, 3, 1], ["relu", "tanh", "sigmoid"], seed=4).save(path)
    return path


def read(path):
    rows = list(csv.reader(path.open(encoding="utf-8")))
    return rows[0], np.array(rows[1:], dtype=float)


def test_the_loss_csv_is_the_history_neuroviz_train_writes(net_file, tmp_path):
    assert run_export([str(net_file), "--view", "loss", *TRAINING, "-o", str(tmp_path / "loss.csv")]) == 0
    assert run_export([str(net_file), "--table", "history", *TRAINING, "-o", str(tmp_path / "export.csv")]) == 0
    trained = tmp_path / "trained.json"
    assert run_train([str(net_file), *TRAINING, "-o", str(trained), "--history", str(tmp_path / "train.csv")]) == 0
    header, expected = read(tmp_path / "train.csv")
    assert header == ["epoch", "loss", "accuracy", "val_loss", "val_accuracy"]
    assert read(tmp_path / "export.csv")[0] == header
    np.testing.assert_array_equal(read(tmp_path / "export.csv")[1], expected)  # the same run, bit for bit
    header, numbers = read(tmp_path / "loss.csv")
    assert header[:3] == ["epoch", "training loss", "test loss"]
    np.testing.assert_array_equal(numbers[:, :3], expected[:, [0, 1, 3]])
    np.testing.assert_array_equal(numbers[:, 3:], expected[:, [2, 4]])


def test_layer_tables_have_a_column_per_layer(net_file, tmp_path):
    out = tmp_path / "g.csv"
    assert run_export([str(net_file), "--view", "gradients", *TRAINING, "-o", str(out)]) == 0
    header, numbers = read(out)
    assert header == ["epoch"] + [f"{n}: mean gradient norm |dL/dW|" for n in ("hidden 1", "hidden 2", "output")]
    assert numbers.shape == (4, 4) and (numbers[:, 1:] > 0).all() and np.isfinite(numbers).all()
    out = tmp_path / "d.csv"
    assert run_export([str(net_file), "--view", "dead", *TRAINING, "-o", str(out)]) == 0
    assert read(out)[0] == ["epoch", "hidden 1: dead share of training points (fraction 0-1)"]
    out = tmp_path / "s.csv"
    assert run_export([str(net_file), "--view", "stats", *TRAINING, "-o", str(out)]) == 0
    header, numbers = read(out)
    assert len(header) == 7 and numbers.shape == (4, 7)
    assert (numbers[:, 2::2] >= 0).all() and (numbers[:, 4::2] < 1).all()  # tanh and sigmoid spread less than 1


@pytest.mark.parametrize("view", ["loss", "gradients", "dead", "stats"])
def test_chart_pictures_have_their_size_and_show_something(net_file, tmp_path, view):
    png = tmp_path / f"{view}.png"
    assert run_export([str(net_file), "--view", view, *TRAINING, "-o", str(png)]) == 0
    image = QImage(str(png))
    assert (image.width(), image.height()) == ((1000, 450) if view == "stats" else (800, 450))
    pixels = np.frombuffer(image.convertToFormat(QImage.Format.Format_RGB888).constBits(), np.uint8)
    assert len(np.unique(pixels.reshape(-1, 3)[::7], axis=0)) > 10  # curves, axes, text: not blank


def test_a_chart_svg_renders_at_the_size_asked(net_file, tmp_path):
    svg = tmp_path / "loss.svg"
    assert run_export([str(net_file), "--view", "loss", *TRAINING, "--size", "600x400", "-o", str(svg)]) == 0
    renderer = QSvgRenderer(str(svg))
    assert renderer.isValid() and (renderer.defaultSize().width(), renderer.defaultSize().height()) == (600, 400)
    assert "loss (test)" in svg.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--view", "loss", "-o", "x.png"], "--view loss draws a training run: add --data NAME"),
        (["--table", "history", "-o", "x.csv"], "--table history draws a training run: add --data NAME"),
        (["--view", "network", "--epochs", "5", "-o", "x.png"], "--epochs: training options are for the training"),
        (["--view", "race", "-o", "x.png"], "argument --view: invalid choice: 'race'"),
        (["--view", "loss", "--data", "xor", "--epochs", "0", "-o", "x.png"], "--epochs must be from 1"),
        (["--view", "loss", "--data", "iris", "-o", "x.png"], "--data iris: "),
    ],
)
def test_mistakes_are_one_line_and_write_nothing(net_file, tmp_path, capsys, arguments, message):
    arguments = [str(tmp_path / a) if a.startswith("x.") else a for a in arguments]
    assert run_export([str(net_file), *arguments]) == 2
    error = capsys.readouterr().err
    assert error.startswith("neuroviz export: ") and message in error and error.count("\n") == 1
    assert not list(tmp_path.glob("x.*"))
