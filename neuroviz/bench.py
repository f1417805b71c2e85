"""``python -m neuroviz.bench``: how fast neuroviz is where a person waits.

For each network shape it measures (median and 95th percentile):
  forward       the model's forward pass for one sample
  update        one input changed through the input panel → propagation → every view updated → the whole window
                rendered offscreen (window.grab()), i.e. what a person waits for after moving a slider
  structure     one layer resized through the layer panel (items rebuilt) and the window rendered
and once: start-up (process start → first painted window, several runs of a subprocess) and memory (resident set
growth over 10,000 updates of which every tenth is rendered, and the graphics item counts of the three views before
and after).

Neuron Maps (View ▸ Neuron Maps on, issue 13): "maps" is one change of the weights in place (as a training step
makes: a bias nudged, ``document.mark_values_changed(1)``) → propagation → every neuron's response map recomputed by
the window's MapSource (resolution 100, lower where ``auto_resolution`` says) → every view updated → the network view
rendered offscreen (its ``grab()``); and apart from that the model's ``maps.response_maps`` alone. For the default
example, the trained "spiral" example (TensorFlow Playground's largest: 7 features, 6 hidden × 8, 56 maps with the
inputs and the output) and 16 hidden × 256.

Training (no window): one epoch of Trainer on TensorFlow Playground's problems (250 points, batch 10, tanh,
SGD(0.03), mean squared error) for the default 2-4-2-1 network and 7 features × 6 hidden layers of 8, and
``network.gradients`` for one sample of the default. Where Keras is importable (JAX backend) its ``fit`` on the
same problems is measured too (``tests/fixtures/keras_throughput.py``), for the ratio.

Every measured update must really redraw (the benchmark checks that each input change made a new propagation);
between two timed updates Qt's event loop runs untimed, as it would between two frames. The start-up
runs use an empty settings folder, so the user's saved window layout and recent files play no part, and a
bytecode cache, as an installed package has.

It is a benchmark, not a test: nothing here asserts a time. ``--json`` prints one JSON object for comparisons.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

#: (label, sizes or None for the default example, activations)
SHAPES = (
    ("default example", None),
    ("6 hidden × 8 (TF Playground max)", [2, *[8] * 6, 1]),
    ("8 hidden × 64", [4, *[64] * 8, 3]),
    ("16 hidden × 256 (neuroviz max)", [8, *[256] * 16, 4]),
)
#: Milliseconds a person should wait at most, per shape, for an end-to-end update (issue targets).
UPDATE_TARGETS_MS = (4.0, 4.0, 16.0, 50.0)
STARTUP_MARK = "neuroviz-first-paint"
#: (label, key, sizes) of the training rows; targets in ms per epoch (issue 12).
TRAINING_PROBLEMS = (
    ("Playground default 2-4-2-1", "default", [2, 4, 2, 1]),
    ("7 features, 6 hidden × 8", "largest", [7, *[8] * 6, 1]),
)
TRAINING_TARGETS_MS = (2.0, 5.0)
#: (label, example name or sizes, target ms) of the Neuron Maps rows (issue 13).
MAP_SHAPES = (
    ("default example", "default", 8.0),
    ("spiral: 7 features, 6 hidden × 8 (TF Playground max)", "spiral", 16.0),
    ("16 hidden × 256 (neuroviz max)", [8, *[256] * 16, 4], 100.0),
)
GRADIENTS_TARGET_US = 60.0
#: (label, example name or sizes, data set, edge mode) of the training-frame rows (issue 14: ≤ 16 ms a frame).
FRAME_PROBLEMS = (
    ("Playground default: circle, 2-4-2-1 tanh", [2, 4, 2, 1], "circle", "weight"),
    ("the same, Edges Show Gradients", [2, 4, 2, 1], "circle", "gradient"),
    ("spiral: 7 features, 6 hidden × 8", "spiral", "spiral", "weight"),
)
FRAME_TARGET_MS = 16.0


def _stats(samples: list[float], unit: float) -> dict[str, float]:
    """Median and 95th percentile of ``samples`` (seconds) in ``unit`` (1e3 for ms, 1e6 for µs)."""
    arr = np.asarray(samples) * unit
    return {"median": float(np.median(arr)), "p95": float(np.percentile(arr, 95)), "runs": len(samples)}


def _time(
    fn: Callable[[], object], runs: int, warmup: int = 3, between: Callable[[], object] | None = None
) -> list[float]:
    """Seconds per call of ``fn``; ``between`` runs untimed before each call."""
    out = []
    for run in range(warmup + runs):
        if between is not None:
            between()
        start = time.perf_counter()
        fn()
        if run >= warmup:
            out.append(time.perf_counter() - start)
    return out


def _network(sizes):
    from neuroviz.model import Network
    from neuroviz.model.files import example_path

    if sizes is None:
        return Network.load(example_path("default"))
    hidden = len(sizes) - 2
    return Network.from_sizes(sizes, activations=["relu"] * hidden + ["softmax"], seed=0)


def _rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _graphics_items(window) -> int:
    """Items in the scenes of the network view, the activation plot and the outputs chart."""
    views = (window.network_view, window.activation_plot, window.outputs_chart)
    return sum(len(view.scene().items()) for view in views)


def bench_shape(sizes, quick: bool) -> dict:
    """Forward, end-to-end update and structure change for one network shape."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from neuroviz.controller import Controller
    from neuroviz.views.main_window import MainWindow

    net = _network(sizes)
    x = np.linspace(-1, 1, net.n_inputs)
    result = {
        "sizes": net.sizes,
        "edges": int(sum(a * b for a, b in zip(net.sizes, net.sizes[1:], strict=False))),
    }
    result["forward_us"] = _stats(_time(lambda: net.forward(x), 200 if quick else 2000), 1e6)

    scratch = Path(os.environ.get("TMPDIR", "/tmp")) / f"neuroviz-bench-{os.getpid()}.ini"
    window = MainWindow(settings=QSettings(str(scratch), QSettings.IniFormat))
    controller = Controller(window, net)
    window.resize(1400, 900)
    window.show()
    QApplication.processEvents()
    spin = window.input_panel.spin_box(0)
    low, high = spin.minimum(), spin.maximum()
    values = iter(np.tile(np.linspace(low, high, 37), 1000))

    def update() -> None:
        before = controller.propagation
        spin.setValue(float(next(values)))
        controller.flush()
        if controller.propagation is before:
            raise RuntimeError("the input change did not reach the network: the benchmark would time nothing")
        window.grab()

    # Between two timed updates the event loop runs (untimed): it handles what Qt posted (layout requests,
    # the repaint that grab() has already done in full) as it would between two frames.
    runs = 20 if quick else 100
    result["update_ms"] = _stats(_time(update, runs, between=QApplication.processEvents), 1e3)

    box = window.layer_panel.size_box(1)
    base = box.value()
    other = base - 1 if base == box.maximum() else base + 1  # a 256-neuron layer cannot grow

    def resize() -> None:
        before = controller.network.sizes
        box.setValue(other if box.value() == base else base)
        box.editingFinished.emit()
        controller.flush()
        if controller.network.sizes == before:
            raise RuntimeError("the layer was not resized: the benchmark would time nothing")
        window.grab()

    runs = 5 if quick else 20
    result["structure_ms"] = _stats(_time(resize, runs, 1, between=QApplication.processEvents), 1e3)
    window.accept_close()
    scratch.unlink(missing_ok=True)
    return result


