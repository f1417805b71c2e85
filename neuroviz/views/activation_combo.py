"""The activation combo box of a layer card: the catalogue's activations grouped by family under bold
headers, a "Custom" group for formulas, entries elided to the box's width; and the small text helpers the
layer editor shares (parameter names, ranges, tooltips). Split out of :mod:`neuroviz.views.layer_panel`,
which re-exports its public names.
"""

from __future__ import annotations

import contextlib
import html

from PySide6.QtCore import QEvent, QSignalBlocker, Qt
from PySide6.QtGui import QFont, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QWidget,
)

from neuroviz.model import activations

#: What an unbounded int parameter may be typed up to (QSpinBox's limit); float parameters take any finite number.
INT_LIMIT = 2**31 - 1
#: The value an optional limit (relu's max_value) starts from when the user ticks "limit".
OPTIONAL_START = 6.0
#: The combo box entry that opens the formula editor (its ACTIVATION_ROLE data; no activation has this name).
CUSTOM_CHOICE = "custom…"
CUSTOM_GROUP = "Custom"
#: Characters of a custom formula in its combo box entry and under it (the tooltips hold all of it). The box
#: itself elides the entry to its width.
COMBO_FORMULA_CHARS = 48
LABEL_FORMULA_CHARS = 80
#: Characters the activation combo box is sized for ("sparse_sigmoid"); longer entries are elided, so a long
#: formula never widens the panel.
COMBO_CHARS = 15

ACTIVATION_ROLE = Qt.ItemDataRole.UserRole + 1
USER_FOCUS_REASONS = (
    Qt.FocusReason.MouseFocusReason,
    Qt.FocusReason.TabFocusReason,
    Qt.FocusReason.BacktabFocusReason,
    Qt.FocusReason.ShortcutFocusReason,
)


def readable_name(param: str) -> str:
    """``negative_slope`` → ``negative slope``: parameter names as a person reads them."""
    return param.replace("_", " ")


def param_range_text(param: activations.Param) -> str:
    """The allowed range of a parameter, e.g. ``0 … ∞``."""
    low = "−∞" if param.minimum is None else f"{param.minimum:g}"
    high = "∞" if param.maximum is None else f"{param.maximum:g}"
    return f"{low} … {high}"


