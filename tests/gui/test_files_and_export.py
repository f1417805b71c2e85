"""Files and exports in the live window, driven as a person would: the File menu, unsaved-changes questions,
dropping a file, errors that name the file, a round trip that loses nothing, and every export target."""

from __future__ import annotations

import csv
import errno
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from driving import choose
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from neuroviz.model import Network, activations
from neuroviz.model.files import example_path
from neuroviz.views.export_dialog import TARGETS, ExportChoice, ExportDialog

SVG = "{http://www.w3.org/2000/svg}"


# -- helpers -------------------------------------------------------------------------------------------------


def make_edit(window) -> None:
    """One undoable edit, so the window has unsaved changes."""
    choose(window, 1, "tanh")
    assert window.isWindowModified()


def other_network_file(tmp_path) -> Path:
    path = tmp_path / "other.json"
    net = Network.from_sizes([2, 3, 1], activations=["sigmoid", "linear"], seed=5, name="other net")
    net.save(path)
    return path


def assert_same_network(a: Network, b: Network) -> None:
    assert a.sizes == b.sizes
    assert a.name == b.name
    assert list(a.input_names) == list(b.input_names)
    assert a.input_values.tolist() == b.input_values.tolist()
    assert [tuple(r) for r in a.input_ranges] == [tuple(r) for r in b.input_ranges]
    for left, right in zip(a.layers, b.layers, strict=True):
        assert (left.name, left.activation) == (right.name, right.activation)
        assert left.params == right.params
        assert left.weights.tolist() == right.weights.tolist()
        assert left.biases.tolist() == right.biases.tolist()


def file_menu_entries(window) -> list[str]:
    menu = window.menuBar().actions()[0].menu()
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]


def visible_message_boxes(window) -> list[QMessageBox]:
    return [box for box in window.findChildren(QMessageBox) if box.isVisible()]


