"""Response maps: the values equal Network.forward at the grid points, the shares of dead and saturated points,
plane features, and the checks on axes, ranges and resolution."""

from __future__ import annotations

import numpy as np
import pytest

from neuroviz.model import activations, maps
from neuroviz.model.datasets import FEATURES
from neuroviz.model.network import Network
from neuroviz.model.picture import DEAD, SATURATED, neuron_status, visible_outputs


def _network(activation: str, seed: int = 0) -> Network:
    """Three inputs (so one is held), a hidden layer of 4 and an output of 2 with ``activation`` everywhere."""
    net = Network.from_sizes([3, 4, 2], [activation, activation], seed=seed)
    rng = np.random.default_rng(seed)
    for layer in net.layers:
        layer.biases = rng.normal(0.0, 0.5, layer.biases.shape)
    net.input_values = np.array([0.3, -0.4, 0.7])
    return net


def _grid_point_values(net: Network, result: maps.ResponseMaps, ix: int, iy: int) -> list[np.ndarray]:
    x = net.input_values.copy()
    x[result.axes[0]], x[result.axes[1]] = result.xs[ix], result.ys[iy]
    return net.forward(x).activations


@pytest.mark.parametrize("name", activations.primary_names())
def test_maps_equal_forward_at_grid_points_for_every_activation(name):
    net = _network(name)
    result = maps.response_maps(net, axes=(2, 0), resolution=23)
    assert result.axes == (2, 0) and result.axis_names == (net.input_names[2], net.input_names[0])
    rng = np.random.default_rng(1)
    for ix, iy in rng.integers(0, 23, size=(6, 2)):
        expected = _grid_point_values(net, result, ix, iy)
        for k, values in enumerate(expected):
            # bit for bit, NaN where forward gives NaN
            np.testing.assert_array_equal(result.layers[k][:, iy, ix], values)


def test_the_threaded_bands_give_exactly_one_pass():
    """A large grid is filled in two bands in parallel: every point equals one forward pass of the whole grid."""
    net = Network.from_sizes([2, 16, 16, 3], ["tanh", "relu", "softmax"], seed=3)
    result = maps.response_maps(net, resolution=120)
    gx, gy = np.meshgrid(result.xs, result.ys)
    propagation = net.forward(np.column_stack([gx.ravel(), gy.ravel()]))
    for k, values in enumerate(propagation.activations):
        np.testing.assert_array_equal(result.layers[k], values.T.reshape(-1, 120, 120))
        np.testing.assert_array_equal(result.derivatives[k], propagation.derivatives[k].T.reshape(-1, 120, 120))


def test_grid_spans_the_input_ranges_with_row_zero_lowest():
    net = _network("tanh")
    net.set_input_range(0, -2.0, 5.0)
    net.set_input_range(1, -1.0, 1.0)
    result = maps.response_maps(net, resolution=11)
    assert result.xs[0] == -2.0 and result.xs[-1] == 5.0 and np.all(np.diff(result.xs) > 0)
    assert result.ys[0] == -1.0 and result.ys[-1] == 1.0
    assert result.point == (0.3, -0.4)
    assert result.resolution == 11
    # the input layer's own maps are the grid: x varies along columns, y along rows
    np.testing.assert_array_equal(result.layers[0][0][3], result.xs)
    np.testing.assert_array_equal(result.layers[0][1][:, 4], result.ys)
    np.testing.assert_array_equal(result.layers[0][2], np.full((11, 11), 0.7))


def test_explicit_ranges():
    result = maps.response_maps(_network("relu"), ranges=[(0.0, 1.0), (-3.0, 3.0)], resolution=10)
    assert (result.xs[0], result.xs[-1], result.ys[0], result.ys[-1]) == (0.0, 1.0, -3.0, 3.0)


