"""Inspector presenter: the selected neuron's facts, and the editors of its weights and bias."""

from __future__ import annotations

from neuroviz.model import maps as maps_module
from neuroviz.model import picture
from neuroviz.model.display import format_value
from neuroviz.presenters.on_screen import OnScreen

STATUS_NOTES = {
    picture.DEAD: "dead: output 0 and gradient 0",
    picture.SATURATED: "saturated: |f′(z)| < 1e-3, the gradient vanishes",
}


def share_text(share: float) -> str:
    """A share of the map's points as a percentage that never says 0 % or 100 % unless it is exactly that."""
    percent = 100.0 * float(share)
    if percent in (0.0, 100.0):
        return f"{percent:.0f} %"
    if percent < 0.1:
        return "< 0.1 %"
    if percent > 99.9:
        return "> 99.9 %"
    return f"{percent:.1f} %"


def maps_fit(maps, net) -> bool:
    """Whether ``maps`` were computed for a network of ``net``'s shape (not one from before a structural edit)."""
    return maps is not None and [m.shape[0] for m in maps.layers] == list(net.sizes)


def map_rows(maps, k: int, i: int) -> list[tuple[str, str]]:
    """How much of the response map neuron i of layer k is dead and saturated on (rows for the facts)."""
    if maps is None or k == 0 or k >= len(maps.dead_fraction) or i >= maps.dead_fraction[k].size:
        return []
    dead, saturated = float(maps.dead_fraction[k][i]), float(maps.saturated_fraction[k][i])
    where = f"{maps.axis_names[0]} × {maps.axis_names[1]}, {maps.resolution} × {maps.resolution} points"
    rows = [("dead on the map", f"{share_text(dead)} of {where}"), ("saturated on the map", share_text(saturated))]
    if dead >= maps_module.DEAD_EVERYWHERE:
        rows.append(("note", "dead everywhere on the map: no input shown wakes it up, so it never learns"))
    return rows


def neuron_facts(net, propagation, k: int, i: int, maps=None) -> tuple[str, list[tuple[str, str]]]:
    """Title and (name, value) rows that describe neuron i of position k (inspector and tooltip); with ``maps``
    (ResponseMaps of this network) also the shares of the map where it is dead and saturated."""
    p = propagation
    if k == 0:
        return f"input {net.input_names[i]}", [
            ("layer", "input"),
            ("neuron", f"{i + 1}"),
            ("value", format_value(p.activations[0][i])),
        ]
    layer = net.layers[k - 1]
    rows = [
        ("layer", f"{layer.name} ({layer.activation})"),
        ("neuron", f"{i + 1} of {layer.output_size}"),
        ("z (pre-activation)", format_value(p.pre_activations[k][i])),
        ("a (activation)", format_value(p.activations[k][i])),
        ("f′(z)", format_value(p.derivatives[k][i])),
        ("bias", format_value(layer.biases[i])),
    ]
    status = picture.neuron_status(p.activations[k][i : i + 1], p.derivatives[k][i : i + 1])[0]
    note = STATUS_NOTES.get(int(status))
    if note:
        rows.append(("note", note))
    rows += map_rows(maps, k, i)
    return f"{layer.name} · neuron {i + 1}", rows


def source_names(net, k: int) -> list[str]:
    """Names of what feeds layer k: the inputs, or the neurons of the layer before."""
    if k == 1:
        return list(net.input_names)
    return [f"{net.layers[k - 2].name} {i + 1}" for i in range(net.sizes[k - 1])]


def gradient_rows(gradients, note: str, k: int, i: int) -> list[tuple[str, str]]:
    """The facts about how neuron i of layer k learns: the mean over the training rows of ∂L/∂z and of |∂L/∂z|,
    or why there are none (no data set yet, or one that does not fit)."""
    if gradients is None:
        return [("∂L/∂z", note or "no training data")] if k >= 1 else []
    return [
        ("∂L/∂z", f"{format_value(float(gradients.mean_delta(k)[i]))} (mean of {gradients.rows} training rows)"),
        ("|∂L/∂z|", f"{format_value(float(gradients.mean_abs_delta(k)[i]))} ({gradients.loss})"),
    ]


class InspectorPresenter:
    USES_MAPS = True
    USES_GRADIENTS = True
    DOCK = "inspector_dock"

    def __init__(self, view, document, selection, map_source, gradient_source) -> None:
        self.view, self.document, self.selection = view, document, selection
        self.on_screen = OnScreen(self.update)
        self.gradient_source = gradient_source
        gradient_source.changed.connect(self.update)
        document.networkReplaced.connect(view.clear)
        document.structureChanged.connect(self._restore_editors)
        document.valuesChanged.connect(self.update)
        selection.changed.connect(self._on_selection_changed)
        self.maps = map_source.maps  # the latest ResponseMaps
        map_source.mapsChanged.connect(self.update_maps)

    def update_maps(self, maps) -> None:
        """New response maps: the selected neuron's dead and saturated shares follow."""
        self.maps = maps
        self.update()

    def edit_neuron(self, k: int, i: int) -> None:
        """Editors for neuron i of layer k (an input has no weights: no editors left over)."""
        net = self.document.network
        if k >= 1:
            layer = net.layers[k - 1]
            self.view.edit_neuron(k, i, source_names(net, k), layer.weights[:, i].copy(), float(layer.biases[i]))
        else:
            self.view.clear()
        self.update()

    def edit_edge(self, k: int, i: int, j: int) -> None:
        """The editor of one link's weight."""
        net = self.document.network
        layer = net.layers[k - 1]
        self.view.edit_edge(
            k, i, j, source_names(net, k)[i], f"{layer.name} neuron {j + 1}", float(layer.weights[i, j])
        )

    def update(self, *_args) -> None:
        doc, neuron = self.document, self.selection.neuron
        if neuron is None or doc.propagation is None or self.on_screen.held():
            return
        k, i = neuron
        maps = self.maps if maps_fit(self.maps, doc.network) else None
        title, rows = neuron_facts(doc.network, doc.propagation, k, i, maps)
        gradients = self.gradient_source.current() if k >= 1 else None
        self.view.show_neuron(title, rows + gradient_rows(gradients, self.gradient_source.note, k, i))
        if k >= 1:
            layer = doc.network.layers[k - 1]
            self.view.update_values(layer.weights[:, i].copy(), float(layer.biases[i]))
            self._show_editor_gradients(gradients)

    def _show_editor_gradients(self, gradients) -> None:
        """∂L/∂w next to each weight editor and ∂L/∂b next to the bias (blank without training data)."""
        editing = self.view.editing()
        if editing is None or gradients is None:
            self.view.show_gradients(None, None)
            return
        k, target, source = editing
        column = gradients.weights(k)[:, target]
        weights = column if source is None else column[source : source + 1]
        self.view.show_gradients(weights, float(gradients.gradients.biases[k - 1][target]) if source is None else None)

    def _on_selection_changed(self) -> None:
        if self.selection.neuron is None:
            self.view.clear()

    def _restore_editors(self, *_args) -> None:
        """After a structural edit the editors may show a neuron that vanished, moved or whose fan-in changed:
        edit the selected neuron as it is now, or nothing."""
        if self.view.editing() is None:
            return
        if self.selection.neuron is None or self.selection.neuron[0] == 0:
            self.view.clear()
        else:
            self.edit_neuron(*self.selection.neuron)
