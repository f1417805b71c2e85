"""Activation plot presenter: the selected layer's curve, its derivative and where its neurons sit on them."""

from __future__ import annotations

from neuroviz.model import picture


class ActivationPlotPresenter:
    def __init__(self, view, document, selection) -> None:
        self.view, self.document, self.selection = view, document, selection
        document.valuesChanged.connect(self.update)
        selection.changed.connect(self.update)

    def update(self, *_args) -> None:
        doc, sel = self.document, self.selection
        if doc.propagation is None:  # a structure change: the values follow in the same call
            return
        curve = picture.activation_curve(doc.network, doc.propagation, sel.layer, sel.neuron_in_layer())
        self.view.set_curve_and_points((curve.x, curve.f, curve.df), curve.title, (curve.z, curve.a, curve.dz))
