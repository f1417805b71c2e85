"""Arrow steps land on the decimal grid (issue 10, item 10): up and back down is the number it was, exactly."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from neuroviz.app import build_window
from neuroviz.model import Network
from neuroviz.views.number_box import NumberBox, step_on_grid


class Clock:
    """Merging quick edits depends on time; the test moves this clock by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("value", "step", "steps", "expected"),
    [
        (0.0, 0.1, 3, 0.3),
        (0.3, 0.1, -3, 0.0),
        (0.30000000000000004, 0.1, -1, 0.2),  # binary noise of an earlier sum goes
        (0.123, 0.1, 1, 0.223),  # the value's own decimals stay
        (1e300, 0.1, 1, 1e300),  # a step below the value's resolution changes nothing
        (-0.4, 0.25, 2, 0.1),
        (4e-323, 1e-323, -3, 1e-323),
        (0.1234567891234, 1.0, 1, 1.1234567891234),
    ],
)
def test_step_on_grid_table(value, step, steps, expected):
    assert step_on_grid(value, step, steps) == expected


@given(
    st.integers(-(10**6), 10**6),
    st.integers(-3, 3),
    st.sampled_from([0.001, 0.01, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0]),
    st.integers(1, 50),
)
def test_n_steps_up_then_n_down_give_the_decimal_back_exactly(mantissa, exponent, step, n):
    value = float(f"{mantissa}e{exponent}")
    up = value
    for _ in range(n):
        up = step_on_grid(up, step, 1)
    down = up
    for _ in range(n):
        down = step_on_grid(down, step, -1)
    assert down == value
    assert up == step_on_grid(value, step, n)  # n single steps equal one step of n


def test_arrow_clicks_on_the_widget_come_back_to_exactly_zero(qtbot):
    box = NumberBox(minimum=0.0)
    qtbot.addWidget(box)
    box.setSingleStep(0.1)
    box.show()
    seen = []
    box.valueChanged.connect(seen.append)
    for _ in range(3):
        box.stepUp()
    assert box.value() == 0.3 and box.text() == "0.3"
    for _ in range(3):
        box.stepDown()
    assert box.value() == 0.0 and box.text() == "0"
    assert seen == [0.1, 0.2, 0.3, 0.2, 0.1, 0.0]


def test_arrow_keys_step_from_a_typed_number_with_one_signal(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    box = NumberBox(host)
    box.setSingleStep(0.1)
    host.show()
    seen = []
    box.valueChanged.connect(seen.append)
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "0.7")
    qtbot.keyClick(box, Qt.Key.Key_Down)  # reads 0.7, then steps: one signal for both
    assert seen == [0.6]
    for _ in range(6):
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.value() == 0.0 and seen[-1] == 0.0


def test_an_incomplete_typed_number_is_read_without_a_step(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    box = NumberBox(host)
    box.setValue(3.0)
    host.show()
    seen = []
    box.valueChanged.connect(seen.append)
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "2.")  # Intermediate: Qt reads it but does not step
    qtbot.keyClick(box, Qt.Key.Key_Up)
    assert seen == [2.0] and box.value() == 2.0


@pytest.mark.parametrize("param", ["negative_slope", "threshold"])
def test_three_up_three_down_in_the_window_leaves_no_undo_step(qtbot, settings, tmp_path, param):
    path = tmp_path / "relu.json"
    Network.from_sizes([2, 3, 1], activations=["relu", "linear"], seed=0).save(path)
    window = build_window(path, settings=settings)
    qtbot.addWidget(window)
    window.controller.ask_unsaved = lambda: "discard"
    ctrl = window.controller
    ctrl.clock = clock = Clock()
    box = window.layer_panel.param_editor(1, param)
    box.setFocus()
    for key in [Qt.Key.Key_Up] * 3 + [Qt.Key.Key_Down] * 3:
        qtbot.keyClick(box, key)
        clock.now += 0.1
    assert box.value() == 0.0 and box.text() == "0"
    assert ctrl.network.layers[0].params[param] == 0.0
    assert ctrl.undo_stack.count() == 0
    assert not window.isWindowModified()
    window.accept_close()
