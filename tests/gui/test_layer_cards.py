"""Layer cards: long names elided (issue 10, item 12), parameters outside their meaningful range marked (item 16),
a one-neuron softmax output warned about (item 19)."""

import pytest
from driving import choose, enter
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from neuroviz.app import build_window
from neuroviz.model import Network, activations
from neuroviz.views.layer_panel import LayerInfo, LayerPanel

SHORT = "dense"
LONG_78 = "sequential_model_with_a_long_name/dense_block_3/hidden_representation_layer_12"
LONG_200 = "very_" * 40


def open_window(qtbot, settings, tmp_path, net, fresh_settings=False):
    path = tmp_path / "net.json"
    net.save(path)
    if fresh_settings:  # a window of its own, not one restored to the size the last one was closed at
        settings = QSettings(str(tmp_path / f"{net.layers[0].name[:20]}.ini"), QSettings.Format.IniFormat)
    window = build_window(path, settings=settings)
    qtbot.addWidget(window)
    window.controller.ask_unsaved = lambda: "discard"
    QApplication.processEvents()
    return window


def named_network(name):
    net = Network.from_sizes([2, 3, 2], activations=["relu", "softmax"], seed=0)
    net.layers[0].name = name
    return net


# -- item 12 ---------------------------------------------------------------------------------------------------------
def test_a_long_name_is_elided_with_the_whole_name_in_its_tooltip(qtbot):
    assert len(LONG_78) == 78
    panel = LayerPanel()
    qtbot.addWidget(panel)
    panel.set_layers([LayerInfo(LONG_78, 3, "relu", activations.get("relu").defaults())])
    short = LayerPanel()
    qtbot.addWidget(short)
    short.set_layers([LayerInfo(SHORT, 3, "relu", activations.get("relu").defaults())])
    assert panel.minimumSizeHint().width() == short.minimumSizeHint().width()
    panel.resize(320, 400)
    panel.show()
    qtbot.waitExposed(panel)
    label = panel.title_label(1)
    assert panel.title(1) == LONG_78
    assert label.shown_text().endswith("…") and len(label.shown_text()) < len(LONG_78)
    assert LONG_78 in label.toolTip()


@pytest.mark.parametrize("name", [LONG_78, LONG_200])
def test_a_long_layer_name_widens_neither_the_layers_dock_nor_the_window(qtbot, settings, tmp_path, name):
    short = open_window(qtbot, settings, tmp_path, named_network(SHORT), fresh_settings=True)
    widths = (short.layers_dock.width(), short.layer_panel.minimumSizeHint().width(), short.minimumSizeHint().width())
    short_window_width = short.width()
    short.accept_close()
    long = open_window(qtbot, settings, tmp_path, named_network(name), fresh_settings=True)
    assert long.layer_panel.title(1) == name
    assert (long.layers_dock.width(), long.layer_panel.minimumSizeHint().width(), long.minimumSizeHint().width()) == (
        widths
    )
    assert long.width() == short_window_width
    long.accept_close()


# -- item 16 ---------------------------------------------------------------------------------------------------------
def test_elu_alpha_minus_one_is_accepted_and_marked_with_its_reason(qtbot, settings, tmp_path):
    window = open_window(qtbot, settings, tmp_path, Network.from_sizes([2, 3, 1], activations=["elu", "linear"]))
    panel = window.layer_panel
    mark = panel.param_warning_mark(1, "alpha")
    assert mark.isHidden()
    enter(qtbot, panel.param_editor(1, "alpha"), "-1")
    assert window.controller.network.layers[0].params["alpha"] == -1.0  # allowed, as in Keras
    mark = panel.param_warning_mark(1, "alpha")
    assert mark.isVisible()
    assert mark.toolTip().startswith("alpha = -1 is outside alpha > 0: ")
    assert "draws a V" in mark.toolTip()
    assert "draws a V" in panel.param_editor(1, "alpha").toolTip()
    enter(qtbot, panel.param_editor(1, "alpha"), "0.5")
    assert panel.param_warning_mark(1, "alpha").isHidden()
    assert "⚠" not in panel.param_editor(1, "alpha").toolTip()
    window.accept_close()


def test_relu_max_value_is_marked_when_the_threshold_moves_above_it(qtbot, settings, tmp_path):
    net = Network.from_sizes([2, 3, 1], activations=["relu", "linear"])
    net.set_params(1, max_value=2.0)
    window = open_window(qtbot, settings, tmp_path, net)
    panel = window.layer_panel
    assert panel.param_warning_mark(1, "max_value").isHidden()
    enter(qtbot, panel.param_editor(1, "threshold"), "3")  # the other parameter's edit changes this mark
    assert panel.param_warning_mark(1, "max_value").isVisible()
    assert "with threshold = 3" in panel.param_warning_mark(1, "max_value").toolTip()
    assert panel.param_warning_mark(1, "threshold").isHidden()
    window.controller.undo_stack.undo()
    assert panel.param_warning_mark(1, "max_value").isHidden()
    window.accept_close()


# -- item 19 ---------------------------------------------------------------------------------------------------------
def test_a_one_neuron_softmax_output_is_warned_about_in_its_card(qtbot, settings, tmp_path):
    net = Network.from_sizes([2, 3, 2], activations=["relu", "softmax"], seed=0)
    window = open_window(qtbot, settings, tmp_path, net)
    panel = window.layer_panel
    assert not panel.notes_label(2).isVisible()
    with qtbot.waitSignal(panel.sizeChanged):
        enter(qtbot, panel.size_box(2), "1")
    note = panel.notes_label(2)
    assert note.isVisible()
    assert note.text() == "softmax over one neuron is always 1 — use sigmoid for a binary output"
    choose(window, 2, "sigmoid")
    assert not panel.notes_label(2).isVisible()
    window.accept_close()
