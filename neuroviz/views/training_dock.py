"""The Training dock: the data set, the training settings, Play/Step/Reset and the numbers of the run.

A dumb view: it shows what the training presenter gives it and emits what the person asks for. Changes made by
the program are never echoed back as signals (the presenter sets values under ``QSignalBlocker``).
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

#: Data sets in the combo box: key → shown text. A CSV file gets an entry of its own when one is loaded.
DATASETS = {
    "circle": "Circle",
    "xor": "XOR",
    "gauss": "Gaussian",
    "spiral": "Spiral",
    "plane": "Plane (regression)",
    "multi_gauss": "Multi-Gaussian (regression)",
    "iris": "Iris (4 measurements, 3 species)",
}
#: Playground's features as shown on the toggles.
FEATURE_LABELS = {
    "x1": "x₁",
    "x2": "x₂",
    "x1^2": "x₁²",
    "x2^2": "x₂²",
    "x1*x2": "x₁·x₂",
    "sin(x1)": "sin x₁",
    "sin(x2)": "sin x₂",
}
LOSS_LABELS = {
    "binary_crossentropy": "Binary cross-entropy",
    "categorical_crossentropy": "Categorical cross-entropy",
    "sparse_categorical_crossentropy": "Sparse categorical cross-entropy",
    "mean_squared_error": "Mean squared error",
    "mean_absolute_error": "Mean absolute error",
    "hinge": "Hinge",
}
#: Each optimizer's parameters besides the learning rate: Keras name → (label, default, low, high, decimals, tip).
OPTIMIZER_PARAMS = {
    "sgd": {"momentum": ("Momentum", 0.0, 0.0, 1.0, 3, "Keeps a share of the last step: m = μ·m − lr·g")},
    "adam": {
        "beta_1": ("β₁", 0.9, 0.0, 0.999, 3, "Decay of the mean of the gradients"),
        "beta_2": ("β₂", 0.999, 0.0, 0.9999, 4, "Decay of the mean of the squared gradients"),
    },
    "rmsprop": {
        "rho": ("ρ", 0.9, 0.0, 0.999, 3, "Decay of the mean of the squared gradients"),
        "momentum": ("Momentum", 0.0, 0.0, 1.0, 3, "Momentum on top of the scaled step"),
    },
    "adagrad": {
        "initial_accumulator_value": ("Initial accumulator", 0.1, 0.0, 10.0, 3, "Where the sum of squares starts"),
    },
}
OPTIMIZER_LABELS = {"sgd": "SGD", "adam": "Adam", "rmsprop": "RMSprop", "adagrad": "Adagrad"}
DATASET_TIP = "The data set to learn: Playground's six, iris, or a CSV file of your own"
LOSS_TIP = 'What training minimises; "(suggested)" follows the output layer\'s activation'


class TrainingDock(QScrollArea):
    """Data, settings, controls and numbers of the window's training run."""

    #: The person picked a data set in the combo box (a DATASETS key).
    datasetChosen = Signal(str)
    #: Noise (0–0.5), training share (0.1–0.9) or seed changed, or Regenerate was pressed.
    dataParamsChanged = Signal(float, float, int)
    openDatasetRequested = Signal()
    featuresChanged = Signal(tuple)
    fitRequested = Signal()
    #: Any training setting changed: a dict with loss, optimizer, learning_rate, options, batch_size,
    #: epochs_per_frame.
    settingsChanged = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(6, 4, 6, 6)
        self.controls = self._build_controls()
        column.addWidget(self.controls)
        column.addWidget(self._build_data())
        column.addWidget(self._build_settings())
        column.addStretch(1)
        for combo in (self.dataset_combo, self.loss_combo, self.optimizer_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        self.setWidget(body)
        self._show_full_names()

    # -- construction ----------------------------------------------------------------------------------------------
    def _build_controls(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        self.play_button, self.step_button, self.reset_button = QToolButton(), QToolButton(), QToolButton()
        self.race_button = QToolButton()
        for button in (self.play_button, self.step_button, self.reset_button, self.race_button):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setMinimumWidth(56)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.epoch_label = QLabel()
        self.epoch_label.setObjectName("trainingEpoch")
        font = self.epoch_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.epoch_label.setFont(font)
        numbers = QGridLayout()
        numbers.setHorizontalSpacing(10)
        numbers.setVerticalSpacing(1)
        numbers.addWidget(self.epoch_label, 0, 0)
        for column, text in enumerate(("training", "test"), start=1):
            header = QLabel(text)
            header.setEnabled(False)
            numbers.addWidget(header, 0, column, alignment=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
        self.number_labels: dict[str, QLabel] = {}
        self.row_labels: dict[str, QLabel] = {}
        for row, (name, text) in enumerate((("loss", "Loss"), ("accuracy", "Accuracy")), start=1):
            self.row_labels[name] = QLabel(text)
            numbers.addWidget(self.row_labels[name], row, 0)
            for column, prefix in enumerate(("", "val_"), start=1):
                label = QLabel("–")
                label.setAlignment(Qt.AlignmentFlag.AlignRight)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.number_labels[prefix + name] = label
                numbers.addWidget(label, row, column)
        numbers.setColumnStretch(0, 1)
        numbers.setColumnStretch(1, 1)
        numbers.setColumnStretch(2, 1)
        layout.addLayout(numbers)
        self.message_label = QLabel()
        self.message_label.setObjectName("trainingMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("color: #c0392b")
        self.message_label.hide()
        layout.addWidget(self.message_label)
        self.set_numbers(0, {})
        return box

    def _build_data(self) -> QGroupBox:
        group = QGroupBox("Data")
        form = QFormLayout(group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.dataset_combo = QComboBox()
        self.dataset_combo.setToolTip(DATASET_TIP)
        self.dataset_combo.addItem("None: choose one", "")
        for key, text in DATASETS.items():
            self.dataset_combo.addItem(text, key)
        self.dataset_combo.activated.connect(self._on_dataset_activated)
        self.dataset_combo.currentIndexChanged.connect(self._show_full_names)
        self.open_button = QPushButton("CSV…")
        self.open_button.setToolTip("Open a CSV table of your own (Data ▸ Open Dataset…)")
        self.open_button.clicked.connect(self.openDatasetRequested)
        _add_wide_row(form, "Data set", self.dataset_combo, self.open_button)
        self.noise_slider, self.noise_label = self._slider(0, 50, 0, "Noise added to the points (Playground's 0–50 %)")
        form.addRow("Noise", self._with_label(self.noise_slider, self.noise_label))
        self.share_slider, self.share_label = self._slider(10, 90, 50, "Share of the points used for training")
        form.addRow("Training", self._with_label(self.share_slider, self.share_label))
        seed_row = QHBoxLayout()
        self.seed_box = QSpinBox()
        self.seed_box.setRange(0, 1_000_000)
        self.seed_box.setToolTip("The same seed gives the same points, batches and Reset weights")
        self.seed_box.editingFinished.connect(self._emit_data_params)
        seed_row.addWidget(self.seed_box, 1)
        self.regenerate_button = QPushButton("Regenerate")
        self.regenerate_button.setToolTip("New points: the next seed")
        self.regenerate_button.clicked.connect(self._on_regenerate)
        seed_row.addWidget(self.regenerate_button)
        form.addRow("Seed", seed_row)
        grid = QGridLayout()
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(0)
        self.feature_boxes: dict[str, QCheckBox] = {}
        for index, (name, text) in enumerate(FEATURE_LABELS.items()):
            box = QCheckBox(text)
            box.setToolTip(f"Feed the network {text} of each point (one undoable edit of its inputs)")
            box.toggled.connect(self._on_feature_toggled)
            self.feature_boxes[name] = box
            grid.addWidget(box, index // 3, index % 3)
        form.addRow("Features", grid)
        self.fit_label = QLabel()
        self.fit_label.setObjectName("trainingFit")
        self.fit_label.setWordWrap(True)
        self.fit_label.setStyleSheet("color: #b9770e")
        self.fit_button = QPushButton("Fit the Network to the Data")
        self.fit_button.setToolTip("Give the network the inputs and outputs this data set needs (undoable)")
        self.fit_button.clicked.connect(self.fitRequested)
        form.addRow(self.fit_label)
        form.addRow(self.fit_button)
        self.set_fit_problem("")
        return group

    def _build_settings(self) -> QGroupBox:
        group = QGroupBox("Settings")
        self.settings_form = form = QFormLayout(group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.loss_combo = QComboBox()
        self.loss_combo.addItem("(suggested)", "")
        for key, text in LOSS_LABELS.items():
            self.loss_combo.addItem(text, key)
        self.loss_combo.activated.connect(self._emit_settings)
        self.loss_combo.currentIndexChanged.connect(self._show_full_names)
        _add_wide_row(form, "Loss", self.loss_combo)
        self.loss_warning = QLabel()
        self.loss_warning.setObjectName("lossWarning")
        self.loss_warning.setWordWrap(True)
        self.loss_warning.setStyleSheet("color: #b9770e")
        self.loss_warning.hide()
        form.addRow(self.loss_warning)
        self.optimizer_combo = QComboBox()
        for key, text in OPTIMIZER_LABELS.items():
            self.optimizer_combo.addItem(text, key)
        self.optimizer_combo.setCurrentIndex(1)
        self.optimizer_combo.activated.connect(self._on_optimizer_changed)
        form.addRow("Optimizer", self.optimizer_combo)
        self.rate_box = QDoubleSpinBox()
        self.rate_box.setDecimals(5)
        self.rate_box.setRange(0.00001, 10.0)
        self.rate_box.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.rate_box.setValue(0.01)
        self.rate_box.setToolTip("How far each step moves the weights (Playground: 0.00001 to 10)")
        self.rate_box.editingFinished.connect(self._emit_settings)
        form.addRow("Learning rate", self.rate_box)
        self.param_boxes: dict[str, QDoubleSpinBox] = {}
        self._param_rows: list[QWidget] = []
        self.batch_box = QSpinBox()
        self.batch_box.setRange(1, 10_000)
        self.batch_box.setValue(10)
        self.batch_box.setToolTip("Points per weight update (Playground: 1 to 30)")
        self.batch_box.editingFinished.connect(self._emit_settings)
        form.addRow("Batch size", self.batch_box)
        self.epochs_box = QSpinBox()
        self.epochs_box.setRange(1, 100)
        self.epochs_box.setValue(1)
        self.epochs_box.setToolTip("Epochs trained between two pictures (a frame never trains longer than ~10 ms)")
        self.epochs_box.editingFinished.connect(self._emit_settings)
        form.addRow("Epochs per frame", self.epochs_box)
        self._build_param_rows("adam")
        return group

    def _slider(self, low: int, high: int, value: int, tip: str) -> tuple[QSlider, QLabel]:
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setRange(low, high)
        slider.setValue(value)
        slider.setToolTip(tip)
        label = QLabel(f"{value} %")
        label.setMinimumWidth(34)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        slider.valueChanged.connect(lambda v: label.setText(f"{v} %"))
        slider.sliderReleased.connect(self._emit_data_params)
        slider.valueChanged.connect(lambda _v: slider.isSliderDown() or self._emit_data_params())  # keys, clicks
        return slider, label

    @staticmethod
    def _with_label(slider: QSlider, label: QLabel) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(slider, 1)
        row.addWidget(label)
        return row

    def _build_param_rows(self, optimizer: str) -> None:
        """The optimizer's own parameters on one row below the learning rate ("β₁, β₂" side by side: a row each
        made the Training dock scroll at the default window size)."""
        for widget in self._param_rows:
            self.settings_form.removeRow(widget)
        self._param_rows, self.param_boxes = [], {}
        params = OPTIMIZER_PARAMS[optimizer]
        row = QWidget()
        boxes = QHBoxLayout(row)
        boxes.setContentsMargins(0, 0, 0, 0)
        for key, (label, default, low, high, decimals, tip) in params.items():
            box = QDoubleSpinBox()
            box.setRange(low, high)
            box.setDecimals(decimals)
            box.setSingleStep(10.0 ** -min(decimals, 2))
            box.setValue(default)
            box.setToolTip(f"{label}: {tip} (Keras default {default:g})")
            box.editingFinished.connect(self._emit_settings)
            boxes.addWidget(box, 1)
            self.param_boxes[key] = box
        position = self.settings_form.getWidgetPosition(self.rate_box)[0] + 1  # below the learning rate
        self.settings_form.insertRow(position, ", ".join(label for label, *_rest in params.values()), row)
        self._param_rows.append(row)

    # -- what the presenter sets -------------------------------------------------------------------------------------
    def set_actions(self, play: QAction, step: QAction, reset: QAction, race: QAction | None = None) -> None:
        self.play_button.setDefaultAction(play)
        self.step_button.setDefaultAction(step)
        self.reset_button.setDefaultAction(reset)
        self.race_button.setVisible(race is not None)
        if race is not None:
            self.race_button.setDefaultAction(race)

    def add_context_action(self, action: QAction) -> None:
        """An entry of the menu a right-click on the run's buttons and numbers opens (Export Training History…)."""
        self.controls.addAction(action)
        self.controls.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def set_dataset(self, key: str, csv_name: str = "") -> None:
        """Show the current data set: a DATASETS key, "" for none, or "csv" with the file's name."""
        with QSignalBlocker(self.dataset_combo):
            index = self.dataset_combo.findData("csv")
            if index >= 0:
                self.dataset_combo.removeItem(index)
            if key == "csv":
                self.dataset_combo.addItem(csv_name, "csv")
            self.dataset_combo.setCurrentIndex(max(0, self.dataset_combo.findData(key)))
        self._show_full_names()
        generated = key in DATASETS and key != "iris"
        self.noise_slider.setEnabled(generated)
        self.regenerate_button.setEnabled(generated)
        self.share_slider.setEnabled(bool(key))

    def set_data_params(self, noise: float, share: float, seed: int) -> None:
        for widget, value in ((self.noise_slider, round(noise * 100)), (self.share_slider, round(share * 100))):
            with QSignalBlocker(widget):
                widget.setValue(value)
        self.noise_label.setText(f"{self.noise_slider.value()} %")
        self.share_label.setText(f"{self.share_slider.value()} %")
        with QSignalBlocker(self.seed_box):
            self.seed_box.setValue(seed)

    def set_features(self, enabled: bool, checked: tuple[str, ...]) -> None:
        """The seven toggles: usable for a 2-D data set; ``checked`` the features the network reads."""
        for name, box in self.feature_boxes.items():
            with QSignalBlocker(box):
                box.setChecked(name in checked)
            box.setEnabled(enabled)

    def set_fit_problem(self, text: str) -> None:
        self.fit_label.setText(text)
        self.fit_label.setVisible(bool(text))
        self.fit_button.setVisible(bool(text))

    def set_settings(self, settings: dict, suggested_loss: str) -> None:
        # the loss first, "(suggested)" after: in a narrow dock the name is what must stay readable
        self.loss_combo.setItemText(0, f"{LOSS_LABELS.get(suggested_loss, suggested_loss)} (suggested)")
        with QSignalBlocker(self.loss_combo):
            self.loss_combo.setCurrentIndex(max(0, self.loss_combo.findData(settings["loss"])))
        self._show_full_names()  # the suggestion's text changed, not the index
        with QSignalBlocker(self.optimizer_combo):
            self.optimizer_combo.setCurrentIndex(self.optimizer_combo.findData(settings["optimizer"]))
        if set(self.param_boxes) != set(OPTIMIZER_PARAMS[settings["optimizer"]]):
            self._build_param_rows(settings["optimizer"])
        for key, box in self.param_boxes.items():
            if key in settings["options"]:
                with QSignalBlocker(box):
                    box.setValue(settings["options"][key])
        for box, key in ((self.rate_box, "learning_rate"), (self.batch_box, "batch_size")):
            with QSignalBlocker(box):
                box.setValue(settings[key])
        with QSignalBlocker(self.epochs_box):
            self.epochs_box.setValue(settings["epochs_per_frame"])

    def set_loss_warning(self, text: str) -> None:
        appears = bool(text) and self.loss_warning.isHidden()
        self.loss_warning.setText(f"⚠ {text}" if text else "")
        self.loss_warning.setVisible(bool(text))
        if appears:  # a new warning is scrolled into view: it answers what the person just changed
            self.widget().layout().activate()
            self.ensureWidgetVisible(self.loss_warning)

    def set_numbers(self, epoch: int, record: dict[str, float]) -> None:
        """The epoch counter and the last epoch's training and test loss and accuracy ("–" when not known)."""
        self.epoch_label.setText(f"Epoch {epoch:,}")
        for key, label in self.number_labels.items():
            value = record.get(key)
            if value is None or value != value:
                label.setText("–")
            elif "accuracy" in key:
                label.setText(f"{value:.1%}")
            else:
                label.setText(f"{value:.4f}")

    def set_accuracy_meaning(self, text: str) -> None:
        """The tooltip of the accuracy row: which accuracy it is (by sign for −1/+1 labels)."""
        for label in (self.row_labels["accuracy"], self.number_labels["accuracy"], self.number_labels["val_accuracy"]):
            label.setToolTip(text)

    def set_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def number(self, key: str) -> str:
        """The text shown for "loss", "accuracy", "val_loss" or "val_accuracy" (for tests and scripts)."""
        return self.number_labels[key].text()

    # -- what the person does ----------------------------------------------------------------------------------------
    def _on_dataset_activated(self, index: int) -> None:
        key = self.dataset_combo.itemData(index)
        if key and key != "csv":
            self.datasetChosen.emit(key)

    def _emit_data_params(self) -> None:
        self.dataParamsChanged.emit(
            self.noise_slider.value() / 100.0, self.share_slider.value() / 100.0, self.seed_box.value()
        )

    def _on_regenerate(self) -> None:
        with QSignalBlocker(self.seed_box):
            self.seed_box.setValue(self.seed_box.value() + 1)
        self._emit_data_params()

    def _on_feature_toggled(self, _checked: bool) -> None:
        self.featuresChanged.emit(tuple(name for name, box in self.feature_boxes.items() if box.isChecked()))

    def _on_optimizer_changed(self, _index: int) -> None:
        self._build_param_rows(self.optimizer_combo.currentData())
        self._emit_settings()

    def _show_full_names(self, *_args) -> None:
        """The whole names in the tooltips: a dock made narrower than a name (a CSV file's can be long) elides it."""
        self.dataset_combo.setToolTip(f"{self.dataset_combo.currentText()}\n\n{DATASET_TIP}")
        self.loss_combo.setToolTip(f"{self.loss_combo.currentText()}\n\n{LOSS_TIP}")

    def _emit_settings(self, *_args) -> None:
        self.settingsChanged.emit(
            {
                "loss": self.loss_combo.currentData(),
                "optimizer": self.optimizer_combo.currentData(),
                "learning_rate": self.rate_box.value(),
                "options": {key: box.value() for key, box in self.param_boxes.items()},
                "batch_size": self.batch_box.value(),
                "epochs_per_frame": self.epochs_box.value(),
            }
        )


def _add_wide_row(form: QFormLayout, text: str, field: QWidget, button: QWidget | None = None) -> None:
    """A field that holds long text (a loss or data set name) gets the dock's whole width, its label (and a button
    that goes with it) on the line above: beside the label column, "Binary cross-entropy (suggested)" was cut off at
    the default window size."""
    label = QLabel(text)
    label.setBuddy(field)
    header = QHBoxLayout()
    header.addWidget(label)
    header.addStretch(1)
    if button is not None:
        header.addWidget(button)
    form.addRow(header)
    form.addRow(field)
