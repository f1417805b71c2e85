"""Undoable edits of the network, for the QUndoStack.

Every user edit goes through :class:`NetworkEdit`: it holds a copy of the network as it was and as it is after the
edit, so undo/redo is exact (bit for bit) whatever the edit was, and the stack's clean state gives the window's
"unsaved changes" mark for free. Copies are cheap for the networks people draw (a few kB); the largest allowed network
is about 8 MB, which is why the controller caps the stack at UNDO_LIMIT steps.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import numpy as np
from PySide6.QtGui import QUndoCommand

from neuroviz.model import Network

UNDO_LIMIT = 50

#: Edits of the same kind on the same target merge while a spin box is being stepped.
MERGE_IDS = {"weight": 1, "bias": 2, "param": 3}
#: Seconds within which edits of the same target merge: arrow clicks, a held arrow key or the wheel on one box
#: come a few per second; two numbers typed one after the other are further apart and stay two undo steps.
MERGE_WINDOW_S = 0.8


class NetworkEdit(QUndoCommand):
    """Replace the controller's network by ``after`` on redo and by ``before`` on undo.

    ``apply`` is called with the network to install and the first layer position whose values changed, so the
    controller re-propagates only from there (structural edits pass ``structural=True`` and rebuild the views).
    """

    def __init__(
        self,
        text: str,
        before: Network,
        after: Network,
        apply: Callable[[Network, int, bool], None],
        first_changed: int = 0,
        structural: bool = False,
        merge_key: tuple | None = None,
        at: float = 0.0,
    ) -> None:
        super().__init__(text)
        self._before = before
        self._after = after
        self._apply = apply
        self._first_changed = first_changed
        self._structural = structural
        self._merge_key = merge_key
        self._at = at  # when the (last merged) edit was made, in seconds of a monotonic clock

    def redo(self) -> None:
        self._install(self._after)

    def undo(self) -> None:
        self._install(self._before)

    def _install(self, network: Network) -> None:
        # Called from inside QUndoStack (C++): a Python exception escaping here takes PySide6 down with it. An
        # exception is a bug, so it is reported the way Qt slots report theirs (sys.excepthook: the console, and
        # pytest-qt fails the test), and the application lives on.
        try:
            self._apply(network.copy(), self._first_changed, self._structural)
        except Exception:
            sys.excepthook(*sys.exc_info())

    def id(self) -> int:
        if self._merge_key is None:
            return -1
        return MERGE_IDS.get(self._merge_key[0], -1)

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Quick consecutive edits of the same weight/parameter become one undo step (see MERGE_WINDOW_S).

        Stepping up and back down leaves no step at all: the merged command is obsolete, so the stack drops it.
        """
        if not isinstance(other, NetworkEdit) or other._merge_key != self._merge_key or self._merge_key is None:
            return False
        if other._at - self._at > MERGE_WINDOW_S:
            return False
        self._after = other._after
        self._at = other._at
        if _same_target_value(self._before, self._after, self._merge_key):
            self.setObsolete(True)
        return True


def _same_target_value(before: Network, after: Network, key: tuple) -> bool:
    """Whether the one value an edit with merge key ``key`` changes is back where it was (bit for bit)."""
    kind, k, *where = key
    old, new = before.layers[k - 1], after.layers[k - 1]
    if kind == "weight":
        a, b = old.weights[where[0], where[1]], new.weights[where[0], where[1]]
    elif kind == "bias":
        a, b = old.biases[where[0]], new.biases[where[0]]
    else:
        a, b = old.params.get(where[0]), new.params.get(where[0])
    if a is None or b is None:
        return a is b
    return np.asarray(a).tobytes() == np.asarray(b).tobytes()
