"""Description presenter: when another network is opened, the bar above it says what that network is for.

The description was written for the network as it came: once its inputs, layers or sizes are changed the bar steps
aside (activations not: descriptions invite trying other ones). Help ▸ About This Network shows it again, with a line
saying it describes the network as opened.
"""

from __future__ import annotations

CHANGED_NOTE = "This describes the network as it was opened; it has been changed since."


def _shape(network) -> tuple:
    """What a description's "try this" leaves alone: the inputs and the layers' sizes."""
    return tuple(network.input_names), tuple(network.sizes)


class DescriptionPresenter:
    def __init__(self, view, document, selection) -> None:
        self.view, self.document = view, document
        self._opened: tuple = ()
        self._stepped_aside = False
        document.networkReplaced.connect(self.update)
        document.structureChanged.connect(self.on_edited)
        self.update()

    def update(self) -> None:
        network = self.document.network
        self._opened = _shape(network)
        self._stepped_aside = False
        self.view.set_description(network.name or "Untitled", network.description)
        self.view.set_note("")

    def on_edited(self, *_args) -> None:
        changed = _shape(self.document.network) != self._opened
        self.view.set_note(CHANGED_NOTE if changed else "")
        if changed and not self._stepped_aside:
            self._stepped_aside = True
            self.view.hide()
