"""Playground's generators, input features, iris, split and standardisation (neuroviz.model.datasets)."""

import math
import tomllib
from pathlib import Path

import numpy as np
import pytest

from neuroviz.model import Network, datasets
from neuroviz.model.datasets import FEATURES, DatasetError, generate


@pytest.mark.parametrize(
    ("name", "kind", "count"),
    [
        ("circle", "classification", 500),
        ("xor", "classification", 500),
        ("gauss", "classification", 500),
        ("spiral", "classification", 500),
        ("plane", "regression", 1200),
        ("multi_gauss", "regression", 1200),
    ],
)
def test_generators_have_playgrounds_sizes_and_are_deterministic(name, kind, count):
    data = generate(name, noise=0.25, seed=7)
    assert (len(data), data.x.shape, data.kind) == (count, (count, 2), kind)
    again = generate(name, noise=0.25, seed=7)
    assert np.array_equal(data.x, again.x) and np.array_equal(data.y, again.y)
    other = generate(name, noise=0.25, seed=8)
    assert not np.array_equal(data.x, other.x)
    assert np.isfinite(data.x).all() and np.isfinite(data.y).all()


def test_circle_without_noise_labels_the_inner_disc_positive():
    data = generate("circle", n=400, seed=1)
    radius = np.hypot(data.x[:, 0], data.x[:, 1])
    assert np.array_equal(data.y == 1, radius < 2.5)
    assert (radius <= 5).all() and ((radius < 2.5) | (radius >= 3.5)).all()
    assert (data.y == 1).sum() == 200 and data.class_names == ("negative", "positive")


def test_xor_without_noise_labels_by_quadrant_and_keeps_off_the_axes():
    data = generate("xor", seed=2)
    assert np.array_equal(data.y == 1, data.x[:, 0] * data.x[:, 1] >= 0)
    assert (np.abs(data.x) >= 0.3).all() and (np.abs(data.x) <= 5.3).all()


def test_gauss_noise_widens_the_clouds_around_plus_and_minus_two():
    tight, wide = generate("gauss", seed=3), generate("gauss", noise=0.5, seed=3)
    positive = tight.x[tight.y == 1]
    assert np.allclose(positive.mean(axis=0), [2, 2], atol=0.15)
    assert np.allclose(tight.x[tight.y == 0].mean(axis=0), [-2, -2], atol=0.15)
    assert math.isclose(positive.var(axis=0).mean(), 0.5, rel_tol=0.2)
    assert math.isclose(wide.x[wide.y == 1].var(axis=0).mean(), 4.0, rel_tol=0.2)


def test_spiral_without_noise_lies_on_two_arms():
    data = generate("spiral", n=200, seed=0)
    radius = np.hypot(data.x[:, 0], data.x[:, 1])
    assert radius.max() < 5 and np.allclose(sorted(radius[data.y == 1]), np.arange(100) / 100 * 5)


def test_plane_is_the_scaled_sum_and_multi_gauss_peaks_at_its_centres():
    plane = generate("plane", seed=4)
    assert np.allclose(plane.y, plane.x.sum(axis=1) / 10)
    gauss = generate("multi_gauss", n=3000, seed=5)
    near = np.hypot(gauss.x[:, 0] - 4, gauss.x[:, 1] - 2.5) < 0.2
    assert near.any() and (gauss.y[near] > 0.85).all()
    assert gauss.y.min() >= -1 and gauss.y.max() <= 1


@pytest.mark.parametrize("kwargs", [{"noise": 0.6}, {"noise": -0.1}, {"n": 1}, {"n": 2.5}, {"noise": "a"}])
def test_bad_generator_parameters_are_refused(kwargs):
    with pytest.raises(DatasetError):
        generate("circle", **kwargs)


def test_unknown_generator_suggests_a_close_name():
    with pytest.raises(DatasetError, match="did you mean 'spiral'"):
        generate("spirall")


def test_features_are_playgrounds_seven():
    x1, x2 = np.array([1.0, -2.0]), np.array([3.0, 0.5])
    table = datasets.features(FEATURES, x1, x2)
    expected = np.column_stack([x1, x2, x1**2, x2**2, x1 * x2, np.sin(x1), np.sin(x2)])
    assert FEATURES == ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
    assert np.array_equal(table, expected)
    assert datasets.features(["sin(x2)", "x1"], x1, x2).shape == (2, 2)
    with pytest.raises(DatasetError, match="unknown input feature 'x3'"):
        datasets.features(["x3"], x1, x2)


