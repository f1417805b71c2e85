"""``neuroviz export`` as a teacher uses it: pictures of the right size that show the network, numbers equal to
``Network.forward``, and one clear line (and no file) for every mistake.

Most runs call ``run_export`` in-process (fast); a few start the real command with no display at all.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from neuroviz.cli_export import DEFAULT_SIZES, run_export
from neuroviz.model import Network, activations, picture
from neuroviz.views.activation_plot import CURVE_COLOURS
from neuroviz.views.colors import theme
from neuroviz.views.network_view import NetworkView

INPUTS = [1.5, -2.0, 0.75]
INPUTS_TEXT = "1.5,-2,0.75"
LAYER_NAMES = ["input", "hidden 1", "hidden 2", "output"]
SVG = "{http://www.w3.org/2000/svg}"


def make_network() -> Network:
    net = Network.from_sizes(
        [3, 5, 4, 2], activations=["relu", "tanh", "softmax"], seed=7, bias_initializer="random_normal"
    )
    net.name = "handout net"
    return net


@pytest.fixture
def net_file(tmp_path):
    path = tmp_path / "net.json"
    make_network().save(path)
    return path


def network_with_inputs(values=INPUTS) -> Network:
    """The network as the command sees it after ``--inputs``."""
    net = make_network()
    for i, value in enumerate(values):
        low, high = net.input_ranges[i]
        net.set_input_range(i, min(low, value), max(high, value))
        net.set_input(i, value)
    return net


def export(capsys, *args):
    """Run ``neuroviz export ARGS`` in-process: (exit code, stdout, stderr)."""
    code = run_export([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    return rows[0], rows[1:]


def rgb(image: QImage) -> np.ndarray:
    converted = image.convertToFormat(QImage.Format.Format_RGBA8888)
    array = np.frombuffer(converted.constBits(), np.uint8)
    return array.reshape(converted.height(), converted.bytesPerLine() // 4, 4)[:, : converted.width(), :3].astype(int)


def pixels_near(image: QImage, colour: str, tolerance: int = 12) -> int:
    want = QColor(colour)
    distance = np.abs(rgb(image) - [want.red(), want.green(), want.blue()]).sum(axis=2)
    return int((distance <= tolerance).sum())


def reference_view(qtbot, net: Network, size, dark: bool = False) -> NetworkView:
    """A network view of ``size`` showing ``net``: where its neurons are and which colour each one has."""
    view = NetworkView()
    qtbot.addWidget(view)
    view.set_dark(dark)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    view.set_structure(net.sizes, [picture.layer_header(net, k) for k in range(len(net.sizes))])
    pic = picture.network_picture(net, net.forward(), "weight")
    view.set_values(pic.values, pic.edges, pic.biases, pic.status, pic.value_limit, pic.edge_limit, pic.bias_limit)
    return view


def neurons(view: NetworkView, net: Network):
    """(centre, fill colour) of every neuron."""
    return [
        (view.neuron_position(k, i), view.neuron_colors(k)[i])
        for k in range(len(net.sizes))
        for i in range(net.sizes[k])
    ]


def assert_neurons_drawn(image: QImage, view: NetworkView, net: Network, scale: float) -> None:
    """Every neuron's own colour is found inside it (above its centre, clear of the dead mark and bias tab)."""
    pixels = rgb(image)
    radius = view.neuron_radius()
    found = []
    for centre, colour in neurons(view, net):
        x, y = round(centre.x() * scale), round((centre.y() - 0.6 * radius) * scale)
        patch = pixels[y - 1 : y + 2, x - 1 : x + 2].reshape(-1, 3)
        distance = np.abs(patch - [colour.red(), colour.green(), colour.blue()]).sum(axis=1)
        assert distance.min() <= 9, f"{colour.name()} not drawn at ({x}, {y}); closest {distance.min()}"
        found.append(colour.name())
    assert len(set(found)) >= 6  # the neurons really differ: a blank or one-colour picture cannot pass


