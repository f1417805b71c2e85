"""Description presenter: when another network is opened, the bar above it says what that network is for."""

from __future__ import annotations


class DescriptionPresenter:
    def __init__(self, view, document, selection) -> None:
        self.view, self.document = view, document
        document.networkReplaced.connect(self.update)
        self.update()

    def update(self) -> None:
        network = self.document.network
        self.view.set_description(network.name or "Untitled", network.description)
