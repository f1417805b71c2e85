"""The bench's training rows run on the stand-in data they describe (speed itself is measured, not tested)."""

from __future__ import annotations

import numpy as np

from neuroviz import bench


def test_circle_points_are_playgrounds_features_and_circle_labels():
    x, y = bench.circle_points(7, count=50, seed=1)
    assert x.shape == (50, 7) and set(np.unique(y)) <= {-1.0, 1.0}
    np.testing.assert_allclose(x[:, 4], x[:, 0] * x[:, 1])
    np.testing.assert_array_equal(y == 1.0, np.hypot(x[:, 0], x[:, 1]) < 2.5)


def test_the_training_rows_time_real_epochs():
    x, y = bench.circle_points(2, count=30)
    stats = bench.bench_training(x, y, [2, 4, 2, 1], quick=True)
    assert stats["runs"] == 20 and 0 < stats["median"] <= stats["p95"]
    lines = bench._training_table(
        {"default": stats, "largest": stats, "gradients_us": stats, "keras_ms_per_epoch": None}
    )
    assert "not installed" in lines[3] and "target ≤ 60 µs" in lines[-1]
