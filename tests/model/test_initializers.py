"""Initializers: Keras names, Keras distributions (truncated normals included), reproducible seeds."""

import math

import numpy as np
import pytest

from neuroviz.model import initializers

FAN_IN, FAN_OUT = 300, 500  # 150 000 samples: variance estimates good to well under 2 %
SHAPE = (FAN_IN, FAN_OUT)

UNIFORM = {  # name -> limit of the uniform distribution
    "glorot_uniform": math.sqrt(6 / (FAN_IN + FAN_OUT)),
    "he_uniform": math.sqrt(6 / FAN_IN),
    "lecun_uniform": math.sqrt(3 / FAN_IN),
    "random_uniform": 0.05,
}
TRUNCATED_NORMAL = {  # name -> variance the truncated distribution must have
    "glorot_normal": 2 / (FAN_IN + FAN_OUT),
    "he_normal": 2 / FAN_IN,
    "lecun_normal": 1 / FAN_IN,
}


def test_names_are_the_keras_names_with_glorot_uniform_first():
    assert initializers.names() == [
        "glorot_uniform",
        "glorot_normal",
        "he_uniform",
        "he_normal",
        "lecun_uniform",
        "lecun_normal",
        "random_uniform",
        "random_normal",
        "zeros",
        "ones",
    ]


@pytest.mark.parametrize("name", sorted(UNIFORM))
def test_uniform_initializers_fill_exactly_their_keras_interval(name):
    limit = UNIFORM[name]
    values = initializers.initialize(name, SHAPE, seed=1)
    assert values.shape == SHAPE and values.dtype == np.float64
    assert np.abs(values).max() <= limit
    assert np.abs(values).max() > 0.999 * limit  # the whole interval is used, not a narrower one
    assert abs(values.mean()) < 0.01 * limit
    assert values.var() == pytest.approx(limit**2 / 3, rel=0.02)


def test_truncation_correction_is_the_stddev_of_a_unit_normal_cut_at_two_sigma():
    density_at_2 = math.exp(-2) / math.sqrt(2 * math.pi)
    mass = math.erf(2 / math.sqrt(2))
    expected = math.sqrt(1 - 4 * density_at_2 / mass)
    assert abs(initializers.TRUNCATION_CORRECTION - expected) < 1e-15


@pytest.mark.parametrize("name", sorted(TRUNCATED_NORMAL))
def test_normal_variance_scaling_is_truncated_at_two_stddevs_and_has_the_wanted_variance(name):
    variance = TRUNCATED_NORMAL[name]
    stddev_before_truncation = math.sqrt(variance) / 0.87962566103423978
    values = initializers.initialize(name, SHAPE, seed=2)
    assert abs(values.mean()) < 0.01 * stddev_before_truncation
    assert values.var() == pytest.approx(variance, rel=0.02)
    bound = 2 * stddev_before_truncation
    assert np.abs(values).max() <= bound
    assert np.abs(values).max() > 0.995 * bound  # cut at 2σ of the corrected stddev, not earlier


def test_random_normal_is_not_truncated():
    values = initializers.initialize("random_normal", SHAPE, seed=3)
    assert values.std() == pytest.approx(0.05, rel=0.02)
    assert abs(values.mean()) < 0.001
    assert np.abs(values).max() > 3 * 0.05  # a plain normal has tails beyond 2σ


def test_zeros_and_ones():
    assert np.array_equal(initializers.initialize("zeros", (2, 3)), np.zeros((2, 3)))
    assert np.array_equal(initializers.initialize("ones", (4,)), np.ones(4))


def test_fans_follow_keras_for_matrices_and_bias_vectors():
    assert initializers.fans((3, 7)) == (3, 7)
    assert initializers.fans((5,)) == (5, 5)
    assert initializers.fans(()) == (1, 1)


def test_bias_vector_with_glorot_uses_its_length_as_both_fans():
    values = initializers.initialize("glorot_uniform", (100_000,), seed=4)
    limit = math.sqrt(6 / 200_000)
    assert np.abs(values).max() <= limit and np.abs(values).max() > 0.999 * limit


@pytest.mark.parametrize("name", initializers.names())
def test_same_seed_same_numbers_other_seed_other_numbers(name):
    first = initializers.initialize(name, (6, 4), seed=11)
    assert np.array_equal(first, initializers.initialize(name, (6, 4), seed=11))
    if name not in ("zeros", "ones"):
        assert not np.array_equal(first, initializers.initialize(name, (6, 4), seed=12))


def test_a_generator_continues_its_stream():
    rng = np.random.default_rng(5)
    first = initializers.initialize("he_normal", (3, 3), rng)
    second = initializers.initialize("he_normal", (3, 3), rng)
    assert not np.array_equal(first, second)
    both = np.random.default_rng(5)
    assert np.array_equal(first, initializers.initialize("he_normal", (3, 3), both))


def test_unknown_initializer_suggests_the_close_name():
    with pytest.raises(ValueError, match=r"unknown initializer 'glorot_uniformm'; did you mean 'glorot_uniform'"):
        initializers.initialize("glorot_uniformm", (2, 2))
    with pytest.raises(ValueError, match="he_normal"):
        initializers.check_name("he_norm")


def test_negative_shape_is_refused():
    with pytest.raises(ValueError, match="must not be negative"):
        initializers.initialize("zeros", (2, -1))
