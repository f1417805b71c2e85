"""The layer editor: one card per dense layer with its size, activation (grouped by family) and parameters.

A dumb view: it shows the :class:`LayerInfo` it is given and emits what the user asks for; the
controller edits the network and calls :meth:`LayerPanel.update_layer` / :meth:`LayerPanel.set_layers`
back, which never emit. Layer positions ``k`` are numbered as in the model: 1..L, the output layer last
(0 is the input layer, not shown).

It reads the static activation catalogue (names, families, formulas, parameter descriptions) to build
its combo boxes and editors; it never touches a network.

Custom activations: the combo box ends with a "Custom" group whose "Custom…" entry asks for the formula
editor (``customFormulaRequested``; the controller opens :class:`~neuroviz.views.formula_editor.FormulaEditor`).
A custom layer shows "custom: <formula>" in that group, one spin box per formula parameter and an
"Edit formula…" button that asks for the editor again.

Float parameters are edited in number boxes (:class:`~neuroviz.views.number_box.NumberBox`) spanning what
the model accepts (the parameter's bounds, else every finite number; any finite number for a formula
parameter), so a value read from a file (say b = 1e300) is shown and kept exactly, never clamped or rounded.

Modules: the activation combo box and the text helpers are in :mod:`neuroviz.views.activation_combo`, one
parameter's editor in :mod:`neuroviz.views.param_editor`; their public names stay importable from here.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRectF, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from neuroviz.model import activations
from neuroviz.model.network import CUSTOM_ACTIVATION, MAX_UNITS
from neuroviz.views import colors
from neuroviz.views.activation_combo import (  # noqa: F401 (the constants stay importable from here)
    ACTIVATION_ROLE,
    COMBO_CHARS,
    COMBO_FORMULA_CHARS,
    CUSTOM_CHOICE,
    CUSTOM_GROUP,
    INT_LIMIT,
    LABEL_FORMULA_CHARS,
    OPTIONAL_START,
    USER_FOCUS_REASONS,
    ActivationCombo,
    activation_tooltip,
    elide,
    param_range_text,
    readable_name,
)
from neuroviz.views.input_panel import ElidedLabel
from neuroviz.views.param_editor import _generic_param, _ParamEditor, _warning_icon
from neuroviz.views.regularizer_row import RegularizerRow

__all__ = [
    "CUSTOM_CHOICE",
    "ActivationCombo",
    "LayerInfo",
    "LayerPanel",
    "elide",
    "param_range_text",
    "readable_name",
]

# MAX_UNITS (from the model): neurons per layer; a GLU layer may hold twice as many units.


@dataclass
class LayerInfo:
    """What the panel shows for one dense layer."""

    name: str
    units: int
    activation: str
    params: dict[str, Any] = field(default_factory=dict)
    removable: bool = True
    #: The formula text of a custom activation (``activation == "custom"``), else None.
    formula: str | None = None
    #: Parameters whose values Keras allows but that defeat the activation: name → why (marked at the editor).
    param_warnings: dict[str, str] = field(default_factory=dict)
    #: Warnings about the layer as a whole (e.g. softmax over one neuron), shown in the card.
    notes: tuple[str, ...] = ()
    #: The kernel regularizer's (l1, l2) factors; (0, 0) for none.
    regularizer: tuple[float, float] = (0.0, 0.0)


class _LayerCard(QFrame):
    """One layer: title, insert/remove buttons, neurons, activation and its parameters."""

    def __init__(self, panel: LayerPanel, k: int, info: LayerInfo) -> None:
        super().__init__()
        self.panel = panel
        self.k = k
        self.setObjectName("layerCard")
        self.setProperty("selected", False)
        self.setFrameShape(QFrame.Shape.NoFrame)  # the border is painted in paintEvent, from the palette

        self.title = ElidedLabel()  # a long name (Keras models have them) ends in "…": the tooltip has it whole
        title_font = self.title.font()
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.insert_button = QToolButton()
        self.insert_button.setText("+ layer above")
        self.insert_button.setAutoRaise(True)
        self.insert_button.clicked.connect(lambda: panel.insertLayerRequested.emit(self.k))
        self.remove_button = QToolButton()
        self.remove_button.setText("Remove")
        self.remove_button.setAutoRaise(True)
        self.remove_button.clicked.connect(lambda: panel.removeLayerRequested.emit(self.k))
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.insert_button)
        header.addWidget(self.remove_button)

        self.size_box = QSpinBox()
        self.size_box.setRange(1, MAX_UNITS)
        self.size_box.setKeyboardTracking(False)  # typing "128" is one resize, not three
        self.size_box.setAccelerated(True)
        self.size_box.valueChanged.connect(lambda units: panel.sizeChanged.emit(self.k, int(units)))
        self.combo = ActivationCombo()
        self.combo.currentIndexChanged.connect(self._on_combo_changed)
        self.formula = QLabel()
        self.formula.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted, follows the theme
        self.formula.setTextFormat(Qt.TextFormat.PlainText)  # a typed formula such as x<beta is not HTML
        self.formula.setWordWrap(True)
        self.edit_formula_button = QToolButton()
        self.edit_formula_button.setText("Edit formula…")
        self.edit_formula_button.setAutoRaise(True)
        self.edit_formula_button.clicked.connect(lambda: panel.customFormulaRequested.emit(self.k))
        self.formula_row = QWidget()
        formula_lines = QVBoxLayout(self.formula_row)
        formula_lines.setContentsMargins(0, 0, 0, 0)
        formula_lines.setSpacing(0)
        formula_lines.addWidget(self.formula)
        formula_lines.addWidget(self.edit_formula_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.notes = QLabel()  # warnings about the whole layer, e.g. softmax over one neuron
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setWordWrap(True)
        self.notes.setAccessibleName("layer warnings")
        self.notes_icon = _warning_icon()
        self.notes_row = QWidget()
        notes_line = QHBoxLayout(self.notes_row)
        notes_line.setContentsMargins(0, 0, 0, 0)
        notes_line.addWidget(self.notes_icon, 0, Qt.AlignmentFlag.AlignTop)
        notes_line.addWidget(self.notes, 1)
        self.notes_row.hide()

        self.form = QFormLayout()
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow(_form_label("neurons"), self.size_box)
        self.form.addRow(_form_label("activation"), self.combo)
        self.form.addRow("", self.formula_row)
        self._fixed_rows = self.form.rowCount()
        self.editors: dict[str, _ParamEditor] = {}
        self.activation = ""
        self._editor_key: tuple = ()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.notes_row)
        layout.addLayout(self.form)
        self.regularizer = RegularizerRow()
        self.regularizer.changed.connect(lambda l1, l2: panel.regularizerChanged.emit(self.k, l1, l2))
        for control in (self.regularizer.toggle, self.regularizer.l1_box, self.regularizer.l2_box):
            panel._watch(control, self)
        layout.addWidget(self.regularizer)
        self.show_info(info)

    # -- model → widgets -------------------------------------------------------------------------------------
    def show_info(self, info: LayerInfo) -> None:
        self.title.setText(info.name)
        self.title.setToolTip(f"Layer “{info.name}”")
        where = f"“{info.name}”"
        self.insert_button.setToolTip(f"Insert a new hidden layer just before {where}.")
        self.insert_button.setAccessibleName(f"Insert layer before {info.name}")
        self.remove_button.setEnabled(info.removable)
        self.remove_button.setToolTip(f"Remove {where}." if info.removable else "The output layer cannot be removed.")
        self.remove_button.setAccessibleName(f"Remove {info.name}")
        name = _canonical(info.activation)
        self.combo.set_activation(name, info.formula)
        if _editor_key(name, info.formula, info.params) != self._editor_key:
            self._build_editors(name, info.params, info.formula)
        self._set_size_limit(name)
        with QSignalBlocker(self.size_box):
            self.size_box.setValue(int(info.units))
        self.size_box.setToolTip(
            f"Number of neurons in {where} (1–{self.size_box.maximum()}). Type a number and press Enter, "
            "or use the arrows."
        )
        self.combo.setAccessibleName(f"Activation of {info.name}")
        for param_name, editor in self.editors.items():
            if param_name in info.params:
                editor.show(info.params[param_name])
            editor.set_warning(info.param_warnings.get(param_name))
        self.regularizer.show_values(*info.regularizer)
        self.regularizer.set_layer_name(info.name)
        self.notes.setText("\n".join(info.notes))
        self.notes_row.setVisible(bool(info.notes))

    # -- internals -------------------------------------------------------------------------------------------
    def _build_editors(self, name: str, values: dict[str, Any], formula: str | None = None) -> None:
        for editor in self.editors.values():
            for control in editor.controls():
                self.panel._watched.pop(control, None)
        while self.form.rowCount() > self._fixed_rows:
            # deleteLater, not removeRow: an editor may still be inside the signal that led here
            taken = self.form.takeRow(self._fixed_rows)
            for item in (taken.labelItem, taken.fieldItem):
                if item is not None and item.widget() is not None:
                    item.widget().hide()
                    item.widget().deleteLater()
        self.editors = {}
        self.activation = name
        self._editor_key = _editor_key(name, formula, values)
        custom = name == CUSTOM_ACTIVATION and formula is not None
        try:
            act = activations.get(name)
            params = [p for p in act.params.values() if p.ui]
            self.formula.setText(f"f(x) = {act.formula}")
            self.formula.setToolTip(activation_tooltip(act))
        except ValueError:
            params = [_generic_param(n, v) for n, v in values.items()]
            self.formula.setText(f"f(x) = {elide(formula, LABEL_FORMULA_CHARS)}" if custom else "")
            self.formula.setToolTip(f"f(x) = {formula}" if custom else "")
        self.edit_formula_button.setVisible(custom)
        self.edit_formula_button.setToolTip(
            f"Change the formula or the parameters of {self.title.text()}." if custom else ""
        )
        self.formula.setVisible(bool(self.formula.text()))
        self.formula_row.setVisible(bool(self.formula.text()) or custom)
        for param in params:
            editor = _ParamEditor(param, self._on_param_edited)
            _align_label(editor.label)
            editor.show(values.get(param.name, param.default))
            self.form.addRow(editor.label, editor.widget)
            editor.label.show()  # now, not by Qt's queued call, so an immediate grab/export shows them
            editor.widget.show()
            for control in editor.controls():
                self.panel._watch(control, self)
            self.editors[param.name] = editor
        self.panel._fix_tab_order()

    def _set_size_limit(self, name: str) -> None:
        with QSignalBlocker(self.size_box):
            self.size_box.setMaximum(2 * MAX_UNITS if name == "glu" else MAX_UNITS)
            self.size_box.setSingleStep(2 if name == "glu" else 1)

    def _on_combo_changed(self, _row: int) -> None:
        name = self.combo.activation()
        if name == CUSTOM_CHOICE:
            # the controller opens the formula editor; it puts the combo box back if the person cancels
            self.panel.customFormulaRequested.emit(self.k)
            return
        if not name or name == self.activation:
            return
        act_defaults = {}
        with contextlib.suppress(ValueError):
            act_defaults = activations.get(name).defaults()
        with self.panel._quietly():
            self._build_editors(name, act_defaults)
        self._set_size_limit(name)
        self.panel.activationChanged.emit(self.k, name)

    def _on_param_edited(self, name: str, value: Any) -> None:
        self.panel.paramChanged.emit(self.k, name, value)

    def paintEvent(self, event) -> None:
        """A rounded border: the highlight colour when selected, else a quiet mix of text and background.

        Painted rather than styled, so it follows whatever palette (light or dark) the application sets.
        """
        super().paintEvent(event)
        palette = self.palette()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.property("selected"):
            pen = QPen(palette.color(QPalette.ColorRole.Highlight), 2)
        else:
            window, text = (
                palette.color(QPalette.ColorRole.Window),
                palette.color(QPalette.ColorRole.WindowText),
            )
            pen = QPen(colors.mix(window, text, 0.3))
            pen.setWidthF(1.0)
        painter.setPen(pen)
        inset = pen.widthF() / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(inset, inset, -inset, -inset), 4, 4)
        painter.end()

    def mousePressEvent(self, event) -> None:
        self.panel._select_from_user(self.k)
        super().mousePressEvent(event)


def _form_label(text: str) -> QLabel:
    label = QLabel(text)
    _align_label(label)
    return label


def _align_label(label: QLabel) -> None:
    """One label width in every card, so the editors line up from layer to layer."""
    label.setMinimumWidth(label.fontMetrics().horizontalAdvance("negative slope") + 6)


def _editor_key(name: str, formula: str | None, values: dict[str, Any]) -> tuple:
    """What the parameter editors depend on: the activation, and for a formula also its text and parameters."""
    try:
        return (activations.get(name).name,)
    except ValueError:
        return (name, formula, tuple(values))


def _canonical(name: str) -> str:
    try:
        return activations.get(name).name
    except ValueError:
        return name


class LayerPanel(QWidget):
    """A scrollable column of layer cards (positions 1..L) that emits the edits the user asks for."""

    activationChanged = Signal(int, str)
    paramChanged = Signal(int, str, object)
    sizeChanged = Signal(int, int)
    insertLayerRequested = Signal(int)
    removeLayerRequested = Signal(int)
    layerSelected = Signal(int)
    #: "Custom…" chosen or "Edit formula…" clicked in layer k: open the formula editor for it.
    customFormulaRequested = Signal(int)
    #: A layer's regularizer factors were edited: (layer, l1, l2).
    regularizerChanged = Signal(int, float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cards: list[_LayerCard] = []
        self._selected: int | None = None
        self._watched: dict[QObject, _LayerCard] = {}
        #: > 0 while cards or editors are rebuilt: focus that moves off a hidden widget is not the user's choice
        self._rebuilding = 0

        self._host = QWidget()
        self._column = QVBoxLayout(self._host)
        self._column.setContentsMargins(4, 4, 4, 4)
        self._column.setSpacing(8)
        self._column.addStretch(1)
        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._scroll.setWidget(self._host)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._scroll)

    # -- model → widgets (never emit) ------------------------------------------------------------------------
    def set_layers(self, layers: list[LayerInfo]) -> None:
        """Show one card per layer; ``layers[k-1]`` is position k."""
        with self._quietly():
            self._set_layers(layers)

    def _set_layers(self, layers: list[LayerInfo]) -> None:
        # Cards are reused position by position (show_info rebuilds only what differs): a structural edit then
        # costs one new or one removed card, not a whole new column of combo boxes and editors.
        while len(self._cards) > len(layers):
            card = self._cards.pop()
            self._column.removeWidget(card)
            card.hide()  # not setParent(None): that could delete it inside its own signal
            card.deleteLater()
            self._watched = {control: owner for control, owner in self._watched.items() if owner is not card}
        for k, info in enumerate(layers, start=1):
            if k <= len(self._cards):
                self._cards[k - 1].show_info(info)
                continue
            card = _LayerCard(self, k, info)
            for control in (
                card.size_box,
                card.combo,
                card.edit_formula_button,
                card.insert_button,
                card.remove_button,
            ):
                self._watch(control, card)
            self._column.insertWidget(self._column.count() - 1, card)
            card.setVisible(True)
            self._cards.append(card)
        if self._selected is not None and self._selected > len(self._cards):
            self._selected = None
        self._show_selection()
        self._fix_tab_order()
        self._fit_width()

    def _fit_width(self) -> None:
        """As wide as the widest card needs, so the dock grows instead of cutting editors off."""
        self._scroll.setMinimumWidth(
            self._host.minimumSizeHint().width() + self._scroll.verticalScrollBar().sizeHint().width()
        )

    def update_layer(self, k: int, info: LayerInfo) -> None:
        """Show new values for layer k; the parameter editors are rebuilt only when the activation changed."""
        with self._quietly():
            self._card(k).show_info(info)
        self._fit_width()

    def set_selected(self, k: int | None) -> None:
        """Highlight layer k (None: no layer) without emitting."""
        if k is not None:
            self._card(k)
        self._selected = k
        self._show_selection()

    # -- reading ---------------------------------------------------------------------------------------------
    def count(self) -> int:
        return len(self._cards)

    def selected(self) -> int | None:
        return self._selected

    def combo(self, k: int) -> ActivationCombo:
        return self._card(k).combo

    def size_box(self, k: int) -> QSpinBox:
        return self._card(k).size_box

    def param_editor(self, k: int, name: str) -> QWidget:
        """The spin box (or check box for bool parameters) editing parameter ``name`` of layer k."""
        return self._editor(k, name).editor

    def param_limit_box(self, k: int, name: str) -> QCheckBox:
        """The "limit" check box of an optional parameter (unticked = None)."""
        box = self._editor(k, name).limit_box
        if box is None:
            raise ValueError(f"layer {k}: parameter '{name}' is not optional, it has no “limit” box")
        return box

    def param_label(self, k: int, name: str) -> str:
        editor = self._editor(k, name)
        return editor.label.text() or editor.editor.text()

    def param_names(self, k: int) -> list[str]:
        """The parameters layer k currently shows editors for, in order."""
        return list(self._card(k).editors)

    def insert_button(self, k: int) -> QToolButton:
        return self._card(k).insert_button

    def remove_button(self, k: int) -> QToolButton:
        return self._card(k).remove_button

    def title(self, k: int) -> str:
        return self._card(k).title.text()

    def title_label(self, k: int) -> ElidedLabel:
        """The label with layer k's name (elided to the card's width; its tooltip has the whole name)."""
        return self._card(k).title

    def formula_text(self, k: int) -> str:
        return self._card(k).formula.text()

    def param_warning_mark(self, k: int, name: str) -> QLabel:
        """The warning sign beside parameter ``name`` of layer k (visible while its value is marked)."""
        return self._editor(k, name).mark

    def notes_label(self, k: int) -> QLabel:
        """The card's line of warnings about layer k as a whole (hidden when there are none)."""
        return self._card(k).notes

    def edit_formula_button(self, k: int) -> QToolButton:
        """The "Edit formula…" button of layer k (visible only on a custom layer)."""
        return self._card(k).edit_formula_button

    def regularizer_row(self, k: int) -> RegularizerRow:
        return self._card(k).regularizer

    def card(self, k: int) -> QFrame:
        return self._card(k)

    # -- internals -------------------------------------------------------------------------------------------
    def _card(self, k: int) -> _LayerCard:
        if not 1 <= k <= len(self._cards):
            raise ValueError(f"layer position {k} is out of range: this panel shows layers 1..{len(self._cards)}")
        return self._cards[k - 1]

    def _editor(self, k: int, name: str) -> _ParamEditor:
        card = self._card(k)
        if name not in card.editors:
            shown = ", ".join(card.editors) or "none"
            raise ValueError(f"layer {k} ({card.activation}) has no editor for '{name}' (it shows: {shown})")
        return card.editors[name]

    def _watch(self, control: QWidget, card: _LayerCard) -> None:
        """Focusing a control selects its layer; the mouse wheel only changes a control that has focus."""
        self._watched[control] = card
        control.installEventFilter(self)
        if isinstance(control, QAbstractSpinBox | QComboBox):
            control.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    @contextlib.contextmanager
    def _quietly(self) -> Iterator[None]:
        """Hiding a focused widget moves the focus as if by Tab; during a rebuild that selects nothing."""
        self._rebuilding += 1
        try:
            yield
        finally:
            self._rebuilding -= 1

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        card = self._watched.get(watched)
        if card is not None:
            if event.type() == QEvent.Type.FocusIn and event.reason() in USER_FOCUS_REASONS and not self._rebuilding:
                # only the user's own moves select: not the window getting focus back or being shown
                self._select_from_user(card.k)
            elif event.type() == QEvent.Type.Wheel and not watched.hasFocus():
                # scrolling the panel over a spin box must scroll, not silently change a layer
                QApplication.sendEvent(self._scroll.verticalScrollBar(), event)
                return True
        return super().eventFilter(watched, event)

    def _select_from_user(self, k: int) -> None:
        if k != self._selected:
            self._selected = k
            self._show_selection()
            self.layerSelected.emit(k)

    def _show_selection(self) -> None:
        for card in self._cards:
            selected = card.k == self._selected
            if card.property("selected") != selected:
                card.setProperty("selected", selected)
                card.update()

    def _fix_tab_order(self) -> None:
        chain: list[QWidget] = []
        for card in self._cards:
            chain += [card.insert_button, card.remove_button, card.size_box, card.combo, card.edit_formula_button]
            for editor in card.editors.values():
                chain += editor.controls()
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
