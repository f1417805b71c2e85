"""Custom activation formulas: values, exact derivatives, errors with columns, the Activation they make."""

import math
import pickle

import numpy as np
import pytest

from neuroviz.model import activations
from neuroviz.model.formula import FUNCTIONS, Formula, FormulaError, from_formula, parse

SQRT2 = math.sqrt(2.0)


def _erf(values):
    return np.array([math.erf(v) for v in np.ravel(values)]).reshape(np.shape(values))


def _sigmoid(values):
    return 1.0 / (1.0 + np.exp(-values))


def _central_difference(formula: Formula, x: np.ndarray, **params) -> np.ndarray:
    h = 1e-5 * np.maximum(1.0, np.abs(x))
    return (formula(x + h, **params) - formula(x - h, **params)) / (2.0 * h)


# (formula, parameters, NumPy reference of the value, points where the function is smooth)
SMOOTH = np.array([-3.1, -1.7, -0.6, -0.05, 0.05, 0.4, 1.3, 2.2, 3.7])
CASES = [
    ("x * sigmoid(beta * x)", {"beta": 1.5}, lambda x: x * _sigmoid(1.5 * x), SMOOTH),
    ("where(x > 0, x, 0.1 * x)", {}, lambda x: np.where(x > 0, x, 0.1 * x), SMOOTH),
    ("log(1 + exp(x))", {}, lambda x: np.log1p(np.exp(x)), SMOOTH),
    ("x**3 - 2*x", {}, lambda x: x**3 - 2 * x, SMOOTH),
    ("tanh(a*x)/a", {"a": 2.5}, lambda x: np.tanh(2.5 * x) / 2.5, SMOOTH),
    ("clip(x, -1, 1)", {}, lambda x: np.clip(x, -1, 1), SMOOTH),
    ("erf(x)", {}, _erf, SMOOTH),
    ("maximum(x, 0.2*x)", {}, lambda x: np.maximum(x, 0.2 * x), SMOOTH),
    ("gelu(x)", {}, lambda x: 0.5 * x * (1 + _erf(x / SQRT2)), SMOOTH),
    ("1/(1+exp(-x))", {}, _sigmoid, SMOOTH),
    ("x**x", {}, lambda x: x**x, np.array([0.3, 0.9, 1.6, 2.8])),
    ("2**x + x**-2", {}, lambda x: 2.0**x + x**-2.0, SMOOTH),
    ("sqrt(x**2 + b) / 2", {"b": 4.0}, lambda x: np.sqrt(x**2 + 4.0) / 2, SMOOTH),
    ("exp(-x**2 / 2) * sin(3*x)", {}, lambda x: np.exp(-(x**2) / 2) * np.sin(3 * x), SMOOTH),
    ("arctan(x) + cos(x) - sinh(x/4) + cosh(x/5)", {},
     lambda x: np.arctan(x) + np.cos(x) - np.sinh(x / 4) + np.cosh(x / 5), SMOOTH),
    ("log1p(x**2) + expm1(x/3) + softplus(x)", {},
     lambda x: np.log1p(x**2) + np.expm1(x / 3) + np.log1p(np.exp(x)), SMOOTH),
    ("abs(x) + sign(x)*x**2 - relu(-0.5*x) + minimum(x, 1.5)", {},
     lambda x: np.abs(x) + np.sign(x) * x**2 - np.maximum(-0.5 * x, 0) + np.minimum(x, 1.5), SMOOTH),
    ("elu(x) * tanh(x) + silu(x)", {},
     lambda x: np.where(x > 0, x, np.expm1(x)) * np.tanh(x) + x * _sigmoid(x), SMOOTH),
    ("where(0 < x < 1 or x < -2, x**2, -x)", {},
     lambda x: np.where(((x > 0) & (x < 1)) | (x < -2), x**2, -x), SMOOTH),
    ("where(not x >= 0 and x > -1, 1, pi*x)", {},
     lambda x: np.where((x < 0) & (x > -1), 1.0, np.pi * x), SMOOTH),
]  # fmt: skip


