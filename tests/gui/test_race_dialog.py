"""Edit ▸ Race Activations…: fair contenders, overlaid curves and maps, Keep as one undo step, Close changes nothing."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from neuroviz.data_source import feature_data
from neuroviz.model import Network
from neuroviz.model.race import contender_network
from neuroviz.model.training import Trainer, optimizers
from neuroviz.training_run import TrainingSettings


def xor_window(window):
    net = Network.from_sizes([2, 4, 1], ["relu", "sigmoid"], seed=3)
    window.controller.set_network(net, None)
    window.controller.maps.data.generate("xor", noise=0.0, seed=1)
    window.controller.training.run.set_settings(TrainingSettings(learning_rate=0.03, batch_size=10, seed=5))
    return net


def open_race(window, qtbot, names=("tanh", "sigmoid", "selu"), epochs=3):
    """Edit ▸ Race Activations…, tick ``names``, set the epochs, press Race."""
    window.actions["race_activations"].trigger()
    dialog = window.race_dialog
    race = window.controller.training.race
    race.budget_ms = None
    for name in dialog.choice_names():
        dialog.set_choice(name, name in names)
    dialog.epochs_box.setValue(epochs)
    qtbot.mouseClick(dialog.race_button, Qt.MouseButton.LeftButton)
    return dialog, race


def finish(race):
    while race.running:
        race.tick()


def plain_run(window, activation, epochs):
    """What a plain Trainer does with the Training dock's data, loss, optimizer, batch size and seed."""
    net, run = window.controller.network, window.controller.training.run
    loss = run.loss_name()
    train, test = feature_data(run.data.train, net), feature_data(run.data.test, net)
    plain = contender_network(net, activation)
    trainer = Trainer(plain, optimizers.get("adam", learning_rate=0.03), loss)
    history = trainer.fit(
        train.x,
        train.targets_for(net, loss),
        batch_size=10,
        epochs=epochs,
        shuffle=True,
        seed=5,
        validation_data=(test.x, test.targets_for(net, loss)),
    )
    return plain, history.history


def test_the_race_is_fair_and_shows_curves_and_a_map_per_contender(window, qtbot):
    original = xor_window(window)
    dialog, race = open_race(window, qtbot)
    assert dialog.isVisible() and race.running and dialog.race_button.text() == "Stop"
    contenders = race.race.contenders
    assert [c.name for c in contenders] == ["tanh", "sigmoid", "selu"]
    for c in contenders:  # identical starting weights: the network's own
        np.testing.assert_array_equal(c.network.layers[0].weights, original.layers[0].weights)
    assert "same weights" in dialog.fairness_label.text() and "seed 5" in dialog.fairness_label.text()
    finish(race)
    assert dialog.race_button.text() == "Race" and "epoch 3 of 3 · done" in dialog.progress_label.text()
    for c in contenders:  # each contender is exactly a plain Trainer run on the same batches
        plain, history = plain_run(window, c.name, 3)
        np.testing.assert_array_equal(c.network.layers[0].weights, plain.layers[0].weights)
        assert c.losses == history["loss"]
        epochs, shown = dialog.chart.series(c.name)  # the curve: the test loss it is judged by
        assert list(epochs) == [1, 2, 3] and list(shown) == history["val_loss"]
    winner = min(contenders, key=lambda c: c.test_losses[-1])
    assert dialog.keep_combo.currentData() == winner.name
    titles = dialog.map_titles()
    assert len(titles) == 3 and titles[[c.name for c in contenders].index(winner.name)].startswith("★ ")
    images = dialog.map_images()
    assert all(image.shape == (40, 40, 4) for image in images)
    assert not np.array_equal(images[0], images[1])  # different activations: different pictures
    np.testing.assert_array_equal(window.controller.network.layers[0].weights, original.layers[0].weights)


def test_keep_replaces_the_network_in_one_undo_step(window, qtbot):
    xor_window(window)
    before = window.controller.network
    stack = window.controller.undo_stack
    steps = stack.count()
    dialog, race = open_race(window, qtbot, names=("tanh", "silu"), epochs=2)
    finish(race)
    dialog.keep_combo.setCurrentIndex(dialog.keep_combo.findData("tanh"))  # the person's choice, not the winner
    kept = race.race.contenders[0].network
    qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)
    net = window.controller.network
    assert not dialog.isVisible() and race.race is None
    assert [layer.activation for layer in net.layers] == ["tanh", "sigmoid"]
    for mine, theirs in zip(net.layers, kept.layers, strict=True):
        np.testing.assert_array_equal(mine.weights, theirs.weights)
        np.testing.assert_array_equal(mine.biases, theirs.biases)
    assert stack.count() == steps + 1 and stack.undoText() == "Keep tanh from the race"
    window.actions["undo"].trigger()
    net = window.controller.network
    assert [layer.activation for layer in net.layers] == ["relu", "sigmoid"]
    np.testing.assert_array_equal(net.layers[0].weights, before.layers[0].weights)


def test_close_stops_the_race_and_changes_nothing(window, qtbot):
    xor_window(window)
    weights = window.controller.network.layers[0].weights.copy()
    steps = window.controller.undo_stack.count()
    modified = window.controller.document.is_modified()
    dialog, race = open_race(window, qtbot, epochs=50)
    race.tick()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and not race.running and race.race is None
    np.testing.assert_array_equal(window.controller.network.layers[0].weights, weights)
    assert window.controller.network.layers[0].activation == "relu"
    assert window.controller.undo_stack.count() == steps
    assert window.controller.document.is_modified() == modified


def test_a_race_without_data_or_choices_says_why(window, qtbot):
    dialog, race = open_race(window, qtbot)
    assert not race.running and "Choose a data set first" in dialog.message()
    xor_window(window)
    dialog, race = open_race(window, qtbot, names=())
    assert not race.running and dialog.message() == "Cannot race: choose at least one activation to race"


def test_keep_refuses_after_the_layers_changed(window, qtbot):
    xor_window(window)
    dialog, race = open_race(window, qtbot, epochs=1)
    finish(race)
    window.controller.edits.on_size_changed(1, 6)  # the person resized a layer meanwhile
    steps = window.controller.undo_stack.count()
    qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)
    assert "layers changed since the race started" in dialog.message()
    assert window.controller.undo_stack.count() == steps and window.controller.network.sizes == [2, 6, 1]


def test_the_training_dock_has_a_race_button_and_a_custom_formula_can_race(window, qtbot):
    xor_window(window)
    window.controller.document.edit("custom", lambda n: n.set_custom_activation(1, "x * sigmoid(b * x)", b=1.5), 1)
    button = window.training_panel.race_button
    assert not button.isHidden() and button.defaultAction() is window.actions["race_activations"]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = window.race_dialog
    assert dialog.choice_names() == ["relu", "tanh", "sigmoid", "selu", "silu", "custom"]
    dialog, race = open_race(window, qtbot, names=("custom", "relu"), epochs=1)
    finish(race)
    custom = race.race.contenders[1]
    assert custom.name == "custom" and custom.network.layers[0].formula == "x * sigmoid(b * x)"
    assert custom.network.layers[0].params == pytest.approx({"b": 1.5})
