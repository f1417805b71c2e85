"""NetworkEdit, the one undoable edit: exact undo/redo, and a failing install reported, not fatal."""

from PySide6.QtGui import QUndoStack

from neuroviz.commands import NetworkEdit
from neuroviz.model import Network


def test_undo_and_redo_install_copies_of_the_networks(qtbot):
    before = Network.from_sizes([2, 3, 1], seed=0)
    after = before.copy()
    after.set_bias(1, 0, 4.0)
    installed = []
    stack = QUndoStack()
    stack.push(NetworkEdit("bias", before, after, lambda net, first, structural: installed.append(net)))
    stack.undo()
    assert [float(net.layers[0].biases[0]) for net in installed] == [4.0, float(before.layers[0].biases[0])]
    assert installed[0] is not after and installed[1] is not before  # the stack keeps its own


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