def test_dead_everywhere_differs_from_dead_here():
    net = Network.from_sizes([2, 2, 1], ["relu", "linear"], seed=0)
    net.layers[0].weights = np.array([[1.0, 1.0], [0.0, 1.0]])
    net.layers[0].biases = np.array([-100.0, 0.0])  # neuron 0: dead for every input in [-1, 1]²
    net.input_values = np.array([-0.5, -0.5])  # neuron 1: x1 + x2 < 0 here, so dead here but not everywhere
    here = neuron_status(net.forward().activations[1], net.forward().derivatives[1])
    assert list(here) == [DEAD, DEAD]
    result = maps.response_maps(net, resolution=41, ranges=[(-1.0, 1.0), (-1.0, 1.0)])
    assert result.dead_fraction[1][0] == 1.0
    assert 0.3 < result.dead_fraction[1][1] < 0.7
    assert list(result.dead_everywhere(1)) == [True, False]
    assert list(result.dead_fraction[0]) == [0.0, 0.0]  # inputs are never dead


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh", "hard_sigmoid", "relu6", "softmax", "glu"])
def test_shares_follow_the_neuron_status_rule(name):
    units = 4 if name == "glu" else 3
    net = Network.from_sizes([2, units, 2], [name, "linear"], seed=5)
    net.layers[0].weights = net.layers[0].weights * 9.0  # wide enough to reach dead and saturated regions
    result = maps.response_maps(net, resolution=30)
    gx, gy = np.meshgrid(result.xs, result.ys)
    propagation = net.forward(np.column_stack([gx.ravel(), gy.ravel()]))
    status = neuron_status(propagation.activations[1], visible_outputs(net.layers[0], propagation.derivatives[1]))
    np.testing.assert_array_equal(result.dead_fraction[1], np.mean(status == DEAD, axis=0))
    np.testing.assert_array_equal(result.saturated_fraction[1], np.mean(status == SATURATED, axis=0))


def test_saturated_sigmoid_share():
    net = Network.from_sizes([2, 1, 1], ["sigmoid", "linear"], seed=0)
    net.layers[0].weights = np.array([[20.0], [0.0]])
    result = maps.response_maps(net, resolution=101, ranges=[(-1.0, 1.0), (-1.0, 1.0)])
    # |σ'(20 x)| < 1e-3 where |20 x| > ~6.9: |x| > 0.345 of [-1, 1]
    assert result.saturated_fraction[1][0] == pytest.approx(0.65, abs=0.02)
    assert result.dead_fraction[1][0] == 0.0


def test_plane_features_are_computed_from_the_point():
    net = Network.from_sizes([7, 3, 1], ["tanh", "tanh"], seed=2)
    net.input_features = FEATURES
    net.input_names = list(FEATURES)
    for i in range(7):
        net.set_input_range(i, -6.0, 6.0)
    net.input_values = maps.plane_inputs(net, 1.5, -2.0)
    result = maps.response_maps(net, axes=(4, 5), resolution=25)  # axes are the plane's whatever is asked
    assert result.plane and result.axes == (0, 1) and result.axis_names == ("x1", "x2")
    assert result.point == (1.5, -2.0)
    assert (result.xs[0], result.xs[-1]) == maps.PLANE_RANGE
    for ix, iy in [(0, 0), (24, 3), (12, 12), (5, 20)]:
        x1, x2 = result.xs[ix], result.ys[iy]
        expected = net.forward(maps.plane_inputs(net, x1, x2)).activations
        np.testing.assert_array_equal(
            result.layers[0][:, iy, ix], [x1, x2, x1 * x1, x2 * x2, x1 * x2, np.sin(x1), np.sin(x2)]
        )
        for k, values in enumerate(expected):
            np.testing.assert_array_equal(result.layers[k][:, iy, ix], values)


def test_plane_point_without_x1_uses_the_hint_only_when_it_reproduces_the_inputs():
    net = Network.from_sizes([2, 2, 1], ["tanh", "tanh"], seed=2)
    net.input_features = ("x1^2", "sin(x2)")
    net.input_values = maps.plane_inputs(net, 2.0, 1.0)
    assert maps.plane_point(net) == (0.0, 0.0)  # x1 and x2 are not inputs: nothing to read them from
    assert maps.plane_point(net, hint=(2.0, 1.0)) == (2.0, 1.0)
    assert maps.plane_point(net, hint=(-2.0, 1.0)) == (-2.0, 1.0)  # x1² cannot tell ±2 apart: both reproduce it
    assert maps.plane_point(net, hint=(3.0, 1.0)) == (0.0, 0.0)
    assert maps.response_maps(net, resolution=10, point_hint=(2.0, 1.0)).point == (2.0, 1.0)


