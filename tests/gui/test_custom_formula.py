"""Custom activation formulas in the live window: the "Custom…" entry, the formula editor, the custom layer card.

Driven as a person would: pick "Custom…" in a layer's combo box, type in the editor, press OK or Cancel, edit the
parameter's spin box, undo, save and reopen.
"""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest
from driving import shown_matches_forward
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from neuroviz.model import Network, picture
from neuroviz.views.export_dialog import ExportChoice
from neuroviz.views.formula_editor import EXAMPLE_FORMULA, PREVIEW_X, FormulaEditor, error_span
from neuroviz.views.layer_panel import ACTIVATION_ROLE, CUSTOM_CHOICE

SWISH = "x * sigmoid(beta * x)"


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def swish(z, beta):
    return z * sigmoid(beta * z)


def swish_derivative(z, beta):
    s = sigmoid(beta * z)
    return s + beta * z * s * (1.0 - s)


def open_editor(window, k: int) -> FormulaEditor:
    """Choose "Custom…" in layer k's combo box, as a user clicking it; the controller opens the editor."""
    combo = window.layer_panel.combo(k)
    index = combo.findData(CUSTOM_CHOICE, ACTIVATION_ROLE)
    assert index == combo.count() - 1  # the last entry
    combo.setCurrentIndex(index)
    editor = window.controller.formula_editor
    assert editor is not None and editor.isVisible()
    return editor


def retype(qtbot, editor: FormulaEditor, text: str) -> None:
    """Select everything in the formula line edit and type ``text`` over it, key by key."""
    edit = editor.formula_edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def test_custom_is_the_last_entry_in_a_group_of_its_own(window):
    combo = window.layer_panel.combo(1)
    model = combo.model()
    rows = combo.header_rows()
    assert model.index(rows[-1], 0).data() == "Custom"
    assert rows[-1] == combo.count() - 2  # header, then "Custom…"
    assert combo.itemText(combo.count() - 1) == "Custom…"
    assert "formula" in model.item(combo.count() - 1).toolTip()
    assert CUSTOM_CHOICE not in combo.activation_names()


def test_custom_opens_the_editor_prefilled_with_the_example(window):
    ctrl = window.controller
    before = ctrl.network.copy()
    editor = open_editor(window, 1)
    assert editor.formula() == EXAMPLE_FORMULA == SWISH
    assert editor.params() == {"beta": 1.0}
    assert editor.ok_button().isEnabled() and editor.error() is None
    assert not editor.error_label.isVisible()
    x, f = editor.preview.curve_data()
    np.testing.assert_allclose(x, PREVIEW_X)
    np.testing.assert_allclose(f, swish(x, 1.0), rtol=1e-12, atol=1e-15)
    _, df = editor.preview.derivative_data()
    np.testing.assert_allclose(df, swish_derivative(x, 1.0), rtol=1e-10, atol=1e-14)
    assert editor.derivative_label.text().startswith("f′(x) = ")
    assert editor.preview.legend_labels() == ["f(x)", "f′(x)"]
    # while the dialog is open nothing has changed yet
    assert ctrl.network.layers[0].activation == before.layers[0].activation
    assert ctrl.undo_stack.count() == 0
    editor.reject()


