"""One question to review: its prompt, its choices and, once checked, the verdict."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop_app.review import ReviewQuestion
from desktop_app.views.player.quiz import choice_row
from desktop_app.views.status_colours import BAD, GOOD, PLAIN, set_tone


class ReviewQuestionBox(QWidget):
    """The choices of one question (check boxes when several are right)."""

    def __init__(self, question: ReviewQuestion, course: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.question = question
        source = QLabel(self.tr("From {course}").format(course=course), wordWrap=True)
        source.setTextFormat(Qt.TextFormat.PlainText)
        set_tone(source, PLAIN)
        prompt = QLabel(question.prompt, wordWrap=True)
        prompt.setTextFormat(Qt.TextFormat.PlainText)
        font = prompt.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        prompt.setFont(font)
        many = question.multiple
        hint = QLabel(self.tr("Choose all that apply.") if many else self.tr("Choose one."))
        set_tone(hint, PLAIN)
        self.group = QButtonGroup(self, exclusive=not many)
        self.feedback = QLabel(wordWrap=True)
        self.feedback.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (source, prompt, hint):
            layout.addWidget(widget)
        for choice in question.choices:
            layout.addLayout(choice_row(self.group, many, choice.id, choice.text))
        layout.addWidget(self.feedback)

    def buttons(self) -> list[QAbstractButton]:
        return self.group.buttons()

    def answer(self) -> list[str]:
        return [str(b.property("choice_id")) for b in self.buttons() if b.isChecked()]

    def select(self, choice_ids: list[str]) -> None:
        for button in self.buttons():
            button.setChecked(button.property("choice_id") in choice_ids)

    def show_result(self, right: bool) -> str:
        """Lock the choices and say whether the answer was right; returns what it says."""
        if right:
            text = self.tr("✓ Correct.")
        else:
            correct = [c.text for c in self.question.choices if c.id in self.question.correct]
            text = self.tr("✗ Not quite. The answer: {answer}").format(answer="; ".join(correct))
        self.feedback.setText(text)
        set_tone(self.feedback, GOOD if right else BAD)
        self.feedback.setVisible(True)
        for button in self.buttons():
            button.setEnabled(False)
        return text
