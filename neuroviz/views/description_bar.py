"""The bar above the network that says what the opened network is for (its description: what to look at, what to
try). Examples carry one; it closes with its × and comes back with Help ▸ About This Network."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget

from neuroviz.views import colors


class DescriptionBar(QFrame):
    """The network's name and description, word-wrapped, with a close button; hidden when there is none.

    Until a first lesson is opened it also offers "Start with a lesson" (``lessonOffered`` when pressed).
    """

    lessonOffered = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("descriptionBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title_label = QLabel()
        self.title_label.setObjectName("descriptionTitle")
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.text_label = QLabel()
        self.text_label.setObjectName("descriptionText")
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Hide this description (Help ▸ About This Network shows it again)")
        self.close_button.setAccessibleName("Hide the network's description")
        self.close_button.clicked.connect(self.hide)
        self.note_label = QLabel()
        self.note_label.setObjectName("descriptionNote")
        self.note_label.setWordWrap(True)
        self.note_label.setEnabled(False)  # muted: a remark about the text, not part of it
        self.note_label.hide()
        self.lesson_button = QPushButton("Start with a lesson…")
        self.lesson_button.setObjectName("startLesson")
        self.lesson_button.setToolTip("Short lessons that show what each activation function does (Help ▸ Lessons)")
        self.lesson_button.clicked.connect(self.lessonOffered)
        self.lesson_button.hide()
        texts = QVBoxLayout()
        texts.setSpacing(2)
        texts.addWidget(self.title_label)
        texts.addWidget(self.text_label)
        texts.addWidget(self.note_label)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 4, 6)
        row.addLayout(texts, 1)
        row.addWidget(self.lesson_button, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self._dark = False
        self.hide()

    def set_description(self, title: str, text: str) -> None:
        """Show ``text`` under ``title``; an empty ``text`` hides the bar."""
        self.title_label.setText(title)
        self.text_label.setText(text)
        self.setVisible(bool(text.strip()))

    def set_note(self, text: str) -> None:
        """A muted line under the description (e.g. that the network was changed since it was opened)."""
        self.note_label.setText(text)
        self.note_label.setVisible(bool(text))

    def offer_lessons(self, on: bool) -> None:
        """Show or hide the "Start with a lesson" button."""
        self.lesson_button.setVisible(on)

    def has_description(self) -> bool:
        return bool(self.text_label.text().strip())

    def reveal(self) -> None:
        """Show the bar again (Help ▸ About This Network), if there is something to show."""
        self.setVisible(self.has_description())

    def set_dark(self, dark: bool) -> None:
        self._dark = bool(dark)
        theme = colors.theme(self._dark)
        background = colors.mix(theme.positive, theme.background, 0.88).name()
        self.setStyleSheet(
            f"#descriptionBar {{ background: {background}; border: none; border-bottom: 1px solid {theme.muted}; }}"
            f"#descriptionBar QLabel {{ color: {theme.foreground}; }}"
        )
