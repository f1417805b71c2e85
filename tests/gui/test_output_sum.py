"""The outputs chart writes Σ of a softmax or sparsemax output: it sums to 1 whatever the scale of its inputs
(the tutorials' [1, 2, 3, 4, 1, 2, 3] against the same × 0.1), and nothing for other outputs."""

from __future__ import annotations

import numpy as np
import pytest

from neuroviz.model import Network
from neuroviz.views.outputs_chart import OutputsChart


def _identity_into(activation: str, z) -> Network:
    """One linear layer that passes its inputs on, then ``activation``: the outputs are activation(z)."""
    n = len(z)
    net = Network.from_sizes([n, n], [activation])
    net.layers[0].weights = np.eye(n)
    for i in range(n):
        net.set_input_range(i, -10.0, 10.0)
    net.input_values = np.array(z, dtype=np.float64)
    return net


@pytest.mark.parametrize("scale", [1.0, 0.1])
@pytest.mark.parametrize("activation", ["softmax", "sparsemax"])
def test_probability_outputs_show_their_sum(window, activation, scale):
    z = scale * np.array([1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0])
    window.controller.set_network(_identity_into(activation, z), None)
    window.controller.flush()
    chart = window.outputs_chart
    outputs = window.controller.propagation.outputs
    assert chart.sum_text() == "Σ = 1"
    assert float(np.sum(outputs)) == pytest.approx(1.0, abs=1e-12)
    title = chart.getPlotItem().titleLabel
    assert title.text == "Σ = 1" and title.isVisible()


def test_other_outputs_show_no_sum(window):
    window.controller.set_network(_identity_into("softmax", [1.0, 2.0]), None)
    window.controller.flush()
    assert window.outputs_chart.sum_text() == "Σ = 1"
    window.controller.set_network(_identity_into("relu", [1.0, 2.0]), None)
    window.controller.flush()
    assert window.outputs_chart.sum_text() == ""
    assert not window.outputs_chart.getPlotItem().titleLabel.isVisible()  # no empty title row either


def test_the_sum_is_written_as_given_and_follows_the_theme(qtbot):
    chart = OutputsChart()
    qtbot.addWidget(chart)
    chart.set_outputs(np.array([0.2, 0.5]), ["a", "b"], True, total=0.7)
    assert chart.sum_text() == "Σ = 0.7"
    chart.set_dark(True)
    assert "Σ = 0.7" in chart.getPlotItem().titleLabel.text
    chart.set_outputs(np.array([0.2, 0.5]), ["a", "b"], True)
    assert chart.sum_text() == ""
