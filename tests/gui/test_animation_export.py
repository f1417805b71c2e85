"""File ▸ Export ▸ Animation… driven through its widgets: the GIF has the frames and size chosen, training moves the
picture without touching the window's network, a sweep moves an input, cancel and bad choices write nothing, and
the dialog remembers the last choice."""

from __future__ import annotations

import itertools
import os

import numpy as np
import pytest
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


def test_the_window_keeps_handling_events_while_a_frames_epochs_train(qtbot, window, tmp_path):
    """All the epochs between two frames were trained in one event-loop turn: on a 16 × 256 network that is seconds
    per epoch with the window frozen and Cancel unheard. Training goes in slices like the training run's (here one
    batch per turn) and gives the same GIF."""
    from PySide6.QtCore import QTimer

    xor_with_data(window)
    actions = window.controller.animation
    paths = []
    for budget_ms in (None, 0.0):  # None: a frame's epochs in one go (the command line's way); 0: a batch a turn
        actions.budget_ms = budget_ms
        dialog = open_dialog(window)
        dialog.epochs_box.setValue(2)
        dialog.every_box.setValue(2)  # frames at epochs 0 and 2: 2 × 25 batches between them
        dialog.width_box.setValue(300)
        dialog.height_box.setValue(260)
        paths.append(tmp_path / f"run-{budget_ms}.gif")
        dialog.path_edit.setText(str(paths[-1]))
        turns = []
        ticker = QTimer()
        ticker.timeout.connect(lambda turns=turns: turns.append(actions.busy))  # a zero timer: once per event-loop turn
        ticker.start(0)
        assert export_and_wait(qtbot, window, dialog)
        ticker.stop()
    assert turns.count(True) >= 50  # the event loop ran between the batches
    first, second = (frames_of(path) for path in paths)
    assert len(first) == len(second) == 2
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))


def test_the_race_chart_is_not_offered_for_an_animation(window):
    """The race's chart lives in the Race Activations window, which the animation's hidden window does not have:
    choosing it raised AttributeError out of the Export button. Every other exportable view is offered."""
    from neuroviz.exports import VIEWS

    dialog = open_dialog(window)
    offered = [dialog.view_box.itemData(i) for i in range(dialog.view_box.count())]
    assert "race" not in offered
    assert set(offered) == set(VIEWS) - {"race"}


def test_a_training_chart_animation_draws_the_run_so_far(qtbot, window, tmp_path):
    """The Loss chart (like every Training Chart and the window's Training dock) was drawn empty in every frame: the
    copy trained, but its window's run had no history. Each frame now shows the epochs trained so far."""
    xor_with_data(window)
    dialog = open_dialog(window)
    choose(dialog, dialog.view_box, "loss")
    dialog.epochs_box.setValue(4)
    dialog.every_box.setValue(2)
    path = tmp_path / "loss.gif"
    dialog.path_edit.setText(str(path))
    assert export_and_wait(qtbot, window, dialog)
    frames = frames_of(path)
    assert len(frames) == 3
    loss_blue = np.array([0x08, 0x77, 0xBD])  # the loss curve's colour (and its legend sample's)

    def blue_pixels(frame):
        return int((np.abs(frame.astype(int) - loss_blue).sum(axis=2) < 60).sum())

    empty, middle, last = (blue_pixels(frame) for frame in frames)
    assert last > middle > empty + 100  # one more segment of the loss curves, then two


