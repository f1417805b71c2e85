"""Window behaviours around the edits: undo keys inside fields, the theme that follows the system, inputs and ranges
that count as unsaved, Save on Keras files, Keras export, and the command line's one-line messages."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from driving import choose
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from neuroviz import app as app_module
from neuroviz.model import Network
from neuroviz.model.files import example_path
from neuroviz.views import theme

KERAS_MODEL = example_path("default").parents[2] / "tests" / "fixtures" / "keras"


def type_into(qtbot, box, text: str) -> None:
    """Select what the spin box shows and type ``text`` (not yet committed)."""
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), text)


def window_is_dark() -> bool:
    return QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


# -- undo keys in the fields where people edit ---------------------------------------------------------------
def test_ctrl_z_in_a_parameter_box_undoes_the_last_edit_of_the_network(window, qtbot):
    window.activateWindow()
    choose(window, 1, "elu")
    box = window.layer_panel.param_editor(1, "alpha")
    type_into(qtbot, box, "2.5")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert window.controller.network.layers[0].params["alpha"] == 2.5
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.network.layers[0].params["alpha"] == 1.0  # the window's Undo, from inside the box
    assert window.layer_panel.param_editor(1, "alpha").value() == 1.0
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.controller.network.layers[0].params["alpha"] == 2.5  # and Redo


def test_ctrl_z_while_typing_undoes_the_typing_first(window, qtbot):
    window.activateWindow()
    choose(window, 1, "elu")
    box = window.layer_panel.param_editor(1, "alpha")
    steps = window.controller.undo_stack.index()
    type_into(qtbot, box, "7")
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.undo_stack.index() == steps  # the network's history is untouched
    assert window.controller.network.layers[0].activation == "elu"
    assert "7" not in box.text()


def test_ctrl_z_in_the_inspector_bias_box_undoes_the_bias(window, qtbot):
    window.activateWindow()
    ctrl = window.controller
    window.network_view.neuronClicked.emit(1, 0)
    before = float(ctrl.network.layers[0].biases[0])
    box = window.inspector.bias_box()
    type_into(qtbot, box, "0.75")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert ctrl.network.layers[0].biases[0] == 0.75
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ctrl.network.layers[0].biases[0] == before


# -- the theme -----------------------------------------------------------------------------------------------
def test_the_theme_follows_the_system_until_a_person_chooses(qtbot, settings, monkeypatch):
    from neuroviz.app import build_window

    monkeypatch.setattr(theme, "system_prefers_dark", lambda: True)
    first = build_window(settings=settings)
    qtbot.addWidget(first)
    assert window_is_dark() and first.actions["dark"].isChecked()
    assert first.actions["follow_system_theme"].isChecked()
    assert settings.value("view/theme") is None  # nothing stored: the next start asks the system again
    first.accept_close()

    monkeypatch.setattr(theme, "system_prefers_dark", lambda: False)
    second = build_window(settings=settings)
    qtbot.addWidget(second)
    assert not window_is_dark() and not second.actions["dark"].isChecked()

    second.actions["dark"].trigger()  # the person's choice wins from now on
    assert window_is_dark() and not second.actions["follow_system_theme"].isChecked()
    assert settings.value("view/theme") == "dark"
    second.controller.view_options.on_system_theme_changed()  # the desktop switches: an explicit choice stays
    assert window_is_dark()
    second.accept_close()

    third = build_window(settings=settings)
    qtbot.addWidget(third)
    assert window_is_dark()
    third.actions["follow_system_theme"].trigger()  # back to the system, which is light
    assert not window_is_dark() and settings.value("view/theme") == "system"
    monkeypatch.setattr(theme, "system_prefers_dark", lambda: True)
    third.controller.view_options.on_system_theme_changed()
    assert window_is_dark() and third.network_view.is_dark()
    third.accept_close()


# -- inputs and ranges are part of the file ------------------------------------------------------------------
def test_an_input_range_change_marks_the_window_modified_and_is_asked_about(window, tmp_path):
    ctrl = window.controller
    path = tmp_path / "lesson.json"
    ctrl.choose_save_path = lambda: str(path)
    assert ctrl.save() and not window.isWindowModified()
    high = window.input_panel.range_boxes(0)[1]
    high.setValue(20.0)
    high.editingFinished.emit()
    assert ctrl.network.input_ranges[0][1] == 20.0
    assert window.isWindowModified() and not ctrl.undo_stack.canUndo()
    assert "input values or ranges" in ctrl.unsaved_summary()
    asked = []
    ctrl.ask_unsaved = lambda: asked.append(ctrl.unsaved_summary()) or "save"
    window.close()
    assert asked and Network.load(path).input_ranges[0][1] == 20.0


def test_saving_clears_the_modified_mark_of_moved_inputs(window, tmp_path):
    ctrl = window.controller
    window.input_panel.spin_box(0).setValue(3.5)
    assert window.isWindowModified()
    path = tmp_path / "inputs.json"
    ctrl.choose_save_path = lambda: str(path)
    assert ctrl.save()
    assert not window.isWindowModified()
    assert Network.load(path).input_values[0] == 3.5


# -- Keras files ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["legacy_sequential.h5", "relu_family.keras"])
def test_save_after_opening_a_keras_model_asks_for_a_new_name(window, tmp_path, name):
    ctrl = window.controller
    model = tmp_path / name
    model.write_bytes((KERAS_MODEL / name).read_bytes())
    original = model.read_bytes()
    assert ctrl.open(str(model))
    choose(window, 1, "tanh")
    asked = []
    target = tmp_path / "mine.json"
    ctrl.choose_save_path = lambda: asked.append(ctrl.files.suggested_path(".json")) or str(target)
    window.actions["save"].trigger()
    assert asked == [str(model.with_suffix(".json"))]  # suggested next to the model, as .json
    assert model.read_bytes() == original  # the Keras file is never overwritten by Save
    assert Network.load(target).layers[0].activation == "tanh"
    assert ctrl.path == str(target) and not window.isWindowModified()


def test_export_keras_writes_a_model_that_loads_back_and_keeps_the_file(window, tmp_path):
    ctrl = window.controller
    out = tmp_path / "model.keras"
    ctrl.choose_keras_path = lambda: str(out)
    window.actions["export_keras"].trigger()
    again = Network.load(out)
    x = np.array([0.5, -1.0, 2.0])
    np.testing.assert_allclose(again.forward(x).outputs, ctrl.network.forward(x).outputs, rtol=1e-6)
    assert ctrl.path is None  # the network on screen keeps its own (no) file
    assert f"Exported the Keras model {out}" in window.statusBar().currentMessage()


def test_export_keras_of_a_custom_formula_explains_why_not(window, tmp_path):
    ctrl = window.controller
    ctrl.edit("custom", lambda net: net.set_custom_activation(1, "x * sigmoid(beta * x)", beta=1.5), 1)
    out = tmp_path / "model.keras"
    assert not ctrl.export_keras(str(out))
    boxes = [box for box in window.findChildren(QMessageBox) if box.isVisible()]
    assert boxes and "custom" in boxes[-1].text().lower()
    assert not out.exists()


# -- the command line ----------------------------------------------------------------------------------------
def test_a_bad_argument_is_one_line(capsys):
    with pytest.raises(SystemExit) as stop:
        app_module.main(["one.json", "two.json"])
    assert stop.value.code == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines == ["neuroviz: unrecognized arguments: two.json (see neuroviz --help)"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X displays are a Linux matter here")
def test_an_unreachable_display_is_explained(monkeypatch):
    import ctypes.util

    if ctypes.util.find_library("xcb") is None:
        pytest.skip("libxcb is not installed, so the connection cannot be tried")
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: name if name != "xcb" else "libxcb.so.1")
    message = app_module.display_problem({"QT_QPA_PLATFORM": "", "DISPLAY": ":254"})
    assert message is not None and "cannot connect to the X display ':254'" in message


def test_a_keras_activation_that_cannot_merge_shows_as_its_own_column(window):
    ctrl = window.controller
    assert ctrl.open(str(KERAS_MODEL / "relu_then_softmax.keras"))  # Dense(3, relu) → Softmax
    assert ctrl.network.sizes == [4, 3, 3]
    assert [layer.activation for layer in ctrl.network.layers] == ["relu", "softmax"]
    np.testing.assert_array_equal(ctrl.network.layers[1].weights, np.eye(3))
    headers = " ".join(window.network_view.header_texts())
    assert "scores" in headers and "probabilities" in headers  # the Keras layer names
    assert window.layer_panel.combo(2).activation() == "softmax"
    assert window.outputs_chart.y_label() == "probability"


def test_the_gui_modules_import_before_any_application_exists():
    """Embedders import first and make their QApplication later: nothing may need one at import time."""
    import subprocess

    script = "import neuroviz.app, neuroviz.controller, neuroviz.views.main_window, neuroviz.cli_export; print('ok')"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


# -- what the network view cannot show is said -----------------------------------------------------------------
def test_values_that_do_not_fit_on_the_neurons_are_explained_in_the_status_bar(window):
    ctrl = window.controller
    ctrl.set_network(Network.from_sizes([2] + [100] * 3 + [2], seed=0), None)  # strips: no room for numbers
    window.actions["show_values"].setChecked(True)
    message = window.statusBar().currentMessage()
    assert "Values are not written" in message and "Hover a neuron" in message
    ctrl.set_network(Network.from_sizes([2, 3, 2], seed=0), None)  # room for every value again
    assert window.network_view.labels_hidden_reason() is None
    assert window.statusBar().currentMessage() == ""


def test_layer_headers_have_the_whole_description_as_tooltip(window):
    ctrl = window.controller
    ctrl.edit("slope", lambda net: net.set_activation(1, "relu", negative_slope=0.1), 1)
    tip = window.network_view.header_tooltip(1)
    assert "relu(negative_slope=0.1)" in tip and ctrl.network.layers[0].name in tip


def test_save_as_keras_keeps_the_modified_mark_for_inputs_a_keras_file_cannot_hold(window, tmp_path):
    ctrl = window.controller
    window.input_panel.spin_box(0).setValue(4.5)  # an input value: a .keras model has no place for it
    out = tmp_path / "model.keras"
    ctrl.choose_save_path = lambda: str(out)
    assert ctrl.save_as()
    assert Network.load(out).input_values[0] != 4.5
    assert window.isWindowModified()  # so closing still asks, rather than losing the value silently
    assert "input values" in ctrl.unsaved_summary()
    assert "keeps no input names, values or ranges" in window.statusBar().currentMessage()


def test_a_closed_window_lets_go_of_the_applications_signals(qtbot, settings):
    """Tests, the benchmark and embedders close windows while the application lives on: no receivers pile up."""
    from PySide6.QtGui import QGuiApplication

    from neuroviz.app import build_window

    app, hints = QApplication.instance(), QGuiApplication.styleHints()
    before = (
        app.receivers("2focusChanged(QWidget*,QWidget*)"),
        hints.receivers("2colorSchemeChanged(Qt::ColorScheme)"),
    )

    def counts():
        return app.receivers("2focusChanged(QWidget*,QWidget*)"), hints.receivers(
            "2colorSchemeChanged(Qt::ColorScheme)"
        )

    for _ in range(3):
        win = build_window(settings=settings)
        qtbot.addWidget(win)
        assert counts() == (before[0] + 1, before[1] + 1)  # (so the signatures above are the real ones)
        win.accept_close()
    after = (app.receivers("2focusChanged(QWidget*,QWidget*)"), hints.receivers("2colorSchemeChanged(Qt::ColorScheme)"))
    assert after == before
