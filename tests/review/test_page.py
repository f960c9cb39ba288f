"""The Review page, offscreen: a due question answered records a statement; a pause hides it."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory
from pytestqt.qtbot import QtBot

from desktop_app.db import Database
from desktop_app.progress import store
from desktop_app.review import ReviewQueue
from desktop_app.views.review.nav import review_nav_title
from desktop_app.views.review.page import ReviewPage

from .learner import Clock, learner_log, pass_quiz

SHOTS = Path(os.environ.get("ROUNDS_REVIEW_SHOTS", ""))


@pytest.fixture
def page(db: Database, qtbot: QtBot) -> ReviewPage:
    clock = Clock()
    log = learner_log(db, clock)
    pass_quiz(log)
    clock.advance(timedelta(days=30))
    shown = ReviewPage(ReviewQueue(log), lambda _course: "Patient privacy")
    qtbot.addWidget(shown)
    shown.resize(720, 560)
    return shown


def review_answers(db: Database) -> list[dict[str, object]]:
    with db.session() as session:
        statements = store.all_statements(session)
    return [s for s in statements if s.get("context", {}).get("extensions")]


def test_answering_a_due_question_records_a_review_statement(
    page: ReviewPage, db: Database, qtbot: QtBot
) -> None:
    counts: list[int] = []
    page.due_changed.connect(counts.append)
    page.refresh()
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
    page.next.click()
    assert page.box is not None and page.box.question != question


def test_pausing_the_course_hides_its_questions(page: ReviewPage) -> None:
    page.refresh()
    [pause] = page.pause_boxes.values()
    assert pause.text() == "Pause reviews of Patient privacy"
    pause.setChecked(True)
    assert page.box is None
    assert page.summary.text().startswith("Reviews are paused.")
    [resume] = page.pause_boxes.values()
    resume.setChecked(False)
    assert page.box is not None


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.WindowText, "#f0f0f0"),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.Text, "#f0f0f0"),
        (QPalette.ColorRole.Button, "#3a3a3a"),
        (QPalette.ColorRole.ButtonText, "#f0f0f0"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_screenshots_light_and_dark(page: ReviewPage, qapp: QApplication, qtbot: QtBot) -> None:
    """Set ROUNDS_REVIEW_SHOTS to a folder to keep the pictures."""
    page.refresh()
    page.show()
    qtbot.waitExposed(page)
    assert page.box is not None
    page.select(["a"] if "a" not in page.box.question.correct else ["c"])
    page.check_answer()
    pictures = {"review-light.png": page.grab()}
    style, palette = qapp.style().name(), qapp.palette()
    qapp.setStyle(QStyleFactory.create("Fusion"))
    qapp.setPalette(dark_palette())
    qapp.processEvents()
    try:
        pictures["review-dark.png"] = page.grab()
    finally:
        qapp.setStyle(QStyleFactory.create(style))
        qapp.setPalette(palette)
    assert all(not picture.isNull() for picture in pictures.values())
    if str(SHOTS) not in ("", "."):
        for name, picture in pictures.items():
            assert picture.save(str(SHOTS / name))
