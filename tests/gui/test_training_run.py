"""The training runner: slices between frames, one undo step per run, pausing on edits, divergence."""

from __future__ import annotations

import numpy as np
import pytest

from neuroviz.model import Network
from neuroviz.model.datasets import split
from neuroviz.model.training import Trainer
from neuroviz.training_run import TrainingSettings
from tests.gui.driving import shown_matches_forward


def xor_window(window, activation="tanh", **settings):
    """The window on a seeded 2-4-1 network with the XOR data set loaded; ticks train whole epochs."""
    net = Network.from_sizes([2, 4, 1], [activation, "sigmoid"], seed=3)
    window.controller.set_network(net, None)
    window.controller.maps.data.generate("xor", noise=0.0, seed=1)
    run = window.controller.training.run
    run.budget_ms = None
    run.set_settings(TrainingSettings(**{"learning_rate": 0.03, "batch_size": 10, **settings}))
    return run


def frames(run, n):
    for _ in range(n):
        run.tick()


def test_play_trains_in_ticks_and_pause_is_one_undo_step(window):
    run = xor_window(window)
    ctrl = window.controller
    before = [layer.weights.copy() for layer in ctrl.network.layers]
    steps_before = ctrl.undo_stack.count()
    window.controller.training.play.trigger()
    assert run.running and window.controller.training.play.text() == "&Pause"
    frames(run, 30)
    assert run.epoch == 30
    losses = run.history.column("loss")
    assert losses[-1] < 0.5 * losses[0]  # xor with tanh learns
    window.controller.training.play.trigger()  # pause
    assert not run.running and window.controller.training.play.text() == "&Play"
    assert ctrl.undo_stack.count() == steps_before + 1
    assert ctrl.undo_stack.text(ctrl.undo_stack.count() - 1) == "Train 30 epochs"
    shown_matches_forward(window)
    window.actions["undo"].trigger()
    for layer, weights in zip(ctrl.network.layers, before, strict=True):
        np.testing.assert_array_equal(layer.weights, weights)
    shown_matches_forward(window)


def test_training_equals_the_trainer_with_the_same_settings(window):
    run = xor_window(window)
    net = window.controller.network.copy()
    data = window.controller.maps.data
    run.play()
    frames(run, 5)
    run.pause()
    trainer = Trainer(net, "adam", "binary_crossentropy")
    trainer.optimizer.learning_rate = 0.03
    trainer.start(
        data.train.x, data.train.targets_for(net), 10, True, 0, 0.0, (data.test.x, data.test.targets_for(net))
    )
    for _ in range(5):
        trainer.epoch()
    np.testing.assert_allclose(run.history.column("loss"), trainer.history.history["loss"], rtol=1e-12)
    np.testing.assert_allclose(run.history.column("val_loss"), trainer.history.history["val_loss"], rtol=1e-12)
    for mine, theirs in zip(window.controller.network.layers, net.layers, strict=True):
        np.testing.assert_allclose(mine.weights, theirs.weights, rtol=1e-12)


def test_epochs_per_frame_and_step_one_epoch(window):
    run = xor_window(window, epochs_per_frame=3)
    run.play()
    run.tick()
    assert run.epoch == 3
    run.pause()
    window.actions["train_step"].trigger()
    assert run.epoch == 4 and not run.running
    assert window.controller.undo_stack.text(window.controller.undo_stack.count() - 1) == "Train 1 epoch"


def test_a_time_budget_splits_an_epoch_across_frames_without_changing_the_numbers(window):
    run = xor_window(window)
    ticks = iter(np.arange(0.0, 1000.0, 0.004))  # each look at the clock: 4 ms later
    run.clock = lambda: next(ticks)
    run.budget_ms = 10.0
    run.play()
    run.tick()
    assert run.epoch == 0 and run.batch == 3  # 3 batches of 25, then the budget was used
    while run.epoch < 2:
        run.tick()
    run.pause()
    assert window.controller.undo_stack.text(window.controller.undo_stack.count() - 1) == "Train 2 epochs"
    reference = xor_window(window)
    reference.play()
    frames(reference, 2)
    np.testing.assert_allclose(run.history.column("loss")[:2], reference.history.column("loss"), rtol=0)


