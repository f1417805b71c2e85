"""Lessons, opened and followed through the widgets as a learner would: every step is ticked when done, and every
number a lesson states is the app's own (the tutorials' outputs reproduced)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocumentFragment

from neuroviz import lessons
from neuroviz.model import activations, probe
from neuroviz.model.display import format_value
from neuroviz.views.lesson_dock import DONE_MARK, KEY_ROLE, TODO_MARK
from tests.gui.driving import choose
from tests.gui.test_custom_formula import open_editor


def _open_from_help(window, qtbot, key: str):
    """Help ▸ Lessons…, pick ``key`` in the list, press Open."""
    window.actions["lessons"].trigger()
    dialog = window.controller.lessons.dialog
    assert dialog is not None and dialog.isVisible()
    keys = [dialog.list.item(row).data(KEY_ROLE) for row in range(dialog.list.count())]
    assert keys == [item.key for item in lessons.LESSONS]
    dialog.list.setCurrentRow(keys.index(key))
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    window.controller.flush()
    return window.lesson_panel


def _ticks(panel) -> list[bool]:
    marks = [text[0] for text in panel.step_texts()]
    assert set(marks) <= {DONE_MARK, TODO_MARK}
    return [mark == DONE_MARK for mark in marks]


def _set_param(window, name: str, value: float) -> None:
    window.layer_panel.param_editor(1, name).setValue(value)
    window.controller.flush()


def _set_input(window, i: int, value: float) -> None:
    box = window.input_panel.spin_box(i)
    box.setValue(value)
    window.controller.flush()


def test_the_first_run_offers_a_lesson_until_one_is_opened(window, qtbot):
    bar = window.description_bar
    assert bar.lesson_button.isVisible()
    qtbot.mouseClick(bar.lesson_button, Qt.MouseButton.LeftButton)
    dialog = window.controller.lessons.dialog
    assert dialog.isVisible()
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert window.lesson_dock.isVisible() and not bar.lesson_button.isVisible()
    assert window.preferences.lesson_started


def test_relu_lesson_reproduces_the_tutorials_outputs(window, qtbot):
    panel = _open_from_help(window, qtbot, "relu")
    assert window.lesson_dock.isVisible() and panel.title_label.text().endswith("ReLU and its parameters")
    assert not window.plot_dock.visibleRegion().isEmpty()  # no chart to show: the activation plot is in front
    text = panel.text.toPlainText()
    # the tutorial's vector and parameters; its printed output (threshold=7) and DESIGN.md's all-three example
    for params, expected in [
        ({}, [0.0, 0.0, 0.0, 3.0, 9.0]),
        ({"negative_slope": 0.7}, [-3.5, -5.6, 0.0, 3.0, 9.0]),
        ({"max_value": 3.0}, [0.0, 0.0, 0.0, 3.0, 3.0]),
        ({"threshold": 7.0}, [-0.0, -0.0, 0.0, 0.0, 9.0]),
        ({"negative_slope": 0.7, "max_value": 3.0, "threshold": 7.0}, [-8.4, -10.5, -4.9, -2.8, 3.0]),
    ]:
        computed = activations.get("relu")(np.array(lessons.RELU_Z), **params)
        np.testing.assert_allclose(computed, expected, rtol=1e-12)
        assert "[" + ", ".join(format_value(v) for v in computed) + "]" in text
    np.testing.assert_array_equal(window.outputs_chart.bar_heights(), [0, 0, 0, 3, 9])
    assert _ticks(panel) == [False] * 4
    window.plot_tools.probe_edit.setText("-5, -8, 0, 3, 9")
    assert _ticks(panel) == [True, False, False, False]
    assert window.plot_tools.probe_result() == "relu(z) = [0, 0, 0, 3, 9]"
    _set_param(window, "negative_slope", 0.7)
    assert _ticks(panel) == [True, True, False, False]
    np.testing.assert_allclose(window.outputs_chart.bar_heights(), [-3.5, -5.6, 0, 3, 9], rtol=1e-12)
    _set_param(window, "negative_slope", 0.0)
    window.layer_panel.param_limit_box(1, "max_value").setChecked(True)
    _set_param(window, "max_value", 3.0)
    assert _ticks(panel) == [True, True, True, False]
    window.layer_panel.param_limit_box(1, "max_value").setChecked(False)
    _set_param(window, "threshold", 7.0)
    assert _ticks(panel) == [True] * 4
    np.testing.assert_array_equal(window.outputs_chart.bar_heights(), [0, 0, 0, 0, 9])  # the tutorial's output
    assert panel.progress_label.text() == "All 4 steps done — well done!"


def _steps_in_view(panel) -> bool:
    """Whether the "Try this" heading is inside the lesson page's visible part."""
    text = panel.text
    block = text.document().find("Try this").block()
    top = text.document().documentLayout().blockBoundingRect(block).top()
    scroll = text.verticalScrollBar().value()
    return scroll <= top <= scroll + text.viewport().height()


