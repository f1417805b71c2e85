"""Lessons in the window: Help ▸ Lessons…, opening a lesson's network, ticking its steps as the app sees them done.

A lesson replaces the network like File ▸ Open does (asking to save unsaved work first), selects its layer, clears
the plot's tools, and shows the Lesson dock. Its steps are checked after every change the person can make (values,
edits, the selection, the plot's tools); a step once done stays ticked. Opening another network ends the lesson;
closing it leaves the network to play with.
"""

from __future__ import annotations

from neuroviz import lessons
from neuroviz.data_source import feature_data, fit_problem
from neuroviz.training_run import TrainingSettings
from neuroviz.views.lesson_dock import LessonsDialog


class LessonActions:
    def __init__(self, window, document, selection, files, training=None) -> None:
        """``training``: the window's TrainingParts (its run, and the Training dock's presenter), for lessons
        that train."""
        self.window, self.document, self.selection, self.files = window, document, selection, files
        self.training = training
        self.panel, self.tools = window.lesson_panel, window.plot_tools
        self.current: lessons.Lesson | None = None
        self.done: list[bool] = []
        self.dialog: LessonsDialog | None = None
        self._opening = False
        for signal in (document.valuesChanged, document.layersEdited, selection.changed):
            signal.connect(self.check_steps)
        self.tools.compareChanged.connect(self.check_steps)
        self.tools.probeChanged.connect(self.check_steps)
        self.race = None  # the latest race started while the lesson is open (kept after the dialog forgets it)
        self.kept = ""
        if training is not None:
            training.run.progressed.connect(self.check_steps)
            training.run.historyCleared.connect(self.check_steps)
            training.race.progressed.connect(self._race_progressed)
            training.race.kept.connect(self._race_kept)
        document.networkReplaced.connect(self._network_replaced)
        window.description_bar.offer_lessons(not window.preferences.lesson_started)

    def show_lessons(self) -> None:
        """Help ▸ Lessons…: the list, without blocking; choosing one opens it."""
        self.dialog = LessonsDialog([(item.key, item.title, item.summary) for item in lessons.LESSONS], self.window)
        self.dialog.lessonChosen.connect(self.open_lesson)
        self.dialog.open()

    def open_lesson(self, key: str) -> bool:
        """Open lesson ``key``: False when the person keeps the current network (Cancel at "save changes?")."""
        lesson = lessons.lesson(key)
        if not self.files.maybe_discard():
            return False
        self._opening = True
        try:
            self.files.set_network(lesson.build(), None)
        finally:
            self._opening = False
        self.current, self.done = None, []  # no ticking while the lesson's data and settings are loaded
        self._prepare_training(lesson)
        self.race, self.kept = None, ""
        self.current, self.done = lesson, [False] * len(lesson.steps)
        self.tools.probe_edit.clear()
        self.tools.set_compared("")
        self.selection.select_layer(lesson.start_layer)
        index = lessons.LESSONS.index(lesson)
        self.panel.show_lesson(
            f"Lesson {index + 1} of {len(lessons.LESSONS)}: {lesson.title}",
            lesson.text(),
            [step.text for step in lesson.steps],
            has_next=index + 1 < len(lessons.LESSONS),
        )
        self.window.show_lesson_dock()
        self.window.show_chart(lesson.chart)
        self.window.preferences.lesson_started = True
        self.window.description_bar.offer_lessons(False)
        self.check_steps()
        return True

    def _prepare_training(self, lesson: lessons.Lesson) -> None:
        """Load the lesson's data and training settings, shown in the Training dock."""
        if self.training is None or lesson.data is None:
            return
        name, noise, seed = lesson.data
        presenter, run = self.training.panel, self.training.run
        self.training.race.cancel()  # a race of the previous network means nothing for this one
        presenter.noise, presenter.seed = noise, seed
        presenter.choose_dataset(name)
        run.set_settings(TrainingSettings(**(lesson.training or {})))
        run.clear_history()
        presenter.refresh()
        self.window.training_dock.show()

    def restart(self) -> None:
        if self.current is not None:
            self.open_lesson(self.current.key)

    def next_lesson(self) -> None:
        if self.current is not None:
            index = lessons.LESSONS.index(self.current)
            if index + 1 < len(lessons.LESSONS):
                self.open_lesson(lessons.LESSONS[index + 1].key)

    def close_lesson(self) -> None:
        """Leave the lesson: the network stays as it is."""
        self.current, self.done = None, []
        self.window.lesson_dock.hide()

    def check_steps(self, *_args) -> None:
        """Tick every step the window now shows done (ticks stay)."""
        if self.current is None or self.document.propagation is None:
            return
        run = self.training.run if self.training is not None else None
        history = run.history if run is not None else None
        state = lessons.LessonState(
            self.document.network,
            self.document.propagation,
            self.selection.layer,
            self.tools.probe_text(),
            self.tools.compared(),
            tuple(history.gradient_norms) if history is not None else (),
            history.statistics[-1] if history is not None and history.statistics else None,
            self._training_inputs(),
            loss=run.loss_name() if run is not None else "",
            dataset=run.data.dataset if run is not None else None,
            race=self.race,
            kept=self.kept,
        )
        for index, step in enumerate(self.current.steps):
            if not self.done[index]:
                try:
                    self.done[index] = bool(step.done(state))
                except (IndexError, KeyError, ValueError, TypeError):  # the network no longer has what it checks
                    self.done[index] = False
        self.panel.set_done(self.done)

    def _race_progressed(self) -> None:
        race = self.training.race.race
        if self.current is not None and race is not None:
            self.race = race
        self.check_steps()

    def _race_kept(self, name: str) -> None:
        if self.current is not None:
            self.kept = name
        self.check_steps()

    def _training_inputs(self):
        """The training rows as the network takes them (features computed), or None without fitting data."""
        data = self.training.run.data if self.training is not None else None
        if data is None or data.train is None or fit_problem(data.train, self.document.network):
            return None
        return feature_data(data.train, self.document.network).x

    def _network_replaced(self) -> None:
        if not self._opening and self.current is not None:
            self.close_lesson()