def test_plane_functions_refuse_plain_networks():
    net = _network("relu")
    with pytest.raises(ValueError, match="not Playground features"):
        maps.plane_inputs(net, 0.0, 0.0)
    with pytest.raises(ValueError, match="not Playground features"):
        maps.plane_point(net)


@pytest.mark.parametrize(
    ("axes", "message"),
    [
        ((0, 0), "two different inputs"),
        ((0, 3), "input 3 does not exist"),
        ((-1, 0), "input -1 does not exist"),
        ((0,), "two input indices"),
        ((0, 1, 2), "two input indices"),
        (("a", 1), "two input indices"),
        ((0.5, 1), "two input indices"),
        ((True, 0), "two input indices"),
    ],
)
def test_bad_axes_say_what_is_wrong(axes, message):
    with pytest.raises(ValueError, match=message):
        maps.response_maps(_network("relu"), axes=axes, resolution=10)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"resolution": 9}, "resolution must be 10 to 400"),
        ({"resolution": 401}, "resolution must be 10 to 400"),
        ({"resolution": 50.0}, "whole number"),
        ({"resolution": True}, "whole number"),
        ({"ranges": [(1.0, 1.0), (0.0, 1.0)]}, "x range must be finite with low < high"),
        ({"ranges": [(0.0, 1.0), (0.0, np.inf)]}, "y range must be finite"),
        ({"ranges": [(0.0, 1.0)]}, "two \\(low, high\\) pairs"),
        ({"ranges": [(1.0, 1.0 + 1e-14), (0.0, 1.0)]}, "too narrow"),
    ],
)
def test_bad_resolution_and_ranges_say_what_is_wrong(kwargs, message):
    with pytest.raises(ValueError, match=message):
        maps.response_maps(_network("relu"), **kwargs)


def test_one_input_network_is_refused_with_a_reason():
    net = Network.from_sizes([1, 2, 1], ["relu", "linear"])
    with pytest.raises(ValueError, match=r"needs two inputs.*has 1"):
        maps.response_maps(net, resolution=10)


def test_auto_resolution_keeps_small_networks_and_lowers_big_ones():
    assert maps.auto_resolution(Network.from_sizes([2, 4, 2, 1], ["tanh"] * 3), 100) == 100
    assert maps.auto_resolution(Network.from_sizes([7, *[8] * 6, 1], ["tanh"] * 7), 100) == 100
    big = Network.from_sizes([8, *[256] * 16, 4], ["relu"] * 16 + ["softmax"])
    lowered = maps.auto_resolution(big, 100)
    assert maps.MIN_RESOLUTION <= lowered <= 16  # 23 × 23 took 142.5 ms; 16 × 16 keeps a frame within 100 ms
    assert maps.auto_resolution(big, maps.MIN_RESOLUTION) == maps.MIN_RESOLUTION
    assert maps.auto_resolution(Network.from_sizes([2, 4, 1], ["tanh"] * 2), 37) == 37


def test_values_near_the_largest_float_are_counted_without_an_overflow_warning():
    """exp(709·x) over the map: finite values about 8e307 whose sum overflows (the monkey test found the warning);
    the values stay as computed."""
    import warnings

    from neuroviz.model import Network
    from neuroviz.model.maps import response_maps

    net = Network.from_sizes([2, 2, 1], ["exponential", "linear"], seed=0)
    net.layers[0].weights[...] = [[709.0, -709.0], [0.0, 0.0]]
    net.layers[0].biases[...] = 0.0
    net = Network(net.layers, input_ranges=[(-1.0, 1.0), (-1.0, 1.0)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        maps = response_maps(net, (0, 1), 20)
    values = maps.layers[1]
    assert np.isfinite(values).all() and values.max() > 1e307
