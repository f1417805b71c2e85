"""NetworkEdit, the one undoable edit: exact undo/redo, and a failing install reported, not fatal."""

from PySide6.QtGui import QUndoStack

from neuroviz.commands import NetworkEdit
from neuroviz.model import Network


def test_undo_and_redo_swap_the_network_objects_without_copying(qtbot):
    """An edit costs one copy (the edited network, made by the document); the stack installs the objects it holds."""
    before = Network.from_sizes([2, 3, 1], seed=0)
    after = before.copy()
    after.set_bias(1, 0, 4.0)
    installed = []
    stack = QUndoStack()
    stack.push(NetworkEdit("bias", before, after, lambda net, first, structural, moves: installed.append(net)))
    stack.undo()
    stack.redo()
    assert [float(net.layers[0].biases[0]) for net in installed] == [4.0, 0.0, 4.0]
    assert installed[0] is after and installed[1] is before and installed[2] is after


def test_an_exception_while_installing_is_reported_not_fatal(qtbot):
    """A bug in drawing must not take PySide6 down from inside QUndoStack.push: it reaches sys.excepthook."""
    net = Network.from_sizes([2, 1], seed=0)

    def broken(*_args):
        raise RuntimeError("drawing failed")

    stack = QUndoStack()
    with qtbot.captureExceptions() as caught:
        stack.push(NetworkEdit("edit", net, net.copy(), broken))
        stack.undo()
    assert [str(error) for _, error, _ in caught] == ["drawing failed", "drawing failed"]
    assert stack.index() == 0  # the stack itself carried on


class Clock:
    """A clock the test moves by hand: merging depends on time, tests must not."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_quick_edits_of_one_value_merge_and_typed_ones_stay_apart(window):
    ctrl, clock = window.controller, Clock()
    ctrl.clock = clock
    inspector = window.inspector
    inspector.biasEdited.emit(1, 0, 0.25)  # arrow clicks: a fraction of a second apart
    clock.now += 0.2
    inspector.biasEdited.emit(1, 0, 0.5)
    assert ctrl.undo_stack.count() == 1
    clock.now += 5.0  # a number typed later: its own step
    inspector.biasEdited.emit(1, 0, 3.0)
    assert ctrl.undo_stack.count() == 2
    window.actions["undo"].trigger()
    assert ctrl.network.layers[0].biases[0] == 0.5  # back to the value before the typed edit, not further


def test_stepping_up_and_back_down_leaves_nothing_to_undo(window):
    ctrl, clock = window.controller, Clock()
    ctrl.clock = clock
    original = float(ctrl.network.layers[0].weights[0, 0])
    for value in (original + 0.1, original + 0.2, original + 0.1, original):
        window.inspector.weightEdited.emit(1, 0, 0, value)
        clock.now += 0.1
    assert ctrl.undo_stack.count() == 0
    assert not window.isWindowModified()
    assert ctrl.network.layers[0].weights[0, 0] == original
