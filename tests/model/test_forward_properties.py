"""Property tests of Network.forward for any network up to the size limits and any finite input.

Networks are drawn with every activation (glu layers get an even number of units), random valid parameters
(within each Param's bounds), several custom formulas, and weights, biases and inputs that are any finite
floats up to ±1e300 (hypothesis favours the awkward ones: 0, -0.0, subnormals, the largest magnitudes).

- Deterministic: the same network and input give bit-identical results twice, and from a copy (NaN too).
- A batch is its rows: row r of ``forward(X)`` is bit for bit ``forward(X[r])`` (np.array_equal with NaN equal
  to NaN, and the same sign of zero). The weighted sums use einsum, not BLAS, for exactly this.
- ``forward_from(k, previous)`` after an edit of layer k is bit for bit a full forward pass.
- Finite wherever the maths is finite, under a precondition that rules out overflow (what a finite float can
  hold is the limit, not the network):
  * bounded activations (every layer's output range is finite): every |weight|, |bias| and |input| ≤ 1e150,
    so a first-layer product is ≤ 1e300 and a sum of at most 256 of them (plus the bias) stays below 1e303;
    every later layer reads values bounded by 6 (relu6) and sums even less.
  * any activation but ``exponential`` (e^z leaves the float range from z = 710) and celu with α < 0 (which
    is e^(|x/α|) for x < 0), custom formulas that are finite for every finite input, |input| ≤ 1e3 and
    |weight|, |bias|, |parameter| ≤ 10: each layer scales
    magnitudes by at most 256·10·10·1.06 + 10 < 3e4, so 17 layers stay below 1e3·(3e4)^17 < 1e80 and even
    the cubes inside gelu's tanh approximation (< 1e240) are finite.

Hypothesis runs derandomized (a fixed sequence of examples) with no deadline. Networks are drawn small for the
many-example tests and up to the limits (16 hidden layers, 256 neurons per layer) for a few examples only, so the
file stays fast.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from neuroviz.model import Layer, Network, activations
from neuroviz.model.activations import Param
from neuroviz.model.network import CUSTOM_ACTIVATION, MAX_HIDDEN_LAYERS, MAX_UNITS

ALL = activations.primary_names()
BOUNDED = [a.name for a in activations.catalog() if all(math.isfinite(v) for v in a.output_range)]
#: Every activation whose values stay in range for moderate inputs (exponential: e^z overflows for z > 709).
MODERATE = [name for name in ALL if name != "exponential"]
#: Custom formulas that are finite for every finite input (given parameters within ±10), by parameter names.
SAFE_FORMULAS = [
    ("x * sigmoid(beta * x)", ("beta",)),
    ("where(x > 0, x, alpha * expm1(x))", ("alpha",)),
    ("tanh(x) + 0.1 * softplus(x)", ()),
    ("sin(omega * x) / (1 + x**2)", ("omega",)),
    ("clip(x, low, high) + gelu(x)", ("low", "high")),
]
#: Formulas that overflow, divide by zero or leave their domain for some inputs.
WILD_FORMULAS = [
    ("exp(x) - x**3", ()),
    ("log(abs(x)) * c", ("c",)),
    ("x / (x - c)", ("c",)),
    ("sqrt(x) + cosh(x)", ()),
]
#: Parameters that make an activation an exponential of its input when negative: celu with α < 0 is
#: α·(e^(x/α) − 1), which grows like e^(|x/α|) for x < 0 and overflows as ``exponential`` does.
EXPONENTIAL_WHEN_NEGATIVE = {("celu", "alpha")}
#: The largest |weight|, |bias|, |parameter| and |input| each kind of test draws.
WILD = 1e300
BOUNDED_SAFE = 1e150
MODERATE_WEIGHTS, MODERATE_INPUTS = 10.0, 1e3

SMALL = settings(max_examples=100, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LARGE = settings(max_examples=6, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def finite(magnitude: float) -> st.SearchStrategy[float]:
    return st.floats(-magnitude, magnitude, allow_nan=False, allow_infinity=False)


#: Arrays up to this many numbers are drawn number by number; larger ones would exhaust hypothesis's budget.
DRAWN_ONE_BY_ONE = 64


def float_arrays(shape: tuple[int, ...], magnitude: float) -> st.SearchStrategy[np.ndarray]:
    """Finite floats up to ±magnitude, every one drawn on its own (no repeated fill value) for small arrays;
    large ones (up to 256 × 512) from a drawn seed, with signs at random and magnitudes spread log-uniformly
    from 1e-8 up to ``magnitude``."""
    if math.prod(shape) <= DRAWN_ONE_BY_ONE:
        return hnp.arrays(np.float64, shape, elements=finite(magnitude), fill=st.nothing())
    return st.integers(0, 2**32 - 1).map(lambda seed: _spread(shape, magnitude, seed))


def _spread(shape: tuple[int, ...], magnitude: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    exponents = rng.uniform(-8.0, math.log10(magnitude), shape)
    return np.clip(rng.choice([-1.0, 1.0], shape) * 10.0**exponents, -magnitude, magnitude)


def param_value(param: Param, units: int, magnitude: float, positive: bool = False) -> st.SearchStrategy:
    """Any value ``param`` accepts within its bounds, capped at ±magnitude (axis stays -1, the layer's);
    ``positive``: only values above 0."""
    if param.kind == "bool":
        return st.booleans()
    if param.kind == "int":
        return st.just(param.default)
    low = -magnitude if param.minimum is None else max(param.minimum, -magnitude)
    high = magnitude if param.maximum is None else min(param.maximum, magnitude)
    if positive:
        low = max(low, 0.0)
    number = st.floats(low, high, allow_nan=False, allow_infinity=False, exclude_min=positive)
    if param.kind == "optional_float":
        return st.none() | number
    if param.kind == "per_neuron":
        return number | float_arrays((units,), magnitude).map(lambda values: np.clip(values, low, high))
    return number


@st.composite
def layer_activation(
    draw, names: list[str], formulas: list, units: int, magnitude: float, moderate: bool = False
) -> tuple:
    """(activation, params, formula) for a layer of ``units`` units: a registry activation or a formula."""
    choice = draw(st.sampled_from([*names, *formulas]))
    if isinstance(choice, tuple):
        text, names_used = choice
        return CUSTOM_ACTIVATION, {name: draw(finite(magnitude)) for name in names_used}, text
    act = activations.get(choice)
    params = {}
    for name, param in act.params.items():
        positive = moderate and (act.name, name) in EXPONENTIAL_WHEN_NEGATIVE
        params[name] = draw(param_value(param, units, magnitude, positive))
    if act.validator is not None:  # celu refuses alpha = 0 beyond its bounds
        try:
            act.validator(params)
        except ValueError:
            params = act.defaults()
    return act.name, params, None


@st.composite
def networks(
    draw,
    names: list[str],
    max_hidden: int,
    max_units: int,
    magnitude: float,
    formulas: list = (),
    moderate: bool = False,
) -> Network:
    """A network of random shape, activations, parameters, weights and biases (all finite, up to ±magnitude).

    ``moderate``: keep the parameters of :data:`EXPONENTIAL_WHEN_NEGATIVE` positive.
    """
    hidden = draw(st.integers(0, max_hidden) | st.just(max_hidden))  # the limit itself, not only small ones
    sizes = st.integers(1, max_units) | st.just(max_units)
    fan_in = draw(sizes)  # the inputs
    layers = []
    for position in range(1, hidden + 2):
        units = draw(sizes)
        name, params, text = draw(layer_activation(names, list(formulas), units, magnitude, moderate))
        if name == "glu":  # 2·units units, so that it outputs units values (glu has no per-neuron parameter)
            units *= 2
        weights = draw(float_arrays((fan_in, units), magnitude))
        biases = draw(float_arrays((units,), magnitude))
        layers.append(Layer(f"layer {position}", weights, biases, name, params, text))
        fan_in = units // 2 if name == "glu" else units
    return Network(layers)


def inputs(net: Network, magnitude: float, rows: int | None = None) -> st.SearchStrategy[np.ndarray]:
    """Finite inputs for ``net`` up to ±``magnitude``: (n_inputs,) or (rows, n_inputs)."""
    shape = (net.n_inputs,) if rows is None else (rows, net.n_inputs)
    return float_arrays(shape, magnitude)


def assert_all_finite(net: Network, x: np.ndarray) -> None:
    p = net.forward(x)
    for k in range(len(p.activations)):
        where = f"position {k} ({'input' if k == 0 else net.layers[k - 1].activation}) of sizes {net.sizes}"
        assert np.all(np.isfinite(p.pre_activations[k])), where
        assert np.all(np.isfinite(p.activations[k])), where
        assert np.all(np.isfinite(p.derivatives[k])), where


def assert_identical(got: np.ndarray, expected: np.ndarray, what: str) -> None:
    """Exactly equal: the same shape, the same numbers, NaN where the other has NaN, the same sign of zero."""
    assert got.shape == expected.shape, what
    assert np.array_equal(got, expected, equal_nan=True), what
    numbers = ~np.isnan(expected)
    assert np.array_equal(np.signbit(got[numbers]), np.signbit(expected[numbers])), what


def assert_same_propagation(got, expected, rows: int | None = None) -> None:
    """Every array of two propagations identical (``rows``: ``got`` row r against ``expected[r]``)."""
    for name in ("pre_activations", "activations", "derivatives"):
        for k, (mine, theirs) in enumerate(zip(getattr(got, name), getattr(expected, name), strict=True)):
            assert_identical(mine if rows is None else mine[rows], theirs, f"{name}[{k}]")


# -- finite where the maths is finite ------------------------------------------------------------------------
@SMALL
@given(st.data())
def test_bounded_activations_stay_finite_for_huge_weights_and_inputs(data):
    net = data.draw(networks(BOUNDED, max_hidden=4, max_units=8, magnitude=BOUNDED_SAFE))
    x = data.draw(inputs(net, BOUNDED_SAFE))
    assert_all_finite(net, x)
    outputs = net.forward(x).outputs
    low, high = activations.get(net.layers[-1].activation).output_range
    assert np.all((outputs >= low) & (outputs <= high))


@LARGE
@given(st.data())
def test_bounded_activations_stay_finite_up_to_the_size_limits(data):
    net = data.draw(networks(BOUNDED, max_hidden=MAX_HIDDEN_LAYERS, max_units=MAX_UNITS, magnitude=BOUNDED_SAFE))
    assert_all_finite(net, data.draw(inputs(net, BOUNDED_SAFE)))


@SMALL
@given(st.data())
def test_any_activation_and_formula_stays_finite_for_moderate_numbers(data):
    net = data.draw(networks(MODERATE, 4, 8, MODERATE_WEIGHTS, SAFE_FORMULAS, moderate=True))
    assert_all_finite(net, data.draw(inputs(net, MODERATE_INPUTS)))


@LARGE
@given(st.data())
def test_any_activation_stays_finite_up_to_the_size_limits(data):
    net = data.draw(networks(MODERATE, MAX_HIDDEN_LAYERS, MAX_UNITS, MODERATE_WEIGHTS, SAFE_FORMULAS, moderate=True))
    assert_all_finite(net, data.draw(inputs(net, MODERATE_INPUTS)))


def test_the_largest_network_is_covered():
    """The size limits themselves: 16 hidden layers of 256 neurons, 256 inputs, finite through and through."""
    net = Network.from_sizes([MAX_UNITS] * (MAX_HIDDEN_LAYERS + 2), activations=["tanh"] * 16 + ["softmax"])
    x = np.random.default_rng(3).uniform(-1e250, 1e250, size=MAX_UNITS)
    assert_all_finite(net, x)
    assert abs(net.forward(x).outputs.sum() - 1.0) < 1e-12


# -- deterministic -------------------------------------------------------------------------------------------
@SMALL
@given(st.data())
def test_the_same_input_gives_the_same_result_twice(data):
    net = data.draw(networks(ALL, 4, 8, WILD, SAFE_FORMULAS + WILD_FORMULAS))
    x = data.draw(inputs(net, WILD))  # huge on purpose: overflow and NaN must repeat exactly too
    first, second = net.forward(x), net.forward(x)
    again = net.copy().forward(x.copy())
    for result in (second, again):
        for name in ("pre_activations", "activations", "derivatives"):
            for k, (a, b) in enumerate(zip(getattr(first, name), getattr(result, name), strict=True)):
                assert a.tobytes() == b.tobytes(), f"{name}[{k}]"  # bit for bit, NaN payloads included


# -- a batch is its rows -------------------------------------------------------------------------------------
def assert_batch_equals_rows(net: Network, batch: np.ndarray) -> None:
    together = net.forward(batch)
    for r, row in enumerate(batch):
        assert_same_propagation(together, net.forward(row), rows=r)


@SMALL
@given(st.data())
def test_a_batch_gives_exactly_the_result_of_row_by_row(data):
    net = data.draw(networks(ALL, 4, 8, WILD, SAFE_FORMULAS + WILD_FORMULAS))
    rows = data.draw(st.integers(1, 6))
    assert_batch_equals_rows(net, data.draw(inputs(net, WILD, rows)))


@SMALL
@given(st.data())
def test_a_batch_gives_exactly_the_result_of_row_by_row_for_moderate_numbers(data):
    """As above where most values stay finite, so the comparison is of numbers rather than of infinities."""
    net = data.draw(networks(MODERATE, 4, 8, MODERATE_WEIGHTS, SAFE_FORMULAS))
    rows = data.draw(st.integers(1, 6))
    assert_batch_equals_rows(net, data.draw(inputs(net, MODERATE_INPUTS, rows)))


@LARGE
@given(st.data())
def test_a_batch_gives_exactly_the_result_of_row_by_row_up_to_the_size_limits(data):
    net = data.draw(networks(ALL, MAX_HIDDEN_LAYERS, MAX_UNITS, MODERATE_WEIGHTS, SAFE_FORMULAS + WILD_FORMULAS))
    assert_batch_equals_rows(net, data.draw(inputs(net, MODERATE_INPUTS, 3)))


def test_a_wide_layer_gives_a_batch_exactly_its_rows():
    """256 × 256, where BLAS (behind ``@``) sums a batch in another order than a single row."""
    rng = np.random.default_rng(7)
    net = Network.from_sizes([MAX_UNITS, MAX_UNITS, MAX_UNITS], ["tanh", "linear"], seed=7)
    assert_batch_equals_rows(net, rng.standard_normal((7, MAX_UNITS)))


def test_infinity_minus_infinity_in_a_weighted_sum_is_nan():
    """1e300·1e300 overflows to +inf and -1e300·1e300 to -inf: their sum is NaN (IEEE 754), for one sample and
    for a batch alike. BLAS gave +inf for the sample and -inf for the batch."""
    net = Network.from_sizes([3, 1], ["linear"])
    net.layers[0].weights[:] = 1e300
    x = np.array([1e300, -1e300, 1.0])
    assert np.isnan(net.forward(x).outputs).all()
    assert np.isnan(net.forward([x, x, x]).outputs).all()
    assert np.isnan(net.forward(x).pre_activations[1]).all()


# -- forward_from --------------------------------------------------------------------------------------------
@SMALL
@given(st.data())
def test_forward_from_after_an_edit_is_exactly_a_full_forward(data):
    net = data.draw(networks(ALL, 4, 8, WILD, SAFE_FORMULAS + WILD_FORMULAS))
    x = data.draw(inputs(net, WILD, data.draw(st.none() | st.integers(1, 4))))
    before = net.forward(x)
    k = data.draw(st.integers(1, len(net.layers)))
    layer = net.layers[k - 1]
    i, j = data.draw(st.integers(0, layer.fan_in - 1)), data.draw(st.integers(0, layer.units - 1))
    net.set_weight(k, i, j, data.draw(finite(WILD)))
    assert_same_propagation(net.forward_from(k, before), net.forward(x))


def test_properties_are_checked_on_networks_that_matter():
    """The strategies are not vacuous: bounded activations include the sigmoid family and softmax, the moderate
    set every activation but exponential, every parametrised activation gets parameters drawn, the formulas
    parse, and the largest drawable network is the documented limit."""
    assert {"sigmoid", "tanh", "softmax", "softsign", "hard_sigmoid"} <= set(BOUNDED)
    assert "relu" not in BOUNDED and "exponential" not in MODERATE
    assert len(MODERATE) == len(ALL) - 1
    assert (MAX_HIDDEN_LAYERS, MAX_UNITS) == (16, 256)
    for text, names in SAFE_FORMULAS + WILD_FORMULAS:
        Network.from_sizes([2, 2]).set_custom_activation(1, text, **dict.fromkeys(names, 1.0))
    parametrised = [a for a in activations.catalog() if any(p.kind != "int" for p in a.params.values())]
    assert {"relu", "prelu", "elu", "celu", "gelu", "squareplus", "threshold"} <= {a.name for a in parametrised}
