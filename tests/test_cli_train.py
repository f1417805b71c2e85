"""`neuroviz train`: real runs of the command (subprocesses) and its refusals of bad arguments and unfit data."""

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys

import numpy as np
import pytest

from neuroviz.cli_train import default_loss, main
from neuroviz.model import Network, datasets
from neuroviz.model.training import Trainer


def run(args, cwd):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.run(
        [sys.executable, "-m", "neuroviz", "train", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def circle_net(tmp_path):
    path = tmp_path / "net.json"
    Network.from_sizes([2, 4, 1], ["tanh", "sigmoid"], seed=3).save(path)
    return path


def read_history(path):
    with open(path, newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def test_train_on_circle_prints_one_line_per_epoch_and_writes_network_and_history(tmp_path, circle_net):
    args = ["net.json", "--data", "circle", "--noise", "0.1", "--epochs", "4", "--optimizer", "adam"]
    args += ["--learning-rate", "0.01", "--batch-size", "10", "--loss", "binary_crossentropy"]
    result = run([*args, "-o", "trained.json", "--history", "history.csv"], tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(" - ")[0] for line in lines[:4]] == [f"Epoch {i}/4" for i in range(1, 5)]
    assert "loss: " in lines[0] and "accuracy: " in lines[0] and "val_loss: " in lines[0]
    assert lines[-1] == "wrote trained.json and history.csv"
    history = read_history(tmp_path / "history.csv")
    assert [row["epoch"] for row in history] == ["1", "2", "3", "4"]
    assert {"loss", "accuracy", "val_loss", "val_accuracy"} <= set(history[0])
    assert float(history[-1]["loss"]) < float(history[0]["loss"])
    before, after = Network.load(circle_net), Network.load(tmp_path / "trained.json")
    assert not np.array_equal(before.layers[0].weights, after.layers[0].weights)
    assert after.sizes == before.sizes


def test_a_tanh_output_with_plus_minus_one_labels_says_what_accuracy_counts(tmp_path):
    Network.from_sizes([2, 4, 1], ["tanh", "tanh"], seed=3).save(tmp_path / "tanh.json")
    result = run(["tanh.json", "--data", "circle", "--epochs", "1", "--loss", "mse", "-o", "out.json"], tmp_path)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("note: accuracy is the share of rows whose output has the label's sign")


def test_features_are_computed_and_stored_in_the_trained_network(tmp_path):
    Network.from_sizes([3, 4, 1], ["tanh", "tanh"], seed=0).save(tmp_path / "net.json")
    result = run(
        ["net.json", "--data", "xor", "--features", "x1,x2,x1*x2", "--epochs", "2", "-o", "out.json"], tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "out.json").read_text())["input_features"] == ["x1", "x2", "x1*x2"]
    again = run(["out.json", "--data", "xor", "--epochs", "1", "-o", "again.json"], tmp_path)
    assert again.returncode == 0, again.stderr  # the network's own features are used


def test_standardize_saves_a_network_that_takes_the_raw_inputs(tmp_path):
    """The history's val_loss was measured on standardised validation points; the saved network scores the same
    on the raw points, so the standardisation is in it (folded into the first layer)."""
    Network.from_sizes([2, 4, 1], ["tanh", "tanh"], seed=0).save(tmp_path / "net.json")
    args = ["net.json", "--data", "gauss", "--points", "120", "--noise", "0.2", "--seed", "3", "--epochs", "3"]
    result = run([*args, "--standardize", "-o", "out.json", "--history", "h.csv"], tmp_path)
    assert result.returncode == 0, result.stderr
    _, validation = datasets.split(datasets.generate("gauss", n=120, noise=0.2, seed=3), 0.5)
    trained = Network.load(tmp_path / "out.json")
    targets = validation.with_features(["x1", "x2"]).targets_for(trained, "mean_squared_error")
    score = Trainer(trained, loss="mean_squared_error").evaluate(validation.x, targets)
    assert score["loss"] == pytest.approx(float(read_history(tmp_path / "h.csv")[-1]["val_loss"]), rel=1e-9)


def test_train_a_keras_model_on_iris_csv(tmp_path):
    Network.from_sizes([4, 8, 3], ["relu", "softmax"], seed=0).save(tmp_path / "model.keras")
    shutil.copyfile(datasets.iris_path(), tmp_path / "iris.csv")
    args = ["model.keras", "--data", "iris.csv", "--target", "species", "--epochs", "5", "-o", "trained.keras"]
    result = run([*args, "--standardize", "--history", "h.csv"], tmp_path)
    assert result.returncode == 0, result.stderr
    trained = Network.load(tmp_path / "trained.keras")
    assert trained.sizes == [4, 8, 3] and [layer.activation for layer in trained.layers] == ["relu", "softmax"]
    history = read_history(tmp_path / "h.csv")
    assert len(history) == 5 and float(history[-1]["loss"]) < float(history[0]["loss"])


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--epochs", "0"], "--epochs must be from 1"),
        (["--batch-size", "0"], "--batch-size must be 1 or more"),
        (["--learning-rate", "-1"], "--learning-rate must be a positive number"),
        (["--optimizer", "adamw"], "invalid choice: 'adamw'"),
        (["--loss", "mse2"], "invalid choice: 'mse2'"),
        (["--epochs", "ten"], "invalid int value: 'ten'"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--noise", "0.7"], "noise must be a number from 0 to 0.5"),
        (["--train-share", "0.05"], "--train-share must be from 0.1 to 1"),
        (["--features", "x1,x2,x1^2"], "3 input features .* but the network has 2 inputs"),
        (["--features", "x1,x9"], "unknown input feature 'x9'"),
        (["--data", "nothing"], "neither a data set .* nor a CSV file"),
        (["--data", "iris"], "4 input features .* but the network has 2 inputs"),
        (["--data", "iris", "--points", "5"], "--points applies to Playground's generators"),
        (["-o", "out.txt"], "written as .json or .keras"),
        (["-o", "missing/out.json"], "does not exist"),
        (["--history", "h.txt"], "the history is written as .csv"),
    ],
)
def test_bad_arguments_print_one_line_and_exit_2(tmp_path, circle_net, capsys, extra, message, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = ["net.json", "--data", "circle", "-o", "out.json", *extra]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("neuroviz train: ")
    assert re.search(message, err), err
    assert not (tmp_path / "out.json").exists() and not (tmp_path / "out.txt").exists()


def test_three_classes_for_one_output_is_said_before_training(tmp_path):
    Network.from_sizes([4, 1], ["sigmoid"]).save(tmp_path / "one.json")
    result = run(["one.json", "--data", "iris", "-o", "out.json"], tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert "3 classes (setosa, versicolor, virginica) but the network has 1 output" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_missing_network_file_exits_1(tmp_path):
    result = run(["nothing.json", "--data", "circle", "-o", "out.json"], tmp_path)
    assert result.returncode == 1 and "nothing.json" in result.stderr and result.stderr.count("\n") == 1


def test_a_bad_csv_is_reported_where_it_is_wrong(tmp_path):
    Network.from_sizes([2, 1], ["sigmoid"]).save(tmp_path / "net.json")
    (tmp_path / "d.csv").write_text("a,b,t\n1,2,x\n1,n/a,y\n")
    result = run(["net.json", "--data", "d.csv", "-o", "out.json"], tmp_path)
    assert result.returncode == 2
    assert "row 3, column \"b\": 'n/a' is not a number" in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX")
def test_ctrl_c_stops_and_still_writes_the_network_trained_so_far(tmp_path, circle_net):
    args = [sys.executable, "-m", "neuroviz", "train", "net.json", "--data", "circle", "--epochs", "100000"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(
        [*args, "-o", "out.json", "--history", "h.csv"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as process:
        first = process.stdout.readline()  # the first epoch has run: training is under way
        assert first.startswith("Epoch 1/100000"), first + process.stderr.read()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    last = out.splitlines()[-1]
    stopped = re.fullmatch(r"stopped by Ctrl\+C after (\d+) epochs and (\d+) batches; wrote out.json and h.csv", last)
    assert stopped, last
    epochs = int(stopped.group(1))
    assert 1 <= epochs < 100000 and len(read_history(tmp_path / "h.csv")) == epochs
    assert Network.load(tmp_path / "out.json").sizes == [2, 4, 1]


def test_default_loss_follows_the_output_layer():
    assert default_loss(Network.from_sizes([2, 1], ["sigmoid"])) == "binary_crossentropy"
    assert default_loss(Network.from_sizes([2, 3], ["softmax"])) == "categorical_crossentropy"
    assert default_loss(Network.from_sizes([2, 1], ["tanh"])) == "mean_squared_error"


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_on_a_terminal_the_progress_line_is_rewritten_in_place(tmp_path, circle_net):
    import pty

    leader, follower = pty.openpty()
    args = [sys.executable, "-m", "neuroviz", "train", "net.json", "--data", "circle", "--epochs", "3", "-o", "o.json"]
    with subprocess.Popen(args, cwd=tmp_path, stdout=follower, stderr=subprocess.PIPE) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
    os.close(leader)
    shown = b"".join(chunks).decode()
    assert process.returncode == 0
    assert shown.count("\r\x1b[KEpoch 3/3 - loss: ") == 1 and "Epoch 1/3" in shown
    assert shown.count("\n") == 2  # the progress line ends once, then "wrote o.json"


def test_help_lists_the_options_and_exits_0(capsys):
    assert main(["--help"]) == 0
    text = capsys.readouterr().out
    for option in ("--data", "--target", "--epochs", "--optimizer", "--learning-rate", "--batch-size", "--history"):
        assert option in text
