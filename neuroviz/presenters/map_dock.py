"""Map dock presenter: which neuron's map the dock shows (the hovered one, else the selected one, else the first
neuron of the selected layer), its title, colour limit and axes; the person's clicks and axis choices go to the
:class:`~neuroviz.map_source.MapSource`."""

from __future__ import annotations

from neuroviz.model import picture


def neuron_title(net, k: int, i: int) -> str:
    """ "Layer 2 · neuron 3 (tanh)", or "Input x1" for position 0."""
    if k == 0:
        return f"Input {net.input_names[i]}"
    layer = net.layers[k - 1]
    where = "Output layer" if k == len(net.layers) else f"Layer {k}"
    return f"{where} · neuron {i + 1} ({picture.activation_label(layer)})"


class MapDockPresenter:
    WHO = "map dock"

    def __init__(self, view, document, selection, map_source, messages) -> None:
        self.view, self.document, self.selection = view, document, selection
        self.source, self.messages = map_source, messages
        self.hovered: tuple[int, int] | None = None
        self.visible = False
        map_source.mapsChanged.connect(self.update)
        selection.changed.connect(self.update)
        view.pointPicked.connect(map_source.set_point)
        view.axesChosen.connect(self._on_axes_chosen)

    def set_visible(self, visible: bool) -> None:
        """Maps are computed only while the dock is on screen."""
        self.visible = visible
        self.source.want(self.WHO, visible)
        if visible:
            self.update()

    def on_neuron_hovered(self, k: int, i: int) -> None:
        self.hovered = (k, i)
        self.update()

    def on_hover_left(self) -> None:
        if self.hovered is not None:
            self.hovered = None
            self.update()

    def shown_neuron(self, maps) -> tuple[int, int]:
        """The hovered neuron while there is one, else the selected one, else the selected layer's first."""
        for candidate in (self.hovered, self.selection.neuron, (self.selection.layer, 0)):
            if candidate is not None:
                k, i = candidate
                if 0 <= k < len(maps.layers) and 0 <= i < maps.layers[k].shape[0]:
                    return k, i
        return len(maps.layers) - 1, 0

    def update(self, *_args) -> None:
        """Redraw while the dock is on screen (a hidden one is drawn by :meth:`draw` for an export)."""
        if self.visible:
            self.draw()

    def draw(self) -> None:
        maps = self.source.maps
        net = self.document.network
        if maps is None:
            if self.source.note:  # the network cannot have maps (one input): say so instead of a stale map
                self.view.set_message(self.source.note)
            return
        if net.n_inputs < 2 and not maps.plane:
            self.view.set_message("A map needs two inputs: this network has one")
            return
        k, i = self.shown_neuron(maps)
        values = maps.layers[k][i]
        self.view.set_axis_choices(list(net.input_names), *maps.axes, choosable=not maps.plane)
        limit = picture.nice_limit([values])
        self.view.set_map(values, limit, maps.xs, maps.ys, maps.axis_names, maps.point, neuron_title(net, k, i))

    def _on_axes_chosen(self, x: int, y: int) -> None:
        try:
            self.source.set_axes(x, y)
        except ValueError as error:
            self.messages.report(str(error))
