"""The controller: the only place that connects widget signals to model calls and model results to views.

Flow: a widget signal → an edit of the Network (through the undo stack for everything but input values) → a
propagation (only from the first layer that changed) → each view gets the slice it needs. Input changes are coalesced
to at most one redraw per frame; the last value is always drawn.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QElapsedTimer, QObject, QSignalBlocker, QTimer
from PySide6.QtGui import QGuiApplication, QUndoStack
from PySide6.QtWidgets import QFileDialog, QMessageBox

from neuroviz import __version__
from neuroviz.commands import UNDO_LIMIT, NetworkEdit
from neuroviz.model import Network, NetworkFileError, picture, tables
from neuroviz.model.files import KERAS_SUFFIXES, example_names, example_path
from neuroviz.views.export import save_png, save_svg
from neuroviz.views.export_dialog import ExportChoice, ExportDialog
from neuroviz.views.formula_editor import FormulaEditor
from neuroviz.views.guide_dialog import ActivationGuideDialog
from neuroviz.views.layer_panel import LayerInfo
from neuroviz.views.main_window import MainWindow
from neuroviz.views.reinit_dialog import ReinitializeDialog
from neuroviz.views.theme import THEME_CHOICES, apply_theme, resolve_theme

#: A frame at 60 Hz: input changes closer together than this are drawn once.
FRAME_MS = 16
MAX_RECENT = 8
#: File ▸ Open reads neuroviz networks and Keras models; Save As writes either a network or a Keras 3 model.
_KERAS_PATTERNS = " ".join(f"*{suffix}" for suffix in KERAS_SUFFIXES)
OPEN_FILTER = (
    f"Networks and Keras models (*.json {_KERAS_PATTERNS});;neuroviz networks (*.json);;"
    f"Keras models ({_KERAS_PATTERNS});;All files (*)"
)
SAVE_FILTER = "neuroviz networks (*.json);;Keras 3 models (*.keras)"
KERAS_FILTER = "Keras 3 models (*.keras)"


def _fmt(value: float) -> str:
    """Numbers for people: 4 significant digits, NaN and infinities spelled out."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+∞" if value > 0 else "−∞"
    return f"{value:.4g}"


