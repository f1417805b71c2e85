"""The window's map source: maps only while wanted, recomputed when they depend on what changed, the current point
moved without recomputing, inputs set from a point on the map (also Playground's plane), clear reasons when a
network cannot have maps."""

from __future__ import annotations

import numpy as np
import pytest

from neuroviz.document import Document
from neuroviz.map_source import MapSource
from neuroviz.model import Network, maps


@pytest.fixture
def document(qtbot):
    return Document(Network.from_sizes([3, 4, 2], activations=["relu", "tanh"], seed=0))


@pytest.fixture
def source(document):
    return MapSource(document)


def _received(source):
    got = []
    source.mapsChanged.connect(got.append)
    return got


def test_nothing_is_computed_until_a_view_wants_maps(document, source):
    got = _received(source)
    document.set_input(2, 0.5)
    document.flush()
    assert source.maps is None and got == []
    source.want("thumbnails", True)
    assert isinstance(source.maps, maps.ResponseMaps) and got == [source.maps]
    assert source.maps.resolution == 100 and source.resolution == 100 and source.reduced_note == ""
    source.want("thumbnails", False)
    assert source.maps is None and got[-1] is None


def test_maps_equal_the_model_for_the_document_network(document, source):
    source.want("dock", True)
    expected = maps.response_maps(document.network, (0, 1), 100)
    for got, wanted in zip(source.maps.layers, expected.layers, strict=True):
        np.testing.assert_array_equal(got, wanted)


def test_moving_an_axis_input_moves_the_point_without_recomputing(document, source):
    source.want("dock", True)
    first = source.maps
    document.set_input(0, 1.25)
    document.flush()
    assert source.maps.layers[2] is first.layers[2]  # the same arrays: nothing recomputed
    assert source.maps.point == (1.25, float(document.network.input_values[1]))


def test_moving_a_held_input_or_editing_recomputes(document, source):
    source.want("dock", True)
    first = source.maps
    document.set_input(2, 2.0)  # input 2 is held at its value on the map
    document.flush()
    second = source.maps
    assert second.layers[2] is not first.layers[2]
    np.testing.assert_array_equal(second.layers[0][2], np.full((100, 100), 2.0))
    document.edit("bias", lambda n: n.set_bias(1, 0, 3.0), 1)
    third = source.maps
    assert third.layers[1] is not second.layers[1]
    np.testing.assert_array_equal(third.layers[1][0], maps.response_maps(document.network).layers[1][0])
    document.undo_stack.undo()
    np.testing.assert_array_equal(source.maps.layers[1][0], second.layers[1][0])


def test_a_training_step_in_place_recomputes(document, source):
    source.want("dock", True)
    first = source.maps
    document.network.layers[1].weights[0, 0] += 1.0
    document.mark_values_changed(1)
    document.flush()
    assert not np.array_equal(source.maps.layers[2], first.layers[2])


def test_axes_choice_and_its_checks(document, source):
    source.want("dock", True)
    moved = []
    source.axesChanged.connect(lambda x, y: moved.append((x, y)))
    source.set_axes(2, 0)
    assert source.axes == (2, 0) and moved == [(2, 0)]
    assert source.maps.axes == (2, 0) and source.maps.axis_names == ("x3", "x1")
    for bad in [(0, 0), (0, 3), (-1, 1)]:
        with pytest.raises(ValueError, match="two different inputs from 0 to 2"):
            source.set_axes(*bad)
    assert source.axes == (2, 0)
    document.edit("fewer inputs", lambda n: n.resize_layer(0, 2), 0)  # structural: input 2 is gone
    assert source.axes == (0, 1) and moved[-1] == (0, 1)


def test_set_point_sets_the_two_inputs_live(document, source, qtbot):
    source.want("dock", True)
    source.set_point(-1.5, 2.5)
    assert list(document.network.input_values[:2]) == [-1.5, 2.5]
    assert document.undo_stack.count() == 0
    with qtbot.waitSignal(document.valuesChanged, timeout=1000):
        pass
    np.testing.assert_array_equal(document.propagation.outputs, document.network.forward().outputs)
    assert source.maps.point == (-1.5, 2.5)
    source.set_point(99.0, -99.0)  # clamped into the sliders' ranges
    assert list(document.network.input_values[:2]) == [5.0, -5.0]


def test_plane_networks_set_every_feature_from_the_point(qtbot):
    net = Network.from_sizes([3, 3, 1], ["tanh", "tanh"], seed=1)
    net.input_features = ("x1^2", "x1*x2", "sin(x2)")
    for i in range(3):
        net.set_input_range(i, -40.0, 40.0)
    document = Document(net)
    source = MapSource(document)
    source.want("dock", True)
    source.set_point(3.0, -2.0)
    document.flush()
    np.testing.assert_array_equal(document.network.input_values, [9.0, -6.0, np.sin(-2.0)])
    assert source.maps.plane and source.maps.point == (3.0, -2.0)  # remembered: x1 and x2 are not inputs


def test_a_one_input_network_has_no_maps_and_says_why(qtbot):
    document = Document(Network.from_sizes([1, 2, 1], ["relu", "linear"]))
    source = MapSource(document)
    got = _received(source)
    source.want("dock", True)
    assert source.maps is None and got == [None]
    assert source.note == "No maps: a map needs two inputs to span its plane; this network has 1"


def test_a_large_network_gets_a_coarser_grid_and_says_so(qtbot):
    document = Document(Network.from_sizes([8, *[256] * 16, 4], ["relu"] * 16 + ["softmax"]))
    source = MapSource(document)
    source.want("thumbnails", True)
    lowered = maps.auto_resolution(document.network, 100)
    assert source.maps.resolution == lowered < 100
    assert source.reduced_note == f"Maps at {lowered} × {lowered} (network too large for 100 × 100)"
    with pytest.raises(ValueError, match="10 to 400"):
        source.set_resolution(5)
    source.set_resolution(12)
    assert source.maps.resolution == 12 and source.reduced_note == ""


def test_the_window_builds_one_map_source(window):
    source = window.controller.map_source
    # the network view's dead-everywhere marks want maps from the start, with Neuron Maps off too
    assert isinstance(source, MapSource) and source.is_wanted()
    assert source.maps is not None and source.maps.layers[1].shape[0] == window.controller.network.sizes[1]