def test_a_typo_is_shown_inline_with_its_column_and_blocks_ok(window, qtbot):
    editor = open_editor(window, 1)
    retype(qtbot, editor, "x * sigmoid(bta * x)")
    message = editor.error_label.text()
    assert "unknown name 'bta'" in message
    assert "at column 13" in message
    assert "did you mean 'beta'?" in message
    assert editor.error_label.isVisible()
    assert not editor.ok_button().isEnabled()
    # the offending word is marked in the copy under the line edit, and selected when Enter is pressed
    assert "bta</span>" in editor.mark_label.text()
    qtbot.keyClick(editor.formula_edit, Qt.Key.Key_Return)
    assert editor.formula_edit.selectionStart() == 12
    assert editor.formula_edit.selectedText() == "bta"
    assert editor.isVisible()  # Enter did not accept an invalid formula
    editor.ok_button().click()
    editor.accept()
    assert editor.isVisible() and window.controller.undo_stack.count() == 0
    # typing over the selection fixes it: OK comes back and the preview is the new formula
    qtbot.keyClicks(editor.formula_edit, "beta")
    assert editor.formula() == SWISH
    assert editor.error() is None and editor.ok_button().isEnabled()
    assert editor.error_label.text() == "" and not editor.mark_label.isVisible()
    editor.param_value_box(0).setValue(2.5)
    x, f = editor.preview.curve_data()
    np.testing.assert_allclose(f, swish(x, 2.5), rtol=1e-12, atol=1e-15)
    editor.reject()


def test_a_formula_that_does_not_parse_keeps_the_last_valid_preview(window, qtbot):
    editor = open_editor(window, 1)
    retype(qtbot, editor, "tanh(x) ** 2")
    x, f = editor.preview.curve_data()
    np.testing.assert_allclose(f, np.tanh(x) ** 2, rtol=1e-12, atol=1e-15)
    qtbot.keyClicks(editor.formula_edit, " *")
    assert "ends too early" in editor.error_label.text()
    assert "column 15" in editor.error_label.text()
    assert editor.preview.title() == "preview of the last valid formula"
    _, still = editor.preview.curve_data()
    np.testing.assert_array_equal(still, f)
    editor.reject()


def test_ok_is_one_undoable_edit_and_the_views_follow(window, qtbot):
    ctrl = window.controller
    old = ctrl.network.layers[0].activation
    editor = open_editor(window, 1)
    editor.param_value_box(0).setValue(1.5)
    editor.ok_button().click()
    assert ctrl.formula_editor is None
    layer = ctrl.network.layers[0]
    assert (layer.activation, layer.formula, layer.params) == ("custom", SWISH, {"beta": 1.5})
    assert ctrl.undo_stack.count() == 1 and window.isWindowModified()
    shown_matches_forward(window)
    z = ctrl.propagation.pre_activations[1]
    np.testing.assert_allclose(ctrl.propagation.activations[1], swish(z, 1.5), rtol=1e-12, atol=1e-15)
    # the layer card: "custom: <formula>" in the combo box, the formula under it, a spin box for beta
    panel = window.layer_panel
    combo = panel.combo(1)
    assert combo.currentText() == f"custom: {SWISH}"
    assert combo.activation() == "custom"
    combo.resize(120, combo.height())  # a narrow box elides the entry instead of cutting it off
    assert combo.shown_text().startswith("custom: x") and combo.shown_text().endswith("…")
    assert SWISH in combo.model().item(combo.currentIndex()).toolTip()
    assert panel.formula_text(1) == f"f(x) = {SWISH}"
    assert panel.param_names(1) == ["beta"]
    assert panel.param_editor(1, "beta").value() == 1.5
    assert panel.edit_formula_button(1).isVisible()
    assert not panel.edit_formula_button(2).isVisible()
    # the plot shows the formula for this layer, its neurons on the curve; the column header names it
    x, f = window.activation_plot.curve_data()
    np.testing.assert_allclose(f, swish(x, 1.5), rtol=1e-12, atol=1e-15)
    zs, _ = window.activation_plot.point_data()
    np.testing.assert_allclose(zs, z)
    assert picture.layer_header(ctrl.network, 1) == f"hidden 1\n6 · {SWISH}"
    assert any(text.startswith("6 · x * sig") for text in window.network_view.header_texts())
    window.actions["undo"].trigger()
    assert ctrl.network.layers[0].activation == old and ctrl.network.layers[0].formula is None
    assert combo.activation() == old and combo.current_custom_text() == ""
    assert not panel.edit_formula_button(1).isVisible()
    assert not window.isWindowModified()
    shown_matches_forward(window)
    window.actions["redo"].trigger()
    assert ctrl.network.layers[0].formula == SWISH
    assert combo.currentText() == f"custom: {SWISH}"


