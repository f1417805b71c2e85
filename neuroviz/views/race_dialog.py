"""The Race Activations window: which activations race, for how many epochs, their loss curves overlaid and one
small output map each, and the contender to keep.

A dumb view: the presenter gives it the contenders' names, curves and pictures; it emits what the person asks for.
It is a non-modal dialog, so the main window stays usable while a race runs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from neuroviz.views.colors import theme
from neuroviz.views.map_output import OutputMapView
from neuroviz.views.map_view import diverging_rgba
from neuroviz.views.training_charts import SeriesChart

#: How the activations are labelled in the check boxes (silu is Keras' name of swish).
LABELS = {"silu": "swish (silu)", "custom": "custom formula"}
MAP_SIZE = 120


class RaceDialog(QDialog):
    """Choices on top, the loss chart in the middle, the contenders' output maps and Keep below."""

    startRequested = Signal(list, int)  # activation names, epochs
    stopRequested = Signal()
    keepRequested = Signal(str)
    cancelRequested = Signal()
    exportRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Race Activations")
        self.setObjectName("raceDialog")
        self.setModal(False)
        self._boxes: dict[str, QCheckBox] = {}
        self._dark = False
        self._running = False
        layout = QVBoxLayout(self)

        self.choices = QGroupBox("Activation of every hidden layer")
        self._choice_row = QHBoxLayout(self.choices)
        layout.addWidget(self.choices)

        controls = QHBoxLayout()
        controls.addWidget(QLabel("Epochs"))
        self.epochs_box = QSpinBox()
        self.epochs_box.setRange(1, 10000)
        self.epochs_box.setValue(100)
        self.epochs_box.setAccessibleName("epochs")
        self.epochs_box.setToolTip("How many epochs every contender trains")
        controls.addWidget(self.epochs_box)
        self.race_button = QPushButton("Race")
        self.race_button.setDefault(True)
        self.race_button.setToolTip("Train a copy of the network per chosen activation, side by side")
        self.race_button.clicked.connect(self._on_race_clicked)
        controls.addWidget(self.race_button)
        self.progress_label = QLabel(" ")
        controls.addWidget(self.progress_label, 1)
        layout.addLayout(controls)

        self.fairness_label = QLabel(" ")
        self.fairness_label.setWordWrap(True)
        self.fairness_label.setObjectName("raceFairness")
        layout.addWidget(self.fairness_label)

        self.chart = SeriesChart("loss", log_option=True)
        self.chart.setMinimumHeight(220)
        layout.addWidget(self.chart, 1)

        self.maps = pg.GraphicsLayoutWidget()
        self.maps.setFixedHeight(MAP_SIZE + 48)
        self.maps.setToolTip("Each contender's output over the first two inputs, as in the Output Map")
        layout.addWidget(self.maps)
        self._map_boxes: list[tuple[pg.LabelItem, pg.ViewBox, pg.ImageItem]] = []

        bottom = QHBoxLayout()
        self.message_label = QLabel(" ")
        self.message_label.setWordWrap(True)
        bottom.addWidget(self.message_label, 1)
        bottom.addWidget(QLabel("Keep"))
        self.keep_combo = QComboBox()
        self.keep_combo.setAccessibleName("contender to keep")
        self.keep_combo.setToolTip("The contender that replaces the current network (the winner is chosen first)")
        bottom.addWidget(self.keep_combo)
        self.keep_button = QPushButton("Keep")
        self.keep_button.setToolTip(
            "Replace the current network by this contender's activations and weights (undoable)"
        )
        self.keep_button.clicked.connect(lambda: self.keepRequested.emit(self.keep_combo.currentData() or ""))
        bottom.addWidget(self.keep_button)
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save the loss curves as a PNG or SVG picture, or their numbers as CSV")
        self.export_button.clicked.connect(self.exportRequested)
        bottom.addWidget(self.export_button)
        self.close_button = QPushButton("Close")
        self.close_button.setToolTip("Stop the race and close; the network stays as it is")
        self.close_button.clicked.connect(self.reject)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)
        self.set_contenders([], "")
        self.resize(760, 680)

    # -- what the presenter sets -------------------------------------------------------------------------------
    def set_choices(self, names: Sequence[str], checked: Sequence[str]) -> None:
        """The activations that may race (check boxes), those in ``checked`` ticked."""
        for box in self._boxes.values():
            self._choice_row.removeWidget(box)
            box.deleteLater()
        self._boxes = {}
        for name in names:
            box = QCheckBox(LABELS.get(name, name))
            box.setChecked(name in checked)
            box.setToolTip(f"Race a copy with {LABELS.get(name, name)} in every hidden layer")
            self._choice_row.addWidget(box)
            self._boxes[name] = box

    def chosen(self) -> list[str]:
        return [name for name, box in self._boxes.items() if box.isChecked()]

    def set_choice(self, name: str, on: bool) -> None:
        self._boxes[name].setChecked(on)

    def choice_names(self) -> list[str]:
        return list(self._boxes)

    def set_running(self, running: bool) -> None:
        self._running = running
        self.race_button.setText("Stop" if running else "Race")
        self.choices.setEnabled(not running)
        self.epochs_box.setEnabled(not running)

    def set_fairness(self, text: str) -> None:
        self.fairness_label.setText(text or " ")

    def set_progress(self, text: str) -> None:
        self.progress_label.setText(text or " ")

    def set_message(self, text: str) -> None:
        self.message_label.setText(text or " ")

    def message(self) -> str:
        return self.message_label.text().strip()

    def set_contenders(self, names: Sequence[str], winner: str) -> None:
        """Who can be kept; ``winner`` is selected."""
        current = [self.keep_combo.itemData(i) for i in range(self.keep_combo.count())]
        if current != list(names):
            self.keep_combo.clear()
            for name in names:
                self.keep_combo.addItem(LABELS.get(name, name), name)
        if winner:
            self.keep_combo.setCurrentIndex(max(0, self.keep_combo.findData(winner)))
        self.keep_combo.setEnabled(bool(names))
        self.keep_button.setEnabled(bool(names))
        self.export_button.setEnabled(bool(names))

    def set_curves(self, epochs: np.ndarray, series: dict[str, np.ndarray], label: str = "loss") -> None:
        """One curve per contender, named by its activation; ``label`` names the value axis."""
        self.chart.plot.setLabel("left", label)
        self.chart.set_series(epochs, series)

    def set_single_maps(self, titles: Sequence[str], values: Sequence[np.ndarray], centre: float, half: float) -> None:
        """One output per contender: its values around ``centre`` on ±``half`` (the Output Map's colours)."""
        pictures = [diverging_rgba(np.asarray(v, dtype=np.float64) - centre, half, self._dark) for v in values]
        self._set_pictures(titles, pictures)

    def set_class_maps(
        self, titles: Sequence[str], winners: Sequence[np.ndarray], strengths: Sequence[np.ndarray], count: int
    ) -> None:
        """Several outputs: the most likely output per point and how sure (the Output Map's colours)."""
        pictures = [
            OutputMapView.class_rgba(w, s, count, False, self._dark) for w, s in zip(winners, strengths, strict=True)
        ]
        self._set_pictures(titles, pictures)

    def map_titles(self) -> list[str]:
        """The titles over the maps, one line each ("★ tanh · loss 0.0123")."""
        return [label.text.replace("<br>", " · ") for label, _, _ in self._map_boxes]

    def map_images(self) -> list[np.ndarray]:
        """The RGBA pictures shown (rows from the lowest y), for tests."""
        return [image.image for _, _, image in self._map_boxes]

    def set_dark(self, dark: bool) -> None:
        self._dark = dark
        th = theme(dark)
        self.chart.set_dark(dark)
        self.maps.setBackground(th.background)
        for label, _, _ in self._map_boxes:
            label.setText(label.text, color=th.foreground)

    # -- internals ---------------------------------------------------------------------------------------------
    def _set_pictures(self, titles: Sequence[str], pictures: Sequence[np.ndarray]) -> None:
        if len(self._map_boxes) != len(titles):
            self.maps.clear()
            self._map_boxes = []
            grid = self.maps.ci.layout
            for column in range(len(titles)):
                label = self.maps.addLabel("", row=0, col=column)
                box = self.maps.addViewBox(row=1, col=column, lockAspect=True, enableMouse=False)
                box.setMenuEnabled(False)
                image = pg.ImageItem(axisOrder="row-major")
                box.addItem(image)
                self._map_boxes.append((label, box, image))
                grid.setColumnStretchFactor(column, 1)  # equal columns: every picture the same size
                grid.setColumnPreferredWidth(column, 1)
            grid.setRowFixedHeight(0, 34)  # two lines of title, then the pictures take the rest
        colour = theme(self._dark).foreground
        for (label, box, image), title, rgba in zip(self._map_boxes, titles, pictures, strict=True):
            label.setText(title.replace(" · ", "<br>"), color=colour, size="9pt")
            image.setImage(rgba, autoLevels=False)
            box.autoRange(padding=0.02)

    def _on_race_clicked(self) -> None:
        if self._running:
            self.stopRequested.emit()
        else:
            self.startRequested.emit(self.chosen(), self.epochs_box.value())

    def reject(self) -> None:
        """Close (Escape, the Close button, the title bar): the race stops and is forgotten."""
        self.cancelRequested.emit()
        super().reject()
