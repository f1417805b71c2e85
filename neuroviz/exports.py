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

#: The Training Charts and the race (issue 14): pictures of the plots, without their controls.
TRAINING_VIEWS: dict[str, ExportableView] = {
    "loss": ExportableView("Loss and accuracy chart", "training_charts.loss.plot", (800, 450)),
    "gradients": ExportableView("Gradient flow chart", "training_charts.gradients.plot", (800, 450)),
    "dead": ExportableView("Dead neurons chart", "training_charts.dead.plot", (800, 450)),
    "stats": ExportableView("Layer statistics charts (mean, std)", "training_charts.stats", (1000, 450)),
    "race": ExportableView("Race Activations loss chart", "race_dialog.chart.plot", (800, 450)),
}
VIEWS |= TRAINING_VIEWS

#: key → label of a CSV table, in menu order.
TABLES: dict[str, str] = {
    "activations": "Activations table (layer, neuron, z, a, f′)",
    "weights": "Weights and biases table",
    "curve": "Activation curve samples (x, f, f′)",
    "sweep": "Input sweep (outputs for one input swept)",
    "map_values": "Map of one neuron (x, y, value)",
    "decision_values": "Output map (x, y, each output)",
}

#: The numbers of the training charts: a row per epoch, a column per series.
TRAINING_TABLES: dict[str, str] = {
    "history": "Training history (Keras History: epoch, loss, accuracy, val_loss, val_accuracy)",
    "loss_values": "Loss and accuracy per epoch",
    "gradient_values": "Gradient flow per epoch (each layer's mean |dL/dW|)",
    "dead_values": "Dead neurons per epoch (each layer's dead share)",
    "stats_values": "Layer statistics per epoch (each layer's mean and std)",
    "race_values": "Race Activations (each contender's loss per epoch)",
}
TABLES |= TRAINING_TABLES
#: A training chart's picture and its table: ``--view loss -o l.csv`` writes the loss chart's numbers.
CHART_TABLES: dict[str, str] = {
    "loss": "loss_values",
    "gradients": "gradient_values",
    "dead": "dead_values",
    "stats": "stats_values",
    "race": "race_values",
}

#: The pictures drawn from response maps and their tables: ``--view map -o m.csv`` writes the map's table.
MAP_TABLES: dict[str, str] = {"map": "map_values", "decision": "decision_values"}


def view_widget(window, key: str):
    """The widget the view ``key`` draws in ``window`` (the window itself for "window"); a dotted name reaches into
    a part ("training_charts.loss.plot"). None when that part does not exist yet (the race dialog before a race)."""
    target = window
    for name in filter(None, VIEWS[key].widget.split(".")):
        target = getattr(target, name, None)
        if target is None:
            return None
    return target
