"""Network view presenter: the drawing of neurons and links, their map pictures and dead-everywhere marks (from the
window's MapSource), their tooltips and the selection ring."""

from __future__ import annotations

import numpy as np

from neuroviz.model import picture
from neuroviz.model.display import format_value
from neuroviz.presenters.inspector import maps_fit, neuron_facts

#: The grid the "dead everywhere" marks are counted on while no picture is shown: they only need the dead share,
#: and a 32 × 32 grid costs a tenth of 100 × 100 on every edit.
MARKS_RESOLUTION = 32


class NetworkPresenter:
    USES_MAPS = True
    USES_GRADIENTS = True

    def __init__(self, view, document, selection, map_source, gradient_source) -> None:
        self.view, self.document, self.selection = view, document, selection
        self.map_source, self.gradient_source = map_source, gradient_source
        self.edge_mode = "weight"
        self.gradients = None  # the DataGradients the links show (edge mode "gradient" with training data)
        self.maps = None  # the latest ResponseMaps of the network as it is (None while none are computed)
        self._sizes: list[int] = []  # the structure the view was given
        # The dead-everywhere marks need maps whether or not the pictures are on; the network view is the window's
        # central widget, always shown, so they are always wanted (at MapSource's automatic resolution).
        map_source.mapsChanged.connect(self.update_maps)
        map_source.want("network marks", True, MARKS_RESOLUTION)
        document.structureChanged.connect(self.rebuild)
        document.layersEdited.connect(self.update_headers)
        document.valuesChanged.connect(self.update)
        selection.changed.connect(self._on_selection_changed)
        view.neuronHovered.connect(self._on_neuron_hovered)
        view.edgeHovered.connect(self._on_edge_hovered)
        gradient_source.changed.connect(self.update)

    def set_edge_mode(self, mode: str) -> None:
        """ "weight", "signal" or "gradient" (∂L/∂w over the training data): what the links' colours show."""
        self.edge_mode = mode
        self.update()

    def rebuild(self, *_args) -> None:
        net = self.document.network
        self.view.set_structure(net.sizes, picture.layer_headers(net), picture.layer_tooltips(net))
        self._sizes = list(net.sizes)

    def update_headers(self) -> None:
        net = self.document.network
        self.view.set_headers(picture.layer_headers(net), picture.layer_tooltips(net))

    def update(self, *_args) -> None:
        doc = self.document
        if doc.propagation is None or not self._sizes:  # no structure yet (preferences load before the first one)
            return
        self.gradients = self.gradient_source.current() if self.edge_mode == "gradient" else None
        if self.gradients is None:  # no training data: the links show the weights (the status bar says why)
            mode, by_layer = ("weight" if self.edge_mode == "gradient" else self.edge_mode), None
        else:
            mode, by_layer = "gradient", self.gradients.gradients.weights
        pic = picture.network_picture(doc.network, doc.propagation, mode, by_layer)
        self.view.set_link_name("∂L/∂w scale" if mode == "gradient" else "link scale")
        self.view.set_values(
            pic.values, pic.edges, pic.biases, pic.status, pic.value_limit, pic.edge_limit, pic.bias_limit
        )
        self._on_selection_changed()

    def set_show_maps(self, on: bool) -> None:
        """View ▸ Neuron Maps: a picture of its response map in each neuron."""
        self.map_source.want("thumbnails", on)
        self.view.set_show_maps(on)
        self.update_maps(self.map_source.maps)

    def update_maps(self, maps) -> None:
        """New response maps (``MapSource.mapsChanged``, once per frame): the pictures and the ⊘ marks."""
        net = self.document.network
        if not maps_fit(maps, net) or self._sizes != list(net.sizes):
            self.maps = None  # computed for another structure: a fresh set follows this frame
            self.view.clear_maps()
            return
        self.maps = maps
        dead = [maps.dead_everywhere(k) for k in range(len(maps.layers))]
        self.view.set_maps(maps.layers, map_point(maps), dead)

    def _on_selection_changed(self) -> None:
        self.view.set_selection(*(self.selection.neuron or (None, None)))

    def _on_neuron_hovered(self, k: int, i: int) -> None:
        title, rows = neuron_facts(self.document.network, self.document.propagation, k, i, self.maps)
        self.view.show_tooltip(title + "\n" + "\n".join(f"{a}: {b}" for a, b in rows))

    def _on_edge_hovered(self, k: int, i: int, j: int) -> None:
        text = edge_text(self.document.network, self.document.propagation, k, i, j)
        if self.gradients is not None:
            g = self.gradients
            text += f"\n∂L/∂w: {format_value(float(g.weights(k)[i, j]))} ({g.loss}, mean over {g.rows} training rows)"
        self.view.show_tooltip(text)


def edge_text(net, propagation, k: int, i: int, j: int) -> str:
    """The tooltip of the link from neuron i of position k-1 to neuron j of layer k."""
    layer = net.layers[k - 1]
    weight = float(layer.weights[i, j])
    source = float(propagation.activations[k - 1][i])
    source_name = net.input_names[i] if k == 1 else f"neuron {i + 1}"
    with np.errstate(all="ignore"):
        signal = weight * source
    return (
        f"{source_name} → {layer.name} neuron {j + 1}\nweight: {format_value(weight)}\n"
        f"signal (weight × {format_value(source)}): {format_value(signal)}"
    )


def map_point(maps) -> tuple[float, float] | None:
    """Where the current input is on the maps, as fractions across and up (None when the grid is degenerate)."""
    fractions = []
    for value, grid in zip(maps.point, (maps.xs, maps.ys), strict=True):
        span = float(grid[-1] - grid[0])
        if not (span > 0 and np.isfinite(value)):
            return None
        fractions.append((float(value) - float(grid[0])) / span)
    return fractions[0], fractions[1]