def test_editing_beta_in_the_layer_card_changes_the_output_live(window):
    ctrl = window.controller
    editor = open_editor(window, 2)
    editor.ok_button().click()
    ctrl.flush()
    outputs_before = window.outputs_chart.bar_heights().copy()
    window.layer_panel.param_editor(2, "beta").setValue(4.0)
    ctrl.flush()
    assert ctrl.network.layers[1].params == {"beta": 4.0}
    assert ctrl.network.layers[1].formula == SWISH
    assert not np.allclose(window.outputs_chart.bar_heights(), outputs_before)
    shown_matches_forward(window)
    z = ctrl.propagation.pre_activations[2]
    np.testing.assert_allclose(ctrl.propagation.activations[2], swish(z, 4.0), rtol=1e-12, atol=1e-15)
    window.layer_panel.param_editor(2, "beta").setValue(0.5)  # stepping the same box: one undo step
    assert ctrl.undo_stack.count() == 2
    window.actions["undo"].trigger()
    assert ctrl.network.layers[1].params == {"beta": 1.0}
    assert window.layer_panel.param_editor(2, "beta").value() == 1.0


def test_save_and_reopen_keeps_the_formula(window, tmp_path):
    ctrl = window.controller
    editor = open_editor(window, 1)
    editor.formula_edit.setText("where(x > 0, x, alpha * expm1(x))")
    editor.add_missing_button.click()  # "Add “alpha” as a parameter"
    assert editor.params() == {"beta": 1.0, "alpha": 1.0}
    editor.param_value_box(1).setValue(0.75)
    editor.param_remove_button(0).click()  # beta is no longer used
    assert editor.params() == {"alpha": 0.75}
    editor.ok_button().click()
    path = tmp_path / "elu-like.json"
    ctrl.choose_save_path = lambda: str(path)
    assert ctrl.save()
    saved = ctrl.network.copy()
    window.actions["new"].trigger()
    assert ctrl.network.layers[0].formula is None
    assert ctrl.open(str(path))
    layer = ctrl.network.layers[0]
    assert (layer.activation, layer.formula, layer.params) == (
        "custom",
        "where(x > 0, x, alpha * expm1(x))",
        {"alpha": 0.75},
    )
    np.testing.assert_array_equal(layer.weights, saved.layers[0].weights)
    assert window.layer_panel.combo(1).currentText() == "custom: where(x > 0, x, alpha * expm1(x))"
    assert window.layer_panel.param_editor(1, "alpha").value() == 0.75
    z = ctrl.propagation.pre_activations[1]
    np.testing.assert_allclose(ctrl.propagation.activations[1], np.where(z > 0, z, 0.75 * np.expm1(z)))
    shown_matches_forward(window)


def test_cancel_leaves_everything_unchanged(window, qtbot):
    ctrl = window.controller
    before = ctrl.network.copy()
    title = window.windowTitle()
    editor = open_editor(window, 2)
    retype(qtbot, editor, "x ** 3")
    editor.add_param("gamma", 2.0)
    editor.button_box.button(editor.button_box.StandardButton.Cancel).click()
    assert ctrl.formula_editor is None
    assert window.layer_panel.combo(2).activation() == "tanh"
    assert window.layer_panel.combo(2).current_custom_text() == ""
    assert window.layer_panel.formula_text(2).startswith("f(x) = ")
    assert ctrl.undo_stack.count() == 0 and not window.isWindowModified()
    assert window.windowTitle() == title
    for a, b in zip(ctrl.network.layers, before.layers, strict=True):
        assert (a.activation, a.formula, a.params) == (b.activation, b.formula, b.params)
        np.testing.assert_array_equal(a.weights, b.weights)
    shown_matches_forward(window)


