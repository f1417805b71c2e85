"""The View and Help menus' state: theme (light, dark, follow the system), values on neurons, neuron maps, what
links show, the activation guide and the About box. Every choice a person makes is kept in the preferences."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QMessageBox

from neuroviz.version import __version__
from neuroviz.views.guide_dialog import ActivationGuideDialog
from neuroviz.views.theme import apply_theme, resolve_theme


class ViewOptions:
    def __init__(self, window, document, selection, network_presenter) -> None:
        self.window, self.document, self.selection = window, document, selection
        self.network_presenter = network_presenter
        self.preferences = window.preferences
        self.theme_choice = "system"
        self._labels_message = ""  # the status bar's note about values not written on neurons, if shown
        self._maps_message = ""  # the status bar's note about coarse maps (a large network), if shown
        self.guide: ActivationGuideDialog | None = None
        #: Opens a lesson by key (the guide's "try it" links); the controller sets it.
        self.open_lesson = None

    def load_preferences(self) -> None:
        prefs, actions = self.preferences, self.window.actions
        self.set_theme(prefs.theme, remember=False)
        actions["show_values"].setChecked(prefs.show_values)
        self.window.network_view.set_show_labels(prefs.show_values)
        if prefs.edge_mode in ("signal", "gradient"):
            actions[f"edges_{prefs.edge_mode}"].setChecked(True)
        self.network_presenter.edge_mode = prefs.edge_mode
        actions["neuron_maps"].setChecked(prefs.neuron_maps)
        self.network_presenter.set_show_maps(prefs.neuron_maps)

    def on_show_maps(self, on: bool) -> None:
        """View ▸ Neuron Maps (Ctrl+M): a picture of its response map in each neuron."""
        self.network_presenter.set_show_maps(on)
        self.preferences.neuron_maps = on
        self.on_maps_changed()

    def on_maps_changed(self, *_args) -> None:
        """A large network's maps are coarser than asked for, or a network cannot have maps: the status bar says so
        while the pictures are on."""
        source = self.network_presenter.map_source
        note = (source.reduced_note or source.note) if self.window.actions["neuron_maps"].isChecked() else ""
        bar = self.window.statusBar()
        if note and note != self._maps_message:
            bar.showMessage(note, 8000)
        elif not note and self._maps_message and bar.currentMessage() == self._maps_message:
            bar.clearMessage()
        self._maps_message = note

    def on_show_values(self, on: bool) -> None:
        self.window.network_view.set_show_labels(on)
        self.preferences.show_values = on

    def on_labels_hidden_changed(self, reason: str) -> None:
        """Values asked for but not written (neurons too close): say so, rather than show nothing silently."""
        bar = self.window.statusBar()
        if reason:
            bar.showMessage(reason, 8000)
        elif bar.currentMessage() == self._labels_message:  # all written now: that note is no longer true
            bar.clearMessage()
        self._labels_message = reason

    def set_edge_mode(self, mode: str) -> None:
        self.preferences.edge_mode = mode
        self.network_presenter.set_edge_mode(mode)
        if mode == "gradient":
            self.on_gradient_note(self.network_presenter.gradient_source.note)

    def on_gradient_note(self, note: str) -> None:
        """Edges Show Gradients without training data that fits: the links show the weights, and the status bar
        says why (once per reason)."""
        if note and self.network_presenter.edge_mode == "gradient":
            self.window.statusBar().showMessage(f"Edges show the weights: {note}", 8000)

    def set_theme(self, choice: str, remember: bool = True) -> None:
        """ "system", "light" or "dark": apply it to the application and every view, and show it in the menu."""
        self.theme_choice = choice
        dark = resolve_theme(choice)
        a = self.window.actions
        with QSignalBlocker(a["dark"]), QSignalBlocker(a["follow_system_theme"]):
            a["dark"].setChecked(dark)
            a["follow_system_theme"].setChecked(choice == "system")
        apply_theme(dark)
        w = self.window
        views = (w.network_view, w.activation_plot, w.plot_tools, w.outputs_chart, w.description_bar)
        for view in (*views, w.map_view, w.output_map, w.training_charts):
            view.set_dark(dark)
        if getattr(w, "race_dialog", None) is not None:  # made when first opened
            w.race_dialog.set_dark(dark)
        if remember:  # only a person's choice is stored, so "follow the system" stays the default until then
            self.preferences.theme = choice

    def current_theme(self) -> str:
        return "dark" if self.window.actions["dark"].isChecked() else "light"

    def on_system_theme_changed(self, *_args) -> None:
        if self.theme_choice == "system":
            self.set_theme("system", remember=False)

    def _on_lesson_requested(self, key: str) -> None:
        if self.open_lesson is not None and self.open_lesson(key) and self.guide is not None:
            self.guide.hide()  # the lesson needs the window

    def show_guide(self) -> None:
        if self.guide is None:
            self.guide = ActivationGuideDialog(self.window)
            self.guide.lessonRequested.connect(self._on_lesson_requested)
        layer = self.document.network.layers[self.selection.layer - 1]
        if layer.formula is None:  # a custom formula is not in the guide: it stays on its current page
            self.guide.select(layer.activation)
        self.guide.show()
        self.guide.raise_()

    def show_about(self) -> None:
        QMessageBox.about(
            self.window,
            "About neuroviz",
            f"<b>neuroviz {__version__}</b><p>Watch a small neural network fire: move the inputs, choose each "
            "layer's activation, and see the function and its derivative.</p><p>Activations match "
            "<code>keras.activations</code> of Keras 3.15.</p>",
        )
