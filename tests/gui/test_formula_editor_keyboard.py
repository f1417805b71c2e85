"""The formula editor from the keyboard (issue 10, item 15): Tab walks through the parameter table and out of it."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from neuroviz.views.formula_editor import FormulaEditor


@pytest.fixture
def editor(qtbot):
    dialog = FormulaEditor("a * x + b", {"a": 1.0, "b": 2.0}, "hidden 1")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.formula_edit.setFocus()
    return dialog


def press(qtbot, key, times=1):
    for _ in range(times):
        qtbot.keyClick(QApplication.focusWidget(), key)


def cancel_button(dialog):
    return dialog.button_box.button(QDialogButtonBox.StandardButton.Cancel)


def expected_forward_chain(dialog):
    chain = [dialog.add_param_button]
    for row in range(dialog.param_count()):
        chain += [dialog.param_name_edit(row), dialog.param_value_box(row), dialog.param_remove_button(row)]
    return [*chain, dialog.ok_button(), cancel_button(dialog), dialog.formula_edit]


def test_tab_walks_through_the_rows_to_ok_cancel_and_back_to_the_formula(editor, qtbot):
    chain = expected_forward_chain(editor)
    seen = []
    for _ in chain:
        press(qtbot, Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == chain


def test_shift_tab_leaves_the_table_backwards_to_the_formula(editor, qtbot):
    editor.param_value_box(1).setFocus()
    press(qtbot, Qt.Key.Key_Backtab, 4)  # b's name, ✕ of a, a's value, a's name
    assert QApplication.focusWidget() is editor.param_name_edit(0)
    press(qtbot, Qt.Key.Key_Backtab, 2)  # "+ parameter", then the formula
    assert QApplication.focusWidget() is editor.formula_edit
    press(qtbot, Qt.Key.Key_Backtab)  # and round to the buttons
    assert QApplication.focusWidget() is cancel_button(editor)


def test_tab_from_the_last_cell_reaches_ok_after_rows_change(editor, qtbot):
    editor.formula_edit.setText("b * x + c")
    editor.add_param("c", 3.0)
    editor.remove_param(0)
    assert editor.ok_button().isEnabled()  # a disabled OK would be skipped by Tab
    editor.param_remove_button(editor.param_count() - 1).setFocus()
    press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.ok_button()
    press(qtbot, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is editor.param_remove_button(editor.param_count() - 1)


def test_a_loaded_formula_without_parameters_tabs_from_plus_parameter_to_ok(editor, qtbot):
    editor.load("tanh(x)", {}, "output")
    press(qtbot, Qt.Key.Key_Tab, 2)
    assert QApplication.focusWidget() is editor.ok_button()
