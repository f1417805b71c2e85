"""Values, derivatives and Jacobian-vector products of every activation against independent references.

The references are written from the textbook formulas with Python's ``decimal`` module at 120 digits (no
overflow, no cancellation at these inputs; erf from its series), so they share no code with the NumPy
implementation. Keras agreement is checked against ``tests/fixtures/keras_activations.json``.
"""

from __future__ import annotations

import decimal
import json
import math
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from neuroviz.model import activations

CONTEXT = decimal.Context(
    prec=120,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero],  # overflow gives Infinity, underflow 0
)
PI = Decimal(
    "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798214808651"
    "32823066470938446095505822317253594081284811174502841027019385211055596446229489549303819644288109756659334461"
)
SELU_ALPHA = Decimal("1.6732632423543772848170429916717")
SELU_SCALE = Decimal("1.0507009873554804934193349852946")
FIXTURE = Path(__file__).parent.parent / "fixtures" / "keras_activations.json"


# -- references from the formulas (Decimal in, Decimal or float out) -----------------------------------------
def _exp(v: Decimal) -> Decimal:
    return CONTEXT.exp(v)


def _sigmoid(x: Decimal) -> Decimal:
    return 1 / (1 + _exp(-x)) if x >= 0 else _exp(x) / (1 + _exp(x))


def _tanh(x: Decimal) -> Decimal:
    e = _exp(-2 * abs(x))
    return (1 - e) / (1 + e) * (1 if x >= 0 else -1)


def _softplus(x: Decimal) -> Decimal:
    # log(1 + e^x); for x > 0 written as x + log(1 + e^-x) so that e^x cannot overflow at x = 1e38
    return x + CONTEXT.ln(1 + _exp(-x)) if x > 0 else CONTEXT.ln(1 + _exp(x))


def _elu(x: Decimal, alpha: Decimal) -> Decimal:
    return x if x >= 0 else alpha * (_exp(x) - 1)


def _relu(x: Decimal, negative_slope=0.0, max_value=None, threshold=0.0) -> Decimal:
    s, t = Decimal(negative_slope), Decimal(threshold)
    if s != 0 and max_value is None and t == 0:  # Keras computes this case as leaky_relu
        return max(x, s * x)
    kept = x if x > t else Decimal(0)
    if max_value is not None:
        kept = min(max(kept, Decimal(0)), Decimal(max_value))
    elif t == 0:
        kept = max(kept, Decimal(0))
    return kept - s * max(t - x, Decimal(0))


def _erf(z: Decimal) -> Decimal:
    """erf from its everywhere-positive series 2/√π·e^(-z²)·Σ 2ⁿ z^(2n+1)/(2n+1)!!."""
    magnitude = abs(z)
    term = total = magnitude
    n = 0
    while term > total * Decimal("1e-125"):
        n += 1
        term = term * 2 * magnitude * magnitude / (2 * n + 1)
        total += term
    value = 2 / CONTEXT.sqrt(PI) * _exp(-magnitude * magnitude) * total
    return value if z >= 0 else -value


def _gelu(x: Decimal, approximate=False) -> Decimal:
    if approximate:
        u = CONTEXT.sqrt(2 / PI) * (x + Decimal("0.044715") * x**3)
        return x / 2 * (1 + _tanh(u)) if u > -50 else x * _sigmoid(2 * u)  # 1 + tanh(u) = 2σ(2u)
    if abs(x) > 40:  # Φ(x) is 1, or below 1e-349 so that x·Φ(x) underflows: float64 cannot tell
        return x if x > 0 else Decimal(0)
    assert abs(x) <= 10, "1 + erf cancels beyond this at 120 digits"
    return x / 2 * (1 + _erf(x / CONTEXT.sqrt(Decimal(2))))


def _clip(x: Decimal, low, high) -> Decimal:
    return min(max(x, Decimal(low)), Decimal(high))


