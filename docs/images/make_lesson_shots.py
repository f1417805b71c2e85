"""Screenshots of every lesson: open it, do its steps through the widgets, save the window (1400 × 900) as a PNG.

Run offscreen from the repository's root::

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/images/make_lesson_shots.py [OUT_DIR] [--only KEY ...]

Pictures go to OUT_DIR (default /tmp/lesson_shots/), one per lesson (``NN-key.png``, light theme) and a few in the
dark theme (``NN-key-dark.png``). A lesson that races draws the Race Activations window over the main window, where
it opens on a desktop. The script prints which steps the lesson ticked, so a picture can be checked against it.
Not a test: it looks at nothing itself — a person looks at the pictures.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QPoint, QRect, QSettings, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication

from neuroviz import lessons
from neuroviz.app import build_window
from neuroviz.views.layer_panel import ACTIVATION_ROLE, CUSTOM_CHOICE

SIZE = (1400, 900)
#: Lessons also shot in the dark theme.
DARK = ("softmax", "dying")


# -- doing what a learner does --------------------------------------------------------------------------------------
def settle(window, milliseconds: int = 0) -> None:
    """Let the window catch up (a real event loop for ``milliseconds``: deferred layouts and timers run)."""
    window.controller.flush()
    if milliseconds:
        loop = QEventLoop()
        QTimer.singleShot(milliseconds, loop.quit)
        loop.exec()
    for _ in range(3):
        QApplication.processEvents()


def choose(window, k: int, name: str) -> None:
    """Pick an activation in layer k's combo box."""
    combo = window.layer_panel.combo(k)
    combo.setCurrentIndex(combo.findData(name, ACTIVATION_ROLE))
    settle(window)


def set_param(window, k: int, name: str, value: float) -> None:
    window.controller.selection.select_layer(k)
    window.layer_panel.param_editor(k, name).setValue(value)
    settle(window)


def set_input(window, i: int, value: float) -> None:
    window.input_panel.spin_box(i).setValue(value)
    settle(window)


def probe(window, text: str) -> None:
    window.plot_tools.probe_edit.setText(text)
    settle(window)


def compare(window, name: str) -> None:
    box = window.plot_tools.compare_box
    box.setCurrentIndex(box.findData(name))
    settle(window)


def pick(combo, key) -> None:
    """A Training dock combo box entry, as a click (its ``activated`` signal)."""
    combo.setCurrentIndex(combo.findData(key))
    combo.activated.emit(combo.currentIndex())


def step_epochs(window, n: int) -> None:
    for _ in range(n):
        window.actions["train_step"].trigger()
    settle(window)


def reset(window) -> None:
    window.actions["train_reset"].trigger()
    settle(window)


def race(window, names: tuple[str, ...], epochs: int):
    """Edit ▸ Race Activations…, tick ``names``, set the epochs, Race, and run it to the end."""
    window.actions["race_activations"].trigger()
    dialog, run = window.race_dialog, window.controller.training.race
    run.budget_ms = None
    for name in dialog.choice_names():
        dialog.set_choice(name, name in names)
    dialog.epochs_box.setValue(epochs)
    dialog.race_button.click()
    while run.running:
        run.tick()
    settle(window)
    return dialog


# -- each lesson's steps --------------------------------------------------------------------------------------------
def do_relu(window) -> None:
    probe(window, "-5, -8, 0, 3, 9")
    set_param(window, 1, "negative_slope", 0.7)
    set_param(window, 1, "negative_slope", 0.0)
    window.layer_panel.param_limit_box(1, "max_value").setChecked(True)
    set_param(window, 1, "max_value", 3.0)
    window.layer_panel.param_limit_box(1, "max_value").setChecked(False)
    set_param(window, 1, "threshold", 7.0)


def do_squash(window) -> None:
    probe(window, "-35, -5, 0, 6, 25")
    set_input(window, 0, 9.0)
    set_input(window, 0, -9.0)
    choose(window, 1, "tanh")
    set_input(window, 0, -2.0)


def do_softmax(window) -> None:
    probe(window, "0.1, 0.2, 0.3, 0.4, 0.1, 0.2, 0.3")
    set_input(window, 3, 1.0)
    choose(window, 1, "sparsemax")


def do_softplus(window) -> None:
    compare(window, "softplus")
    choose(window, 1, "softplus")
    compare(window, "sigmoid")


def do_softsign(window) -> None:
    compare(window, "softsign")
    choose(window, 1, "softsign")
    set_input(window, 0, 3.0)
    compare(window, "tanh")


def do_custom(window) -> None:
    combo = window.layer_panel.combo(1)
    combo.setCurrentIndex(combo.findData(CUSTOM_CHOICE, ACTIVATION_ROLE))
    window.controller.formula_editor.ok_button().click()
    settle(window)
    set_param(window, 1, "beta", 10.0)
    compare(window, "relu")


