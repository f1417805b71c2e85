"""A Keras model stored in a lower precision says so in the status bar when it is opened (issue 10 item 13)."""

from __future__ import annotations

from pathlib import Path

import pytest

from neuroviz.app import build_window

PRECISION = Path(__file__).resolve().parents[1] / "fixtures" / "keras" / "precision"


@pytest.mark.parametrize("name", ["float16.keras", "bfloat16.keras"])
def test_opening_a_low_precision_model_says_its_precision(qtbot, tmp_path, name):
    from PySide6.QtCore import QSettings

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
    window = build_window(settings=settings)
    qtbot.addWidget(window)
    assert window.statusBar().currentMessage() == ""
    assert window.controller.open(str(PRECISION / name), ask=False)
    message = window.statusBar().currentMessage()
    assert name.split(".")[0] in message, message


def test_a_float32_model_opens_without_a_precision_note(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
    window = build_window(str(PRECISION / "identity_flatten.keras"), settings=settings)
    qtbot.addWidget(window)
    assert "precision" not in window.statusBar().currentMessage()