REFERENCES = {
    "relu": _relu,
    "leaky_relu": lambda x, negative_slope=0.2: max(x, Decimal(negative_slope) * x),
    "prelu": lambda x, alpha=0.25: max(x, Decimal(0)) + Decimal(alpha) * min(x, Decimal(0)),
    "relu6": lambda x: _clip(x, 0, 6),
    "elu": lambda x, alpha=1.0: _elu(x, Decimal(alpha)),
    "selu": lambda x: SELU_SCALE * _elu(x, SELU_ALPHA),
    "celu": lambda x, alpha=1.0: max(x, Decimal(0)) + Decimal(alpha) * (_exp(min(x, Decimal(0)) / Decimal(alpha)) - 1),
    "threshold": lambda x, threshold=0.0, default_value=0.0: x if x > Decimal(threshold) else Decimal(default_value),
    "sigmoid": _sigmoid,
    "tanh": _tanh,
    "hard_sigmoid": lambda x: _clip(x / 6 + Decimal("0.5"), 0, 1),
    "sparse_sigmoid": lambda x: _clip((x + 1) / 2, 0, 1),
    "hard_tanh": lambda x: _clip(x, -1, 1),
    "log_sigmoid": lambda x: -_softplus(-x),
    "softsign": lambda x: x / (1 + abs(x)),
    "softplus": _softplus,
    "silu": lambda x: x * _sigmoid(x),
    "gelu": _gelu,
    "mish": lambda x: x * _tanh(_softplus(x)),
    "hard_silu": lambda x: x * _clip(x / 6 + Decimal("0.5"), 0, 1),
    "squareplus": lambda x, b=4.0: (x + CONTEXT.sqrt(x * x + Decimal(b))) / 2,
    "sparse_plus": lambda x: Decimal(0) if x <= -1 else ((x + 1) ** 2 / 4 if x < 1 else x),
    "linear": lambda x: x,
    "exponential": _exp,
    "soft_shrink": lambda x, threshold=0.5: (
        x - Decimal(threshold) if x > threshold else (x + Decimal(threshold) if x < -threshold else Decimal(0))
    ),
    "hard_shrink": lambda x, threshold=0.5: x if abs(x) > threshold else Decimal(0),
    "tanh_shrink": lambda x: x - _tanh(x),
}


def reference(name: str, x, **params) -> np.ndarray:
    """The reference evaluated pointwise in 120-digit decimal arithmetic, rounded to float64."""
    with decimal.localcontext(CONTEXT):
        return np.array([float(REFERENCES[name](Decimal(float(v)), **params)) for v in np.ravel(x)]).reshape(
            np.shape(x)
        )


def softmax_reference(row) -> np.ndarray:
    with decimal.localcontext(CONTEXT):
        e = [_exp(Decimal(float(v))) for v in row]
        return np.array([float(v / sum(e)) for v in e])


def log_softmax_reference(row) -> np.ndarray:
    with decimal.localcontext(CONTEXT):
        log_total = CONTEXT.ln(sum(_exp(Decimal(float(v))) for v in row))
        return np.array([float(Decimal(float(v)) - log_total) for v in row])


def sparsemax_reference(row) -> np.ndarray:
    """Projection onto the simplex by bisection on τ in Σ max(xᵢ − τ, 0) = 1 (no sorting), then exact τ."""
    row = [float(v) for v in row]
    low, high = min(row) - 1.0, max(row)
    for _ in range(200):
        tau = (low + high) / 2
        low, high = (tau, high) if sum(max(v - tau, 0.0) for v in row) > 1 else (low, tau)
    support = [v for v in row if v > tau]
    tau = (math.fsum(support) - 1) / len(support)
    return np.array([max(v - tau, 0.0) for v in row])


def glu_reference(row) -> np.ndarray:
    k = len(row) // 2
    return np.array([row[i] * float(reference("sigmoid", row[k + i])) for i in range(k)])


# -- the cases -----------------------------------------------------------------------------------------------
#: (name, params): every elementwise activation with its defaults plus the settings that change the shape.
ELEMENTWISE_CASES = [(name, {}) for name in REFERENCES] + [
    ("relu", {"negative_slope": 0.5}),
    ("relu", {"negative_slope": 1.5}),
    ("relu", {"max_value": 2.5}),
    ("relu", {"threshold": 1.5}),
    ("relu", {"threshold": -2.5}),
    ("relu", {"threshold": -2.5, "max_value": 1.0}),
    ("relu", {"negative_slope": 0.3, "threshold": -1.0}),
    ("relu", {"negative_slope": 0.7, "max_value": 3.0, "threshold": 2.0}),
    ("leaky_relu", {"negative_slope": 0.01}),
    ("prelu", {"alpha": -0.4}),
    ("elu", {"alpha": 0.5}),
    ("elu", {"alpha": -0.5}),
    ("celu", {"alpha": 0.5}),
    ("celu", {"alpha": 3.0}),
    ("threshold", {"threshold": 1.0, "default_value": -2.0}),
    ("gelu", {"approximate": True}),
    ("squareplus", {"b": 0.0}),
    ("squareplus", {"b": 1.0}),
    ("soft_shrink", {"threshold": 1.5}),
    ("soft_shrink", {"threshold": 0.0}),
    ("hard_shrink", {"threshold": 1.5}),
]
CASE_IDS = [f"{name}-{params}" if params else name for name, params in ELEMENTWISE_CASES]

