"""Builds and connects the map parts of a window: the DataSource with its Data menu, and the Map and Output Map
docks' presenters on the controller's MapSource; and prepares them for exports (File ▸ Export, ``neuroviz export``).
Called by the controller (kept here so the controller stays short)."""

from __future__ import annotations

from neuroviz.data_actions import DataActions
from neuroviz.data_source import DataSource
from neuroviz.model import maps as response
from neuroviz.model.map_tables import decision_table, map_table
from neuroviz.presenters.map_dock import MapDockPresenter
from neuroviz.presenters.map_output import OutputMapPresenter, output_names

#: Who asks the MapSource for maps while an export is drawn or written.
EXPORT = "export"


class MapParts:
    """The data source, the Data menu's actions and the two map presenters of one window."""

    def __init__(self, window, document, selection, messages, map_source) -> None:
        self.document, self.selection = document, selection
        self.source = map_source
        self.data = DataSource(map_source.parent())
        self.dock = MapDockPresenter(window.map_view, document, selection, self.source, messages)
        self.output = OutputMapPresenter(window.output_map, document, self.source, self.data, messages)
        self.data_actions = DataActions(window, self.data, messages, lambda: self.output.data_note)
        for view in (window.map_view, window.output_map):  # after set_point (connected first): sliders follow
            view.pointPicked.connect(
                lambda *_: window.input_panel.set_values(document.network.input_values, document.network.input_ranges)
            )
        window.network_view.neuronHovered.connect(self.dock.on_neuron_hovered)
        window.network_view.hoverLeft.connect(self.dock.on_hover_left)
        window.map_dock.visibilityChanged.connect(self.dock.set_visible)
        window.output_map_dock.visibilityChanged.connect(self.output.set_visible)
        self.dock.set_visible(window.map_dock.isVisible())
        self.output.set_visible(window.output_map_dock.isVisible())
        self._keep_output_options(window)
        self._data_name = ""
        self.data.changed.connect(lambda: self._show_output_map(window))

    def _show_output_map(self, window) -> None:
        """A new data set brings the Output Map (the data over the decision, Playground's big picture) to the front
        of its tab group; changing the noise or seed of the same set leaves the tabs as the person chose."""
        name = self.data.dataset.name if self.data.dataset is not None else ""
        if name and name != self._data_name and window.output_map_dock.isVisible():
            window.output_map_dock.raise_()
        self._data_name = name

    @staticmethod
    def _keep_output_options(window) -> None:
        """The Output Map's check boxes come back as the person left them."""
        view, prefs = window.output_map, window.preferences
        show_test, discrete = prefs.output_map_options
        view.show_test.setChecked(show_test)
        view.discretize.setChecked(discrete)
        view.optionsChanged.connect(lambda test, disc: setattr(prefs, "output_map_options", (test, disc)))

    def prepare_export(self, key: str) -> None:
        """Draw the map views now, also when their dock is hidden, so the exported picture is the current one."""
        if key in ("map", "decision"):
            self.source.want(EXPORT, True)
            self.document.flush()
            (self.dock if key == "map" else self.output).draw()

    def finish_export(self) -> None:
        self.source.want(EXPORT, False)

    def table(self, key: str) -> tuple[list[str], list[list[float]]]:
        """The CSV of the map the dock shows ("map_values") or of the output map ("decision_values")."""
        maps = self.source.maps
        net = self.document.network
        if maps is None:
            maps = response.response_maps(net, self.source.axes, self.source.resolution)
        if key == "map_values":
            return map_table(maps, *self.dock.shown_neuron(maps))
        return decision_table(maps, output_names(net, maps.layers[-1].shape[0], self.output.fitting_data()))
