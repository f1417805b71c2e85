"""The composition root: the only place that builds window + controller, and the ``neuroviz`` command.

neuroviz [FILE]                       open the window (the default example network when no FILE)
neuroviz export FILE -o OUT [...]     render a view or a table to OUT without a window (see --help)
neuroviz export FILE --animate ...    an animated GIF or PNG frames of a view (neuroviz.cli_animate)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from neuroviz.application import ensure_application
from neuroviz.cli.parsing import OneLineParser, gui_parser

__all__ = ["OneLineParser", "build_window", "display_problem", "ensure_application", "main"]

#: Qt's xcb platform plugin needs these at run time; Debian/Ubuntu package names, for the message.
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-shape": "libxcb-shape0",
    "xcb-randr": "libxcb-randr0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-image": "libxcb-image0",
    "EGL": "libegl1",
    "GL": "libgl1",
    "fontconfig": "libfontconfig1",
    "dbus-1": "libdbus-1-3",
}


def display_problem(environ: os._Environ | dict | None = None) -> str | None:
    """Why Qt could not open a window here, in words a person can act on; None when it should work.

    Qt itself only says "Could not load the Qt platform plugin xcb" and aborts the process, so we look first.
    """
    env = os.environ if environ is None else environ
    platform = env.get("QT_QPA_PLATFORM", "")
    if not sys.platform.startswith("linux") or platform not in ("", "xcb"):
        return None
    if platform == "" and env.get("WAYLAND_DISPLAY"):
        return None
    if not env.get("DISPLAY"):
        return (
            "neuroviz: no display to open a window on (DISPLAY is not set). Run it from a desktop session, "
            "or on a virtual screen with `xvfb-run neuroviz`; `neuroviz export` writes pictures without a display."
        )
    import ctypes.util  # here, not at the top: 12 ms of start-up that only this check needs

    missing = [package for lib, package in XCB_LIBRARIES.items() if ctypes.util.find_library(lib) is None]
    if missing:
        return (
            "neuroviz: Qt cannot open a window because system libraries are missing. "
            f"On Debian/Ubuntu install them with: sudo apt-get install {' '.join(missing)}"
        )
    if not _can_connect_to_x(env["DISPLAY"]):
        return (
            f"neuroviz: cannot connect to the X display {env['DISPLAY']!r} (no X server answers there). Check "
            "DISPLAY, or run on a virtual screen with `xvfb-run neuroviz`; `neuroviz export` needs no display."
        )
    return None


def _can_connect_to_x(display: str) -> bool:
    """Whether an X server answers on ``display``: Qt would abort the process with a misleading message."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("xcb")
    if name is None:
        return True  # cannot tell; Qt will say what it thinks
    xcb = ctypes.CDLL(name)
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        return connection is not None and xcb.xcb_connection_has_error(connection) == 0
    finally:
        if connection is not None:
            xcb.xcb_disconnect(connection)  # also frees the error object xcb_connect returns on failure


def build_window(path: str | os.PathLike | None = None, settings=None, show: bool = True):
    """The main window on the network at ``path`` (the default example if None), shown, event loop not entered.

    A bad file raises NetworkFileError before any window appears. ``settings`` (a QSettings) lets tests and
    embedders keep their preferences apart from the user's.
    """
    from neuroviz.controller import Controller
    from neuroviz.model import Network
    from neuroviz.model.files import example_path
    from neuroviz.views.main_window import MainWindow

    ensure_application()
    network = Network.load(path if path is not None else example_path("default"))
    window = MainWindow(settings=settings)
    window.controller = Controller(window, network, str(path) if path is not None else None)
    window.restore_layout()
    if show:
        window.show()
    return window


def build_window_on(network, settings=None, show: bool = True):
    """The main window on ``network`` itself (no file yet: Save asks where), shown, event loop not entered."""
    from neuroviz.controller import Controller
    from neuroviz.views.main_window import MainWindow

    ensure_application()
    window = MainWindow(settings=settings)
    window.controller = Controller(window, network, None)
    window.restore_layout()
    if show:
        window.show()
    return window


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``neuroviz`` command."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "export" and any(arg == "--animate" or arg.startswith("--animate=") for arg in args):
        from neuroviz.cli_animate import run_animate

        return run_animate(args[1:])  # its own options (data, training, frames): `neuroviz export x --animate x -h`
    if args and args[0] == "export":
        from neuroviz.cli_export import run_export

        return run_export(args[1:])
    if args and args[0] == "train":
        from neuroviz.cli_train import main as run_train

        return run_train(args[1:])
    options = gui_parser().parse_args(args)
    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    from neuroviz.model import NetworkFileError

    app = ensure_application([sys.argv[0], *args])
    try:
        window = build_window(options.file)
    except NetworkFileError as error:
        print(f"neuroviz: {error}", file=sys.stderr)
        return 2
    window.raise_()
    if os.environ.get("NEUROVIZ_EXIT_AFTER_PAINT"):
        _exit_after_first_paint(app, window)
    return app.exec()


def _exit_after_first_paint(app, window) -> None:
    """For the start-up benchmark: print a mark once the window has painted, then quit."""
    from PySide6.QtCore import QEvent, QObject

    class FirstPaint(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Paint:
                print("neuroviz-first-paint", flush=True)
                app.quit()
            return False

    window._first_paint_filter = FirstPaint(window)
    window.installEventFilter(window._first_paint_filter)
