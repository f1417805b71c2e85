"""File ▸ Export ▸ Animation… driven through its widgets: the GIF has the frames and size chosen, training moves the
picture without touching the window's network, a sweep moves an input, cancel and bad choices write nothing, and
the dialog remembers the last choice."""

from __future__ import annotations

import itertools
import os

import numpy as np
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from neuroviz.views.animation_dialog import SWEEP, TRAINING


def open_dialog(window):
    window.actions["export_animation"].trigger()
    dialog = window.controller.animation.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def choose(dialog, box, data) -> None:
    box.setCurrentIndex(box.findData(data))


def frames_of(path) -> list[np.ndarray]:
    with Image.open(path) as gif:
        frames = []
        for index in range(gif.n_frames):
            gif.seek(index)
            frames.append(np.asarray(gif.convert("RGB")))
        return frames


def xor_with_data(window):
    controller = window.controller
    controller.open_example("xor")
    controller.maps.data.generate("xor")
    return controller


def export_and_wait(qtbot, window, dialog) -> bool:
    with qtbot.waitSignal(window.controller.animation.finished, timeout=60_000) as blocker:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def test_training_animation_from_the_dialog_leaves_the_window_network_alone(qtbot, window, tmp_path):
    controller = xor_with_data(window)
    before = controller.network.copy()
    steps = controller.undo_stack.count()
    dialog = open_dialog(window)
    assert dialog.view_box.currentData() == "decision"  # plane data and a network over the plane
    assert dialog.mode_box.currentData() == TRAINING
    dialog.epochs_box.setValue(4)
    dialog.every_box.setValue(2)
    assert dialog.summary.text() == "3 frames, 0.1 s"
    dialog.width_box.setValue(320)
    dialog.height_box.setValue(280)
    path = tmp_path / "run.gif"
    dialog.path_edit.setText(str(path))
    assert export_and_wait(qtbot, window, dialog)
    with Image.open(path) as gif:
        assert (gif.n_frames, gif.size) == (3, (320, 280))
    frames = frames_of(path)
    assert not np.array_equal(frames[0], frames[-1])  # the boundary moved
    for layer, kept in zip(controller.network.layers, before.layers, strict=True):
        assert np.array_equal(layer.weights, kept.weights) and np.array_equal(layer.biases, kept.biases)
    assert controller.undo_stack.count() == steps and not controller.training.run.running
    shown = window.statusBar().currentMessage()
    assert f"Exported {path}: 3 frames" in shown and "KB" in shown


def test_sweep_animation_from_the_dialog(qtbot, window, tmp_path):
    inputs = list(window.controller.network.input_values)
    dialog = open_dialog(window)  # the default network, no data: only the sweep can be chosen
    assert not dialog.mode_box.model().item(0).isEnabled()
    assert dialog.mode_box.currentData() == SWEEP
    assert "Choose a data set first" in dialog.note.text()
    assert dialog.view_box.currentData() == "network"
    choose(dialog, dialog.view_box, "outputs")
    assert (dialog.width_box.value(), dialog.height_box.value()) == (600, 400)  # the view's export size
    dialog.input_box.setCurrentIndex(1)
    dialog.frames_box.setValue(4)
    dialog.fps_box.setValue(10)
    path = tmp_path / "sweep.gif"
    dialog.path_edit.setText(str(path))
    assert export_and_wait(qtbot, window, dialog)
    with Image.open(path) as gif:
        assert (gif.n_frames, gif.size, gif.info["duration"]) == (4, (600, 400), 100)
    frames = frames_of(path)
    assert all(not np.array_equal(a, b) for a, b in itertools.pairwise(frames))
    assert list(window.controller.network.input_values) == inputs  # the window's inputs did not move


def test_a_bad_file_keeps_the_dialog_open_and_writes_nothing(qtbot, window, tmp_path):
    before = sorted(os.listdir(tmp_path))
    dialog = open_dialog(window)
    for text, message in [
        ("", "Choose the file to write"),
        (str(tmp_path / "missing" / "a.gif"), "does not exist"),
        (str(tmp_path / "a.mp4"), "written as a .gif file"),
    ]:
        dialog.path_edit.setText(text)
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and message in dialog.note.text()
    assert not window.controller.animation.busy
    assert sorted(os.listdir(tmp_path)) == before


def test_cancel_writes_nothing(qtbot, window, tmp_path):
    dialog = open_dialog(window)
    dialog.frames_box.setValue(50)
    dialog.path_edit.setText(str(tmp_path / "never.gif"))
    actions = window.controller.animation
    with qtbot.waitSignal(actions.finished, timeout=60_000) as blocker:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        assert actions.busy and actions.progress is not None
        qtbot.mouseClick(actions.progress.findChild(QPushButton), Qt.MouseButton.LeftButton)  # its Cancel
    assert blocker.args == [False]
    assert not (tmp_path / "never.gif").exists()
    assert "cancelled" in window.statusBar().currentMessage()


def test_the_dialog_remembers_the_last_choice(qtbot, window, tmp_path):
    dialog = open_dialog(window)
    choose(dialog, dialog.view_box, "outputs")
    dialog.frames_box.setValue(3)
    dialog.fps_box.setValue(12)
    dialog.path_edit.setText(str(tmp_path / "slide.gif"))
    assert export_and_wait(qtbot, window, dialog)
    again = open_dialog(window)
    assert again.view_box.currentData() == "outputs"
    assert (again.frames_box.value(), again.fps_box.value()) == (3, 12)
    assert again.path_edit.text() == str(tmp_path / "slide.gif")  # the same folder and name