def svg_neurons(root, legend: QRectF) -> list[tuple[float, float, str]]:
    """(x, y, fill) of every filled <circle> or <ellipse> outside the ``legend`` (whose samples are circles too).

    The generator puts shapes in groups that carry the fill and a transform; the centre is mapped through it.
    """
    found = []
    for group in root.iter(f"{SVG}g"):
        fill = group.get("fill", "none")
        if fill == "none":
            continue
        transform = group.get("transform", "matrix(1,0,0,1,0,0)")
        a, b, c, d, e, f = (float(v) for v in transform.removeprefix("matrix(").removesuffix(")").split(","))
        for shape in [*group.findall(f"{SVG}circle"), *group.findall(f"{SVG}ellipse")]:
            x0, y0 = float(shape.get("cx", 0)), float(shape.get("cy", 0))
            x, y = a * x0 + c * y0 + e, b * x0 + d * y0 + f
            if not legend.contains(QPointF(x, y)):
                found.append((x, y, fill))
    return found


def render_svg(path, width: int, height: int) -> QImage:
    renderer = QSvgRenderer(str(path))
    assert renderer.isValid()
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


# -- PNG -----------------------------------------------------------------------------------------------------
def test_network_png_has_the_view_size_times_scale_and_shows_every_neuron(qtbot, qapp, net_file, tmp_path, capsys):
    out = tmp_path / "net.png"
    code, stdout, stderr = export(
        capsys, net_file, "-o", out, "--inputs", INPUTS_TEXT, "--size", "700x450", "--scale", "2"
    )
    assert (code, stderr) == (0, "")
    assert stdout == f"wrote {out}\n"
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1400, 900)
    assert image.dotsPerMeterX() == round(96 * 2 / 0.0254)
    net = network_with_inputs()
    assert_neurons_drawn(image, reference_view(qtbot, net, (700, 450)), net, 2.0)
    assert image.pixelColor(3, 3) == QColor(theme(False).background)


def test_dark_theme_png_has_a_dark_background_and_the_dark_colours(qtbot, qapp, net_file, tmp_path, capsys):
    palette_before = qapp.palette().color(qapp.palette().ColorRole.Window)
    out = tmp_path / "dark.png"
    code, _, stderr = export(capsys, net_file, "-o", out, "--inputs", INPUTS_TEXT, "--theme", "dark")
    assert (code, stderr) == (0, "")
    image = QImage(str(out))
    assert (image.width(), image.height()) == DEFAULT_SIZES["network"]
    dark = QColor(theme(True).background)
    assert image.pixelColor(3, 3) == dark
    assert dark.lightness() < 60
    net = network_with_inputs()
    assert_neurons_drawn(image, reference_view(qtbot, net, DEFAULT_SIZES["network"], dark=True), net, 1.0)
    # in-process runs give the application its palette back
    assert qapp.palette().color(qapp.palette().ColorRole.Window) == palette_before


def test_whole_window_png_at_scale_two_is_twice_the_size(qapp, net_file, tmp_path, capsys):
    out = tmp_path / "window.png"
    # (the window with its training and map docks is at least about 1080 px wide)
    code, _, stderr = export(capsys, net_file, "-o", out, "--view", "window", "--size", "1200x700", "--scale", "2")
    assert (code, stderr) == (0, "")
    image = QImage(str(out))
    assert (image.width(), image.height()) == (2400, 1400)
    # the network's colour-map ends, the activation curve's purple and the outputs' bars are all in it
    light = theme(False)
    assert pixels_near(image, CURVE_COLOURS[False][0]) > 200
    assert pixels_near(image, light.positive, tolerance=30) > 200
    assert pixels_near(image, light.negative, tolerance=30) > 50


def test_activation_png_draws_the_chosen_layers_curve(qapp, net_file, tmp_path, capsys):
    out = tmp_path / "plot.png"
    code, _, stderr = export(capsys, net_file, "-o", out, "--view", "activation", "--layer", "2", "--scale", "1.5")
    assert (code, stderr) == (0, "")
    image = QImage(str(out))
    width, height = DEFAULT_SIZES["activation"]
    assert (image.width(), image.height()) == (round(width * 1.5), round(height * 1.5))
    function, derivative = CURVE_COLOURS[False]
    assert pixels_near(image, function) > 400  # the tanh curve, drawn thick at 1.5x
    assert pixels_near(image, derivative) > 200  # its dashed derivative
    assert image.pixelColor(2, 2) == QColor(theme(False).background)


