"""The inspector: facts about the neuron under the mouse, editors for a selected neuron or connection.

A dumb view. The controller calls :meth:`Inspector.show_neuron` with prepared text rows, and
:meth:`Inspector.edit_neuron` / :meth:`Inspector.edit_edge` when the user selects something; edits come
back as ``weightEdited`` / ``biasEdited`` whenever a box's value really changes: at once for the arrows,
Page Up/Down and the wheel, and on Enter or leaving the box for typing, so typing "-0.25" is one edit.
The boxes are number boxes (:class:`~neuroviz.views.number_box.NumberBox`): any finite weight is shown
compactly and kept exactly, so focusing a box and pressing Enter never changes a weight.
:meth:`Inspector.update_values` refreshes the numbers (e.g. after undo) silently.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from neuroviz.model.display import format_value
from neuroviz.views.number_box import NumberBox

__all__ = ["Inspector"]

PLACEHOLDER = (
    "Hover a neuron or a link to see its values.\n"
    "Click a neuron to edit its incoming weights and bias, or a link to edit its weight."
)
EDIT_HINT = "Type a number (e.g. 0.25 or 1e-3) and press Enter or Tab, or use the arrows; Ctrl+Z undoes."


class _ValueBox(NumberBox):
    """A weight/bias box (any finite number, as the model) that remembers the model's value.

    So a step or a commit that leaves the number as it was emits nothing.
    """

    def __init__(self, tooltip: str) -> None:
        super().__init__()  # every finite number; no keyboard tracking: a typed number is one edit
        self.setSingleStep(0.1)
        self.setAccelerated(True)
        self.setToolTip(tooltip)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel needs a click first: no accidental edits
        self.model_value = 0.0

    def show_value(self, value: float) -> None:
        self.model_value = float(value)
        with QSignalBlocker(self):
            self.setValue(float(value))

    def changed(self) -> bool:
        """True when the box's number differs from the model's (exactly: the box never rounds)."""
        return self.value() != self.model_value

    def wheelEvent(self, event) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class Inspector(QWidget):
    """Side panel: neuron facts on top, weight and bias editors below."""

    weightEdited = Signal(int, int, int, float)
    biasEdited = Signal(int, int, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layer: int | None = None
        self._target: int | None = None
        self._edge_source: int | None = None
        self._weight_boxes: list[_ValueBox] = []
        self._bias_box: _ValueBox | None = None
        self._weight_gradients: list[QLabel] = []  # ∂L/∂w next to each weight editor
        self._bias_gradient: QLabel | None = None

        self._title = QLabel()
        font = self._title.font()
        font.setBold(True)
        self._title.setFont(font)
        self._title.setWordWrap(True)
        self._facts = QFormLayout()
        self._facts.setContentsMargins(0, 0, 0, 0)
        self._facts.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self._placeholder = QLabel(PLACEHOLDER)
        self._placeholder.setWordWrap(True)
        self._placeholder.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self._edit_title = QLabel()
        self._edit_title.setFont(font)
        self._edit_title.setWordWrap(True)
        self._edit_hint = QLabel(EDIT_HINT)
        self._edit_hint.setWordWrap(True)
        self._edit_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._edit_host = QWidget()
        self._edit_form = QFormLayout(self._edit_host)
        self._edit_form.setContentsMargins(0, 0, 4, 0)
        self._edit_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._scroll.setWidget(self._edit_host)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self._title)
        layout.addLayout(self._facts)
        layout.addWidget(self._placeholder)
        layout.addSpacing(6)
        layout.addWidget(self._edit_title)
        layout.addWidget(self._edit_hint)
        layout.addWidget(self._scroll, 1)
        self.clear()

    # -- read-only facts -------------------------------------------------------------------------------------
    def show_neuron(self, title: str, rows: Sequence[tuple[str, str]]) -> None:
        """Show facts (label, text) about a neuron, e.g. ("z", "0.731"), ("f′(z)", "0.46").

        The same labels as shown (the usual case: the inputs moved, the neuron is the same) only get their new
        texts: making and showing two labels per row on every update took about 2 ms a row."""
        self._title.setText(title)
        self._title.setVisible(True)
        self._placeholder.setVisible(False)
        if [label for label, _text in rows] == [label for label, _text in self.facts()]:
            for row, (_label, text) in enumerate(rows):
                field = self._facts.itemAt(row, QFormLayout.ItemRole.FieldRole).widget()
                if field.text() != str(text):
                    field.setText(str(text))
            return
        while self._facts.rowCount():
            self._facts.removeRow(0)
        for label, text in rows:
            value = QLabel(str(text))
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            # long texts wrap ("Choose a data set first (the Data menu or the Training dock)." widened the whole
            # right column by 170 px, and the network view shrank, when a neuron was clicked)
            value.setWordWrap(True)
            name = QLabel(str(label))
            self._facts.addRow(name, value)
            name.show()  # shown now, not by Qt's queued call: an immediate grab/export must see them
            value.show()

    def facts(self) -> list[tuple[str, str]]:
        """The (label, text) rows shown."""
        rows = []
        for row in range(self._facts.rowCount()):
            label = self._facts.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
            field = self._facts.itemAt(row, QFormLayout.ItemRole.FieldRole).widget()
            rows.append((label.text(), field.text()))
        return rows

    def title(self) -> str:
        return self._title.text()

    # -- editors ---------------------------------------------------------------------------------------------
    def edit_neuron(
        self,
        layer: int,
        index: int,
        source_names: Sequence[str],
        weights: np.ndarray,
        bias: float,
        title: str | None = None,
    ) -> None:
        """Editors for the incoming weights of neuron ``index`` of layer ``layer`` (≥ 1) and for its bias.

        ``title`` replaces the default heading "Edit neuron i of layer k" (e.g. with the layer's name).
        """
        weights = np.asarray(weights, dtype=np.float64).ravel()
        if len(source_names) != weights.size:
            raise ValueError(
                f"Inspector.edit_neuron: {weights.size} weights but {len(source_names)} source names; "
                "give one name per incoming connection"
            )
        self._start_editing(layer, index, edge_source=None)
        self._edit_title.setText(title or f"Edit neuron {index + 1} of layer {layer}")
        for source, (name, weight) in enumerate(zip(source_names, weights, strict=True)):
            box = _ValueBox(f"Weight from “{name}” into this neuron.")
            box.show_value(weight)
            box.setAccessibleName(f"weight from {name}")
            box.valueChanged.connect(lambda _value, box=box, source=source: self._on_weight_changed(box, source))
            self._edit_form.addRow(f"w ← {name}", self._with_gradient(box, f"∂L/∂w of the weight from {name}"))
            self._weight_boxes.append(box)
        self._bias_box = _ValueBox("Bias of this neuron, added to z before the activation.")
        self._bias_box.show_value(bias)
        self._bias_box.setAccessibleName("bias")
        self._bias_box.valueChanged.connect(lambda _value: self._on_bias_changed())
        self._edit_form.addRow("bias", self._with_gradient(self._bias_box, "∂L/∂b of the bias"))
        self._bias_gradient = self._weight_gradients.pop()
        self._show_editors()

    def edit_edge(
        self,
        layer: int,
        source: int,
        target: int,
        source_name: str,
        target_name: str,
        weight: float,
        title: str | None = None,
    ) -> None:
        """An editor for the one weight from ``source`` (layer − 1) into ``target`` (layer)."""
        self._start_editing(layer, target, edge_source=source)
        self._edit_title.setText(title or f"Edit connection {source_name} → {target_name}")
        box = _ValueBox(f"Weight of the connection {source_name} → {target_name}.")
        box.show_value(weight)
        box.setAccessibleName(f"weight {source_name} to {target_name}")
        box.valueChanged.connect(lambda _value: self._on_weight_changed(box, source))
        self._edit_form.addRow(
            "weight", self._with_gradient(box, f"∂L/∂w of the connection {source_name} → {target_name}")
        )
        self._weight_boxes.append(box)
        self._show_editors()
        box.setFocus(Qt.FocusReason.OtherFocusReason)
        box.selectAll()

    def update_values(self, weights: np.ndarray | float, bias: float | None = None) -> None:
        """Refresh the editors' numbers without emitting.

        ``weights`` are the target neuron's incoming weights. When one connection is edited, pass either its
        weight alone or the neuron's whole column (the connection's entry is used).
        When nothing is being edited this does nothing.
        """
        weights = np.atleast_1d(np.asarray(weights, dtype=np.float64)).ravel()
        if self._layer is None:
            return
        if self._edge_source is not None and weights.size > 1:
            if self._edge_source >= weights.size:
                raise ValueError(
                    f"Inspector.update_values: the edited connection comes from source {self._edge_source}, "
                    f"but only {weights.size} weights were given"
                )
            weights = weights[self._edge_source : self._edge_source + 1]
        if weights.size != len(self._weight_boxes):
            raise ValueError(
                f"Inspector.update_values: the editors show {len(self._weight_boxes)} weights, got {weights.size}"
            )
        for box, weight in zip(self._weight_boxes, weights, strict=True):
            box.show_value(weight)
        if bias is not None and self._bias_box is not None:
            self._bias_box.show_value(bias)

    def show_gradients(self, weights: np.ndarray | None, bias: float | None = None) -> None:
        """∂L/∂w next to each weight editor (in their order) and ∂L/∂b next to the bias; None blanks them."""
        values = [] if weights is None else list(np.atleast_1d(np.asarray(weights, dtype=np.float64)).ravel())
        if values and len(values) != len(self._weight_gradients):
            raise ValueError(
                f"Inspector.show_gradients: the editors show {len(self._weight_gradients)} weights, got {len(values)}"
            )
        for label, value in itertools.zip_longest(self._weight_gradients, values):
            label.setText("" if value is None else f"∂L/∂w {format_value(value)}")
        if self._bias_gradient is not None:
            self._bias_gradient.setText("" if bias is None else f"∂L/∂b {format_value(bias)}")

    def gradient_texts(self) -> list[str]:
        """What is written next to the weight editors, then the bias editor ("" where nothing)."""
        labels = [*self._weight_gradients, *([self._bias_gradient] if self._bias_gradient else [])]
        return [label.text() for label in labels]

    def clear(self) -> None:
        """Nothing inspected: show the hint."""
        while self._facts.rowCount():
            self._facts.removeRow(0)
        self._title.setText("")
        self._title.setVisible(False)
        self._placeholder.setVisible(True)
        self._clear_editors()
        self._layer = self._target = self._edge_source = None
        for widget in (self._edit_title, self._edit_hint, self._scroll):
            widget.setVisible(False)

    # -- accessors for the controller and tests --------------------------------------------------------------
    def editing(self) -> tuple[int, int, int | None] | None:
        """(layer, target, source or None for a whole neuron) being edited, or None."""
        if self._layer is None:
            return None
        return self._layer, self._target, self._edge_source

    def weight_box(self, source: int) -> NumberBox:
        """The editor of the weight from ``source``; when editing one connection, ``source`` is its source."""
        if self._edge_source is not None:
            if source != self._edge_source:
                raise ValueError(f"the inspector edits the weight from {self._edge_source}, not from {source}")
            return self._weight_boxes[0]
        if not 0 <= source < len(self._weight_boxes):
            raise ValueError(f"no weight editor for source {source} (there are {len(self._weight_boxes)})")
        return self._weight_boxes[source]

    def bias_box(self) -> NumberBox | None:
        return self._bias_box

    def weight_count(self) -> int:
        return len(self._weight_boxes)

    def edit_title(self) -> str:
        return self._edit_title.text()

    # -- internals -------------------------------------------------------------------------------------------
    def _start_editing(self, layer: int, target: int, edge_source: int | None) -> None:
        self._clear_editors()
        self._layer, self._target, self._edge_source = int(layer), int(target), edge_source

    def _show_editors(self) -> None:
        for widget in (self._edit_title, self._edit_hint, self._scroll):
            widget.setVisible(True)
        for row in range(self._edit_form.rowCount()):
            for role in (QFormLayout.ItemRole.LabelRole, QFormLayout.ItemRole.FieldRole):
                item = self._edit_form.itemAt(row, role)
                if item is not None and item.widget() is not None:
                    item.widget().show()
        chain = [*self._weight_boxes, *([self._bias_box] if self._bias_box else [])]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _clear_editors(self) -> None:
        # deleteLater, not removeRow: the box whose valueChanged led here may still be inside its signal
        while self._edit_form.rowCount():
            taken = self._edit_form.takeRow(0)
            for item in (taken.labelItem, taken.fieldItem):
                if item is not None and item.widget() is not None:
                    item.widget().hide()
                    item.widget().deleteLater()
        self._weight_boxes = []
        self._bias_box = None
        self._weight_gradients = []
        self._bias_gradient = None

    def _with_gradient(self, box: _ValueBox, tip: str) -> QWidget:
        """The editor with a small label on its right for its gradient (filled by :meth:`show_gradients`)."""
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box, 1)
        label = QLabel()
        label.setToolTip(f"{tip} over the training data (the Training dock's data set and loss)")
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        label.setMinimumWidth(label.fontMetrics().horizontalAdvance("∂L/∂w −0.000000"))
        layout.addWidget(label)
        self._weight_gradients.append(label)
        return row

    def _on_weight_changed(self, box: _ValueBox, source: int) -> None:
        if self._layer is None or not box.changed():
            return
        box.model_value = box.value()
        self.weightEdited.emit(self._layer, source, self._target, box.value())

    def _on_bias_changed(self) -> None:
        box = self._bias_box
        if self._layer is None or box is None or not box.changed():
            return
        box.model_value = box.value()
        self.biasEdited.emit(self._layer, self._target, box.value())