def test_a_new_tick_scrolls_the_steps_into_view(window, qtbot):
    panel = _open_from_help(window, qtbot, "selu")  # a long text: the steps start below the fold
    panel.text.resize(panel.text.width(), 200)
    panel.text.verticalScrollBar().setValue(0)
    assert not _steps_in_view(panel)
    window.actions["train_step"].trigger()
    assert _ticks(panel)[0] and _steps_in_view(panel)


def test_squash_lesson(window, qtbot):
    panel = _open_from_help(window, qtbot, "squash")
    text = panel.text.toPlainText()
    assert f"σ(8) = {format_value(activations.get('sigmoid')(8.0))}" in text
    assert f"σ′(8) = {format_value(activations.get('sigmoid').derivative(8.0))}" in text
    tutorial = [6.3051174e-16, 6.6929162e-03, 5.0000000e-01, 9.9752736e-01, 1.0000000e00]  # as the tutorial printed
    # (the tutorial computed in float32: 7 digits)
    np.testing.assert_allclose(activations.get("sigmoid")(np.array(lessons.SIGMOID_Z)), tutorial, rtol=2e-5)
    window.plot_tools.probe_edit.setText("-35, -5, 0, 6, 25")
    assert window.plot_tools.probe_result() == "sigmoid(z) = [6.305e-16, 0.006693, 0.5, 0.9975, 1]"
    assert _ticks(panel) == [True, False, False, False]
    _set_input(window, 0, 9.0)
    assert _ticks(panel) == [True, True, False, False]
    _set_input(window, 0, -9.0)
    assert _ticks(panel) == [True, True, True, False]
    choose(window, 1, "tanh")
    _set_input(window, 0, -2.0)
    assert _ticks(panel) == [True] * 4
    assert window.outputs_chart.bar_heights()[0] == pytest.approx(np.tanh(-2.0))


def test_softmax_lesson_outputs_to_three_decimals_and_sum(window, qtbot):
    panel = _open_from_help(window, qtbot, "softmax")
    tutorial = [0.02364054, 0.06426166, 0.1746813, 0.474833, 0.02364054, 0.06426166, 0.1746813]
    np.testing.assert_allclose(window.outputs_chart.bar_heights(), tutorial, atol=5e-4)
    assert window.outputs_chart.sum_text() == "Σ = 1"
    window.plot_tools.probe_edit.setText("0.1, 0.2, 0.3, 0.4, 0.1, 0.2, 0.3")
    assert _ticks(panel) == [True, False, False]
    lines = window.plot_tools.probe_result().split("\n")
    small = probe.probe(window.controller.network.layers[0], 0.1 * np.array(lessons.SOFTMAX_Z))
    assert lines == probe.probe_lines("softmax(z)", small)
    assert "z / Σz = [0.0625, 0.125, 0.1875, 0.25" in lines[1]
    _set_input(window, 3, 1.0)
    assert _ticks(panel) == [True, True, False] and window.outputs_chart.sum_text() == "Σ = 1"
    choose(window, 1, "sparsemax")
    window.controller.flush()
    assert _ticks(panel) == [True, True, True]
    assert np.any(window.outputs_chart.bar_heights() == 0.0)