def test_outputs_png_shows_the_probabilities_as_bars(qapp, net_file, tmp_path, capsys):
    out = tmp_path / "outputs.png"
    code, _, stderr = export(capsys, net_file, "-o", out, "--view", "outputs", "--size", "400x300")
    assert (code, stderr) == (0, "")
    image = QImage(str(out))
    assert (image.width(), image.height()) == (400, 300)
    # the most likely output is a bar in the theme's blue: a solid block, not a few antialiased pixels
    assert pixels_near(image, theme(False).positive) > 2000


def test_transparent_png_has_clear_corners_and_opaque_neurons(qtbot, qapp, net_file, tmp_path, capsys):
    out = tmp_path / "clear.png"
    code, _, _ = export(capsys, net_file, "-o", out, "--transparent", "--size", "500x300")
    assert code == 0
    image = QImage(str(out))
    assert image.hasAlphaChannel()
    assert [image.pixelColor(x, y).alpha() for x, y in [(0, 0), (499, 0), (0, 299), (499, 299)]] == [0, 0, 0, 0]
    view = reference_view(qtbot, make_network(), (500, 300))
    for centre, _colour in neurons(view, make_network()):
        assert image.pixelColor(round(centre.x()), round(centre.y() - 0.6 * view.neuron_radius())).alpha() == 255


# -- SVG -----------------------------------------------------------------------------------------------------
def test_network_svg_has_a_circle_per_neuron_the_layer_names_and_renders(qtbot, qapp, net_file, tmp_path, capsys):
    out = tmp_path / "net.svg"
    code, _, stderr = export(capsys, net_file, "-o", out, "--inputs", INPUTS_TEXT, "--size", "800x500")
    assert (code, stderr) == (0, "")
    root = ET.parse(out).getroot()
    assert root.get("viewBox") == "0 0 800 500"
    assert root.find(f"{SVG}title").text == "neuroviz · handout net · network"
    texts = [(t.text or "").strip() for t in root.iter(f"{SVG}text")]
    for name in LAYER_NAMES:
        assert name in texts
    assert "5 · relu" in texts and "2 · softmax" in texts

    net = network_with_inputs()
    view = reference_view(qtbot, net, (800, 500))
    symbols = svg_neurons(root, view.legend_rect())
    assert len(symbols) == sum(net.sizes)  # exactly one circle per neuron, not Bézier paths
    for centre, colour in neurons(view, net):
        matches = [
            s
            for s in symbols
            if abs(s[0] - centre.x()) < 0.5 and abs(s[1] - centre.y()) < 0.5 and s[2] == colour.name()
        ]
        assert len(matches) == 1, f"no {colour.name()} circle at ({centre.x()}, {centre.y()})"
    assert not list(root.iter(f"{SVG}image"))  # vectors only, no bitmap

    image = render_svg(out, 800, 500)
    assert_neurons_drawn(image, view, net, 1.0)


@pytest.mark.parametrize(
    ("view", "size", "must_say"),
    [
        ("activation", "640x400", ["hidden 1 · relu", "pre-activation z"]),
        ("outputs", "480x320", ["y1", "y2", "probability"]),
        ("window", "1200x800", ["Inputs", "Activation function", "Outputs", *LAYER_NAMES]),
    ],
)
def test_other_views_as_svg_keep_their_text_and_render(qapp, net_file, tmp_path, capsys, view, size, must_say):
    out = tmp_path / f"{view}.svg"
    code, _, stderr = export(capsys, net_file, "-o", out, "--view", view, "--size", size, "--layer", "1")
    assert (code, stderr) == (0, "")
    root = ET.parse(out).getroot()
    width, height = (int(v) for v in size.split("x"))
    assert root.get("viewBox") == f"0 0 {width} {height}"
    texts = [(t.text or "").strip() for t in root.iter(f"{SVG}text")]
    for words in must_say:
        assert words in texts, words
    image = render_svg(out, width, height)
    assert pixels_near(image, theme(False).background, 0) > 0.3 * width * height  # its own background
    pixels = rgb(image)
    colours = np.unique((pixels[..., 0] << 16) | (pixels[..., 1] << 8) | pixels[..., 2])
    assert len(colours) > 30  # lines, text and fills, not an empty page
    if view != "outputs":
        assert pixels_near(image, CURVE_COLOURS[False][0]) > 100


