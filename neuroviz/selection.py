"""What the person picked: the layer the activation plot shows and the neuron the inspector edits.

The selection belongs to a neuron, not to a position: when layers are inserted or removed it moves with its neuron,
and when its neuron is gone (its layer removed, its layer made smaller) it is cleared, so typed weights never land
on another neuron.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from neuroviz.commands import LayerMoves


class Selection(QObject):
    """The selected layer (1..L) and neuron ((layer position, index) or None); ``changed`` after every change."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.layer = 1
        self.neuron: tuple[int, int] | None = None
        self._moved = False  # follow() changed it; announced once the views have their new structure

    def neuron_in_layer(self) -> int | None:
        """The selected neuron's index when it is in the selected layer (the plot then shows its curve)."""
        if self.neuron is not None and self.neuron[0] == self.layer:
            return self.neuron[1]
        return None

    def select_layer(self, k: int) -> None:
        if k != self.layer:
            self.layer = k
            self.changed.emit()

    def select_neuron(self, k: int, i: int) -> None:
        """A neuron; one of a layer (not an input) also makes its layer the selected one."""
        layer = k if k >= 1 else self.layer
        if (self.neuron, self.layer) != ((k, i), layer):
            self.neuron, self.layer = (k, i), layer
            self.changed.emit()

    def clear_neuron(self) -> None:
        if self.neuron is not None:
            self.neuron = None
            self.changed.emit()

    def reset(self) -> None:
        """A new network: the first layer, no neuron."""
        if (self.layer, self.neuron) != (1, None):
            self.layer, self.neuron = 1, None
            self.changed.emit()

    def follow(self, moves: LayerMoves, sizes: list[int]) -> None:
        """The structure changed (``moves``: where each old layer position went; ``sizes``: the new neuron counts).

        Quiet: the views are not rebuilt yet when this runs (it runs first), so ``changed`` waits for
        :meth:`announce_moves`, called once the new structure is drawn.
        """
        old = (self.layer, self.neuron)
        if moves is not None:
            layer = moves[self.layer] if self.layer < len(moves) else None
            self.layer = self.layer if layer is None else layer
            if self.neuron is not None:
                k = moves[self.neuron[0]] if self.neuron[0] < len(moves) else None
                self.neuron = None if k is None else (k, self.neuron[1])
        self.layer = min(max(self.layer, 1), len(sizes) - 1)
        if self.neuron is not None:
            k, i = self.neuron
            if k >= len(sizes) or i >= sizes[k]:
                self.neuron = None
        self._moved = self._moved or (self.layer, self.neuron) != old

    def announce_moves(self, *_args) -> None:
        """Emit ``changed`` if :meth:`follow` moved or cleared the selection."""
        if self._moved:
            self._moved = False
            self.changed.emit()
