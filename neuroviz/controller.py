"""The controller builds the parts of the window and connects them; it is the only place that connects signals
across parts.

Parts: the :class:`Document` (the network, its file and undo history; it announces changes), the
:class:`Selection`, one presenter per view (``neuroviz/presenters``: they listen to the document and the selection
and feed their view), :class:`Edits` (what the panels ask for, made undoable), :class:`FileActions` and
:class:`ViewOptions`. See docs/architecture.md for the flow of an input change and of an edit.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication

from neuroviz.animation_actions import AnimationActions
from neuroviz.document import Document
from neuroviz.editing import Edits
from neuroviz.file_actions import FileActions
from neuroviz.gradient_source import GradientSource
from neuroviz.lesson_actions import LessonActions
from neuroviz.map_source import MapSource
from neuroviz.map_wiring import MapParts
from neuroviz.messages import Messages
from neuroviz.model import Network
from neuroviz.presenters import build_presenters
from neuroviz.selection import Selection
from neuroviz.training_wiring import TrainingParts
from neuroviz.view_options import ViewOptions
from neuroviz.views.main_window import MainWindow


class Controller(QObject):
    """Builds document, selection, presenters and actions for ``window`` and wires them together."""

    def __init__(self, window: MainWindow, network: Network, path: str | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.document = Document(network, path, self)
        self.selection = Selection(self)
        self.messages = Messages(window)
        # the selection follows its neuron before any presenter redraws for a new structure
        self.document.structureChanged.connect(lambda moves: self.selection.follow(moves, self.network.sizes))
        self.map_source = MapSource(self.document, self)
        # before the presenters: its stale mark on valuesChanged must come before their redraw
        self.gradient_source = GradientSource(self.document, self)
        self.presenters = build_presenters(window, self.document, self.selection, self.map_source, self.gradient_source)
        self.document.valuesChanged.connect(self.selection.announce_moves)  # the views have the new structure
        self.edits = Edits(window, self.document, self.selection, self.messages, self.presenters["layer_panel"])
        self.files = FileActions(window, self.document, self.selection, self.messages)
        self.view_options = ViewOptions(window, self.document, self.selection, self.presenters["network_view"])
        self.maps = MapParts(window, self.document, self.selection, self.messages, self.map_source)
        self.files.map_parts = self.maps
        self.files.presenters = self.presenters
        self.training = TrainingParts(
            window, self.document, self.maps.data, self.messages, self.maps.data_actions, self.map_source
        )
        self.gradient_source.attach(self.training.run)
        self.animation = AnimationActions(
            window,
            self.document,
            self.selection,
            self.messages,
            self.maps,
            self.training.run,
            self.presenters,
            Controller,
        )
        self.files.training_parts = self.training
        self.training.export_race = self.files.on_export_race
        self.lessons = LessonActions(window, self.document, self.selection, self.files, self.training)
        self.view_options.open_lesson = self.lessons.open_lesson
        self._connect()
        self.document.networkReplaced.connect(self._say_load_note)
        self._say_load_note()
        self.view_options.load_preferences()
        self.document.structureChanged.emit(None)
        self.document.schedule(0)
        self.flush()
        self._update_title()
        self.files.fill_examples_menu()
        self.files.fill_recent_menu()

    def _say_load_note(self) -> None:
        """A file that is not what neuroviz computes in (float16 weights, say) says so in the status bar."""
        note = getattr(self.document.network, "load_note", "")
        if note:
            self.messages.note(note, 20000)

    def _connect(self) -> None:
        w, doc, sel, edits, files, options = (
            self.window,
            self.document,
            self.selection,
            self.edits,
            self.files,
            self.view_options,
        )
        w.input_panel.valueChanged.connect(doc.set_input)
        w.input_panel.valuesChanged.connect(doc.set_inputs)
        w.input_panel.rangeChanged.connect(self._guarded(doc.set_input_range))
        lp = w.layer_panel
        lp.activationChanged.connect(edits.on_activation_changed)
        lp.paramChanged.connect(edits.on_param_changed)
        lp.sizeChanged.connect(edits.on_size_changed)
        lp.regularizerChanged.connect(edits.on_regularizer_changed)
        lp.insertLayerRequested.connect(edits.on_insert_layer)
        lp.removeLayerRequested.connect(edits.on_remove_layer)
        lp.layerSelected.connect(sel.select_layer)
        lp.customFormulaRequested.connect(edits.on_custom_formula_requested)
        nv = w.network_view
        nv.neuronClicked.connect(self._on_neuron_clicked)
        nv.edgeClicked.connect(self._on_edge_clicked)
        nv.backgroundClicked.connect(sel.clear_neuron)
        nv.labelsHiddenChanged.connect(options.on_labels_hidden_changed)
        w.inspector.weightEdited.connect(edits.on_weight_edited)
        w.inspector.biasEdited.connect(edits.on_bias_edited)
        doc.modifiedChanged.connect(w.setWindowModified)
        doc.pathChanged.connect(self._update_title)
        doc.updateTimed.connect(w.show_update_time)
        doc.undo_stack.canUndoChanged.connect(w.actions["undo"].setEnabled)
        doc.undo_stack.canRedoChanged.connect(w.actions["redo"].setEnabled)
        w.actions["undo"].setEnabled(False)
        w.actions["redo"].setEnabled(False)
        w.closeRequested.connect(self._on_close_requested)
        w.filesDropped.connect(files.on_files_dropped)

        a = w.actions
        a["new"].triggered.connect(files.new_network)
        a["open"].triggered.connect(files.on_open)
        a["save"].triggered.connect(files.save)
        a["save_as"].triggered.connect(files.save_as)
        a["export"].triggered.connect(files.on_export)
        a["export_keras"].triggered.connect(files.on_export_keras)
        a["export_animation"].triggered.connect(self.animation.on_animate)
        a["export_history"].triggered.connect(files.on_export_history)
        a["quit"].triggered.connect(w.close)
        a["undo"].triggered.connect(doc.undo)
        a["redo"].triggered.connect(doc.redo)
        a["insert_layer"].triggered.connect(lambda: edits.on_insert_layer(len(self.network.layers)))
        a["remove_layer"].triggered.connect(lambda: edits.on_remove_layer(sel.layer))
        a["reinitialize"].triggered.connect(edits.on_reinitialize)
        a["reset_inputs"].triggered.connect(w.input_panel.reset_values)
        a["randomize_inputs"].triggered.connect(w.input_panel.randomize_values)
        a["show_values"].toggled.connect(options.on_show_values)
        a["neuron_maps"].toggled.connect(options.on_show_maps)
        self.map_source.mapsChanged.connect(options.on_maps_changed)
        a["edges_weight"].toggled.connect(lambda on: on and options.set_edge_mode("weight"))
        a["edges_signal"].toggled.connect(lambda on: on and options.set_edge_mode("signal"))
        a["edges_gradient"].toggled.connect(lambda on: on and options.set_edge_mode("gradient"))
        self.gradient_source.noteChanged.connect(options.on_gradient_note)
        a["dark"].toggled.connect(lambda dark: options.set_theme("dark" if dark else "light"))
        a["follow_system_theme"].toggled.connect(
            lambda on: options.set_theme("system" if on else options.current_theme())
        )
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):  # Qt ≥ 6.5: the desktop switched between light and dark
            hints.colorSchemeChanged.connect(options.on_system_theme_changed)
            w.closed.connect(lambda: hints.colorSchemeChanged.disconnect(options.on_system_theme_changed))
        a["guide"].triggered.connect(options.show_guide)
        a["about"].triggered.connect(options.show_about)
        a["about_network"].triggered.connect(w.description_bar.reveal)
        a["lessons"].triggered.connect(self.lessons.show_lessons)
        w.description_bar.lessonOffered.connect(self.lessons.show_lessons)
        w.lesson_panel.restartRequested.connect(self.lessons.restart)
        w.lesson_panel.nextRequested.connect(self.lessons.next_lesson)
        w.lesson_panel.closeRequested.connect(self.lessons.close_lesson)

    def _guarded(self, change):
        """A live change that may be refused (a bad range): the reason goes to the status bar."""

        def run(*args) -> None:
            try:
                change(*args)
            except ValueError as error:
                self.messages.report(str(error))

        return run

    def _on_neuron_clicked(self, k: int, i: int) -> None:
        self.selection.select_neuron(k, i)
        self.presenters["inspector"].edit_neuron(k, i)
        if k >= 1:
            self.window.inspector_dock.raise_()

    def _on_edge_clicked(self, k: int, i: int, j: int) -> None:
        self._on_neuron_clicked(k, j)
        self.presenters["inspector"].edit_edge(k, i, j)

    def _update_title(self, *_args) -> None:
        path = self.document.path
        name = Path(path).name if path else (self.network.name or "Untitled")
        self.window.setWindowTitle(f"{name}[*] — neuroviz")
        self.window.setWindowModified(self.document.is_modified())

    def _on_close_requested(self) -> None:
        if self.files.maybe_discard():
            self.window.input_panel.set_animating(False)
            self.window.accept_close()

    # -- the public surface tests and scripts use ------------------------------------------------------------
    network = property(lambda self: self.document.network)
    propagation = property(lambda self: self.document.propagation)
    path = property(lambda self: self.document.path)
    undo_stack = property(lambda self: self.document.undo_stack)
    selected_layer = property(lambda self: self.selection.layer)
    selected_neuron = property(lambda self: self.selection.neuron)
    edge_mode = property(lambda self: self.presenters["network_view"].edge_mode)
    formula_editor = property(lambda self: self.edits.formula_editor)
    _guide = property(lambda self: self.view_options.guide)  # read by tests/gui/test_custom_formula.py

    def flush(self) -> None:
        """Draw what is pending now (the frame timer does this; tests and exports may too)."""
        self.document.flush()

    def edit(self, text: str, change, first_changed: int = 0, merge_key: tuple | None = None) -> bool:
        return self.edits.edit(text, change, first_changed, merge_key)


def _forward(name: str, owner: str) -> property:
    """A Controller attribute that reads and writes ``self.<owner>.<name>`` (dialogs tests replace, the clock)."""
    return property(
        lambda self: getattr(getattr(self, owner), name),
        lambda self, value: setattr(getattr(self, owner), name, value),
    )


for _name in ("ask_unsaved", "choose_export_path", "choose_open_path", "choose_save_path", "choose_keras_path"):
    setattr(Controller, _name, _forward(_name, "files"))
Controller.clock = _forward("clock", "document")
Controller.last_error = _forward("last_error", "messages")
for _name in ("open", "save", "save_as", "export", "export_keras", "set_network", "unsaved_summary", "open_example"):
    setattr(Controller, _name, property(lambda self, n=_name: getattr(self.files, n)))
Controller.reinitialize = property(lambda self: self.edits.reinitialize)
Controller.is_modified = property(lambda self: self.document.is_modified)
