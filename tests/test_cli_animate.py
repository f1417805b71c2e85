"""``neuroviz export --animate training|sweep``: the GIF decodes with the frames and size asked for, training moves
the picture and matches ``neuroviz train``, PNG frames go into a folder, and every bad input is one line and no file.
"""

from __future__ import annotations

import itertools
import os
import re

import numpy as np
import pytest
from PIL import Image

from neuroviz.app import main
from neuroviz.cli_train import main as run_train
from neuroviz.model import Network


@pytest.fixture
def plane_file(tmp_path):
    """Two inputs over Playground's plane and one tanh output: xor data fits it."""
    net = Network.from_sizes([2, 6, 1], activations=["tanh", "tanh"], seed=3)
    net = Network(net.layers, input_ranges=[(-6, 6), (-6, 6)])
    path = tmp_path / "plane.json"
    net.save(path)
    return path


def export(args: list[str]) -> int:
    """``neuroviz export ARGS`` as the command runs it (``--animate`` goes to its own parser)."""
    return main(["export", *args])


def frames_of(path) -> list[np.ndarray]:
    with Image.open(path) as gif:
        frames = []
        for index in range(gif.n_frames):
            gif.seek(index)
            frames.append(np.asarray(gif.convert("RGB")))
        return frames


def test_training_gif_has_one_frame_per_shown_epoch_and_the_boundary_moves(plane_file, tmp_path, capsys):
    out = tmp_path / "run.gif"
    saved = plane_file.read_bytes()
    args = [str(plane_file), "--animate", "training", "--data", "xor", "--epochs", "4", "--every", "2"]
    assert export([*args, "--size", "300x260", "--learning-rate", "0.05", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    with Image.open(out) as gif:
        assert (gif.n_frames, gif.size, gif.info["loop"]) == (3, (300, 260), 0)
        assert gif.info["duration"] == 50  # 20 frames per second by default
    frames = frames_of(out)
    assert not np.array_equal(frames[0], frames[1]) and not np.array_equal(frames[1], frames[2])
    assert "3 frames of 300x260" in printed and re.search(r"\d+ KB", printed)
    assert plane_file.read_bytes() == saved  # the network file is not trained


def test_training_matches_neuroviz_train_with_the_same_seed(plane_file, tmp_path, capsys):
    options = ["--data", "xor", "--epochs", "3", "--seed", "5", "--batch-size", "10", "--learning-rate", "0.03"]
    assert export([str(plane_file), "--animate", "training", *options, "-o", str(tmp_path / "a.gif")]) == 0
    animated = capsys.readouterr().out
    assert run_train([str(plane_file), *options, "-o", str(tmp_path / "trained.json")]) == 0
    trained = capsys.readouterr().out
    last_epoch = trained.strip().splitlines()[-2]  # "Epoch 3/3 - loss: … - val_accuracy: …"
    for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
        value = re.search(rf"(?<!_){key}: ([\d.]+)", last_epoch).group(1)
        assert f", {key} {value}" in animated, key


def test_default_view_is_the_output_map_for_plane_data_and_the_network_otherwise(plane_file, tmp_path, capsys):
    export([str(plane_file), "--animate", "training", "--data", "xor", "--epochs", "1", "-o", str(tmp_path / "a.gif")])
    assert "of 700x600" in capsys.readouterr().out  # the decision view's export size
    export([str(plane_file), "--animate", "sweep", "--frames", "2", "-o", str(tmp_path / "b.gif")])
    assert "of 1000x600" in capsys.readouterr().out  # the network view's


def test_sweep_gif_moves_the_chosen_input(plane_file, tmp_path):
    out = tmp_path / "sweep.gif"
    args = ["--animate", "sweep", "--input", "2", "--frames", "5", "--view", "outputs", "--size", "300x200"]
    assert export([str(plane_file), *args, "--fps", "10", "-o", str(out)]) == 0
    with Image.open(out) as gif:
        assert (gif.n_frames, gif.size, gif.info["duration"]) == (5, (300, 200), 100)
    frames = frames_of(out)
    assert all(not np.array_equal(a, b) for a, b in itertools.pairwise(frames))


def test_png_frames_go_into_a_folder(plane_file, tmp_path):
    folder = tmp_path / "frames"
    folder.mkdir()
    args = ["--animate", "sweep", "--frames", "3", "--size", "240x180", "--view", "outputs"]
    assert export([str(plane_file), *args, "-o", f"{folder}/"]) == 0
    assert sorted(os.listdir(folder)) == ["frame-0001.png", "frame-0002.png", "frame-0003.png"]
    with Image.open(folder / "frame-0002.png") as picture:
        assert picture.size == (240, 180)


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (["--animate", "training", "--epochs", "3"], 2, "--animate training needs --data"),
        (["--animate", "training", "--data", "xor", "--view", "nope"], 2, "invalid choice: 'nope'"),
        (["--animate", "training", "--data", "xor", "--epochs", "0"], 2, "--epochs must be from 1"),
        (["--animate", "training", "--data", "iris"], 2, "does not fit this network"),
        (["--animate", "training", "--data", "nothing"], 2, "neither a data set"),
        (["--animate", "sweep", "--frames", "1"], 2, "--frames must be from 2"),
        (["--animate", "sweep", "--sweep-input", "3"], 2, "--sweep-input must be between 1 and 2"),
        (["--animate", "sweep", "--every", "2"], 2, "--every is for --animate training"),
        (["--animate", "sweep", "--fps", "0"], 2, "--fps must be from 1"),
        (["--animate", "sweep", "--size", "120x100"], 2, "is smaller than the network view can be drawn"),
    ],
)
def test_bad_arguments_say_what_is_wrong_and_write_nothing(plane_file, tmp_path, capsys, args, status, message):
    before = sorted(os.listdir(tmp_path))
    assert export([str(plane_file), *args, "-o", str(tmp_path / "out.gif")]) == status
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1
    assert sorted(os.listdir(tmp_path)) == before


def test_bad_files_exit_1_and_write_nothing(plane_file, tmp_path, capsys):
    not_a_network = tmp_path / "notes.json"
    not_a_network.write_text("{ this is not json")
    before = sorted(os.listdir(tmp_path))
    sweep = ["--animate", "sweep", "--frames", "2"]
    assert export([str(not_a_network), *sweep, "-o", str(tmp_path / "out.gif")]) == 1
    assert "notes.json" in capsys.readouterr().err
    assert export([str(plane_file), *sweep, "-o", str(tmp_path / "missing" / "out.gif")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert export([str(plane_file), *sweep, "-o", str(tmp_path / "out.mp4")]) == 2
    assert ".gif" in capsys.readouterr().err
    assert sorted(os.listdir(tmp_path)) == before