@pytest.mark.parametrize(("text", "params", "reference", "points"), CASES, ids=[c[0] for c in CASES])
def test_values_match_numpy_reference(text, params, reference, points):
    formula = parse(text, params)
    np.testing.assert_allclose(formula(points), reference(points), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(("text", "params", "reference", "points"), CASES, ids=[c[0] for c in CASES])
def test_derivative_matches_central_difference(text, params, reference, points):
    formula = parse(text, params)
    np.testing.assert_allclose(formula.derivative(points), _central_difference(formula, points), rtol=1e-6, atol=1e-9)


def test_every_function_has_a_derivative_rule():
    x = np.array([0.3, 0.7, 1.9])
    args = {1: "0.5*x + 0.2", 2: "x, 1 - x", 3: None}
    for name, (arity, _) in FUNCTIONS.items():
        if name == "where":
            text = "where(x > 0.5, x**2, 3*x)"
        elif name == "clip":
            text = "clip(2*x, 0.5, 3)"
        else:
            text = f"{name}({args[arity]})"
        formula = parse(text)
        if name != "sign":  # sign is flat away from 0
            assert np.any(formula.derivative(x) != 0), text
        np.testing.assert_allclose(formula.derivative(x), _central_difference(formula, x), rtol=1e-6, atol=1e-9)


def test_known_derivatives_are_exact():
    x = np.linspace(-2.5, 2.5, 11)
    np.testing.assert_array_equal(parse("x**3 - 2*x").derivative(x), 3 * x**2 - 2)
    beta = 1.5
    swish = parse("x * sigmoid(beta * x)", {"beta": beta})
    s = _sigmoid(beta * x)
    np.testing.assert_allclose(swish.derivative(x), s + beta * x * s * (1 - s), rtol=1e-13)
    np.testing.assert_allclose(parse("erf(x)").derivative(x), 2 / math.sqrt(math.pi) * np.exp(-(x**2)), rtol=1e-14)


def test_kinks_use_documented_subgradients():
    at = np.array([-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(parse("relu(x)").derivative(at), [0.0, 0.0, 1.0])  # Keras: 0 at 0
    np.testing.assert_array_equal(parse("maximum(x, 0)").derivative(at), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(parse("clip(x, -1, 1)").derivative(at), [0.0, 1.0, 0.0])
    np.testing.assert_array_equal(parse("abs(x)").derivative(at), [-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(parse("where(x > 0, x, 0.1 * x)").derivative(at), [0.1, 0.1, 1.0])


def test_registry_activations_use_their_own_derivative():
    x = np.linspace(-3, 3, 13)
    for name in ("gelu", "elu", "mish", "selu", "hard_sigmoid"):
        act = activations.get(name)
        formula = parse(f"{name}(2*x)")
        np.testing.assert_allclose(formula(x), act(2 * x), rtol=1e-15)
        np.testing.assert_allclose(formula.derivative(x), 2 * act.derivative(2 * x), rtol=1e-15)


@pytest.mark.parametrize(
    ("text", "derivative"),
    [
        ("x**3 - 2*x", "3*x**2 - 2"),
        ("2*x + 1", "2"),
        ("5", "0"),
        ("beta * x", "beta"),
        ("x**2 / 2", "x"),
        ("where(x > 0, x, 0.1 * x)", "where(x > 0, 1, 0.1)"),
        ("exp(2*x)", "exp(2*x)*2"),
        ("x**p", "p*x**(p - 1)"),
        ("-x**2", "-(2*x)"),
    ],
)
def test_derivative_is_simplified(text, derivative):
    assert parse(text, {"beta": 0.5, "p": 3.0}).derivative_text == derivative


def test_precedence_and_associativity_follow_python():
    one = np.array(1.5)
    cases = {
        "-x**2": -(1.5**2),
        "2**3**2": 512.0,
        "2**-x": 2.0**-1.5,
        "1 - 2 - 3": -4.0,
        "8 / 4 / 2": 1.0,
        "2 + 3 * x": 6.5,
        "(2 + 3) * x": 7.5,
        "-2 * -x": 3.0,
        "+x": 1.5,
        "where(x > 1 or x < 0 and x > 5, 1, 0)": 1.0,  # 'and' binds tighter than 'or'
        "where(not x > 1, 1, 0)": 0.0,
        "where(1 < x <= 1.5 != 2, 1, 0)": 1.0,
        "where(0 < x < 1, 1, 0)": 0.0,
        "1.5e1 + .5 + 1. + 3E-1": 16.8,
        "pi": math.pi,
    }
    for text, expected in cases.items():
        assert parse(text)(one) == pytest.approx(expected, rel=1e-15), text


def test_shapes_constants_and_non_finite_values():
    formula = parse("x * sigmoid(x)")
    grid = np.arange(12, dtype=np.float64).reshape(3, 4) - 6
    assert formula(grid).shape == (3, 4)
    assert formula(2.0).shape == ()
    assert formula([1, 2]).dtype == np.float64
    np.testing.assert_array_equal(parse("2.5")(grid), np.full((3, 4), 2.5))
    np.testing.assert_array_equal(parse("2.5").derivative(grid), np.zeros((3, 4)))
    special = np.array([np.nan, np.inf, -np.inf, 0.0, -1e308, 1e308])
    with np.errstate(all="raise"):  # the formula must silence its own floating-point warnings
        values = parse("where(x > 0, x, 0) + log(x) * 0 + 3")(special)
    assert np.isnan(values[0])  # NaN in -> NaN out, even through where() and constants
    assert np.isnan(parse("3")(special)[0])
    np.testing.assert_array_equal(parse("sigmoid(x)")(special[1:3]), [1.0, 0.0])
    np.testing.assert_array_equal(parse("sigmoid(x)").derivative(np.array([-1e4, 1e4])), [0.0, 0.0])
    assert parse("softplus(x)")(np.array(1e4)) == 1e4
    assert parse("exp(x)")(np.array(1e4)) == np.inf
    assert np.isnan(parse("sqrt(x)")(np.array(-1.0)))


def test_parameters_override_per_call():
    formula = parse("tanh(a*x)/a", {"a": 2.0})
    x = np.array([0.7])
    assert dict(formula.params) == {"a": 2.0}
    assert formula(x, a=0.5)[0] == pytest.approx(math.tanh(0.35) / 0.5)
    assert formula(x)[0] == pytest.approx(math.tanh(1.4) / 2.0)
    with pytest.raises(FormulaError, match="unknown formula parameter 'b'"):
        formula(x, b=1.0)
    with pytest.raises(FormulaError, match="'a' must be finite"):
        formula(x, a=math.inf)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("x", 1.0, "'x' is the input"),
        ("exp", 1.0, "is a function name"),
        ("gelu", 1.0, "is a function name"),
        ("pi", 1.0, "reserved"),
        ("lambda", 1.0, "reserved"),
        ("v", 1.0, "reserved"),  # Activation.jvp(x, v, **params) takes v itself
        ("self", 1.0, "reserved"),
        ("2a", 1.0, "not an identifier"),
        ("be ta", 1.0, "not an identifier"),
        ("β", 1.0, "not an identifier"),
        ("__class__", 1.0, "'__'"),
        ("beta", math.nan, "must be finite"),
        ("beta", math.inf, "must be finite"),
        ("beta", "1", "must be a number"),
        ("beta", True, "must be a number"),
    ],
)
def test_bad_parameters_are_refused(name, value, message):
    with pytest.raises(FormulaError, match=message) as caught:
        parse("x", {name: value})
    assert caught.value.position is None and caught.value.column is None


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("x * sigmoid(bta * x)", 13, "unknown name 'bta'"),
        ("(x + 1", 7, "missing ')'"),
        ("exp(x", 6, "missing ')'"),
        ("x + 1)", 6, "unmatched ')'"),
        ("x +", 4, "the formula ends too early"),
        ("x * (2 -", 9, "the formula ends too early"),
        ("", 1, "the formula is empty"),
        ("   ", 1, "the formula is empty"),
        ("exp(x, 1)", 1, "exp takes 1 argument, got 2"),
        ("1 + where(x > 0, x)", 5, "where takes 3 arguments, got 2"),
        ("maximum(x)", 1, "maximum takes 2 arguments, got 1"),
        ("gelu(x, 2)", 1, "gelu takes 1 argument, got 2"),
        ("tanh()", 1, "tanh takes 1 argument, got 0"),
        ("exp(x,)", 7, "a value is missing before ')'"),
        ("x > 0", 1, "a condition cannot be used as a number"),
        ("where(x, 1, 0)", 7, "the first argument of where must be a condition"),
        ("x + (x > 1)", 6, "a condition cannot be used as a number"),
        ("where(x > 0 and 2, 1, 0)", 17, "the right side of 'and' must be a condition"),
        ("softmax(x)", 1, "acts on a whole layer"),
        ("2x", 2, "right after the number '2'"),
        ("x y", 3, "unexpected 'y'"),
        ("exp", 1, "'exp' is a function"),
        ("x(2)", 1, "'x' is the input, not a function"),
        ("1 + beta(x)", 5, "'beta' is a parameter, not a function"),
        ("1e999 * x", 1, "too large"),
        ("* x", 1, "'*' needs a value on its left"),
        ("x ** * 2", 6, "'*' needs a value on its left"),
        ("()", 1, "empty parentheses"),
        ("x ^ 2", 3, "write powers as a**b"),
        ("x // 2", 3, "floor division"),
        ("and x", 1, "'and' needs a condition on its left"),
    ],
)
def test_errors_name_the_problem_and_its_column(text, column, message):
    with pytest.raises(FormulaError) as caught:
        parse(text, {"beta": 1.0})
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.column == column and error.position == column - 1
    assert message in str(error)
    assert f"at column {column}" in str(error)


def test_unknown_name_suggests_the_close_match():
    with pytest.raises(FormulaError) as caught:
        parse("x * sigmoid(bta * x)", {"beta": 1.0})
    error = caught.value
    assert str(error) == "unknown name 'bta' at column 13 — did you mean 'beta'?"
    assert error.message == "unknown name 'bta'"
    assert error.hint == "did you mean 'beta'?"
    with pytest.raises(FormulaError, match="did you mean 'tanh'"):
        parse("tahn(x)")
    copy = pickle.loads(pickle.dumps(error))
    assert str(copy) == str(error) and copy.column == 13


def test_from_formula_makes_an_unregistered_activation():
    before = activations.names()
    act = from_formula("x * sigmoid(beta * x)", beta=1.5)
    assert activations.names() == before and "custom" not in before
    assert act.name == "custom"
    assert act.formula == "x * sigmoid(beta * x)" and act.guide == "x * sigmoid(beta * x)"
    assert act.family == "Others" and act.elementwise and not act.monotonic
    assert act.output_range == (-math.inf, math.inf)
    beta = act.params["beta"]
    assert (beta.kind, beta.default, beta.doc) == ("float", 1.5, "formula parameter")
    assert (beta.minimum, beta.maximum) == (-1e6, 1e6)
    assert act.defaults() == {"beta": 1.5}

    x = np.linspace(-4, 4, 9)
    np.testing.assert_allclose(act(x), x * _sigmoid(1.5 * x), rtol=1e-13)
    np.testing.assert_allclose(act(x, beta=1.0), activations.get("silu")(x), rtol=1e-13)
    np.testing.assert_allclose(act.derivative(x, beta=1.0), activations.get("silu").derivative(x), rtol=1e-12)
    v = np.arange(9.0)
    np.testing.assert_allclose(act.jvp(x, v), act.derivative(x) * v)
    assert act(x.astype(np.float32)).dtype == np.float32
    with pytest.raises(ValueError, match="parameter 'beta' must be ≤ 1000000"):
        act(x, beta=2e6)
    with pytest.raises(ValueError, match="unknown parameter 'gamma'"):
        act(x, gamma=1.0)


def test_from_formula_without_parameters_and_with_a_huge_default():
    act = from_formula("relu(x) - 0.1*relu(-x)")
    assert dict(act.params) == {}
    np.testing.assert_allclose(act([-2.0, 3.0]), [-0.2, 3.0])
    huge = from_formula("x / s", s=5e7)
    assert huge.params["s"].minimum is None and huge.params["s"].maximum is None
    assert huge(np.array([1e8]))[0] == pytest.approx(2.0)
    with pytest.raises(FormulaError, match="unknown name 'y'"):
        from_formula("x + y")
