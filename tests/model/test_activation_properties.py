"""Invariants of every activation for arbitrary finite float32/float64 input (hypothesis, derandomised)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from neuroviz.model import activations

SETTINGS = settings(derandomize=True, max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(SETTINGS, max_examples=15)
DTYPES = [np.float32, np.float64]
LAYER_WIDE = ["glu", "log_softmax", "softmax", "sparsemax"]
ELEMENTWISE = [name for name in activations.primary_names() if name not in LAYER_WIDE]


def finite_floats(dtype, **bounds) -> st.SearchStrategy[float]:
    """Any finite value of ``dtype``, huge and subnormal magnitudes included."""
    return st.floats(allow_nan=False, allow_infinity=False, width=32 if dtype == np.float32 else 64, **bounds)


def layers(dtype, even: bool = False, elements=None) -> st.SearchStrategy[np.ndarray]:
    """A single sample (1-D) or a batch (2-D) of layer values; ``even`` keeps the last axis even for glu."""
    sides = st.integers(1, 6).map(lambda n: 2 * n) if even else st.integers(1, 12)
    shapes = st.tuples(sides) | st.tuples(st.integers(1, 4), sides)
    elements = finite_floats(dtype) if elements is None else elements
    return shapes.flatmap(lambda shape: hnp.arrays(dtype, shape, elements=elements))


def inputs_for(name: str, dtype) -> st.SearchStrategy[np.ndarray]:
    return layers(dtype, even=name == "glu")


def _strictly(function, *args, **kwargs):
    """Call with every warning turned into an error (a RuntimeWarning would mean an overflow or 0/0)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return function(*args, **kwargs)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("name", activations.primary_names())
def test_finite_input_gives_no_warning_no_nan_stays_in_range_and_keeps_order(name, dtype):
    act = activations.get(name)
    low, high = act.output_range

    @SETTINGS
    @given(x=inputs_for(name, dtype))
    def check(x):
        y = _strictly(act, x)
        slope = _strictly(act.derivative, x)
        jvp = _strictly(act.jvp, x, np.ones_like(x))
        both = _strictly(act.value_and_derivative, x)
        assert y.dtype == slope.dtype == jvp.dtype == both[0].dtype == both[1].dtype == dtype
        np.testing.assert_array_equal(both[0], y)
        np.testing.assert_array_equal(both[1], slope)
        assert not np.any(np.isnan(y)) and not np.any(np.isnan(slope)) and not np.any(np.isnan(jvp))
        if name != "exponential":  # the only one that may overflow to inf, like NumPy
            assert np.all(np.isfinite(slope))
        assert np.all(y.astype(np.float64) >= low), (x, y)
        assert np.all(y.astype(np.float64) <= high), (x, y)
        if act.monotonic:
            ordered = np.sort(x.ravel())
            y = act(ordered)
            assert np.all(y[1:] >= y[:-1]), (ordered, y)  # (selu overflows to inf near 1.7e308: inf >= inf)

    check()


#: Inputs at the edges: beyond float32's range, at float64's, where e^x leaves float32 (100), not numbers.
EXTREMES = [1e4, -1e4, 100.0, -100.0, 3e38, -3e38, 1.7e308, -1.7e308, np.nan, np.inf, -np.inf, 0.0]


def extreme_inputs(name: str, dtype) -> list[np.ndarray]:
    """Each extreme alone and next to each other one (glu: a value and a gate), and all of them at once."""
    with np.errstate(over="ignore"):  # 1.7e308 becomes inf in float32, as intended
        values = np.array(EXTREMES, dtype=np.float64).astype(dtype)
    pairs = [np.array([a, b], dtype=dtype) for a in values for b in values]
    return pairs if name == "glu" else [*(v.reshape(1) for v in values), *pairs, values]


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("name", activations.primary_names())
def test_no_method_warns_at_the_edges_and_value_and_derivative_agree(name, dtype):
    """Overflow, ∞ and NaN give inf or NaN silently; the result is rounded to float32 inside the same
    np.errstate, so a float64 result beyond float32's range (e^100) does not warn either."""
    act = activations.get(name)
    for x in extreme_inputs(name, dtype):
        y = _strictly(act, x)
        slope = _strictly(act.derivative, x)
        _strictly(act.jvp, x, np.ones_like(x))
        _strictly(act.jvp, x, x)
        both = _strictly(act.value_and_derivative, x)
        assert both[0].dtype == both[1].dtype == dtype
        np.testing.assert_array_equal(both[0], y, err_msg=str(x))
        np.testing.assert_array_equal(both[1], slope, err_msg=str(x))


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("name", ["softmax", "sparsemax"])
def test_softmax_and_sparsemax_give_probabilities(name, dtype):
    act = activations.get(name)
    tolerance = 1e-5 if dtype == np.float32 else 1e-12

    @SETTINGS
    @given(x=layers(dtype))
    def check(x):
        y = act(x).astype(np.float64)
        assert np.all((y >= 0) & (y <= 1))
        np.testing.assert_allclose(y.sum(axis=-1), 1.0, rtol=tolerance)

    check()


@SETTINGS
@given(x=layers(np.float64, elements=finite_floats(np.float64, min_value=-1e6, max_value=1e6)))
def test_softmax_ignores_a_common_shift(x):
    softmax = activations.get("softmax")
    np.testing.assert_allclose(softmax(x + 3.0), softmax(x), rtol=1e-9, atol=1e-300)


@SETTINGS
@given(
    x=hnp.arrays(np.float64, 6, elements=finite_floats(np.float64, min_value=-5, max_value=5)),
    weights=hnp.arrays(np.float64, 6, elements=st.floats(0, 1)),
)
def test_sparsemax_is_the_closest_point_of_the_simplex(x, weights):
    y = activations.get("sparsemax")(x)
    other = weights / weights.sum() if weights.sum() > 0 else np.full(6, 1 / 6)  # any point of the simplex
    assert np.linalg.norm(y - x) <= np.linalg.norm(other - x) + 1e-12


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_nan_in_gives_nan_out_elementwise(name):
    act = activations.get(name)

    @FEW
    @given(x=hnp.arrays(np.float64, st.integers(1, 10), elements=finite_floats(np.float64) | st.just(np.nan)))
    def check(x):
        holes = np.isnan(x)
        y = _strictly(act, x)
        np.testing.assert_array_equal(np.isnan(y), holes)
        np.testing.assert_array_equal(y[~holes], act(x[~holes]))
        np.testing.assert_array_equal(np.isnan(_strictly(act.derivative, x))[holes], True)

    check()


@pytest.mark.parametrize("name", LAYER_WIDE)
def test_nan_in_a_layer_gives_nan_out_without_exception(name):
    act = activations.get(name)

    @SETTINGS
    @given(x=layers(np.float64, even=True, elements=finite_floats(np.float64) | st.just(np.nan)))
    def check(x):
        y = _strictly(act, x)
        if name == "glu":
            a, b = np.split(np.isnan(x), 2, axis=-1)
            np.testing.assert_array_equal(np.isnan(y), a | b)
        else:
            rows_with_nan = np.any(np.isnan(x), axis=-1, keepdims=True)
            np.testing.assert_array_equal(np.isnan(y), np.broadcast_to(rows_with_nan, x.shape))

    check()
