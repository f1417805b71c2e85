"""README's "Train it from Python" example runs as written and learns what it says."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent.parent / "README.md"


def test_the_readme_training_example_runs_and_learns(tmp_path, monkeypatch, capsys):
    section = README.read_text(encoding="utf-8").split("### Train it from Python", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, flags=re.S).group(1)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    loss, val_accuracy = map(float, capsys.readouterr().out.split())
    assert loss < 0.1 and val_accuracy >= 0.9  # 74.5 % of the points are outside the circle
    assert namespace["grads"].weights[0].shape == (2, 8)