def test_a_sweep_of_a_training_chart_is_refused_with_a_reason(qtbot, window, tmp_path):
    """A sweep trains nothing: the Loss chart was drawn empty in all 50 frames. The dialog says why and stays."""
    dialog = open_dialog(window)  # the default network without data: a sweep
    choose(dialog, dialog.view_box, "gradients")
    dialog.path_edit.setText(str(tmp_path / "sweep.gif"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "change only while the network trains" in dialog.note.text()
    assert not window.controller.animation.busy and not (tmp_path / "sweep.gif").exists()


def test_asking_again_while_an_animation_is_drawn_says_so(qtbot, window, tmp_path):
    """Ctrl+Alt+E during an export did nothing at all; it now says that one is being drawn and brings its progress
    to the front, and the export goes on."""
    dialog = open_dialog(window)
    dialog.frames_box.setValue(50)
    dialog.path_edit.setText(str(tmp_path / "sweep.gif"))
    actions = window.controller.animation
    with qtbot.waitSignal(actions.finished, timeout=60_000) as blocker:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        window.actions["export_animation"].trigger()
        assert "sweep.gif is being drawn" in window.statusBar().currentMessage()
        assert actions.busy and actions.progress.isVisible()
    assert blocker.args == [True] and (tmp_path / "sweep.gif").exists()


# -- where the file goes: relative paths, the format and Browse ----------------------------------------------------
def test_a_relative_path_goes_into_the_folder_the_dialog_shows_not_the_working_folder(
    qtbot, window, tmp_path, monkeypatch
):
    """A typed "talk.gif" was written into the process's working folder, which a desktop user never sees. It goes
    into the last export folder, and the dialog says the full path before Export is pressed."""
    exports, elsewhere = tmp_path / "exports", tmp_path / "elsewhere"
    exports.mkdir()
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    window.settings.setValue("export/last_dir", str(exports))
    dialog = open_dialog(window)
    dialog.frames_box.setValue(2)
    dialog.path_edit.setText("talk.gif")
    assert dialog.target_label.text() == f"Will write: {exports / 'talk.gif'}"
    assert dialog.export_button.isEnabled() and str(exports) in dialog.path_edit.toolTip()
    assert export_and_wait(qtbot, window, dialog)
    assert (exports / "talk.gif").is_file() and os.listdir(elsewhere) == []
    assert f"Exported {exports / 'talk.gif'}" in window.statusBar().currentMessage()


def test_without_an_export_folder_a_relative_path_goes_next_to_the_network_file(window, tmp_path, monkeypatch):
    from pathlib import Path

    monkeypatch.chdir(tmp_path)
    dialog = open_dialog(window)  # no export yet, no network file: the home folder
    dialog.path_edit.setText("a.gif")
    assert dialog.target_label.text() == f"Will write: {Path.home() / 'a.gif'}"
    dialog.reject()
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    window.controller.choose_save_path = lambda: str(lessons / "xor.json")
    window.controller.save()
    dialog = open_dialog(window)
    assert dialog.path_edit.text() == str(lessons / "animation.gif")
    dialog.path_edit.setText(os.path.join("slides", "..", "b.gif"))
    assert dialog.choice().path == str(lessons / "b.gif")
    dialog.path_edit.setText("~/c.gif")
    assert dialog.target_label.text() == f"Will write: {Path.home() / 'c.gif'}"


def test_the_format_and_the_path_follow_each_other(window, tmp_path):
    dialog = open_dialog(window)
    dialog.path_edit.setText(str(tmp_path / "run.gif"))
    assert dialog.format_box.currentData() == "gif"
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("frames"))
    dialog.format_box.activated.emit(dialog.format_box.currentIndex())  # as a click on the entry does
    assert dialog.path_edit.text() == str(tmp_path / "run") + os.sep
    dialog.frames_box.setValue(3)
    first, last = tmp_path / "run" / "frame-0001.png", "0003.png"
    assert dialog.target_label.text() == f"Will write: {first} … {last}"
    assert dialog.export_button.isEnabled()  # run/ does not exist yet: it will be made
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("gif"))
    dialog.format_box.activated.emit(dialog.format_box.currentIndex())
    assert dialog.path_edit.text() == str(tmp_path / "run.gif")
    dialog.path_edit.setText(str(tmp_path) + os.sep)  # typing a folder picks the frames
    assert dialog.format_box.currentData() == "frames"
    dialog.path_edit.setText(str(tmp_path / "talk.mp4"))  # neither: Export waits, the note says why
    assert not dialog.export_button.isEnabled() and "written as a .gif file" in dialog.note.text()
    assert dialog.target_label.text() == ""
    dialog.path_edit.setText("")
    assert not dialog.export_button.isEnabled() and "Choose the file to write" in dialog.note.text()