def test_softplus_lesson(window, qtbot):
    panel = _open_from_help(window, qtbot, "softplus")
    assert "differ by at most 0" in panel.text.toPlainText()  # softplus′ − sigmoid, computed: exactly 0
    tools = window.plot_tools
    tools.compare_box.setCurrentIndex(tools.compare_box.findData("softplus"))
    assert _ticks(panel) == [True, False]
    choose(window, 1, "softplus")
    window.controller.flush()
    tools.compare_box.setCurrentIndex(tools.compare_box.findData("sigmoid"))
    assert _ticks(panel) == [True, True]
    _x, f, _df = window.activation_plot.comparison_data()
    _, derivative = window.activation_plot.derivative_data()
    np.testing.assert_allclose(derivative, f, atol=1e-12)  # the plot shows softplus′ on the sigmoid


def test_softsign_lesson(window, qtbot):
    panel = _open_from_help(window, qtbot, "softsign")
    assert f"softsign {format_value(0.75)}" in panel.text.toPlainText()
    tools = window.plot_tools
    tools.compare_box.setCurrentIndex(tools.compare_box.findData("softsign"))
    choose(window, 1, "softsign")
    _set_input(window, 0, 3.0)
    assert _ticks(panel) == [True, False]  # tanh is not on the plot yet
    tools.compare_box.setCurrentIndex(tools.compare_box.findData("tanh"))
    assert _ticks(panel) == [True, True]
    x, compared, _df = window.activation_plot.comparison_data()
    np.testing.assert_allclose(compared, np.tanh(x), atol=1e-12)  # the dotted curve is tanh, beside softsign
    assert window.outputs_chart.bar_heights()[0] == 0.75


def test_custom_lesson(window, qtbot):
    panel = _open_from_help(window, qtbot, "custom")
    editor = open_editor(window, 1)
    editor.ok_button().click()
    window.controller.flush()
    assert _ticks(panel) == [True, False, False]
    _set_param(window, "beta", 10.0)
    assert _ticks(panel) == [True, True, False]
    tools = window.plot_tools
    tools.compare_box.setCurrentIndex(tools.compare_box.findData("relu"))
    assert _ticks(panel) == [True, True, True]


def test_every_lesson_opens_and_states_only_computed_numbers(window, qtbot):
    for item in lessons.LESSONS:
        panel = _open_from_help(window, qtbot, item.key)
        assert panel.text.toPlainText().startswith(_plain_document(item.text()))
        assert len(panel.step_texts()) == len(item.steps) >= 2
        assert window.controller.network.name.startswith("Lesson")
        assert not window.controller.undo_stack.count()


def _plain_document(html_text: str) -> str:
    return QTextDocumentFragment.fromHtml(html_text).toPlainText()


def test_ticks_stay_and_opening_another_network_ends_the_lesson(window, qtbot):
    panel = _open_from_help(window, qtbot, "relu")
    window.plot_tools.probe_edit.setText("-5, -8, 0, 3, 9")
    window.plot_tools.probe_edit.clear()
    assert _ticks(panel)[0]  # done once: stays ticked
    window.controller.open_example("xor")
    assert not window.lesson_dock.isVisible() and window.controller.lessons.current is None


def test_close_keeps_the_network_and_next_opens_the_next_lesson(window, qtbot):
    panel = _open_from_help(window, qtbot, "relu")
    qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    assert window.controller.lessons.current.key == lessons.LESSONS[1].key
    network = window.controller.network
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    assert not window.lesson_dock.isVisible() and window.controller.network is network


def test_unsaved_work_is_asked_about_first_and_cancel_keeps_it(window, qtbot):
    ctrl = window.controller
    ctrl.edit("bias", lambda n: n.set_bias(1, 0, 1.5), 1)
    ctrl.ask_unsaved = lambda: "cancel"
    assert not ctrl.lessons.open_lesson("relu")
    assert ctrl.network.layers[0].biases[0] == 1.5 and not window.lesson_dock.isVisible()


def test_unknown_lesson_says_which_exist():
    with pytest.raises(ValueError, match="lessons: relu, squash"):
        lessons.lesson("nope")


