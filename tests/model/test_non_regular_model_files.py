"""A FIFO, device or folder named like a network or Keras model is refused at once, whatever its suffix.

Each load runs in a child process with a timeout, so that a regression (blocking on a FIFO that has no
writer) fails the test instead of hanging the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SUFFIXES = [".keras", ".h5", ".hdf5", ".json"]
LOAD = (
    "import sys\n"
    "from neuroviz.model import Network, NetworkFileError\n"
    "try:\n    Network.load(sys.argv[1])\nexcept NetworkFileError as error:\n    print(error)\n"
)


def _load_in_a_child(path: Path) -> str:
    try:
        done = subprocess.run(
            [sys.executable, "-c", LOAD, str(path)], capture_output=True, text=True, timeout=60, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"loading {path.name} blocked for 60 s")
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")
@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_fifo_is_refused_at_once(tmp_path, suffix):
    fifo = tmp_path / f"model{suffix}"
    os.mkfifo(fifo)
    message = _load_in_a_child(fifo)
    kind = "a network" if suffix == ".json" else "a Keras model"
    assert message == f"{fifo}: is not a regular file (a device, pipe or socket cannot hold {kind})"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_a_device_behind_a_keras_name_is_refused(tmp_path, suffix):
    link = tmp_path / f"zero{suffix}"
    link.symlink_to("/dev/zero")
    assert _load_in_a_child(link).endswith("is not a regular file (a device, pipe or socket cannot hold a Keras model)")


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_a_folder_with_a_keras_name_is_refused(tmp_path, suffix):
    folder = tmp_path / f"model{suffix}"
    folder.mkdir()
    assert _load_in_a_child(folder) == f"{folder}: is a folder, not a Keras model file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")
def test_the_export_command_refuses_a_keras_fifo(tmp_path):
    fifo = tmp_path / "model.keras"
    os.mkfifo(fifo)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    try:
        done = subprocess.run(
            [sys.executable, "-m", "neuroviz", "export", str(fifo), "-o", str(tmp_path / "out.png")],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("neuroviz export blocked on a FIFO")
    assert done.returncode == 1
    assert "is not a regular file" in done.stderr and "model.keras" in done.stderr
    assert not (tmp_path / "out.png").exists()