ORDINARY = np.linspace(-5.0, 5.0, 41)
TINY = np.array([-1e-7, 1e-7])
LARGE = np.array([-1e4, 1e4])
HUGE = np.array([-1e38, 1e38])
#: Where piecewise definitions switch branch.
KINKS = np.array([-6.0, -3.0, -2.5, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 6.0])
#: Points at least 0.012 away from every kink, for finite differences.
SMOOTH_POINTS = np.arange(-7.9, 8.0, 0.2) + 0.0123


def test_reference_pi_and_erf_are_right():
    assert float(PI) == math.pi
    with decimal.localcontext(CONTEXT):
        for z in [-3.0, -0.5, 1e-7, 1.0, 2.5]:
            assert float(_erf(Decimal(z))) == pytest.approx(math.erf(z), rel=1e-15)


def test_every_elementwise_activation_has_a_reference():
    elementwise = {a.name for a in activations.catalog() if a.elementwise}
    assert elementwise == set(REFERENCES)


@pytest.mark.parametrize(("name", "params"), ELEMENTWISE_CASES, ids=CASE_IDS)
@pytest.mark.parametrize(
    "points", [ORDINARY, TINY, LARGE, HUGE, KINKS], ids=["ordinary", "tiny", "large", "huge", "kinks"]
)
def test_values_match_reference(name, params, points):
    ours = activations.get(name)(points, **params)
    assert ours.dtype == np.float64
    np.testing.assert_allclose(ours, reference(name, points, **params), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize(("name", "params"), ELEMENTWISE_CASES, ids=CASE_IDS)
def test_float32_values_are_the_reference_rounded(name, params):
    points = np.concatenate([ORDINARY, TINY, LARGE, HUGE, KINKS]).astype(np.float32)
    ours = activations.get(name)(points, **params)
    assert ours.dtype == np.float32
    expected = reference(name, points, **params).astype(np.float32)
    np.testing.assert_allclose(ours, expected, rtol=2e-7, atol=1e-44)


def _central_difference(function, x: np.ndarray) -> np.ndarray:
    h = 1e-6 * np.maximum(1.0, np.abs(x))
    return (function(x + h) - function(x - h)) / (2 * h)


@pytest.mark.parametrize(("name", "params"), ELEMENTWISE_CASES, ids=CASE_IDS)
def test_derivative_matches_finite_differences(name, params):
    act = activations.get(name)
    expected = _central_difference(lambda x: act(x, **params), SMOOTH_POINTS)
    np.testing.assert_allclose(act.derivative(SMOOTH_POINTS, **params), expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(("name", "params"), ELEMENTWISE_CASES, ids=CASE_IDS)
def test_derivative_stays_finite_and_exact_in_the_tails(name, params):
    act = activations.get(name)
    far = np.array([-1e38, -1e4, -50.0, 50.0, 1e4, 1e38])
    slopes = act.derivative(far, **params)
    if name == "exponential":
        with np.errstate(over="ignore"):
            np.testing.assert_array_equal(slopes, np.exp(far))
        return
    assert np.all(np.isfinite(slopes)), slopes
    # Far out every one of these is nearly linear: a central difference with a step of 1e-5·|x| is exact to
    # ~1e-6 relative, and an overflowing formula would give inf or NaN instead.
    h = 1e-5 * np.abs(far)
    expected = (act(far + h, **params) - act(far - h, **params)) / (2 * h)
    np.testing.assert_allclose(slopes, expected, rtol=1e-5, atol=1e-12)


# -- specific exactness claims -------------------------------------------------------------------------------
def test_stable_functions_are_exact_far_out():
    """Spot values a naive formula gets wrong (overflow to inf/NaN or cancellation to 0)."""
    get = activations.get
    assert get("sigmoid")(-1e4) == 0.0 and get("sigmoid")(-745.0) > 0
    assert get("sigmoid")(-700.0) == pytest.approx(math.exp(-700.0), rel=1e-13)
    assert get("softplus")(1e38) == 1e38 and get("softplus")(-700.0) == pytest.approx(math.exp(-700.0), rel=1e-13)
    assert get("log_sigmoid")(-1e38) == -1e38
    assert get("log_sigmoid")(40.0) == pytest.approx(-math.exp(-40.0), rel=1e-13)
    assert get("silu")(-700.0) == pytest.approx(-700.0 * math.exp(-700.0), rel=1e-13)
    assert get("mish")(-60.0) == pytest.approx(-60.0 * math.exp(-60.0), rel=1e-12)
    assert get("gelu")(-30.0) == pytest.approx(-30.0 * math.erfc(30.0 / math.sqrt(2)) / 2, rel=1e-12)
    assert get("gelu")(-30.0) != 0.0  # 1 + erf(x/√2) would cancel to 0 here
    assert get("squareplus")(-1e38) == pytest.approx(1e-38, rel=1e-12)  # b / (4|x|)
    x32 = np.float32(-1e38)
    assert get("squareplus")(x32) == np.float32(-1.0 / float(x32))  # b/(4|x|) with b = 4, no float32 overflow
    assert get("elu")(-1e-300) == -1e-300 and get("celu")(-1e-300) == -1e-300
    assert get("tanh_shrink")(1e-7) == pytest.approx(1e-21 / 3, rel=1e-12)
    np.testing.assert_allclose(activations.get("softmax")([1e38, -1e38, 1e38]), [0.5, 0.0, 0.5])
    np.testing.assert_allclose(activations.get("log_softmax")([1e4, 0.0]), [-math.exp(-1e4), -1e4], atol=0)


def test_exponential_overflows_to_inf_like_numpy():
    values = activations.get("exponential")([800.0, -800.0, 1.0])
    assert values[0] == math.inf and values[1] == 0.0 and values[2] == pytest.approx(math.e)
    assert activations.get("exponential")(np.float32(100.0)) == np.float32(np.inf)


# -- layer-wide activations ----------------------------------------------------------------------------------
ROWS = np.array(
    [
        [0.1, 0.2, 0.3, -0.5, 1.7, -2.0],
        [1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        [3.0, -1.0, 0.5, 2.9, -7.0, 0.0],
        [1e4, -1e4, 0.0, 1.0, 2.0, 1e4],
    ]
)
LAYER_REFERENCES = {
    "softmax": softmax_reference,
    "log_softmax": log_softmax_reference,
    "sparsemax": sparsemax_reference,
    "glu": glu_reference,
}


@pytest.mark.parametrize("name", sorted(LAYER_REFERENCES))
def test_layer_wide_values_match_reference_for_one_sample_and_a_batch(name):
    act = activations.get(name)
    expected = np.array([LAYER_REFERENCES[name](row) for row in ROWS])
    np.testing.assert_allclose(act(ROWS), expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(act(ROWS[2]), expected[2], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(act(ROWS.T, axis=0), expected.T, rtol=1e-12, atol=1e-15)


def test_layer_wide_activations_are_the_only_non_elementwise_ones():
    assert {a.name for a in activations.catalog() if not a.elementwise} == set(LAYER_REFERENCES)


def _finite_difference_jacobian(function, x: np.ndarray) -> np.ndarray:
    h = 1e-6
    columns = []
    for j in range(x.size):
        step = np.zeros_like(x)
        step[j] = h
        columns.append((function(x + step) - function(x - step)) / (2 * h))
    return np.stack(columns, axis=-1)


JACOBIAN_POINTS = [
    np.array([0.1, 0.2, 0.3, -0.5]),
    np.array([0.8, -1.3, 2.2, 0.45, -0.2, 1.1]),
    np.array([2.0, -2.0, 0.3, 0.31, 5.0, -4.0, 1.0, 0.0]),
]


@pytest.mark.parametrize("name", sorted(LAYER_REFERENCES))
@pytest.mark.parametrize("x", JACOBIAN_POINTS, ids=["4", "6", "8"])
def test_jvp_and_derivative_match_finite_difference_jacobian(name, x):
    act = activations.get(name)
    jacobian = _finite_difference_jacobian(act, x)
    v = np.random.default_rng(7).standard_normal(x.size)
    np.testing.assert_allclose(act.jvp(x, v), jacobian @ v, rtol=1e-6, atol=1e-8)
    if name == "glu":  # derivative has the input's shape: ∂out_i/∂a_i, then ∂out_i/∂b_i
        k = x.size // 2
        expected_derivative = np.concatenate([np.diag(jacobian[:, :k]), np.diag(jacobian[:, k:])])
    else:
        expected_derivative = np.diag(jacobian)
    np.testing.assert_allclose(act.derivative(x), expected_derivative, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", sorted(LAYER_REFERENCES))
def test_jvp_along_axis_0_of_a_batch_matches_per_column_jvp(name):
    act = activations.get(name)
    batch = np.stack([JACOBIAN_POINTS[1], 0.7 * JACOBIAN_POINTS[1][::-1]], axis=1)  # two samples in columns
    v = np.random.default_rng(3).standard_normal(batch.shape)
    per_column = np.stack([act.jvp(batch[:, j], v[:, j]) for j in range(batch.shape[1])], axis=1)
    np.testing.assert_allclose(act.jvp(batch, v, axis=0), per_column, rtol=1e-12)


def test_elementwise_jvp_is_derivative_times_v():
    act = activations.get("tanh")
    x, v = np.array([-1.0, 0.5, 2.0]), np.array([2.0, -1.0, 0.5])
    np.testing.assert_allclose(act.jvp(x, v), (1 - np.tanh(x) ** 2) * v, rtol=1e-14)


# -- Keras 3.15 agreement ------------------------------------------------------------------------------------
KERAS = json.loads(FIXTURE.read_text())


def _keras_case_id(case: dict) -> str:
    return f"{case['name']}-{case['params']}-{case['shape']}"


def test_reference_file_comes_from_keras_3_15_and_covers_every_keras_function():
    assert KERAS["keras_version"].startswith("3.15")
    keras_functions = {n for n in activations.names() if n != "prelu"}
    assert {case["name"] for case in KERAS["cases"]} == keras_functions | {"prelu"}


@pytest.mark.parametrize("case", [c for c in KERAS["cases"] if c["name"] != "sparsemax"], ids=_keras_case_id)
def test_values_agree_with_keras_to_float32_precision(case):
    x = np.array(case["x"], dtype=np.float32).reshape(case["shape"])
    keras_values = np.array(case["y"], dtype=np.float32)
    ours = activations.get(case["name"])(x, **case["params"])
    assert ours.dtype == np.float32
    ours = ours.ravel()
    if case["name"] == "squareplus":
        # For x ≪ 0 Keras's float32 x + √(x² + b) cancels (to 0 at x = -1e4); there ours must equal the exact
        # value, and Keras is only close in absolute terms.
        cancels = x.ravel() < -5
        exact = reference("squareplus", x.ravel()[cancels], **case["params"]).astype(np.float32)
        np.testing.assert_allclose(ours[cancels], exact, rtol=1e-6)
        np.testing.assert_allclose(keras_values[cancels], exact, atol=5e-4)
        ours, keras_values = ours[~cancels], keras_values[~cancels]
    np.testing.assert_allclose(ours, keras_values, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("case", [c for c in KERAS["cases"] if c["name"] == "sparsemax"], ids=_keras_case_id)
def test_sparsemax_is_the_correct_projection_where_keras_is_wrong(case):
    x = np.array(case["x"], dtype=np.float32).reshape(case["shape"])
    ours = activations.get("sparsemax")(x)
    expected = np.apply_along_axis(sparsemax_reference, -1, x.astype(np.float64))
    np.testing.assert_allclose(ours, expected, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(ours.sum(axis=-1), 1.0, rtol=1e-6)


def test_keras_sparsemax_bug_is_recorded_in_the_reference_file():
    """keras-team/keras issue 23425: Keras 3.15.1 gets sparsemax([.1, .2, .3, -.5]) wrong; we do not."""
    (case,) = [c for c in KERAS["cases"] if c["name"] == "sparsemax" and c["shape"] == [4]]
    keras_values = np.array(case["y"])
    correct = np.array([0.7 / 3, 1.0 / 3, 1.3 / 3, 0.0])
    assert abs(keras_values.sum() - 1.0) > 0.5  # Keras's output is not even a probability vector
    assert not np.allclose(keras_values, correct, atol=1e-3)
    np.testing.assert_allclose(activations.get("sparsemax")(case["x"]), correct, rtol=1e-12)
