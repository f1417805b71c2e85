"""Edits a person asks for in the panels (layers, inspector, formula editor, re-initialize), made undoable.

Each becomes one :meth:`Document.edit`; a refused edit is reported in the status bar and the panels show the
network as it is again.
"""

from __future__ import annotations

from collections.abc import Callable

from neuroviz.commands import inserted_at, removed_at
from neuroviz.model import Network
from neuroviz.views.formula_editor import FormulaEditor
from neuroviz.views.reinit_dialog import ReinitializeDialog


class Edits:
    def __init__(self, window, document, selection, messages, layers_presenter) -> None:
        self.window, self.document, self.selection, self.messages = window, document, selection, messages
        self.layers_presenter = layers_presenter
        #: The open formula editor ("Custom…" or "Edit formula…"), None when closed.
        self.formula_editor: FormulaEditor | None = None
        self._formula_dialog: FormulaEditor | None = None
        self._formula_layer = 0

    @property
    def network(self) -> Network:
        return self.document.network

    def edit(
        self,
        text: str,
        change: Callable[[Network], None],
        first_changed: int = 0,
        merge_key: tuple | None = None,
        moves=None,
    ) -> bool:
        """One undo step; a ValueError is reported and the panels show the network as it is."""
        try:
            self.document.edit(text, change, first_changed, merge_key, moves)
        except ValueError as error:
            self.messages.report(str(error))
            self.layers_presenter.sync()
            return False
        return True

    def on_activation_changed(self, k: int, name: str) -> None:
        """A layer's activation combo box: the edit, and the plot turns to that layer."""
        if name != self.network.layers[k - 1].activation:
            self.edit(f"Set {self.network.layers[k - 1].name} to {name}", lambda n: n.set_activation(k, name), k)
        self.selection.select_layer(k)

    def on_param_changed(self, k: int, param: str, value: object) -> None:
        layer = self.network.layers[k - 1]
        change = lambda n: n.set_params(k, **{param: value})  # noqa: E731
        self.edit(f"Set {layer.name} {param.replace('_', ' ')}", change, k, merge_key=("param", k, param))
        self.selection.select_layer(k)

    def on_regularizer_changed(self, k: int, l1: float, l2: float) -> None:
        """A layer card's L1/L2 boxes: one undoable edit (quick arrow clicks merge, as the parameter boxes do)."""
        name = self.network.layers[k - 1].name
        change = lambda n: n.set_regularizer(k, l1, l2)  # noqa: E731
        self.edit(f"Set {name} regularizer", change, k, merge_key=("regularizer", k))
        self.selection.select_layer(k)

    def on_size_changed(self, k: int, units: int) -> None:
        """The neurons box; quick arrow clicks merge into one undo step, as the parameter boxes do."""
        if units == self.network.layers[k - 1].units:
            return
        name = self.network.layers[k - 1].name
        seed = self._seed()
        self.edit(f"Resize {name} to {units}", lambda n: n.resize_layer(k, units, seed=seed), merge_key=("size", k))

    def on_insert_layer(self, k: int) -> None:
        k = max(1, min(k, len(self.network.layers)))
        moves = inserted_at(k, len(self.network.layers))
        self.edit("Insert hidden layer", lambda n: n.insert_layer(k, 4, "relu", seed=self._seed()), moves=moves)

    def on_remove_layer(self, k: int) -> None:
        if not 1 <= k < len(self.network.layers):
            self.messages.report("Select a hidden layer to remove (the output layer stays).")
            return
        moves = removed_at(k, len(self.network.layers))
        self.edit(f"Remove {self.network.layers[k - 1].name}", lambda n: n.remove_layer(k), moves=moves)

    def on_weight_edited(self, k: int, source: int, target: int, value: float) -> None:
        self.edit(
            f"Set weight {source + 1}→{target + 1} of {self.network.layers[k - 1].name}",
            lambda n: n.set_weight(k, source, target, value),
            k,
            merge_key=("weight", k, source, target),
        )

    def on_bias_edited(self, k: int, target: int, value: float) -> None:
        self.edit(
            f"Set bias {target + 1} of {self.network.layers[k - 1].name}",
            lambda n: n.set_bias(k, target, value),
            k,
            merge_key=("bias", k, target),
        )

    def on_reinitialize(self) -> None:
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
        return self.document.undo_stack.index() + 1

    # -- the formula editor ----------------------------------------------------------------------------------
    def on_custom_formula_requested(self, k: int) -> None:
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
            self.layers_presenter.sync()
            return
        text, params = editor.formula(), editor.params()
        layer = self.network.layers[k - 1]
        if (layer.formula, layer.params) == (text, params):  # OK without a change: nothing to undo
            self.layers_presenter.sync()
        else:
            self.edit(
                f"Set {layer.name} to custom: {text[:40]}", lambda n: n.set_custom_activation(k, text, **params), k
            )
        self.selection.select_layer(k)