def test_an_edit_pauses_first_and_the_run_is_its_own_undo_step(window):
    run = xor_window(window)
    ctrl = window.controller
    run.play()
    frames(run, 4)
    ctrl.edit("Set weight", lambda n: n.set_weight(1, 0, 0, 0.5), 1)
    assert not run.running
    stack = ctrl.undo_stack
    assert [stack.text(i) for i in range(stack.count())][-2:] == ["Train 4 epochs", "Set weight"]


def test_undo_while_training_undoes_the_run(window):
    run = xor_window(window)
    ctrl = window.controller
    before = ctrl.network.layers[0].weights.copy()
    run.play()
    frames(run, 3)
    window.actions["undo"].trigger()
    assert not run.running
    np.testing.assert_array_equal(ctrl.network.layers[0].weights, before)
    assert ctrl.undo_stack.canRedo() and ctrl.undo_stack.text(ctrl.undo_stack.index()) == "Train 3 epochs"


def test_undo_and_redo_take_the_epochs_and_charts_back_with_the_weights(window):
    """Two runs (3 then 2 epochs): Undo shows epoch 3 and three points in the loss chart, Undo again epoch 0,
    Redo brings them back; training after an Undo continues from there (the undone epochs are gone)."""
    run = xor_window(window)
    panel, chart = window.training_panel, window.training_charts.loss
    play = window.controller.training.play
    for epochs in (3, 2):
        play.trigger()
        frames(run, epochs)
        play.trigger()
    losses = run.history.column("loss")
    assert panel.epoch_label.text() == "Epoch 5" and len(chart.series("loss")[1]) == 5
    window.actions["undo"].trigger()
    assert run.epoch == 3 and panel.epoch_label.text() == "Epoch 3"
    np.testing.assert_array_equal(chart.series("loss")[1], losses[:3])
    assert panel.number("loss") == f"{losses[2]:.4f}"
    window.actions["undo"].trigger()
    assert run.epoch == 0 and panel.epoch_label.text() == "Epoch 0" and panel.number("loss") == "–"
    window.actions["redo"].trigger()
    window.actions["redo"].trigger()
    assert run.epoch == 5
    np.testing.assert_array_equal(chart.series("loss")[1], losses)
    window.actions["undo"].trigger()  # back to epoch 3, then train one more: epochs 4 and 5 are replaced
    play.trigger()
    frames(run, 1)
    play.trigger()
    assert run.epoch == 4 and not window.controller.undo_stack.canRedo()
    np.testing.assert_array_equal(run.history.column("loss")[:3], losses[:3])


def test_an_edit_after_an_undo_keeps_the_epochs_shown_and_a_reset_can_be_undone(window):
    """Train 3 + 2 epochs, Undo (epoch 3), then edit a weight: the edit replaces the undone run, and the epochs stay
    at 3 (the undone run's 5 must not come back). Reset empties the history; its Undo brings the 3 epochs back."""
    run = xor_window(window)
    ctrl, panel = window.controller, window.training_panel
    play = ctrl.training.play
    for epochs in (3, 2):
        play.trigger()
        frames(run, epochs)
        play.trigger()
    losses = run.history.column("loss")
    window.actions["undo"].trigger()
    assert run.epoch == 3
    window.inspector.weightEdited.emit(1, 0, 0, 0.25)  # an edit after the Undo: the undone run is gone
    assert ctrl.network.layers[0].weights[0, 0] == 0.25 and not ctrl.undo_stack.canRedo()
    assert run.epoch == 3 and panel.epoch_label.text() == "Epoch 3"
    panel.reset_button.click()
    assert run.epoch == 0 and panel.number("loss") == "–"
    window.actions["undo"].trigger()  # the Reset undone: its weights and its epochs come back
    assert run.epoch == 3 and panel.epoch_label.text() == "Epoch 3"
    np.testing.assert_array_equal(window.training_charts.loss.series("loss")[1], losses[:3])
    window.actions["redo"].trigger()
    assert run.epoch == 0


