"""Activation plot presenter: the selected layer's curve, its derivative and where its neurons sit on them; with
the plot's tools, another activation's curve for comparison and the z probe (f of a typed vector)."""

from __future__ import annotations

from neuroviz.model import activations, picture, probe
from neuroviz.presenters.on_screen import OnScreen


class ActivationPlotPresenter:
    #: The window's plot tools (compare with, probe z) are fed by this presenter too.
    EXTRA_VIEWS = ("plot_tools",)
    DOCK = "plot_dock"

    def __init__(self, view, document, selection, plot_tools=None) -> None:
        self.view, self.document, self.selection, self.tools = view, document, selection, plot_tools
        self.on_screen = OnScreen(self.update)
        document.valuesChanged.connect(self.update)
        selection.changed.connect(self.update)
        if plot_tools is not None:
            plot_tools.set_activation_names(
                [name for name in activations.primary_names() if activations.get(name).elementwise]
            )
            plot_tools.compareChanged.connect(self.update)
            plot_tools.probeChanged.connect(self.update)

    def update(self, *_args) -> None:
        doc, sel = self.document, self.selection
        if doc.propagation is None or self.on_screen.held():  # a structure change: the values follow at once
            return
        layer = doc.network.layers[sel.layer - 1]
        probed, lines, error = self._probe(layer)
        on_curve = probed is not None and probed.dz is not None  # a layer-wide result is no point on one curve
        curve = picture.activation_curve(
            doc.network, doc.propagation, sel.layer, sel.neuron_in_layer(), also=probed.z if on_curve else None
        )
        compared = self.tools.compared() if self.tools is not None else ""
        comparison = (compared, *probe.compare_curve(compared, curve.x)) if compared else None
        self.view.set_curve_and_points(
            (curve.x, curve.f, curve.df),
            curve.title,
            (curve.z, curve.a, curve.dz),
            comparison=comparison,
            probe=(probed.z, probed.a) if on_curve else None,
        )
        if self.tools is not None:
            self.tools.show_probe("\n".join(lines), error)

    def _probe(self, layer) -> tuple[probe.Probe | None, list[str], bool]:
        """The probe's result for ``layer``, the lines that say it (or what is wrong), and whether it is an error."""
        text = self.tools.probe_text() if self.tools is not None else ""
        if not text.strip():
            return None, [], False
        try:
            result = probe.probe(layer, probe.parse_vector(text))
        except ValueError as error:
            return None, [f"Probe z: {error}"], True
        return result, probe.probe_lines(probe.call_text(layer), result), False
