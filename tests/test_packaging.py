"""Every folder of Python modules in neuroviz/ is listed in pyproject.toml: a wheel installs only the listed
packages, so a missing one works in the editable install and breaks for everyone who installs the wheel."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_python_package_is_installed_by_a_wheel():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(folder.relative_to(ROOT).parts)
        for folder in (ROOT / "neuroviz").rglob("*")
        if folder.is_dir() and "__pycache__" not in folder.parts and any(folder.glob("*.py"))
    }
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert "neuroviz" in listed
