"""Inspector presenter: the selected neuron's facts, and the editors of its weights and bias."""

from __future__ import annotations

from neuroviz.model import picture
from neuroviz.model.display import format_value

STATUS_NOTES = {
    picture.DEAD: "dead: output 0 and gradient 0",
    picture.SATURATED: "saturated: |f′(z)| < 1e-3, the gradient vanishes",
}


def neuron_facts(net, propagation, k: int, i: int) -> tuple[str, list[tuple[str, str]]]:
    """Title and (name, value) rows that describe neuron i of position k (inspector and tooltip)."""
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
    return f"{layer.name} · neuron {i + 1}", rows


def source_names(net, k: int) -> list[str]:
    """Names of what feeds layer k: the inputs, or the neurons of the layer before."""
    if k == 1:
        return list(net.input_names)
    return [f"{net.layers[k - 2].name} {i + 1}" for i in range(net.sizes[k - 1])]


class InspectorPresenter:
    def __init__(self, view, document, selection) -> None:
        self.view, self.document, self.selection = view, document, selection
        document.networkReplaced.connect(view.clear)
        document.structureChanged.connect(self._restore_editors)
        document.valuesChanged.connect(self.update)
        selection.changed.connect(self._on_selection_changed)

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
        if neuron is None or doc.propagation is None:
            return
        k, i = neuron
        self.view.show_neuron(*neuron_facts(doc.network, doc.propagation, k, i))
        if k >= 1:
            layer = doc.network.layers[k - 1]
            self.view.update_values(layer.weights[:, i].copy(), float(layer.biases[i]))

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