def bench_maps(spec, quick: bool) -> dict:
    """Recompute and draw every neuron's map after a change of the weights (see the module's text)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from neuroviz.controller import Controller
    from neuroviz.model import Network, maps
    from neuroviz.model.files import example_path
    from neuroviz.views.main_window import MainWindow

    net = Network.load(example_path(spec)) if isinstance(spec, str) else _network(spec)
    scratch = Path(os.environ.get("TMPDIR", "/tmp")) / f"neuroviz-bench-maps-{os.getpid()}.ini"
    settings = QSettings(str(scratch), QSettings.IniFormat)
    settings.setValue("view/neuron_maps", True)
    window = MainWindow(settings=settings)
    controller = Controller(window, net)
    window.resize(1400, 900)
    window.show()
    QApplication.processEvents()
    source, view, document = controller.map_source, window.network_view, controller.document
    biases = controller.network.layers[0].biases
    nudges = iter(np.tile([1e-3, -1e-3], 1000))

    def change_and_draw() -> None:
        before = source.maps
        biases[0] += next(nudges)  # in place, as a training step changes the weights
        document.mark_values_changed(1)
        controller.flush()
        if source.maps is before or source.maps is None:
            raise RuntimeError("the maps were not recomputed: the benchmark would time nothing")
        view.grab()

    runs = 10 if quick else 60
    result = _stats(_time(change_and_draw, runs, between=QApplication.processEvents), 1e3)
    resolution = source.resolution
    model = _time(lambda: maps.response_maps(controller.network, source.axes, resolution), runs)
    result["model"] = _stats(model, 1e3)  # the part of it that is model/maps.py's one batched pass
    result.update(
        sizes=controller.network.sizes,
        maps=int(sum(controller.network.sizes)),
        pictured=sum(view.map_picture_rect(k, 0) is not None for k in range(len(controller.network.sizes))),
        resolution=source.resolution,
        note=source.reduced_note,
    )
    window.accept_close()
    scratch.unlink(missing_ok=True)
    return result


def bench_training_frame(spec, data: str, edge_mode: str, quick: bool) -> dict:
    """One training frame in the window: ``TrainingRun.tick()`` (one epoch of 250 points in batches of 10, SGD at
    Playground's 0.03) → every view updated (``Controller.flush``, Neuron Maps on, maps recomputed) → the whole
    1400×900 window rendered (``window.grab()``). Also the tick alone, without drawing, and the frame as a screen
    gets it ("repaint"): the same tick and update, then Qt's event loop repaints only the widgets that changed
    (``grab()`` paints every dock, also the unchanged layer panel and forms)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from neuroviz.controller import Controller
    from neuroviz.model import Network
    from neuroviz.model.files import example_path
    from neuroviz.training_run import TrainingSettings
    from neuroviz.views.main_window import MainWindow

    if isinstance(spec, str):
        net = Network.load(example_path(spec))
    else:
        net = Network.from_sizes(spec, ["tanh"] * (len(spec) - 1), seed=0)
    scratch = Path(os.environ.get("TMPDIR", "/tmp")) / f"neuroviz-bench-frame-{os.getpid()}.ini"
    settings = QSettings(str(scratch), QSettings.IniFormat)
    settings.setValue("view/neuron_maps", True)
    settings.setValue("view/edge_mode", edge_mode)
    window = MainWindow(settings=settings)
    controller = Controller(window, net)
    window.resize(1400, 900)
    window.show()
    controller.maps.data.generate(data, noise=0.0, seed=0)
    run = controller.training.run
    run.set_settings(TrainingSettings(loss="mean_squared_error", optimizer="sgd", learning_rate=0.03, batch_size=10))
    run.budget_ms = None  # one whole epoch per frame, whatever it costs
    run.timer.setInterval(10**9)  # the benchmark calls tick() itself
    QApplication.processEvents()
    if not run.play():
        raise RuntimeError(f"training did not start: {run.last_message}")

    def train_and_update() -> None:
        epochs = run.epoch
        run.tick()
        controller.flush()
        if run.epoch != epochs + 1:
            raise RuntimeError("the frame trained no epoch: the benchmark would time nothing")

    def frame() -> None:
        train_and_update()
        window.grab()

    def frame_repainted() -> None:
        train_and_update()
        QApplication.processEvents()  # paints what the frame changed, as on screen

    runs = 10 if quick else 100
    result = _stats(_time(frame, runs, between=QApplication.processEvents), 1e3)
    result["repaint"] = _stats(_time(frame_repainted, runs, between=QApplication.processEvents), 1e3)
    result["tick"] = _stats(_time(run.tick, runs), 1e3)
    result["sizes"] = controller.network.sizes
    run.pause()
    controller.undo_stack.clear()
    window.accept_close()
    scratch.unlink(missing_ok=True)
    return result


def _frame_table(frames: list[dict]) -> list[str]:
    lines = [
        "",
        "| training frame in the window (tick + every view + render), maps on | ms median / p95 "
        "| with Qt's repaint of what changed instead of grab() | of which the tick (one epoch) | target |",
        "|---|---:|---:|---:|---:|",
    ]
    for row, (label, *_rest) in zip(frames, FRAME_PROBLEMS, strict=True):
        repaint = row["repaint"]
        lines.append(
            f"| {label} | {row['median']:.1f} / {row['p95']:.1f} | {repaint['median']:.1f} / {repaint['p95']:.1f} "
            f"| {row['tick']['median']:.1f} | ≤ {FRAME_TARGET_MS:g} |"
        )
    return lines


def bench_memory(updates: int) -> dict:
    """Resident set growth and graphics item counts over many updates of the default example (after a warm-up)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from neuroviz.controller import Controller
    from neuroviz.views.main_window import MainWindow

    scratch = Path(os.environ.get("TMPDIR", "/tmp")) / f"neuroviz-bench-mem-{os.getpid()}.ini"
    window = MainWindow(settings=QSettings(str(scratch), QSettings.IniFormat))
    controller = Controller(window, _network(None))
    window.resize(1400, 900)
    window.show()
    spin = window.input_panel.spin_box(0)
    values = np.linspace(spin.minimum(), spin.maximum(), 97)

    def updates_from(count: int) -> None:
        for i in range(count):
            spin.setValue(float(values[i % 97]))
            controller.flush()
            QApplication.processEvents()
            if i % 10 == 0:  # a painted frame every tenth update keeps 10,000 updates under a minute
                window.grab()

    updates_from(500)  # caches (glyphs, symbol atlas, pixmaps) fill up before the baseline
    items_before = _graphics_items(window)
    rss_before = _rss_bytes()
    updates_from(updates)
    rss_after = _rss_bytes()
    items_after = _graphics_items(window)
    window.accept_close()
    scratch.unlink(missing_ok=True)
    return {
        "updates": updates,
        "rss_growth_mb": (rss_after - rss_before) / 2**20,
        "graphics_items_before": items_before,
        "graphics_items_after": items_after,
    }


def bench_startup(runs: int) -> dict:
    """Wall time from starting `python -m neuroviz` to its first painted window (offscreen), several runs.

    The runs share a private bytecode cache filled by one untimed run first, as an installed package has its
    ``.pyc`` files: where PYTHONDONTWRITEBYTECODE is set (as on the reference machine), every start would
    otherwise compile neuroviz's sources again (~130 ms). Settings come from an empty folder.
    """
    samples = []
    with tempfile.TemporaryDirectory(prefix="neuroviz-bench-") as scratch:
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            NEUROVIZ_EXIT_AFTER_PAINT="1",
            XDG_CONFIG_HOME=str(Path(scratch) / "config"),
            PYTHONPYCACHEPREFIX=str(Path(scratch) / "bytecode"),
        )
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for run in range(runs + 1):
            start = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "neuroviz"],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            elapsed = time.perf_counter() - start
            if STARTUP_MARK not in proc.stdout:
                raise RuntimeError(f"neuroviz did not report a first paint: {proc.stderr.strip()[-500:]}")
            if run > 0:  # the first run fills the bytecode cache
                samples.append(elapsed)
    return _stats(samples, 1e3)


def circle_points(n_inputs: int, count: int = 250, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Stand-in training data: uniform points in [-6, 6]² labelled ±1 by Playground's circle (radius 2.5), as
    Playground's seven features (x, y, x², y², xy, sin x, sin y) cut to ``n_inputs``. Speed depends only on the
    shapes; real data sets go through :func:`bench_training` the same way."""
    rng = np.random.default_rng(seed)
    points = rng.uniform(-6.0, 6.0, (count, 2))
    labels = np.where(np.hypot(points[:, 0], points[:, 1]) < 2.5, 1.0, -1.0)
    x1, x2 = points[:, 0], points[:, 1]
    features = np.column_stack([x1, x2, x1**2, x2**2, x1 * x2, np.sin(x1), np.sin(x2)])
    return features[:, :n_inputs], labels


def bench_training(x: np.ndarray, y: np.ndarray, sizes: list[int], quick: bool) -> dict:
    """Milliseconds per epoch of Trainer(SGD(0.03), mse) with batch 10 on (x, y), tanh everywhere."""
    from neuroviz.model import Network
    from neuroviz.model.training import SGD, Trainer

    network = Network.from_sizes(sizes, ["tanh"] * (len(sizes) - 1), seed=0)
    trainer = Trainer(network, optimizer=SGD(0.03), loss="mse")
    trainer.start(x, y, batch_size=10, shuffle=False)
    return _stats(_time(trainer.epoch, 20 if quick else 200), 1e3)


def bench_gradients(quick: bool) -> dict:
    """Microseconds of ``network.gradients`` for one sample of the default example."""
    network = _network(None)
    x = network.input_values.copy()
    y = np.zeros(network.n_outputs)
    return _stats(_time(lambda: network.gradients(x, y, "mse"), 200 if quick else 5000), 1e6)


def bench_keras_training() -> dict | None:
    """Keras' ms per epoch on TRAINING_PROBLEMS, or None where Keras or the measuring script is not at hand."""
    import importlib.util

    script = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "keras_throughput.py"
    if importlib.util.find_spec("keras") is None or not script.is_file():
        return None
    spec = importlib.util.spec_from_file_location("keras_throughput", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {key: module.keras_fit_throughput(key)["ms_per_epoch"] for _, key, _ in TRAINING_PROBLEMS}


def _training_table(training: dict) -> list[str]:
    keras = training.get("keras_ms_per_epoch")
    lines = [
        "",
        "| training (250 points, batch 10) | epoch (ms) median / p95 | target | Keras fit (ms/epoch) "
        "| neuroviz ÷ Keras |",
    ]
    lines.append("|---|---:|---:|---:|---:|")
    for (label, key, _), target in zip(TRAINING_PROBLEMS, TRAINING_TARGETS_MS, strict=True):
        epoch = training[key]
        keras_text = "not installed | –" if keras is None else f"{keras[key]:.2f} | {epoch['median'] / keras[key]:.2f}"
        lines.append(f"| {label} | {epoch['median']:.2f} / {epoch['p95']:.2f} | ≤ {target:g} | {keras_text} |")
    g = training["gradients_us"]
    lines.append(
        f"network.gradients, one sample of the default example: median {g['median']:.1f} µs, p95 {g['p95']:.1f} µs "
        f"(target ≤ {GRADIENTS_TARGET_US:g} µs)."
    )
    return lines


def _maps_table(maps: list[dict]) -> list[str]:
    lines = [
        "",
        "| Neuron Maps on: recompute + draw all maps | maps | resolution | columns with pictures "
        "| ms median / p95 | of which maps.response_maps | target |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row, (label, _, target) in zip(maps, MAP_SHAPES, strict=True):
        resolution = f"{row['resolution']} × {row['resolution']}"
        lines.append(
            f"| {label} | {row['maps']:,} | {resolution} | {row['pictured']} of {len(row['sizes'])} "
            f"| {row['median']:.1f} / {row['p95']:.1f} | {row['model']['median']:.1f} | ≤ {target:g} |"
        )
    notes = sorted({row["note"] for row in maps if row["note"]})
    if notes:
        lines.append("Status bar: " + "; ".join(notes) + ".")
    return lines


def _table(results: dict) -> str:
    lines = [
        "| network | edges | forward (µs) median / p95 | update (ms) median / p95 | target | "
        "structure change (ms) median / p95 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for shape, target in zip(results["shapes"], UPDATE_TARGETS_MS, strict=True):
        f, u, s = shape["forward_us"], shape["update_ms"], shape["structure_ms"]
        lines.append(
            f"| {shape['label']} | {shape['edges']:,} | {f['median']:.1f} / {f['p95']:.1f} | "
            f"{u['median']:.2f} / {u['p95']:.2f} | ≤ {target:g} | {s['median']:.1f} / {s['p95']:.1f} |"
        )
    st, mem = results["startup_ms"], results["memory"]
    lines.append("")
    lines.append(
        f"Start-up to first painted window: median {st['median']:.0f} ms, p95 {st['p95']:.0f} ms ({st['runs']} runs)."
    )
    lines.append(
        f"Memory: {mem['rss_growth_mb']:+.2f} MB resident over {mem['updates']:,} updates; graphics items "
        f"(network view, activation plot, outputs chart) {mem['graphics_items_before']} before, "
        f"{mem['graphics_items_after']} after."
    )
    if "maps" in results:
        lines += _maps_table(results["maps"])
    if "training" in results:
        lines += _training_table(results["training"])
    if "frames" in results:
        lines += _frame_table(results["frames"])
    return "\n".join(lines)


def run_training_bench(quick: bool) -> dict:
    """The training rows: Trainer epochs, network.gradients and, where installed, Keras."""
    training: dict = {}
    for _, key, sizes in TRAINING_PROBLEMS:
        x, y = circle_points(sizes[0])
        training[key] = bench_training(x, y, sizes, quick)
    training["gradients_us"] = bench_gradients(quick)
    training["keras_ms_per_epoch"] = bench_keras_training()
    return training


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m neuroviz.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument("--quick", action="store_true", help="fewer runs (a smoke test of the benchmark)")
    parser.add_argument("--maps", action="store_true", help="only the Neuron Maps rows")
    parser.add_argument("--frames", action="store_true", help="only the training-frame rows")
    options = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from neuroviz.app import ensure_application

    ensure_application()
    results: dict = {
        "neuroviz": __import__("neuroviz").__version__,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "qt_platform": os.environ["QT_QPA_PLATFORM"],
        "window": "1400x900",
        "shapes": [],
    }
    if options.maps:
        maps = [bench_maps(spec, options.quick) for _, spec, _ in MAP_SHAPES]
        print(json.dumps(maps, indent=2) if options.json else "\n".join(_maps_table(maps)))
        return 0
    if options.frames:
        frames = [bench_training_frame(*problem[1:], options.quick) for problem in FRAME_PROBLEMS]
        print(json.dumps(frames, indent=2) if options.json else "\n".join(_frame_table(frames)))
        return 0
    for label, sizes in SHAPES:
        shape = bench_shape(sizes, options.quick)
        shape["label"] = label
        results["shapes"].append(shape)
        if not options.json:
            print(f"measured {label}", file=sys.stderr)
    results["maps"] = [bench_maps(spec, options.quick) for _, spec, _ in MAP_SHAPES]
    if not options.json:
        print("measured Neuron Maps", file=sys.stderr)
    results["startup_ms"] = bench_startup(3 if options.quick else 10)
    results["memory"] = bench_memory(1000 if options.quick else 10_000)
    results["training"] = run_training_bench(options.quick)
    results["frames"] = [bench_training_frame(*problem[1:], options.quick) for problem in FRAME_PROBLEMS]
    if options.json:
        print(json.dumps(results, indent=2))
    else:
        print(_table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
