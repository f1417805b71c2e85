"""A layer card's "Regularizer" row: a small toggle that opens two boxes, the L1 and L2 factors of the layer's
kernel regularizer (Keras' L1L2). Hidden behind the toggle because most layers have none; a layer that has one shows
it open, and the toggle's text says the values even when closed."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from neuroviz.model.display import format_value
from neuroviz.views.number_box import FLOAT_MAX, NumberBox


class RegularizerRow(QWidget):
    """Emits ``changed(l1, l2)`` when the person edits either factor (not when :meth:`show_values` sets them)."""

    changed = Signal(float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setToolTip("The penalty training adds for this layer's weights: l1·Σ|w| + l2·Σw² (Keras' L1L2)")
        self.toggle.toggled.connect(self._on_toggled)
        self.boxes = QWidget()
        line = QHBoxLayout(self.boxes)  # one line, L1 and L2 side by side: a pair, not two more parameters
        line.setContentsMargins(16, 0, 0, 0)
        self.l1_box = self._box("L1", "l1·Σ|w|: pushes weights to exactly 0")
        self.l2_box = self._box("L2", "l2·Σw²: keeps weights small (weight decay)")
        for name, box in (("L1", self.l1_box), ("L2", self.l2_box)):
            label = QLabel(name)
            label.setToolTip(box.toolTip())
            line.addWidget(label)
            line.addWidget(box, 1)
        self.boxes.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.boxes)
        self._values = (0.0, 0.0)
        self._update_text()

    def show_values(self, l1: float, l2: float) -> None:
        """The layer's factors, without emitting; a layer with a regularizer shows the boxes."""
        had = self._values != (0.0, 0.0)
        self._values = (float(l1), float(l2))
        for box, value in ((self.l1_box, l1), (self.l2_box, l2)):
            with QSignalBlocker(box):
                box.setValue(float(value))
        if self._values != (0.0, 0.0) and not had:
            self.toggle.setChecked(True)
        self._update_text()

    def values(self) -> tuple[float, float]:
        return self._values

    def set_layer_name(self, name: str) -> None:
        for box, which in ((self.l1_box, "L1"), (self.l2_box, "L2")):
            box.setAccessibleName(f"{which} regularizer of {name}")

    def _box(self, name: str, tip: str) -> NumberBox:
        box = NumberBox(minimum=0.0, maximum=FLOAT_MAX)
        box.setSingleStep(0.001)
        box.setToolTip(f"{tip}. 0 = none; typical 1e-4 to 1e-2.")
        box.valueChanged.connect(self._on_edited)
        return box

    def _on_edited(self, _value: float) -> None:
        values = (float(self.l1_box.value()), float(self.l2_box.value()))
        if values != self._values:
            self._values = values
            self._update_text()
            self.changed.emit(*values)

    def _on_toggled(self, on: bool) -> None:
        self.boxes.setVisible(on)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)

    def _update_text(self) -> None:
        l1, l2 = self._values
        parts = [f"{name} {format_value(v)}" for name, v in (("L1", l1), ("L2", l2)) if v]
        self.toggle.setText("Regularizer: " + ", ".join(parts) if parts else "Regularizer: none")
