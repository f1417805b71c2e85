"""What the output map shows: the colour scale of one output and the winning class with its certainty."""

import numpy as np
import pytest

from neuroviz.model.decision import class_strength, output_scale


def test_output_scale_follows_the_activation():
    values = np.array([[-3.0, 7.0]])
    assert output_scale("tanh", values) == (0.0, 1.0)
    assert output_scale("sigmoid", values) == (0.5, 0.5)
    assert output_scale("linear", values) == (0.0, 10.0)
    assert output_scale("linear", values, targets=np.array([12.0])) == (0.0, 20.0)


def test_softmax_winner_and_strength():
    p = np.array([[0.7, 1 / 3], [0.2, 1 / 3], [0.1, 1 / 3]]).reshape(3, 1, 2)
    winner, strength = class_strength(p, "softmax")
    assert winner.tolist() == [[0, 0]]
    assert strength[0, 0] == pytest.approx((0.7 - 1 / 3) / (2 / 3))
    assert strength[0, 1] == pytest.approx(0.0)


def test_raw_outputs_are_read_through_a_softmax_without_overflow():
    raw = np.array([[1.7e308, -1.7e308, 0.0], [-1.7e308, 1.7e308, np.nan]]).reshape(2, 1, 3)
    with np.errstate(all="raise"):
        winner, strength = class_strength(raw, "linear")
    assert winner[0, :2].tolist() == [0, 1]
    assert strength[0, :2].tolist() == [1.0, 1.0]
    assert np.isnan(strength[0, 2])  # a NaN output: drawn in the non-finite colour
