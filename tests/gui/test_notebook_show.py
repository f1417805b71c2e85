"""neuroviz.show: the window on a Network, a path or a Keras model; blocking unless IPython runs Qt's loop."""

import shutil
import sys
import types
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

import neuroviz
from neuroviz.model import Network
from neuroviz.notebook import qt_event_loop_running

KERAS_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "keras" / "relu_then_softmax.keras"


class FakeShell:
    def __init__(self, loop):
        self.active_eventloop = loop


def fake_ipython(monkeypatch, loop):
    module = types.ModuleType("IPython")
    shell = FakeShell(loop)
    module.get_ipython = lambda: shell
    monkeypatch.setitem(sys.modules, "IPython", module)


def close_when_shown(qtbot):
    """Close the window show() opens once the event loop it runs is going (the user's click, in a test)."""
    closed = []
    before = set(QApplication.topLevelWidgets())  # windows of other tests are not the one show() opens

    def close():
        for widget in QApplication.topLevelWidgets():
            if widget not in before and hasattr(widget, "controller") and widget.isVisible():
                widget.controller.ask_unsaved = lambda: "discard"
                closed.append(widget.windowTitle())
                widget.close()
                return
        QTimer.singleShot(10, close)

    QTimer.singleShot(0, close)
    return closed


def test_ipython_qt_loop_is_detected(monkeypatch):
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    assert not qt_event_loop_running()
    fake_ipython(monkeypatch, None)
    assert not qt_event_loop_running()
    fake_ipython(monkeypatch, "inline")
    assert not qt_event_loop_running()
    fake_ipython(monkeypatch, "qt6")
    assert qt_event_loop_running()


def test_show_a_network_returns_at_once_when_ipython_runs_qt(qtbot, settings, monkeypatch):
    fake_ipython(monkeypatch, "qt")
    net = Network.from_sizes([3, 4, 2], ["tanh", "softmax"], seed=1, name="mine")
    window = neuroviz.show(net, settings=settings)
    qtbot.addWidget(window)
    assert window.isVisible() and window.windowTitle().startswith("mine")
    shown = window.controller.network
    assert shown.sizes == [3, 4, 2] and np.array_equal(shown.layers[0].weights, net.layers[0].weights)
    assert window.controller.path is None  # Save asks where: nothing is written behind the user's back
    window.controller.ask_unsaved = lambda: "discard"
    window.close()


def test_show_a_path_blocks_until_the_window_is_closed(qtbot, settings, tmp_path, monkeypatch):
    monkeypatch.delitem(sys.modules, "IPython", raising=False)
    path = tmp_path / "net.json"
    Network.from_sizes([2, 2, 1], name="blocking").save(path)
    closed = close_when_shown(qtbot)
    window = neuroviz.show(path, settings=settings)
    qtbot.addWidget(window)
    assert closed == ["net.json[*] — neuroviz"] and not window.isVisible()


def test_show_a_keras_model_saves_it_and_reads_it_with_our_loader(qtbot, settings, monkeypatch):
    fake_ipython(monkeypatch, "qt")

    class KerasModelStandIn:
        """What show() uses of a Keras model: layers and save(path) (here copying a file Keras wrote)."""

        layers = ("dense", "dense_1")

        def save(self, path):
            assert str(path).endswith(".keras")
            shutil.copyfile(KERAS_FIXTURE, path)

    window = neuroviz.show(KerasModelStandIn(), settings=settings)
    qtbot.addWidget(window)
    expected = Network.load(KERAS_FIXTURE)
    assert window.controller.network.sizes == expected.sizes
    assert [layer.activation for layer in window.controller.network.layers] == ["relu", "softmax"]
    window.controller.ask_unsaved = lambda: "discard"
    window.close()


def test_show_refuses_what_it_cannot_show():
    with pytest.raises(TypeError, match="expected a Network, a file path or a Keras model, got int"):
        neuroviz.show(42)