def test_cancelling_an_edit_of_a_custom_layer_keeps_its_formula(window, qtbot):
    ctrl = window.controller
    open_editor(window, 1).ok_button().click()
    window.layer_panel.edit_formula_button(1).click()
    editor = ctrl.formula_editor
    assert editor.formula() == SWISH and editor.params() == {"beta": 1.0}
    retype(qtbot, editor, "sin(x)")
    editor.reject()
    assert ctrl.network.layers[0].formula == SWISH
    assert window.layer_panel.combo(1).currentText() == f"custom: {SWISH}"
    assert ctrl.undo_stack.count() == 1


def test_reopening_the_editor_changes_the_formula_and_its_spin_boxes(window, qtbot):
    ctrl = window.controller
    open_editor(window, 1).ok_button().click()
    window.layer_panel.edit_formula_button(1).click()
    editor = ctrl.formula_editor
    retype(qtbot, editor, "softplus(k * x) / k")
    assert "unknown name 'k'" in editor.error_label.text()
    editor.add_missing_button.click()
    editor.param_value_box(1).setValue(3.0)
    editor.remove_param(0)
    editor.ok_button().click()
    layer = ctrl.network.layers[0]
    assert (layer.formula, layer.params) == ("softplus(k * x) / k", {"k": 3.0})
    assert window.layer_panel.param_names(1) == ["k"]
    z = ctrl.propagation.pre_activations[1]
    np.testing.assert_allclose(ctrl.propagation.activations[1], np.logaddexp(0, 3 * z) / 3, rtol=1e-12)
    # OK on an unchanged formula adds no undo step
    window.layer_panel.edit_formula_button(1).click()
    ctrl.formula_editor.ok_button().click()
    assert ctrl.undo_stack.count() == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("__import__('os').system('touch {marker}')", "names may not contain '__'"),
        ("().__class__", "no attribute access"),
        ("x.__dict__", "no attribute access"),
        ("lambda: 0", "keyword 'lambda' is not allowed"),
        ("open('{marker}', 'w')", "quotes are not allowed"),
        ("open(x)", "unknown name 'open'"),
        ("9 ** 9 ** 9 ** 9", ""),
    ],
)
def test_hostile_formulas_are_refused_inline(window, qtbot, tmp_path, text, expected):
    marker = tmp_path / "pwned"
    ctrl = window.controller
    editor = open_editor(window, 1)
    retype(qtbot, editor, text.format(marker=marker))
    if expected == "":  # a huge constant power parses but is only a number (inf): nothing hangs or runs
        assert editor.error() is None and editor.parsed()(0.0) == math.inf
        editor.reject()
    else:
        assert expected in editor.error_label.text()
        assert not editor.ok_button().isEnabled()
        editor.accept()
        assert editor.isVisible()
        editor.reject()
    assert not marker.exists()
    assert ctrl.network.layers[0].activation == "relu" and ctrl.undo_stack.count() == 0


def test_parameter_names_are_checked(window, qtbot):
    editor = open_editor(window, 1)
    row = editor.add_param()
    name = editor.param_name_edit(row)
    assert name.text() == "a"  # a free name that can be a parameter
    for bad, message in [
        ("x", "'x' is the input"),
        ("exp", "is a function name"),
        ("relu", "is a function name"),
        ("beta", "declared twice"),
        ("", "parameter 2 has no name"),
        ("pi", "is reserved"),
        ("__a", "may not contain '__'"),
    ]:
        name.setText(bad)
        assert message in editor.error_label.text(), bad
        assert not editor.ok_button().isEnabled() and editor.bad_row() == row
        assert "border" in name.styleSheet()
    # characters that cannot be in a name are refused while typing
    name.clear()
    name.setFocus()
    qtbot.keyClicks(name, "g-am ma!")  # ASCII only: QTest cannot type other keys
    assert name.text() == "gamma"
    assert editor.ok_button().isEnabled() and editor.bad_row() is None and name.styleSheet() == ""
    assert editor.params() == {"beta": 1.0, "gamma": 1.0}
    editor.reject()


