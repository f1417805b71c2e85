"""Exports of the training charts, the run's history and the race from the window: File ▸ Export lists them, a PNG is
the screen's picture, an SVG renders, each CSV holds the numbers of the run's history (read from the run, not
re-typed), and there is a clear message when there is nothing to export."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtSvg import QSvgRenderer
from test_race_dialog import finish, open_race
from test_svg_render import rgb

from neuroviz.model import Network
from neuroviz.training_run import TrainingSettings
from neuroviz.views.export_dialog import TARGETS, ExportChoice, ExportDialog

CHARTS = ("loss", "gradients", "dead", "stats")


@pytest.fixture
def shown(window, qtbot):
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    return window


def train(window, epochs=4, activations=("relu", "tanh", "sigmoid")):
    """Circle data, a small seeded network, Play, ``epochs`` frames of one epoch, Pause: as a person would."""
    net = Network.from_sizes([2, 5, 3, 1], list(activations), seed=3)
    window.controller.set_network(net, None)
    window.actions["data_circle"].trigger()
    run = window.controller.training.run
    run.budget_ms = None
    run.set_settings(TrainingSettings(learning_rate=0.03, batch_size=25))
    window.actions["train_play"].trigger()
    for _ in range(epochs):
        run.tick()
    window.actions["train_play"].trigger()
    window.controller.flush()
    return run


def choice(target, fmt):
    return ExportChoice(target, fmt, 1.0, False, 0, 101)


def read_csv(path):
    rows = list(csv.reader(path.open(encoding="utf-8")))
    return rows[0], np.array(rows[1:], dtype=float)


def test_the_export_dialog_offers_every_chart_and_table(window, settings):
    keys = {key for key, _label, _picture in TARGETS}
    assert set(CHARTS) | {"race"} <= keys
    assert {"history", "loss_values", "gradient_values", "dead_values", "stats_values", "race_values"} <= keys
    dialog = ExportDialog(["x1", "x2"], settings)
    dialog.target_box.setCurrentIndex(dialog.target_box.findData("gradients"))
    assert [dialog.format_box.itemText(i) for i in range(dialog.format_box.count())] == ["PNG", "SVG"]
    dialog.target_box.setCurrentIndex(dialog.target_box.findData("history"))
    assert [dialog.format_box.itemText(i) for i in range(dialog.format_box.count())] == ["CSV"]
    dialog.deleteLater()


@pytest.mark.parametrize("key", CHARTS)
def test_a_chart_png_is_the_screens_picture(shown, tmp_path, key):
    train(shown)
    shown.plot_dock.raise_()  # the charts are behind the activation plot: the export brings its chart forward
    path = tmp_path / f"{key}.png"
    assert shown.controller.export(choice(key, "png"), str(path)), shown.controller.last_error
    charts = shown.training_charts
    assert charts.currentWidget() is charts.page(key) and not shown.charts_dock.visibleRegion().isEmpty()
    target = charts.stats if key == "stats" else charts.page(key).plot
    exported, screen = rgb(QImage(str(path))), rgb(target.grab().toImage())
    assert exported.shape == screen.shape and exported.shape[0] > 100 and exported.shape[1] > 200
    difference = np.abs(exported - screen).max(axis=2)
    assert difference.mean() < 3.0 and (difference > 64).mean() < 0.02
    assert len(np.unique(exported.reshape(-1, 3), axis=0)) > 10  # curves, axes and text, not a blank square


@pytest.mark.parametrize("dark", [False, True])
def test_a_chart_svg_keeps_curves_as_vectors_and_renders(shown, tmp_path, dark):
    train(shown)
    shown.actions["dark"].setChecked(dark)
    try:
        path = tmp_path / "loss.svg"
        assert shown.controller.export(choice("loss", "svg"), str(path)), shown.controller.last_error
    finally:
        shown.actions["dark"].setChecked(False)
    root = ET.parse(path).getroot()
    svg = "{http://www.w3.org/2000/svg}"
    assert not list(root.iter(f"{svg}image"))  # nothing is a bitmap
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{svg}text"))
    assert "epoch" in texts and "loss (test)" in texts
    assert len(list(root.iter(f"{svg}path")) + list(root.iter(f"{svg}polyline"))) >= 4
    renderer = QSvgRenderer(str(path))
    plot = shown.training_charts.loss.plot
    assert renderer.isValid() and renderer.defaultSize() == plot.size()


def test_the_loss_csv_holds_the_runs_history(window, tmp_path):
    run = train(window)
    path = tmp_path / "loss.csv"
    assert window.controller.export(choice("loss_values", "csv"), str(path))
    header, numbers = read_csv(path)
    assert header == [
        "epoch",
        "training loss",
        "test loss",
        "training accuracy (fraction 0-1)",
        "test accuracy (fraction 0-1)",
    ]
    np.testing.assert_array_equal(numbers[:, 0], run.history.epochs)
    for column, key in enumerate(("loss", "val_loss", "accuracy", "val_accuracy"), start=1):
        np.testing.assert_array_equal(numbers[:, column], run.history.column(key))
    np.testing.assert_array_equal(numbers[:, 1], window.training_charts.loss.series("loss")[1])


def test_gradient_dead_and_statistics_csv_hold_one_column_per_layer(window, tmp_path):
    run = train(window, epochs=3)
    names = [layer.name for layer in window.controller.network.layers]
    norms = np.array(run.history.gradient_norms)
    header, numbers = read_csv(written(window, tmp_path, "gradient_values"))
    assert header == ["epoch", *(f"{n}: mean gradient norm |dL/dW|" for n in names)]
    np.testing.assert_array_equal(numbers[:, 1:], norms)
    header, numbers = read_csv(written(window, tmp_path, "dead_values"))
    assert header == ["epoch", "hidden 1: dead share of training points (fraction 0-1)"]  # relu only can die
    np.testing.assert_array_equal(numbers[:, 1], [s.dead_share[0] for s in run.history.statistics])
    header, numbers = read_csv(written(window, tmp_path, "stats_values"))
    assert header[1:3] == ["hidden 1: mean of activations", "hidden 1: standard deviation of activations"]
    assert len(header) == 1 + 2 * len(names) and len(numbers) == 3
    np.testing.assert_array_equal(numbers[:, 1::2], [s.mean for s in run.history.statistics])
    np.testing.assert_array_equal(numbers[:, 2::2], [s.std for s in run.history.statistics])


def written(window, tmp_path, key):
    path = tmp_path / f"{key}.csv"
    assert window.controller.export(choice(key, "csv"), str(path)), window.controller.last_error
    return path


def test_file_export_training_history_writes_keras_history(window, tmp_path):
    run = train(window, epochs=5)
    path = tmp_path / "history.csv"
    asked = []
    window.controller.choose_export_path = lambda c: asked.append(c) or str(path)
    window.actions["export_history"].trigger()  # File ▸ Export ▸ Training History (CSV)…
    assert asked[0].target == "history" and asked[0].fmt == "csv"
    header, numbers = read_csv(path)
    assert header == ["epoch", "loss", "accuracy", "val_loss", "val_accuracy"]
    np.testing.assert_array_equal(numbers[:, 0], [1, 2, 3, 4, 5])
    for column, key in enumerate(header[1:], start=1):
        np.testing.assert_array_equal(numbers[:, column], run.history.column(key))


def test_the_training_docks_context_menu_exports_the_history(window):
    assert window.actions["export_history"] in window.training_panel.controls.actions()
    assert window.actions["export_history"] in window.export_menu.actions()
    assert window.actions["export_history"].shortcut().toString() == "Ctrl+Alt+H"


def test_nothing_trained_yet_says_so_and_writes_nothing(window, tmp_path):
    errors = []
    for key in ("history", "loss_values", "loss", "race", "race_values"):
        path = tmp_path / f"{key}.{'png' if key in ('loss', 'race') else 'csv'}"
        assert not window.controller.export(choice(key, path.suffix[1:]), str(path))
        assert not path.exists()
        errors.append(window.controller.last_error)
    assert errors[0] == ("There is no training history to export yet: train first (Train ▸ Play or Step One Epoch).")
    assert errors[2] == errors[0] and "Edit ▸ Race Activations…" in errors[-1]


def test_a_history_file_that_cannot_be_written_is_reported(window, tmp_path):
    train(window, epochs=1)
    blocker = tmp_path / "notes"
    blocker.write_text("a file, not a folder\n", encoding="utf-8")
    path = blocker / "history.csv"
    assert not window.controller.export(choice("history", "csv"), str(path))
    assert str(path) in window.controller.last_error and "notes" in window.controller.last_error
    assert blocker.read_text(encoding="utf-8") == "a file, not a folder\n"


def test_the_race_exports_its_curves_as_csv_png_and_svg(window, qtbot, tmp_path):
    window.resize(1400, 900)
    window.controller.set_network(Network.from_sizes([2, 4, 1], ["relu", "tanh"], seed=1), None)
    window.actions["data_xor"].trigger()
    dialog, race = open_race(window, qtbot, names=("tanh", "sigmoid"), epochs=2)
    finish(race)
    path = tmp_path / "race.csv"
    assert window.controller.export(choice("race_values", "csv"), str(path)), window.controller.last_error
    header, numbers = read_csv(path)
    assert header == ["epoch", "tanh: test loss", "sigmoid: test loss"]
    contenders = race.race.contenders
    np.testing.assert_array_equal(numbers[:, 0], [1, 2])
    np.testing.assert_array_equal(numbers[:, 1], contenders[0].test_losses)
    np.testing.assert_array_equal(numbers[:, 2], contenders[1].test_losses)
    png = tmp_path / "race.png"
    assert window.controller.export(choice("race", "png"), str(png))
    image = QImage(str(png))
    assert (image.width(), image.height()) == (dialog.chart.plot.width(), dialog.chart.plot.height())
    svg = tmp_path / "race.svg"
    assert window.controller.export(choice("race", "svg"), str(svg))
    assert QSvgRenderer(str(svg)).isValid()


def test_the_race_dialogs_export_button_writes_what_the_extension_says(window, qtbot, tmp_path):
    window.controller.set_network(Network.from_sizes([2, 4, 1], ["relu", "tanh"], seed=1), None)
    window.actions["data_xor"].trigger()
    dialog, race = open_race(window, qtbot, names=("relu", "tanh"), epochs=1)
    finish(race)
    assert dialog.export_button.isEnabled()
    plot = dialog.chart.plot
    for name in ("curves.png", "curves.svg", "curves.csv"):
        path = tmp_path / name
        window.controller.files.choose_race_path = lambda p=path: str(p)
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        assert path.stat().st_size > 0, window.controller.last_error
    image = QImage(str(tmp_path / "curves.png"))
    assert (image.width(), image.height()) == (2 * plot.width(), 2 * plot.height())  # 2× for slides
    assert read_csv(tmp_path / "curves.csv")[0] == ["epoch", "relu: test loss", "tanh: test loss"]
    window.controller.files.choose_race_path = lambda: str(tmp_path / "curves.txt")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert window.controller.last_error.endswith("give the file a .png, .svg or .csv ending")
    assert not (tmp_path / "curves.txt").exists()


def test_the_race_dialog_cannot_export_before_a_race(window):
    window.actions["race_activations"].trigger()
    assert not window.race_dialog.export_button.isEnabled()
    window.race_dialog.reject()


# -- the trained network saved: Save, Save As (.json, .keras), File ▸ Export ▸ Keras Model… -------------------------
def trained_weights(window):
    before = window.controller.network.copy()
    train(window, epochs=3)
    net = window.controller.network
    assert not np.array_equal(net.layers[0].weights, before.layers[0].weights)  # training moved them
    return [(layer.weights.copy(), layer.biases.copy()) for layer in net.layers]


def assert_same_weights(path, weights):
    loaded = Network.load(path)
    assert len(loaded.layers) == len(weights)
    for layer, (w, b) in zip(loaded.layers, weights, strict=True):
        np.testing.assert_allclose(layer.weights, w, rtol=1e-6, atol=0)  # .keras holds float32
        np.testing.assert_allclose(layer.biases, b, rtol=1e-6, atol=0)


def test_save_as_json_after_training_keeps_the_trained_weights_exactly(window, tmp_path):
    weights = trained_weights(window)
    path = tmp_path / "trained.json"
    window.controller.choose_save_path = lambda: str(path)
    window.actions["save_as"].trigger()
    assert not window.isWindowModified()
    loaded = Network.load(path)
    for layer, (w, b) in zip(loaded.layers, weights, strict=True):
        np.testing.assert_array_equal(layer.weights, w)
        np.testing.assert_array_equal(layer.biases, b)
    window.actions["train_step"].trigger()  # one more epoch, then Save writes to the same file
    window.actions["save"].trigger()
    assert_same_weights(path, [(la.weights, la.biases) for la in window.controller.network.layers])


def test_save_as_keras_after_training_keeps_the_trained_weights(window, tmp_path):
    weights = trained_weights(window)
    path = tmp_path / "trained.keras"
    window.controller.choose_save_path = lambda: str(path)
    window.actions["save_as"].trigger()
    assert_same_weights(path, weights)


def test_export_keras_model_after_training_keeps_the_trained_weights(window, tmp_path):
    weights = trained_weights(window)
    path = tmp_path / "copy.keras"
    window.controller.choose_keras_path = lambda: str(path)
    window.actions["export_keras"].trigger()  # File ▸ Export ▸ Keras Model…
    assert_same_weights(path, weights)
    assert window.controller.path is None  # a copy: the window's network keeps its own (no) file