def test_vanishing_gradient_lesson_trains_and_shows_the_ratio(window, qtbot):
    panel = _open_from_help(window, qtbot, "vanishing")
    ctrl = window.controller
    charts = window.training_charts  # the claim's chart is in front
    assert charts.tabText(charts.currentIndex()) == "Gradient flow" and not window.charts_dock.visibleRegion().isEmpty()
    assert ctrl.maps.data.dataset is not None and ctrl.maps.data.dataset.name == "circle"
    assert ctrl.training.run.settings.optimizer == "sgd" and ctrl.training.run.settings.learning_rate == 0.5
    ratios = lessons.deep_stack_ratios()
    text = panel.text.toPlainText()
    assert f"{lessons.ratio_text(ratios['sigmoid'])}×" in text and f"{lessons.ratio_text(ratios['relu'])}×" in text
    assert ratios["sigmoid"] >= 100 * ratios["relu"]  # the claim the lesson makes, as the engine computes it
    for _ in range(3):
        window.actions["train_step"].trigger()
    history = ctrl.training.run.history
    assert len(history) == 3
    assert lessons.gradient_ratio(history.gradient_norms[-1]) >= lessons.VANISHING_RATIO
    assert _ticks(panel) == [True, False]
    for k in range(1, 7):
        choose(window, k, "relu")
    ctrl.flush()
    window.actions["train_reset"].trigger()
    for _ in range(3):
        window.actions["train_step"].trigger()
    assert lessons.gradient_ratio(ctrl.training.run.history.gradient_norms[-1]) < 10
    assert _ticks(panel) == [True, True]


def test_dying_relu_lesson(window, qtbot):
    panel = _open_from_help(window, qtbot, "dying")
    ctrl = window.controller
    dead, _loss = lessons.dying_outcomes()["relu"]
    assert f"{dead} of 8" in panel.text.toPlainText() and dead >= 1
    for _ in range(lessons.DYING_EPOCHS):
        window.actions["train_step"].trigger()
    stats = ctrl.training.run.history.statistics[-1]
    assert int(stats.dead_everywhere[1]) == dead  # the window's run matches the number the lesson stated
    assert _ticks(panel) == [True, False, False]
    for k in (1, 2):
        choose(window, k, "leaky_relu")
    window.actions["train_reset"].trigger()
    for _ in range(lessons.DYING_EPOCHS):
        window.actions["train_step"].trigger()
    assert float(np.max(ctrl.training.run.history.statistics[-1].dead_share)) == 0.0
    assert _ticks(panel) == [True, True, False]
    for k in (1, 2):
        choose(window, k, "prelu")
    window.actions["train_reset"].trigger()
    window.actions["train_step"].trigger()
    assert _ticks(panel) == [True, True, True]
    alpha = ctrl.network.layers[0].params["alpha"]
    assert not np.allclose(alpha, 0.25)
    assert window.layer_panel.param_editor(1, "alpha").value() == pytest.approx(float(np.ravel(alpha)[0]))


def test_selu_lesson(window, qtbot):
    panel = _open_from_help(window, qtbot, "selu")
    ctrl = window.controller
    first, mean, std = lessons.selu_statistics()["selu"]
    assert f"deviation {format_value(std)} in the eighth" in panel.text.toPlainText()
    assert abs(mean) < 0.1 and abs(std - 1) < 0.1 < abs(first - 1)  # the claim, as computed
    window.actions["train_step"].trigger()
    assert _ticks(panel) == [True, False]
    for k in range(1, 9):
        choose(window, k, "tanh")
    window.actions["train_reset"].trigger()
    window.actions["train_step"].trigger()
    stats = ctrl.training.run.history.statistics[-1]
    assert stats.std[-2] < 0.5 * stats.std[0]
    assert _ticks(panel) == [True, True]


