"""What went wrong, told to the person: the status bar, and a non-blocking message box for failed file actions."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox


class Messages:
    def __init__(self, window) -> None:
        self.window = window
        self.last_error = ""  # the last problem reported, for tests and scripts

    def report(self, message: str) -> None:
        """Say what went wrong in the status bar; nothing on screen changes."""
        self.last_error = message
        self.window.statusBar().showMessage(message, 10000)

    def show_error(self, title: str, message: str) -> None:
        self.report(message)
        box = QMessageBox(QMessageBox.Warning, title, message, QMessageBox.Ok, self.window)
        box.setModal(True)
        box.open()  # not exec(): never block (tests, scripted use)

    def note(self, message: str, milliseconds: int = 5000) -> None:
        self.window.statusBar().showMessage(message, milliseconds)
