"""Light and dark application palettes. The default follows the system; View ▸ Dark Theme switches."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


def system_prefers_dark() -> bool:
    """True when the desktop asks for a dark scheme (or its window colour is dark)."""
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    if scheme is not None and scheme() == Qt.ColorScheme.Dark:
        return True
    return QGuiApplication.palette().color(QPalette.Window).lightness() < 128


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
    """Set the Fusion style with a light or dark palette on the running application."""
    app = QApplication.instance()
    if app is None:
        return
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if dark else app.style().standardPalette())
