"""The Lesson dock: what the lesson is about, its "try this" steps ticked off as the app sees them done, and the
list of lessons (Help ▸ Lessons…). Dumb views: the lesson presenter fills them and hears their buttons."""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

DONE_MARK, TODO_MARK = "✓", "○"
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
STEPS_ANCHOR = "steps"


class LessonPanel(QWidget):
    """The open lesson: title; one scrolling page with its text and its steps (✓ done, ○ to do); progress; Restart,
    Next and Close."""

    restartRequested = Signal()
    nextRequested = Signal()
    closeRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title_label = QLabel()
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.setMinimumHeight(160)
        self.text.setToolTip("What this lesson shows, and steps to try: each is ticked when the window sees it done")
        self.progress_label = QLabel()
        self.restart_button = QPushButton("Restart")
        self.restart_button.setToolTip("Open the lesson's network again, as it was at the start")
        self.next_button = QPushButton("Next")
        self.next_button.setToolTip("Open the next lesson")
        self.close_button = QPushButton("Close")
        self.close_button.setToolTip("Leave the lesson; the network stays to play with")
        self.restart_button.clicked.connect(self.restartRequested)
        self.next_button.clicked.connect(self.nextRequested)
        self.close_button.clicked.connect(self.closeRequested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress_label, 1)
        for button in (self.restart_button, self.next_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.title_label)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)
        self._body = ""
        self._steps: list[str] = []
        self._done: list[bool] = []

    def show_lesson(self, title: str, text_html: str, steps: Sequence[str], has_next: bool) -> None:
        self.title_label.setText(title)
        self._body, self._steps = text_html, list(steps)
        self.next_button.setEnabled(has_next)
        self._done = []
        self.set_done([False] * len(steps))
        self.text.verticalScrollBar().setValue(0)

    def set_done(self, done: Sequence[bool]) -> None:
        """Tick the steps that are done (the page keeps its scroll position)."""
        done = [bool(d) for d in done]
        if done == self._done:
            return
        newly_done = len(self._done) == len(done) and any(
            d and not was for d, was in zip(done, self._done, strict=False)
        )
        self._done = done
        items = "".join(
            f"<tr><td style='font-size:large; padding-right:6px'>{DONE_MARK if finished else TODO_MARK}</td>"
            f"<td>{index + 1}. {step}</td></tr>"
            for index, (step, finished) in enumerate(zip(self._steps, done, strict=True))
        )
        scroll = self.text.verticalScrollBar().value()
        self.text.setHtml(
            f"{self._body}<h3><a name='{STEPS_ANCHOR}'></a>Try this</h3>"
            f"<table cellspacing='0' cellpadding='3'>{items}</table>"
        )
        self.text.verticalScrollBar().setValue(scroll)
        if newly_done:  # the tick just made is in view, not scrolled away under the lesson's text
            self.text.scrollToAnchor(STEPS_ANCHOR)
        count, total = sum(done), len(done)
        self.progress_label.setText(
            f"All {total} steps done — well done!" if total and count == total else f"{count} of {total} steps done"
        )

    # accessors for tests
    def step_texts(self) -> list[str]:
        """Each step as shown, with its mark ("✓ 1. …" or "○ 1. …"), tags removed."""
        return [
            f"{DONE_MARK if finished else TODO_MARK} {index + 1}. {re.sub(r'<[^>]*>', '', step)}"
            for index, (step, finished) in enumerate(zip(self._steps, self._done, strict=True))
        ]


class LessonsDialog(QDialog):
    """Help ▸ Lessons…: every lesson with its summary; Open (or a double click) starts one."""

    lessonChosen = Signal(str)

    def __init__(self, lessons: Sequence[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        """``lessons``: (key, title, summary) each."""
        super().__init__(parent)
        self.setWindowTitle("Lessons")
        self.resize(640, 520)  # thirteen lessons with their summaries, without scrolling
        intro = QLabel(
            "Each lesson opens a small network of its own and a few steps to try; the Lesson panel ticks them off "
            "as you do them. Your current network is kept if you choose to save it first."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(True)
        for number, (key, title, summary) in enumerate(lessons, start=1):
            item = QListWidgetItem(f"{number}. {title}\n     {summary}")
            item.setData(KEY_ROLE, key)
            item.setToolTip(summary)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda item: self._choose(item.data(KEY_ROLE)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(lambda: self._choose(self.list.currentItem().data(KEY_ROLE)))
        buttons.rejected.connect(self.reject)
        self.open_button = buttons.button(QDialogButtonBox.StandardButton.Open)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def _choose(self, key: str) -> None:
        self.accept()
        self.lessonChosen.emit(key)
