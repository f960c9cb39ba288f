"""Quiz lessons: answer, submit, see feedback per question, try again. Scored locally."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_app.progress.quiz_scoring import Question, Quiz, QuizResult, score_quiz
from desktop_app.views.i18n import format_number
from desktop_app.views.player.announce import announce
from desktop_app.views.status_colours import BAD, GOOD, PLAIN, set_tone


def percent(share: float) -> str:
    return format_number(share * 100)


class ChoiceLabel(QLabel):
    """The wrapping text of one choice; a click on it ticks its button.

    Signals:
    clicked(): the learner clicked the text.
    """

    clicked = Signal()

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()


def choice_row(group: QButtonGroup, multiple: bool, choice_id: str, text: str) -> QHBoxLayout:
    """One choice: a check box (several answers) or radio button in `group`, and its text as a
    wrapping label beside it (buttons do not wrap their text), which ticks it when clicked."""
    button = QCheckBox() if multiple else QRadioButton()
    button.setProperty("choice_id", choice_id)
    button.setAccessibleName(text)
    group.addButton(button)
    label = ChoiceLabel(text)
    label.setBuddy(button)
    label.clicked.connect(button.click)  # a disabled button ignores the click
    row = QHBoxLayout()
    row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
    row.addWidget(label, 1)
    return row


class QuestionBox(QGroupBox):
    """One question: its choices (radio buttons, or check boxes when several may be right)."""

    def __init__(self, number: int, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.setTitle(self.tr("Question {number}").format(number=format_number(number)))
        prompt = QLabel(question.prompt, wordWrap=True)
        prompt.setTextFormat(Qt.TextFormat.PlainText)
        font = prompt.font()
        font.setBold(True)
        prompt.setFont(font)
        hint = self.tr("Choose all that apply.") if question.multiple else self.tr("Choose one.")
        self.group = QButtonGroup(self, exclusive=not question.multiple)
        self.feedback = QLabel(wordWrap=True)
        self.feedback.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        hint_label = QLabel(hint, wordWrap=True)
        set_tone(hint_label, PLAIN)
        layout.addWidget(hint_label)
        for choice in question.choices:
            layout.addLayout(choice_row(self.group, question.multiple, choice.id, choice.text))
        layout.addWidget(self.feedback)

    def buttons(self) -> list[QAbstractButton]:
        return self.group.buttons()

    def answer(self) -> list[str]:
        return [str(b.property("choice_id")) for b in self.buttons() if b.isChecked()]

    def show_result(self, right: bool) -> None:
        verdict = self.tr("✓ Correct.") if right else self.tr("✗ Not quite.")
        text = f"{verdict} {self.question.feedback}".strip()
        self.feedback.setText(text)
        set_tone(self.feedback, GOOD if right else BAD)
        self.feedback.setVisible(True)
        self.setAccessibleDescription(text)
        self.set_locked(True)

    def reset(self) -> None:
        self.group.setExclusive(False)
        for button in self.buttons():
            button.setChecked(False)
        self.group.setExclusive(not self.question.multiple)
        self.feedback.setVisible(False)
        self.setAccessibleDescription("")
        self.set_locked(False)

    def set_locked(self, locked: bool) -> None:
        for button in self.buttons():
            button.setEnabled(not locked)


class QuizPage(QWidget):
    """Shows one quiz.

    Signals:
    scored(float, bool, dict): an attempt was submitted: score (0…1), passed, and the answers
        (question id -> chosen choice ids).
    """

    scored = Signal(float, bool, dict)

    def __init__(self, quiz: Quiz, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.quiz = quiz
        self.boxes = [QuestionBox(n, q) for n, q in enumerate(quiz.questions, start=1)]
        self.submit = QPushButton(self.tr("Submit"))
        self.submit.clicked.connect(self.submit_answers)
        self.retry = QPushButton(self.tr("Try again"))
        self.retry.setVisible(False)
        self.retry.clicked.connect(self.try_again)
        self.summary = QLabel(wordWrap=True)
        for box in self.boxes:
            box.group.buttonToggled.connect(self._update_submit)
        self._layout()
        self._show_prompt()

    def first_answer(self) -> QAbstractButton | None:
        buttons = self.boxes[0].buttons() if self.boxes else []
        return buttons[0] if buttons else None

    def _layout(self) -> None:
        questions = QWidget()
        column = QVBoxLayout(questions)
        for box in self.boxes:
            column.addWidget(box)
        column.addStretch(1)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its answers take the focus, in view
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(questions)
        actions = QHBoxLayout()
        actions.addWidget(self.summary, 1)
        actions.addWidget(self.retry)
        actions.addWidget(self.submit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addLayout(actions)

    def answers(self) -> dict[str, list[str]]:
        return {box.question.id: box.answer() for box in self.boxes}

    def select(self, question_id: str, choice_ids: list[str]) -> None:
        """Tick exactly `choice_ids` for one question (what a learner does by clicking)."""
        box = next(b for b in self.boxes if b.question.id == question_id)
        for button in box.buttons():
            button.setChecked(button.property("choice_id") in choice_ids)

    def submit_answers(self) -> QuizResult:
        answers = self.answers()
        result = score_quiz(self.quiz, answers)
        for box in self.boxes:
            box.show_result(result.correct[box.question.id])
        self._show_result(result)
        self.submit.setVisible(False)
        self.retry.setVisible(True)
        self.retry.setFocus(Qt.FocusReason.OtherFocusReason)  # the answers are locked now
        announce(self.summary, self.summary.text())
        self.scored.emit(result.score, result.passed, answers)
        return result

    def try_again(self) -> None:
        for box in self.boxes:
            box.reset()
        self.retry.setVisible(False)
        self.submit.setVisible(True)
        self._show_prompt()
        first = self.first_answer()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_submit(self) -> None:
        self.submit.setEnabled(all(box.answer() for box in self.boxes))

    def _show_prompt(self) -> None:
        set_tone(self.summary, "")
        prompt = self.tr("Pass mark {mark}%. Answer every question, then submit.")
        self.summary.setText(prompt.format(mark=percent(self.quiz.pass_mark)))
        self._update_submit()

    def _show_result(self, result: QuizResult) -> None:
        if result.passed:
            verdict = self.tr("Passed: {right} of {total} right ({score}%); pass mark {mark}%.")
        else:
            verdict = self.tr(
                "Not passed yet: {right} of {total} right ({score}%); pass mark {mark}%."
            )
        self.summary.setText(
            verdict.format(
                right=format_number(sum(result.correct.values())),
                total=format_number(len(self.boxes)),
                score=percent(result.score),
                mark=percent(self.quiz.pass_mark),
            )
        )
        set_tone(self.summary, GOOD if result.passed else BAD)
