"""File actions of the window: New, Open (also recent files, examples, dropped files), Save, Save As, the
unsaved-changes question, and the exports (pictures, tables, a Keras model).

The dialogs that ask for a path or an answer are attributes, so tests and scripts replace them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from neuroviz.exports import TRAINING_TABLES, view_widget
from neuroviz.model import Network, NetworkFileError, tables
from neuroviz.model.files import KERAS_SUFFIXES, example_names, example_path
from neuroviz.presenters import catch_up
from neuroviz.views.export import save_png, save_svg
from neuroviz.views.export_dialog import ExportChoice, ExportDialog

#: File ▸ Open reads neuroviz networks and Keras models; Save As writes either a network or a Keras 3 model.
_KERAS_PATTERNS = " ".join(f"*{suffix}" for suffix in KERAS_SUFFIXES)
OPEN_FILTER = (
    f"Networks and Keras models (*.json {_KERAS_PATTERNS});;neuroviz networks (*.json);;"
    f"Keras models ({_KERAS_PATTERNS});;All files (*)"
)
SAVE_FILTER = "neuroviz networks (*.json);;Keras 3 models (*.keras)"
KERAS_FILTER = "Keras 3 models (*.keras)"
RACE_FILTER = "PNG images (*.png);;SVG drawings (*.svg);;CSV tables (*.csv)"
#: The race dialog's Export… writes PNGs at this scale (sharp on slides), as the Export dialog's default.
RACE_PNG_SCALE = 2.0


def is_foreign(path: str) -> bool:
    """A Keras model file. Save does not overwrite it (Keras writes more into it than neuroviz reads back, such
    as the optimizer and training-only layers), and it keeps no input names, values or ranges."""
    return Path(path).suffix.lower() in KERAS_SUFFIXES


class FileActions:
    def __init__(self, window, document, selection, messages) -> None:
        self.window, self.document, self.selection, self.messages = window, document, selection, messages
        self.preferences = window.preferences
        #: Asks a yes/no/cancel question; replaced in tests. Returns "save", "discard" or "cancel".
        self.ask_unsaved: Callable[[], str] = self._ask_unsaved_dialog
        #: Pick a file; replaced in tests. Return "" when cancelled.
        self.choose_export_path: Callable[[ExportChoice], str] = self.choose_export_dialog
        self.choose_open_path: Callable[[], str] = self._choose_open_dialog
        self.choose_save_path: Callable[[], str] = self._choose_save_dialog
        self.choose_keras_path: Callable[[], str] = self._choose_keras_dialog
        self.choose_race_path: Callable[[], str] = self._choose_race_dialog
        #: Set by the map wiring: draws a map view before it is exported, writes a map's table.
        self.map_parts = None
        #: The window's presenters, whose held-back redraws are made before a picture is taken (set by the controller).
        self.presenters: dict = {}
        #: Set by the controller: brings a training chart to the front before it is exported, writes its table.
        self.training_parts = None

    # -- the unsaved-changes question ------------------------------------------------------------------------
    def unsaved_summary(self) -> str:
        """What a save would keep, in words for the unsaved-changes question."""
        edits, inputs = self.document.has_unsaved_edits(), self.document.has_unsaved_inputs()
        if edits and inputs:
            return "The network and its input values have unsaved changes."
        if inputs:
            return "The input values or ranges have changed since the network was opened or saved."
        return "The network has unsaved changes."

    def maybe_discard(self) -> bool:
        """True when the current network may be replaced (saved, discarded, or nothing unsaved)."""
        self.document.settle()  # a training run commits itself first: its epochs count as unsaved changes
        if not self.document.is_modified():
            return True
        answer = self.ask_unsaved()
        if answer == "save":
            return self.save()
        return answer == "discard"

    def _ask_unsaved_dialog(self) -> str:
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Warning)
        box.setWindowTitle("Unsaved changes")
        box.setText(self.unsaved_summary())
        box.setInformativeText("Do you want to save them?")
        box.setStandardButtons(QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel)
        box.setDefaultButton(QMessageBox.Save)
        answer = box.exec()
        return {QMessageBox.Save: "save", QMessageBox.Discard: "discard"}.get(
            QMessageBox.StandardButton(answer), "cancel"
        )

    # -- dialogs ---------------------------------------------------------------------------------------------
    def _choose_open_dialog(self) -> str:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open network", self.preferences.last_dir, OPEN_FILTER)
        return path

    def suggested_path(self, suffix: str) -> str:
        """Where a save dialog starts: the current file's folder and name with ``suffix``, or network``suffix``."""
        if self.document.path:
            return str(Path(self.document.path).with_suffix(suffix))
        return os.path.join(self.preferences.last_dir, f"network{suffix}")

    def _choose_save_dialog(self) -> str:
        path, chosen = QFileDialog.getSaveFileName(
            self.window, "Save network", self.suggested_path(".json"), SAVE_FILTER
        )
        if path and not Path(path).suffix:
            path += ".keras" if "keras" in chosen.lower() else ".json"
        return path

    def _choose_keras_dialog(self) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export Keras model", self.suggested_path(".keras"), KERAS_FILTER
        )
        if path and Path(path).suffix.lower() != ".keras":
            path += ".keras"
        return path

    # -- open and save ---------------------------------------------------------------------------------------
    def set_network(self, network: Network, path: str | None) -> None:
        """Show another network (after New/Open): a fresh undo history, nothing selected."""
        self.selection.reset()
        self.document.replace(network, path)

    def new_network(self) -> bool:
        """File ▸ New: the default example, untitled."""
        return self.open_example("default")

    def on_open(self) -> None:
        if not self.maybe_discard():
            return
        path = self.choose_open_path()
        if path:
            self.open(path, ask=False)

    def open(self, path: str, ask: bool = True) -> bool:
        """Open a network file; a bad file is reported and the network on screen stays."""
        if ask and not self.maybe_discard():
            return False
        try:
            network = Network.load(path)
        except NetworkFileError as error:
            self.messages.show_error("Could not open the network", str(error))
            return False
        self.set_network(network, str(path))
        self._remember(str(path))
        return True

    def open_example(self, name: str) -> bool:
        """Open a shipped example as an untitled copy, so Save never overwrites the installed file."""
        if not self.maybe_discard():
            return False
        self.set_network(Network.load(example_path(name)), None)
        return True

    def on_files_dropped(self, paths: list) -> None:
        self.open(paths[0])

    def save(self) -> bool:
        """Save to the current file; a new network, or one opened from a Keras model, asks for a name first."""
        path = self.document.path
        if not path or is_foreign(path):
            return self.save_as()
        return self._save_to(path)

    def save_as(self) -> bool:
        path = self.choose_save_path()
        return bool(path) and self._save_to(path)

    def _save_to(self, path: str) -> bool:
        self.document.settle()  # a training run stops and becomes an undo step before it is saved
        try:
            self.document.network.save(path)
        except (NetworkFileError, OSError) as error:
            self.messages.show_error("Could not save the network", str(error))
            return False
        # a .keras model holds no input values or ranges: what is saved is what reading it back gives
        self.document.mark_saved(path, Network.load(path) if is_foreign(path) else None)
        self._remember(path)
        note = " — a Keras model keeps no input names, values or ranges: save as .json to keep them"
        self.messages.note(f"Saved {path}{note if is_foreign(path) else ''}", 8000)
        return True

    # -- menus -----------------------------------------------------------------------------------------------
    def _remember(self, path: str) -> None:
        self.preferences.remember_file(path)
        self.fill_recent_menu()

    def fill_recent_menu(self) -> None:
        menu = self.window.recent_menu
        menu.clear()
        recent = self.preferences.recent_files
        for path in recent:
            menu.addAction(path, lambda p=path: self.open(p))
        menu.setEnabled(bool(recent))

    def fill_examples_menu(self) -> None:
        menu = self.window.examples_menu
        menu.clear()
        for name in example_names():
            menu.addAction(name.replace("_", " ").capitalize(), lambda n=name: self.open_example(n))

    # -- export ----------------------------------------------------------------------------------------------
    def on_export(self) -> None:
        dialog = ExportDialog(list(self.document.network.input_names), self.window.settings, self.window)
        accepted = dialog.exec()
        choice = dialog.choice()
        dialog.deleteLater()
        if not accepted:
            return
        path = self.choose_export_path(choice)
        if path:
            self.export(choice, path)

    def on_export_keras(self) -> None:
        """File ▸ Export ▸ Keras Model: a copy for Keras; the network on screen keeps its own file."""
        path = self.choose_keras_path()
        if path:
            self.export_keras(path)

    def on_export_history(self) -> None:
        """File ▸ Export ▸ Training History…: the run's History as CSV, straight to the file dialog."""
        choice = ExportChoice("history", "csv", 1.0, False, 0, 2)
        path = self.choose_export_path(choice)
        if path:
            self.export(choice, path)

    def on_export_race(self) -> None:
        """The Race Activations window's Export…: its loss curves as PNG or SVG, or their numbers as CSV."""
        path = self.choose_race_path()
        if path:
            self.export_race(path)

    def export_race(self, path: str) -> bool:
        """Write the race's curves to ``path``; the format follows the extension (.png, .svg or .csv)."""
        fmt = Path(path).suffix.lower().lstrip(".")
        if fmt not in ("png", "svg", "csv"):
            self.messages.show_error("Could not export the race", f"{path}: give the file a .png, .svg or .csv ending")
            return False
        target = "race_values" if fmt == "csv" else "race"
        return self.export(ExportChoice(target, fmt, RACE_PNG_SCALE, False, 0, 2), path)

    def _choose_race_dialog(self) -> str:
        parent = getattr(self.window, "race_dialog", None) or self.window
        start = os.path.join(self.preferences.export_dir, "race.png")
        path, chosen = QFileDialog.getSaveFileName(parent, "Export the race", start, RACE_FILTER)
        if path and Path(path).suffix.lower() not in (".png", ".svg", ".csv"):
            path += "." + chosen.split("(*.", 1)[1][:3] if "(*." in chosen else ".png"
        return path

    def export_keras(self, path: str) -> bool:
        """Write the network as a Keras 3 ``.keras`` model; what Keras cannot hold (a custom formula) is explained."""
        if Path(path).suffix.lower() != ".keras":
            message = f"{path}: a Keras 3 model file must end in .keras"
            self.messages.show_error("Could not export the Keras model", message)
            return False
        try:
            self.document.network.save(path)
        except (NetworkFileError, OSError) as error:
            self.messages.show_error("Could not export the Keras model", str(error))
            return False
        self.messages.note(f"Exported the Keras model {path}")
        return True

    def choose_export_dialog(self, choice: ExportChoice) -> str:
        stem = Path(self.document.path).stem if self.document.path else "network"
        start = os.path.join(self.preferences.export_dir, f"{stem}-{choice.target}{choice.suffix}")
        kind = {"png": "PNG images (*.png)", "svg": "SVG drawings (*.svg)", "csv": "CSV tables (*.csv)"}
        path, _ = QFileDialog.getSaveFileName(self.window, "Export", start, kind[choice.fmt])
        if path and Path(path).suffix.lower() != choice.suffix:
            path += choice.suffix
        return path

    def export(self, choice: ExportChoice, path: str) -> bool:
        """Write the chosen view or table to ``path``; a failure is shown and nothing on screen changes."""
        self.document.flush()
        catch_up(self.presenters)  # a view behind another tab draws what it held back
        net = self.document.network
        if self.map_parts is not None:
            self.map_parts.prepare_export(choice.target)
        try:
            if self.training_parts is not None:
                self.training_parts.prepare_export(choice.target)
            if choice.fmt == "csv":
                header, rows = self._table(choice)
                tables.write_csv(path, header, rows)
            else:
                target = view_widget(self.window, choice.target)
                if choice.fmt == "svg":
                    title = f"neuroviz · {net.name or 'network'} · {choice.target}"
                    save_svg(target, path, title=title, transparent=choice.transparent)
                else:
                    save_png(target, path, scale=choice.scale, transparent=choice.transparent)
        except (tables.ExportError, OSError, ValueError) as error:
            self.messages.show_error("Could not export", str(error))
            return False
        finally:
            if self.map_parts is not None:
                self.map_parts.finish_export()
        self.preferences.export_dir = str(Path(path).parent)
        self.messages.note(f"Exported {path}")
        return True

    def _table(self, choice: ExportChoice) -> tuple[list[str], list[list]]:
        net, propagation = self.document.network, self.document.propagation
        if choice.target == "activations":
            return tables.activations_table(net, propagation)
        if choice.target == "weights":
            return tables.weights_table(net)
        if choice.target in ("map_values", "decision_values"):
            return self.map_parts.table(choice.target)
        if choice.target in TRAINING_TABLES:
            return self.training_parts.table(choice.target)
        if choice.target == "curve":  # the curve the plot shows: the selected neuron's when in the plotted layer
            k = self.selection.layer
            return tables.layer_curve_table(net, propagation, k, neuron=self.selection.neuron_in_layer())
        low, high = net.input_ranges[choice.sweep_input]
        return tables.sweep_rows(net, choice.sweep_input, low, high, choice.steps, net.input_values)  # streamed
