"""Parameter advice (issue 10, item 16), output-range ends (item 18) and layer notes (item 19): pure model facts."""

import math

import numpy as np
import pytest

from neuroviz.model import Network, activations, picture

X = np.linspace(-10.0, 10.0, 20001)


# -- item 16: values Keras allows but that defeat the activation ----------------------------------------------------
@pytest.mark.parametrize(
    ("name", "param", "inside", "outside"),
    [
        ("elu", "alpha", [1e-3, 1.0, 7.0], [0.0, -1.0, -0.5]),
        ("celu", "alpha", [0.1, 1.0], [-1.0, -3.0]),
        ("leaky_relu", "negative_slope", [0.01, 0.2, 0.99], [0.0, 1.0, 2.0]),
        ("relu", "negative_slope", [0.0, 0.3], [1.0, 1.5]),
        ("prelu", "alpha", [0.0, 0.25, [0.1, 0.2]], [-1.0, 1.0, [0.1, -0.2]]),
        ("soft_shrink", "threshold", [0.5, 1e-3], [0.0]),
        ("hard_shrink", "threshold", [0.5], [0.0]),
    ],
)
def test_values_outside_the_meaningful_range_are_named_with_their_reason(name, param, inside, outside):
    spec = activations.get(name).params[param]
    for value in inside:
        assert activations.param_warning(name, param, value) is None, value
    for value in outside:
        warning = activations.param_warning(name, param, value)
        assert warning is not None and warning.startswith(param), value
        assert spec.advice.reason in warning and spec.advice.text(param) in warning


def test_elu_minus_one_is_marked_and_the_warning_says_why():
    warning = activations.param_warning("elu", "alpha", -1.0)
    assert warning.startswith("alpha = -1 is outside alpha > 0: ")
    assert "V" in warning


def test_relu_max_value_must_exceed_the_threshold():
    assert activations.param_warning("relu", "max_value", 6.0, {"threshold": 0.0}) is None
    assert activations.param_warning("relu", "max_value", None, {"threshold": 9.0}) is None  # no cap
    warning = activations.param_warning("relu", "max_value", 2.0, {"threshold": 3.0})
    assert warning.startswith("max_value = 2 (with threshold = 3) is outside max_value > 0 and max_value > threshold")
    assert activations.param_warning("relu", "max_value", 0.0, {"threshold": -1.0}) is not None


def test_defaults_draw_no_warning_and_unknown_names_have_no_advice():
    for act in activations.catalog():
        assert activations.param_warnings(act.name, act.validate()) == {}, act.name
    assert activations.param_warning("custom", "beta", -5.0) is None
    assert activations.param_warning("elu", "nonsense", -5.0) is None
    assert activations.param_warning("gelu", "approximate", True) is None


def test_the_reasons_are_true_of_the_functions():
    """Each reason describes what the function then does: checked on the function itself."""
    elu, celu = activations.get("elu"), activations.get("celu")
    assert elu(-2.0, alpha=-1.0) > 0 and elu(2.0, alpha=-1.0) > 0  # a V
    assert np.all(elu(X[X < 0], alpha=0.0) == 0)  # a relu
    assert celu(-5.0, alpha=-1.0) < -100  # falls towards −∞
    np.testing.assert_array_equal(activations.get("leaky_relu")(X, negative_slope=1.0), X)  # the identity
    np.testing.assert_array_equal(activations.get("relu")(X, negative_slope=1.0), X)
    np.testing.assert_allclose(activations.get("prelu")(X, alpha=-1.0), np.abs(X))  # |x|
    for shrink in ("soft_shrink", "hard_shrink"):
        np.testing.assert_array_equal(activations.get(shrink)(X, threshold=0.0), X)
    relu = activations.get("relu")
    above = X[X > 3.0]
    assert np.all(relu.derivative(above, max_value=2.0, threshold=3.0) == 0)  # flat above the threshold


def test_every_advised_parameter_is_listed_here():
    advised = {(a.name, p.name) for a in activations.catalog() for p in a.params.values() if p.advice is not None}
    assert advised == {
        ("elu", "alpha"),
        ("celu", "alpha"),
        ("leaky_relu", "negative_slope"),
        ("relu", "negative_slope"),
        ("relu", "max_value"),
        ("prelu", "alpha"),
        ("soft_shrink", "threshold"),
        ("hard_shrink", "threshold"),
    }


def test_the_elu_guide_says_alpha_must_be_positive():
    assert "alpha must be > 0" in activations.get("elu").guide
    assert "alpha > 0" in activations.get("celu").guide


# -- item 18: which ends of the output range are reached ------------------------------------------------------------
def sampled_outputs(act: activations.Activation) -> np.ndarray:
    """Outputs over [−10, 10] with default parameters; layer-wide ones on layers of 3 (one neuron swept)."""
    params = act.validate()
    if act.elementwise:
        return act(X, **params)
    if act.name == "glu":
        return act(np.stack([X, X[::-1]], axis=1), **params).ravel()
    layer = np.zeros((X.size, 3))
    layer[:, 0] = X
    values = act(layer, **params).ravel()
    if act.name == "sparsemax":  # reaches 1 when one input leads by enough
        values = np.append(values, act(np.array([10.0, 0.0, 0.0]), **params))
    return values


@pytest.mark.parametrize("act", activations.catalog(), ids=lambda a: a.name)
def test_closed_ends_are_reached_and_open_ends_are_not(act):
    values = sampled_outputs(act)
    for end, closed, rounded, extreme in zip(
        act.output_range, act.output_closed, act.output_rounded, (values.min(), values.max()), strict=True
    ):
        if math.isinf(end):
            assert not closed, "an infinite end is never reached"
            continue
        if closed:
            assert extreme == pytest.approx(end, abs=1e-4 if rounded else 0.0)
        else:
            assert not rounded
            assert extreme != end  # approached, never reached
            assert np.all(values > end) if end == act.output_range[0] else np.all(values < end)


# -- item 19: a layer-wide activation over one neuron ---------------------------------------------------------------
@pytest.mark.parametrize(("name", "constant"), [("softmax", 1.0), ("sparsemax", 1.0), ("log_softmax", 0.0)])
def test_a_one_neuron_layer_wide_output_is_constant_and_noted(name, constant):
    net = Network.from_sizes([3, 4, 1], activations=["relu", name], seed=0)
    outputs = net.forward(np.random.default_rng(0).normal(size=(50, 3)) * 5).activations[-1]
    assert np.all(outputs == constant)  # the fact the note states
    notes = picture.layer_notes(net, 2)
    assert notes == (f"{name} over one neuron is always {constant:g} — use sigmoid for a binary output",)


def test_notes_for_hidden_layers_and_none_where_nothing_is_wrong():
    net = Network.from_sizes([3, 1, 2], activations=["softmax", "softmax"], seed=0)
    assert picture.layer_notes(net, 1) == (
        "softmax over one neuron is always 1, so this layer passes nothing on — give it more neurons or another "
        "activation",
    )
    assert picture.layer_notes(net, 2) == ()  # two neurons: real probabilities
    assert picture.layer_notes(Network.from_sizes([2, 1], activations=["sigmoid"], seed=0), 1) == ()


def test_param_warnings_of_a_layer():
    net = Network.from_sizes([2, 3, 1], activations=["elu", "linear"], seed=0)
    assert picture.param_warnings(net, 1) == {}
    net.set_params(1, alpha=-1.0)
    assert set(picture.param_warnings(net, 1)) == {"alpha"}
    net.set_custom_activation(1, "x * a", a=-1.0)
    assert picture.param_warnings(net, 1) == {}
