"""Input panel presenter: names, values and ranges of the inputs when the network or its inputs are replaced.

The panel is where values are changed; it is told them again only when the structure changes (a new network, a
resized input layer), so a value being dragged is never written back under the mouse.
"""

from __future__ import annotations


class InputPanelPresenter:
    def __init__(self, view, document, selection) -> None:
        self.view, self.document = view, document
        document.structureChanged.connect(self.update)

    def update(self, *_args) -> None:
        net = self.document.network
        self.view.set_inputs(list(net.input_names), [float(v) for v in net.input_values], net.input_ranges)
