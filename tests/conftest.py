"""Shared test set-up: Qt runs offscreen, before any QApplication exists."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: Tests that take minutes alone (the monkey's long run): collected first, so that under pytest-xdist one worker
#: starts them at once while the others share the rest, instead of the run waiting for them at its end.
LONGEST_FIRST = ("test_monkey_drives_random_user_actions_and_the_views_stay_true",)


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=lambda item: item.name not in LONGEST_FIRST)  # stable: the rest keep their order


@pytest.fixture
def settings(tmp_path):
    """A QSettings file of the test's own, so tests never read or write the user's preferences."""
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "neuroviz.ini"), QSettings.IniFormat)


@pytest.fixture
def window(qtbot, settings):
    """The real main window on the default example, shown offscreen."""
    from neuroviz.app import build_window

    win = build_window(settings=settings)
    qtbot.addWidget(win)
    win.controller.ask_unsaved = lambda: "discard"
    yield win
    win.controller.undo_stack.clear()
    win.accept_close()
