"""Whether a presenter's dock is on screen, so that its redraws can wait while nobody sees them.

Training redraws every view at display rate; a view on a tab behind another (the activation plot behind the
Training Charts, the inspector behind the layers) took about 3 ms of each frame for nothing. Qt moves such a dock
off screen rather than hiding it (``isVisible()`` stays True) and says so through ``visibilityChanged``, which
:class:`OnScreen` follows. Redraws wait only while the window itself is shown: a window built for an export or a
test that is never shown draws everything at once, as before. A presenter asks :meth:`OnScreen.held` at the top of
its ``update``; the redraw it skipped is made once when the dock comes back, or by :meth:`OnScreen.catch_up` before a
picture of the view is taken (File ▸ Export, animations).
"""

from __future__ import annotations

from collections.abc import Callable


class OnScreen:
    """Tracks one dock for one presenter's ``redraw`` (its ``update``)."""

    def __init__(self, redraw: Callable[[], None]) -> None:
        self.redraw = redraw
        self.dock = None
        self.shown = True  # until a dock is attached: a presenter without one always draws
        self.stale = False  # a redraw was held back
        self._forced = False

    def attach(self, dock) -> None:
        """Follow ``dock``'s visibility (a QDockWidget)."""
        self.dock = dock
        self.shown = dock.isVisible()
        dock.visibilityChanged.connect(self._on_visibility_changed)

    def held(self) -> bool:
        """True when the redraw should wait (the window is on screen, the dock is not); the wait is remembered."""
        if self._forced or self.shown or self.dock is None or not self.dock.window().isVisible():
            return False
        self.stale = True
        return True

    def catch_up(self) -> None:
        """Make the redraw that was held back, also while the dock is hidden (before its picture is taken)."""
        if not self.stale:
            return
        self.stale = False
        self._forced = True
        try:
            self.redraw()
        finally:
            self._forced = False

    def _on_visibility_changed(self, shown: bool) -> None:
        self.shown = shown
        if shown:
            self.catch_up()
