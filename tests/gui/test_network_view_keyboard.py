"""NetworkView keyboard use (issue 10 item 14): a focus ring moved by the arrow keys, Enter/Space select, Tab order."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QToolTip

from neuroviz.views.export import render_image
from neuroviz.views.network_view import NetworkView

SIZES = [3, 6, 5, 3]
HEADERS = ["input\n3", "hidden 1\n6 · relu", "hidden 2\n5 · tanh", "output\n3 · softmax"]


def make_frame(sizes, seed=0):
    rng = np.random.default_rng(seed)
    values = [np.tanh(rng.normal(size=s)) for s in sizes]
    edges = [rng.normal(scale=0.6, size=(a, b)) for a, b in itertools.pairwise(sizes)]
    biases = [rng.normal(scale=0.3, size=b) for b in sizes[1:]]
    status = [np.zeros(s, dtype=np.int8) for s in sizes]
    return values, edges, biases, status


def shown_view(qtbot, sizes=SIZES, headers=HEADERS, size=(800, 500)) -> NetworkView:
    v = NetworkView()
    qtbot.addWidget(v)
    v.resize(*size)
    v.show()
    qtbot.waitExposed(v)
    v.set_structure(sizes, headers)
    v.set_values(*make_frame(sizes), 1.0, 1.0, 1.0)
    return v


@pytest.fixture
def view(qtbot):
    return shown_view(qtbot)


def ring_centre(view: NetworkView) -> QPointF | None:
    rect = view.focus_ring_rect()
    return None if rect is None else rect.center()


def press(qtbot, view: NetworkView, *keys: Qt.Key) -> None:
    for key in keys:
        qtbot.keyClick(view, key)


def test_the_view_takes_the_keyboard_focus(view):
    assert view.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert view.focusPolicy() & Qt.FocusPolicy.ClickFocus


def test_no_ring_until_the_keyboard_is_used_then_it_starts_on_the_first_input(qtbot, view):
    assert view.focus_ring_rect() is None
    with qtbot.waitSignal(view.neuronHovered) as hovered:
        press(qtbot, view, Qt.Key.Key_Down)  # the first key shows where the keyboard is; it does not move yet
    assert hovered.args == [0, 0]
    assert view.focus_neuron() == (0, 0)
    assert ring_centre(view) == view.neuron_position(0, 0)


def test_the_first_key_starts_on_the_selected_neuron(qtbot, view):
    view.set_selection(2, 3)
    press(qtbot, view, Qt.Key.Key_Right)
    assert view.focus_neuron() == (2, 3)


def test_arrows_move_the_ring_within_a_column_and_between_columns(qtbot, view):
    press(qtbot, view, Qt.Key.Key_Down)  # shows the ring on input 1
    moves, hovered = [], []
    view.neuronHovered.connect(lambda layer, index: hovered.append((layer, index)))
    press(qtbot, view, Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Down)  # 3 inputs: stops at the last
    moves.append(view.focus_neuron())
    assert hovered == [(0, 1), (0, 2), (0, 2)]  # each key says where it is, as a mouse hover would
    press(qtbot, view, Qt.Key.Key_Right)  # input 3 (bottom of 3) → the neuron of hidden 1 at the same height
    moves.append(view.focus_neuron())
    press(qtbot, view, Qt.Key.Key_Up)
    moves.append(view.focus_neuron())
    press(qtbot, view, Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Right)  # stops at the output column
    moves.append(view.focus_neuron())
    press(qtbot, view, Qt.Key.Key_Home)
    moves.append(view.focus_neuron())
    press(qtbot, view, Qt.Key.Key_End)
    moves.append(view.focus_neuron())
    press(qtbot, view, Qt.Key.Key_Left)
    moves.append(view.focus_neuron())
    assert moves == [(0, 2), (1, 4), (1, 3), (3, 1), (3, 0), (3, 2), (2, 3)]
    assert ring_centre(view) == view.neuron_position(2, 3)


@pytest.mark.parametrize(("index", "expected"), [(0, 1), (1, 2), (2, 4)])
def test_left_and_right_go_to_the_neuron_at_the_same_height(qtbot, index, expected):
    view = shown_view(qtbot)  # 3 inputs 72 px apart beside 6 hidden neurons 65 px apart
    view.set_selection(0, index)
    press(qtbot, view, Qt.Key.Key_Right, Qt.Key.Key_Right)  # the first shows the ring on the selection
    assert view.focus_neuron() == (1, expected)
    pitch = view.neuron_position(1, 1).y() - view.neuron_position(1, 0).y()
    assert abs(view.neuron_position(0, index).y() - view.neuron_position(1, expected).y()) <= pitch / 2
    press(qtbot, view, Qt.Key.Key_Left)
    assert view.focus_neuron() == (0, index)  # and back


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space])
def test_enter_and_space_select_the_focused_neuron(qtbot, view, key):
    press(qtbot, view, Qt.Key.Key_Down, Qt.Key.Key_Right, Qt.Key.Key_Down)
    with qtbot.waitSignal(view.neuronClicked) as clicked:
        press(qtbot, view, key)
    assert clicked.args == [1, 2]  # input 1 is level with hidden 1 neuron 2 (of 6)


def test_the_ring_is_drawn_in_the_accent_colour_outside_the_selection_ring(qtbot, view):
    view.set_selection(1, 2)
    press(qtbot, view, Qt.Key.Key_Right)
    rect = view.focus_ring_rect()
    assert rect.center() == view.neuron_position(1, 2)
    assert rect.width() > 2 * view.neuron_radius(1) + 8
    image = view.grab().toImage()
    accent = view.palette().color(QPalette.ColorRole.Accent)
    top = view.viewport().mapTo(view, view.mapFromScene(QPointF(rect.center().x(), rect.top())))
    found = [
        image.pixelColor(top.x() + dx, top.y() + dy) for dx in range(-6, 7) for dy in range(-2, 3)
    ]  # the dashed ring at the top of its box
    assert any(_close(c, accent) for c in found)


def test_the_ring_is_left_out_of_exports(qtbot, view):
    before = render_image(view)
    press(qtbot, view, Qt.Key.Key_Down, Qt.Key.Key_Right)
    assert view.focus_ring_rect() is not None
    after = render_image(view)
    assert after == before  # pixel for pixel: the ring is a keyboard aid, not part of the picture
    assert view.focus_ring_rect() is not None  # and it is still shown on screen after the export


def test_the_ring_follows_structure_changes_clamped(qtbot, view):
    press(qtbot, view, Qt.Key.Key_Down, Qt.Key.Key_End, *[Qt.Key.Key_Right] * 3)
    assert view.focus_neuron() == (3, 2)
    view.set_structure([3, 4], ["input\n3", "output\n4"])  # the output column moved to position 1
    assert view.focus_neuron() == (1, 2)
    assert ring_centre(view) == view.neuron_position(1, 2)
    view.set_structure([2, 2], ["input\n2", "output\n2"])
    assert view.focus_neuron() == (1, 1)
    view.resize(600, 400)  # and the layout
    assert ring_centre(view) == view.neuron_position(1, 1)


def test_a_heat_strip_column_is_walked_neuron_by_neuron(qtbot):
    v = shown_view(qtbot, [3, 256, 2], ["input", "hidden", "output"])
    assert v.drawn_as_strip(1)
    press(qtbot, v, Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Right)  # input 2 of 3: the middle
    layer, index = v.focus_neuron()
    assert layer == 1 and abs(index - 127.5) <= 1
    press(qtbot, v, Qt.Key.Key_Down)
    assert v.focus_neuron() == (1, index + 1)
    rect = v.focus_ring_rect()
    assert rect.center() == v.neuron_position(1, index + 1)
    assert rect.width() > v.strip_width()  # around the bar, not a dot-sized circle
    press(qtbot, v, Qt.Key.Key_End, Qt.Key.Key_Right)
    assert v.focus_neuron() == (2, 1)


def test_a_mouse_click_hides_the_ring_and_moves_the_focus_to_the_neuron(qtbot, view):
    press(qtbot, view, Qt.Key.Key_Down)
    assert view.focus_ring_rect() is not None
    port = view.viewport()
    with qtbot.waitSignal(view.neuronClicked):
        qtbot.mouseClick(port, Qt.MouseButton.LeftButton, pos=view.mapFromScene(view.neuron_position(2, 1)))
    assert view.focus_ring_rect() is None
    press(qtbot, view, Qt.Key.Key_Down)  # shows the ring where the click was
    assert view.focus_neuron() == (2, 1)
    press(qtbot, view, Qt.Key.Key_Down)
    assert view.focus_neuron() == (2, 2)


def test_tab_into_the_view_shows_the_ring_without_asking_about_a_neuron(qtbot, view):
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.clearFocus()
    with qtbot.assertNotEmitted(view.neuronHovered):  # Qt also focuses "by Tab" when a focused widget is removed
        view.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(view.hasFocus)
    assert ring_centre(view) == view.neuron_position(0, 0)
    view.clearFocus()
    qtbot.waitUntil(lambda: view.focus_ring_rect() is None)


def test_other_keys_are_left_to_the_window(qtbot, view):
    with qtbot.assertNotEmitted(view.neuronHovered), qtbot.assertNotEmitted(view.neuronClicked):
        press(qtbot, view, Qt.Key.Key_A)
        qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert view.focus_ring_rect() is None


# -- in the window: the inspector follows -------------------------------------------------------------------
def test_keyboard_only_selection_reaches_the_inspector_and_tab_goes_on_to_its_fields(qtbot, window):
    view, inspector = window.network_view, window.inspector
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view.clearFocus()
    view.setFocus(Qt.FocusReason.TabFocusReason)  # as Tab from the widget before it
    qtbot.waitUntil(view.hasFocus)
    assert view.focus_ring_rect() is not None  # Tab into the view shows where the keyboard is
    assert view.focus_neuron() == (0, 0)
    press(qtbot, view, Qt.Key.Key_Down, Qt.Key.Key_Up)
    qtbot.waitUntil(QToolTip.isVisible)  # the focused neuron's facts, as on mouse hover
    assert QToolTip.text().startswith(f"input {window.controller.network.input_names[0]}")
    press(qtbot, view, Qt.Key.Key_Right, Qt.Key.Key_Down)
    layer, index = view.focus_neuron()
    assert layer == 1
    qtbot.waitUntil(lambda: f"neuron: {index + 1} of" in QToolTip.text())
    press(qtbot, view, Qt.Key.Key_Return)
    assert inspector.editing() == (1, index, None)
    layer = window.controller.network.layers[0]
    assert inspector.weight_count() == layer.weights.shape[0]
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: not view.hasFocus())  # Tab leaves the view (no trap) ...
    assert view.focus_ring_rect() is None  # ... and the ring goes with the focus
    first = inspector.weight_box(0)
    for _ in range(150):  # ... and Tab goes on until it reaches the inspector's fields (through the Training dock)
        if first.hasFocus() or first.isAncestorOf(QApplication.focusWidget()):
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert first.hasFocus() or first.isAncestorOf(QApplication.focusWidget())


def _close(a: QColor, b: QColor, tol: int = 40) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))
