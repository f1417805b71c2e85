"""The z probe and the comparison curve: the tutorials' printed outputs reproduced, located errors."""

from __future__ import annotations

import numpy as np
import pytest

from neuroviz.model import Network, probe


def _layer(activation: str, units: int = 5, **params):
    net = Network.from_sizes([2, units, 1], [activation, "linear"])
    if params:
        net.set_params(1, **params)
    return net.layers[0]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, [0.0, 0.0, 0.0, 5.0, 10.0]),
        ({"negative_slope": 0.5}, [-5.0, -2.5, 0.0, 5.0, 10.0]),
        ({"max_value": 5.0}, [0.0, 0.0, 0.0, 5.0, 5.0]),
        ({"threshold": 5.0}, [0.0, 0.0, 0.0, 0.0, 10.0]),
    ],
)
def test_relu_on_the_tutorials_vector(params, expected):
    result = probe.probe(_layer("relu", **params), probe.parse_vector("[-10, -5, 0.0, 5, 10]"))
    np.testing.assert_array_equal(result.a, expected)
    assert result.total is None and result.dz is not None


def test_softmax_sums_to_one_and_is_not_scale_invariant():
    z = probe.parse_vector("1, 2, 3, 4, 1, 2, 3")
    big, small = probe.probe(_layer("softmax", 7), z), probe.probe(_layer("softmax", 7), 0.1 * z)
    np.testing.assert_allclose(
        big.a, [0.02364054, 0.06426166, 0.1746813, 0.474833, 0.02364054, 0.06426166, 0.1746813], atol=5e-8
    )
    assert big.total == pytest.approx(1.0) and small.total == pytest.approx(1.0)
    assert not np.allclose(big.a, small.a)  # the scale of z changes the result
    assert big.dz is None  # a layer-wide activation has a Jacobian, not one slope per value
    lines = probe.probe_lines(probe.call_text(_layer("softmax", 7)), big)
    assert lines[0].startswith("softmax(z) = [0.02364, 0.06426, 0.1747, 0.4748, 0.02364")
    assert lines[0].endswith("Σ = 1")
    assert lines[1] == "z / Σz = [0.0625, 0.125, 0.1875, 0.25, 0.0625, 0.125, 0.1875]"


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("-5, -8, 0, 3, 9", [-5, -8, 0, 3, 9]),
        ("[1. 2. 3.]", [1, 2, 3]),
        ("(1; 2)", [1, 2]),
        ("  −1.5e2\t4 ", [-150, 4]),
    ],
)
def test_vectors_as_people_paste_them(text, values):
    np.testing.assert_array_equal(probe.parse_vector(text), values)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "type some numbers"),
        ("[]", "type some numbers"),
        ("1, two, 3", "item 2: 'two' is not a number"),
        ("1, inf", "item 2: 'inf' is not a finite number"),
        ("nan", "item 1: 'nan' is not a finite number"),
        (", ".join(["1"] * 65), "at most 64 numbers, got 65"),
    ],
)
def test_bad_vectors_say_which_item(text, message):
    with pytest.raises(ValueError, match=message):
        probe.parse_vector(text)


def test_layer_shape_rules():
    with pytest.raises(ValueError, match="type an even count"):
        probe.probe(_layer("glu", 4), np.array([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(probe.probe(_layer("prelu", 3), np.array([-4.0, 2.0])).a, [-1.0, 2.0])  # α = 0.25
    per_neuron = _layer("prelu", 3, alpha=[0.1, 0.2, 0.5])
    with pytest.raises(ValueError, match="one slope per neuron: type 3 values, got 2"):
        probe.probe(per_neuron, np.array([1.0, 2.0]))
    np.testing.assert_allclose(probe.probe(per_neuron, np.array([-1.0, -1.0, -2.0])).a, [-0.1, -0.2, -1.0])


def test_call_text_names_the_changed_parameters():
    assert probe.call_text(_layer("relu")) == "relu(z)"
    assert (
        probe.call_text(_layer("relu", negative_slope=0.5, max_value=6.0)) == "relu(z, negative_slope=0.5, max_value=6)"
    )
    net = Network.from_sizes([2, 2, 1], ["relu", "linear"])
    net.set_custom_activation(1, "x * sigmoid(beta * x)", beta=2.0)
    assert probe.call_text(net.layers[0]) == "f(z)"
    np.testing.assert_allclose(probe.probe(net.layers[0], np.array([1.0])).a, [1.0 / (1.0 + np.exp(-2.0))])


def test_compare_curve_is_the_activation_with_its_defaults():
    x = np.linspace(-3, 3, 7)
    f, df = probe.compare_curve("softplus", x)
    np.testing.assert_allclose(f, np.log1p(np.exp(x)))
    np.testing.assert_allclose(df, 1 / (1 + np.exp(-x)))  # softplus′ is the sigmoid
    with pytest.raises(ValueError, match="whole layer"):
        probe.compare_curve("softmax", x)
