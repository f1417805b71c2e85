"""View ▸ Edges Show Gradients and the gradients in the inspector: what the user sees equals backprop's ∂L/∂w and
∂L/∂z over the Training dock's training rows."""

import numpy as np
import pytest
from PySide6.QtWidgets import QToolTip

from neuroviz.data_source import feature_data
from neuroviz.model import Network, training
from neuroviz.model.display import format_value
from neuroviz.model.picture import nice_limit
from neuroviz.training_run import TrainingSettings


def xor_window(window, activation="tanh"):
    net = Network.from_sizes([2, 4, 1], [activation, "sigmoid"], seed=3)
    window.controller.set_network(net, None)
    window.controller.maps.data.generate("xor", noise=0.0, seed=1)
    run = window.controller.training.run
    run.budget_ms = None
    run.set_settings(TrainingSettings(learning_rate=0.03, batch_size=10))
    return run


def expected_gradients(window):
    """backprop over the training rows with the run's loss, computed here without the window's source."""
    run, net = window.controller.training.run, window.controller.network
    train = feature_data(run.data.train, net)
    loss = run.loss_name()
    return training.gradients(net, train.x, train.targets_for(net, loss), loss), len(train), loss


def recorded_edges(window, monkeypatch):
    seen = []
    original = window.network_view.set_values
    monkeypatch.setattr(window.network_view, "set_values", lambda *a: (seen.append(a), original(*a)))
    return seen


def test_edges_show_the_gradients_of_the_training_data_and_follow_training(window, monkeypatch):
    run = xor_window(window)
    seen = recorded_edges(window, monkeypatch)
    window.actions["edges_gradient"].setChecked(True)  # View ▸ Edges Show Gradients
    assert window.preferences.edge_mode == "gradient"
    grads, _, _ = expected_gradients(window)
    edges, edge_limit = seen[-1][1], seen[-1][5]
    for shown, expected in zip(edges, grads.weights, strict=True):
        np.testing.assert_allclose(shown, expected, rtol=1e-12, atol=1e-15)
        assert np.array_equal(np.sign(shown), np.sign(expected))  # the colour's side: the gradient's sign
    assert edge_limit == nice_limit(grads.weights)  # the width's scale: the gradients' magnitude
    assert window.network_view.link_scale_text() == f"∂L/∂w scale ±{format_value(edge_limit)}"
    # a frame of training moves the weights: the links show the gradients of the new weights
    run.play()
    run.tick()
    run.pause()
    window.controller.flush()
    moved, _, _ = expected_gradients(window)
    assert not np.allclose(moved.weights[0], grads.weights[0])
    np.testing.assert_allclose(seen[-1][1][0], moved.weights[0], rtol=1e-12, atol=1e-15)
    # the link's tooltip says its gradient
    window.network_view.edgeHovered.emit(1, 0, 2)
    assert f"∂L/∂w: {format_value(float(moved.weights[0][0, 2]))}" in QToolTip.text()
    # back to weights: the weights again, with the plain scale name
    window.actions["edges_weight"].setChecked(True)
    np.testing.assert_array_equal(seen[-1][1][0], window.controller.network.layers[0].weights)
    assert window.network_view.link_scale_text().startswith("link scale ±")


def test_without_data_the_links_show_weights_and_the_status_bar_says_why(window, monkeypatch):
    seen = recorded_edges(window, monkeypatch)
    window.actions["edges_gradient"].setChecked(True)
    assert "Edges show the weights: Choose a data set first" in window.statusBar().currentMessage()
    np.testing.assert_array_equal(seen[-1][1][0], window.controller.network.layers[0].weights)
    assert window.network_view.link_scale_text().startswith("link scale ±")
    # data that does not fit the default example (3 inputs): still weights, and the reason
    window.controller.maps.data.generate("spiral")
    window.controller.flush()
    assert "Edges show the weights: Cannot train:" in window.statusBar().currentMessage()
    assert "3 inputs" in window.statusBar().currentMessage()
    np.testing.assert_array_equal(seen[-1][1][0], window.controller.network.layers[0].weights)


def test_the_edge_mode_gradient_is_remembered(window, settings, qtbot):
    from neuroviz.app import build_window

    window.actions["edges_gradient"].setChecked(True)
    second = build_window(settings=settings)
    qtbot.addWidget(second)
    assert second.actions["edges_gradient"].isChecked() and second.controller.edge_mode == "gradient"


def test_the_inspector_shows_the_neurons_dz_and_its_weights_gradients(window):
    xor_window(window, activation="relu")
    window.network_view.neuronClicked.emit(1, 2)  # select and edit hidden neuron 3
    window.controller.flush()
    grads, rows, loss = expected_gradients(window)
    facts = dict(window.inspector.facts())
    mean_dz = grads.deltas[0].sum(axis=0)[2]  # deltas carry the 1/n of the mean loss
    assert facts["∂L/∂z"] == f"{format_value(mean_dz)} (mean of {rows} training rows)"
    assert facts["|∂L/∂z|"] == f"{format_value(np.abs(grads.deltas[0]).sum(axis=0)[2])} ({loss})"
    expected = [f"∂L/∂w {format_value(g)}" for g in grads.weights[0][:, 2]] + [
        f"∂L/∂b {format_value(grads.biases[0][2])}"
    ]
    assert window.inspector.gradient_texts() == expected
    # the mean ∂L/∂z over the rows is the bias gradient: the two numbers the user sees agree
    assert mean_dz == pytest.approx(grads.biases[0][2], rel=1e-12)


def test_the_inspector_says_when_there_are_no_gradients(window):
    window.network_view.neuronClicked.emit(1, 0)
    window.controller.flush()
    facts = dict(window.inspector.facts())
    assert facts["∂L/∂z"].startswith("Choose a data set first")
    assert set(window.inspector.gradient_texts()) == {""}
