"""Everything that can be exported, registered once: the Export dialog, File ▸ Export and ``neuroviz export`` all
read these two tables, so a new exportable view or table is one entry here (plus, for a table, its function in
``neuroviz/model/tables.py``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExportableView:
    """A picture (PNG/SVG) of a view: ``widget`` is the MainWindow attribute that holds it ("" = the window)."""

    label: str
    widget: str
    default_size: tuple[int, int]  # at scale 1, when --size is not given: what looks right on a 16:10 slide


#: key → view, in menu order.
VIEWS: dict[str, ExportableView] = {
    "network": ExportableView("Network view", "network_view", (1000, 600)),
    "activation": ExportableView("Activation plot", "activation_plot", (800, 500)),
    "outputs": ExportableView("Outputs chart", "outputs_chart", (600, 400)),
    "map": ExportableView("Map of one neuron", "map_plot", (700, 600)),
    "decision": ExportableView("Output map (with the data)", "output_map_plot", (700, 600)),
    "window": ExportableView("Whole window", "", (1400, 900)),
}

#: key → label of a CSV table, in menu order.
TABLES: dict[str, str] = {
    "activations": "Activations table (layer, neuron, z, a, f′)",
    "weights": "Weights and biases table",
    "curve": "Activation curve samples (x, f, f′)",
    "sweep": "Input sweep (outputs for one input swept)",
    "map_values": "Map of one neuron (x, y, value)",
    "decision_values": "Output map (x, y, each output)",
}

#: The pictures drawn from response maps and their tables: ``--view map -o m.csv`` writes the map's table.
MAP_TABLES: dict[str, str] = {"map": "map_values", "decision": "decision_values"}


def view_widget(window, key: str):
    """The widget the view ``key`` draws in ``window`` (the window itself for "window")."""
    name = VIEWS[key].widget
    return getattr(window, name) if name else window
