"""``neuroviz export``: write a view (PNG, SVG) or a table (CSV) of a network without showing a window.

Works with no display at all: pictures are rendered on Qt's offscreen platform (forced here, whatever
QT_QPA_PLATFORM says), tables need no Qt. Bad arguments or files print one line to stderr and exit non-zero,
and nothing is written: every argument is checked before anything is drawn, and files are replaced atomically.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from neuroviz import exports
from neuroviz.cli import training_options
from neuroviz.cli.parsing import OneLineParser

#: The race is exported from its window only (it needs the race the person ran).
WINDOW_ONLY = ("race", "race_values")
VIEWS = tuple(key for key in exports.VIEWS if key not in WINDOW_ONLY)
TABLES = tuple(key for key in exports.TABLES if key not in WINDOW_ONLY)
FORMATS = (".png", ".svg", ".csv")
#: Picture size at scale 1 when --size is not given: what looks right on a 16:10 slide.
DEFAULT_SIZES = {key: view.default_size for key, view in exports.VIEWS.items()}
MIN_SIDE, MAX_SIDE = 100, 8000
MAX_SCALE = 4.0
MAX_STEPS = 100_000
#: Response maps: grid points along each axis (model/maps.py's limits) and the data sets --data draws.
MIN_RESOLUTION, MAX_RESOLUTION, DEFAULT_RESOLUTION = 10, 400, 100
DATA_SETS = ("circle", "xor", "gauss", "spiral", "plane", "multi_gauss", "iris")
#: Exit codes: a bad command line, a file that could not be read or written.
USAGE_ERROR, FILE_ERROR = 2, 1

HELP_EPILOG = """\
what is written
  The format follows OUT's extension:
  .png  a picture of --view, W*scale by H*scale pixels, where WxH is --size: the size of the whole
        window for --view window, or of the chosen view laid out on its own for the other views.
        Example: --size 800x500 --scale 2 gives a 1600x1000 PNG. It records 96*scale dpi, so a 2x PNG
        lands on a slide as large as a 1x one, only sharper.
  .svg  the same picture as vector graphics (neurons as circles, links as lines, text as <text>),
        WxH CSS pixels; --scale does not apply.
  .csv  a table (--table), UTF-8, a header row, '.' decimal point, every number at full precision:
        activations  layer, layer_name, neuron, pre_activation, activation, derivative
                     (one row per neuron; layer 0 is the input)
        weights      layer, layer_name, from, to, weight (from = "bias" for the biases)
        curve        x, f(x), f'(x): the curve the activation plot shows for --layer (default: the
                     output layer); for softmax-like layers, neuron 1's curve with the others fixed
        sweep        one input (--sweep-input) swept over its range in --steps steps, the other inputs
                     fixed, then every output
        map_values       --view map with a .csv OUT: x, y, value of --neuron at every grid point
        decision_values  --view decision with a .csv OUT: x, y, then every output
        history          the training run's Keras History: epoch, loss, accuracy, val_loss, val_accuracy
        loss_values, gradient_values, dead_values, stats_values
                         --view loss|gradients|dead|stats with a .csv OUT: a row per epoch, a column per
                         series of the chart
  Training charts: --view loss, gradients, dead or stats trains the network on --data for --epochs epochs
  (with neuroviz train's options) and draws the Training Charts dock's chart of that run; the network
  drawn by the other views is not trained. The race is exported from its window (Edit ▸ Race
  Activations…, then Export…).
  Maps: --view map draws one neuron (--neuron LAYER:INDEX) over two inputs (--axes I,J) on a grid of
  --resolution points per axis; --view decision draws the output layer, with --data's points (training
  filled, test hidden as in the window's default). A network fed by input features is drawn over x1, x2.
  Layers are numbered as in the window: 0 = the inputs, 1 = the first hidden layer, ..., the last one
  is the output layer. Neurons and inputs count from 1.

inputs
  --inputs sets every input, in order; a value outside an input's slider range widens that range.
  Values may be negative: --inputs -1,0.5,2 and --inputs=-1,0.5,2 both work.

animations
  --animate training|sweep writes an animated GIF when OUT ends in .gif, or numbered PNG frames
  (frame-0001.png, ...) when OUT ends in / or names an existing folder. Training takes `neuroviz train`'s
  data and training options (--data, --epochs, --every, --fps, ...); see `neuroviz export x --animate
  training --help`.

exit status
  0 written; 1 FILE could not be read or OUT could not be written; 2 bad arguments. On an error one
  line goes to stderr and OUT is left as it was (or not created).

examples
  neuroviz export net.json -o net.png --inputs 0.5,-1,2 --scale 2
  neuroviz export net.json -o window.png --view window --size 1600x1000 --theme dark
  neuroviz export example:spiral -o maps.svg --maps
  neuroviz export net.json -o plot.svg --view activation --layer 1 --transparent
  neuroviz export net.json -o numbers.csv --table activations --inputs 1,0,0
  neuroviz export example:xor -o sweep.csv --table sweep --sweep-input 1 --steps 101
  neuroviz export net.json -o m.svg --view map --neuron 2:3 --axes 1,2 --resolution 200
  neuroviz export example:xor -o d.png --view decision --data xor
  neuroviz export net.json --view loss --data circle --epochs 50 -o loss.png
  neuroviz export net.json --table history --data spiral --epochs 200 --learning-rate 0.03 -o history.csv
  neuroviz export net.json --animate training --data spiral --epochs 200 -o run.gif
  neuroviz export net.json --animate sweep --sweep-input 1 --frames 60 -o sweep.gif"""


class UsageError(ValueError):
    """An argument that parsed but makes no sense; reported as one line."""


class OutputError(ValueError):
    """OUT cannot be written where it points (exit status 1, like any other write failure)."""


def _parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="neuroviz export",
        description="Render a view of a network to PNG or SVG, or write its numbers to CSV.\n"
        "Pictures are drawn offscreen, without opening a window and without needing a display.",
        epilog=HELP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "file",
        metavar="FILE",
        help="a neuroviz network (.json), a Keras model (.keras, or legacy .h5), or example:NAME for a shipped "
        "example (e.g. example:xor)",
    )
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help="file to write: .png, .svg or .csv")
    parser.add_argument(
        "--inputs", metavar="V1,V2,...", help="input values, comma separated (default: the values saved in FILE)"
    )
    parser.add_argument("--view", choices=VIEWS, help="for .png/.svg: the view to draw (default: network)")
    parser.add_argument(
        "--layer",
        type=int,
        metavar="N",
        help="layer shown by --view activation and --table curve: 1 = first hidden layer (default: 1 for the "
        "view, the output layer for the table)",
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, metavar="S", help="PNG pixel scale, 1 to 4, e.g. 2 for slides (default: 1)"
    )
    parser.add_argument("--theme", choices=("light", "dark"), default="light", help="colours (default: light)")
    parser.add_argument("--transparent", action="store_true", help="PNG/SVG without the theme's background colour")
    parser.add_argument(
        "--size",
        metavar="WxH",
        help="picture size in pixels at scale 1, from 100x100 to 8000x8000 (defaults: network 1000x600, "
        "activation 800x500, outputs 600x400, window 1400x900)",
    )
    parser.add_argument("--table", choices=TABLES, help="for .csv: the table to write (default: activations)")
    parser.add_argument(
        "--sweep-input", type=int, default=1, metavar="I", help="input swept by --table sweep, from 1 (default: 1)"
    )
    parser.add_argument(
        "--steps", type=int, default=101, metavar="N", help="rows of --table sweep, 2 to 100000 (default: 101)"
    )
    parser.add_argument("--show-values", action="store_true", help="print each neuron's value on it")
    parser.add_argument(
        "--animate",
        choices=("training", "sweep"),
        help="write an animated GIF (OUT.gif) or PNG frames (OUT/) while the network trains or an input sweeps; "
        "its options: neuroviz export FILE --animate training --help (the neuroviz command hands these on)",
    )
    maps = parser.add_argument_group("maps (--view map, --view decision)")
    maps.add_argument(
        "--neuron",
        metavar="LAYER:INDEX",
        help="the neuron --view map draws: layer 0 = the inputs, neurons from 1 (default: 1:1)",
    )
    maps.add_argument("--axes", metavar="I,J", help="the two inputs on the map's x and y axes, from 1 (default: 1,2)")
    maps.add_argument(
        "--resolution",
        type=int,
        default=DEFAULT_RESOLUTION,
        metavar="N",
        help=f"grid points along each axis, {MIN_RESOLUTION} to {MAX_RESOLUTION} (default: {DEFAULT_RESOLUTION}; "
        "pictures of a large network may get fewer)",
    )
    maps.add_argument(
        "--data",
        choices=DATA_SETS,
        help="--view decision: draw this data set's points (Playground's generated sets or iris); "
        "the training charts: train on it",
    )
    parser.add_argument(
        "--maps",
        action="store_true",
        help="draw each neuron as a picture of its response map over the first two inputs (View ▸ Neuron Maps; "
        "--view network or window)",
    )
    training = parser.add_argument_group("training charts (--view loss, gradients, dead, stats; --table history)")
    training_options.add_generator_arguments(training)
    training_options.add_fit_arguments(parser)
    return parser


#: The options that only a training run uses (their destinations); given without one, they are refused.
TRAINING_OPTIONS = (
    "noise",
    "points",
    "features",
    "train_share",
    "seed",
    "epochs",
    "batch_size",
    "optimizer",
    "learning_rate",
    "loss",
    "no_shuffle",
)


def run_export(argv: Sequence[str]) -> int:
    """Entry point of ``neuroviz export``; returns the process exit code (also for --help and bad arguments)."""
    parser = _parser()
    try:
        options = parser.parse_args(_join_negative_inputs(list(argv)))
    except SystemExit as stop:  # --help, or argparse refused an argument (it printed the line)
        return stop.code if isinstance(stop.code, int) else USAGE_ERROR
    options.training_given = [name for name in TRAINING_OPTIONS if getattr(options, name) != parser.get_default(name)]
    try:
        _check_arguments(options)
        network = load_network(options.file)
        _apply_to_network(options, network)
        options.history = _train(options, network) if options.trains else None
        if options.suffix == ".csv":
            _export_table(options, network)
        else:
            _export_picture(options, network)
    except (UsageError, training_options.UsageError) as error:
        print(f"neuroviz export: {error}", file=sys.stderr)
        return USAGE_ERROR
    except (ValueError, OSError) as error:  # NetworkFileError and ExportError are ValueErrors
        print(f"neuroviz export: {error}", file=sys.stderr)
        return FILE_ERROR
    print(f"wrote {options.output}")
    return 0


def _join_negative_inputs(argv: list[str]) -> list[str]:
    """``--inputs -1,2`` → ``--inputs=-1,2``: argparse would take ``-1,2`` for an option."""
    joined: list[str] = []
    index = 0
    while index < len(argv):
        if argv[index] == "--inputs" and index + 1 < len(argv):
            joined.append(f"--inputs={argv[index + 1]}")
            index += 2
        else:
            joined.append(argv[index])
            index += 1
    return joined


def _check_arguments(options: argparse.Namespace) -> None:
    """Everything that can be judged without the network, so a typo costs no loading or drawing."""
    suffix = Path(options.output).suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"cannot tell the format of {options.output!r}: give OUT a .png, .svg or .csv extension")
    options.suffix = suffix
    if suffix == ".csv" and options.view in exports.MAP_TABLES:  # a map's numbers: x, y, value(s)
        options.table, options.view = exports.MAP_TABLES[options.view], None
    if suffix == ".csv" and options.view in exports.CHART_TABLES:  # a training chart's numbers
        options.table, options.view = exports.CHART_TABLES[options.view], None
    if suffix == ".csv":
        if options.view is not None:
            raise UsageError("--view draws a picture: give OUT a .png or .svg extension, or use --table for CSV")
        options.table = options.table or "activations"
    else:
        if options.table is not None:
            raise UsageError("--table writes CSV: give OUT a .csv extension, or use --view for pictures")
        options.view = options.view or "network"
    if options.maps and options.view not in ("network", "window"):
        raise UsageError(
            "--maps draws the pictures in the network view: use it with --view network or window (a .png or .svg)"
        )
    if not (math.isfinite(options.scale) and 1 <= options.scale <= MAX_SCALE):
        raise UsageError(f"--scale must be between 1 and {MAX_SCALE:g}, got {options.scale:g}")
    options.width, options.height = parse_size(options.size, options.view)
    if suffix == ".png":
        _check_pixels(options.width, options.height, options.scale, options.size)
    if options.inputs is not None:
        options.input_values = _parse_inputs(options.inputs)
    if not 2 <= options.steps <= MAX_STEPS:
        raise UsageError(f"--steps must be between 2 and {MAX_STEPS}, got {options.steps}")
    _check_map_arguments(options)
    _check_training_arguments(options)
    _check_output(Path(options.output))


def _check_training_arguments(options: argparse.Namespace) -> None:
    """The training charts need a run (--data); the training options need a training chart."""
    what = options.view or options.table
    options.trains = what in exports.TRAINING_VIEWS or what in exports.TRAINING_TABLES
    if options.trains and options.data is None:
        raise UsageError(f"{'--view' if options.view else '--table'} {what} draws a training run: add --data NAME")
    if options.training_given and not options.trains:
        given = ", ".join("--" + name.replace("_", "-") for name in options.training_given)
        raise UsageError(f"{given}: training options are for the training charts (--view loss, gradients, dead, stats)")
    if options.trains:
        training_options.check_fit_arguments(options)


def _check_map_arguments(options: argparse.Namespace) -> None:
    """--neuron, --axes, --resolution and --data belong to the maps; their form is checked here."""
    what = options.view or options.table
    is_map = what in ("map", "map_values")
    is_decision = what in ("decision", "decision_values")
    if options.neuron is not None and not is_map:
        raise UsageError("--neuron chooses the neuron of --view map; add --view map")
    if (options.axes is not None or options.resolution != DEFAULT_RESOLUTION) and not (is_map or is_decision):
        raise UsageError("--axes and --resolution are for --view map or --view decision")
    trains = what in exports.TRAINING_VIEWS or what in exports.TRAINING_TABLES
    if options.data is not None and not (is_decision or trains):
        raise UsageError("--data draws a data set on --view decision or trains for the training charts (--view loss)")
    if not MIN_RESOLUTION <= options.resolution <= MAX_RESOLUTION:
        raise UsageError(
            f"--resolution must be between {MIN_RESOLUTION} and {MAX_RESOLUTION}, got {options.resolution}"
        )
    options.neuron_position = (1, 0)
    if options.neuron is not None:
        try:
            layer, index = (int(part) for part in options.neuron.split(":"))
        except ValueError:
            raise UsageError(f"--neuron must be LAYER:INDEX like 2:3, got {options.neuron!r}") from None
        if layer < 0 or index < 1:
            raise UsageError(f"--neuron: layers count from 0 (the inputs) and neurons from 1, got {options.neuron}")
        options.neuron_position = (layer, index - 1)
    options.axes_indices = None
    if options.axes is not None:
        try:
            x, y = (int(part) for part in options.axes.split(","))
        except ValueError:
            raise UsageError(f"--axes must be two input numbers like 1,2, got {options.axes!r}") from None
        if x == y or x < 1 or y < 1:
            raise UsageError(f"--axes must be two different inputs counted from 1, got {options.axes}")
        options.axes_indices = (x - 1, y - 1)


def _check_output(output: Path) -> None:
    """Say now, before anything is loaded or drawn, why OUT could not be written where it points."""
    folder = output.resolve().parent
    if output.is_dir():
        raise OutputError(f"cannot write {output}: it is a folder")
    if not folder.is_dir():
        existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
        if existing is not None and not existing.is_dir():
            raise OutputError(f"cannot write {output}: {existing} is a file, not a folder")
        raise OutputError(f"cannot write {output}: the folder {folder} does not exist")


def parse_size(text: str | None, view: str | None) -> tuple[int, int]:
    """--size WxH as (width, height), or the view's default size; also read by ``--animate``."""
    if text is None:
        return DEFAULT_SIZES[view or "window"]
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise UsageError(f"--size must be WIDTHxHEIGHT in pixels, like 1400x900, got {text!r}") from None
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise UsageError(f"--size must be between {MIN_SIDE}x{MIN_SIDE} and {MAX_SIDE}x{MAX_SIDE} pixels, got {text}")
    return width, height


def _check_pixels(width: int, height: int, scale: float, size_text: str | None) -> None:
    """The PNG's size is the size times the scale: refuse what the picture writer would refuse, before any drawing."""
    from neuroviz.views.export import MAX_IMAGE_SIDE

    out_width, out_height = round(width * scale), round(height * scale)
    if max(out_width, out_height) > MAX_IMAGE_SIDE:
        size = f"--size {size_text}" if size_text else f"the view's size {width}x{height}"
        raise UsageError(
            f"{size} at --scale {scale:g} makes a {out_width}x{out_height} PNG; at most {MAX_IMAGE_SIDE} pixels "
            "per side: lower --scale or --size"
        )


def _parse_inputs(text: str) -> list[float]:
    try:
        values = [float(part) for part in text.split(",")]
    except ValueError:
        raise UsageError(f"--inputs must be comma-separated numbers like 0.5,-1,2, got {text!r}") from None
    if not all(math.isfinite(v) for v in values):
        raise UsageError(f"--inputs must be finite numbers, got {text!r}")
    return values


def load_network(spec: str):  # -> Network (imported late: --help needs no NumPy)
    """A network file or ``example:NAME``; NetworkFileError (a ValueError) for a file that is not a network."""
    from neuroviz.model import Network
    from neuroviz.model.files import example_names, example_path

    if spec.startswith("example:"):
        name = spec.split(":", 1)[1]
        if name not in example_names():
            raise UsageError(f"no example called {name!r} (examples: {', '.join(example_names())})")
        return Network.load(example_path(name))
    return Network.load(spec)


def _apply_to_network(options: argparse.Namespace, network) -> None:
    """Check the arguments that depend on the network, then set its inputs."""
    if options.layer is not None and not 1 <= options.layer <= len(network.layers):
        raise UsageError(
            f"--layer must be between 1 and {len(network.layers)} (this network has {len(network.layers)} "
            f"layers after the inputs), got {options.layer}"
        )
    if not 1 <= options.sweep_input <= network.n_inputs:
        raise UsageError(f"--sweep-input must be between 1 and {network.n_inputs}, got {options.sweep_input}")
    _apply_map_arguments(options, network)
    if options.inputs is None:
        return
    values = options.input_values
    if len(values) != network.n_inputs:
        raise UsageError(f"--inputs has {len(values)} values but the network has {network.n_inputs} inputs")
    for i, value in enumerate(values):
        low, high = network.input_ranges[i]
        network.set_input_range(i, min(low, value), max(high, value))
        network.set_input(i, value)


def _apply_map_arguments(options: argparse.Namespace, network) -> None:
    """The map arguments that depend on the network: the neuron, the axes, whether the data fits."""
    if options.axes_indices is not None:
        if network.input_features is not None:
            raise UsageError("--axes: this network is fed by input features; its maps are over x1 and x2")
        if max(options.axes_indices) >= network.n_inputs:
            raise UsageError(f"--axes must name inputs from 1 to {network.n_inputs}, got {options.axes}")
    options.map_axes = options.axes_indices or (0, 1)
    if (
        network.n_inputs < 2
        and network.input_features is None
        and (options.view or options.table)
        in (
            *exports.MAP_TABLES,
            *exports.MAP_TABLES.values(),
        )
    ):
        raise UsageError("a map needs two inputs; this network has one")
    k, i = options.neuron_position
    sizes = network.sizes
    if k >= len(sizes):
        raise UsageError(f"--neuron: the layer must be from 0 to {len(sizes) - 1}, got {k}")
    if i >= sizes[k]:
        raise UsageError(f"--neuron: layer {k} has {sizes[k]} neurons, got neuron {i + 1}")
    options.dataset = None
    if options.data is not None and not options.trains:
        from neuroviz.data_source import fit_problem
        from neuroviz.model import datasets

        data = datasets.iris() if options.data == "iris" else datasets.generate(options.data)
        problem = fit_problem(data, network)
        if problem:
            raise UsageError(f"--data {options.data} does not fit this network: {problem}")
        options.dataset = data


def _map_table(options: argparse.Namespace, network):
    from neuroviz.model.map_tables import decision_table, map_table
    from neuroviz.model.maps import response_maps
    from neuroviz.presenters.map_output import output_names

    maps = response_maps(network, options.map_axes, options.resolution)
    if options.table == "map_values":
        return map_table(maps, *options.neuron_position)
    return decision_table(maps, output_names(network, maps.layers[-1].shape[0]))


def _train(options: argparse.Namespace, network):
    """Train ``network`` in place as ``neuroviz train`` would, recording what the window's charts draw."""
    from neuroviz.model.datasets import DatasetError
    from neuroviz.model.run_history import record_epochs
    from neuroviz.model.training import TrainingDiverged

    try:
        train, validation, _ = training_options.load_data(options, network)
        loss = options.loss or training_options.default_loss(network)
        y_train = train.targets_for(network, loss)
        held_out = (validation.x, validation.targets_for(network, loss)) if validation is not None else None
        trainer = training_options.make_trainer(network, options, loss)
        training_options.start(trainer, options, train.x, y_train, held_out)
    except DatasetError as error:
        raise UsageError(f"--data {options.data}: {error}") from None
    try:
        return record_epochs(trainer, options.epochs, train.x)
    except TrainingDiverged as error:
        raise ValueError(f"training diverged: {error}; try a smaller --learning-rate") from None


def _training_table(options: argparse.Namespace, network):
    from neuroviz.model.run_history import chart_table, history_table

    if options.table == "history":
        return history_table(options.history.keras_history())
    chart = next(view for view, table in exports.CHART_TABLES.items() if table == options.table)
    return chart_table(chart, options.history, [layer.name for layer in network.layers])


def _export_table(options: argparse.Namespace, network) -> None:
    from neuroviz.model import tables

    if options.table in exports.TRAINING_TABLES:
        header, rows = _training_table(options, network)
    elif options.table in exports.MAP_TABLES.values():
        header, rows = _map_table(options, network)
    elif options.table == "activations":
        header, rows = tables.activations_table(network, network.forward())
    elif options.table == "weights":
        header, rows = tables.weights_table(network)
    elif options.table == "curve":
        layer = options.layer or len(network.layers)
        header, rows = tables.layer_curve_table(network, network.forward(), layer)
    else:
        i = options.sweep_input - 1
        low, high = network.input_ranges[i]
        header, rows = tables.sweep_rows(network, i, low, high, options.steps, network.input_values)  # streamed
    tables.write_csv(options.output, header, rows)


def _export_picture(options: argparse.Namespace, network) -> None:
    """Build the real window offscreen with the requested state, then render the whole of it or one view."""
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # never show anything, never need a display
    from PySide6.QtCore import QCoreApplication, QEvent, QSettings, QSize
    from PySide6.QtGui import QPalette

    from neuroviz import preferences
    from neuroviz.application import ensure_application
    from neuroviz.controller import Controller
    from neuroviz.views.export import save_png, save_svg
    from neuroviz.views.main_window import MainWindow

    app = ensure_application()
    palette = QPalette(app.palette())  # the theme is application-wide: give it back when run in-process
    with quiet_qt(), tempfile.TemporaryDirectory() as scratch:
        settings = QSettings(os.path.join(scratch, "export.ini"), QSettings.Format.IniFormat)
        settings.setValue("view/theme", options.theme)
        settings.setValue("view/show_values", options.show_values)
        settings.setValue(preferences.NEURON_MAPS, options.maps)
        window = MainWindow(settings=settings)
        target = window
        controller = None
        try:
            controller = Controller(window, network)
            if options.layer is not None:
                controller.selection.select_layer(options.layer)
            if options.view in exports.MAP_TABLES:
                _set_up_map(controller, options)
            if options.history is not None:  # the charts of the run trained above
                controller.training.run.show_history(options.history)
                controller.training.prepare_export(options.view)
            if options.view != "window":
                target = exports.view_widget(window, options.view)
                target.setParent(None)  # the view alone, laid out at --size
            target.resize(options.width, options.height)
            target.show()
            app.processEvents()
            controller.flush()
            wanted = QSize(options.width, options.height)
            if target.size() != wanted:
                least = target.minimumSizeHint().expandedTo(target.minimumSize())
                what = "the window" if options.view == "window" else f"the {options.view} view"
                raise UsageError(
                    f"--size {options.width}x{options.height} is smaller than {what} can be drawn for this "
                    f"network; use at least {least.width()}x{least.height()}"
                )
            if options.suffix == ".svg":
                title = f"neuroviz · {network.name or 'network'} · {options.view}"
                save_svg(target, options.output, title=title, transparent=options.transparent)
            else:
                save_png(target, options.output, scale=options.scale, transparent=options.transparent)
        finally:
            if controller is not None and options.view in exports.MAP_TABLES:
                controller.maps.finish_export()
            window.accept_close()
            for widget in {id(w): w for w in (target, window)}.values():
                widget.close()
                widget.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            app.setPalette(palette)


def _set_up_map(controller, options: argparse.Namespace) -> None:
    """The map views as asked: axes, resolution, the neuron shown, the data set drawn."""
    parts = controller.maps
    if controller.network.input_features is None:
        controller.map_source.set_axes(*options.map_axes)
    controller.map_source.set_resolution(options.resolution)
    controller.selection.select_neuron(*options.neuron_position)
    if options.dataset is not None:
        parts.data.set_dataset(options.dataset)
    parts.prepare_export(options.view)


@contextlib.contextmanager
def quiet_qt() -> Iterator[None]:
    """Drop the offscreen platform's notes about showing windows; let every other Qt message through."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_kind, _context, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)