def test_elu_lesson(window, qtbot):
    panel = _open_from_help(window, qtbot, "elu")
    means = lessons.elu_means()
    text = panel.text.toPlainText()
    assert f"with α = 2 {format_value(means['elu α=2'])}" in text
    assert means["relu"] > means["elu"] > means["elu α=2"]  # the claim: negative outputs pull the mean down
    window.plot_tools.probe_edit.setText("-5, -1, 0, 1, 5")
    assert _ticks(panel) == [True, False, False]
    assert window.plot_tools.probe_result().startswith("elu(z) = [-0.9933, -0.6321, 0, 1, 5]")
    for k in (1, 2):
        window.controller.selection.select_layer(k)
        window.layer_panel.param_editor(k, "alpha").setValue(2.0)
        window.controller.flush()
    assert _ticks(panel) == [True, True, False]
    for k in (1, 2):
        choose(window, k, "relu")
    window.controller.flush()
    assert _ticks(panel) == [True, True, True]


def _choose_combo(combo, key) -> None:
    """Pick an entry of a Training dock combo box as a click would (its ``activated`` signal)."""
    combo.setCurrentIndex(combo.findData(key))
    combo.activated.emit(combo.currentIndex())


def test_outputs_lesson_matches_output_and_loss_for_each_problem(window, qtbot):
    panel = _open_from_help(window, qtbot, "outputs")
    dock, ctrl = window.training_panel, window.controller
    text = panel.text.toPlainText()
    for decision, suggested in lessons.output_suggestions():  # the dock's own suggestion is the guide's loss
        assert suggested == decision.loss
        assert decision.situation in text
    assert ctrl.maps.data.dataset.name == "plane" and dock.loss_combo.currentText() == "Mean squared error (suggested)"
    window.actions["train_step"].trigger()
    assert _ticks(panel) == [True, False, False, False]
    _choose_combo(dock.dataset_combo, "circle")
    choose(window, 3, "sigmoid")
    ctrl.flush()
    assert dock.loss_combo.currentText() == "Binary cross-entropy (suggested)" and dock.loss_warning.isHidden()
    assert _ticks(panel) == [True, True, False, False]
    _choose_combo(dock.dataset_combo, "iris")
    assert not dock.fit_button.isHidden()
    dock.fit_button.click()
    ctrl.flush()
    assert ctrl.network.n_outputs == 3 and ctrl.network.layers[-1].activation == "softmax"
    assert dock.loss_combo.currentText() == "Categorical cross-entropy (suggested)"
    assert _ticks(panel) == [True, True, True, False]
    _choose_combo(dock.loss_combo, "binary_crossentropy")  # the mistake the step asks to read about
    assert "use categorical cross-entropy with softmax" in dock.loss_warning.text()
    assert not dock.loss_warning.visibleRegion().isEmpty()  # scrolled into view in the Training dock
    _choose_combo(dock.loss_combo, "")
    choose(window, 3, "sigmoid")
    ctrl.flush()
    assert dock.loss_combo.currentText() == "Binary cross-entropy (suggested)" and dock.loss_warning.isHidden()
    assert _ticks(panel) == [True] * 4
    _choose_combo(dock.loss_combo, "categorical_crossentropy")
    assert "sigmoid outputs are independent" in dock.loss_warning.text()


def test_the_guides_output_rows_open_the_outputs_lesson(window, qtbot):
    from neuroviz.model import advice

    assert {d.lesson for d in advice.DECISIONS if d.place == "output"} == {"outputs"}
    assert {d.lesson for d in advice.DECISIONS if d.lesson} <= {item.key for item in lessons.LESSONS}


def test_race_lesson_fixes_the_output_races_and_keeps_the_stated_winner(window, qtbot):
    from tests.gui.test_race_dialog import finish, open_race

    panel = _open_from_help(window, qtbot, "race")
    dock, ctrl = window.training_panel, window.controller
    outcome = lessons.race_outcome()
    winner = min(outcome, key=outcome.__getitem__)
    text = panel.text.toPlainText()
    assert f"The winner is {winner}." in text and f"{winner} {format_value(outcome[winner])}" in text
    assert "softmax over one neuron always outputs 1" in dock.loss_warning.text()
    assert _ticks(panel) == [False] * 4
    choose(window, 3, "sigmoid")
    ctrl.flush()
    assert dock.loss_warning.isHidden() and _ticks(panel) == [True, False, False, False]
    dialog, race = open_race(window, qtbot, names=("relu", "tanh", "sigmoid"), epochs=lessons.RACE_EPOCHS)
    assert _ticks(panel) == [True, True, False, False]
    finish(race)
    assert _ticks(panel) == [True, True, True, False]
    shown = {c.name: c.final_loss() for c in race.race.contenders}
    assert shown == outcome  # the window's race is the one the lesson computed
    assert dialog.keep_combo.currentData() == winner
    assert any(title.startswith(f"★ {winner}") for title in dialog.map_titles())
    qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert [layer.activation for layer in ctrl.network.layers] == [winner, winner, "sigmoid"]
    assert _ticks(panel) == [True] * 4