def test_save_pauses_and_saves_the_trained_weights_clean(window, tmp_path):
    run = xor_window(window)
    run.play()
    frames(run, 2)
    path = tmp_path / "trained.json"
    window.controller.save_as.__self__.choose_save_path = lambda: str(path)
    assert window.controller.save_as()
    assert not run.running and not window.controller.is_modified()
    np.testing.assert_array_equal(Network.load(path).layers[0].weights, window.controller.network.layers[0].weights)


def test_divergence_stops_with_a_message_and_the_last_good_weights(window):
    net = Network.from_sizes([2, 8, 1], ["relu", "linear"], seed=0)
    window.controller.set_network(net, None)
    window.controller.maps.data.generate("plane", noise=0.0, seed=0)
    run = window.controller.training.run
    run.budget_ms = None
    run.set_settings(TrainingSettings(optimizer="sgd", learning_rate=10.0, batch_size=10))
    run.play()
    frames(run, 5)
    assert not run.running
    assert "Training stopped: training diverged" in window.controller.last_error
    assert "smaller learning rate than 10" in window.controller.last_error
    for layer in window.controller.network.layers:
        assert np.isfinite(layer.weights).all() and np.isfinite(layer.biases).all()
    shown_matches_forward(window)


def test_play_without_data_or_with_data_that_does_not_fit_says_why(window):
    run = window.controller.training.run
    window.actions["train_play"].trigger()
    assert not run.running and "Choose a data set first" in window.controller.last_error
    window.controller.maps.data.generate("spiral")  # the default example has 3 inputs and 3 outputs
    window.actions["train_play"].trigger()
    assert not run.running and window.controller.last_error.startswith("Cannot train:")
    assert "3 inputs" in window.controller.last_error


def test_reset_draws_seeded_weights_as_one_undo_step_and_clears_the_history(window):
    run = xor_window(window)
    run.play()
    frames(run, 2)
    run.pause()
    trained = window.controller.network.layers[0].weights.copy()
    window.actions["train_reset"].trigger()
    assert run.epoch == 0
    fresh = window.controller.network.layers[0].weights.copy()
    assert not np.array_equal(fresh, trained)
    window.actions["undo"].trigger()
    np.testing.assert_array_equal(window.controller.network.layers[0].weights, trained)
    window.actions["redo"].trigger()
    np.testing.assert_array_equal(window.controller.network.layers[0].weights, fresh)


@pytest.mark.parametrize("name", ["circle", "xor"])
def test_tanh_learns_circle_and_xor_and_the_view_shows_the_model(window, name):
    net = Network.from_sizes([2, 6, 1], ["tanh", "tanh"], seed=0)
    window.controller.set_network(net, None)
    window.controller.maps.data.generate(name, noise=0.0, seed=0)
    run = window.controller.training.run
    run.budget_ms = None
    run.set_settings(TrainingSettings(learning_rate=0.03))
    run.play()
    frames(run, 40)
    assert run.history.column("val_loss")[-1] < 0.5 * run.history.column("val_loss")[0]
    window.controller.flush()
    shown_matches_forward(window)
    train, _ = split(window.controller.maps.data.dataset, 0.5)
    assert len(train) == len(window.controller.maps.data.train)


def test_after_the_window_closed_the_undo_stacks_last_signals_move_nothing(window):
    """Qt clears an undo stack as it deletes it, after the window's widgets are gone: the index change back to a
    run's first step redrew the Training dock's deleted labels (a RuntimeError at exit)."""
    run = xor_window(window)
    play = window.controller.training.play
    play.trigger()
    run.tick()
    play.trigger()
    assert len(run.history) == 1
    shown = []
    run.progressed.connect(lambda: shown.append(1))
    window.accept_close()
    window.controller.document.undo_stack.clear()  # as ~QUndoStack does
    assert shown == [] and not run.timer.isActive()
