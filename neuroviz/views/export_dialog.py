"""File ▸ Export…: choose what to export (a view or a table), the format and its options. Remembers the last choice."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from neuroviz.exports import TABLES, VIEWS

#: (key, label, is a picture). Pictures go to PNG or SVG, tables to CSV. From the one registry.
TARGETS = tuple((key, view.label, True) for key, view in VIEWS.items()) + tuple(
    (key, label, False) for key, label in TABLES.items()
)


@dataclass(frozen=True)
class ExportChoice:
    target: str
    fmt: str  # "png", "svg" or "csv"
    scale: float
    transparent: bool
    sweep_input: int  # 0-based
    steps: int

    @property
    def suffix(self) -> str:
        return "." + self.fmt


class ExportDialog(QDialog):
    def __init__(self, input_names: list[str], settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self._settings = settings
        self.target_box = QComboBox()
        for key, label, _ in TARGETS:
            self.target_box.addItem(label, key)
        self.target_box.setToolTip("What to export: a picture of a view, or the numbers behind it")
        self.format_box = QComboBox()
        self.format_box.setToolTip("PNG for slides and documents; SVG for vector graphics (Inkscape, browsers)")
        self.scale_box = QDoubleSpinBox()
        self.scale_box.setRange(1.0, 4.0)
        self.scale_box.setSingleStep(0.5)
        self.scale_box.setSuffix(" ×")
        self.scale_box.setToolTip("Pixel scale of the PNG: 2× or more for sharp slides")
        self.transparent_box = QCheckBox("Transparent background")
        self.transparent_box.setToolTip("Picture without the theme's background colour")
        self.sweep_input_box = QComboBox()
        self.sweep_input_box.addItems(input_names)
        self.sweep_input_box.setToolTip("The input swept over its range; the others keep their current values")
        self.steps_box = QSpinBox()
        self.steps_box.setRange(2, 100_000)
        self.steps_box.setToolTip("Number of rows of the sweep")
        self.note = QLabel()
        self.note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Export…")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&What:", self.target_box)
        form.addRow("&Format:", self.format_box)
        form.addRow("&Scale:", self.scale_box)
        form.addRow("", self.transparent_box)
        form.addRow("Swept &input:", self.sweep_input_box)
        form.addRow("S&teps:", self.steps_box)
        form.addRow(self.note)
        form.addRow(buttons)
        self.target_box.currentIndexChanged.connect(self._update_enabled)
        self.format_box.currentIndexChanged.connect(self._update_enabled)
        self._restore()
        self._update_enabled()

    def _is_picture(self) -> bool:
        return TARGETS[self.target_box.currentIndex()][2]

    def _update_enabled(self) -> None:
        picture = self._is_picture()
        wanted = ["PNG", "SVG"] if picture else ["CSV"]
        if [self.format_box.itemText(i) for i in range(self.format_box.count())] != wanted:
            previous = self.format_box.currentText()
            self.format_box.blockSignals(True)
            self.format_box.clear()
            self.format_box.addItems(wanted)
            if previous in wanted:
                self.format_box.setCurrentText(previous)
            self.format_box.blockSignals(False)
        png = picture and self.format_box.currentText() == "PNG"
        self.scale_box.setEnabled(png)
        self.transparent_box.setEnabled(picture)
        sweep = self.target_box.currentData() == "sweep"
        self.sweep_input_box.setEnabled(sweep)
        self.steps_box.setEnabled(sweep)
        self.note.setText(
            "CSV files use a '.' decimal point and full precision, with a header row." if not picture else ""
        )

    def choice(self) -> ExportChoice:
        return ExportChoice(
            target=self.target_box.currentData(),
            fmt=self.format_box.currentText().lower(),
            scale=self.scale_box.value(),
            transparent=self.transparent_box.isChecked(),
            sweep_input=max(self.sweep_input_box.currentIndex(), 0),
            steps=self.steps_box.value(),
        )

    def _restore(self) -> None:
        """The last accepted choice; a value the settings file holds in a bad form falls back to the default."""
        s = self._settings
        index = self.target_box.findData(s.value("export/target", "network"))
        self.target_box.setCurrentIndex(max(index, 0))
        self._update_enabled()
        self.format_box.setCurrentText(str(s.value("export/format", "PNG")))
        self.scale_box.setValue(_number(s.value("export/scale"), 2.0))
        self.transparent_box.setChecked(str(s.value("export/transparent", "false")).lower() in ("true", "1"))
        sweep_input = int(_number(s.value("export/sweep_input"), 0))
        if 0 <= sweep_input < self.sweep_input_box.count():  # another network may have fewer inputs
            self.sweep_input_box.setCurrentIndex(sweep_input)
        self.steps_box.setValue(int(_number(s.value("export/steps"), 101)))

    def _accept(self) -> None:
        c = self.choice()
        s = self._settings
        s.setValue("export/target", c.target)
        s.setValue("export/format", self.format_box.currentText())
        s.setValue("export/scale", c.scale)
        s.setValue("export/transparent", c.transparent)
        s.setValue("export/sweep_input", c.sweep_input)
        s.setValue("export/steps", c.steps)
        self.accept()


def _number(value: object, default: float) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    return number if math.isfinite(number) else default
