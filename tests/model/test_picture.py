"""What the views are handed: status marks, colour limits, edge values, activation curves."""

import math
import sys

import numpy as np
import pytest

from neuroviz.model import Network, activations, picture


def test_status_marks_nan_inf_dead_and_saturated():
    a = np.array([np.nan, np.inf, -np.inf, 0.0, 1.0, 0.5, 0.0])
    d = np.array([1.0, 1.0, 1.0, 0.0, 1e-4, 0.25, 0.5])
    status = picture.neuron_status(a, d)
    assert status.tolist() == [
        picture.NAN,
        picture.POS_INF,
        picture.NEG_INF,
        picture.DEAD,
        picture.SATURATED,
        picture.NORMAL,
        picture.NORMAL,
    ]


def test_relu_on_negative_input_is_dead_and_sigmoid_far_out_is_saturated():
    z = np.array([-3.0, 2.0])
    relu = activations.get("relu")
    assert picture.neuron_status(relu(z), relu.derivative(z)).tolist() == [picture.DEAD, picture.NORMAL]
    z = np.array([-20.0, 0.0, 20.0])
    sig = activations.get("sigmoid")
    assert picture.neuron_status(sig(z), sig.derivative(z)).tolist() == [
        picture.SATURATED,
        picture.NORMAL,
        picture.SATURATED,
    ]


@pytest.mark.parametrize(
    ("largest", "limit"),
    [(0.3, 0.5), (0.5, 0.5), (0.51, 1.0), (1.0, 1.0), (1.7, 2.0), (3, 5), (7, 10), (120, 200)],
)
def test_nice_limit_is_the_next_1_2_5_step(largest, limit):
    assert picture.nice_limit([np.array([0.0, -largest, largest / 2])]) == pytest.approx(limit)


def test_nice_limit_ignores_non_finite_values():
    assert picture.nice_limit([np.array([np.nan, np.inf, 0.7])]) == pytest.approx(1.0)
    assert picture.nice_limit([np.array([])]) > 0


def test_network_picture_shapes_and_signal_mode():
    net = Network.from_sizes([3, 4, 2], activations=["relu", "softmax"], seed=1)
    net.set_input(0, 1.5)
    net.set_input(2, -2.0)
    p = net.forward()
    weights = picture.network_picture(net, p, "weight")
    signals = picture.network_picture(net, p, "signal")
    assert [v.shape for v in weights.values] == [(3,), (4,), (2,)]
    assert [e.shape for e in weights.edges] == [(3, 4), (4, 2)]
    np.testing.assert_array_equal(weights.edges[0], net.layers[0].weights)
    np.testing.assert_array_equal(signals.edges[1], net.layers[1].weights * p.activations[1][:, None])
    assert weights.value_limit >= np.max(np.abs(np.concatenate(weights.values)))
    with pytest.raises(ValueError, match="edge_mode"):
        picture.network_picture(net, p, "thickness")


def test_glu_layer_shows_its_outputs_only():
    net = Network.from_sizes([2, 6, 1], activations=["relu", "linear"], seed=0)
    net.set_activation(1, "glu")
    p = net.forward()
    pic = picture.network_picture(net, p)
    assert pic.values[1].shape == (3,)
    assert pic.edges[0].shape == (2, 3)
    assert pic.edges[1].shape == (3, 1)


def test_curve_follows_the_pre_activations_and_puts_neurons_on_it():
    net = Network.from_sizes([2, 3, 1], activations=["tanh", "linear"], seed=2)
    net.set_input(0, 5.0)
    net.set_input(1, -5.0)
    net.set_weight(1, 0, 0, 3.0)
    p = net.forward()
    curve = picture.activation_curve(net, p, 1)
    z = p.pre_activations[1]
    assert curve.x[0] <= min(z.min(), -4) and curve.x[-1] >= max(z.max(), 4)
    np.testing.assert_allclose(curve.f, np.tanh(curve.x))
    np.testing.assert_allclose(curve.df, 1 - np.tanh(curve.x) ** 2, atol=1e-15)
    np.testing.assert_array_equal(curve.z, z)
    np.testing.assert_allclose(curve.a, np.tanh(z))
    assert "tanh" in curve.title


