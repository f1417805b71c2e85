"""README's `neuroviz train` commands run as written, on the files the README says they expect."""

import re
import shlex
import shutil
from pathlib import Path

from neuroviz.cli_train import main
from neuroviz.model import Network, datasets

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_train_commands() -> list[list[str]]:
    text = README.read_text(encoding="utf-8").replace("\\\n", " ")
    return [shlex.split(line)[2:] for line in re.findall(r"^\s*(neuroviz train .+)$", text, flags=re.M)]


def test_readme_train_commands_work(tmp_path, monkeypatch, capsys):
    commands = readme_train_commands()
    assert len(commands) == 2
    monkeypatch.chdir(tmp_path)
    Network.from_sizes([2, 4, 1], ["tanh", "sigmoid"], seed=0).save("net.json")
    Network.from_sizes([4, 8, 3], ["relu", "softmax"], seed=0).save("model.keras")
    shutil.copyfile(datasets.iris_path(), "iris.csv")
    for argv in commands:
        assert main(argv) == 0, capsys.readouterr().err
    assert Network.load("trained.json").sizes == [2, 4, 1]
    assert Network.load("trained.keras").sizes == [4, 8, 3]
    assert len(Path("history.csv").read_text().splitlines()) == 201
