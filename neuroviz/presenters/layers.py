"""Layer panel presenter: one card per layer, in step with the network and the selected layer."""

from __future__ import annotations

from neuroviz.model import picture
from neuroviz.views.layer_panel import LayerInfo


def layer_info(network, k: int) -> LayerInfo:
    """What layer k's card shows: the one place that builds a LayerInfo."""
    layer = network.layers[k - 1]
    return LayerInfo(
        name=layer.name,
        units=layer.units,
        activation=layer.activation,
        params=dict(layer.params),
        removable=k < len(network.layers),
        formula=layer.formula,
        param_warnings=picture.param_warnings(network, k),
        notes=picture.layer_notes(network, k),
        regularizer=(reg["l1"], reg["l2"]) if (reg := layer.kernel_regularizer) else (0.0, 0.0),
    )


class LayerPanelPresenter:
    def __init__(self, view, document, selection) -> None:
        self.view, self.document, self.selection = view, document, selection
        document.structureChanged.connect(self.rebuild)
        document.layersEdited.connect(self.sync)
        selection.changed.connect(self._on_selection_changed)

    def rebuild(self, *_args) -> None:
        net = self.document.network
        self.view.set_layers([layer_info(net, k) for k in range(1, len(net.layers) + 1)])
        self.view.set_selected(self.selection.layer)

    def sync(self) -> None:
        """Show the network's activations, parameters and sizes again (no signals fire): after an edit, or to
        undo what a refused edit left in a box."""
        net = self.document.network
        for k in range(1, len(net.layers) + 1):
            self.view.update_layer(k, layer_info(net, k))

    def _on_selection_changed(self) -> None:
        self.view.set_selected(self.selection.layer)
