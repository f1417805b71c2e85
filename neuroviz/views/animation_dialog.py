"""File ▸ Export ▸ Animation…: which view, what moves (training or an input sweep), how many frames, how fast, how
large, and where the file goes. Shows how many frames and seconds that makes; says what is wrong before it closes.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from neuroviz.exports import VIEWS
from neuroviz.model import animation
from neuroviz.model.animation import AnimationError

TRAINING, SWEEP = "training", "sweep"
MAX_EPOCHS = 100_000
MIN_SIDE, MAX_SIDE = 100, 4000


@dataclass(frozen=True)
class AnimationChoice:
    view: str
    mode: str  # TRAINING or SWEEP
    epochs: int
    every: int  # epochs per frame; 0 = chosen for at most about 100 frames
    sweep_input: int  # 0-based
    frames: int  # of a sweep
    fps: int
    width: int
    height: int
    path: str

    def frame_count(self) -> int:
        if self.mode == SWEEP:
            return self.frames
        every = self.every or animation.default_every(self.epochs)
        return len(animation.training_frame_epochs(self.epochs, every))


class AnimationDialog(QDialog):
    """Non-modal to the event loop (``open()``): the window keeps drawing; ``accepted`` starts the export."""

    def __init__(
        self,
        input_names: list[str],
        remembered: dict[str, str],
        default_view: str,
        training_problem: str,
        start_folder: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Animation")
        self._training_problem = training_problem
        self.view_box = QComboBox()
        for key, view in VIEWS.items():
            self.view_box.addItem(view.label, key)
        self.view_box.setToolTip("The view drawn in every frame")
        self.mode_box = QComboBox()
        self.mode_box.addItem("While the network trains", TRAINING)
        self.mode_box.addItem("While one input sweeps its range", SWEEP)
        self.mode_box.setToolTip(
            "Training trains a copy of the network on the Training dock's data with its settings; "
            "the network in the window does not change"
        )
        self.epochs_box = _spin(1, MAX_EPOCHS, "Epochs the copy is trained for")
        self.every_box = _spin(0, MAX_EPOCHS, "Epochs between two frames; Auto gives at most about 100 frames")
        self.every_box.setSpecialValueText("Auto")
        self.input_box = QComboBox()
        self.input_box.addItems(input_names)
        self.input_box.setToolTip("The input moved from the low end of its slider range to the high end")
        self.frames_box = _spin(2, animation.MAX_FRAMES, "Frames of the sweep")
        self.fps_box = _spin(animation.MIN_FPS, animation.MAX_FPS, "Frames per second when the GIF plays")
        self.fps_box.setSuffix(" fps")
        self.width_box = _spin(MIN_SIDE, MAX_SIDE, "Frame width in pixels")
        self.height_box = _spin(MIN_SIDE, MAX_SIDE, "Frame height in pixels")
        self.width_box.setSuffix(" px")
        self.height_box.setSuffix(" px")
        size_row = QHBoxLayout()
        size_row.addWidget(self.width_box)
        size_row.addWidget(QLabel("×"))
        size_row.addWidget(self.height_box)
        size_row.addStretch(1)
        self.path_edit = QLineEdit()
        self.path_edit.setToolTip("A .gif file, or a folder (ending in /) for numbered PNG frames")
        self.browse_button = QPushButton("Browse…")
        self.browse_button.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        self.summary = QLabel()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.export_button = self.buttons.button(QDialogButtonBox.Ok)
        self.export_button.setText("Export")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&View:", self.view_box)
        form.addRow("&Animate:", self.mode_box)
        form.addRow("&Epochs:", self.epochs_box)
        form.addRow("Epochs per &frame:", self.every_box)
        form.addRow("Swept &input:", self.input_box)
        form.addRow("F&rames:", self.frames_box)
        form.addRow("&Speed:", self.fps_box)
        form.addRow(_buddy("Si&ze:", self.width_box), size_row)  # a row of widgets: its label needs a buddy
        form.addRow(_buddy("&File:", self.path_edit), path_row)
        form.addRow("", self.summary)
        form.addRow(self.note)
        form.addRow(self.buttons)
        self._restore(remembered, default_view, input_names, start_folder)
        if training_problem:
            self.mode_box.model().item(0).setEnabled(False)
            self.mode_box.setCurrentIndex(1)
        for box in (self.mode_box, self.view_box):
            box.currentIndexChanged.connect(self._update)
        for spin in (self.epochs_box, self.every_box, self.frames_box, self.fps_box):
            spin.valueChanged.connect(self._update)
        self.view_box.currentIndexChanged.connect(self._default_size)
        self._update()
        self.resize(max(self.sizeHint().width(), 520), self.sizeHint().height())

    def _restore(self, remembered: dict[str, str], default_view: str, names: list[str], folder: str) -> None:
        def number(key: str, default: int) -> int:
            try:
                return int(remembered.get(key, default))
            except ValueError:
                return default

        view = default_view if remembered.get("view") not in VIEWS else remembered["view"]
        self.view_box.setCurrentIndex(self.view_box.findData(view))
        self.mode_box.setCurrentIndex(max(0, self.mode_box.findData(remembered.get("mode", TRAINING))))
        self.epochs_box.setValue(number("epochs", 100))
        self.every_box.setValue(number("every", 0))
        self.input_box.setCurrentIndex(min(number("sweep_input", 0), max(0, len(names) - 1)))
        self.frames_box.setValue(number("frames", animation.DEFAULT_SWEEP_FRAMES))
        self.fps_box.setValue(number("fps", animation.DEFAULT_FPS))
        width, height = VIEWS[view].default_size
        self.width_box.setValue(number("width", width))
        self.height_box.setValue(number("height", height))
        self.path_edit.setText(os.path.join(folder, Path(remembered.get("path", "animation.gif")).name or "a.gif"))

    def _default_size(self) -> None:
        width, height = VIEWS[self.view_box.currentData()].default_size
        self.width_box.setValue(width)
        self.height_box.setValue(height)

    def _update(self) -> None:
        training = self.mode_box.currentData() == TRAINING
        for widget in (self.epochs_box, self.every_box):
            widget.setEnabled(training)
        for widget in (self.input_box, self.frames_box):
            widget.setEnabled(not training)
        choice = self.choice()
        try:
            count = choice.frame_count()
        except AnimationError as error:
            self.summary.setText(str(error))
            return
        self.summary.setText(f"{count} frames, {count / choice.fps:.1f} s")
        problem = self._training_problem
        self.note.setText(f"Only the input sweep can be animated now. {problem}" if problem else "")

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export animation", self.path_edit.text(), "GIF animations (*.gif)")
        if path:
            self.path_edit.setText(path if Path(path).suffix.lower() == ".gif" else path + ".gif")

    def choice(self) -> AnimationChoice:
        return AnimationChoice(
            view=self.view_box.currentData(),
            mode=self.mode_box.currentData(),
            epochs=self.epochs_box.value(),
            every=self.every_box.value(),
            sweep_input=max(0, self.input_box.currentIndex()),
            frames=self.frames_box.value(),
            fps=self.fps_box.value(),
            width=self.width_box.value(),
            height=self.height_box.value(),
            path=self.path_edit.text().strip(),
        )

    def problem(self) -> str:
        """What keeps the choice from being exported, or ""."""
        choice = self.choice()
        if not choice.path:
            return "Choose the file to write: a .gif, or a folder ending in / for PNG frames."
        if choice.mode == SWEEP and self.input_box.count() == 0:
            return "The network has no input to sweep."
        try:
            animation.check_output(choice.path)
            frames = choice.frame_count()
            if frames > animation.MAX_FRAMES:
                raise AnimationError(f"{frames} frames; at most {animation.MAX_FRAMES}: raise the epochs per frame")
            animation.check_memory(frames, choice.width, choice.height)
        except AnimationError as error:
            return str(error)
        return ""

    def _accept(self) -> None:
        problem = self.problem()
        if problem:
            self.note.setText(problem)
            return
        self.accept()

    def remembered(self) -> dict[str, object]:
        """The fields to remember for next time (the folder of the file is remembered by the caller)."""
        fields = asdict(self.choice())
        fields["path"] = Path(fields["path"]).name
        return fields


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def _spin(low: int, high: int, tip: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setToolTip(tip)
    return box
