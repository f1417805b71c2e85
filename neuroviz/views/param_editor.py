"""The editor of one activation parameter in a layer card: a number box, a spin box, a check box, or a
"limit" check box plus a number box for an optional limit, with a warning mark. Split out of
:mod:`neuroviz.views.layer_panel`; float parameters are edited in :class:`~neuroviz.views.number_box.NumberBox`
so a value read from a file is shown and kept exactly.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QSignalBlocker
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QStyle,
    QWidget,
)

from neuroviz.model import activations
from neuroviz.views.activation_combo import INT_LIMIT, OPTIONAL_START, param_range_text, readable_name
from neuroviz.views.number_box import FLOAT_MAX, NumberBox


class _ParamEditor:
    """The editor of one parameter: a spin box, a check box, or a "limit" check box plus a spin box."""

    def __init__(self, param: activations.Param, on_edit) -> None:
        self.param = param
        self._on_edit = on_edit
        self.limit_box: QCheckBox | None = None
        self.tooltip = tip = _param_tooltip(param)
        #: A warning sign beside the editor while the value is outside the parameter's meaningful range.
        self.mark = _warning_icon()
        self.mark.hide()
        # a check box carries its own text, so its form label stays empty
        self.label = QLabel("" if param.kind == "bool" else readable_name(param.name))
        self.label.setToolTip(tip)
        if param.kind == "bool":
            self.editor = QCheckBox(readable_name(param.name))
            self.editor.setToolTip(tip)
            self.editor.toggled.connect(lambda on: self._on_edit(param.name, bool(on)))
            self.widget: QWidget = _row(self.editor, self.mark)
            return
        if param.kind == "int":
            self.editor = QSpinBox()
            low = int(param.minimum) if param.minimum is not None else -INT_LIMIT
            high = int(param.maximum) if param.maximum is not None else INT_LIMIT
            self.editor.setRange(low, high)
            self.editor.valueChanged.connect(lambda v: self._on_edit(param.name, int(v)))
        else:
            self.editor = _float_box(param)
            self.editor.valueChanged.connect(self._on_value)
        self.editor.setKeyboardTracking(False)  # typing "0.25" is one edit
        self.editor.setToolTip(tip)
        if param.kind == "optional_float":
            self.limit_box = QCheckBox("limit")
            self.limit_box.setToolTip(f"Tick to limit {readable_name(param.name)}; unticked means none. {tip}")
            self.limit_box.toggled.connect(self._on_limit_toggled)
            self.widget = _row(self.limit_box, self.editor, self.mark)
        else:
            self.widget = _row(self.editor, self.mark)
        if param.kind == "per_neuron":
            self.label.setText(f"{readable_name(param.name)} (all neurons)")

    def controls(self) -> list[QWidget]:
        return [w for w in (self.limit_box, self.editor) if w is not None]

    def set_warning(self, warning: str | None) -> None:
        """Mark the value as outside its meaningful range, saying why (mark and tooltips), or clear the mark."""
        self.mark.setVisible(bool(warning))
        self.mark.setToolTip(warning or "")
        self.mark.setAccessibleName(f"Warning: {warning}" if warning else "")
        self.editor.setToolTip(f"{self.tooltip}\n\n⚠ {warning}" if warning else self.tooltip)

    def show(self, value: Any) -> None:
        """Put a model value into the editor without emitting."""
        if value is None and self.param.kind != "optional_float":
            return
        blockers = [QSignalBlocker(w) for w in self.controls()]
        kind = self.param.kind
        if kind == "bool":
            self.editor.setChecked(bool(value))
        elif kind == "int":
            self.editor.setValue(int(value))
        elif kind == "optional_float":
            self.limit_box.setChecked(value is not None)
            self.editor.setEnabled(value is not None)
            if value is not None:
                self.editor.setValue(float(value))
        elif kind == "per_neuron" and np.ndim(value) > 0:
            values = np.asarray(value, dtype=float)
            same = values.size == 0 or bool(np.all(values == values.flat[0]))
            self.editor.setPrefix("" if same else "mean ")
            self.editor.setValue(float(values.mean()) if values.size else float(self.param.default or 0.0))
        else:
            self.editor.setPrefix("")
            self.editor.setValue(float(value))
        del blockers

    def _on_value(self, value: float) -> None:
        self.editor.setPrefix("")
        self._on_edit(self.param.name, float(value))

    def _on_limit_toggled(self, on: bool) -> None:
        self.editor.setEnabled(on)
        self._on_edit(self.param.name, float(self.editor.value()) if on else None)


def _param_tooltip(param: activations.Param) -> str:
    """The parameter's meaning and, for a number, its range (a check box has none)."""
    if param.kind == "bool":
        return param.doc or readable_name(param.name)
    where = f"range {param_range_text(param)}"
    return f"{param.doc} ({where})" if param.doc else where


def _row(*widgets: QWidget) -> QWidget:
    """The widgets side by side; the editor (the one before the mark) takes the width."""
    host = QWidget()
    row = QHBoxLayout(host)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(4)
    for widget in widgets:
        row.addWidget(widget, 1 if widget is widgets[-2] else 0)
    return host


#: The warning sign by size in pixels: drawn once, as every parameter editor of every rebuilt card has one.
_WARNING_PIXMAPS: dict[int, QPixmap] = {}


def _warning_icon() -> QLabel:
    """A small warning sign from the style (it reads the same in light and dark themes)."""
    label = QLabel()
    size = label.fontMetrics().height()
    if size not in _WARNING_PIXMAPS:
        icon = label.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        _WARNING_PIXMAPS[size] = icon.pixmap(size, size)
    label.setPixmap(_WARNING_PIXMAPS[size])
    label.setFixedSize(size, size)
    return label


def _float_box(param: activations.Param) -> NumberBox:
    low = param.minimum if param.minimum is not None else -FLOAT_MAX
    high = param.maximum if param.maximum is not None else FLOAT_MAX
    box = NumberBox(minimum=low, maximum=high)
    span = high - low
    box.setSingleStep(0.01 if span <= 1 else 0.1)
    if param.kind == "optional_float":
        start = param.default if param.default is not None else OPTIONAL_START
        box.setValue(min(max(start, low), high))
    return box


def _generic_param(name: str, value: Any) -> activations.Param:
    """A stand-in description for a parameter of an activation not in the registry (a custom formula)."""
    kind = "bool" if isinstance(value, bool) else "float"
    return activations.Param(name, value, "formula parameter", kind=kind)