def elide(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the last one an ellipsis when anything was cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def activation_tooltip(act: activations.Activation) -> str:
    """Rich text (so Qt wraps it): the formula, then the guide."""
    return f"<b>{html.escape(act.name)}</b>: {html.escape(act.formula)}<br><br>{html.escape(act.guide)}"


class ActivationCombo(QComboBox):
    """Every activation of the catalogue, grouped under bold family headers that cannot be chosen.

    A last "Custom" group holds the "Custom…" entry (data :data:`CUSTOM_CHOICE`) and, above it, the layer's
    current activation when it is not a built-in one ("custom: <formula>").
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        model = QStandardItemModel(self)
        family = None
        for act in activations.catalog():
            if act.family != family:
                family = act.family
                model.appendRow(_header_item(family))
            item = QStandardItem(act.name)
            item.setData(act.name, ACTIVATION_ROLE)
            item.setToolTip(activation_tooltip(act))
            model.appendRow(item)
        model.appendRow(_header_item(CUSTOM_GROUP))
        choice = QStandardItem("Custom…")
        choice.setData(CUSTOM_CHOICE, ACTIVATION_ROLE)
        choice.setToolTip(
            "<b>Custom…</b>: type a formula of your own, e.g. x * sigmoid(beta * x), with parameters; "
            "f and f′ are previewed as you type."
        )
        model.appendRow(choice)
        self.setModel(model)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(COMBO_CHARS)
        self.setMaxVisibleItems(25)
        self.setToolTip("The activation function of this layer. Hover an entry for its formula and use.")
        self._colour_headers()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._colour_headers()
        super().changeEvent(event)

    def paintEvent(self, event) -> None:
        """As QComboBox, but the current text is elided ("custom: x * sigm…") instead of cut off."""
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        option.currentText = self._elided(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def shown_text(self) -> str:
        """The current entry's text as painted at the box's current width (elided when it does not fit)."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        return self._elided(option)

    def _elided(self, option: QStyleOptionComboBox) -> str:
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        return self.fontMetrics().elidedText(option.currentText, Qt.TextElideMode.ElideRight, max(field.width(), 0))

    def _colour_headers(self) -> None:
        """Headers are disabled (so they cannot be chosen) but should read as headings, not as faded text."""
        text = self.palette().brush(QPalette.ColorGroup.Active, QPalette.ColorRole.Text)
        model = self.model()
        for row in self.header_rows():
            model.item(row).setForeground(text)

    def set_activation(self, name: str, formula: str | None = None) -> None:
        """Show ``name`` (aliases too) without emitting.

        A name not in the registry (a custom layer, with its ``formula``) gets an entry of its own in the
        Custom group, "custom: <formula>" (elided; the tooltip has the whole formula).
        """
        with QSignalBlocker(self):
            self.setCurrentIndex(self._row_of(name, formula))

    def activation(self) -> str:
        data = self.currentData(ACTIVATION_ROLE)
        return str(data) if data is not None else ""

    def activation_names(self) -> list[str]:
        """The built-in activations listed, in order (family headers and the Custom group left out)."""
        model = self.model()
        names = [model.index(row, 0).data(ACTIVATION_ROLE) for row in range(self._custom_header_row())]
        return [n for n in names if n is not None]

    def custom_choice_row(self) -> int:
        """The row of the "Custom…" entry."""
        return self.model().rowCount() - 1

    def current_custom_text(self) -> str:
        """The text of the entry showing a non-built-in activation ("custom: <formula>"), "" when none."""
        row = self._extra_row()
        return "" if row is None else self.model().item(row).text()

    def header_rows(self) -> list[int]:
        model = self.model()
        return [row for row in range(model.rowCount()) if model.index(row, 0).data(ACTIVATION_ROLE) is None]

    def _custom_header_row(self) -> int:
        return self.model().rowCount() - 2 - (self._extra_row() is not None)

    def _extra_row(self) -> int | None:
        """The row showing a non-built-in activation, between the Custom header and "Custom…"."""
        model: QStandardItemModel = self.model()
        row = model.rowCount() - 2
        return row if model.index(row, 0).data(ACTIVATION_ROLE) is not None else None

    def _row_of(self, name: str, formula: str | None = None) -> int:
        with contextlib.suppress(ValueError):
            name = activations.get(name).name
        model: QStandardItemModel = self.model()
        extra = self._extra_row()
        for row in range(self._custom_header_row()):
            if model.index(row, 0).data(ACTIVATION_ROLE) == name:
                if extra is not None:  # a built-in activation again: the old custom entry goes
                    model.removeRow(extra)
                return row
        # a custom formula (or another activation not in the registry): list it so the layer shows what it has
        if extra is None:
            extra = self.custom_choice_row()
            model.insertRow(extra, QStandardItem())
        item = model.item(extra)
        item.setData(name, ACTIVATION_ROLE)
        if formula is None:
            item.setText(name)
            item.setToolTip(f"<b>{html.escape(name)}</b>: not one of the built-in activations")
        else:
            item.setText(f"{name}: {elide(formula, COMBO_FORMULA_CHARS)}")
            item.setToolTip(f"<b>{html.escape(name)}</b>: f(x) = {html.escape(formula)}")
        return extra


def _header_item(family: str) -> QStandardItem:
    item = QStandardItem(family)
    item.setFlags(Qt.ItemFlag.NoItemFlags)  # not selectable, not enabled: arrows and clicks skip it
    font = QFont()
    font.setBold(True)
    item.setFont(font)
    item.setToolTip(family)
    return item
