"""The Training dock: data choice, feature toggles, fitting the network, settings, warnings and numbers."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from neuroviz.model import Network
from tests.gui.driving import shown_matches_forward


def panel_of(window):
    return window.training_panel


def choose_data(panel, key):
    combo = panel.dataset_combo
    combo.setCurrentIndex(combo.findData(key))
    combo.activated.emit(combo.currentIndex())


def test_the_dock_is_in_the_view_menu_with_its_object_name(window):
    from PySide6.QtWidgets import QDockWidget

    dock = window.findChild(QDockWidget, "trainingDock")
    assert dock is not None and dock.isVisible()
    assert dock.toggleViewAction() in window.menuBar().actions()[2].menu().actions()


def test_choosing_spiral_offers_to_fit_the_network_and_fitting_is_one_undo_step(window):
    panel = panel_of(window)
    choose_data(panel, "spiral")
    data = window.controller.maps.data
    assert data.dataset.name == "spiral" and len(data.train) == 250
    assert not panel.fit_button.isHidden()
    assert "3 inputs" in panel.fit_label.text()
    panel.fit_button.click()
    net = window.controller.network
    assert net.input_features == ("x1", "x2") and net.sizes[-1] == 1 and net.layers[-1].activation == "sigmoid"
    assert panel.fit_button.isHidden()
    assert [box.isChecked() for box in panel.feature_boxes.values()] == [True, True] + [False] * 5
    window.actions["undo"].trigger()
    assert window.controller.network.sizes == [3, 6, 5, 3]
    assert not panel.fit_button.isHidden()


def test_feature_toggles_set_the_inputs_as_undoable_edits(window):
    window.controller.set_network(Network.from_sizes([2, 4, 1], ["tanh", "sigmoid"], seed=0), None)
    panel = panel_of(window)
    choose_data(panel, "circle")
    first = window.controller.network.layers[0].weights.copy()
    panel.feature_boxes["x1^2"].setChecked(True)
    net = window.controller.network
    assert net.input_features == ("x1", "x2", "x1^2") and net.input_names == ["x1", "x2", "x1^2"]
    np.testing.assert_array_equal(net.layers[0].weights[:2], first)  # x1 and x2 keep their weights
    shown_matches_forward(window)
    panel.feature_boxes["x1"].setChecked(False)
    assert window.controller.network.input_features == ("x2", "x1^2")
    window.actions["undo"].trigger()
    assert window.controller.network.input_features == ("x1", "x2", "x1^2")
    assert panel.feature_boxes["x1"].isChecked()
    window.actions["undo"].trigger()
    assert window.controller.network.input_features is None and window.controller.network.n_inputs == 2
    assert not panel.feature_boxes["x1^2"].isChecked()


def test_the_last_feature_cannot_be_turned_off(window):
    window.controller.set_network(Network.from_sizes([2, 4, 1], ["tanh", "sigmoid"], seed=0), None)
    panel = panel_of(window)
    choose_data(panel, "xor")
    panel.feature_boxes["x1"].setChecked(False)
    panel.feature_boxes["x2"].setChecked(False)
    assert "at least one input feature" in window.controller.last_error
    assert panel.feature_boxes["x2"].isChecked() and window.controller.network.input_features == ("x2",)


def test_noise_share_and_regenerate(window):
    panel = panel_of(window)
    choose_data(panel, "gauss")
    before = window.controller.maps.data.dataset.x.copy()
    panel.share_slider.setValue(80)
    assert len(window.controller.maps.data.train) == 400
    panel.noise_slider.setValue(30)
    noisy = window.controller.maps.data.dataset
    assert noisy.name == "gauss" and not np.array_equal(noisy.x, before)
    panel.regenerate_button.click()
    assert panel.seed_box.value() == 1
    assert not np.array_equal(window.controller.maps.data.dataset.x, noisy.x)
    assert panel.noise_slider.value() == 30 and panel.share_label.text() == "80 %"


def test_iris_is_split_with_every_species_in_both_parts(window):
    panel = panel_of(window)
    choose_data(panel, "iris")
    data = window.controller.maps.data
    assert set(data.train.y.astype(int)) == {0, 1, 2} == set(data.test.y.astype(int))
    assert not panel.noise_slider.isEnabled() and not any(b.isEnabled() for b in panel.feature_boxes.values())


def test_loss_is_suggested_and_mismatches_are_warned_about_in_words(window):
    panel = panel_of(window)
    assert panel.loss_combo.itemText(0) == "Categorical cross-entropy (suggested)"  # softmax output
    assert panel.loss_warning.isHidden()
    combo = panel.loss_combo
    combo.setCurrentIndex(combo.findData("binary_crossentropy"))
    combo.activated.emit(combo.currentIndex())
    assert "use categorical cross-entropy with softmax" in panel.loss_warning.text()
    assert window.controller.training.run.loss_name() == "binary_crossentropy"
    window.controller.set_network(Network.from_sizes([2, 3, 2], ["relu", "sigmoid"], seed=0), None)
    combo.setCurrentIndex(combo.findData("categorical_crossentropy"))
    combo.activated.emit(combo.currentIndex())
    assert "sigmoid outputs are independent" in panel.loss_warning.text()
    window.controller.set_network(Network.from_sizes([2, 3, 1], ["relu", "softmax"], seed=0), None)
    combo.setCurrentIndex(0)
    combo.activated.emit(0)
    assert "softmax over one neuron always outputs 1" in panel.loss_warning.text()


def test_optimizer_parameters_follow_the_optimizer_and_reach_the_run(window):
    panel = panel_of(window)
    assert set(panel.param_boxes) == {"beta_1", "beta_2"}
    combo = panel.optimizer_combo
    combo.setCurrentIndex(combo.findData("sgd"))
    combo.activated.emit(combo.currentIndex())
    assert set(panel.param_boxes) == {"momentum"}
    panel.param_boxes["momentum"].setValue(0.9)
    panel.param_boxes["momentum"].editingFinished.emit()
    panel.rate_box.setValue(0.1)
    panel.rate_box.editingFinished.emit()
    settings = window.controller.training.run.settings
    assert settings.optimizer == "sgd" and settings.options == {"momentum": 0.9} and settings.learning_rate == 0.1


def test_play_in_the_dock_shows_the_epoch_and_the_numbers_of_the_run(window, qtbot):
    window.controller.set_network(Network.from_sizes([2, 5, 1], ["tanh", "sigmoid"], seed=0), None)
    panel = panel_of(window)
    choose_data(panel, "circle")
    run = window.controller.training.run
    run.budget_ms = None
    assert panel.play_button.text() == "▶ Play"
    panel.play_button.click()
    assert panel.play_button.text() == "❚❚ Pause"
    for _ in range(3):
        run.tick()
    record = run.history.records[-1]
    assert panel.epoch_label.text() == "Epoch 3"
    assert panel.number("loss") == f"{record['loss']:.4f}" and panel.number("val_loss") == f"{record['val_loss']:.4f}"
    assert panel.number("accuracy") == f"{record['accuracy']:.1%}"
    qtbot.keyClick(window, Qt.Key.Key_Space)  # Space pauses
    assert not run.running and panel.play_button.text() == "▶ Play"
    panel.step_button.click()
    assert panel.epoch_label.text() == "Epoch 4"
    panel.reset_button.click()
    assert panel.epoch_label.text() == "Epoch 0" and panel.number("loss") == "–"


def test_the_accuracy_row_says_which_accuracy_it_is(window):
    """A tanh output on −1/+1 labels counts by sign (Keras' > 0.5 would never count a −1 row); sigmoid as Keras."""
    panel = panel_of(window)
    window.controller.set_network(Network.from_sizes([2, 5, 1], ["tanh", "tanh"], seed=0), None)
    choose_data(panel, "circle")
    assert "label's sign" in panel.row_labels["accuracy"].toolTip()
    assert panel.number_labels["val_accuracy"].toolTip() == panel.row_labels["accuracy"].toolTip()
    window.controller.set_network(Network.from_sizes([2, 5, 1], ["tanh", "sigmoid"], seed=0), None)
    choose_data(panel, "xor")
    assert "output > 0.5 equals the 0/1 label" in panel.row_labels["accuracy"].toolTip()


def test_a_bad_csv_says_what_and_where_and_keeps_the_data(window, tmp_path):
    panel = panel_of(window)
    choose_data(panel, "xor")
    path = tmp_path / "bad.csv"
    path.write_text("a,b,label\n1,2,x\n3,oops,y\n", encoding="utf-8")
    actions = window.controller.maps.data_actions
    actions.choose_dataset_path = lambda: str(path)
    actions.choose_target = lambda _path, header: "label"
    panel.open_button.click()
    assert "row 3" in window.controller.last_error and "oops" in window.controller.last_error
    assert window.controller.maps.data.dataset.name == "xor" and panel.dataset_combo.currentData() == "xor"


def test_a_good_csv_gets_its_own_entry(window, tmp_path):
    path = tmp_path / "points.csv"
    rows = "\n".join(f"{i % 7},{i % 5},{'ab'[i % 2]}" for i in range(40))
    path.write_text("u,v,label\n" + rows + "\n", encoding="utf-8")
    actions = window.controller.maps.data_actions
    actions.choose_dataset_path = lambda: str(path)
    actions.choose_target = lambda _path, header: "label"
    panel_of(window).open_button.click()
    panel = panel_of(window)
    assert panel.dataset_combo.currentData() == "csv" and panel.dataset_combo.currentText() == "points.csv"
    assert "2 input features (u, v)" in panel.fit_label.text() or "3 outputs" in panel.fit_label.text()


def _text_room(combo) -> int:
    """The width the style gives a combo box's text (its box less the frame and the arrow)."""
    from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    return field.width()


def test_long_loss_and_data_set_names_are_readable_at_the_default_window_size(qtbot, window):
    """At 1400 × 900 the Loss box beside its label was narrower than "Binary cross-entropy (suggested)" and cut it
    off; the Data set box cut "Iris (4 measurements, 3 species)". Their labels now sit above them: the whole name
    shows without widening the window, and the tooltip has it too (for a dock made narrower still)."""
    assert (window.width(), window.height()) == (1400, 900)
    assert window.training_dock.isVisible()
    window.controller.set_network(Network.from_sizes([2, 3, 1], ["relu", "sigmoid"], seed=0), None)
    panel = panel_of(window)
    combo = panel.loss_combo
    assert combo.currentText() == "Binary cross-entropy (suggested)"
    qtbot.waitUntil(lambda: _text_room(combo) >= combo.fontMetrics().horizontalAdvance(combo.currentText()))
    assert combo.currentText() in combo.toolTip()
    data = panel.dataset_combo
    for key in ("", "iris", "multi_gauss"):
        choose_data(panel, key)
        assert _text_room(data) >= data.fontMetrics().horizontalAdvance(data.currentText()), data.currentText()
        assert data.toolTip().startswith(data.currentText() + "\n")
    assert window.width() == 1400  # nothing grew the window
    assert window.centralWidget().width() >= window.width() // 2  # and the network keeps most of it