def test_faster_lesson_relu_converges_first_with_sgd_and_with_adam(window, qtbot):
    from tests.gui.test_race_dialog import finish, open_race

    panel = _open_from_help(window, qtbot, "faster")
    dock = window.training_panel
    sgd, adam = lessons.convergence("sgd"), lessons.convergence("adam")
    ratios = lessons.starting_gradient_ratios()
    text = panel.text.toPlainText()
    # the claim, as the engine computes it: relu first; with SGD sigmoid never gets there, with Adam it does, later
    assert sgd["relu"][0] is not None and sgd["sigmoid"][0] is None and sgd["sigmoid"][1] > 0.6
    assert sgd["tanh"][0] is not None and sgd["relu"][0] <= sgd["tanh"][0]
    assert adam["relu"][0] is not None and adam["sigmoid"][0] is not None and adam["relu"][0] < adam["sigmoid"][0]
    assert ratios["sigmoid"] > 100 * ratios["relu"]  # the reason given: sigmoid's gradient vanishes on the way back
    assert f"relu epoch {sgd['relu'][0]}, tanh epoch {sgd['tanh'][0]}, sigmoid not within" in text
    assert f"sigmoid gets there too, at epoch {adam['sigmoid'][0]}" in text
    assert f"{lessons.ratio_text(ratios['sigmoid'])}× smaller" in text
    dialog, race = open_race(window, qtbot, names=("relu", "tanh", "sigmoid"), epochs=10)
    assert _ticks(panel) == [True, False, False]
    finish(race)
    assert _ticks(panel) == [True, True, False]
    for c in race.race.contenders:  # the curves the window draws reach the threshold when the lesson said
        _epochs, curve = dialog.chart.series(c.name)
        assert lessons.epochs_to(list(curve), lessons.FASTER_THRESHOLD) == sgd[c.name][0]
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    _choose_combo(dock.optimizer_combo, "adam")
    dock.rate_box.setValue(0.01)
    dock.rate_box.editingFinished.emit()
    dialog, race = open_race(window, qtbot, names=("relu", "tanh", "sigmoid"), epochs=20)
    finish(race)
    assert _ticks(panel) == [True, True, True]
    assert {c.name: lessons.epochs_to(list(dialog.chart.series(c.name)[1]), 0.2) for c in race.race.contenders} == {
        name: reached for name, (reached, _loss) in adam.items()
    }


def test_faster_lesson_states_the_activation_costs_its_clock_measured(window, qtbot, monkeypatch):
    """ "Sigmoid is computationally heavy": the lesson times the app's relu and sigmoid on this computer and states
    those numbers. The test gives it a fake clock (tests never time anything): relu runs take 2 ms, sigmoid 7 ms."""
    from neuroviz.lessons import races

    ticks = []
    for name_ms in [2.0] * races.COST_RUNS + [7.0] * races.COST_RUNS:
        ticks += [0.0, name_ms / 1e3]
    clock = iter(ticks)
    monkeypatch.setattr(races, "_CLOCK", lambda: next(clock))
    races.activation_costs.cache_clear()
    try:
        panel = _open_from_help(window, qtbot, "faster")
        text = " ".join(panel.text.toPlainText().split())
        assert "relu of 1,000,000 pre-activations took 2 ms, sigmoid 7 ms — 3.5× as long" in text
    finally:
        races.activation_costs.cache_clear()
        monkeypatch.undo()
    measured = races.activation_costs()  # the real clock: two positive durations, whatever this machine does
    assert set(measured) == {"relu", "sigmoid"} and all(seconds > 0 for seconds in measured.values())
    races.activation_costs.cache_clear()