def test_error_span_marks_the_offending_token():
    assert error_span("x * sigmoid(bta * x)", 12) == (12, 3)
    assert error_span("x ** 2 $", 7) == (7, 1)
    assert error_span("x *", 3) == (3, 0)
    assert error_span("2.5e3x", 0) == (0, 5)
    assert error_span("abc", None) == (0, 0)


def test_exports_and_guide_work_for_a_custom_layer(window, tmp_path):
    ctrl = window.controller
    open_editor(window, 1).ok_button().click()
    curve_path = tmp_path / "curve.csv"
    choice = ExportChoice("curve", "csv", 1.0, False, 0, 11)
    assert ctrl.export(choice, str(curve_path)), ctrl.last_error
    with open(curve_path, newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["x", "f(x)", "f'(x)"]
    xs = np.array([float(r[0]) for r in rows[1:]])
    np.testing.assert_allclose([float(r[1]) for r in rows[1:]], swish(xs, 1.0), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose([float(r[2]) for r in rows[1:]], swish_derivative(xs, 1.0), rtol=1e-9, atol=1e-14)
    table_path = tmp_path / "activations.csv"
    assert ctrl.export(ExportChoice("activations", "csv", 1.0, False, 0, 11), str(table_path))
    with open(table_path, newline="", encoding="utf-8") as stream:
        layer_1 = [r for r in csv.DictReader(stream) if r["layer"] == "1"]
    np.testing.assert_array_equal([float(r["activation"]) for r in layer_1], ctrl.propagation.activations[1])
    png = tmp_path / "plot.png"
    assert ctrl.export(ExportChoice("activation", "png", 1.0, False, 0, 11), str(png))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    window.actions["guide"].trigger()  # the guide has no page for a formula: it opens without failing
    assert ctrl._guide.isVisible()
    ctrl._guide.close()


def test_a_custom_network_file_opens_with_its_formula_shown(window, tmp_path):
    net = Network.from_sizes([2, 3, 1], activations=["tanh", "linear"], seed=1)
    net.set_custom_activation(1, "log1p(abs(x)) * sign(x) * s", s=2.0)
    path = tmp_path / "signed-log.json"
    net.save(path)
    ctrl = window.controller
    assert ctrl.open(str(path))
    combo = window.layer_panel.combo(1)
    assert combo.currentText() == "custom: log1p(abs(x)) * sign(x) * s"
    assert window.layer_panel.param_editor(1, "s").value() == 2.0
    assert window.layer_panel.param_editor(1, "s").text() == "2"
    z = ctrl.propagation.pre_activations[1]
    np.testing.assert_allclose(ctrl.propagation.activations[1], 2 * np.log1p(np.abs(z)) * np.sign(z))
    shown_matches_forward(window)
    # a network without custom layers clears the custom entry of the combo box
    ctrl.set_network(Network.from_sizes([2, 3, 1], activations=["tanh", "linear"], seed=1), None)
    assert window.layer_panel.combo(1).current_custom_text() == ""
    assert not any(isinstance(w, QMessageBox) and w.isVisible() for w in window.findChildren(QMessageBox))
    assert math.isfinite(float(ctrl.propagation.outputs[0]))


def test_a_formula_with_a_less_than_sign_is_shown_as_typed(window):
    """ "x<beta" must not be read as an HTML tag anywhere the formula is shown as text."""
    from PySide6.QtGui import QTextDocument

    editor = open_editor(window, 1)
    editor.formula_edit.setText("where(x<beta, x, beta * x)")
    assert editor.is_valid()
    assert editor.derivative_label.textFormat() == Qt.TextFormat.PlainText
    editor.ok_button().click()
    card_label = window.layer_panel.card(1).formula
    assert card_label.textFormat() == Qt.TextFormat.PlainText
    assert card_label.text() == "f(x) = where(x<beta, x, beta * x)"
    tooltip = QTextDocument()
    tooltip.setHtml(window.layer_panel.combo(1).model().item(window.layer_panel.combo(1).currentIndex()).toolTip())
    assert "where(x<beta, x, beta * x)" in tooltip.toPlainText()


# -- what the editor shows agrees with the line as typed, spaces included ----------------------------------------------
@pytest.mark.parametrize(("before", "after"), [("   ", ""), ("", "    "), ("  ", "  ")])
def test_columns_marks_and_selection_count_the_spaces_the_person_typed(window, qtbot, before, after):
    editor = open_editor(window, 1)
    retype(qtbot, editor, before + "x * sigmoid(bta * x)" + after)
    column = len(before) + 13
    assert f"unknown name 'bta' at column {column}" in editor.error_label.text()
    assert editor.error().column == column
    # the mark sits on "bta" in the copy under the line edit, and Enter selects that very word
    assert "bta</span>" in editor.mark_label.text()
    assert f"{before}x * sigmoid(<span" in editor.mark_label.text()
    qtbot.keyClick(editor.formula_edit, Qt.Key.Key_Return)
    assert editor.formula_edit.selectedText() == "bta"
    assert editor.formula_edit.selectionStart() == column - 1
    # retyping the selection fixes it; the formula is stored without the outer spaces
    qtbot.keyClicks(editor.formula_edit, "beta")
    assert editor.error() is None and editor.formula() == SWISH
    editor.ok_button().click()
    assert window.controller.network.layers[0].formula == SWISH


def test_a_column_in_the_hint_counts_the_leading_spaces_too(window, qtbot):
    editor = open_editor(window, 1)
    retype(qtbot, editor, "    x * (1 + x")
    message = editor.error_label.text()
    assert "the '(' at column 9 is never closed" in message  # "(" is the 9th character of the line
    assert editor.formula_edit.text()[8] == "("
    editor.reject()


# -- parameter values of any size, kept exactly ---------------------------------------------------------------------
def open_custom_file(window, tmp_path, params):
    net = Network.from_sizes([2, 3, 1], activations=["tanh", "linear"], seed=1)
    net.set_custom_activation(1, "x * b + c", **params)
    path = tmp_path / "bigparam.json"
    net.save(path)
    assert window.controller.open(str(path))


def test_huge_and_tiny_parameters_survive_edit_formula_and_ok(window, tmp_path):
    ctrl = window.controller
    params = {"b": 1e300, "c": 1.23456789e-7}
    open_custom_file(window, tmp_path, params)
    panel = window.layer_panel
    assert [panel.param_editor(1, name).text() for name in params] == ["1e300", "1.23457e-7"]
    assert [panel.param_editor(1, name).value() for name in params] == [1e300, 1.23456789e-7]
    panel.edit_formula_button(1).click()
    editor = ctrl.formula_editor
    assert editor.params() == params
    assert [editor.param_value_box(row).text() for row in range(2)] == ["1e300", "1.23457e-7"]
    editor.ok_button().click()
    assert ctrl.network.layers[0].params == params
    assert ctrl.undo_stack.count() == 0  # OK without a change changes nothing


def test_enter_in_a_parameter_box_of_the_editor_keeps_its_value(window, qtbot, tmp_path):
    ctrl = window.controller
    open_custom_file(window, tmp_path, {"b": 1e300, "c": 5e-324})
    window.layer_panel.edit_formula_button(1).click()
    editor = ctrl.formula_editor
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    for row in range(2):
        box = editor.param_value_box(row)
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Tab)
    assert editor.params() == {"b": 1e300, "c": 5e-324}
    box = editor.param_value_box(0)
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "2.5e-3")  # the 'e' is a digit of the number, not refused
    assert editor.params()["b"] == 0.0025
    editor.ok_button().click()
    assert ctrl.network.layers[0].params == {"b": 0.0025, "c": 5e-324}
    assert ctrl.undo_stack.count() == 1
