"""End to end: the real `neuroviz` command opens a window on a virtual X screen and paints it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parent.parent
REQUIRED = os.environ.get("NEUROVIZ_REQUIRE_E2E") == "1"


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if REQUIRED:
            pytest.fail(f"{tool} is not installed but NEUROVIZ_REQUIRE_E2E=1 (CI must run this test)")
        pytest.skip(f"{tool} is not installed (apt-get install xvfb xdotool)")
    return path


def _free_display() -> int:
    for number in range(120, 200):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number")


@pytest.fixture
def xserver():
    xvfb = _need("Xvfb")
    _need("xdotool")
    number = _free_display()
    server = subprocess.Popen(
        [xvfb, f":{number}", "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    socket = Path(f"/tmp/.X11-unix/X{number}")
    deadline = time.monotonic() + 10
    while not socket.exists() and time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail("Xvfb exited at start")
        time.sleep(0.05)  # waiting for an external process; not a timing assertion
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


#: Run in a separate process on the virtual screen: wait until something is painted, save the screen, print stats.
GRAB_SCREEN = """
import sys, time
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv)
for _ in range(50):
    image = app.primaryScreen().grabWindow(0).toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    if len(colours) > 40:
        break
    app.processEvents()
    time.sleep(0.1)
image.save(OUT)
print(len(colours), image.width(), image.height())
"""


def _neuroviz_command() -> list[str]:
    script = Path(sys.executable).with_name("neuroviz")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "neuroviz"]


def test_neuroviz_command_opens_and_paints_a_window(xserver, tmp_path):
    env = dict(os.environ, DISPLAY=xserver, QT_QPA_PLATFORM="xcb", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path))
    app = subprocess.Popen(_neuroviz_command(), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        found = subprocess.run(
            ["xdotool", "search", "--sync", "--onlyvisible", "--name", "neuroviz"],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert found.returncode == 0, app.stderr.read() if app.poll() is not None else found.stderr
        window_id = found.stdout.split()[0]
        title = subprocess.run(
            ["xdotool", "getwindowname", window_id], env=env, capture_output=True, text=True, timeout=10
        ).stdout.strip()
        default_name = json.loads((ROOT / "resources" / "examples" / "default.json").read_text())["name"]
        assert title == f"{default_name} — neuroviz"
        shot = tmp_path / "screen.png"
        grab = GRAB_SCREEN.replace("OUT", repr(str(shot)))
        result = subprocess.run(
            [sys.executable, "-c", grab], env=env, capture_output=True, text=True, timeout=60, check=True
        )
        colours, width, height = (int(v) for v in result.stdout.split())
        assert (width, height) == (1400, 900)
        assert colours > 40, f"the screen looks blank ({colours} colours)"
        assert app.poll() is None, "neuroviz exited"
    finally:
        app.terminate()
        try:
            app.wait(timeout=10)
        except subprocess.TimeoutExpired:
            app.kill()