# -- CSV -----------------------------------------------------------------------------------------------------
def test_activations_csv_equals_forward_for_the_given_inputs(net_file, tmp_path, capsys):
    out = tmp_path / "activations.csv"
    code, stdout, stderr = export(capsys, net_file, "-o", out, "--inputs", INPUTS_TEXT)
    assert (code, stdout, stderr) == (0, f"wrote {out}\n", "")
    prop = network_with_inputs().forward()
    header, rows = read_csv(out)
    assert header == ["layer", "layer_name", "neuron", "pre_activation", "activation", "derivative"]
    assert len(rows) == 3 + 5 + 4 + 2
    index = 0
    for k, size in enumerate([3, 5, 4, 2]):
        for j in range(size):
            layer, name, neuron, pre, act, der = rows[index]
            assert (int(layer), name, int(neuron)) == (k, LAYER_NAMES[k], j + 1)
            assert float(pre) == prop.pre_activations[k][j]
            assert float(act) == prop.activations[k][j]
            assert float(der) == prop.derivatives[k][j]
            index += 1
    assert [float(r[4]) for r in rows[:3]] == INPUTS


def test_negative_first_input_needs_no_equals_sign(net_file, tmp_path, capsys):
    out = tmp_path / "a.csv"
    code, _, stderr = export(capsys, net_file, "-o", out, "--inputs", "-1,0.5,2")
    assert (code, stderr) == (0, "")
    _, rows = read_csv(out)
    assert [float(r[4]) for r in rows[:3]] == [-1.0, 0.5, 2.0]


def test_weights_csv_holds_every_weight_and_bias_exactly(net_file, tmp_path, capsys):
    out = tmp_path / "weights.csv"
    assert export(capsys, net_file, "-o", out, "--table", "weights")[0] == 0
    net = make_network()
    header, rows = read_csv(out)
    assert header == ["layer", "layer_name", "from", "to", "weight"]
    assert len(rows) == sum(layer.weights.size + layer.biases.size for layer in net.layers)
    for layer_text, name, source, target, value in rows:
        k, j = int(layer_text), int(target) - 1
        layer = net.layers[k - 1]
        assert name == layer.name
        expected = layer.biases[j] if source == "bias" else layer.weights[int(source) - 1, j]
        assert float(value) == expected


def test_curve_csv_of_an_elementwise_layer_is_the_activation(net_file, tmp_path, capsys):
    out = tmp_path / "curve.csv"
    assert export(capsys, net_file, "-o", out, "--table", "curve", "--layer", "2", "--inputs", INPUTS_TEXT)[0] == 0
    header, rows = read_csv(out)
    assert header == ["x", "f(x)", "f'(x)"]
    x = np.array([float(r[0]) for r in rows])
    assert len(rows) == 401 and np.all(np.diff(x) > 0)
    z = network_with_inputs().forward().pre_activations[2]
    assert x[0] <= z.min() and x[-1] >= z.max()  # the plot's range covers every neuron
    assert [float(r[1]) for r in rows] == np.tanh(x).tolist()
    assert [float(r[2]) for r in rows] == activations.get("tanh").derivative(x).tolist()