def test_softmax_curve_sweeps_one_neuron_with_the_others_fixed():
    net = Network.from_sizes([2, 3], activations=["softmax"], seed=4)
    net.set_input(0, 1.0)
    p = net.forward()
    curve = picture.activation_curve(net, p, 1, neuron=2)
    z = p.pre_activations[1]
    i = len(curve.x) // 3
    row = z.copy()
    row[2] = curve.x[i]
    expected = np.exp(row - row.max()) / np.exp(row - row.max()).sum()
    assert curve.f[i] == pytest.approx(expected[2])
    assert curve.a.tolist() == pytest.approx([p.activations[1][2]])
    assert "neuron 3" in curve.title


def test_layer_header_names_changed_parameters():
    net = Network.from_sizes([2, 3, 1], activations=["relu", "linear"], seed=0)
    assert picture.layer_header(net, 1) == "hidden 1\n3 · relu"
    net.set_params(1, negative_slope=0.1)
    assert picture.layer_header(net, 1) == "hidden 1\n3 · relu(negative_slope=0.1)"
    assert picture.layer_header(net, 0) == "input\n2"


def test_deep_networks_get_compact_headers():
    net = Network.from_sizes([2, *[24] * 10, 1], activations=["tanh"] * 10 + ["sigmoid"], seed=0)
    headers = picture.layer_headers(net)
    assert headers[0] == "in · 2"
    assert headers[3] == "3 · 24\ntanh"  # number and size over the activation: nothing is lost
    assert headers[-1] == "out · 1\nsigmoid"


def test_tooltips_give_name_size_and_activation_with_parameters_in_full():
    net = Network.from_sizes([2, *[24] * 10, 1], activations=["relu"] * 10 + ["sigmoid"], seed=0)
    net.set_params(3, negative_slope=0.1)
    formula = "x * sigmoid(beta * x) + 0.25 * tanh(x) * sigmoid(beta * x) - x"  # longer than a header shows
    net.set_custom_activation(5, formula, beta=2.0)
    tips = picture.layer_tooltips(net)
    assert tips[0] == "input · 2 inputs"
    assert tips[3] == "hidden 3 · 24 neurons · relu(negative_slope=0.1)"
    assert tips[5] == f"hidden 5 · 24 neurons · {formula}"
    assert tips[-1] == "output · 1 neuron · sigmoid"
    assert picture.layer_header(net, 3) == "3 · 24\nrelu"
    assert len(tips) == len(picture.layer_headers(net)) == len(net.sizes)
    wide = Network.from_sizes([2, 3, 1], activations=["relu", "linear"], seed=0)
    wide.set_custom_activation(1, formula, beta=2.0)
    assert picture.layer_header(wide, 1) == f"hidden 1\n3 · {formula[:39]}…"
    assert picture.layer_tooltip(wide, 1).endswith(formula)


def test_curve_range_survives_huge_values():
    lo, hi = picture.curve_range(np.array([1e300, -np.inf, np.nan, 2.0]))
    assert (lo, hi) == (-1e6, 1e6)
    lo, hi = picture.curve_range(np.array([0.5, 1.0]))
    assert lo == pytest.approx(-4.8) and hi == pytest.approx(4.8)


def test_custom_formula_layer_has_a_curve_and_a_header():
    net = Network.from_sizes([2, 3, 1], activations=["relu", "linear"], seed=0)
    net.set_custom_activation(1, "x * sigmoid(beta * x)", beta=2.0)
    net.set_input(0, 1.0)
    p = net.forward()
    curve = picture.activation_curve(net, p, 1)
    np.testing.assert_allclose(curve.f, curve.x / (1 + np.exp(-2.0 * curve.x)))
    assert picture.layer_header(net, 1) == "hidden 1\n3 · x * sigmoid(beta * x)"


@pytest.mark.parametrize("largest", [1e308, 1.7e308, sys.float_info.max])
def test_the_colour_limit_of_values_near_the_largest_float_is_finite(largest):
    """2 × 10³⁰⁸ overflows: the limit is the largest float then, which still covers every finite value."""
    limit = picture.nice_limit([np.array([largest, -1.0])])
    assert math.isfinite(limit) and limit >= largest
