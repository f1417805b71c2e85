"""Ways the GUI tests drive the window as a person would, and the check that what it shows is the model's."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from neuroviz.views.layer_panel import ACTIVATION_ROLE


def choose(window, k: int, name: str) -> None:
    """Pick an activation in layer k's combo box, as a user clicking its entry."""
    combo = window.layer_panel.combo(k)
    index = combo.findData(name, ACTIVATION_ROLE)
    assert index >= 0, name
    combo.setCurrentIndex(index)


def enter(qtbot, box, text=None, key=Qt.Key.Key_Return) -> None:
    """Focus ``box``; type ``text`` over its contents (if given); press ``key``."""
    box.setFocus()
    if text is not None:
        box.selectAll()
        qtbot.keyClicks(box, text)
    qtbot.keyClick(box, key)


def shown_matches_forward(window) -> None:
    """What the views were handed equals a fresh Network.forward of the model on screen, bit for bit."""
    ctrl = window.controller
    ctrl.flush()
    fresh = ctrl.network.forward()
    for k in range(len(fresh.activations)):
        np.testing.assert_array_equal(ctrl.propagation.activations[k], fresh.activations[k])
        np.testing.assert_array_equal(ctrl.propagation.derivatives[k], fresh.derivatives[k])
    np.testing.assert_array_equal(window.outputs_chart.bar_heights(), fresh.activations[-1])
