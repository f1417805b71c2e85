"""Edit ▸ Re-initialize Weights: which layer, which Keras initializer, which seed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QSpinBox, QWidget

from neuroviz.model import initializers

_TIPS = {
    "glorot_uniform": "Keras Dense's default; keeps variance for tanh/sigmoid",
    "he_normal": "for ReLU layers: variance 2 / fan_in",
    "he_uniform": "for ReLU layers: variance 2 / fan_in",
    "lecun_normal": "what SELU needs to self-normalise",
}


class ReinitializeDialog(QDialog):
    def __init__(self, n_layers: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Re-initialize weights")
        self.layer_box = QComboBox()
        self.layer_box.addItem("All layers", None)
        for k in range(1, n_layers + 1):
            self.layer_box.addItem(f"Layer {k}", k)
        self.layer_box.setCurrentIndex(0)
        self.layer_box.setToolTip("Which layer's weights to draw again (biases are set to zero)")
        self.initializer_box = QComboBox()
        for i, name in enumerate(initializers.names()):
            self.initializer_box.addItem(name)
            self.initializer_box.setItemData(i, _TIPS.get(name, name), Qt.ToolTipRole)
        self.initializer_box.setToolTip("Keras initializer used for the weights")
        self.seed_box = QSpinBox()
        self.seed_box.setRange(0, 2**31 - 1)
        self.seed_box.setValue(0)
        self.seed_box.setToolTip("The same seed always gives the same weights")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Layer:", self.layer_box)
        form.addRow("&Initializer:", self.initializer_box)
        form.addRow("&Seed:", self.seed_box)
        form.addRow(buttons)

    def choice(self) -> tuple[int | None, str, int]:
        """(layer position or None for all, initializer name, seed)."""
        return self.layer_box.currentData(), self.initializer_box.currentText(), self.seed_box.value()
