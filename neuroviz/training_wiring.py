"""Builds and connects the training parts of a window: the :class:`TrainingRun` and the Train menu (Play/Pause on
Space, Step Epoch, Reset Weights). Called by the controller (kept here so the controller stays short)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from neuroviz.exports import CHART_TABLES, TRAINING_TABLES, TRAINING_VIEWS
from neuroviz.model.run_history import chart_table, history_table, race_table
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
        window.closed.connect(self.run.shut_down)
        self._fill_menu()
        self._finish_actions()
        self.race = RaceRun(document, self.run, window)
        self.race_dialog: RaceDialog | None = None  # made when first opened
        self.race_presenter: RacePresenter | None = None
        #: The race dialog's Export… (set by the controller: FileActions asks for the file and writes it).
        self.export_race = lambda: None
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
        self.export_history = QAction("Training &History (CSV)…", window)
        self.export_history.setShortcut(QKeySequence("Ctrl+Alt+H"))
        tip = "Write the run's loss and accuracy per epoch as CSV (Keras' History)"
        self.export_history.setStatusTip(tip)
        self.export_history.setToolTip(tip)
        window.actions["export_history"] = self.export_history
        window.export_menu.addAction(self.export_history)
        panel.add_context_action(self.export_history)

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

    # -- exports of the charts, the history and the race ---------------------------------------------------------
    def export_problem(self, key: str) -> str:
        """ "" when ``key`` (a training chart, its table, the history or the race) has something to export."""
        if key in ("race", "race_values"):
            if self.race.race is None or self.race_dialog is None:
                return "There is no race to export: run one first (Edit ▸ Race Activations…)."
        elif (key in TRAINING_VIEWS or key in TRAINING_TABLES) and not len(self.run.history):
            return "There is no training history to export yet: train first (Train ▸ Play or Step One Epoch)."
        return ""

    def prepare_export(self, key: str) -> None:
        """Bring a training chart to the front, laid out at its size, before its picture is taken; ValueError
        saying why when there is nothing to export."""
        problem = self.export_problem(key)
        if problem:
            raise ValueError(problem)
        if key in CHART_TABLES and key != "race":
            self.window.charts_dock.show()
            self.window.charts_dock.raise_()
            self.window.training_charts.setCurrentWidget(self.window.training_charts.page(key))

    def table(self, key: str) -> tuple[list[str], list[list]]:
        """The CSV of the history ("history"), a training chart ("loss_values", …) or the race ("race_values")."""
        if key == "history":
            return history_table(self.run.history.keras_history())
        if key == "race_values":
            return race_table(self.race.race.contenders)
        chart = next(view for view, table in CHART_TABLES.items() if table == key)
        return chart_table(chart, self.run.history, self.charts.layer_names())

    def open_race(self) -> None:
        """Edit ▸ Race Activations… (and the Training dock's Race… button)."""
        if self.race_dialog is None:
            self.race_dialog = RaceDialog(self.window)
            self.window.race_dialog = self.race_dialog
            self.race_dialog.set_dark(self.window.actions["dark"].isChecked())
            self.race_presenter = RacePresenter(self.race_dialog, self.race, self.document, self.map_source)
            self.race_dialog.exportRequested.connect(lambda: self.export_race())
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
