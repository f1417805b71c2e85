"""Light and dark application palettes, and what the system asks for.

The theme follows the system until a person chooses: View ▸ Dark Theme picks light or dark for good, View ▸
Follow System Theme goes back (the controller keeps the choice, "system", "light" or "dark", in the settings).
Following the system needs the system's own
preference, which our palette must not mask: Qt ≥ 6.5 reports the desktop's colour scheme directly
(``QStyleHints.colorScheme``); otherwise the palette the application started with is remembered before the first
theme is applied, and its window colour decides.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

__all__ = ["THEME_CHOICES", "apply_theme", "dark_palette", "resolve_theme", "system_prefers_dark"]

#: The choices the settings store (View ▸ Follow System Theme is "system").
THEME_CHOICES = ("system", "light", "dark")

_system_palette: QPalette | None = None


def _remember_system_palette() -> QPalette:
    """The palette the application had before neuroviz changed it (the desktop's)."""
    global _system_palette
    if _system_palette is None:
        _system_palette = QPalette(QGuiApplication.palette())
    return _system_palette


def system_prefers_dark() -> bool:
    """True when the desktop asks for a dark scheme (or its window colour is dark)."""
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    if scheme is not None and scheme() != Qt.ColorScheme.Unknown:
        return scheme() == Qt.ColorScheme.Dark
    return _remember_system_palette().color(QPalette.ColorRole.Window).lightness() < 128


def resolve_theme(choice: str) -> bool:
    """Whether ``choice`` ("system", "light" or "dark"; anything else counts as "system") means dark."""
    if choice in ("light", "dark"):
        return choice == "dark"
    return system_prefers_dark()


def dark_palette() -> QPalette:
    palette = QPalette()
    base, window, text = QColor("#1e1f22"), QColor("#2b2d30"), QColor("#dfe1e5")
    roles = {
        QPalette.Window: window,
        QPalette.WindowText: text,
        QPalette.Base: base,
        QPalette.AlternateBase: QColor("#313337"),
        QPalette.ToolTipBase: QColor("#3c3f41"),
        QPalette.ToolTipText: text,
        QPalette.Text: text,
        QPalette.Button: window,
        QPalette.ButtonText: text,
        QPalette.BrightText: QColor("#ff6b6b"),
        QPalette.Highlight: QColor("#3574f0"),
        QPalette.HighlightedText: QColor("#ffffff"),
        QPalette.Link: QColor("#6ea8fe"),
        QPalette.PlaceholderText: QColor("#8c8f94"),
    }
    for role, colour in roles.items():
        palette.setColor(role, colour)
    for role in (QPalette.Text, QPalette.ButtonText, QPalette.WindowText):
        palette.setColor(QPalette.Disabled, role, QColor("#6f737a"))
    return palette


def apply_theme(dark: bool) -> None:
    """Set the Fusion style with a dark palette, or the light one: the desktop's own when it is light."""
    app = QApplication.instance()
    if app is None:
        return
    system = _remember_system_palette()
    app.setStyle("Fusion")
    if dark:
        app.setPalette(dark_palette())
    elif system.color(QPalette.ColorRole.Window).lightness() >= 128:
        app.setPalette(system)
    else:  # a dark desktop, and the person asked for light
        app.setPalette(app.style().standardPalette())
