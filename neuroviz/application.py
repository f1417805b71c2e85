"""The QApplication neuroviz runs in: its names, icon, style and pyqtgraph's options, set once before any item."""

from __future__ import annotations

from collections.abc import Sequence

from neuroviz.version import __version__


def ensure_application(argv: Sequence[str] | None = None):
    """The running QApplication, created (with our names and pyqtgraph options) if there is none yet."""
    from PySide6.QtWidgets import QApplication

    from neuroviz.views import pg_options  # noqa: F401  (sets pyqtgraph's options, once)

    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv) if argv else ["neuroviz"])
        app.setApplicationName("neuroviz")
        app.setOrganizationName("neuroviz")
        app.setApplicationVersion(__version__)
        app.setDesktopFileName("neuroviz")
        app.setStyle("Fusion")
        app.setWindowIcon(_icon())
    return app


def _icon():
    from importlib.resources import files

    from PySide6.QtGui import QIcon

    return QIcon(str(files("neuroviz.resources") / "icons" / "neuroviz.svg"))