def test_curve_csv_of_a_softmax_layer_sweeps_neuron_one_with_the_others_fixed(net_file, tmp_path, capsys):
    out = tmp_path / "softmax.csv"
    code, _, stderr = export(capsys, net_file, "-o", out, "--table", "curve", "--inputs", INPUTS_TEXT)
    assert (code, stderr) == (0, "")  # default layer: the output layer, a softmax
    _, rows = read_csv(out)
    x = np.array([float(r[0]) for r in rows])
    f = np.array([float(r[1]) for r in rows])
    df = np.array([float(r[2]) for r in rows])
    z = network_with_inputs().forward().pre_activations[3]
    other = z[1]
    expected = 1.0 / (1.0 + np.exp(other - x))  # softmax of two with z2 fixed: a sigmoid in z1
    np.testing.assert_allclose(f, expected, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(df, expected * (1 - expected), rtol=1e-12, atol=1e-15)
    # at the neuron's own pre-activation the curve passes through its activation
    prop = network_with_inputs().forward()
    assert np.interp(z[0], x, f) == pytest.approx(prop.activations[3][0], abs=1e-4)


def test_sweep_csv_equals_forward_at_every_step(net_file, tmp_path, capsys):
    out = tmp_path / "sweep.csv"
    code, _, _ = export(
        capsys, net_file, "-o", out, "--table", "sweep", "--sweep-input", "2", "--steps", "11", "--inputs", INPUTS_TEXT
    )
    assert code == 0
    header, rows = read_csv(out)
    net = network_with_inputs()
    assert header == [net.input_names[1], "y1", "y2"]
    assert len(rows) == 11
    swept = [float(r[0]) for r in rows]
    assert swept == np.linspace(-5.0, 5.0, 11).tolist()
    for x, row in zip(swept, rows, strict=True):
        inputs = np.array([INPUTS[0], x, INPUTS[2]])
        single = net.forward(inputs).activations[-1]
        assert [float(v) for v in row[1:]] == pytest.approx(single.tolist(), rel=1e-15, abs=1e-300)
    batch = np.tile(INPUTS, (11, 1))
    batch[:, 1] = swept
    assert [[float(v) for v in r[1:]] for r in rows] == net.forward(batch).activations[-1].tolist()


# -- mistakes ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["{missing}", "-o", "{out}.png"], 1, ["nowhere.json", "cannot be opened"]),
        (["{bad}", "-o", "{out}.csv"], 1, ["broken.json", "JSON"]),
        (["{net}", "-o", "{out}.jpg"], 2, ["out.jpg", ".png, .svg or .csv"]),
        (["{net}", "-o", "{out}.csv", "--inputs", "1,2"], 2, ["--inputs has 2 values", "3 inputs"]),
        (["{net}", "-o", "{out}.csv", "--inputs", "1,two,3"], 2, ["--inputs", "'1,two,3'"]),
        (["{net}", "-o", "{out}.csv", "--inputs", "1,nan,3"], 2, ["finite"]),
        (["{net}", "-o", "{out}.png", "--view", "activation", "--layer", "4"], 2, ["--layer", "between 1 and 3"]),
        (["{net}", "-o", "{out}.csv", "--table", "curve", "--layer", "0"], 2, ["--layer", "got 0"]),
        (["{net}", "-o", "{out}.png", "--scale", "9"], 2, ["--scale", "between 1 and 4", "got 9"]),
        (["{net}", "-o", "{tmp}/no/such/folder/out.png"], 1, ["folder", "does not exist"]),
        (["{net}", "-o", "{tmp}/broken.json/out.png"], 1, ["broken.json is a file, not a folder"]),
        (["{net}", "-o", "{out}.png", "--size", "big"], 2, ["--size", "'big'"]),
        (["{net}", "-o", "{out}.png", "--size", "20x20"], 2, ["--size", "between 100x100"]),
        (["{net}", "-o", "{out}.png", "--view", "window", "--size", "300x300"], 2, ["--size 300x300", "at least"]),
        (["{net}", "-o", "{out}.png", "--view", "heatmap"], 2, ["--view", "'heatmap'"]),
        (["{net}", "-o", "{out}.png", "--table", "weights"], 2, ["--table", ".csv"]),
        (["{net}", "-o", "{out}.csv", "--table", "sweep", "--sweep-input", "4"], 2, ["--sweep-input", "1 and 3"]),
        (["{net}", "-o", "{out}.csv", "--table", "sweep", "--steps", "1"], 2, ["--steps", "got 1"]),
        (["example:nope", "-o", "{out}.png"], 2, ["no example called 'nope'", "xor"]),
        (["{net}"], 2, ["-o/--output"]),
    ],
)
def test_mistakes_exit_non_zero_with_one_line_and_write_nothing(qapp, net_file, tmp_path, capsys, args, code, says):
    (tmp_path / "broken.json").write_text('{"format": "neuroviz-network", "layers": [', encoding="utf-8")
    names = {
        "net": net_file,
        "missing": tmp_path / "nowhere.json",
        "bad": tmp_path / "broken.json",
        "out": tmp_path / "out",
        "tmp": tmp_path,
    }
    before = sorted(os.listdir(tmp_path))
    got, stdout, stderr = export(capsys, *(a.format(**names) for a in args))
    assert got == code
    assert stdout == ""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("neuroviz export: ")
    for words in says:
        assert words in lines[0]
    assert sorted(os.listdir(tmp_path)) == before  # nothing written, no temp file left


