"""Undoable edits of the network, for the QUndoStack.

Every user edit goes through :class:`NetworkEdit`. It holds the network object as it was and the one made by the
edit, and swaps them in and out (no copies: the document made the only copy, the one the edit changed), so undo/redo
is exact (bit for bit) whatever the edit was, and the stack's clean state gives the window's "unsaved changes" mark
for free. The largest allowed network is about 8 MB, which is why the stack is capped at UNDO_LIMIT steps.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import numpy as np
from PySide6.QtGui import QUndoCommand

from neuroviz.model import Network

UNDO_LIMIT = 50

#: Edits of the same kind on the same target merge while a spin box is being stepped.
MERGE_IDS = {"weight": 1, "bias": 2, "param": 3, "size": 4, "regularizer": 5}
#: Seconds within which edits of the same target merge: arrow clicks, a held arrow key or the wheel on one box
#: come a few per second; two numbers typed one after the other are further apart and stay two undo steps.
MERGE_WINDOW_S = 0.8

#: Where each layer position of the network before an edit is after it (index 0: the inputs); None: removed.
#: ``None`` for the whole map: every layer stays where it was.
LayerMoves = tuple[int | None, ...] | None


class NetworkEdit(QUndoCommand):
    """Install ``after`` on redo and ``before`` on undo, through ``apply(network, first_changed, structural, moves)``.

    ``first_changed`` is the first layer position whose values changed, so only the layers from there are
    propagated again; structural edits (layers or neuron counts) pass ``structural=True`` and the views are rebuilt.
    ``moves`` (see :data:`LayerMoves`) lets the selection follow its neuron; undo passes the inverse map.
    """

    def __init__(
        self,
        text: str,
        before: Network,
        after: Network,
        apply: Callable[[Network, int, bool, LayerMoves], None],
        first_changed: int = 0,
        structural: bool = False,
        merge_key: tuple | None = None,
        at: float = 0.0,
        moves: LayerMoves = None,
    ) -> None:
        super().__init__(text)
        self._before = before
        self._after = after
        self._apply = apply
        self._first_changed = first_changed
        self._structural = structural
        self._merge_key = merge_key
        self._at = at  # when the (last merged) edit was made, in seconds of a monotonic clock
        self._moves = moves

    def redo(self) -> None:
        self._install(self._after, self._moves)

    def undo(self) -> None:
        self._install(self._before, inverse_moves(self._moves))

    def _install(self, network: Network, moves: LayerMoves) -> None:
        # Called from inside QUndoStack (C++): a Python exception escaping here takes PySide6 down with it. An
        # exception is a bug, so it is reported the way Qt slots report theirs (sys.excepthook: the console, and
        # pytest-qt fails the test), and the application lives on.
        try:
            self._apply(network, self._first_changed, self._structural, moves)
        except Exception:
            sys.excepthook(*sys.exc_info())

    def id(self) -> int:
        if self._merge_key is None:
            return -1
        return MERGE_IDS.get(self._merge_key[0], -1)

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Quick consecutive edits of the same value become one undo step (see MERGE_WINDOW_S).

        Stepping up and back down leaves no step at all: the merged command is obsolete, so the stack drops it.
        """
        if not isinstance(other, NetworkEdit) or other._merge_key != self._merge_key or self._merge_key is None:
            return False
        if other._at - self._at > MERGE_WINDOW_S:
            return False
        self._after = other._after
        self._at = other._at
        self._structural = self._structural or other._structural
        if _same_target_value(self._before, self._after, self._merge_key):
            self.setObsolete(True)
        return True


def inverse_moves(moves: LayerMoves) -> LayerMoves:
    """The map that undoes ``moves``: for each position after the edit, where it was before (None: it was new)."""
    if moves is None:
        return None
    size = max((m for m in moves if m is not None), default=0) + 1
    inverse: list[int | None] = [None] * size
    for old, new in enumerate(moves):
        if new is not None:
            inverse[new] = old
    return tuple(inverse)


def inserted_at(k: int, layer_count: int) -> tuple[int, ...]:
    """The moves of inserting a layer at position k into a network of ``layer_count`` layers."""
    return tuple(j if j < k else j + 1 for j in range(layer_count + 1))


def removed_at(k: int, layer_count: int) -> tuple[int | None, ...]:
    """The moves of removing the layer at position k from a network of ``layer_count`` layers."""
    return tuple(j if j < k else (None if j == k else j - 1) for j in range(layer_count + 1))


def _same_target_value(before: Network, after: Network, key: tuple) -> bool:
    """Whether what an edit with merge key ``key`` changes is back where it was (bit for bit)."""
    kind, k, *where = key
    if kind == "size":  # a resize also renews weights: everything must be back, not only the count
        return _same_parameters(before, after)
    old, new = before.layers[k - 1], after.layers[k - 1]
    if kind == "regularizer":
        return old.kernel_regularizer == new.kernel_regularizer
    if kind == "weight":
        a, b = old.weights[where[0], where[1]], new.weights[where[0], where[1]]
    elif kind == "bias":
        a, b = old.biases[where[0]], new.biases[where[0]]
    else:
        a, b = old.params.get(where[0]), new.params.get(where[0])
    if a is None or b is None:
        return a is b
    return np.asarray(a).tobytes() == np.asarray(b).tobytes()


def _same_parameters(before: Network, after: Network) -> bool:
    if before.sizes != after.sizes:
        return False
    for old, new in zip(before.layers, after.layers, strict=True):
        if old.weights.tobytes() != new.weights.tobytes() or old.biases.tobytes() != new.biases.tobytes():
            return False
    return True
