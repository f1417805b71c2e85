"""The formula editor: type a custom activation f(x), declare its parameters, and watch f and f′ as you type.

A view. What is typed is parsed by :mod:`neuroviz.model.formula` (a whitelist parser, never ``eval``) on every
keystroke, to preview the function and its exact derivative over [−5, 5] and to say inline what is wrong and
where: the message names the column, the offending part of the formula is marked, and OK stays disabled until
the formula parses. It never touches a network: the controller opens it for a layer and, on OK, makes the one
undoable edit ``set_custom_activation(k, editor.formula(), **editor.params())``.

The formula is the line edit's text without outer spaces, but it is checked as the line shows it, so every
column, mark and selection refers to what the person sees, spaces included (they count to the length limit).
Parameter values are edited in number boxes (:class:`~neuroviz.views.number_box.NumberBox`): any finite
number (as the model accepts), typed in scientific notation if need be, and kept exactly, so OK without a
change gives the layer back the very values it had.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Mapping

import numpy as np
from PySide6.QtCore import QEvent, QRegularExpression, QSignalBlocker, Qt
from PySide6.QtGui import QFontDatabase, QPalette, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from neuroviz.model import formula as formulas
from neuroviz.model.formula import FormulaError
from neuroviz.views import colors
from neuroviz.views.activation_plot import ActivationPlot
from neuroviz.views.number_box import NumberBox

__all__ = ["EXAMPLE_FORMULA", "EXAMPLE_PARAMS", "MAX_PARAMS", "PREVIEW_X", "FormulaEditor", "error_span"]

#: What the editor starts with for a layer that has no formula yet (the tutorials' "create your own").
EXAMPLE_FORMULA = "x * sigmoid(beta * x)"
EXAMPLE_PARAMS: Mapping[str, float] = {"beta": 1.0}
#: Where the preview samples f and f′.
PREVIEW_X = np.linspace(-5.0, 5.0, 401)
#: More parameter rows than this would not fit a formula of 500 characters usefully.
MAX_PARAMS = 20
#: Characters of the formula shown on each side of the error in the marked copy below the line edit.
MARK_CONTEXT = 40
#: Error text colours (light, dark): readable on the window background of each theme.
ERROR_COLOURS = colors.ERROR_TEXT

_NAME_PATTERN = r"[A-Za-z_][A-Za-z0-9_]{0,31}"
#: One token of a formula, to mark the whole offending word or number rather than its first character.
_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\*\*|[<>=!]=|\S")
#: A name the parser did not know, taken from its message, e.g. "unknown name 'bta'".
_UNKNOWN_NAME = re.compile(r"unknown name '([A-Za-z_][A-Za-z0-9_]*)'")


def error_span(text: str, position: int | None) -> tuple[int, int]:
    """(start, length) of the token a FormulaError at ``position`` points at; length 0 past the end of ``text``."""
    if position is None:
        return 0, 0
    start = max(0, min(int(position), len(text)))
    match = _TOKEN.match(text, start)
    return start, len(match.group()) if match else 0


class _ParamRow:
    """One declared parameter: its name, its default value and a button removing it."""

    def __init__(self, name: str, value: float) -> None:
        self.name_edit = QLineEdit(name)
        self.name_edit.setValidator(QRegularExpressionValidator(QRegularExpression(_NAME_PATTERN)))
        self.name_edit.setPlaceholderText("name")
        self.name_edit.setToolTip("The parameter's name as the formula uses it: letters, digits and _, ASCII only.")
        self.value_box = NumberBox()  # any finite number, as the model accepts for a formula parameter
        self.value_box.setKeyboardTracking(True)  # the preview follows the digits as they are typed
        self.value_box.setSingleStep(0.1)
        self.value_box.setValue(value)
        self.value_box.setToolTip(
            "The parameter's value, any number such as 0.5 or 1e-3; the layer gets a spin box for it."
        )
        self.remove_button = QToolButton()
        self.remove_button.setText("✕")
        self.remove_button.setAutoRaise(True)
        self.remove_button.setToolTip("Remove this parameter.")


class FormulaEditor(QDialog):
    """A formula line edit, a parameter table, a live preview of f and f′, an inline error and OK/Cancel.

    Non-blocking: open it with :meth:`open` (or ``show``) and listen to ``finished``; tests drive the widgets
    directly. :meth:`formula` and :meth:`params` are what OK stands for; OK is enabled only while they parse.
    """

    def __init__(
        self,
        formula: str | None = None,
        params: Mapping[str, float] | None = None,
        layer_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.resize(600, 620)
        self._rows: list[_ParamRow] = []
        self._parsed: formulas.Formula | None = None
        self._error: FormulaError | None = None
        self._bad_row: int | None = None
        self._missing_name = ""
        self._dark = False
        empty = np.zeros(0)
        self._curve: tuple[np.ndarray, np.ndarray, np.ndarray] = (empty, empty, empty)

        intro = QLabel(
            "Write f(x) with x, your parameters, numbers, + − * / **, comparisons inside where(…), and functions "
            "such as exp, log, tanh, sigmoid, softplus, relu, maximum, where, clip or any elementwise activation "
            "by name."
        )
        intro.setWordWrap(True)
        intro.setToolTip("Functions: " + ", ".join(sorted(formulas.FUNCTIONS)) + "; constant: pi.")
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.formula_edit = QLineEdit()
        self.formula_edit.setFont(mono)
        self.formula_edit.setPlaceholderText(EXAMPLE_FORMULA)
        self.formula_edit.setClearButtonEnabled(True)
        self.formula_edit.setToolTip(
            f"f(x): at most {formulas.MAX_LENGTH} characters. Nothing you type is ever run as code."
        )
        self.formula_edit.setAccessibleName("formula")
        self.error_label = QLabel()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setAccessibleName("formula error")
        self.mark_label = QLabel()
        self.mark_label.setFont(mono)
        self.mark_label.setTextFormat(Qt.TextFormat.RichText)
        self.mark_label.setToolTip("Where the problem is in the formula.")
        self.add_missing_button = QPushButton()
        self.add_missing_button.setToolTip("Declare this name as a parameter of the formula.")
        self.derivative_label = QLabel()
        self.derivative_label.setTextFormat(Qt.TextFormat.PlainText)
        self.derivative_label.setWordWrap(True)
        self.derivative_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.derivative_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.param_table = QTableWidget(0, 3)
        self.param_table.setHorizontalHeaderLabels(["parameter", "value", ""])
        header = self.param_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.param_table.verticalHeader().setVisible(False)
        self.param_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        # Tab moves from widget to widget, through the rows and out of the table, never from cell to cell in it
        self.param_table.setTabKeyNavigation(False)
        self.param_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its cells' widgets take the focus
        self.param_table.setMinimumHeight(90)
        self.param_table.setMaximumHeight(160)
        self.param_table.setToolTip("The formula's parameters and their values.")
        self.add_param_button = QPushButton("+ parameter")
        self.add_param_button.setToolTip(f"Declare another parameter (at most {MAX_PARAMS}).")

        self.preview = ActivationPlot()
        self.preview.setMinimumHeight(200)
        self.preview.set_points(np.zeros(0), np.zeros(0), np.zeros(0))
        self.preview.getPlotItem().setLabel("bottom", "x")
        self.preview.getPlotItem().setLabel("left", "f(x), f′(x)")
        for _sample, label in self.preview.getPlotItem().legend.items:  # the plot's "f(z)": here the variable is x
            label.setText(label.text.replace("(z)", "(x)"))
        self.preview.setToolTip("f(x) (solid) and f′(x) (dashed) on [−5, 5] with the values above.")
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # nothing to do there from the keyboard

        self.button_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button().setToolTip("Give the layer this activation (one step to undo).")
        self.button_box.button(QDialogButtonBox.StandardButton.Cancel).setToolTip("Close without changing the layer.")

        error_row = QHBoxLayout()
        error_row.addWidget(self.error_label, 1)
        error_row.addWidget(self.add_missing_button)
        params_row = QHBoxLayout()
        params_row.addWidget(QLabel("Parameters"), 1)
        params_row.addWidget(self.add_param_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel("f(x) ="))
        layout.addWidget(self.formula_edit)
        layout.addWidget(self.mark_label)
        layout.addLayout(error_row)
        layout.addWidget(self.derivative_label)
        layout.addLayout(params_row)
        layout.addWidget(self.param_table)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.button_box)

        self.formula_edit.textChanged.connect(lambda _text: self._validate())
        self.formula_edit.returnPressed.connect(self._select_error)
        self.add_param_button.clicked.connect(lambda: self.add_param())
        self.add_missing_button.clicked.connect(lambda: self.add_param(self._missing_name))
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)

        self._sync_theme()
        self.load(formula, params, layer_name)

    def load(self, formula: str | None = None, params: Mapping[str, float] | None = None, layer_name: str = "") -> None:
        """Start over on ``formula`` and its parameters (None: the example ``x * sigmoid(beta * x)``, beta = 1).

        One dialog can so serve every layer: building its preview plot costs more than filling it in.
        """
        if formula is None:
            formula, params = EXAMPLE_FORMULA, EXAMPLE_PARAMS
        self.setWindowTitle(f"Custom activation — {layer_name}" if layer_name else "Custom activation")
        empty = np.zeros(0)
        self._curve = (empty, empty, empty)
        with QSignalBlocker(self.formula_edit):
            self.formula_edit.setText(formula)
        self._rows = []
        self.param_table.setRowCount(0)  # deletes the rows' widgets
        for name, value in (params or {}).items():
            self._append_row(str(name), float(value))
        self.add_param_button.setEnabled(len(self._rows) < MAX_PARAMS)
        self._fix_tab_order()
        self._validate()
        self.formula_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- reading ---------------------------------------------------------------------------------------------
    def formula(self) -> str:
        """The formula as typed (outer spaces removed)."""
        return self.formula_edit.text().strip()

    def params(self) -> dict[str, float]:
        """The declared parameters, name → value, in table order."""
        return {row.name_edit.text().strip(): float(row.value_box.value()) for row in self._rows}

    def is_valid(self) -> bool:
        return self._parsed is not None

    def error(self) -> FormulaError | None:
        """What is wrong with the formula or a parameter; None while it parses.

        Its position and column count in the line edit's text as shown, leading spaces included.
        """
        return self._error

    def parsed(self) -> formulas.Formula | None:
        """The parsed formula (values and exact derivative), None while it does not parse."""
        return self._parsed

    def bad_row(self) -> int | None:
        """The parameter row the error is about, if any."""
        return self._bad_row

    def ok_button(self) -> QPushButton:
        return self.button_box.button(QDialogButtonBox.StandardButton.Ok)

    def param_count(self) -> int:
        return len(self._rows)

    def param_name_edit(self, row: int) -> QLineEdit:
        return self._row(row).name_edit

    def param_value_box(self, row: int) -> NumberBox:
        return self._row(row).value_box

    def param_remove_button(self, row: int) -> QToolButton:
        return self._row(row).remove_button

    # -- editing ---------------------------------------------------------------------------------------------
    def add_param(self, name: str = "", value: float = 1.0) -> int:
        """Add a parameter row (a free name when none is given) and return its row; at most MAX_PARAMS."""
        if len(self._rows) >= MAX_PARAMS:
            raise ValueError(f"a formula has at most {MAX_PARAMS} parameters")
        row = self._append_row(name or self._free_name(), value)
        self._validate()
        self._rows[row].name_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self._rows[row].name_edit.selectAll()
        return row

    def remove_param(self, row: int) -> None:
        """Remove parameter row ``row``."""
        self._row(row)
        self._rows.pop(row)
        self.param_table.removeRow(row)  # deletes the row's widgets
        self.add_param_button.setEnabled(len(self._rows) < MAX_PARAMS)
        self._fix_tab_order()
        self._validate()

    def accept(self) -> None:
        """OK: only a formula that parses closes the dialog; otherwise the problem is selected."""
        if self._parsed is None:
            self._select_error()
            return
        super().accept()

    # -- internals -------------------------------------------------------------------------------------------
    def _row(self, row: int) -> _ParamRow:
        if not 0 <= row < len(self._rows):
            raise ValueError(f"no parameter row {row}: the editor has {len(self._rows)} parameters")
        return self._rows[row]

    def _append_row(self, name: str, value: float) -> int:
        row = _ParamRow(name, value)
        index = len(self._rows)
        self._rows.append(row)
        self.param_table.insertRow(index)
        self.param_table.setCellWidget(index, 0, row.name_edit)
        self.param_table.setCellWidget(index, 1, row.value_box)
        self.param_table.setCellWidget(index, 2, row.remove_button)
        row.name_edit.textChanged.connect(lambda _text: self._validate())
        row.value_box.valueChanged.connect(lambda _value: self._validate())
        row.remove_button.clicked.connect(lambda: self.remove_param(self._rows.index(row)))
        self.add_param_button.setEnabled(len(self._rows) < MAX_PARAMS)
        self._fix_tab_order()
        return index

    def _fix_tab_order(self) -> None:
        """Tab goes top to bottom: formula, its fix, "+ parameter", each row (name, value, ✕), OK, Cancel."""
        chain = [self.formula_edit, self.add_missing_button, self.add_param_button]
        for row in self._rows:
            chain += [row.name_edit, row.value_box, row.remove_button]
        chain += [self.ok_button(), self.button_box.button(QDialogButtonBox.StandardButton.Cancel)]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _free_name(self) -> str:
        used = {row.name_edit.text().strip() for row in self._rows}
        candidates = [*"abcdefghijklmnopqrstuwyz", *(f"p{i}" for i in range(1, MAX_PARAMS + 2))]
        for name in candidates:
            if name not in used and _name_problem(name) is None:
                return name
        return f"p{MAX_PARAMS + 2}"  # pragma: no cover - more candidates than rows

    def _check_params(self) -> dict[str, float]:
        """The rows as name → value; FormulaError naming the first bad row (``_bad_row`` says which)."""
        values: dict[str, float] = {}
        for index, row in enumerate(self._rows):
            name = row.name_edit.text().strip()
            self._bad_row = index
            if not name:
                raise FormulaError(f"parameter {index + 1} has no name")
            if name in values:
                raise FormulaError(f"parameter name {name!r} is declared twice")
            problem = _name_problem(name)
            if problem is not None:
                raise problem
            values[name] = float(row.value_box.value())
        self._bad_row = None
        return values

    def _validate(self) -> None:
        """Parse what is typed now: preview it, or show what is wrong and where."""
        self._bad_row = None
        try:
            # the line as shown, outer spaces included: then every column the parser names (in the message and
            # its hint) is one the person can count, and the mark and selection land on what it names
            self._parsed = formulas.parse(self.formula_edit.text(), self._check_params())
            self._error = None
        except FormulaError as error:
            self._parsed, self._error = None, error
        self._show_state()

    def _show_state(self) -> None:
        error, parsed = self._error, self._parsed
        self.ok_button().setEnabled(parsed is not None)
        self.error_label.setText("" if error is None else str(error))
        self.error_label.setVisible(error is not None)
        for index, row in enumerate(self._rows):
            row.name_edit.setStyleSheet(
                f"border: 2px solid {ERROR_COLOURS[self._dark]};" if index == self._bad_row else ""
            )
        self._show_mark()
        self._show_missing_name()
        if parsed is None:
            self.derivative_label.setText("")
            self.derivative_label.setVisible(False)
            # the last good curve stays while the person types; the offending part is selected only when they
            # press Enter or OK, never under their cursor while they type
            self.preview.set_curve(*self._curve, "preview of the last valid formula")
            return
        derivative = parsed.derivative_text
        self.derivative_label.setToolTip(f"f′(x) = {derivative}")
        shown = derivative if len(derivative) <= 200 else derivative[:199] + "…"
        self.derivative_label.setText(f"f′(x) = {shown}")
        self.derivative_label.setVisible(True)
        f = parsed(PREVIEW_X)
        df = parsed.derivative(PREVIEW_X)
        self._curve = (PREVIEW_X, f, df)
        self.preview.set_curve(PREVIEW_X, f, df, "f(x) and f′(x) on [−5, 5]")

    def _show_mark(self) -> None:
        """A copy of the formula under the line edit with the offending token marked in the error colour."""
        error = self._error
        if error is None or error.position is None:
            self.mark_label.setText("")
            self.mark_label.setVisible(False)
            return
        text = self.formula_edit.text()
        start, length = error_span(text, error.position)
        left = max(0, start - MARK_CONTEXT)
        right = min(len(text), start + length + MARK_CONTEXT)
        colour = ERROR_COLOURS[self._dark]
        marked = html.escape(text[start : start + length]) if length else "&nbsp;"
        self.mark_label.setText(
            "<span style='white-space:pre'>"
            + ("…" if left > 0 else "")
            + html.escape(text[left:start])
            + f"<span style='background-color:{colour}; color:white'>{marked}</span>"
            + html.escape(text[start + length : right])
            + ("…" if right < len(text) else "")
            + "</span>"
        )
        self.mark_label.setVisible(True)

    def _show_missing_name(self) -> None:
        """Offer to declare an unknown name as a parameter when it could be one (and is not a likely typo)."""
        error = self._error
        match = _UNKNOWN_NAME.match(error.message) if error is not None else None
        name = match.group(1) if match and not error.hint.startswith("did you mean") else ""
        can_add = bool(name) and _name_problem(name) is None and len(self._rows) < MAX_PARAMS
        self._missing_name = name if can_add else ""
        self.add_missing_button.setText(f"Add “{name}” as a parameter" if can_add else "")
        self.add_missing_button.setVisible(can_add)

    def _select_error(self) -> None:
        """Select the offending part of the formula (or the bad parameter's name), ready to be retyped."""
        error = self._error
        if error is None:
            return
        if error.position is not None:
            start, length = error_span(self.formula_edit.text(), error.position)
            self.formula_edit.setSelection(start, length)
        elif self._bad_row is not None:
            self._rows[self._bad_row].name_edit.selectAll()

    def _sync_theme(self) -> None:
        self._dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        self.preview.set_dark(self._dark)
        self.error_label.setStyleSheet(f"color: {ERROR_COLOURS[self._dark]};")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "button_box"):
            self._sync_theme()
            self._show_state()
        super().changeEvent(event)


def _name_problem(name: str) -> FormulaError | None:
    """Why ``name`` cannot be a parameter (a function's name, x, reserved, not ASCII…), or None."""
    try:
        formulas.parse("x", {name: 0.0})
    except FormulaError as error:
        return error
    return None
