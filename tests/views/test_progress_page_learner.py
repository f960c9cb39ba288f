"""The Progress page is about the learner: courses begun, quiz attempts, time spent and the
residency's readiness, with the upload tools folded into a "Sync" section below."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.db import Database
from desktop_app.gui.background import BackgroundRunner
from desktop_app.models import Course, Lesson, Module, Residency
from desktop_app.progress import (
    Actor,
    LessonRef,
    OutboxQueue,
    ProgressExchange,
    ProgressLog,
    activity_base_for,
)
from desktop_app.progress.overview import LearnerProgress
from desktop_app.residency import ResidencyQueries, course_lesson_ids, progress_completion
from desktop_app.views.main_window import MainWindow
from desktop_app.views.progress import ProgressPage
from desktop_app.views.progress.learner_models import COURSE_COMPLETION

pytestmark = pytest.mark.qt_log_ignore(
    "propagateSizeHints", "PulseAudio", "No audio device", "RHI", "pipewire"
)
SERVER = "https://rounds.example"
COURSE = "c-care"
LESSONS = (("l-1", "reading"), ("l-2", "reading"), ("l-quiz", "quiz"))
START = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.moment = START

    def __call__(self) -> datetime:
        return self.moment


def put_catalog(db: Database) -> None:
    with db.session() as session:
        session.add(Course(id=COURSE, title="Caring online", summary="", version=1, position=0))
        session.add(Module(id="m", course_id=COURSE, title="Module", position=0))
        session.flush()
        for position, (lesson_id, kind) in enumerate(LESSONS):
            session.add(
                Lesson(id=lesson_id, module_id="m", course_id=COURSE, title=f"Lesson {lesson_id}",
                       kind=kind, position=position)
            )  # fmt: skip
        session.add(
            Residency(
                id="r-1", title="Spring residency", summary="", version=1, venue_name="Hall",
                venue_address="", timezone="America/Chicago", prerequisites_json=f'["{COURSE}"]',
                starts_at=datetime(2027, 3, 14, 13, tzinfo=UTC),
                ends_at=datetime(2027, 3, 14, 22, tzinfo=UTC),
            )
        )  # fmt: skip


def study(log: ProgressLog, clock: Clock) -> None:
    """Two lessons read for 10 and 5 minutes, and a quiz failed at 40 %."""
    with log.db.session() as session:
        for (lesson_id, kind), minutes in zip(LESSONS[:2], (10, 5), strict=True):
            lesson = LessonRef(lesson_id, COURSE, f"Lesson {lesson_id}", kind)
            log.launched(session, lesson)
            clock.moment += timedelta(minutes=minutes)
            log.completed(session, lesson)
            log.terminated(session, lesson, minutes * 60)
        quiz = LessonRef("l-quiz", COURSE, "Lesson l-quiz", "quiz")
        log.quiz_result(session, quiz, 0.4, False, {"q1": ["a"]})


def make_page(qtbot: QtBot, db: Database, runner: BackgroundRunner) -> ProgressPage:
    log = ProgressLog(db, Actor(SERVER, "ana", "Ana"), activity_base_for(SERVER))
    completion = progress_completion(log.course_state, partial(course_lesson_ids, db))
    queries = ResidencyQueries(db, completion, clock=lambda: START)
    learner = LearnerProgress(db, queries.readiness)
    exchange = ProgressExchange(db, log.actor)
    page = ProgressPage(OutboxQueue(db), exchange, runner, learner=learner)
    qtbot.addWidget(page)
    page.resize(900, 900)
    page.show()
    return page


def cells(model: QAbstractItemModel) -> list[list[str]]:
    return [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def test_the_page_shows_courses_quiz_attempts_time_and_readiness(
    qtbot: QtBot, db: Database, runner: BackgroundRunner
) -> None:
    put_catalog(db)
    clock = Clock()
    study(ProgressLog(db, Actor(SERVER, "ana", "Ana"), activity_base_for(SERVER), clock), clock)

    page = make_page(qtbot, db, runner)

    learner = page.learner
    [[title, completion, lessons, spent, completed]] = cells(learner.courses)
    assert (title, completion, lessons, spent, completed) == (
        "Caring online", "66%", "2 of 3 lessons", "15 min", "—"
    )  # fmt: skip
    [[quiz, course, score, result, _when]] = cells(learner.attempts)
    assert (quiz, course, score, result) == ("Lesson l-quiz", "Caring online", "40%", "Not passed")
    [[residency, _day, prerequisites, state]] = cells(learner.readiness)
    assert (residency, prerequisites, state) == (
        "Spring residency", "0 of 1 courses done", "1 to finish"
    )  # fmt: skip
    assert "begun 1" in learner.summary.text() and "Time spent: 15 min" in learner.summary.text()
    assert learner.courses_table.isVisible() and not learner.no_courses.isVisible()


def test_at_double_text_size_the_courses_table_holds_its_headings_and_rows(
    qtbot: QtBot, qapp: QApplication, db: Database, runner: BackgroundRunner
) -> None:
    put_catalog(db)
    clock = Clock()
    study(ProgressLog(db, Actor(SERVER, "ana", "Ana"), activity_base_for(SERVER), clock), clock)
    page = make_page(qtbot, db, runner)
    table = page.learner.courses_table
    header, font = table.horizontalHeader(), QFont(qapp.font())
    larger = QFont(font)
    larger.setPointSizeF(font.pointSizeF() * 2)
    qapp.setFont(larger)
    try:
        qtbot.waitUntil(lambda: header.font().pointSizeF() == larger.pointSizeF())
        bold = QFont(header.font())
        bold.setWeight(QFont.Weight.DemiBold)
        title = table.model().headerData(COURSE_COMPLETION, Qt.Orientation.Horizontal)
        need = QFontMetrics(bold).horizontalAdvance(title) + 12
        qtbot.waitUntil(lambda: header.sectionSize(COURSE_COMPLETION) >= need)
        rows = range(table.model().rowCount())
        qtbot.waitUntil(
            lambda: (
                table.height()
                >= header.sizeHint().height() + sum(table.sizeHintForRow(row) for row in rows)
            )
        )
    finally:
        qapp.setFont(font)


def test_the_sync_tools_are_folded_below_until_the_server_sets_something_aside(
    qtbot: QtBot, db: Database, runner: BackgroundRunner
) -> None:
    page = make_page(qtbot, db, runner)
    assert page.learner.no_courses.isVisible() and not page.learner.courses_table.isVisible()
    assert not page.sync_section.is_open and not page.sync_button.isVisible()

    QTest.keyClick(page.sync_section.toggle, Qt.Key.Key_Space)
    assert page.sync_section.is_open and page.sync_button.isVisible()
    QTest.keyClick(page.sync_section.toggle, Qt.Key.Key_Space)
    assert not page.sync_button.isVisible()

    log = ProgressLog(db, Actor(SERVER, "ana", "Ana"), activity_base_for(SERVER))
    with db.session() as session:
        refused = log.progressed(session, LessonRef("l-1", COURSE, "L", "reading"), 1.0, 0.1)
    OutboxQueue(db).quarantine(refused, "The server refused this statement: too old")
    page.refresh()
    assert page.sync_section.is_open and page.quarantine_table.isVisible()


def test_every_focusable_widget_on_the_page_has_a_name(
    qtbot: QtBot, db: Database, runner: BackgroundRunner
) -> None:
    put_catalog(db)
    clock = Clock()
    study(ProgressLog(db, Actor(SERVER, "ana", "Ana"), activity_base_for(SERVER), clock), clock)
    page = make_page(qtbot, db, runner)
    page.sync_section.set_open(True)

    unnamed = [
        type(widget).__name__
        for widget in page.findChildren(QWidget)
        if widget.isVisible()
        and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        and not widget.accessibleName()
        and not (isinstance(widget, QAbstractButton) and widget.text())
        and type(widget).__name__ not in ("QScrollArea", "QScrollBar")
    ]
    assert unnamed == []


def test_the_window_shows_the_demo_residency_readiness_on_the_progress_page(
    demo_window: MainWindow, qtbot: QtBot
) -> None:
    readiness = demo_window.progress.learner.readiness
    qtbot.waitUntil(lambda: readiness.rowCount() == 1, timeout=20_000)
    assert readiness.index(0, 2).data() == "0 of 2 courses done"
    assert demo_window.progress.learner.no_courses.text() == "You have not started a course yet."