def test_browse_picks_a_gif_file_or_a_folder_for_png_frames(qtbot, window, tmp_path, monkeypatch):
    asked = []

    def save_dialog(parent, caption, start, kinds):
        asked.append(("file", start, kinds))
        return str(tmp_path / "picked"), kinds

    def folder_dialog(parent, caption, start):
        asked.append(("folder", start))
        return str(tmp_path / "frames")

    monkeypatch.setattr("neuroviz.views.animation_dialog.QFileDialog.getSaveFileName", save_dialog)
    monkeypatch.setattr("neuroviz.views.animation_dialog.QFileDialog.getExistingDirectory", folder_dialog)
    (tmp_path / "frames").mkdir()
    dialog = open_dialog(window)
    dialog.path_edit.setText(str(tmp_path / "start.gif"))
    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    assert asked[-1] == ("file", str(tmp_path / "start.gif"), "GIF animation (*.gif)")
    assert dialog.path_edit.text() == str(tmp_path / "picked.gif")  # the extension added
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("frames"))
    dialog.format_box.activated.emit(dialog.format_box.currentIndex())
    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    assert asked[-1] == ("folder", str(tmp_path))  # picked/ does not exist: its parent
    assert dialog.path_edit.text() == str(tmp_path / "frames") + os.sep
    assert dialog.format_box.currentData() == "frames"
    dialog.frames_box.setValue(3)
    assert export_and_wait(qtbot, window, dialog)
    assert sorted(os.listdir(tmp_path / "frames")) == ["frame-0001.png", "frame-0002.png", "frame-0003.png"]
    again = open_dialog(window)  # a folder is remembered as a folder
    assert again.path_edit.text() == str(tmp_path / "frames") + os.sep
    assert again.format_box.currentData() == "frames"


def test_png_frames_go_into_a_new_folder_when_its_parent_exists(qtbot, window, tmp_path):
    dialog = open_dialog(window)
    dialog.frames_box.setValue(2)
    dialog.path_edit.setText(str(tmp_path / "new") + os.sep)
    assert dialog.export_button.isEnabled()
    assert export_and_wait(qtbot, window, dialog)
    assert sorted(os.listdir(tmp_path / "new")) == ["frame-0001.png", "frame-0002.png"]


def test_a_frames_folder_that_cannot_be_made_or_is_a_file_is_refused_in_the_dialog(qtbot, window, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    before = sorted(os.listdir(tmp_path))
    dialog = open_dialog(window)
    for text, message in [
        (str(tmp_path / "missing" / "frames") + os.sep, f"the folder {tmp_path / 'missing'} does not exist"),
        (str(notes) + os.sep, f"{notes} is a file, not a folder"),
        (str(notes / "frames") + os.sep, f"the folder {notes} is a file, not a folder"),
        (str(notes / "a.gif"), f"the folder {notes} is a file, not a folder"),
    ]:
        dialog.path_edit.setText(text)
        assert not dialog.export_button.isEnabled() and message in dialog.note.text(), text
        qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Enter does not export either
        assert dialog.isVisible()
    assert not window.controller.animation.busy
    assert sorted(os.listdir(tmp_path)) == before and notes.read_text() == "mine"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write into any folder")
def test_a_folder_without_permission_is_refused_in_the_dialog(window, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        dialog = open_dialog(window)
        dialog.path_edit.setText(str(locked / "a.gif"))
        assert not dialog.export_button.isEnabled() and "no permission to write in" in dialog.note.text()
        dialog.path_edit.setText(str(locked / "frames") + os.sep)
        assert "no permission to make a folder in" in dialog.note.text()
    finally:
        locked.chmod(0o700)
