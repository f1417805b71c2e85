"""Builds and connects the map parts of a window: the MapSource, the DataSource with its Data menu, and the Map and
Output Map docks' presenters. Called by the controller (kept here so the controller stays short)."""

from __future__ import annotations

from neuroviz.data_actions import DataActions
from neuroviz.data_source import DataSource
from neuroviz.presenters.map_dock import MapDockPresenter
from neuroviz.presenters.map_output import OutputMapPresenter


class MapParts:
    """The map source, the data source, the Data menu's actions and the two map presenters of one window."""

    def __init__(self, window, document, selection, messages, map_source) -> None:
        self.source = map_source
        self.data = DataSource(map_source.parent())
        self.dock = MapDockPresenter(window.map_view, document, selection, self.source, messages)
        self.output = OutputMapPresenter(window.output_map, document, self.source, self.data, messages)
        self.data_actions = DataActions(window, self.data, messages, lambda: self.output.problem)
        for view in (window.map_view, window.output_map):  # after set_point (connected first): sliders follow
            view.pointPicked.connect(lambda *_: window.input_panel.set_values(document.network.input_values))
        window.network_view.neuronHovered.connect(self.dock.on_neuron_hovered)
        window.network_view.hoverLeft.connect(self.dock.on_hover_left)
        window.map_dock.visibilityChanged.connect(self.dock.set_visible)
        window.output_map_dock.visibilityChanged.connect(self.output.set_visible)
        self.dock.set_visible(window.map_dock.isVisible())
        self.output.set_visible(window.output_map_dock.isVisible())