def do_elu(window) -> None:
    probe(window, "-5, -1, 0, 1, 5")
    for k in (1, 2):
        set_param(window, k, "alpha", 2.0)
    # the picture stays on ELU with α = 2 (its claim); the last step, back to relu, is left for the learner
    window.controller.selection.select_layer(1)


def do_vanishing(window) -> None:
    step_epochs(window, 3)  # the claim: the sigmoid stack's gradient flow (the relu step would replace it)


def do_faster(window):
    return race(window, ("relu", "tanh", "sigmoid"), 10)


def do_dying(window) -> None:
    step_epochs(window, lessons.DYING_EPOCHS)


def do_selu(window) -> None:
    step_epochs(window, 5)  # step 1 asks for one epoch; five draw the statistics as lines, not dots


def do_outputs(window) -> None:
    dock = window.training_panel
    step_epochs(window, 1)
    pick(dock.dataset_combo, "circle")
    choose(window, 3, "sigmoid")
    pick(dock.dataset_combo, "iris")
    dock.fit_button.click()
    settle(window)
    choose(window, 3, "sigmoid")  # multi-label: step 4
    pick(dock.loss_combo, "categorical_crossentropy")  # the mismatch the dock warns about, for the picture
    window.controller.selection.select_layer(3)
    settle(window)


def do_race(window):
    choose(window, 3, "sigmoid")
    return race(window, ("relu", "tanh", "sigmoid"), lessons.RACE_EPOCHS)


STEPS: dict[str, Callable] = {
    "relu": do_relu,
    "squash": do_squash,
    "softmax": do_softmax,
    "softplus": do_softplus,
    "softsign": do_softsign,
    "custom": do_custom,
    "elu": do_elu,
    "vanishing": do_vanishing,
    "faster": do_faster,
    "dying": do_dying,
    "selu": do_selu,
    "outputs": do_outputs,
    "race": do_race,
}


# -- pictures -------------------------------------------------------------------------------------------------------
def picture(window, dialog=None) -> QPixmap:
    """The window as drawn; a race dialog drawn over its right-hand side, as it opens on a desktop."""
    # what the screen shows (the backing store); QWidget.grab() re-renders and can draw a dock's stale tab bar
    shot = window.screen().grabWindow(window.winId())
    if shot.isNull() or shot.width() < window.width():
        shot = window.grab()
    if dialog is not None and dialog.isVisible():
        over = dialog.screen().grabWindow(dialog.winId())
        if over.isNull() or over.width() < dialog.width():
            over = dialog.grab()
        title = 26
        left, top = shot.width() - over.width() - 16, 90
        painter = QPainter(shot)
        frame = QRect(left - 1, top - 1, over.width() + 2, over.height() + title + 2)
        painter.fillRect(frame, QColor("#5a5f66"))
        painter.fillRect(QRect(left, top, over.width(), title), QColor("#dfe3e8"))
        painter.setPen(QColor("#1d1f22"))
        painter.drawText(QRect(left, top, over.width(), title), Qt.AlignmentFlag.AlignCenter, dialog.windowTitle())
        painter.drawPixmap(QPoint(left, top + title), over)
        painter.end()
    return shot


def shoot(key: str, number: int, out: Path, dark: bool) -> None:
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "neuroviz.ini"), QSettings.Format.IniFormat)
    window = build_window(settings=settings, show=False)
    window.controller.ask_unsaved = lambda: "discard"
    window.resize(*SIZE)
    window.show()
    if dark:
        window.actions["dark"].setChecked(True)
    settle(window)
    window.controller.lessons.open_lesson(key)
    settle(window)
    dialog = STEPS[key](window)
    window.statusBar().clearMessage()  # a passing note (gone after a few seconds on screen) would date the picture
    window.update()  # the offscreen screen keeps what a moved dock left behind until the window repaints
    settle(window, 300)
    name = f"{number:02d}-{key}{'-dark' if dark else ''}.png"
    picture(window, dialog).save(str(out / name))
    ticks = "".join("✓" if done else "○" for done in window.controller.lessons.done)
    print(f"{name}: steps {ticks}")
    if dialog is not None:
        dialog.reject()
    window.controller.undo_stack.clear()
    window.accept_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Screenshots of every lesson, its steps done")
    parser.add_argument("out", nargs="?", default="/tmp/lesson_shots", help="folder for the PNGs")
    parser.add_argument("--only", nargs="*", default=None, help="lesson keys to shoot (default: all)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for number, item in enumerate(lessons.LESSONS, start=1):
        if args.only and item.key not in args.only:
            continue
        shoot(item.key, number, out, dark=False)
        if item.key in DARK:
            shoot(item.key, number, out, dark=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
