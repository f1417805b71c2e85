"""The document: the network on screen, its file, its undo history, and the changes it announces.

Views never hear about the network directly: presenters listen to these signals and decide what to redraw.

- ``structureChanged(moves)``: layers or neuron counts changed (``moves``: see :data:`commands.LayerMoves`, where
  each old layer position went) — items and panels are rebuilt. ``networkReplaced()`` comes first after New/Open.
- ``layersEdited()``: an edit that kept the structure (an activation, a parameter, a weight): texts and panels.
- ``inputsChanged()``: input values or ranges moved (in place, not an undo step: playing is not editing).
- ``valuesChanged(from_layer)``: a fresh propagation is ready, recomputed from layer ``from_layer`` on. Value
  changes coalesce: however many arrive within one frame, this fires once, with the smallest layer asked for, so
  what is drawn is always ``Network.forward`` of the network as it is now.
- ``updateTimed(ms)``: after each valuesChanged, how long the propagation and the redraws took.
- ``modifiedChanged(bool)``, ``pathChanged(str)``: for the window title.
- ``aboutToChange()``: before an edit, an undo or redo, New/Open and Save (:meth:`Document.settle`): a live run
  that is still changing the network (training) stops and commits itself first, so it is its own undo step.

Live changes that are not edits (inputs, a training step) mutate the network in place and cost no copy. An edit
costs one copy: the edited one; the undo command swaps network objects. A run of live changes (training from play
to pause) becomes one undo step with :meth:`Document.commit_live_changes`.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from neuroviz.commands import UNDO_LIMIT, LayerMoves, NetworkEdit
from neuroviz.model import Network

#: A frame at 60 Hz: value changes closer together than this are drawn once.
FRAME_MS = 16


def inputs_snapshot(net: Network) -> tuple:
    """The input values and ranges of ``net``, as a file keeps them."""
    return tuple(float(v) for v in net.input_values), tuple(tuple(map(float, r)) for r in net.input_ranges)


class Document(QObject):
    """Owns the Network, its path, the QUndoStack and the saved state; announces every change."""

    networkReplaced = Signal()
    structureChanged = Signal(object)
    layersEdited = Signal()
    inputsChanged = Signal()
    valuesChanged = Signal(int)
    #: After every valuesChanged: how long propagating and every view's drawing took, in milliseconds.
    updateTimed = Signal(float)
    modifiedChanged = Signal(bool)
    pathChanged = Signal(str)
    #: Before an edit, undo/redo, New/Open or Save: live runs (training) stop and commit first.
    aboutToChange = Signal()

    def __init__(self, network: Network, path: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._network = network
        self.path: str | None = path
        self.propagation = network.forward()
        #: Seconds of a monotonic clock, for merging quick edits of one value into one undo step; tests set it.
        self.clock: Callable[[], float] = time.monotonic
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(UNDO_LIMIT)
        self.undo_stack.cleanChanged.connect(self._update_modified)
        #: The input values and ranges as last opened or saved: they are in the file too, so moving them away
        #: marks the document modified.
        self._saved_inputs = inputs_snapshot(network)
        self._modified = False
        self._pending_from: int | None = None
        self._frame_timer = QTimer(self)
        self._frame_timer.setSingleShot(True)
        self._frame_timer.timeout.connect(self.flush)
        self._since_draw = QElapsedTimer()
        self._since_draw.start()

    @property
    def network(self) -> Network:
        return self._network

    # -- values: live, in place ------------------------------------------------------------------------------
    def set_input(self, index: int, value: float) -> None:
        self._network.set_input(index, value)
        self._inputs_moved()

    def set_inputs(self, values) -> None:
        for index, value in enumerate(values):
            self._network.set_input(index, float(value))
        self._inputs_moved()

    def set_input_range(self, index: int, low: float, high: float) -> None:
        """A new slider range; a value outside it moves in. A bad range raises ValueError, nothing changes."""
        self._network.set_input_range(index, low, high)
        self._inputs_moved()

    def _inputs_moved(self) -> None:
        self.inputsChanged.emit()
        self._update_modified()
        self.schedule(0)

    def mark_values_changed(self, from_layer: int) -> None:
        """The network's values from layer ``from_layer`` were changed in place (e.g. a training step)."""
        self.schedule(from_layer)

    def schedule(self, from_layer: int = 0) -> None:
        """Ask for a propagation from ``from_layer``; several requests within one frame give one valuesChanged."""
        self._pending_from = from_layer if self._pending_from is None else min(self._pending_from, from_layer)
        if not self._frame_timer.isActive():
            self._frame_timer.start(max(0, FRAME_MS - int(self._since_draw.elapsed())))

    def flush(self) -> None:
        """Propagate and announce what is pending now (the frame timer calls this; tests and exports may too)."""
        self._frame_timer.stop()
        if self._pending_from is None:
            return
        started = time.perf_counter()
        from_layer, self._pending_from = self._pending_from, None
        if from_layer > 0 and self.propagation is not None:
            self.propagation = self._network.forward_from(from_layer, self.propagation)
        else:
            self.propagation = self._network.forward()
        self.valuesChanged.emit(from_layer)
        self._since_draw.restart()
        self.updateTimed.emit((time.perf_counter() - started) * 1000)

    # -- edits: undoable ---------------------------------------------------------------------------------------
    def edit(
        self,
        text: str,
        change: Callable[[Network], None],
        first_changed: int = 0,
        merge_key: tuple | None = None,
        moves: LayerMoves = None,
    ) -> None:
        """Apply ``change`` to a copy of the network and push it as one undo step.

        A ValueError from ``change`` propagates and the network stays as it was.
        """
        self.settle()
        after = self._network.copy()
        change(after)
        structural = after.sizes != self._network.sizes
        command = NetworkEdit(
            text, self._network, after, self._install, first_changed, structural, merge_key, self.clock(), moves
        )
        self.undo_stack.push(command)

    def settle(self) -> None:
        """Ask whatever changes the network live (a training run) to stop and commit itself now."""
        self.aboutToChange.emit()

    def undo(self) -> None:
        self.settle()
        self.undo_stack.undo()

    def redo(self) -> None:
        self.settle()
        self.undo_stack.redo()

    def commit_live_changes(self, text: str, before: Network) -> None:
        """Make the in-place changes since ``before`` (a copy taken when they started) one undo step."""
        command = NetworkEdit(text, before, self._network, self._install, 1, before.sizes != self._network.sizes)
        self.undo_stack.push(command)

    def _install(self, network: Network, first_changed: int, structural: bool, moves: LayerMoves) -> None:
        """Put ``network`` on screen (called by undo commands). Inputs the user is playing with stay as they are."""
        current = self._network
        if network is not current and network.n_inputs == current.n_inputs:
            network.input_values = current.input_values.copy()
            network.input_ranges = list(current.input_ranges)
        structural = structural or network.sizes != current.sizes
        self._network = network
        if structural:
            self.propagation = None
            self.structureChanged.emit(moves)
            self.schedule(0)
        else:
            self.layersEdited.emit()
            self.schedule(first_changed)
        self.flush()  # an edit is drawn at once, together with any input change still pending
        self._update_modified()

    # -- the file ----------------------------------------------------------------------------------------------
    def replace(self, network: Network, path: str | None) -> None:
        """Another network (New/Open): a fresh undo history."""
        self.settle()
        self._network = network
        self.path = path
        self.propagation = None
        self._pending_from = None
        self.undo_stack.clear()
        self._saved_inputs = inputs_snapshot(network)
        self.networkReplaced.emit()
        self.structureChanged.emit(None)
        self.schedule(0)
        self.flush()
        self.pathChanged.emit(path or "")
        self._update_modified()

    def mark_saved(self, path: str, saved: Network | None = None) -> None:
        """The network was written to ``path``; ``saved``: what reading it back gives, when that differs."""
        self.path = path
        self._saved_inputs = inputs_snapshot(saved or self._network)
        self.undo_stack.setClean()
        self.pathChanged.emit(path)
        self._update_modified()

    def has_unsaved_edits(self) -> bool:
        return not self.undo_stack.isClean()

    def has_unsaved_inputs(self) -> bool:
        return inputs_snapshot(self._network) != self._saved_inputs

    def is_modified(self) -> bool:
        """Anything a save would keep that is not in the file: edits on the undo stack, input values or ranges."""
        return self.has_unsaved_edits() or self.has_unsaved_inputs()

    def _update_modified(self, *_args) -> None:
        modified = self.is_modified()
        if modified != self._modified:
            self._modified = modified
            self.modifiedChanged.emit(modified)
