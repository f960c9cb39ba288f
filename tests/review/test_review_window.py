"""Review in the window, offscreen, signed in to the reference server on loopback: the
navigation counts the questions due, and answering one on the Review page lowers the count.
The page is saved, light and dark, when ROUNDS_REVIEW_SHOTS names a folder."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from quiz_samples import QUIZ, RIGHT
from shots import in_app_themes, keep, shots_folder

from desktop_app.progress.interactions import answered_statement
from desktop_app.progress.quiz_scoring import parse_quiz
from desktop_app.progress.xapi import LessonRef
from desktop_app.views.main_window import REVIEW, MainWindow
from desktop_app.views.review.page import ReviewPage

pytestmark = pytest.mark.qt_log_ignore(
    "propagateSizeHints", "PulseAudio", "No audio device", "RHI", "pipewire"
)
QUIZ_LESSON = LessonRef("l-privacy-quiz", "c-privacy", "Quiz", "quiz")
SHOTS = shots_folder("ROUNDS_REVIEW_SHOTS")


def passed_a_month_ago(window: MainWindow) -> None:
    """The quiz's answers and its pass, recorded 30 days ago (so both questions are due)."""
    progress = window.study.progress
    at = progress.now() - timedelta(days=30)
    with window.study.account.db.session() as session:
        for n, question in enumerate(parse_quiz(QUIZ).questions):
            chosen = RIGHT[question.id]
            moment = at + timedelta(seconds=n)
            statement = answered_statement(progress.builder, QUIZ_LESSON, question, chosen, moment)
            progress.append(session, statement)
        progress.quiz_result(session, QUIZ_LESSON, 1.0, True, RIGHT, at=at + timedelta(seconds=5))


def test_the_navigation_counts_due_questions_and_an_answer_lowers_it(
    demo_window: MainWindow, qtbot: QtBot, qapp: QApplication
) -> None:
    window = demo_window
    assert window.nav.item(REVIEW).text() == "Review"
    assert not window.pages.is_built(REVIEW)  # built the first time it is shown
    passed_a_month_ago(window)
    window.refresh()
    qtbot.waitUntil(lambda: window.nav.item(REVIEW).text() == "Review (2)", timeout=10_000)

    window.nav.setCurrentRow(REVIEW)
    page = window.pages.currentWidget()
    assert isinstance(page, ReviewPage)  # built, and reading on the window's runner
    qtbot.waitUntil(lambda: page.box is not None, timeout=10_000)
    assert page.box is not None
    page.select(sorted(page.box.question.correct))
    page.check.click()
    assert window.nav.item(REVIEW).text() == "Review (1)"
    shoot(window, qapp)


def shoot(window: MainWindow, app: QApplication) -> None:
    if SHOTS is None:
        return
    window.resize(1000, 640)
    keep(in_app_themes(app, window, "review-window"), SHOTS)
