"""The activation plot's tools, driven as a person would: compare with another activation (a dotted curve and its
derivative), and the z probe (type a vector, read f(z), see crosses on the curve; bad text says what is wrong)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from neuroviz.model import probe
from tests.gui.driving import choose


def _select_layer(window, k: int) -> None:
    window.controller.selection.select_layer(k)
    window.controller.flush()


def test_compare_draws_the_other_activation_over_the_same_range(window, qtbot):
    _select_layer(window, 1)
    tools, plot = window.plot_tools, window.activation_plot
    choose(window, 1, "relu")
    window.controller.flush()
    tools.compare_box.setCurrentIndex(tools.compare_box.findData("softplus"))
    x, f, df = plot.comparison_data()
    curve_x, _ = plot.curve_data()
    np.testing.assert_array_equal(x, curve_x)
    np.testing.assert_allclose(f, np.logaddexp(0.0, x))
    np.testing.assert_allclose(df, 1.0 / (1.0 + np.exp(-x)))
    assert plot.legend_labels()[-2:] == ["softplus(z)", "softplus′(z)"]
    tools.compare_box.setCurrentIndex(0)  # "nothing"
    assert plot.comparison_data()[0].size == 0
    assert "softplus(z)" not in plot.legend_labels()


def test_compare_offers_elementwise_activations_only(window):
    names = [window.plot_tools.compare_box.itemData(i) for i in range(window.plot_tools.compare_box.count())]
    assert "softplus" in names and "sigmoid" in names and "softmax" not in names and names[0] == ""


def test_probe_relu_shows_the_tutorials_outputs_and_marks_them(window, qtbot):
    _select_layer(window, 1)
    choose(window, 1, "relu")
    window.controller.flush()
    tools, plot = window.plot_tools, window.activation_plot
    tools.probe_edit.setFocus()
    qtbot.keyClicks(tools.probe_edit, "-10, -5, 0, 5, 10")
    assert tools.probe_result() == "relu(z) = [0, 0, 0, 5, 10]"
    z, a = plot.probe_point_data()
    np.testing.assert_array_equal(z, [-10, -5, 0, 5, 10])
    np.testing.assert_array_equal(a, [0, 0, 0, 5, 10])
    low, high = plot.x_window()
    assert low <= -10 and high >= 10  # the curve is drawn where the probed values are


def test_probe_follows_the_layers_parameters(window, qtbot):
    _select_layer(window, 1)
    choose(window, 1, "relu")
    window.controller.edit("alpha", lambda n: n.set_params(1, negative_slope=0.5), 1)
    window.plot_tools.probe_edit.setText("[-10, -5, 0.0, 5, 10]")
    assert window.plot_tools.probe_result() == "relu(z, negative_slope=0.5) = [-5, -2.5, 0, 5, 10]"


def test_probe_softmax_shows_sum_and_plain_normalisation(window, qtbot):
    _select_layer(window, 1)
    choose(window, 1, "softmax")
    window.controller.flush()
    window.plot_tools.probe_edit.setText("1, 2, 3, 4, 1, 2, 3")
    lines = window.plot_tools.probe_result().split("\n")
    expected = probe.probe_lines("softmax(z)", probe.probe(window.controller.network.layers[0], [1, 2, 3, 4, 1, 2, 3]))
    assert lines == expected and lines[0].endswith("Σ = 1")
    assert window.activation_plot.probe_point_data()[0].size == 0  # softmax values are not points of one curve


def test_bad_probe_text_says_what_is_wrong_and_nothing_changes(window, qtbot):
    _select_layer(window, 1)
    before = window.controller.network.forward().outputs.copy()
    window.plot_tools.probe_edit.setText("1, x, 3")
    assert window.plot_tools.probe_result() == "Probe z: item 2: 'x' is not a number"
    assert window.activation_plot.probe_point_data()[0].size == 0
    np.testing.assert_array_equal(window.controller.network.forward().outputs, before)
    assert window.controller.undo_stack.count() == 0
    window.plot_tools.probe_edit.clear()
    assert window.plot_tools.probe_result() == ""


def test_tools_have_keyboard_buddies_and_tooltips(window):
    tools = window.plot_tools
    assert tools.compare_box.toolTip() and tools.probe_edit.toolTip()
    labels = [label.text() for label in tools.findChildren(type(tools.result_label)) if label.buddy() is not None]
    assert labels == ["&Compare with:", "&Probe z:"]
    assert tools.probe_edit.isClearButtonEnabled()
    assert Qt.TextInteractionFlag.TextSelectableByMouse & tools.result_label.textInteractionFlags()
