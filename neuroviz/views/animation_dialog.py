"""File ▸ Export ▸ Animation…: which view, what moves (training or an input sweep), how many frames, how fast, how
large, and where the file goes. Shows how many frames and seconds that makes, and the full path that will be written;
says what is wrong (and keeps Export disabled) until the choice can be exported.

A relative path is taken from the folder the dialog is given (the last export folder, else the network file's), never
from the process's working folder, which a desktop user never sees. The "Will write:" line shows the result as the
path is typed, rather than rewriting the field under the cursor.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt
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

from neuroviz.exports import ANIMATED_VIEWS, VIEWS, animation_problem
from neuroviz.model import animation
from neuroviz.model.animation import AnimationError
from neuroviz.views.input_panel import ElidedLabel

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
        folder: str,
        parent: QWidget | None = None,
    ) -> None:
        """``folder``: where the remembered file name goes and what a relative path is taken from."""
        super().__init__(parent)
        self.setWindowTitle("Export Animation")
        self._training_problem = training_problem
        self.folder = folder
        self.view_box = QComboBox()
        for key in ANIMATED_VIEWS:
            self.view_box.addItem(VIEWS[key].label, key)
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
        self.format_box = QComboBox()
        self.format_box.addItem("GIF animation", animation.GIF)
        self.format_box.addItem("PNG frames in a folder", animation.FRAMES)
        self.format_box.setToolTip(
            "One animated GIF file that loops, or numbered PNG pictures (frame-0001.png, …) in a folder"
        )
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(f"a .gif file, or a folder{os.sep} for PNG frames")
        self.path_edit.setToolTip(
            f"A .gif file, or a folder (ending in {os.sep}) for numbered PNG frames; "
            f"a relative path is taken from {folder}"
        )
        self.target_label = _PathLabel()
        self.target_label.setObjectName("animationTarget")
        self.browse_button = QPushButton("Browse…")
        self.browse_button.setToolTip("Choose the GIF file, or the folder for the PNG frames (follows the format)")
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
        form.addRow("For&mat:", self.format_box)
        form.addRow(_buddy("&Output:", self.path_edit), path_row)
        form.addRow("", self.target_label)
        form.addRow("", self.summary)
        form.addRow(self.note)
        form.addRow(self.buttons)
        self._restore(remembered, default_view, input_names, folder)
        if training_problem:
            self.mode_box.model().item(0).setEnabled(False)
            self.mode_box.setCurrentIndex(1)
        for box in (self.mode_box, self.view_box):
            box.currentIndexChanged.connect(self._update)
        for spin in (self.epochs_box, self.every_box, self.frames_box, self.fps_box):
            spin.valueChanged.connect(self._update)
        self.view_box.currentIndexChanged.connect(self._default_size)
        for spin in (self.width_box, self.height_box):
            spin.valueChanged.connect(self._update)  # the memory check
        self.format_box.activated.connect(self._on_format_chosen)
        self.path_edit.textChanged.connect(self._on_path_edited)
        self._on_path_edited()
        self.resize(max(self.sizeHint().width(), 600), self.sizeHint().height())  # room for the path

    def _restore(self, remembered: dict[str, str], default_view: str, names: list[str], folder: str) -> None:
        def number(key: str, default: int) -> int:
            try:
                return int(remembered.get(key, default))
            except ValueError:
                return default

        view = default_view if remembered.get("view") not in ANIMATED_VIEWS else remembered["view"]
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
        name = remembered.get("path", "animation.gif")
        frames = name.endswith(("/", os.sep))
        name = Path(name).name or "animation.gif"
        self.path_edit.setText(os.path.join(folder, name) + (os.sep if frames else ""))

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
            count = None
            self.summary.setText(str(error))
        else:
            self.summary.setText(f"{count} frames, {count / choice.fps:.1f} s")
        self.target_label.setText(_target_text(choice.path, count))
        self.target_label.setToolTip(self.target_label.text())
        problem = self.problem()
        self.export_button.setEnabled(not problem)
        training_note = f"Only the input sweep can be animated now. {self._training_problem}"
        self.note.setText(problem or (training_note if self._training_problem else ""))

    def _on_path_edited(self) -> None:
        """The format follows what the path says (a .gif, or a folder), so the two never disagree."""
        try:
            kind = animation.output_kind(self.choice().path) if self.choice().path else None
        except AnimationError:
            kind = None  # neither: the note says what a path must end in
        if kind is not None:
            with QSignalBlocker(self.format_box):
                self.format_box.setCurrentIndex(self.format_box.findData(kind))
        self._update()

    def _on_format_chosen(self) -> None:
        """The path follows the chosen format: run.gif becomes the folder run/ and back."""
        text = self.path_edit.text().strip()
        if not text:
            self._update()
            return
        bare = text.rstrip("/" + os.sep)
        if self.format_box.currentData() == animation.FRAMES:
            if Path(bare).suffix.lower() == ".gif":
                bare = bare[: -len(".gif")]
            self.path_edit.setText(bare + os.sep)
        else:
            self.path_edit.setText(bare if Path(bare).suffix.lower() == ".gif" else bare + ".gif")

    def _browse(self) -> None:
        """A file dialog for the GIF, a folder dialog for the PNG frames (a save dialog cannot choose a folder)."""
        current = self.choice().path or os.path.join(self.folder, "animation.gif")
        if self.format_box.currentData() == animation.FRAMES:
            start = current.rstrip("/" + os.sep)
            if not Path(start).is_dir():
                start = str(Path(start).parent)
            folder = QFileDialog.getExistingDirectory(self, "Folder for the PNG frames", start)
            if folder:
                self.path_edit.setText(os.path.join(folder, ""))  # the trailing separator says "a folder"
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export animation", current, "GIF animation (*.gif)")
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
            path=animation.resolve_output(self.path_edit.text(), self.folder),
        )

    def problem(self) -> str:
        """What keeps the choice from being exported, or ""."""
        choice = self.choice()
        if not choice.path:
            return f"Choose the file to write: a .gif, or a folder ending in {os.sep} for PNG frames."
        if choice.mode == SWEEP and self.input_box.count() == 0:
            return "The network has no input to sweep."
        if problem := animation_problem(choice.view, choice.mode):
            return problem[0].upper() + problem[1:] + "."
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
        path = fields["path"]
        frames = path.endswith(os.sep) or Path(path).is_dir()
        fields["path"] = Path(path).name + (os.sep if frames else "")  # a folder stays a folder next time
        return fields


class _PathLabel(ElidedLabel):
    """A long path is shortened in the middle: where it starts and the file's name stay readable."""

    ELIDE = Qt.TextElideMode.ElideMiddle


def _target_text(path: str, frames: int | None) -> str:
    """ "Will write: …" with the full path (for PNG frames, the first and last frame's), or "" when not known."""
    try:
        kind = animation.output_kind(path) if path else None
    except AnimationError:
        kind = None
    if kind is None:
        return ""
    if kind == animation.GIF:
        return f"Will write: {path}"
    first = os.path.join(path, animation.FRAME_NAME.format(1))
    last = f" … {frames:04d}.png" if frames and frames > 1 else ""  # short: the folder is what must show
    return f"Will write: {first}{last}"


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def _spin(low: int, high: int, tip: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setToolTip(tip)
    return box
