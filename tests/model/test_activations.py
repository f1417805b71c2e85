"""The activation registry: names, parameters, validation, metadata and the Keras facts of DESIGN.md §4."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from neuroviz.model import activations
from neuroviz.model.activations import FAMILIES, Activation, Param

KERAS_NAMES = [
    "celu", "elu", "exponential", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_tanh",
    "leaky_relu", "linear", "log_sigmoid", "log_softmax", "mish", "relu", "relu6", "selu", "sigmoid", "silu",
    "soft_shrink", "softmax", "softplus", "softsign", "sparse_plus", "sparse_sigmoid", "sparsemax",
    "squareplus", "tanh", "tanh_shrink", "threshold",
]  # fmt: skip
ALIASES = {"swish": "silu", "hard_swish": "hard_silu"}
LAYER_WIDE = {"softmax", "log_softmax", "sparsemax", "glu"}
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def act(name: str) -> Activation:
    return activations.get(name)


# -- registry ------------------------------------------------------------------------------------------------
def test_names_are_every_keras_function_its_aliases_and_prelu():
    assert activations.names() == sorted([*KERAS_NAMES, *ALIASES, "prelu"])


def test_aliases_are_the_same_activation():
    for alias, name in ALIASES.items():
        assert act(alias) is act(name)
        assert alias in act(name).aliases


def test_primary_names_list_each_activation_once_grouped_by_family():
    primary = activations.primary_names()
    assert sorted(primary) == sorted([*KERAS_NAMES, "prelu"])
    families = [act(name).family for name in primary]
    assert families == sorted(families, key=FAMILIES.index)
    assert set(families) == set(FAMILIES)
    assert primary[0] == "relu" and primary[families.index("Sigmoid and tanh")] == "sigmoid"
    assert [a.name for a in activations.catalog()] == primary


def test_get_accepts_spelling_variants_and_activation_objects():
    assert act("Leaky-ReLU") is act("leaky_relu")
    assert act(" Swish ") is act("silu")
    assert act("HARD SWISH") is act("hard_silu")
    assert activations.get(act("tanh")) is act("tanh")


@pytest.mark.parametrize(("typo", "suggestion"), [("relux", "relu"), ("sigmod", "sigmoid"), ("softmaxx", "softmax")])
def test_unknown_name_raises_with_close_matches(typo, suggestion):
    with pytest.raises(ValueError, match=rf"unknown activation '{typo}'.*'{suggestion}'"):
        activations.get(typo)


def test_unknown_name_without_close_match_and_non_string():
    with pytest.raises(ValueError, match=r"unknown activation 'xyzzy'$"):
        activations.get("xyzzy")
    with pytest.raises(ValueError, match="unknown activation 42"):
        activations.get(42)


def test_register_refuses_a_taken_name_and_changes_nothing():
    before = activations.names()
    duplicate = Activation("relu", np.abs, np.sign, "g.", "Others", "|x|", (0.0, math.inf))
    with pytest.raises(ValueError, match="'relu' is already registered"):
        activations.register(duplicate)
    taken_alias = Activation("absolute", np.abs, np.sign, "g.", "Others", "|x|", (0.0, math.inf), aliases=("swish",))
    with pytest.raises(ValueError, match="'swish' is already registered"):
        activations.register(taken_alias)
    assert activations.names() == before
    assert act("relu") is not duplicate


# -- DESIGN.md §4 facts --------------------------------------------------------------------------------------
RELU_EXAMPLE_X = [-5, -8, 0, 3, 9]
RELU_EXAMPLE_Y = [-8.4, -10.5, -4.9, -2.8, 3.0]


def test_relu_design_example_with_keyword_positional_and_keras2_alpha():
    relu = act("relu")
    np.testing.assert_allclose(relu(RELU_EXAMPLE_X, negative_slope=0.7, max_value=3, threshold=7), RELU_EXAMPLE_Y)
    np.testing.assert_allclose(relu(RELU_EXAMPLE_X, 0.7, max_value=3, threshold=7), RELU_EXAMPLE_Y)
    np.testing.assert_allclose(relu(RELU_EXAMPLE_X, alpha=0.7, max_value=3, threshold=7), RELU_EXAMPLE_Y)


def test_relu_keras_docstring_examples():
    relu, x = act("relu"), [-10, -5, 0.0, 5, 10]
    np.testing.assert_array_equal(relu(x), [0, 0, 0, 5, 10])
    np.testing.assert_array_equal(relu(x, negative_slope=0.5), [-5, -2.5, 0, 5, 10])
    np.testing.assert_array_equal(relu(x, max_value=5.0), [0, 0, 0, 5, 5])
    np.testing.assert_array_equal(relu(x, threshold=5.0), [0, 0, 0, 0, 10])


def test_relu_with_negative_threshold_passes_values_between_threshold_and_zero():
    relu, x = act("relu"), [-3.0, -1.0, -0.5, 0.5, 4.0]
    np.testing.assert_array_equal(relu(x, threshold=-2), [0.0, -1.0, -0.5, 0.5, 4.0])
    # max_value makes Keras clip the kept values to [0, max_value], so (t, 0) becomes 0 again
    np.testing.assert_array_equal(relu(x, threshold=-2, max_value=1), [0.0, 0.0, 0.0, 0.5, 1.0])
    # the slope is measured from the threshold and the negative part is not clipped
    np.testing.assert_allclose(relu(x, threshold=-2, negative_slope=0.5), [-0.5, -1.0, -0.5, 0.5, 4.0])


def test_relu_derivative_at_the_threshold_is_zero_like_tensorflow():
    relu = act("relu")
    assert relu.derivative(0.0) == 0.0
    assert relu.derivative(7.0, negative_slope=0.7, threshold=7) == 0.0
    np.testing.assert_array_equal(relu.derivative([6.9, 7.1], negative_slope=0.7, threshold=7), [0.7, 1.0])
    np.testing.assert_array_equal(act("relu6").derivative([0.0, 3.0, 6.0]), [0.0, 1.0, 0.0])


def test_alpha_and_negative_slope_are_one_parameter():
    relu = act("relu")
    assert relu.validate(alpha=0.3) == {"negative_slope": 0.3, "max_value": None, "threshold": 0.0}
    with pytest.raises(ValueError, match="'negative_slope' or its old name 'alpha', not both"):
        relu([1.0], alpha=0.3, negative_slope=0.3)
    with pytest.raises(ValueError, match="not both"):
        relu([1.0], 0.3, alpha=0.3)
    with pytest.raises(ValueError, match=r"negative_slope.*≥ 0"):
        relu([1.0], alpha=-0.3)


def test_leaky_relu_defaults_to_slope_0_2_and_is_max_of_x_and_sx():
    leaky = act("leaky_relu")
    assert leaky.defaults() == {"negative_slope": 0.2}
    np.testing.assert_allclose(leaky([-1.0, 0.0, 2.0]), [-0.2, 0.0, 2.0])
    np.testing.assert_allclose(leaky([-1.0, 2.0], negative_slope=2.0), [-1.0, 4.0])  # max(x, s·x)
    assert "0.3" in leaky.guide  # the LeakyReLU layer's different default


def test_hard_sigmoid_is_the_keras_3_formula_and_hard_silu_uses_it():
    np.testing.assert_allclose(act("hard_sigmoid")([-3.0, 0.0, 1.2, 3.0, 9.0]), [0.0, 0.5, 0.7, 1.0, 1.0])
    np.testing.assert_allclose(act("hard_silu")([-4.0, -1.5, 1.0, 3.0]), [0.0, -0.375, 1.0 * 4 / 6, 3.0])


def test_selu_constants():
    selu = act("selu")
    assert selu(1.0) == SELU_SCALE
    assert selu(-800.0) == -SELU_SCALE * SELU_ALPHA
    assert selu.derivative(-1e-300) == pytest.approx(SELU_SCALE * SELU_ALPHA, rel=1e-15)


def test_gelu_is_exact_by_default_and_tanh_approximation_on_request():
    gelu = act("gelu")
    assert gelu(1.0) == pytest.approx(0.5 * (1 + math.erf(1 / math.sqrt(2))), rel=1e-15)
    tanh_form = 0.5 * (1 + math.tanh(math.sqrt(2 / math.pi) * (1 + 0.044715)))
    assert gelu(1.0, approximate=True) == pytest.approx(tanh_form, rel=1e-15)
    assert abs(gelu(1.0) - gelu(1.0, approximate=True)) > 1e-4


def test_sparsemax_design_example_and_sparsity():
    np.testing.assert_allclose(act("sparsemax")([0.1, 0.2, 0.3, -0.5]), [0.7 / 3, 1 / 3, 1.3 / 3, 0.0], rtol=1e-12)
    np.testing.assert_array_equal(act("sparsemax")([5.0, 0.0, -1.0]), [1.0, 0.0, 0.0])
    assert "23425" in act("sparsemax").guide


def test_glu_halves_its_axis():
    glu = act("glu")
    sigmoid = act("sigmoid")
    np.testing.assert_allclose(glu([1.0, 2.0, 3.0, 4.0]), [1 * sigmoid(3.0), 2 * sigmoid(4.0)], rtol=1e-15)
    assert glu(np.ones((5, 8))).shape == (5, 4)
    assert glu(np.ones((6, 3)), axis=0).shape == (3, 3)
    assert glu.derivative(np.ones((5, 8))).shape == (5, 8)
    with pytest.raises(ValueError, match=r"glu: parameter 'axis' = -1 selects an axis of odd length 5"):
        glu(np.ones((2, 5)))


def test_softmax_is_shift_invariant_but_not_scale_invariant():
    softmax = act("softmax")
    x = np.array([1.0, 2.0, 4.0])
    np.testing.assert_allclose(softmax(x + 100.0), softmax(x), rtol=1e-12)
    assert softmax(3 * x)[2] > softmax(x)[2] + 0.1
    np.testing.assert_allclose(softmax([[1.0, 1.0], [0.0, math.log(3.0)]]), [[0.5, 0.5], [0.25, 0.75]])


def test_prelu_takes_one_slope_or_one_per_neuron():
    prelu = act("prelu")
    assert prelu.defaults() == {"alpha": 0.25}
    assert prelu(-4.0) == -1.0
    x = np.array([[-2.0, -2.0, -2.0], [3.0, 3.0, 3.0]])
    np.testing.assert_allclose(prelu(x, alpha=[0.0, 0.5, 1.0]), [[0.0, -1.0, -2.0], [3.0, 3.0, 3.0]])
    np.testing.assert_allclose(prelu.derivative(x, alpha=[0.0, 0.5, 1.0]), [[0.0, 0.5, 1.0], [1.0, 1.0, 1.0]])
    with pytest.raises(ValueError, match="prelu: parameter 'alpha' has 2 values but the input has 3 neuron"):
        prelu(x, alpha=[0.1, 0.2])
    assert "zeros" in prelu.guide


def test_threshold_has_ui_defaults_and_keras_positional_order():
    threshold = act("threshold")
    assert threshold.defaults() == {"threshold": 0.0, "default_value": 0.0}
    np.testing.assert_array_equal(threshold([-1.0, 0.0, 2.0]), [0.0, 0.0, 2.0])
    np.testing.assert_array_equal(threshold([-1.0, 1.0, 2.0], 1.0, -2.0), [-2.0, -2.0, 2.0])


def test_shrinks_and_squareplus():
    np.testing.assert_allclose(act("soft_shrink")([-1.0, -0.5, 0.2, 2.0]), [-0.5, 0.0, 0.0, 1.5])
    np.testing.assert_allclose(act("hard_shrink")([-1.0, -0.5, 0.2, 2.0]), [-1.0, 0.0, 0.0, 2.0])
    np.testing.assert_allclose(act("squareplus")([-3.0, 0.0, 3.0], b=0), [0.0, 0.0, 3.0])
    assert act("squareplus")(0.0) == 1.0  # √b / 2 with the default b = 4


def test_elu_accepts_a_negative_alpha_like_keras_and_celu_refuses_zero():
    assert act("elu")(-1.0, alpha=-0.5) == pytest.approx(-0.5 * math.expm1(-1.0), rel=1e-15)
    with pytest.raises(ValueError, match="celu: parameter 'alpha' must not be 0"):
        act("celu")([1.0], alpha=0)


# -- parameter validation ------------------------------------------------------------------------------------
BAD_PARAMETERS = [
    ("relu", {"slope": 1.0}, "relu: unknown parameter 'slope'"),
    ("sigmoid", {"alpha": 1.0}, r"sigmoid: unknown parameter 'alpha' \(its parameters: none\)"),
    ("relu", {"negative_slope": -0.1}, "relu: parameter 'negative_slope' must be ≥ 0.0"),
    ("relu", {"negative_slope": math.nan}, "relu: parameter 'negative_slope' must be finite"),
    ("relu", {"max_value": -1.0}, "relu: parameter 'max_value' must be ≥ 0.0"),
    ("relu", {"threshold": "high"}, "relu: parameter 'threshold' must be a number, got 'high'"),
    ("relu", {"threshold": True}, "relu: parameter 'threshold' must be a number"),
    ("leaky_relu", {"negative_slope": -1.0}, "leaky_relu: parameter 'negative_slope' must be ≥ 0.0"),
    ("elu", {"alpha": math.inf}, "elu: parameter 'alpha' must be finite"),
    ("celu", {"alpha": 0.0}, "celu: parameter 'alpha' must not be 0"),
    ("soft_shrink", {"threshold": -0.1}, "soft_shrink: parameter 'threshold' must be ≥ 0.0"),
    ("hard_shrink", {"threshold": -1.0}, "hard_shrink: parameter 'threshold' must be ≥ 0.0"),
    ("squareplus", {"b": -1.0}, "squareplus: parameter 'b' must be ≥ 0.0"),
    ("gelu", {"approximate": "yes"}, "gelu: parameter 'approximate' must be True or False"),
    ("softmax", {"axis": 1.5}, "softmax: parameter 'axis' must be an integer"),
    ("sparsemax", {"axis": True}, "sparsemax: parameter 'axis' must be an integer"),
    ("prelu", {"alpha": [[0.1, 0.2]]}, "prelu: parameter 'alpha' must be a number or a 1-D list"),
    (
        "prelu",
        {"alpha": [0.1, math.inf]},
        "prelu: parameter 'alpha' must be a number or a 1-D list of finite",
    ),
]


@pytest.mark.parametrize(("name", "params", "message"), BAD_PARAMETERS, ids=[f"{n}-{p}" for n, p, _ in BAD_PARAMETERS])
def test_bad_parameters_raise_value_error_naming_them(name, params, message):
    with pytest.raises(ValueError, match=message):
        act(name)([0.5, 1.0], **params)
    with pytest.raises(ValueError, match=message):
        act(name).derivative([0.5, 1.0], **params)


def test_integers_beyond_the_float_range_are_a_value_error_not_an_overflow():
    with pytest.raises(ValueError, match="elu: parameter 'alpha' must be finite, got an integer too large"):
        act("elu")([1.0], alpha=10**400)
    with pytest.raises(ValueError, match="prelu: parameter 'alpha' must be a number or a 1-D list of finite"):
        act("prelu")([1.0, 2.0], alpha=[0.5, 10**400])
    with pytest.raises(ValueError, match="prelu: parameter 'alpha' must be a number or a 1-D list of finite"):
        act("prelu")([1.0, 2.0], alpha=[0.5, "steep"])


def test_too_many_or_doubled_positional_parameters():
    with pytest.raises(ValueError, match="relu: takes 3 parameter"):
        act("relu")([1.0], 0.1, 2.0, 0.0, 5.0)
    with pytest.raises(ValueError, match="elu: parameter 'alpha' given twice"):
        act("elu")([1.0], 0.5, alpha=0.5)


@pytest.mark.parametrize("name", sorted(LAYER_WIDE))
def test_axis_outside_the_input_raises(name):
    with pytest.raises(ValueError, match=rf"{name}: parameter 'axis' = 1 is out of range for an input with 1 dim"):
        act(name)([1.0, 2.0], axis=1)
    with pytest.raises(ValueError, match=rf"{name}: parameter 'axis' = -1 is out of range .* 0 dim"):
        act(name)(3.0)


def test_bad_inputs_raise_value_error():
    with pytest.raises(ValueError, match="sigmoid: x must contain real numbers, got dtype <U1"):
        act("sigmoid")(["a"])
    with pytest.raises(ValueError, match="tanh: x must contain real numbers, got dtype complex128"):
        act("tanh")([1j])
    for name in ["softmax", "tanh"]:
        with pytest.raises(ValueError, match=rf"{name}: v has shape \(3,\) but x has shape \(2,\)"):
            act(name).jvp([1.0, 2.0], [1.0, 0.0, 0.0])


def test_validate_fills_every_default():
    assert act("relu").validate() == {"negative_slope": 0.0, "max_value": None, "threshold": 0.0}
    assert act("softmax").validate(axis=0) == {"axis": 0}
    assert act("gelu").validate(approximate=np.bool_(True)) == {"approximate": True}


# -- dtypes, shapes, non-finite input ------------------------------------------------------------------------
@pytest.mark.parametrize("name", activations.primary_names())
def test_float32_stays_float32_and_other_inputs_become_float64(name):
    a = act(name)
    x32 = np.array([[-1.5, 0.25, 2.0, 3.5]], dtype=np.float32)
    assert a(x32).dtype == np.float32 and a.derivative(x32).dtype == np.float32
    assert a.jvp(x32, np.ones_like(x32)).dtype == np.float32
    as_ints = a(np.array([[-1, 0, 2, 3]]))
    assert as_ints.dtype == np.float64
    np.testing.assert_allclose(as_ints, a(np.array([[-1.0, 0.0, 2.0, 3.0]])))
    np.testing.assert_allclose(a(x32), a(x32.astype(np.float64)).astype(np.float32), rtol=1e-6, atol=1e-7)


def test_inputs_are_never_modified():
    for name in activations.primary_names():
        x = np.array([-2.0, -0.5, 0.5, 2.0])
        act(name)(x)
        act(name).derivative(x)
        np.testing.assert_array_equal(x, [-2.0, -0.5, 0.5, 2.0])


def test_infinite_inputs_give_the_limits():
    inf = math.inf
    np.testing.assert_array_equal(act("relu")([-inf, inf]), [0.0, inf])
    np.testing.assert_array_equal(act("sigmoid")([-inf, inf]), [0.0, 1.0])
    np.testing.assert_array_equal(act("tanh")([-inf, inf]), [-1.0, 1.0])
    np.testing.assert_array_equal(act("softplus")([-inf, inf]), [0.0, inf])
    np.testing.assert_array_equal(act("elu")([-inf, inf]), [-1.0, inf])
    np.testing.assert_array_equal(act("exponential")([-inf, inf]), [0.0, inf])
    np.testing.assert_array_equal(act("sigmoid").derivative([-inf, inf]), [0.0, 0.0])
    np.testing.assert_array_equal(act("squareplus")([-inf, inf]), [0.0, inf])
    np.testing.assert_array_equal(act("squareplus").derivative([-inf, inf]), [0.0, 1.0])  # not ∞/∞ = NaN
    np.testing.assert_array_equal(act("squareplus").derivative([-inf, inf], b=0.0), [0.0, 1.0])
    np.testing.assert_array_equal(act("softsign")([-inf, inf]), [-1.0, 1.0])
    for name in ["leaky_relu", "prelu", "silu", "gelu", "mish", "hard_silu"]:  # 0·∞ must not become NaN
        np.testing.assert_array_equal(act(name)([-inf, inf]), [-inf if "relu" in name else 0.0, inf], name)
    np.testing.assert_array_equal(act("relu")([-inf], negative_slope=0.5), [-inf])
    np.testing.assert_array_equal(act("prelu")([-inf], alpha=0), [0.0])


#: Every elementwise activation, plus parameter settings that change a tail (a cap, a slope, a band, b = 0).
TAIL_CASES = [(a.name, {}) for a in activations.catalog() if a.elementwise] + [
    ("relu", {"max_value": 6.0}),
    ("relu", {"negative_slope": 0.1, "threshold": -1.0}),
    ("leaky_relu", {"negative_slope": 0.0}),
    ("leaky_relu", {"negative_slope": 3.0}),
    ("prelu", {"alpha": 0.0}),
    ("prelu", {"alpha": -0.5}),
    ("elu", {"alpha": -2.0}),
    ("celu", {"alpha": 0.5}),
    ("threshold", {"threshold": 1.0, "default_value": -3.0}),
    ("gelu", {"approximate": True}),
    ("squareplus", {"b": 0.0}),
    ("squareplus", {"b": 100.0}),
    ("soft_shrink", {"threshold": 2.0}),
    ("hard_shrink", {"threshold": 2.0}),
]


def limit_far_out(values: np.ndarray) -> np.ndarray:
    """The limit read off at ±1e300: a value beyond ±1e250 means ±∞, one within 1e-250 of 0 means 0."""
    infinite = np.copysign(math.inf, values)
    return np.where(np.abs(values) > 1e250, infinite, np.where(np.abs(values) < 1e-250, 0.0, values))


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize(("name", "params"), TAIL_CASES, ids=[f"{n}-{p}" if p else n for n, p in TAIL_CASES])
def test_every_elementwise_activation_and_its_derivative_reach_their_limits_at_infinity(name, params, dtype):
    """At ±1e300 every elementwise activation has saturated or grows like c·x (none oscillates or grows like a
    logarithm), so the values there give the limits at ±∞; no ∞/∞ or ∞ − ∞ inside a formula may leak out as
    NaN. Explicit limits for a few of them are in test_infinite_inputs_give_the_limits."""
    a = act(name)
    far = np.array([-1e300, 1e300])
    expected_value = limit_far_out(a(far, **params)).astype(dtype)
    expected_slope = limit_far_out(a.derivative(far, **params)).astype(dtype)
    infinite = np.array([-math.inf, math.inf], dtype=dtype)
    np.testing.assert_array_equal(a(infinite, **params), expected_value)
    np.testing.assert_array_equal(a.derivative(infinite, **params), expected_slope)
    value, slope = a.value_and_derivative(infinite, params)
    np.testing.assert_array_equal(value, expected_value)
    np.testing.assert_array_equal(slope, expected_slope)


def test_nan_propagates_even_through_piecewise_functions():
    for name in ["relu", "threshold", "hard_sigmoid", "soft_shrink", "sparse_plus", "relu6"]:
        out = act(name)([math.nan, 1.0])
        assert math.isnan(out[0]) and out[1] == act(name)(1.0), name
        assert math.isnan(act(name).derivative([math.nan])[0]), name
    assert np.all(np.isnan(act("sparsemax")([1.0, math.nan, 0.0])))
    assert np.all(np.isnan(act("softmax")([1.0, math.nan, 0.0])))


# -- metadata for the application ----------------------------------------------------------------------------
MONOTONIC = {
    "relu", "leaky_relu", "prelu", "relu6", "elu", "selu", "celu", "threshold", "sigmoid", "tanh",
    "hard_sigmoid", "sparse_sigmoid", "hard_tanh", "log_sigmoid", "softsign", "softplus", "squareplus",
    "sparse_plus", "linear", "exponential", "soft_shrink", "hard_shrink", "tanh_shrink",
}  # fmt: skip


def test_monotonic_flags():
    assert {a.name for a in activations.catalog() if a.monotonic} == MONOTONIC


def test_non_monotonic_ones_really_dip():
    x = np.linspace(-4, 1, 501)
    for name in ["silu", "gelu", "mish", "hard_silu"]:
        y = act(name)(x)
        assert np.any(np.diff(y) < 0), name
        assert y.min() >= act(name).output_range[0], name


@pytest.mark.parametrize("name", activations.primary_names())
def test_every_activation_describes_itself(name):
    a = act(name)
    assert a.family in FAMILIES
    assert 0 < len(a.formula) <= 40 and "\n" not in a.formula
    sentences = [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", a.guide.strip()) if s]
    assert 2 <= len(sentences) <= 5, sentences
    low, high = a.output_range
    assert low < high
    assert a.elementwise == (name not in LAYER_WIDE)
    for key, param in a.params.items():
        assert isinstance(param, Param) and param.name == key and len(param.doc) > 10
        assert param.kind in {"float", "optional_float", "bool", "int", "per_neuron"}
        assert param.check(param.default, name) == param.default if param.default is not None else True


@pytest.mark.parametrize("name", sorted(LAYER_WIDE))
def test_layer_wide_ones_take_a_hidden_integer_axis(name):
    (axis,) = act(name).params.values()
    assert (axis.name, axis.kind, axis.default, axis.ui) == ("axis", "int", -1, False)
    assert act(name).jvp_fn is not None


def test_keras_defaults():
    defaults = {a.name: a.defaults() for a in activations.catalog() if a.params}
    assert defaults == {
        "relu": {"negative_slope": 0.0, "max_value": None, "threshold": 0.0},
        "leaky_relu": {"negative_slope": 0.2},
        "prelu": {"alpha": 0.25},
        "elu": {"alpha": 1.0},
        "celu": {"alpha": 1.0},
        "threshold": {"threshold": 0.0, "default_value": 0.0},
        "gelu": {"approximate": False},
        "squareplus": {"b": 4.0},
        "softmax": {"axis": -1},
        "log_softmax": {"axis": -1},
        "sparsemax": {"axis": -1},
        "glu": {"axis": -1},
        "soft_shrink": {"threshold": 0.5},
        "hard_shrink": {"threshold": 0.5},
    }
    assert act("prelu").params["alpha"].kind == "per_neuron"
    assert act("relu").params["max_value"].kind == "optional_float"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("relu", ["dying"]),
        ("sigmoid", ["binary", "saturat"]),
        ("tanh", ["saturat"]),
        ("softmax", ["class", "sum to 1"]),
        ("selu", ["lecun_normal"]),
        ("sparsemax", ["wrong", "23425"]),
        ("threshold", ["Keras requires both"]),
        ("gelu", ["0.044715"]),
    ],
)
def test_guides_teach_the_key_facts(name, words):
    for word in words:
        assert word in act(name).guide, (name, word)
