"""Quiz lessons: scored locally, feedback per question, another attempt, every attempt recorded."""

from __future__ import annotations

import pytest
from player_samples import HEADLESS_NOISE, OpenLesson, content
from PySide6.QtCore import Qt, QTranslator
from PySide6.QtWidgets import QApplication, QCheckBox, QRadioButton, QWidget
from pytestqt.qtbot import QtBot
from quiz_samples import QUIZ, RIGHT, WRONG

from desktop_app.progress import ProgressLog
from desktop_app.views.player.quiz import QuizPage

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)


def quiz_page(player: QWidget) -> QuizPage:
    page = getattr(player, "page", None)
    assert isinstance(page, QuizPage)
    return page


def answer(page: QuizPage, answers: dict[str, list[str]]) -> None:
    for question_id, choices in answers.items():
        page.select(question_id, choices)


def test_right_answers_pass_and_complete_the_lesson(
    qtbot: QtBot, open_lesson: OpenLesson, progress_log: ProgressLog
) -> None:
    player = open_lesson(content("quiz", quiz=QUIZ))
    page = quiz_page(player)
    assert player.header.rule.text() == "Quiz · Complete when passed (pass mark 80%)"
    assert "Pass mark 80%" in page.summary.text()
    answer(page, RIGHT)
    with qtbot.waitSignal(player.completed, timeout=10_000):
        qtbot.mouseClick(page.submit, Qt.MouseButton.LeftButton)

    state = progress_log.lesson_state("l-quiz")
    assert (state.completed, state.passed, state.best_score, state.attempts) == (True, True, 1.0, 1)
    assert player.header.state.text() == "✓ Completed"
    assert page.summary.text().startswith("Passed: 2 of 2 right (100%)")
    assert [box.feedback.text() for box in page.boxes] == [
        "✓ Correct. Restricting the audience limits who can see the post.",
        "✓ Correct. Names and faces identify; aggregate figures do not.",
    ]


def test_wrong_answers_fail_are_recorded_and_can_be_tried_again(
    qtbot: QtBot, open_lesson: OpenLesson, progress_log: ProgressLog
) -> None:
    player = open_lesson(content("quiz", quiz=QUIZ))
    page = quiz_page(player)
    answer(page, WRONG)
    with qtbot.waitSignal(player.quiz_scored, timeout=10_000) as scored:
        qtbot.mouseClick(page.submit, Qt.MouseButton.LeftButton)
    assert scored.args == [0.0, False]
    state = progress_log.lesson_state("l-quiz")
    assert (state.completed, state.passed, state.best_score, state.attempts) == (False, False, 0, 1)
    assert not player.is_completed
    assert page.summary.text().startswith("Not passed yet: 0 of 2 right (0%)")
    assert page.boxes[1].feedback.text().startswith("✗ Not quite.")
    assert not any(button.isEnabled() for button in page.boxes[0].buttons())

    qtbot.mouseClick(page.retry, Qt.MouseButton.LeftButton)
    assert page.answers() == {"q1": [], "q2": []}
    assert not page.boxes[0].feedback.isVisible()
    assert not page.submit.isEnabled()
    answer(page, RIGHT)
    qtbot.mouseClick(page.submit, Qt.MouseButton.LeftButton)
    state = progress_log.lesson_state("l-quiz")
    assert (state.completed, state.attempts, state.best_score) == (True, 2, 1.0)


def test_single_choice_uses_radio_buttons_and_multiple_choice_check_boxes(
    open_lesson: OpenLesson,
) -> None:
    page = quiz_page(open_lesson(content("quiz", quiz=QUIZ)))
    first, second = page.boxes
    assert all(isinstance(button, QRadioButton) for button in first.buttons())
    assert all(isinstance(button, QCheckBox) for button in second.buttons())
    first.buttons()[0].click()
    first.buttons()[1].click()
    assert first.answer() == ["b"]
    second.buttons()[0].click()
    second.buttons()[1].click()
    assert second.answer() == ["a", "b"]


def test_submit_waits_until_every_question_is_answered(open_lesson: OpenLesson) -> None:
    page = quiz_page(open_lesson(content("quiz", quiz=QUIZ)))
    assert not page.submit.isEnabled()
    page.select("q1", ["b"])
    assert not page.submit.isEnabled()
    page.select("q2", ["c"])
    assert page.submit.isEnabled()


@pytest.mark.expect_log("desktop_app.views.player.player", "The quiz has no questions")
def test_a_malformed_quiz_shows_a_message(open_lesson: OpenLesson) -> None:
    player = open_lesson(content("quiz", quiz={"questions": []}))
    assert player.findChild(QuizPage) is None
    assert "This quiz cannot be shown" in getattr(player.page, "text", lambda: "")()


class Bracketed(QTranslator):
    """A translation that puts every sentence of the quiz's contexts in «»."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        return f"«{source}»" if context in ("progress", "LessonPlayer") else ""


@pytest.mark.expect_log("desktop_app.views.player.player", "The quiz has no questions")
def test_why_a_quiz_cannot_be_shown_is_in_the_window_language(
    open_lesson: OpenLesson, qapp: QApplication
) -> None:
    translator = Bracketed()
    qapp.installTranslator(translator)
    try:
        player = open_lesson(content("quiz", quiz={"questions": []}))
        text = getattr(player.page, "text", lambda: "")()
    finally:
        qapp.removeTranslator(translator)
    assert text == "«This quiz cannot be shown: «The quiz has no questions.»»"
