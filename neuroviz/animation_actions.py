"""File ▸ Export ▸ Animation…: the dialog, then the frames drawn one per event-loop turn behind a progress dialog
that can cancel, then the GIF (or PNG frames) written at once and the result said in the status bar.

Training animates a copy of the window's network, trained on the window's data set with the Training dock's
settings (the Trainer the training run would start, seeded with the dock's seed): the network on screen, its undo
history and its training run never change. Frames are drawn by :mod:`neuroviz.animation` on a window that is never
shown, with the window's theme, value labels, neuron maps, link colouring, map axes and selection.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog

from neuroviz.data_source import fit_problem

#: A slice of training between two frames (ms): short enough for the window to answer at once.
SLICE_BUDGET_MS = 40.0


class AnimationActions(QObject):
    """The Animation dialog and the export it starts; ``finished(bool)`` says whether a file was written."""

    finished = Signal(bool)

    def __init__(
        self, window, document, selection, messages, map_parts, training_run, presenters, make_controller
    ) -> None:
        """``make_controller(window, network)``: the Controller class, for the window the frames are drawn on."""
        super().__init__(window)
        self.make_controller = make_controller
        self.window, self.document, self.selection, self.messages = window, document, selection, messages
        self.map_parts, self.run, self.presenters = map_parts, training_run, presenters
        self.preferences = window.preferences
        self.dialog = None
        self.progress: QProgressDialog | None = None
        #: Training between two frames goes in slices of about this long, one per event-loop turn (None: a frame's
        #: epochs in one turn; 0: one batch a turn); Cancel and the window answer in between.
        self.budget_ms: float | None = SLICE_BUDGET_MS
        self._job = None

    @property
    def busy(self) -> bool:
        return self._job is not None

    def training_problem(self) -> str:
        """ "" when the current network can be trained for an animation, else why not."""
        return self.run.data_problem()

    def default_view(self) -> str:
        """The output map while training on 2-D data with a network over the plane; else the network view."""
        network, data = self.document.network, self.map_parts.data.dataset
        plane = network.input_features is not None or network.n_inputs == 2
        if data is not None and plane and data.x.shape[1] == 2 and not fit_problem(data, network):
            return "decision"
        return "network"

    def export_folder(self) -> str:
        """Where the dialog's file goes and what a relative path is taken from: the last export's folder (where
        the person put the previous pictures), else the open network file's folder, else the home folder. A
        folder that has gone since is skipped."""
        network_file = self.document.path
        for folder in (self.preferences.last_export_dir, str(Path(network_file).parent) if network_file else ""):
            if folder and Path(folder).is_dir():
                return folder
        return str(Path.home())

    def on_animate(self) -> None:
        """File ▸ Export ▸ Animation…: open the dialog (not blocking: the window keeps drawing)."""
        from neuroviz.views.animation_dialog import AnimationDialog

        if self.busy:
            name = Path(self._job.choice.path.rstrip("/")).name
            self.messages.note(f"{name} is being drawn: wait for it, or press Cancel in its progress window")
            self.progress.show()  # to the front, also before it would show itself
            self.progress.raise_()
            self.progress.activateWindow()
            return
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = AnimationDialog(
            list(self.document.network.input_names),
            self.preferences.animation_choice(),
            self.default_view(),
            self.training_problem(),
            self.export_folder(),
            self.window,
        )
        self.dialog.accepted.connect(lambda: self.start(self.dialog.choice()))
        self.dialog.open()

    # -- the export ------------------------------------------------------------------------------------------
    def start(self, choice) -> bool:
        """Set up the frames of ``choice`` and draw them between events; False (with a message) if it cannot."""
        from neuroviz.animation import Stage, SweepFrames, TrainingFrames
        from neuroviz.model.animation import default_every
        from neuroviz.model.datasets import DatasetError
        from neuroviz.training_run import start_trainer
        from neuroviz.views.animation_dialog import TRAINING

        if self.busy:
            return False
        if self.dialog is not None:
            self.preferences.remember_animation_choice(self.dialog.remembered())
        self.document.flush()
        training = choice.mode == TRAINING
        if training and self.training_problem():
            self.messages.show_error("Could not export the animation", self.training_problem())
            return False
        stage = None
        try:
            stage = Stage(self.document.network.copy(), self._setup(choice), self.make_controller)
            if training:
                settings = self.run.settings
                trainer, x_train = start_trainer(
                    stage.network, self.map_parts.data, settings, self.run.loss_name(), settings.seed
                )
                every = choice.every or default_every(choice.epochs)
                frames = TrainingFrames(stage, trainer, choice.epochs, every, x_train)
            else:
                frames = SweepFrames(stage, choice.sweep_input, choice.frames)
        except (DatasetError, ValueError) as error:
            if stage is not None:
                stage.close()
            self.messages.show_error("Could not export the animation", str(error))
            return False
        self._job = _Job(choice, stage, frames)
        self.progress = QProgressDialog(f"Drawing {Path(choice.path).name}…", "Cancel", 0, len(frames), self.window)
        self.progress.setWindowTitle("Export Animation")
        # not modal: a modal one runs the event loop inside setValue (frames would nest); the window may go on
        # being used meanwhile, as the animation draws a copy
        self.progress.setWindowModality(Qt.WindowModality.NonModal)
        self.progress.setMinimumDuration(0)
        self.progress.canceled.connect(self.cancel)
        self.progress.setValue(0)
        QTimer.singleShot(0, self._next_frame)
        return True

    def _setup(self, choice):
        from neuroviz.animation import StageSetup

        actions, source = self.window.actions, self.map_parts.source
        data = self.map_parts.data
        return StageSetup(
            view=choice.view,
            width=choice.width,
            height=choice.height,
            theme="dark" if actions["dark"].isChecked() else "light",
            show_values=actions["show_values"].isChecked(),
            neuron_maps=actions["neuron_maps"].isChecked(),
            edge_mode=self.presenters["network_view"].edge_mode,
            dataset=data.dataset,
            train_share=data.train_share,
            map_axes=source.axes,
            map_resolution=source.resolution,
            neuron=self.selection.neuron,
            layer=self.selection.layer,
        )

    def _next_frame(self) -> None:
        """Draw one frame; the next one after the events that came in meanwhile (a cancel among them)."""
        from neuroviz.animation import TrainingFrames
        from neuroviz.model.training import TrainingDiverged

        job = self._job
        if job is None:
            return
        try:
            training = isinstance(job.frames, TrainingFrames)  # a sweep has nothing to train
            if training and not job.frames.train_toward(len(job.images), self.budget_ms):
                QTimer.singleShot(0, self._next_frame)
                return
            job.images.append(job.frames.render(len(job.images)))
        except TrainingDiverged as error:
            self._end(f"{error}. Nothing was written; try a smaller learning rate.")
            return
        self.progress.setValue(len(job.images))
        if len(job.images) < len(job.frames):
            QTimer.singleShot(0, self._next_frame)
        else:
            self._write()

    def _write(self) -> None:
        from neuroviz.model.animation import size_text, write_animation

        job = self._job
        try:
            written = write_animation(job.choice.path, job.images, job.choice.fps)
        except (ValueError, OSError) as error:  # AnimationError and FileWriteError are ValueErrors
            self._end(str(error))
            return
        self.preferences.export_dir = str(Path(job.choice.path.rstrip("/")).parent)
        count = len(job.images)
        seconds = time.perf_counter() - job.started
        self._end(
            None,
            f"Exported {job.choice.path}: {count} frames, {count / job.choice.fps:.1f} s at {job.choice.fps} fps, "
            f"{size_text(written)} (drawn in {seconds:.1f} s)",
        )

    def cancel(self) -> None:
        """Stop drawing; nothing is written."""
        if self._job is not None:
            self._end(None, "Animation cancelled; nothing was written")

    def _end(self, error: str | None, note: str = "") -> None:
        job, self._job = self._job, None
        job.stage.close()
        if self.progress is not None:
            progress, self.progress = self.progress, None
            progress.canceled.disconnect(self.cancel)
            progress.reset()
            progress.deleteLater()
        if error is not None:
            self.messages.show_error("Could not export the animation", error)
        else:
            self.messages.note(note, 15000)
        self.finished.emit(error is None and job is not None and len(job.images) == len(job.frames))


class _Job:
    """One export under way: what was chosen, the stage, the frame source and the frames drawn so far."""

    def __init__(self, choice, stage, frames) -> None:
        self.choice, self.stage, self.frames = choice, stage, frames
        self.images: list = []
        self.started = time.perf_counter()
