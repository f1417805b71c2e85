"""``neuroviz export --view map|decision``: pictures of the map views, CSV equal to the model's response maps, and
one line with exit status 2 for every bad map argument."""

from __future__ import annotations

import csv
import os
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtSvg import QSvgRenderer

from neuroviz.cli_export import run_export
from neuroviz.model import Network
from neuroviz.model.files import example_path
from neuroviz.model.maps import response_maps
from neuroviz.views.colors import LIGHT

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def net_file(tmp_path):
    """Three inputs (so --axes has a choice), a 2-way softmax output."""
    net = Network.from_sizes([3, 5, 4, 2], activations=["relu", "tanh", "softmax"], seed=7)
    path = tmp_path / "net.json"
    net.save(path)
    return path


@pytest.fixture
def plane_file(tmp_path):
    """Two inputs over Playground's plane and one tanh output: circle data fits it."""
    net = Network.from_sizes([2, 6, 1], activations=["tanh", "tanh"], seed=3)
    net = Network(net.layers, input_ranges=[(-6, 6), (-6, 6)])
    path = tmp_path / "plane.json"
    net.save(path)
    return path


def export(capsys, *args):
    code = run_export([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def read_numbers(path):
    with open(path, newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    return rows[0], np.array(rows[1:], dtype=float)


def test_map_csv_equals_the_model(net_file, tmp_path, capsys):
    out = tmp_path / "m.csv"
    code, stdout, _ = export(
        capsys, net_file, "-o", out, "--view", "map", "--neuron", "2:3", "--axes", "1,3", "--resolution", "40"
    )
    assert code == 0 and stdout.strip() == f"wrote {out}"
    header, numbers = read_numbers(out)
    net = Network.load(net_file)
    maps = response_maps(net, (0, 2), 40)
    assert header == ["x1", "x3", "value"]
    assert numbers.shape == (1600, 3)
    gx, gy = np.meshgrid(maps.xs, maps.ys)
    np.testing.assert_array_equal(numbers[:, :2], np.column_stack([gx.ravel(), gy.ravel()]))
    np.testing.assert_array_equal(numbers[:, 2], maps.layers[2][2].ravel())
    x = net.input_values.copy()
    x[[0, 2]] = numbers[777, :2]
    assert net.forward(x).activations[2][2] == numbers[777, 2]


def test_decision_csv_has_every_output(net_file, tmp_path, capsys):
    out = tmp_path / "d.csv"
    assert export(capsys, net_file, "-o", out, "--view", "decision", "--resolution", "25")[0] == 0
    header, numbers = read_numbers(out)
    assert header == ["x1", "x2", "y1", "y2"]
    maps = response_maps(Network.load(net_file), (0, 1), 25)
    np.testing.assert_array_equal(numbers[:, 2:], maps.layers[-1].reshape(2, -1).T)


def test_map_png_has_its_default_size_and_the_neurons_colours(net_file, tmp_path, capsys):
    out = tmp_path / "m.png"
    assert export(capsys, net_file, "-o", out, "--view", "map", "--neuron", "2:1", "--scale", "2")[0] == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1400, 1200)
    pixels = image.convertToFormat(QImage.Format.Format_RGB888)
    seen = {QColor(pixels.pixel(x, y)).name() for x in range(0, 1400, 7) for y in range(0, 1200, 7)}
    assert LIGHT.background in seen


def test_decision_png_and_svg_with_circle_data(plane_file, tmp_path, capsys):
    png, svg = tmp_path / "d.png", tmp_path / "d.svg"
    assert export(capsys, plane_file, "-o", png, "--view", "decision", "--data", "circle")[0] == 0
    assert export(capsys, plane_file, "-o", svg, "--view", "decision", "--data", "circle", "--theme", "dark")[0] == 0
    assert QImage(str(png)).size().toTuple() == (700, 600)
    root = ET.parse(svg).getroot()
    assert len(list(root.iter(f"{SVG}image"))) == 2  # the map and its colour bar
    shapes = sum(1 for tag in ("path", "circle", "ellipse") for _ in root.iter(f"{SVG}{tag}"))
    assert shapes >= 250  # the training points, as vectors
    assert QSvgRenderer(str(svg)).isValid()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--view", "map", "--neuron", "2"], ["--neuron", "LAYER:INDEX", "'2'"]),
        (["--view", "map", "--neuron", "9:1"], ["--neuron", "0 to 3", "got 9"]),
        (["--view", "map", "--neuron", "2:9"], ["--neuron", "layer 2 has 4 neurons", "9"]),
        (["--view", "map", "--neuron", "1:0"], ["--neuron", "from 1"]),
        (["--view", "map", "--axes", "1,1"], ["--axes", "two different inputs"]),
        (["--view", "map", "--axes", "1,4"], ["--axes", "from 1 to 3"]),
        (["--view", "map", "--axes", "x,y"], ["--axes", "'x,y'"]),
        (["--view", "map", "--resolution", "5"], ["--resolution", "10 and 400", "got 5"]),
        (["--view", "network", "--neuron", "1:1"], ["--neuron", "--view map"]),
        (["--view", "network", "--axes", "1,2"], ["--axes", "--view map or --view decision"]),
        (["--view", "map", "--data", "circle"], ["--data", "--view decision"]),
        (["--view", "decision", "--data", "circle"], ["--data circle does not fit", "3 inputs"]),
        (["--view", "decision", "--data", "moons"], ["--data", "'moons'"]),
    ],
)
def test_bad_map_arguments_say_one_line_and_exit_2(qapp, net_file, tmp_path, capsys, args, says):
    before = sorted(os.listdir(tmp_path))
    code, stdout, stderr = export(capsys, net_file, "-o", tmp_path / "out.png", *args)
    assert code == 2 and stdout == ""
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("neuroviz export: ")
    for words in says:
        assert words in lines[0], lines[0]
    assert sorted(os.listdir(tmp_path)) == before


def test_a_one_input_network_has_no_map(tmp_path, capsys):
    path = tmp_path / "one.json"
    Network.from_sizes([1, 2, 1], seed=0).save(path)
    code, _, stderr = export(capsys, path, "-o", tmp_path / "m.csv", "--view", "map")
    assert code == 2 and "two inputs" in stderr


def test_xor_example_decision_csv(tmp_path, capsys):
    out = tmp_path / "x.csv"
    assert export(capsys, "example:xor", "-o", out, "--view", "decision", "--resolution", "10")[0] == 0
    _, numbers = read_numbers(out)
    maps = response_maps(Network.load(example_path("xor")), (0, 1), 10)
    np.testing.assert_array_equal(numbers[:, 2], maps.layers[-1][0].ravel())
