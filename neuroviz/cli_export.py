"""``neuroviz export``: write a view (PNG, SVG) or a table (CSV) of a network without showing a window.

Works with no display at all: pictures are rendered on Qt's offscreen platform, tables need no Qt. Bad arguments or
files print one line to stderr and exit non-zero, and nothing is written.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

VIEWS = ("network", "activation", "outputs", "window")
TABLES = ("activations", "weights", "curve", "sweep")
FORMATS = (".png", ".svg", ".csv")


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument as one line and exit code 2 (no usage dump)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"neuroviz export: {message} (see neuroviz export --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="neuroviz export",
        description="Render a view of a network to PNG or SVG, or write its numbers to CSV, without a window. "
        "The format follows OUT's extension: .png, .svg or .csv.",
        epilog="Examples:\n"
        "  neuroviz export net.json -o net.png --inputs 0.5,-1,2 --scale 2\n"
        "  neuroviz export net.json -o plot.svg --view activation --layer 1 --theme dark\n"
        "  neuroviz export net.json -o sweep.csv --table sweep --sweep-input 1 --steps 101",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", help="network file (.json); use 'example:NAME' for a shipped example")
    parser.add_argument(
        "-o", "--output", required=True, metavar="OUT", help="file to write (.png, .svg, .csv)"
    )
    parser.add_argument(
        "--inputs",
        metavar="V1,V2,...",
        help="input values, comma separated (default: the values saved in FILE)",
    )
    parser.add_argument(
        "--view", choices=VIEWS, default="network", help="which view to draw (default: network)"
    )
    parser.add_argument(
        "--layer",
        type=int,
        metavar="N",
        help="layer for --view activation and --table curve (1 = first hidden)",
    )
    parser.add_argument("--scale", type=float, default=1.0, help="PNG pixel scale, 1 to 4 (default: 1)")
    parser.add_argument(
        "--theme", choices=("light", "dark"), default="light", help="colours (default: light)"
    )
    parser.add_argument("--transparent", action="store_true", help="no background colour (PNG and SVG)")
    parser.add_argument(
        "--size", default="1400x900", metavar="WxH", help="window size in pixels (default 1400x900)"
    )
    parser.add_argument(
        "--table", choices=TABLES, default="activations", help="CSV table (default: activations)"
    )
    parser.add_argument(
        "--sweep-input", type=int, default=1, metavar="I", help="input swept by --table sweep (1-based)"
    )
    parser.add_argument("--steps", type=int, default=101, help="steps of --table sweep (default: 101)")
    parser.add_argument("--show-values", action="store_true", help="print values on the neurons")
    return parser


class UsageError(ValueError):
    """An argument that parsed but makes no sense; reported as one line."""


def run_export(argv: Sequence[str]) -> int:
    """Entry point of ``neuroviz export``; returns the process exit code."""
    options = _parser().parse_args(list(argv))
    from neuroviz.model import NetworkFileError
    from neuroviz.model.tables import ExportError

    try:
        network = _load(options.file)
        _check(options, network)
        if Path(options.output).suffix.lower() == ".csv":
            _export_table(options, network)
        else:
            _export_picture(options, network)
    except (UsageError, NetworkFileError, ExportError) as error:
        print(f"neuroviz export: {error}", file=sys.stderr)
        return 2 if isinstance(error, UsageError) else 1
    print(f"wrote {options.output}")
    return 0


def _load(spec: str):
    from neuroviz.model import Network
    from neuroviz.model.files import example_names, example_path

    if spec.startswith("example:"):
        name = spec.split(":", 1)[1]
        if name not in example_names():
            raise UsageError(f"no example called {name!r} (examples: {', '.join(example_names())})")
        return Network.load(example_path(name))
    return Network.load(spec)


def _check(options: argparse.Namespace, network) -> None:
    """Validate arguments against the network before anything is drawn or written."""
    suffix = Path(options.output).suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"cannot tell the format of {options.output!r}: use a .png, .svg or .csv name")
    if not 1 <= options.scale <= 4:
        raise UsageError(f"--scale must be between 1 and 4, got {options.scale:g}")
    if options.inputs is not None:
        try:
            values = [float(v) for v in options.inputs.split(",")]
        except ValueError:
            raise UsageError(f"--inputs must be comma-separated numbers, got {options.inputs!r}") from None
        if len(values) != network.n_inputs:
            raise UsageError(
                f"--inputs has {len(values)} values but the network has {network.n_inputs} inputs"
            )
        if not all(np.isfinite(values)):
            raise UsageError("--inputs must be finite numbers")
        for i, value in enumerate(values):
            low, high = network.input_ranges[i]
            network.set_input_range(i, min(low, value), max(high, value))
            network.set_input(i, value)
    if options.layer is not None and not 1 <= options.layer <= len(network.layers):
        raise UsageError(f"--layer must be between 1 and {len(network.layers)}, got {options.layer}")
    if not 1 <= options.sweep_input <= network.n_inputs:
        raise UsageError(f"--sweep-input must be between 1 and {network.n_inputs}, got {options.sweep_input}")
    if not 2 <= options.steps <= 100_000:
        raise UsageError(f"--steps must be between 2 and 100000, got {options.steps}")
    try:
        width, height = (int(v) for v in options.size.lower().split("x"))
    except ValueError:
        raise UsageError(f"--size must look like 1400x900, got {options.size!r}") from None
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise UsageError(f"--size must be between 200x200 and 8000x8000, got {options.size}")
    options.width, options.height = width, height
    parent = Path(options.output).resolve().parent
    if not parent.is_dir():
        raise UsageError(f"cannot write {options.output}: folder {parent} does not exist")


def _export_table(options: argparse.Namespace, network) -> None:
    from neuroviz.model import tables

    layer = options.layer or len(network.layers)
    if options.table == "activations":
        header, rows = tables.activations_table(network, network.forward())
    elif options.table == "weights":
        header, rows = tables.weights_table(network)
    elif options.table == "curve":
        header, rows = tables.layer_curve_table(network, network.forward(), layer)
    else:
        i = options.sweep_input - 1
        low, high = network.input_ranges[i]
        header, rows = tables.sweep_table(network, i, low, high, options.steps, network.input_values)
    tables.write_csv(options.output, header, rows)


def _export_picture(options: argparse.Namespace, network) -> None:
    """Build the real window offscreen with the requested state, then render one of its views."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QSettings

    from neuroviz.app import ensure_application
    from neuroviz.controller import Controller
    from neuroviz.views.export import save_png, save_svg
    from neuroviz.views.main_window import MainWindow

    app = ensure_application()
    with tempfile.TemporaryDirectory() as scratch:
        settings = QSettings(os.path.join(scratch, "export.ini"), QSettings.IniFormat)
        settings.setValue("view/dark", options.theme == "dark")
        settings.setValue("view/show_values", options.show_values)
        window = MainWindow(settings=settings)
        controller = Controller(window, network)
        if options.layer is not None:
            controller.select_layer(options.layer)
        window.resize(options.width, options.height)
        window.show()
        app.processEvents()
        target = {
            "network": window.network_view,
            "activation": window.activation_plot,
            "outputs": window.outputs_chart,
            "window": window,
        }[options.view]
        if Path(options.output).suffix.lower() == ".svg":
            title = f"neuroviz · {network.name or 'network'} · {options.view}"
            save_svg(target, options.output, title=title, transparent=options.transparent)
        else:
            save_png(target, options.output, scale=options.scale, transparent=options.transparent)
        window.accept_close()
