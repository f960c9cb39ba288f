"""The Review page, offscreen: a due question answered records a statement; a pause hides it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from shots import keep, light_and_dark, shots_folder

from desktop_app.db import Database
from desktop_app.gui.background import BackgroundRunner
from desktop_app.progress import store
from desktop_app.review import ReviewQueue
from desktop_app.views.review.nav import review_nav_title
from desktop_app.views.review.page import ReviewPage

from .learner import Clock, learner_log, pass_quiz

SHOTS = shots_folder("ROUNDS_REVIEW_SHOTS")


@pytest.fixture
def page(db: Database, qtbot: QtBot, runner: BackgroundRunner) -> ReviewPage:
    clock = Clock()
    log = learner_log(db, clock)
    pass_quiz(log)
    clock.advance(timedelta(days=30))
    shown = ReviewPage(ReviewQueue(log), lambda _course: "Patient privacy", runner)
    qtbot.addWidget(shown)
    shown.resize(720, 560)
    return shown


def read(page: ReviewPage, qtbot: QtBot) -> None:
    """Refresh the page and wait until the worker's reading is shown."""
    page.refresh()
    qtbot.waitUntil(lambda: not page.reading, timeout=10_000)


def review_answers(db: Database) -> list[dict[str, object]]:
    with db.session() as session:
        statements = store.all_statements(session)
    return [s for s in statements if s.get("context", {}).get("extensions")]


def test_answering_a_due_question_records_a_review_statement(
    page: ReviewPage, db: Database, qtbot: QtBot
) -> None:
    counts: list[int] = []
    page.due_changed.connect(counts.append)
    read(page, qtbot)
    assert counts == [2] and review_nav_title(2) == "Review (2)"
    assert page.box is not None and not page.check.isEnabled()
    question = page.box.question
    page.select(sorted(question.correct))
    page.check.click()

    [answer] = review_answers(db)
    assert answer["object"]["id"] == question.iri  # type: ignore[index]
    assert answer["result"]["success"] is True  # type: ignore[index]
    assert page.box.feedback.text().startswith("✓")
    assert counts[-1] == 1 and not page.next.isHidden() and page.check.isHidden()
    qtbot.waitUntil(lambda: not page.reading, timeout=10_000)  # counted again on a worker
    assert counts[-1] == 1 and page.box.question == question  # the verdict stays until Next
    page.next.click()
    assert page.box is not None and page.box.question != question


def test_pausing_the_course_hides_its_questions(page: ReviewPage, qtbot: QtBot) -> None:
    read(page, qtbot)
    [pause] = page.pause_boxes.values()
    assert pause.text() == "Pause reviews of Patient privacy"
    pause.setChecked(True)
    qtbot.waitUntil(lambda: page.box is None, timeout=10_000)
    assert page.summary.text().startswith("Reviews are paused.")
    [resume] = page.pause_boxes.values()
    assert resume is pause  # the same box, so the keyboard focus stays on it
    resume.setChecked(False)
    qtbot.waitUntil(lambda: page.box is not None, timeout=10_000)


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_screenshots_light_and_dark(page: ReviewPage, qapp: QApplication, qtbot: QtBot) -> None:
    """Set ROUNDS_REVIEW_SHOTS to a folder to keep the pictures."""
    read(page, qtbot)
    page.show()
    qtbot.waitExposed(page)
    assert page.box is not None
    page.select(["a"] if "a" not in page.box.question.correct else ["c"])
    page.check_answer()
    keep(light_and_dark(qapp, page, "review"), SHOTS)
