"""The layer cards' Regularizer row: hidden until asked for, undoable L1/L2 edits, and used by training."""

import numpy as np
from PySide6.QtCore import Qt

from neuroviz.data_source import feature_data
from neuroviz.model import Network
from neuroviz.model.training import Trainer, optimizers
from neuroviz.training_run import TrainingSettings
from tests.gui.driving import enter


def xor_window(window):
    net = Network.from_sizes([2, 4, 1], ["tanh", "sigmoid"], seed=3)
    window.controller.set_network(net, None)
    window.controller.maps.data.generate("xor", noise=0.0, seed=1)
    run = window.controller.training.run
    run.budget_ms = None
    run.set_settings(TrainingSettings(learning_rate=0.03, batch_size=10, seed=2))
    return run


def test_the_row_opens_and_an_edit_is_one_undo_step(window, qtbot):
    xor_window(window)
    window.show()
    row = window.layer_panel.regularizer_row(1)
    assert row.toggle.text() == "Regularizer: none" and row.boxes.isHidden()
    qtbot.mouseClick(row.toggle, Qt.MouseButton.LeftButton)
    assert not row.boxes.isHidden()
    stack = window.controller.undo_stack
    steps = stack.count()
    now = [100.0]
    window.controller.clock = lambda: now[0]  # a hand-moved clock: quick edits merge, later ones do not
    enter(qtbot, row.l2_box, "0.01")
    layer = window.controller.network.layers[0]
    assert layer.kernel_regularizer == {"l1": 0.0, "l2": 0.01}
    assert row.toggle.text() == "Regularizer: L2 0.01"
    assert stack.count() == steps + 1 and stack.undoText() == "Set hidden 1 regularizer"
    now[0] += 0.3
    enter(qtbot, row.l1_box, "0.002")  # within 0.8 s: the same step
    assert window.controller.network.layers[0].kernel_regularizer == {"l1": 0.002, "l2": 0.01}
    assert stack.count() == steps + 1
    window.actions["undo"].trigger()
    assert window.controller.network.layers[0].kernel_regularizer is None
    assert (row.l1_box.value(), row.l2_box.value()) == (0.0, 0.0) and row.toggle.text() == "Regularizer: none"
    assert window.controller.network.layers[1].kernel_regularizer is None  # the other card was not touched


def test_a_layer_with_a_regularizer_shows_it_open(window):
    net = Network.from_sizes([2, 3, 1], ["relu", "sigmoid"], seed=1)
    net.set_regularizer(2, 0.0, 0.05)
    window.controller.set_network(net, None)
    row = window.layer_panel.regularizer_row(2)
    assert row.toggle.isChecked() and row.values() == (0.0, 0.05) and row.toggle.text() == "Regularizer: L2 0.05"
    assert window.layer_panel.regularizer_row(1).toggle.text() == "Regularizer: none"


def test_training_uses_the_regularizer(window, qtbot):
    run = xor_window(window)
    row = window.layer_panel.regularizer_row(1)
    row.toggle.setChecked(True)
    enter(qtbot, row.l2_box, "0.5")
    start = window.controller.network.copy()
    window.actions["train_step"].trigger()  # Train ▸ Step One Epoch
    trained = window.controller.network
    # the same epoch with a plain Trainer on the same network, regularizer included
    loss = run.loss_name()
    train = feature_data(run.data.train, start)
    test = feature_data(run.data.test, start)
    trainer = Trainer(start, optimizers.get("adam", learning_rate=0.03), loss)
    history = trainer.fit(
        train.x,
        train.targets_for(start, loss),
        batch_size=10,
        epochs=1,
        seed=2,
        validation_data=(test.x, test.targets_for(start, loss)),
    )
    np.testing.assert_array_equal(trained.layers[0].weights, start.layers[0].weights)
    assert run.history.records[-1]["loss"] == history.history["loss"][-1]
    # without the regularizer the same epoch ends elsewhere: the penalty really took part
    window.actions["undo"].trigger()  # the epoch
    window.actions["undo"].trigger()  # the regularizer
    assert window.controller.network.layers[0].kernel_regularizer is None
    window.actions["train_step"].trigger()
    assert not np.allclose(window.controller.network.layers[0].weights, trained.layers[0].weights)


def test_an_arrow_up_and_back_down_leaves_no_undo_step(window, qtbot):
    xor_window(window)
    row = window.layer_panel.regularizer_row(2)
    row.toggle.setChecked(True)
    window.controller.clock = lambda: 50.0  # both clicks at once: they merge, back where it was
    steps = window.controller.undo_stack.count()
    row.l1_box.stepBy(1)
    assert window.controller.network.layers[1].kernel_regularizer == {"l1": 0.001, "l2": 0.0}
    row.l1_box.stepBy(-1)
    assert window.controller.network.layers[1].kernel_regularizer is None
    assert window.controller.undo_stack.count() == steps
