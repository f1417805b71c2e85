"""``neuroviz.show(obj)``: open the window from Python (a notebook, a script, an IPython console).

``obj`` is a :class:`~neuroviz.model.Network`, a path to a network file (.json, .keras, .h5), or an in-memory Keras
model: that one is saved with its own ``save()`` to a temporary ``.keras`` file and read by neuroviz's loader, so
only the caller needs Keras. Without an event loop ``show`` runs one until the window is closed; when IPython
already runs Qt's (``%gui qt``), it returns the window at once and the notebook stays usable.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["qt_event_loop_running", "show"]


def show(obj: Any = None, settings=None):
    """Open the neuroviz window on ``obj`` (None: the default example); returns the window.

    A bad file or object raises ValueError (NetworkFileError for files) before any window appears.
    """
    from neuroviz.app import build_window, build_window_on, ensure_application

    network = _as_network(obj)
    ensure_application()
    window = build_window(obj, settings=settings) if network is None else build_window_on(network, settings=settings)
    window.raise_()
    if not qt_event_loop_running():
        _wait_until_closed(window)
    return window


def _as_network(obj: Any):
    """A Network to show, or None when ``obj`` is a path (or None) that build_window opens itself."""
    from neuroviz.model import Network

    if obj is None or isinstance(obj, str | os.PathLike):
        return None
    if isinstance(obj, Network):
        return obj
    if callable(getattr(obj, "save", None)) and hasattr(obj, "layers"):  # a Keras model
        with tempfile.TemporaryDirectory(prefix="neuroviz-") as folder:
            path = Path(folder) / "model.keras"
            obj.save(path)
            return Network.load(path)
    raise TypeError(f"show: expected a Network, a file path or a Keras model, got {type(obj).__name__}")


def qt_event_loop_running() -> bool:
    """Whether IPython drives Qt's event loop (``%gui qt``, in a terminal or a Jupyter kernel)."""
    ipython_module = sys.modules.get("IPython")
    if ipython_module is None:
        return False
    shell = ipython_module.get_ipython()
    if shell is None:
        return False
    loop = getattr(shell, "active_eventloop", None)
    if isinstance(loop, str) and loop.startswith("qt"):
        return True
    kernel_loop = getattr(getattr(shell, "kernel", None), "eventloop", None)
    return kernel_loop is not None and "qt" in getattr(kernel_loop, "__name__", "")


def _wait_until_closed(window) -> None:
    """Run Qt's event loop until the window has closed for good (after any unsaved-changes question)."""
    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()
    window.closed.connect(loop.quit)
    loop.exec()