def drop_files(window, paths) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(
        QPoint(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, drop)
    return drop


def rgb(image: QImage) -> np.ndarray:
    converted = image.convertToFormat(QImage.Format.Format_RGBA8888)
    array = np.frombuffer(converted.constBits(), np.uint8)
    return array.reshape(converted.height(), converted.bytesPerLine() // 4, 4)[:, : converted.width(), :3].astype(int)


def colour_count(image: QImage) -> int:
    pixels = rgb(image)
    return len(np.unique((pixels[..., 0] << 16) | (pixels[..., 1] << 8) | pixels[..., 2]))


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    return rows[0], rows[1:]


# -- the File menu and the title -----------------------------------------------------------------------------
def test_file_menu_has_every_entry_with_standard_shortcuts(window):
    assert file_menu_entries(window) == [
        "New",
        "Open…",
        "Open Recent",
        "Open Example",
        "Save",
        "Save As…",
        "Export",
        "Quit",
    ]
    assert [a.text().replace("&", "") for a in window.export_menu.actions()] == [
        "Picture or Table…",
        "Animation (GIF)…",
        "Keras Model (.keras)…",
        "Training History (CSV)…",
    ]
    keys = ("new", "open", "save", "save_as", "export", "export_animation", "export_keras", "quit")
    shortcuts = {key: window.actions[key].shortcut().toString() for key in keys}
    assert shortcuts == {
        "new": "Ctrl+N",
        "open": "Ctrl+O",
        "save": "Ctrl+S",
        "save_as": "Ctrl+Shift+S",
        "export": "Ctrl+E",
        "export_animation": "Ctrl+Alt+E",
        "export_keras": "Ctrl+Shift+E",
        "quit": "Ctrl+Q",
    }
    examples = [a.text() for a in window.examples_menu.actions()]
    assert "Xor" in examples and "Softmax classifier" in examples


def test_title_shows_the_file_name_and_the_modified_mark(window, tmp_path):
    ctrl = window.controller
    assert window.windowTitle() == f"{ctrl.network.name}[*] — neuroviz"
    assert not window.isWindowModified()
    make_edit(window)
    path = tmp_path / "lesson one.json"
    ctrl.choose_save_path = lambda: str(path)
    window.actions["save"].trigger()
    assert path.exists()
    assert window.windowTitle() == "lesson one.json[*] — neuroviz"
    assert not window.isWindowModified()
    choose(window, 2, "relu")
    assert window.isWindowModified()
    window.actions["undo"].trigger()  # back to what is on disk
    assert not window.isWindowModified()


def test_open_example_is_an_untitled_copy(window, tmp_path):
    ctrl = window.controller
    xor = next(a for a in window.examples_menu.actions() if a.text() == "Xor")
    xor.trigger()
    assert ctrl.path is None
    assert_same_network(ctrl.network, Network.load(example_path("xor")))
    assert window.windowTitle() == f"{ctrl.network.name}[*] — neuroviz"
    asked = []
    ctrl.choose_save_path = lambda: asked.append(1) or str(tmp_path / "mine.json")
    window.actions["save"].trigger()  # Save never overwrites the installed example: it asks where
    assert asked == [1] and (tmp_path / "mine.json").exists()


# -- unsaved changes -----------------------------------------------------------------------------------------
def close_window(window) -> None:
    window.close()


def new_network(window) -> None:
    window.actions["new"].trigger()


def open_other(window) -> None:
    window.actions["open"].trigger()


@pytest.mark.parametrize("action", [close_window, new_network, open_other], ids=["close", "new", "open"])
@pytest.mark.parametrize("answer", ["save", "discard", "cancel"])
def test_unsaved_changes_are_asked_about(window, tmp_path, action, answer):
    ctrl = window.controller
    other = other_network_file(tmp_path)
    saved = tmp_path / "saved.json"
    ctrl.choose_open_path = lambda: str(other)
    ctrl.choose_save_path = lambda: str(saved)
    asked = []
    ctrl.ask_unsaved = lambda: asked.append(answer) or answer
    make_edit(window)
    edited = ctrl.network.copy()

    action(window)

    assert asked == [answer]
    assert saved.exists() == (answer == "save")
    if answer == "save":
        assert_same_network(Network.load(saved), edited)  # the edit is in the file
    if answer == "cancel":  # nothing happened: same network, still modified, still open
        assert window.isVisible()
        assert window.isWindowModified()
        assert_same_network(ctrl.network, edited)
        return
    if action is close_window:
        assert not window.isVisible()
    elif action is new_network:
        assert_same_network(ctrl.network, Network.load(example_path("default")))
        assert ctrl.path is None and not window.isWindowModified()
    else:
        assert_same_network(ctrl.network, Network.load(other))
        assert window.windowTitle() == "other.json[*] — neuroviz"


def test_saving_cancelled_in_the_file_chooser_keeps_the_window(window):
    ctrl = window.controller
    ctrl.ask_unsaved = lambda: "save"
    ctrl.choose_save_path = lambda: ""  # the user closes the Save As dialog
    make_edit(window)
    window.close()
    assert window.isVisible() and window.isWindowModified()


def test_nothing_is_asked_when_there_is_nothing_to_lose(window, tmp_path):
    ctrl = window.controller
    asked = []
    ctrl.ask_unsaved = lambda: asked.append(1) or "cancel"
    ctrl.choose_open_path = lambda: str(other_network_file(tmp_path))
    window.actions["open"].trigger()
    window.actions["new"].trigger()
    window.actions["quit"].trigger()
    assert asked == [] and not window.isVisible()


# -- dropping and opening ------------------------------------------------------------------------------------
def test_dropping_a_file_on_the_window_opens_it(window, tmp_path):
    ctrl = window.controller
    other = other_network_file(tmp_path)
    drop = drop_files(window, [other])
    assert drop.isAccepted()
    assert_same_network(ctrl.network, Network.load(other))
    assert ctrl.path == str(other)
    assert window.windowTitle() == "other.json[*] — neuroviz"
    assert window.network_view.header_texts()[0] == "input"
    assert len(window.network_view.neuron_colors(1)) == 3  # the view shows the new network


def test_dropping_a_file_asks_about_unsaved_changes_first(window, tmp_path):
    ctrl = window.controller
    ctrl.ask_unsaved = lambda: "cancel"
    make_edit(window)
    edited = ctrl.network.copy()
    drop_files(window, [other_network_file(tmp_path)])
    assert_same_network(ctrl.network, edited)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"format": "neuroviz-network", "layers": [', "bad JSON"),
        (b"\xff\xfe not text", "not UTF-8"),
        (b'{"format": "something else"}', "format"),
    ],
)
def test_a_bad_file_shows_the_error_and_keeps_the_network(window, tmp_path, content, reason):
    ctrl = window.controller
    make_edit(window)
    before = ctrl.network.copy()
    title = window.windowTitle()
    bad = tmp_path / "broken.json"
    bad.write_bytes(content)

    drop_files(window, [bad])  # asks nothing: the fixture discards, but the network stays as it is

    assert str(bad) in ctrl.last_error and reason in ctrl.last_error
    boxes = visible_message_boxes(window)
    assert boxes and str(bad) in boxes[-1].text()
    assert str(bad) in window.statusBar().currentMessage()
    assert_same_network(ctrl.network, before)
    assert window.windowTitle() == title and window.isWindowModified()
    assert str(bad) not in [a.text() for a in window.recent_menu.actions()]


def test_opening_a_missing_file_names_it(window, tmp_path):
    ctrl = window.controller
    gone = tmp_path / "gone.json"
    assert not ctrl.open(str(gone))
    assert str(gone) in ctrl.last_error and "cannot be opened" in ctrl.last_error


# -- saving --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("where", ["missing folder", "a file as folder"])
def test_a_save_error_is_shown_and_the_title_stays_modified(window, tmp_path, where):
    ctrl = window.controller
    if where == "missing folder":
        path = tmp_path / "no" / "such" / "net.json"
    else:
        (tmp_path / "notes.txt").write_text("not a folder")
        path = tmp_path / "notes.txt" / "net.json"
    make_edit(window)
    title = window.windowTitle()
    ctrl.choose_save_path = lambda: str(path)
    window.actions["save_as"].trigger()
    assert str(path) in ctrl.last_error and "cannot write" in ctrl.last_error
    assert visible_message_boxes(window)
    assert window.isWindowModified() and window.windowTitle() == title
    assert ctrl.path is None
    assert not path.exists()


def test_a_failing_save_never_half_writes_the_old_file(window, tmp_path, monkeypatch):
    ctrl = window.controller
    path = tmp_path / "net.json"
    ctrl.choose_save_path = lambda: str(path)
    assert ctrl.save()
    old = path.read_bytes()
    make_edit(window)

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    window.actions["save"].trigger()
    monkeypatch.undo()

    assert path.read_bytes() == old
    assert sorted(set(os.listdir(tmp_path)) - {"neuroviz.ini"}) == ["net.json"]  # the temp file is gone too
    assert "No space left on device" in ctrl.last_error and str(path) in ctrl.last_error
    assert window.isWindowModified()
    assert Network.load(path).layers[0].activation != "tanh"


def test_open_save_round_trip_keeps_every_edit(window, tmp_path, qtbot):
    ctrl = window.controller
    # a weight and a bias, typed into the inspector
    window.network_view.neuronClicked.emit(1, 2)
    window.inspector.weight_box(1).setValue(-1.2345)
    window.inspector.weight_box(1).editingFinished.emit()
    window.inspector.bias_box().setValue(0.75)
    window.inspector.bias_box().editingFinished.emit()
    # relu with a slope and a ceiling on layer 1, gelu (approximate) on layer 2
    choose(window, 1, "relu")
    window.layer_panel.param_editor(1, "negative_slope").setValue(0.7)
    window.layer_panel.param_limit_box(1, "max_value").setChecked(True)
    window.layer_panel.param_editor(1, "max_value").setValue(3.0)
    choose(window, 2, "gelu")
    window.layer_panel.param_editor(2, "approximate").setChecked(True)
    # inputs and their ranges
    low, high = window.input_panel.range_boxes(1)
    low.setValue(-2.0)
    high.setValue(8.0)
    window.input_panel.spin_box(1).setValue(6.5)
    window.input_panel.spin_box(0).setValue(-0.25)
    ctrl.flush()

    net = ctrl.network
    assert net.layers[0].weights[1, 2] == -1.2345 and net.layers[0].biases[2] == 0.75
    assert net.layers[0].params["negative_slope"] == 0.7 and net.layers[0].params["max_value"] == 3.0
    assert net.layers[1].activation == "gelu" and net.layers[1].params["approximate"] is True
    assert net.input_ranges[1] == (-2.0, 8.0) and net.input_values[1] == 6.5
    edited = net.copy()

    path = tmp_path / "lesson.json"
    ctrl.choose_save_path = lambda: str(path)
    window.actions["save"].trigger()
    window.actions["new"].trigger()
    assert ctrl.network.layers[0].weights[1, 2] != -1.2345
    assert ctrl.open(str(path))

    assert_same_network(ctrl.network, edited)
    ctrl.flush()
    np.testing.assert_array_equal(ctrl.propagation.activations[-1], edited.forward().activations[-1])
    assert window.input_panel.values()[1] == 6.5
    assert window.input_panel.ranges()[1] == (-2.0, 8.0)
    assert window.layer_panel.combo(2).activation() == "gelu"
    assert not window.isWindowModified()


def test_recent_files_list_the_last_saved_first_and_reopen(window, tmp_path):
    ctrl = window.controller
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    ctrl.choose_save_path = lambda: str(first)
    window.actions["save_as"].trigger()
    make_edit(window)
    ctrl.choose_save_path = lambda: str(second)
    window.actions["save_as"].trigger()
    entries = [a.text() for a in window.recent_menu.actions()]
    assert entries[:2] == [str(second), str(first)]
    assert window.recent_menu.isEnabled()

    window.recent_menu.actions()[1].trigger()  # reopen the first file
    assert ctrl.path == str(first)
    assert ctrl.network.layers[0].activation != "tanh"
    assert [a.text() for a in window.recent_menu.actions()][:2] == [str(first), str(second)]
    # the list outlives the window: it is in the settings
    assert window.settings.value("files/recent")[:2] == [str(first), str(second)]


def test_recent_files_keep_an_old_single_entry_and_hold_at_most_eight(window, tmp_path):
    ctrl = window.controller
    window.settings.setValue("files/recent", "/old/lesson.json")  # how some platforms store a one-item list
    first = tmp_path / "first.json"
    ctrl.choose_save_path = lambda: str(first)
    window.actions["save_as"].trigger()
    assert [a.text() for a in window.recent_menu.actions()] == [str(first), "/old/lesson.json"]
    for n in range(10):
        ctrl.choose_save_path = lambda n=n: str(tmp_path / f"copy{n}.json")
        window.actions["save_as"].trigger()
    entries = [a.text() for a in window.recent_menu.actions()]
    assert entries == [str(tmp_path / f"copy{n}.json") for n in range(9, 1, -1)]


# -- exports through the controller --------------------------------------------------------------------------
PICTURE_TARGETS = ["network", "activation", "outputs", "window"]


def target_widget(window, target):
    return {
        "network": window.network_view,
        "activation": window.activation_plot,
        "outputs": window.outputs_chart,
        "window": window,
    }[target]


@pytest.mark.parametrize("target", PICTURE_TARGETS)
def test_png_export_of_each_view_has_its_size_times_scale(window, tmp_path, target):
    ctrl = window.controller
    path = tmp_path / f"{target}.png"
    assert ctrl.export(ExportChoice(target, "png", 2.0, False, 0, 101), str(path))
    image = QImage(str(path))
    size = target_widget(window, target).size()
    assert (image.width(), image.height()) == (2 * size.width(), 2 * size.height())
    assert str(path) in window.statusBar().currentMessage()
    assert colour_count(image) > 50
    if target in ("network", "window"):  # every neuron in its own colour, where the view draws it
        view = window.network_view
        offset = view.mapTo(window, QPoint(0, 0)) if target == "window" else QPoint(0, 0)
        pixels = rgb(image)
        for k, size_k in enumerate(ctrl.network.sizes):
            for i in range(size_k):
                centre = view.neuron_position(k, i)
                colour = view.neuron_colors(k)[i]
                x = round(2 * (centre.x() + offset.x()))
                y = round(2 * (centre.y() - 0.6 * view.neuron_radius() + offset.y()))
                patch = pixels[y - 1 : y + 2, x - 1 : x + 2].reshape(-1, 3)
                distance = np.abs(patch - [colour.red(), colour.green(), colour.blue()]).sum(axis=1)
                assert distance.min() <= 9, (k, i, colour.name())


@pytest.mark.parametrize("target", PICTURE_TARGETS)
def test_svg_export_of_each_view_keeps_text_as_text(window, tmp_path, target):
    ctrl = window.controller
    path = tmp_path / f"{target}.svg"
    assert ctrl.export(ExportChoice(target, "svg", 1.0, False, 0, 101), str(path))
    root = ET.parse(path).getroot()
    size = target_widget(window, target).size()
    assert root.get("viewBox") == f"0 0 {size.width()} {size.height()}"
    texts = [(t.text or "").strip() for t in root.iter(f"{SVG}text")]
    expected = {
        "network": ["input", "hidden 1", "output"],
        "activation": [window.activation_plot.title()],
        "outputs": ["y1", "y2", "y3"],
        "window": ["Inputs", "hidden 1", "Outputs"],
    }[target]
    for words in expected:
        assert words in texts


def test_transparent_png_export_has_clear_corners(window, tmp_path):
    path = tmp_path / "clear.png"
    assert window.controller.export(ExportChoice("network", "png", 1.0, True, 0, 101), str(path))
    image = QImage(str(path))
    assert image.pixelColor(0, 0).alpha() == 0
    centre = window.network_view.neuron_position(0, 0)
    assert image.pixelColor(round(centre.x()), round(centre.y() - 5)).alpha() == 255


def test_activations_csv_export_equals_the_propagation_on_screen(window, tmp_path):
    ctrl = window.controller
    window.input_panel.spin_box(0).setValue(2.25)
    path = tmp_path / "activations.csv"
    assert ctrl.export(ExportChoice("activations", "csv", 1.0, False, 0, 101), str(path))
    header, rows = read_csv(path)
    assert header[:3] == ["layer", "layer_name", "neuron"]
    prop = ctrl.network.forward()
    assert prop.activations[0][0] == 2.25
    flat = [(k, j) for k in range(len(prop.activations)) for j in range(len(prop.activations[k]))]
    assert len(rows) == len(flat)
    for (k, j), row in zip(flat, rows, strict=True):
        assert [float(v) for v in row[3:]] == [
            prop.pre_activations[k][j],
            prop.activations[k][j],
            prop.derivatives[k][j],
        ]


def test_weights_and_sweep_csv_exports(window, tmp_path):
    ctrl = window.controller
    net = ctrl.network
    weights = tmp_path / "weights.csv"
    assert ctrl.export(ExportChoice("weights", "csv", 1.0, False, 0, 101), str(weights))
    _, rows = read_csv(weights)
    assert len(rows) == sum(layer.weights.size + layer.biases.size for layer in net.layers)
    first = rows[0]
    assert float(first[4]) == net.layers[0].weights[0, 0]

    sweep = tmp_path / "sweep.csv"
    assert ctrl.export(ExportChoice("sweep", "csv", 1.0, False, 2, 5), str(sweep))
    header, rows = read_csv(sweep)
    assert header[0] == net.input_names[2] and len(rows) == 5
    low, high = net.input_ranges[2]
    batch = np.tile(net.input_values, (5, 1))
    batch[:, 2] = np.linspace(low, high, 5)
    assert [[float(v) for v in r[1:]] for r in rows] == net.forward(batch).activations[-1].tolist()


def test_curve_csv_export_is_the_curve_the_plot_shows(window, tmp_path):
    ctrl = window.controller
    window.network_view.neuronClicked.emit(1, 4)  # a neuron of hidden 1 (6 neurons)…
    last = len(ctrl.network.layers)
    window.layer_panel.layerSelected.emit(last)  # …then the user picks the softmax output layer (3 neurons)
    assert ctrl.selected_layer == last
    path = tmp_path / "curve.csv"
    assert ctrl.export(ExportChoice("curve", "csv", 1.0, False, 0, 101), str(path)), ctrl.last_error
    header, rows = read_csv(path)
    assert header == ["x", "f(x)", "f'(x)"]
    x, f = window.activation_plot.curve_data()
    _, df = window.activation_plot.derivative_data()
    assert [float(r[0]) for r in rows] == x.tolist()
    assert [float(r[1]) for r in rows] == f.tolist()
    assert [float(r[2]) for r in rows] == df.tolist()
    # softmax: neuron 1 swept with the others fixed
    z = ctrl.propagation.pre_activations[last]
    batch = np.repeat(z[None, :], x.size, axis=0)
    batch[:, 0] = x
    assert [float(r[1]) for r in rows] == activations.get("softmax")(batch)[:, 0].tolist()


def test_curve_csv_export_of_the_selected_neurons_layer(window, tmp_path):
    ctrl = window.controller
    choose(window, 1, "relu")
    window.network_view.neuronClicked.emit(1, 2)
    path = tmp_path / "curve.csv"
    assert ctrl.export(ExportChoice("curve", "csv", 1.0, False, 0, 101), str(path))
    _, rows = read_csv(path)
    x = np.array([float(r[0]) for r in rows])
    assert [float(r[1]) for r in rows] == np.maximum(x, 0).tolist()
    z = ctrl.propagation.pre_activations[1]
    assert x[0] <= z.min() and x[-1] >= z.max()


def test_an_export_error_names_the_file_and_changes_nothing(window, tmp_path):
    ctrl = window.controller
    before = ctrl.network.copy()
    path = tmp_path / "missing" / "net.png"
    assert not ctrl.export(ExportChoice("network", "png", 2.0, False, 0, 101), str(path))
    assert str(path) in ctrl.last_error and "does not exist" in ctrl.last_error
    assert visible_message_boxes(window)
    assert not path.parent.exists()
    assert_same_network(ctrl.network, before)
    assert not window.isWindowModified()


def test_a_failed_export_keeps_the_old_file(window, tmp_path, monkeypatch):
    path = tmp_path / "net.svg"
    path.write_text("<svg>old</svg>")

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    assert not window.controller.export(ExportChoice("network", "svg", 1.0, False, 0, 101), str(path))
    monkeypatch.undo()
    assert path.read_text() == "<svg>old</svg>"
    assert sorted(set(os.listdir(tmp_path)) - {"neuroviz.ini"}) == ["net.svg"]
    assert "No space left on device" in window.controller.last_error


# -- the export dialog ---------------------------------------------------------------------------------------
def formats(dialog) -> list[str]:
    return [dialog.format_box.itemText(i) for i in range(dialog.format_box.count())]


def pick(dialog, target: str) -> None:
    dialog.target_box.setCurrentIndex(dialog.target_box.findData(target))


def test_dialog_offers_png_and_svg_for_views_and_csv_for_tables(qtbot, settings):
    dialog = ExportDialog(["x1", "x2", "x3"], settings)
    qtbot.addWidget(dialog)
    assert [key for key, _, _ in TARGETS] == [dialog.target_box.itemData(i) for i in range(dialog.target_box.count())]
    for key, _label, is_picture in TARGETS:
        pick(dialog, key)
        assert formats(dialog) == (["PNG", "SVG"] if is_picture else ["CSV"]), key
        assert dialog.transparent_box.isEnabled() == is_picture
        assert dialog.sweep_input_box.isEnabled() == (key == "sweep")
        assert dialog.steps_box.isEnabled() == (key == "sweep")
    pick(dialog, "activation")
    dialog.format_box.setCurrentText("SVG")
    assert not dialog.scale_box.isEnabled()  # vector graphics have no pixel scale
    dialog.format_box.setCurrentText("PNG")
    assert dialog.scale_box.isEnabled()
    assert (dialog.scale_box.minimum(), dialog.scale_box.maximum()) == (1.0, 4.0)
    pick(dialog, "weights")
    assert dialog.choice().fmt == "csv" and dialog.choice().suffix == ".csv"
    assert "decimal point" in dialog.note.text()


def test_dialog_remembers_the_last_choice(qtbot, settings):
    first = ExportDialog(["x1", "x2", "x3"], settings)
    qtbot.addWidget(first)
    pick(first, "outputs")
    first.format_box.setCurrentText("PNG")
    first.scale_box.setValue(3.0)
    first.transparent_box.setChecked(True)
    qtbot.mouseClick(
        first.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert first.result() == first.DialogCode.Accepted
    assert first.choice() == ExportChoice("outputs", "png", 3.0, True, 0, 101)

    second = ExportDialog(["x1", "x2", "x3"], settings)
    qtbot.addWidget(second)
    assert second.choice() == ExportChoice("outputs", "png", 3.0, True, 0, 101)

    pick(second, "sweep")
    second.sweep_input_box.setCurrentIndex(2)
    second.steps_box.setValue(21)
    second.findChild(QDialogButtonBox).accepted.emit()
    third = ExportDialog(["x1", "x2", "x3"], settings)
    qtbot.addWidget(third)
    assert third.choice() == ExportChoice("sweep", "csv", 3.0, True, 2, 21)
    # a network with fewer inputs does not get an input it lacks
    fourth = ExportDialog(["a"], settings)
    qtbot.addWidget(fourth)
    assert fourth.choice().sweep_input == 0

    pick(third, "network")
    third.format_box.setCurrentText("SVG")
    third.reject()  # cancelled: nothing remembered
    assert ExportDialog(["x1"], settings).choice().target == "sweep"


def test_dialog_survives_a_damaged_settings_file(qtbot, settings):
    for key, value in [("target", "hologram"), ("format", "GIF"), ("scale", "big"), ("steps", "nan")]:
        settings.setValue(f"export/{key}", value)
    settings.setValue("export/sweep_input", 99)
    dialog = ExportDialog(["x1", "x2"], settings)
    qtbot.addWidget(dialog)
    assert dialog.choice() == ExportChoice("network", "png", 2.0, False, 0, 101)


def test_ctrl_e_opens_the_dialog_and_exports_the_choice(window, tmp_path, qtbot):
    ctrl = window.controller
    target = tmp_path / "from-dialog.svg"
    chosen = []
    ctrl.choose_export_path = lambda choice: chosen.append(choice) or str(target)

    def answer_dialog():
        dialog = next(d for d in window.findChildren(ExportDialog) if d.isVisible())
        pick(dialog, "network")
        dialog.format_box.setCurrentText("SVG")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, answer_dialog)
    window.actions["export"].trigger()
    assert [c.target for c in chosen] == ["network"] and chosen[0].fmt == "svg"
    texts = [t.text for t in ET.parse(target).getroot().iter(f"{SVG}text")]
    assert "hidden 1" in texts
    assert window.settings.value("export/last_dir") == str(tmp_path)
    qtbot.waitUntil(lambda: not [d for d in window.findChildren(ExportDialog) if d.isVisible()])


def test_the_default_export_file_name_follows_the_network_file(window, tmp_path, monkeypatch):
    ctrl = window.controller
    path = tmp_path / "lesson.json"
    ctrl.choose_save_path = lambda: str(path)
    ctrl.save()
    window.settings.setValue("export/last_dir", str(tmp_path))
    offered = []

    def fake_dialog(parent, caption, start, kinds):
        offered.append((start, kinds))
        return os.path.join(tmp_path, "picked"), kinds

    monkeypatch.setattr("neuroviz.file_actions.QFileDialog.getSaveFileName", fake_dialog)
    got = ctrl.files.choose_export_dialog(ExportChoice("activation", "png", 2.0, False, 0, 101))
    assert offered == [(str(tmp_path / "lesson-activation.png"), "PNG images (*.png)")]
    assert got == str(tmp_path / "picked.png")  # the extension is added when the user leaves it out


def test_picture_title_mentions_the_network(window, tmp_path):
    path = tmp_path / "net.svg"
    window.controller.export(ExportChoice("network", "svg", 1.0, False, 0, 101), str(path))
    title = ET.parse(path).getroot().find(f"{SVG}title").text
    assert title == f"neuroviz · {window.controller.network.name} · network"
