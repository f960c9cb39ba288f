"""The Review page reads a long history (2,000 answers in a real SQLite cache) on the window's
background runner: it says it is reading meanwhile, shows only the newest reading, keeps the
question the learner is choosing, and says in one sentence when the reading fails."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from shots import keep, light_and_dark, shots_folder

from benchmarks.review_history import (
    ANSWERS,
    COURSES,
    QUIZZES,
    course_title,
    history_log,
    review_history,
)
from desktop_app.db import Database
from desktop_app.gui.background import BackgroundRunner
from desktop_app.review import ReviewQueue
from desktop_app.views.review.page import ReviewPage

QUESTIONS = QUIZZES * 2
SHOTS = shots_folder("ROUNDS_REVIEW_SHOTS")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cache with the history, written once for the module's tests."""
    path = tmp_path_factory.mktemp("review-history") / "cache.sqlite3"
    database = Database(path)
    review_history(database)
    database.close()
    return path


@pytest.fixture
def cache(history: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "cache.sqlite3"
    shutil.copyfile(history, path)
    database = Database(path)
    yield database
    database.close()


class Titles:
    """The courses' titles, noting the threads that look them up. After `hold_next`, the
    next read to look one up waits on its worker until `release`; other reads go on."""

    def __init__(self) -> None:
        self.threads: set[int] = set()
        self._gate, self._lock = threading.Event(), threading.Lock()
        self._hold, self._held = False, 0
        self.holding = threading.Event()  # a read waits at the hold

    def hold_next(self) -> None:
        self._gate.clear()
        self._hold = True

    def release(self) -> None:
        self._held = 0
        self._gate.set()

    def __call__(self, course: str) -> str:
        me = threading.get_ident()
        self.threads.add(me)
        with self._lock:
            if self._hold:
                self._hold, self._held = False, me
                self.holding.set()
        if me == self._held:
            assert self._gate.wait(10)
        return course_title(course)


@pytest.fixture
def titles() -> Titles:
    return Titles()


@pytest.fixture
def page(cache: Database, titles: Titles, qtbot: QtBot, runner: BackgroundRunner) -> ReviewPage:
    shown = ReviewPage(ReviewQueue(history_log(cache)), titles, runner)
    qtbot.addWidget(shown)
    shown.resize(720, 560)
    return shown


def read(page: ReviewPage, qtbot: QtBot) -> None:
    page.refresh()
    qtbot.waitUntil(lambda: not page.reading, timeout=10_000)


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_page_says_it_is_reading_until_the_worker_delivers_the_questions(
    page: ReviewPage, titles: Titles, qtbot: QtBot, qapp: QApplication
) -> None:
    counts: list[int] = []
    page.due_changed.connect(counts.append)
    titles.hold_next()
    page.refresh()  # returns while the read waits on its worker
    assert page.reading and page.summary.text() == "Reading your reviews…"
    assert page.box is None and page.check.isHidden() and page.pauses.isHidden()
    page.show()  # the UI thread goes on painting meanwhile
    qtbot.waitExposed(page)
    keep(light_and_dark(qapp, page, "review-reading"), SHOTS)
    assert page.reading
    titles.release()
    qtbot.waitUntil(lambda: page.box is not None, timeout=10_000)
    assert threading.get_ident() not in titles.threads
    assert counts == [QUESTIONS] and page.summary.text() == f"Questions due: {QUESTIONS}"
    assert len(page.pause_boxes) == COURSES and not page.check.isHidden()
    assert ANSWERS == 2_000


def test_a_reading_asked_before_a_pause_is_dropped_when_it_arrives_late(
    page: ReviewPage, titles: Titles, qtbot: QtBot, runner: BackgroundRunner
) -> None:
    read(page, qtbot)
    counts: list[int] = []
    page.due_changed.connect(counts.append)
    titles.hold_next()
    page.refresh()  # a sync finished: this read is held on its worker
    assert titles.holding.wait(10) and page.box is not None
    paused = page.box.question.course_id
    page.pause_boxes[paused].setChecked(True)  # written now; its own read passes the hold
    qtbot.waitUntil(lambda: bool(counts), timeout=10_000)
    titles.release()  # the read from before the pause arrives last
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
    assert page.box is not None and page.box.question.course_id != paused
    per_course = QUESTIONS // COURSES
    assert counts == [QUESTIONS - per_course]  # the reading from before the pause never showed
    assert page.pause_boxes[paused].isChecked()


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_a_reading_keeps_the_question_being_answered_and_its_choices(
    page: ReviewPage, qtbot: QtBot
) -> None:
    read(page, qtbot)
    page.show()
    qtbot.waitExposed(page)
    box = page.box
    assert box is not None
    box.buttons()[1].setFocus()
    page.select(["b"])
    read(page, qtbot)  # a sync finished meanwhile
    assert page.box is box and box.answer() == ["b"] and box.buttons()[1].hasFocus()
    page.check.click()
    assert page.next.hasFocus()
    page.next.click()
    assert page.box is not None and page.box is not box
    assert page.box.buttons()[0].hasFocus()
    assert page.summary.text() == f"Questions due: {QUESTIONS - 1}"


@pytest.mark.qt_log_ignore("propagateSizeHints")
@pytest.mark.expect_log("desktop_app.error_text", "Damaged data in the cache")
def test_a_reading_that_fails_says_so_in_one_sentence(
    page: ReviewPage, cache: Database, qtbot: QtBot, qapp: QApplication
) -> None:
    with cache.engine.begin() as connection:  # one answer's row damaged on the disk
        connection.exec_driver_sql(
            "UPDATE progress_event SET statement_json = '{damaged' WHERE rowid = "
            "(SELECT min(rowid) FROM progress_event)"
        )
    counts: list[int] = []
    page.due_changed.connect(counts.append)
    read(page, qtbot)
    text = page.summary.text()
    assert text.startswith("Some of what Rounds keeps on this computer is damaged")
    assert text.count(". ") == 0 and "Expecting" not in text
    assert page.box is None and page.check.isHidden() and counts == []
    page.show()
    keep(light_and_dark(qapp, page, "review-failed"), SHOTS)