class Controller(QObject):
    """Owns the network, the undo stack and the selection; keeps every view in step with them."""

    def __init__(self, window: MainWindow, network: Network, path: str | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.network = network
        self.path: str | None = path
        self.propagation = network.forward()
        self.edge_mode = "weight"
        self.selected_layer = 1
        self.selected_neuron: tuple[int, int] | None = None
        #: Asks a yes/no/cancel question; replaced in tests. Returns "save", "discard" or "cancel".
        self.ask_unsaved: Callable[[], str] = self._ask_unsaved_dialog
        #: Picks the export file for a choice; replaced in tests. Returns "" when cancelled.
        self.choose_export_path: Callable[[ExportChoice], str] = self._choose_export_dialog
        #: Picks a file to open or save; replaced in tests. Returns "" when cancelled.
        self.choose_open_path: Callable[[], str] = self._choose_open_dialog
        self.choose_save_path: Callable[[], str] = self._choose_save_dialog
        self.choose_keras_path: Callable[[], str] = self._choose_keras_dialog
        #: Seconds of a monotonic clock, for merging quick edits of one value into one undo step; tests set it.
        self.clock: Callable[[], float] = time.monotonic
        self.last_error = ""
        #: The input values and ranges as last opened or saved: they are in the file too, so moving them away
        #: marks the window modified (they are not undo steps: playing with the inputs is not editing).
        self._saved_inputs = self._inputs_snapshot()
        self._theme_choice = "system"
        self._labels_message = ""  # the status bar's note about values not written on neurons, if shown

        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(UNDO_LIMIT)
        self._pending_from: int | None = None
        self._frame_timer = QTimer(self)
        self._frame_timer.setSingleShot(True)
        self._frame_timer.timeout.connect(self.flush)
        self._since_draw = QElapsedTimer()
        self._since_draw.start()
        self._guide: ActivationGuideDialog | None = None
        #: The open formula editor ("Custom…" or "Edit formula…"), None when closed.
        self.formula_editor: FormulaEditor | None = None
        self._formula_dialog: FormulaEditor | None = None
        self._formula_layer = 0

        self._connect()
        self._load_preferences()
        self._rebuild()
        self._update_title()
        self._fill_examples_menu()
        self._fill_recent_menu()

    # -- wiring ----------------------------------------------------------------------------------------------
    def _connect(self) -> None:
        w = self.window
        w.input_panel.valueChanged.connect(self._on_input_changed)
        w.input_panel.valuesChanged.connect(self._on_inputs_changed)
        w.input_panel.rangeChanged.connect(self._on_input_range_changed)
        lp = w.layer_panel
        lp.activationChanged.connect(self._on_activation_changed)
        lp.paramChanged.connect(self._on_param_changed)
        lp.sizeChanged.connect(self._on_size_changed)
        lp.insertLayerRequested.connect(self._on_insert_layer)
        lp.removeLayerRequested.connect(self._on_remove_layer)
        lp.layerSelected.connect(self._on_layer_selected)
        lp.customFormulaRequested.connect(self._on_custom_formula_requested)
        nv = w.network_view
        nv.neuronHovered.connect(self._on_neuron_hovered)
        nv.edgeHovered.connect(self._on_edge_hovered)
        nv.neuronClicked.connect(self._on_neuron_clicked)
        nv.edgeClicked.connect(self._on_edge_clicked)
        nv.backgroundClicked.connect(self._on_background_clicked)
        nv.labelsHiddenChanged.connect(self._on_labels_hidden_changed)
        w.inspector.weightEdited.connect(self._on_weight_edited)
        w.inspector.biasEdited.connect(self._on_bias_edited)
        self.undo_stack.cleanChanged.connect(self._update_title)
        self.undo_stack.canUndoChanged.connect(w.actions["undo"].setEnabled)
        self.undo_stack.canRedoChanged.connect(w.actions["redo"].setEnabled)
        w.actions["undo"].setEnabled(False)
        w.actions["redo"].setEnabled(False)
        w.closeRequested.connect(self._on_close_requested)
        w.filesDropped.connect(self._on_files_dropped)

        a = w.actions
        a["new"].triggered.connect(self.new_network)
        a["open"].triggered.connect(self._on_open)
        a["save"].triggered.connect(self.save)
        a["save_as"].triggered.connect(self.save_as)
        a["export"].triggered.connect(self._on_export)
        a["export_keras"].triggered.connect(self._on_export_keras)
        a["quit"].triggered.connect(w.close)
        a["undo"].triggered.connect(self.undo_stack.undo)
        a["redo"].triggered.connect(self.undo_stack.redo)
        a["insert_layer"].triggered.connect(lambda: self._on_insert_layer(len(self.network.layers)))
        a["remove_layer"].triggered.connect(lambda: self._on_remove_layer(self.selected_layer))
        a["reinitialize"].triggered.connect(self._on_reinitialize)
        a["reset_inputs"].triggered.connect(w.input_panel.reset_values)
        a["randomize_inputs"].triggered.connect(w.input_panel.randomize_values)
        a["show_values"].toggled.connect(self._on_show_values)
        a["edges_weight"].toggled.connect(lambda on: on and self.set_edge_mode("weight"))
        a["edges_signal"].toggled.connect(lambda on: on and self.set_edge_mode("signal"))
        a["dark"].toggled.connect(lambda dark: self.set_theme("dark" if dark else "light"))
        a["follow_system_theme"].toggled.connect(lambda on: self.set_theme("system" if on else self._current_theme()))
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "colorSchemeChanged"):  # Qt ≥ 6.5: the desktop switched between light and dark
            hints.colorSchemeChanged.connect(self._on_system_theme_changed)
            w.closed.connect(lambda: hints.colorSchemeChanged.disconnect(self._on_system_theme_changed))
        a["guide"].triggered.connect(self.show_guide)
        a["about"].triggered.connect(self._on_about)

    # -- preferences -----------------------------------------------------------------------------------------
    def _load_preferences(self) -> None:
        s = self.window.settings
        # "view/dark" of earlier versions was stored on every start, so it says nothing about a choice: not read
        theme_choice = str(s.value("view/theme", "system"))
        show_values = str(s.value("view/show_values", "false")).lower() in ("true", "1")
        edge_mode = str(s.value("view/edge_mode", "weight"))
        self.set_theme(theme_choice if theme_choice in THEME_CHOICES else "system", remember=False)
        self.window.actions["show_values"].setChecked(show_values)
        self.window.network_view.set_show_labels(show_values)
        if edge_mode == "signal":
            self.window.actions["edges_signal"].setChecked(True)
        self.edge_mode = "signal" if edge_mode == "signal" else "weight"

    # -- drawing ---------------------------------------------------------------------------------------------
    def _rebuild(self) -> None:
        """The structure changed (or a new network): recreate items, panels and the selection."""
        net = self.network
        w = self.window
        w.network_view.set_structure(net.sizes, picture.layer_headers(net), picture.layer_tooltips(net))
        w.input_panel.set_inputs(list(net.input_names), [float(v) for v in net.input_values], net.input_ranges)
        w.layer_panel.set_layers([self._layer_info(k) for k in range(1, len(net.layers) + 1)])
        self.selected_layer = min(max(self.selected_layer, 1), len(net.layers))
        if self.selected_neuron is not None:
            k, i = self.selected_neuron
            if k >= len(net.sizes) or i >= net.sizes[k]:
                self.selected_neuron = None
        w.layer_panel.set_selected(self.selected_layer)
        self._restore_inspector_editors()
        self._refresh(0)

    def _restore_inspector_editors(self) -> None:
        """After a structural edit the inspector's editors may show a neuron that vanished or whose fan-in changed:
        edit the selected neuron as it is now, or nothing."""
        inspector = self.window.inspector
        editing = inspector.editing()
        if editing is None:
            return
        k, i, _source = editing
        if self.selected_neuron != (k, i):
            inspector.clear()
            return
        layer = self.network.layers[k - 1]
        inspector.edit_neuron(k, i, self._source_names(k), layer.weights[:, i].copy(), float(layer.biases[i]))

    def _layer_info(self, k: int) -> LayerInfo:
        layer = self.network.layers[k - 1]
        return LayerInfo(
            name=layer.name,
            units=layer.units,
            activation=layer.activation,
            params=dict(layer.params),
            removable=k < len(self.network.layers),
            formula=layer.formula,
            param_warnings=picture.param_warnings(self.network, k),
            notes=picture.layer_notes(self.network, k),
        )

    def schedule_update(self, from_layer: int = 0) -> None:
        """Ask for a redraw from layer ``from_layer``; several requests within one frame draw once."""
        self._pending_from = from_layer if self._pending_from is None else min(self._pending_from, from_layer)
        if not self._frame_timer.isActive():
            wait = max(0, FRAME_MS - int(self._since_draw.elapsed()))
            self._frame_timer.start(wait)

    def flush(self) -> None:
        """Draw what is pending now (the frame timer calls this; tests may too)."""
        self._frame_timer.stop()
        if self._pending_from is not None:
            self._refresh(self._pending_from)

    def _refresh(self, from_layer: int) -> None:
        started = time.perf_counter()
        self._pending_from = None
        net, w = self.network, self.window
        if from_layer > 0 and self.propagation is not None:
            self.propagation = net.forward_from(from_layer, self.propagation)
        else:
            self.propagation = net.forward()
        pic = picture.network_picture(net, self.propagation, self.edge_mode)
        w.network_view.set_values(
            pic.values, pic.edges, pic.biases, pic.status, pic.value_limit, pic.edge_limit, pic.bias_limit
        )
        w.network_view.set_selection(*(self.selected_neuron or (None, None)))
        self._update_plot()
        self._update_outputs()
        self._update_inspector()
        self._since_draw.restart()
        w.show_update_time((time.perf_counter() - started) * 1000)

    def _update_plot(self) -> None:
        k = self.selected_layer
        neuron = self.selected_neuron[1] if self.selected_neuron and self.selected_neuron[0] == k else None
        curve = picture.activation_curve(self.network, self.propagation, k, neuron)
        plot = self.window.activation_plot
        plot.set_curve_and_points((curve.x, curve.f, curve.df), curve.title, (curve.z, curve.a, curve.dz))

    def _update_outputs(self) -> None:
        net = self.network
        last = net.layers[-1]
        values = np.asarray(self.propagation.activations[-1], dtype=np.float64)
        labels = [f"y{j + 1}" for j in range(values.size)]
        probabilities = last.activation in picture.PROBABILITY_ACTIVATIONS
        self.window.outputs_chart.set_outputs(values, labels, probabilities)

    def _update_inspector(self) -> None:
        if self.selected_neuron is None:
            return
        k, i = self.selected_neuron
        self.window.inspector.show_neuron(*self._neuron_info(k, i))
        if k >= 1:
            layer = self.network.layers[k - 1]
            self.window.inspector.update_values(layer.weights[:, i].copy(), float(layer.biases[i]))

    def _neuron_info(self, k: int, i: int) -> tuple[str, list[tuple[str, str]]]:
        p = self.propagation
        if k == 0:
            name = self.network.input_names[i]
            return f"input {name}", [
                ("layer", "input"),
                ("neuron", f"{i + 1}"),
                ("value", _fmt(p.activations[0][i])),
            ]
        layer = self.network.layers[k - 1]
        rows = [
            ("layer", f"{layer.name} ({layer.activation})"),
            ("neuron", f"{i + 1} of {layer.output_size}"),
            ("z (pre-activation)", _fmt(float(p.pre_activations[k][i]))),
            ("a (activation)", _fmt(float(p.activations[k][i]))),
            ("f′(z)", _fmt(float(p.derivatives[k][i]))),
            ("bias", _fmt(float(layer.biases[i]))),
        ]
        status = picture.neuron_status(p.activations[k][i : i + 1], p.derivatives[k][i : i + 1])[0]
        note = {
            picture.DEAD: "dead: output 0 and gradient 0",
            picture.SATURATED: "saturated: |f′(z)| < 1e-3, the gradient vanishes",
        }.get(int(status))
        if note:
            rows.append(("note", note))
        return f"{layer.name} · neuron {i + 1}", rows

    # -- inputs (not undoable: they are what you play with, not edits of the network) ------------------------
    def _on_input_changed(self, index: int, value: float) -> None:
        self.network.set_input(index, value)
        self._update_modified()
        self.schedule_update(0)

    def _on_inputs_changed(self, values: list) -> None:
        for index, value in enumerate(values):
            self.network.set_input(index, float(value))
        self._update_modified()
        self.schedule_update(0)

    def _on_input_range_changed(self, index: int, low: float, high: float) -> None:
        """A new slider range; the network moves the input's value into it when it falls outside."""
        try:
            self.network.set_input_range(index, low, high)
        except ValueError as error:
            self._report(str(error))
            return
        self._update_modified()
        self.schedule_update(0)

    def _inputs_snapshot(self, net: Network | None = None) -> tuple:
        """The input values and ranges of ``net`` (default: the network on screen), as a file keeps them."""
        net = net or self.network
        return tuple(float(v) for v in net.input_values), tuple(tuple(map(float, r)) for r in net.input_ranges)

    # -- undoable edits --------------------------------------------------------------------------------------
    def edit(
        self,
        text: str,
        change: Callable[[Network], None],
        first_changed: int = 0,
        merge_key: tuple | None = None,
    ) -> bool:
        """Apply ``change`` to a copy of the network and push it as one undo step; a ValueError is reported."""
        after = self.network.copy()
        try:
            change(after)
        except ValueError as error:
            self._report(str(error))
            self._sync_panels()
            return False
        structural = after.sizes != self.network.sizes or len(after.layers) != len(self.network.layers)
        command = NetworkEdit(
            text, self.network.copy(), after, self._install, first_changed, structural, merge_key, self.clock()
        )
        self.undo_stack.push(command)
        return True

    def _install(self, network: Network, first_changed: int, structural: bool) -> None:
        """Put ``network`` on screen (called by undo commands). Inputs the user is playing with stay as they are."""
        current = self.network
        if network.n_inputs == current.n_inputs:
            network.input_values = current.input_values.copy()
            network.input_ranges = list(current.input_ranges)
        structural = structural or network.sizes != current.sizes or len(network.layers) != len(current.layers)
        self.network = network
        if structural:
            self.propagation = None
            self._rebuild()
            return
        self.window.network_view.set_headers(picture.layer_headers(network), picture.layer_tooltips(network))
        self._sync_panels()
        self._refresh(first_changed)

    def _sync_panels(self) -> None:
        """Show the network's activations, parameters and sizes in the layer panel (no signals fire)."""
        for k in range(1, len(self.network.layers) + 1):
            self.window.layer_panel.update_layer(k, self._layer_info(k))

    def _on_activation_changed(self, k: int, name: str) -> None:
        """A layer's activation combo box: the edit, and the plot turns to that layer."""
        if name != self.network.layers[k - 1].activation:
            self.edit(f"Set {self.network.layers[k - 1].name} to {name}", lambda n: n.set_activation(k, name), k)
        self.select_layer(k)

    def _on_param_changed(self, k: int, param: str, value: object) -> None:
        layer = self.network.layers[k - 1]
        self.edit(
            f"Set {layer.name} {param.replace('_', ' ')}",
            lambda n: n.set_params(k, **{param: value}),
            k,
            merge_key=("param", k, param),
        )
        self.select_layer(k)

    def _on_custom_formula_requested(self, k: int) -> None:
        """The "Custom…" entry or "Edit formula…": open the formula editor for layer k without blocking."""
        if self.formula_editor is not None:
            self.formula_editor.reject()
        if self._formula_dialog is None:  # one dialog, reused: its preview plot is slow to build
            self._formula_dialog = FormulaEditor(parent=self.window)
            self._formula_dialog.finished.connect(self._on_custom_formula_finished)
        layer = self.network.layers[k - 1]
        editor = self._formula_dialog
        editor.load(layer.formula, dict(layer.params) if layer.formula else None, layer.name)
        self._formula_layer = k
        self.formula_editor = editor
        editor.open()

    def _on_custom_formula_finished(self, result: int) -> None:
        """OK: one undoable edit. Cancel: the layer's combo box shows its activation again."""
        editor, k = self._formula_dialog, self._formula_layer
        self.formula_editor = None
        if result != FormulaEditor.DialogCode.Accepted or not 1 <= k <= len(self.network.layers):
            self._sync_panels()
            return
        text, params = editor.formula(), editor.params()
        layer = self.network.layers[k - 1]
        if (layer.formula, layer.params) == (text, params):  # OK without a change: nothing to undo
            self._sync_panels()
        else:

            def change(net: Network) -> None:
                net.set_custom_activation(k, text, **params)

            self.edit(f"Set {layer.name} to custom: {text[:40]}", change, k)
        self.select_layer(k)

    def _on_size_changed(self, k: int, units: int) -> None:
        if units == self.network.layers[k - 1].units:
            return
        name = self.network.layers[k - 1].name
        self.edit(f"Resize {name} to {units}", lambda n: n.resize_layer(k, units, seed=self._seed()))

    def _on_insert_layer(self, k: int) -> None:
        k = max(1, min(k, len(self.network.layers)))
        self.edit("Insert hidden layer", lambda n: n.insert_layer(k, 4, "relu", seed=self._seed()))

    def _on_remove_layer(self, k: int) -> None:
        if not 1 <= k < len(self.network.layers):
            self._report("Select a hidden layer to remove (the output layer stays).")
            return
        self.edit(f"Remove {self.network.layers[k - 1].name}", lambda n: n.remove_layer(k))

    def _on_weight_edited(self, k: int, source: int, target: int, value: float) -> None:
        self.edit(
            f"Set weight {source + 1}→{target + 1} of {self.network.layers[k - 1].name}",
            lambda n: n.set_weight(k, source, target, value),
            k,
            merge_key=("weight", k, source, target),
        )

    def _on_bias_edited(self, k: int, target: int, value: float) -> None:
        self.edit(
            f"Set bias {target + 1} of {self.network.layers[k - 1].name}",
            lambda n: n.set_bias(k, target, value),
            k,
            merge_key=("bias", k, target),
        )

    def _on_reinitialize(self) -> None:
        dialog = ReinitializeDialog(len(self.network.layers), self.window)
        if dialog.exec():
            self.reinitialize(*dialog.choice())

    def reinitialize(self, layer: int | None, initializer: str, seed: int) -> bool:
        where = "all layers" if layer is None else self.network.layers[layer - 1].name
        return self.edit(
            f"Re-initialize {where} ({initializer})",
            lambda n: n.reinitialize(layer, kernel_initializer=initializer, seed=seed),
            1 if layer is None else layer,
        )

    def _seed(self) -> int:
        """A fresh seed per structural edit, derived from the stack so redo reproduces it."""
        return self.undo_stack.index() + 1

    # -- selection and hover ---------------------------------------------------------------------------------
    def select_layer(self, k: int) -> None:
        """Show layer k in the activation plot and mark it in the layer panel."""
        self.selected_layer = k
        self.window.layer_panel.set_selected(k)
        self._update_plot()

    def _on_layer_selected(self, k: int) -> None:
        self.selected_layer = k
        self._update_plot()

    def _on_neuron_hovered(self, k: int, i: int) -> None:
        title, rows = self._neuron_info(k, i)
        self.window.network_view.show_tooltip(title + "\n" + "\n".join(f"{a}: {b}" for a, b in rows))

    def _on_edge_hovered(self, k: int, i: int, j: int) -> None:
        self.window.network_view.show_tooltip(self._edge_text(k, i, j))

    def _edge_text(self, k: int, i: int, j: int) -> str:
        layer = self.network.layers[k - 1]
        weight = float(layer.weights[i, j])
        source = float(self.propagation.activations[k - 1][i])
        source_name = self.network.input_names[i] if k == 1 else f"neuron {i + 1}"
        with np.errstate(all="ignore"):
            signal = weight * source
        return (
            f"{source_name} → {layer.name} neuron {j + 1}\nweight: {_fmt(weight)}\n"
            f"signal (weight × {_fmt(source)}): {_fmt(signal)}"
        )

    def _on_neuron_clicked(self, k: int, i: int) -> None:
        self.selected_neuron = (k, i)
        self.window.network_view.set_selection(k, i)
        inspector = self.window.inspector
        if k >= 1:
            self.selected_layer = k
            self.window.layer_panel.set_selected(k)
            layer = self.network.layers[k - 1]
            inspector.edit_neuron(k, i, self._source_names(k), layer.weights[:, i].copy(), float(layer.biases[i]))
            self.window.inspector_dock.raise_()
        else:  # an input has no weights: no editors left over from the neuron clicked before
            inspector.clear()
        self._update_inspector()
        self._update_plot()

    def _on_edge_clicked(self, k: int, i: int, j: int) -> None:
        self._on_neuron_clicked(k, j)
        layer = self.network.layers[k - 1]
        self.window.inspector.edit_edge(
            k, i, j, self._source_names(k)[i], f"{layer.name} neuron {j + 1}", float(layer.weights[i, j])
        )

    def _on_background_clicked(self) -> None:
        self.selected_neuron = None
        self.window.network_view.set_selection(None)
        self.window.inspector.clear()
        self._update_plot()  # a layer-wide activation's curve was the selected neuron's

    def _source_names(self, k: int) -> list[str]:
        if k == 1:
            return list(self.network.input_names)
        return [f"{self.network.layers[k - 2].name} {i + 1}" for i in range(self.network.sizes[k - 1])]

    # -- view options ----------------------------------------------------------------------------------------
    def _on_show_values(self, on: bool) -> None:
        self.window.network_view.set_show_labels(on)
        self.window.settings.setValue("view/show_values", on)

    def _on_labels_hidden_changed(self, reason: str) -> None:
        """Values asked for but not written (neurons too close): say so, rather than show nothing silently."""
        bar = self.window.statusBar()
        if reason:
            bar.showMessage(reason, 8000)
        elif bar.currentMessage() == self._labels_message:  # all written now: that note is no longer true
            bar.clearMessage()
        self._labels_message = reason

    def set_edge_mode(self, mode: str) -> None:
        self.edge_mode = mode
        self.window.settings.setValue("view/edge_mode", mode)
        self._refresh(0)

    def set_theme(self, choice: str, remember: bool = True) -> None:
        """ "system", "light" or "dark": apply it to the application and every view, and show it in the menu."""
        self._theme_choice = choice
        dark = resolve_theme(choice)
        a = self.window.actions
        with QSignalBlocker(a["dark"]), QSignalBlocker(a["follow_system_theme"]):
            a["dark"].setChecked(dark)
            a["follow_system_theme"].setChecked(choice == "system")
        apply_theme(dark)
        self.window.network_view.set_dark(dark)
        self.window.activation_plot.set_dark(dark)
        self.window.outputs_chart.set_dark(dark)
        if remember:  # only a person's choice is stored, so "follow the system" stays the default until then
            self.window.settings.setValue("view/theme", choice)

    def _current_theme(self) -> str:
        return "dark" if self.window.actions["dark"].isChecked() else "light"

    def _on_system_theme_changed(self, *_args) -> None:
        if self._theme_choice == "system":
            self.set_theme("system", remember=False)

    def show_guide(self) -> None:
        if self._guide is None:
            self._guide = ActivationGuideDialog(self.window)
        layer = self.network.layers[self.selected_layer - 1]
        if layer.formula is None:  # a custom formula is not in the guide: it stays on its current page
            self._guide.select(layer.activation)
        self._guide.show()
        self._guide.raise_()

    def _on_about(self) -> None:
        QMessageBox.about(
            self.window,
            "About neuroviz",
            f"<b>neuroviz {__version__}</b><p>Watch a small neural network fire: move the inputs, choose each "
            "layer's activation, and see the function and its derivative.</p><p>Activations match "
            "<code>keras.activations</code> of Keras 3.15.</p>",
        )

    # -- messages --------------------------------------------------------------------------------------------
    def _report(self, message: str) -> None:
        """Say what went wrong in the status bar; nothing on screen changes."""
        self.last_error = message
        self.window.statusBar().showMessage(message, 10000)

    # -- files -----------------------------------------------------------------------------------------------
    def _update_title(self) -> None:
        name = Path(self.path).name if self.path else (self.network.name or "Untitled")
        self.window.setWindowTitle(f"{name}[*] — neuroviz")
        self._update_modified()

    def is_modified(self) -> bool:
        """Anything a save would keep that is not in the file: edits on the undo stack, input values or ranges."""
        return not self.undo_stack.isClean() or self._inputs_snapshot() != self._saved_inputs

    def unsaved_summary(self) -> str:
        """What a save would keep, in words for the unsaved-changes question."""
        edits = not self.undo_stack.isClean()
        inputs = self._inputs_snapshot() != self._saved_inputs
        if edits and inputs:
            return "The network and its input values have unsaved changes."
        if inputs:
            return "The input values or ranges have changed since the network was opened or saved."
        return "The network has unsaved changes."

    def _update_modified(self) -> None:
        modified = self.is_modified()
        if modified != self.window.isWindowModified():
            self.window.setWindowModified(modified)

    def _maybe_discard(self) -> bool:
        """True when the current network may be replaced (saved, discarded, or nothing unsaved)."""
        if not self.is_modified():
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

    def _choose_open_dialog(self) -> str:
        start = str(self.window.settings.value("files/last_dir", str(Path.home())))
        path, _ = QFileDialog.getOpenFileName(self.window, "Open network", start, OPEN_FILTER)
        return path

    def _suggested_path(self, suffix: str) -> str:
        """Where a save dialog starts: the current file's folder and name with ``suffix``, or network``suffix``."""
        if self.path:
            return str(Path(self.path).with_suffix(suffix))
        folder = str(self.window.settings.value("files/last_dir", str(Path.home())))
        return os.path.join(folder, f"network{suffix}")

    def _choose_save_dialog(self) -> str:
        path, chosen = QFileDialog.getSaveFileName(
            self.window, "Save network", self._suggested_path(".json"), SAVE_FILTER
        )
        if path and not Path(path).suffix:
            path += ".keras" if "keras" in chosen.lower() else ".json"
        return path

    def _choose_keras_dialog(self) -> str:
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export Keras model", self._suggested_path(".keras"), KERAS_FILTER
        )
        if path and Path(path).suffix.lower() != ".keras":
            path += ".keras"
        return path

    def set_network(self, network: Network, path: str | None) -> None:
        """Show another network (after New/Open): a fresh undo history."""
        self.network = network
        self.path = path
        self.propagation = None
        self.selected_neuron = None
        self.selected_layer = 1
        self.window.inspector.clear()
        self.undo_stack.clear()
        self._saved_inputs = self._inputs_snapshot()
        self._rebuild()
        self._update_title()

    def new_network(self) -> bool:
        """File ▸ New: the default example, untitled."""
        return self.open_example("default")

    def _on_open(self) -> None:
        if not self._maybe_discard():
            return
        path = self.choose_open_path()
        if path:
            self.open(path, ask=False)

    def open(self, path: str, ask: bool = True) -> bool:
        """Open a network file; a bad file is reported and the network on screen stays."""
        if ask and not self._maybe_discard():
            return False
        try:
            network = Network.load(path)
        except NetworkFileError as error:
            self._show_error("Could not open the network", str(error))
            return False
        self.set_network(network, str(path))
        self._remember(str(path))
        return True

    def save(self) -> bool:
        """Save to the current file; a new network, or one opened from a Keras model, asks for a name first."""
        if not self.path or self._is_foreign(self.path):
            return self.save_as()
        return self._save_to(self.path)

    @staticmethod
    def _is_foreign(path: str) -> bool:
        """A Keras model file. Save does not overwrite it (Keras writes more into it than neuroviz reads back, such
        as the optimizer and training-only layers), and it keeps no input names, values or ranges."""
        return Path(path).suffix.lower() in KERAS_SUFFIXES

    def save_as(self) -> bool:
        path = self.choose_save_path()
        return bool(path) and self._save_to(path)

    def _save_to(self, path: str) -> bool:
        try:
            self.network.save(path)
        except (NetworkFileError, OSError) as error:
            self._show_error("Could not save the network", str(error))
            return False
        self.path = path
        # a .keras model holds no input values or ranges: what is saved is what reading it back gives
        self._saved_inputs = self._inputs_snapshot(Network.load(path) if self._is_foreign(path) else None)
        self.undo_stack.setClean()
        self._remember(path)
        self._update_title()
        note = " — a Keras model keeps no input names, values or ranges: save as .json to keep them"
        self.window.statusBar().showMessage(f"Saved {path}{note if self._is_foreign(path) else ''}", 8000)
        return True

    def _show_error(self, title: str, message: str) -> None:
        self._report(message)
        box = QMessageBox(QMessageBox.Warning, title, message, QMessageBox.Ok, self.window)
        box.setModal(True)
        box.open()  # not exec(): never block (tests, scripted use)

    def _recent_files(self) -> list[str]:
        """The recent files list; QSettings may hand back one entry as a plain string."""
        recent = self.window.settings.value("files/recent") or []
        if isinstance(recent, str):
            recent = [recent]
        return [str(p) for p in recent if p]

    def _remember(self, path: str) -> None:
        s = self.window.settings
        recent = [p for p in self._recent_files() if p != path]
        s.setValue("files/recent", [path, *recent][:MAX_RECENT])
        s.setValue("files/last_dir", str(Path(path).parent))
        self._fill_recent_menu()

    def _fill_recent_menu(self) -> None:
        menu = self.window.recent_menu
        menu.clear()
        recent = self._recent_files()
        for path in recent:
            menu.addAction(path, lambda p=path: self.open(p))
        menu.setEnabled(bool(recent))

    def _fill_examples_menu(self) -> None:
        menu = self.window.examples_menu
        menu.clear()
        for name in example_names():
            menu.addAction(name.replace("_", " ").capitalize(), lambda n=name: self.open_example(n))

    def open_example(self, name: str) -> bool:
        """Open a shipped example as an untitled copy, so Save never overwrites the installed file."""
        if not self._maybe_discard():
            return False
        self.set_network(Network.load(example_path(name)), None)
        return True

    def _on_files_dropped(self, paths: list) -> None:
        self.open(paths[0])

    def _on_close_requested(self) -> None:
        if self._maybe_discard():
            self.window.input_panel.set_animating(False)
            self.window.accept_close()

    # -- export ----------------------------------------------------------------------------------------------
    def _on_export(self) -> None:
        dialog = ExportDialog(list(self.network.input_names), self.window.settings, self.window)
        accepted = dialog.exec()
        choice = dialog.choice()
        dialog.deleteLater()
        if not accepted:
            return
        path = self.choose_export_path(choice)
        if path:
            self.export(choice, path)

    def _on_export_keras(self) -> None:
        """File ▸ Export ▸ Keras Model: a copy for Keras; the network on screen keeps its own file."""
        path = self.choose_keras_path()
        if path:
            self.export_keras(path)

    def export_keras(self, path: str) -> bool:
        """Write the network as a Keras 3 ``.keras`` model; what Keras cannot hold (a custom formula) is explained."""
        if Path(path).suffix.lower() != ".keras":
            self._show_error("Could not export the Keras model", f"{path}: a Keras 3 model file must end in .keras")
            return False
        try:
            self.network.save(path)
        except (NetworkFileError, OSError) as error:
            self._show_error("Could not export the Keras model", str(error))
            return False
        self.window.statusBar().showMessage(f"Exported the Keras model {path}", 5000)
        return True

    def _choose_export_dialog(self, choice: ExportChoice) -> str:
        folder = str(self.window.settings.value("export/last_dir", str(Path.home())))
        stem = Path(self.path).stem if self.path else "network"
        start = os.path.join(folder, f"{stem}-{choice.target}{choice.suffix}")
        kind = {"png": "PNG images (*.png)", "svg": "SVG drawings (*.svg)", "csv": "CSV tables (*.csv)"}
        path, _ = QFileDialog.getSaveFileName(self.window, "Export", start, kind[choice.fmt])
        if path and Path(path).suffix.lower() != choice.suffix:
            path += choice.suffix
        return path

    def export(self, choice: ExportChoice, path: str) -> bool:
        """Write the chosen view or table to ``path``; a failure is shown and nothing on screen changes."""
        self.flush()
        try:
            if choice.fmt == "csv":
                header, rows = self._table(choice)
                tables.write_csv(path, header, rows)
            else:
                target = {
                    "network": self.window.network_view,
                    "activation": self.window.activation_plot,
                    "outputs": self.window.outputs_chart,
                    "window": self.window,
                }[choice.target]
                if choice.fmt == "svg":
                    title = f"neuroviz · {self.network.name or 'network'} · {choice.target}"
                    save_svg(target, path, title=title, transparent=choice.transparent)
                else:
                    save_png(target, path, scale=choice.scale, transparent=choice.transparent)
        except (tables.ExportError, OSError, ValueError) as error:
            self._show_error("Could not export", str(error))
            return False
        self.window.settings.setValue("export/last_dir", str(Path(path).parent))
        self.window.statusBar().showMessage(f"Exported {path}", 5000)
        return True

    def _table(self, choice: ExportChoice) -> tuple[list[str], list[list]]:
        net = self.network
        if choice.target == "activations":
            return tables.activations_table(net, self.propagation)
        if choice.target == "weights":
            return tables.weights_table(net)
        if choice.target == "curve":
            # the curve the plot shows: the selected neuron's only when it is in the plotted layer
            k = self.selected_layer
            neuron = self.selected_neuron[1] if self.selected_neuron and self.selected_neuron[0] == k else None
            return tables.layer_curve_table(net, self.propagation, k, neuron=neuron)
        low, high = net.input_ranges[choice.sweep_input]
        return tables.sweep_rows(net, choice.sweep_input, low, high, choice.steps, net.input_values)  # streamed