def test_a_failed_export_leaves_an_existing_file_as_it_was(net_file, tmp_path, capsys):
    out = tmp_path / "numbers.csv"
    out.write_bytes(b"old,handout\n")
    code, _, stderr = export(capsys, net_file, "-o", out, "--table", "curve", "--layer", "7")
    assert code == 2 and "--layer" in stderr
    assert out.read_bytes() == b"old,handout\n"


def test_help_documents_every_option_and_what_is_written(capsys):
    code, stdout, _ = export(capsys, "--help")
    assert code == 0
    for words in [
        "usage: neuroviz export",
        "-o OUT",
        "--inputs V1,V2,...",
        "--view {network,activation,outputs,map,decision,window,loss,gradients,dead,stats}",
        "--layer N",
        "--scale S",
        "--theme {light,dark}",
        "--transparent",
        "--size WxH",
        "--table {activations,weights,curve,sweep,map_values,decision_values,history,loss_values,gradient_values,"
        "dead_values,stats_values}",
        "--sweep-input I",
        "--steps N",
        "--show-values",
        "example:NAME",
        "W*scale by H*scale pixels",
        "--size 800x500 --scale 2 gives a 1600x1000 PNG",
        "pre_activation",
        "layer, layer_name, from, to, weight",
        "x, f(x), f'(x)",
        "without needing a display",
        "exit status",
    ]:
        assert words in stdout, words


# -- the real command, with no display -----------------------------------------------------------------------
def headless_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONWARNINGS"] = "error::RuntimeWarning"
    return env


def run_command(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "neuroviz", "export", *map(str, args)],
        env=headless_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_command_writes_a_window_png_with_no_display(net_file, tmp_path):
    out = tmp_path / "window.png"
    done = run_command(net_file, "-o", out, "--view", "window", "--size", "1200x700", "--scale", "2", "--theme", "dark")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no Qt chatter about the offscreen platform
    assert done.stdout == f"wrote {out}\n"
    image = QImage(str(out))
    assert (image.width(), image.height()) == (2400, 1400)
    assert pixels_near(image, theme(True).background, 0) > 100_000  # the dark theme, not the light one
    assert pixels_near(image, theme(False).background, 0) < 1000


def test_command_writes_an_svg_and_refuses_a_missing_file(net_file, tmp_path):
    out = tmp_path / "net.svg"
    done = run_command(net_file, "-o", out, "--inputs", "-1,0.5,2")
    assert (done.returncode, done.stderr) == (0, "")
    texts = [t.text for t in ET.parse(out).getroot().iter(f"{SVG}text")]
    assert "hidden 1" in texts

    missing = run_command(tmp_path / "gone.json", "-o", tmp_path / "gone.png")
    assert missing.returncode == 1
    assert missing.stderr.count("\n") == 1
    assert "gone.json" in missing.stderr and "cannot be opened" in missing.stderr
    assert not (tmp_path / "gone.png").exists()
