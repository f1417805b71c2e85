"""The row above the activation plot: compare with another activation, and the z probe.

A dumb view: it says what the person chose or typed (``compareChanged(name)``, ``probeChanged(text)``) and shows
the result it is given (``show_probe``); the presenter computes.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QWidget

from neuroviz.views import colors

NO_COMPARISON = ""


class PlotTools(QWidget):
    """ "Compare with" (an activation's curve over the plot) and "Probe z" (f of a typed vector) for the plot."""

    compareChanged = Signal(str)
    probeChanged = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.compare_box = QComboBox()
        self.compare_box.setObjectName("compareActivation")
        self.compare_box.setToolTip(
            "Draw another activation (with its default parameters) and its derivative over the plot, "
            "dotted, to compare the two"
        )
        self.compare_box.setAccessibleName("Compare with activation")
        self.compare_box.addItem("nothing", NO_COMPARISON)
        self.compare_box.currentIndexChanged.connect(lambda _i: self.compareChanged.emit(self.compared()))
        self.probe_edit = QLineEdit()
        self.probe_edit.setObjectName("probeZ")
        self.probe_edit.setPlaceholderText("type pre-activations, e.g. -10, -5, 0, 5, 10")
        self.probe_edit.setClearButtonEnabled(True)
        self.probe_edit.setToolTip(
            "The z probe: numbers typed here are taken as the selected layer's pre-activations z; the result "
            "f(z) of its activation, with its parameters, is shown below and marked on the plot"
        )
        self.probe_edit.setAccessibleName("Probe pre-activations z")
        self.probe_edit.textChanged.connect(self.probeChanged.emit)
        self.result_label = QLabel()
        self.result_label.setObjectName("probeResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QGridLayout(self)
        layout.setContentsMargins(6, 4, 6, 0)
        layout.setHorizontalSpacing(6)
        layout.setVerticalSpacing(2)
        compare_label = QLabel("&Compare with:")
        compare_label.setBuddy(self.compare_box)
        probe_label = QLabel("&Probe z:")
        probe_label.setBuddy(self.probe_edit)
        layout.addWidget(compare_label, 0, 0)
        layout.addWidget(self.compare_box, 0, 1)
        layout.addWidget(probe_label, 0, 2)
        layout.addWidget(self.probe_edit, 0, 3)
        layout.addWidget(self.result_label, 1, 0, 1, 4)
        layout.setColumnStretch(3, 1)
        self.result_label.hide()
        self._dark = False
        self._error = False

    def set_activation_names(self, names: Sequence[str]) -> None:
        """The activations one can compare with (elementwise ones: they have a curve of one z)."""
        current = self.compared()
        self.compare_box.blockSignals(True)
        self.compare_box.clear()
        self.compare_box.addItem("nothing", NO_COMPARISON)
        for name in names:
            self.compare_box.addItem(name, name)
        index = self.compare_box.findData(current)
        self.compare_box.setCurrentIndex(max(index, 0))
        self.compare_box.blockSignals(False)

    def compared(self) -> str:
        """The activation chosen for comparison, '' for none."""
        return self.compare_box.currentData() or NO_COMPARISON

    def set_compared(self, name: str) -> None:
        self.compare_box.setCurrentIndex(max(self.compare_box.findData(name), 0))

    def probe_text(self) -> str:
        return self.probe_edit.text()

    def show_probe(self, text: str, error: bool = False) -> None:
        """The probe's result (or what is wrong with the typed text, in the error colour); '' hides it."""
        self.result_label.setVisible(bool(text))
        self.result_label.setText(text)
        self._error = error
        self.result_label.setStyleSheet(f"color: {colors.ERROR_TEXT[self._dark]};" if error else "")

    def set_dark(self, dark: bool) -> None:
        self._dark = bool(dark)
        self.show_probe(self.result_label.text(), self._error)

    def probe_result(self) -> str:
        """The result line as shown ('' when hidden)."""
        return self.result_label.text() if self.result_label.isVisibleTo(self) else ""
