"""Property tests of Network.forward for any network up to the size limits and any finite input.

- Finite wherever the maths is finite: with bounded activations (every layer's output range is finite) every
  value and derivative is finite for inputs as large as ±1e250; with any activation but ``exponential`` (whose
  e^z leaves the float range long before z does) everything is finite for inputs up to ±1e3.
- Deterministic: the same network and input give bit-identical results twice (NaN in the same places).
- A batch gives the rows' results: ``forward(X)`` row r equals ``forward(X[r])`` up to the last bits (NumPy's
  matrix-matrix and matrix-vector products sum in different orders, so bitwise equality is not promised).

Hypothesis runs derandomized (a fixed sequence of examples) with no deadline. Networks are drawn small for the
many-example tests and up to the limits (16 hidden layers, 256 neurons per layer) for a few examples only, so the
file stays fast.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neuroviz.model import Network, activations, initializers
from neuroviz.model.network import MAX_HIDDEN_LAYERS, MAX_UNITS

BOUNDED = [a.name for a in activations.catalog() if all(math.isfinite(v) for v in a.output_range)]
#: Every activation whose values stay in range for moderate inputs (exponential: e^z overflows for z > 709).
MODERATE = [name for name in activations.primary_names() if name != "exponential"]
#: Custom formulas that are finite for every finite input, with their parameters.
SAFE_FORMULAS = [
    ("x * sigmoid(beta * x)", {"beta": 1.5}),
    ("where(x > 0, x, alpha * expm1(x))", {"alpha": 0.7}),
    ("tanh(x) + 0.1 * softplus(x)", {}),
]
KERNELS = initializers.names()

SMALL = settings(max_examples=120, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LARGE = settings(max_examples=8, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def networks(draw, names: list[str], max_hidden: int, max_units: int, formulas: bool = False) -> Network:
    """A network of random shape, activations (glu layers get an even number of units), weights and biases."""
    hidden = draw(st.integers(0, max_hidden))
    n_inputs = draw(st.integers(1, max_units))
    specs = [draw(st.sampled_from(names)) for _ in range(hidden + 1)]
    sizes = [n_inputs]
    for name in specs:
        units = draw(st.integers(1, max_units))
        sizes.append(2 * max(units // 2, 1) if name == "glu" else units)
    net = Network.from_sizes(sizes, activations=specs, seed=draw(st.integers(0, 2**16)))
    bias = draw(st.sampled_from(["zeros", "random_normal", "random_uniform", "ones"]))
    net.reinitialize(None, draw(st.sampled_from(KERNELS)), bias, seed=draw(st.integers(0, 2**16)))
    if formulas:
        for k, layer in enumerate(net.layers, start=1):
            if layer.activation != "glu" and draw(st.integers(0, 3)) == 0:
                text, params = draw(st.sampled_from(SAFE_FORMULAS))
                net.set_custom_activation(k, text, **params)
    return net


def inputs(net: Network, magnitude: float, rows: int | None = None):
    """Finite inputs for ``net`` up to ±``magnitude``: (n_inputs,) or (rows, n_inputs)."""
    shape = (net.n_inputs,) if rows is None else (rows, net.n_inputs)
    element = st.floats(-magnitude, magnitude, allow_nan=False, allow_infinity=False)
    return st.lists(element, min_size=math.prod(shape), max_size=math.prod(shape)).map(
        lambda values: np.asarray(values, dtype=np.float64).reshape(shape)
    )


def assert_all_finite(net: Network, x: np.ndarray) -> None:
    p = net.forward(x)
    for k in range(len(p.activations)):
        where = f"position {k} ({'input' if k == 0 else net.layers[k - 1].activation}) of sizes {net.sizes}"
        assert np.all(np.isfinite(p.pre_activations[k])), where
        assert np.all(np.isfinite(p.activations[k])), where
        assert np.all(np.isfinite(p.derivatives[k])), where


# -- finite where the maths is finite ------------------------------------------------------------------------
@SMALL
@given(st.data())
def test_bounded_activations_stay_finite_for_huge_inputs(data):
    net = data.draw(networks(BOUNDED, max_hidden=4, max_units=8))
    x = data.draw(inputs(net, 1e250))
    assert_all_finite(net, x)
    outputs = net.forward(x).outputs
    low, high = activations.get(net.layers[-1].activation).output_range
    assert np.all((outputs >= low) & (outputs <= high))


@LARGE
@given(st.data())
def test_bounded_activations_stay_finite_up_to_the_size_limits(data):
    net = data.draw(networks(BOUNDED, max_hidden=MAX_HIDDEN_LAYERS, max_units=MAX_UNITS))
    x = data.draw(inputs(net, 1e250))
    assert_all_finite(net, x)


@SMALL
@given(st.data())
def test_any_activation_and_formula_stays_finite_for_moderate_inputs(data):
    net = data.draw(networks(MODERATE, max_hidden=4, max_units=8, formulas=True))
    assert_all_finite(net, data.draw(inputs(net, 1e3)))


@LARGE
@given(st.data())
def test_any_activation_stays_finite_up_to_the_size_limits(data):
    net = data.draw(networks(MODERATE, max_hidden=MAX_HIDDEN_LAYERS, max_units=MAX_UNITS, formulas=True))
    assert_all_finite(net, data.draw(inputs(net, 1e3)))


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
    net = data.draw(networks(activations.primary_names(), max_hidden=4, max_units=8, formulas=True))
    x = data.draw(inputs(net, 1e300))  # huge on purpose: overflow and NaN must repeat exactly too
    first, second = net.forward(x), net.forward(x)
    again = net.copy().forward(x.copy())
    for k in range(len(first.activations)):
        for result in (second, again):
            np.testing.assert_array_equal(first.pre_activations[k], result.pre_activations[k])
            np.testing.assert_array_equal(first.activations[k], result.activations[k])
            np.testing.assert_array_equal(first.derivatives[k], result.derivatives[k])


# -- a batch is its rows -------------------------------------------------------------------------------------
def assert_batch_equals_rows(net: Network, batch: np.ndarray) -> None:
    together = net.forward(batch)
    for r, row in enumerate(batch):
        alone = net.forward(row)
        for k in range(len(alone.activations)):
            for name in ("pre_activations", "activations", "derivatives"):
                got, expected = getattr(together, name)[k][r], getattr(alone, name)[k]
                assert got.shape == expected.shape
                scale = 1.0 + float(np.max(np.abs(expected), initial=0.0))
                np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12 * scale, err_msg=f"{name}[{k}] row {r}")


@SMALL
@given(st.data())
def test_a_batch_gives_the_same_result_as_row_by_row(data):
    net = data.draw(networks(MODERATE, max_hidden=4, max_units=8, formulas=True))
    rows = data.draw(st.integers(1, 6))
    assert_batch_equals_rows(net, data.draw(inputs(net, 1e3, rows)))


@LARGE
@given(st.data())
def test_a_batch_gives_the_same_result_as_row_by_row_up_to_the_size_limits(data):
    net = data.draw(networks(MODERATE, max_hidden=MAX_HIDDEN_LAYERS, max_units=MAX_UNITS))
    assert_batch_equals_rows(net, data.draw(inputs(net, 10.0, 3)))


def test_properties_are_checked_on_networks_that_matter():
    """The strategies are not vacuous: bounded activations include the sigmoid family and softmax, the moderate
    set every activation but exponential, and the largest drawable network is the documented limit."""
    assert {"sigmoid", "tanh", "softmax", "softsign", "hard_sigmoid"} <= set(BOUNDED)
    assert "relu" not in BOUNDED and "exponential" not in MODERATE
    assert len(MODERATE) == len(activations.primary_names()) - 1
    assert (MAX_HIDDEN_LAYERS, MAX_UNITS) == (16, 256)
