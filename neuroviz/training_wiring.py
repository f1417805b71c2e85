"""Builds and connects the training parts of a window: the :class:`TrainingRun` and the Train menu (Play/Pause on
Space, Step Epoch, Reset Weights). Called by the controller (kept here so the controller stays short)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from neuroviz.presenters.race import RacePresenter
from neuroviz.presenters.training import TrainingPresenter
from neuroviz.presenters.training_charts import TrainingChartsPresenter
from neuroviz.race_run import RaceRun
from neuroviz.training_run import TrainingRun
from neuroviz.views.race_dialog import RaceDialog


class TrainingParts:
    """The training run of one window, its menu actions, and what it tells the status bar."""

    def __init__(self, window, document, data_source, messages, data_actions, map_source) -> None:
        self.window, self.messages, self.document = window, messages, document
        self.run = TrainingRun(document, data_source, window)
        self._fill_menu()
        self._finish_actions()
        self.race = RaceRun(document, self.run, window)
        self.race_dialog: RaceDialog | None = None  # made when first opened
        self.race_presenter: RacePresenter | None = None
        self.map_source = map_source
        race_action = window.actions["race_activations"]
        race_action.setIconText("Race…")
        race_action.triggered.connect(self.open_race)
        panel = window.training_panel
        panel.set_actions(self.play, self.step, self.reset, race_action)
        self.panel = TrainingPresenter(panel, self.run, document, data_source, messages, data_actions.on_open)
        self.charts = TrainingChartsPresenter(window.training_charts, self.run, document)
        self.run.runningChanged.connect(self._on_running_changed)
        self.run.message.connect(self._on_message)
        self._on_running_changed(False)

    def _action(self, key: str, text: str, shortcut: str, tip: str, slot) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setStatusTip(tip)
        action.setToolTip(f"{tip} ({QKeySequence(shortcut).toString(QKeySequence.NativeText)})")
        action.triggered.connect(slot)
        self.window.actions[key] = action
        self.window.train_menu.addAction(action)
        return action

    def _fill_menu(self) -> None:
        run = self.run
        self.play = self._action(
            "train_play", "&Play", "Space", "Train on the data set; press again to pause", run.toggle
        )
        self.step = self._action(
            "train_step", "&Step One Epoch", "Shift+Space", "Train one epoch and stop", run.step_epoch
        )
        self.step.setIconText("Step")
        self.window.train_menu.addSeparator()
        self.reset = self._action(
            "train_reset", "&Reset Weights", "Ctrl+Alt+R", "New initial weights from the seed (undoable)", run.reset
        )

    def _finish_actions(self) -> None:
        self.reset.setIconText("Reset")

    def open_race(self) -> None:
        """Edit ▸ Race Activations… (and the Training dock's Race… button)."""
        if self.race_dialog is None:
            self.race_dialog = RaceDialog(self.window)
            self.window.race_dialog = self.race_dialog
            self.race_dialog.set_dark(self.window.actions["dark"].isChecked())
            self.race_presenter = RacePresenter(self.race_dialog, self.race, self.document, self.map_source)
        self.race_presenter.open()

    def _on_running_changed(self, running: bool) -> None:
        if running:  # the charts come to the front of their tab group when a run starts
            self.window.charts_dock.raise_()
        self.play.setText("&Pause" if running else "&Play")
        self.play.setIconText("❚❚ Pause" if running else "▶ Play")
        # Undo while training undoes the run (it pauses and commits first), even on an empty history
        self.window.actions["undo"].setEnabled(running or self.document.undo_stack.canUndo())

    def _on_message(self, text: str) -> None:
        if text:
            self.messages.report(text)