def test_with_features_turns_points_into_feature_columns():
    data = generate("circle", n=10, seed=0).with_features(["x1^2", "x2^2"])
    assert data.feature_names == ("x1^2", "x2^2") and (data.x >= 0).all()
    with pytest.raises(DatasetError, match="computed from a point"):
        datasets.iris().with_features(["x1"])


def test_targets_follow_the_output_layer():
    data = generate("circle", n=20, seed=0)
    sigmoid = Network.from_sizes([2, 3, 1], ["tanh", "sigmoid"])
    tanh = Network.from_sizes([2, 3, 1], ["tanh", "tanh"])
    softmax = Network.from_sizes([2, 3, 2], ["tanh", "softmax"])
    assert set(np.unique(data.targets_for(sigmoid))) == {0.0, 1.0}
    assert np.array_equal(data.targets_for(tanh), 2 * data.targets_for(sigmoid) - 1)
    one_hot = data.targets_for(softmax)
    assert one_hot.shape == (20, 2) and np.array_equal(one_hot[:, 1:], data.targets_for(sigmoid))
    sparse = data.targets_for(softmax, loss="sparse_categorical_crossentropy")
    assert np.array_equal(sparse[:, 0], data.y)
    plane = generate("plane", n=10, seed=0)
    assert np.array_equal(plane.targets_for(Network.from_sizes([2, 1])), plane.y[:, None])


@pytest.mark.parametrize(
    ("sizes", "data", "message"),
    [
        ([3, 1], "circle", "2 input features .* but the network has 3 inputs"),
        ([4, 1], "iris", "3 classes .* but the network has 1 output"),
        ([4, 2], "iris", "3 classes .* but the network has 2 outputs"),
        ([2, 2], "plane", "one target value per row but the network has 2 outputs"),
    ],
)
def test_data_that_does_not_fit_the_network_says_why(sizes, data, message):
    dataset = datasets.iris() if data == "iris" else generate(data, n=20)
    with pytest.raises(DatasetError, match=message):
        dataset.targets_for(Network.from_sizes(sizes))


def test_iris_is_fishers_150_flowers():
    data = datasets.iris()
    assert data.x.shape == (150, 4) and data.kind == "classification"
    assert data.feature_names == ("sepal_length", "sepal_width", "petal_length", "petal_width")
    assert data.class_names == ("setosa", "versicolor", "virginica")
    assert np.bincount(data.y.astype(int)).tolist() == [50, 50, 50]
    assert np.allclose(data.x.mean(axis=0), [5.843333, 3.057333, 3.758, 1.199333], atol=1e-6)
    assert data.x[0].tolist() == [5.1, 3.5, 1.4, 0.2]
    assert data.x.min(axis=0).tolist() == [4.3, 2.0, 1.0, 0.1]
    assert data.x.max(axis=0).tolist() == [7.9, 4.4, 6.9, 2.5]


def test_iris_is_installed_with_the_package():
    root = Path(__file__).resolve().parents[2]
    config = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "neuroviz.resources.datasets" in config["packages"]
    assert "*.csv" in config["package-data"]["neuroviz.resources.datasets"]
    assert datasets.iris_path() == root / "resources" / "datasets" / "iris.csv"


def test_split_takes_playgrounds_share_in_order_or_shuffled():
    data = generate("circle", n=10, seed=0)
    train, test = datasets.split(data, 0.3)
    assert np.array_equal(train.x, data.x[:3]) and np.array_equal(test.x, data.x[3:])
    shuffled, rest = datasets.split(data, 0.5, seed=1)
    assert len(shuffled) == 5 and not np.array_equal(shuffled.x, data.x[:5])
    assert sorted(np.concatenate([shuffled.y, rest.y])) == sorted(data.y)
    again, _ = datasets.split(data, 0.5, seed=1)
    assert np.array_equal(again.x, shuffled.x)
    for share in (0.05, 0.95, "half"):
        with pytest.raises(DatasetError, match="training share"):
            datasets.split(data, share)


def test_standardize_uses_the_training_rows_numbers():
    train, test = datasets.split(datasets.iris(), 0.5, seed=0)
    s_train, s_test = datasets.standardize(train, test)
    assert np.allclose(s_train.x.mean(axis=0), 0) and np.allclose(s_train.x.std(axis=0), 1)
    mean, scale = train.x.mean(axis=0), train.x.std(axis=0)
    assert np.allclose(s_test.x, (test.x - mean) / scale)
    constant = datasets.Dataset(
        np.ones((4, 1)), np.array([0.0, 1, 0, 1]), ("c",), "classification", class_names=("a", "b")
    )
    (only,) = datasets.standardize(constant)
    assert np.array_equal(only.x, np.zeros((4, 1)))
