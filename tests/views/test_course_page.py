"""The course page on the UI thread: what showing a course costs, whatever the catalog's size."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QHeaderView
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from desktop_app.catalog.library import PARTLY_DOWNLOADED, Library
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.models import Asset, Course, Lesson, LessonAsset, Module
from desktop_app.views.catalog.course_page import CoursePage
from desktop_app.views.catalog.labels import state_label
from desktop_app.views.catalog.models import OFFLINE_COLUMN


def fill(db: Database, courses: int, lessons: int = 10) -> None:
    """`courses` courses of two modules, each lesson with a file of its own."""
    with db.session() as session:
        for c in range(courses):
            session.add(Course(id=f"c{c}", title=f"Course {c}", summary="", position=c))
            for m in range(2):
                session.add(Module(id=f"m{c}-{m}", course_id=f"c{c}", title=f"Module {m}"))
        session.flush()
        for c in range(courses):
            for n in range(lessons):
                lesson_id, sha = f"l{c}-{n}", f"{c:032x}{n:032x}"
                session.add(
                    Lesson(id=lesson_id, module_id=f"m{c}-{n % 2}", course_id=f"c{c}",
                           title=f"Lesson {n}", kind="video", position=n, duration_seconds=60)
                )  # fmt: skip
                session.add(Asset(sha256=sha, size=1000, mime_type="video/mp4"))
                session.flush()
                session.add(LessonAsset(lesson_id=lesson_id, sha256=sha, role="media"))


class VmSteps:
    """Hundreds of SQLite virtual-machine instructions run on the cache's connections: a
    count of the work its queries do that does not depend on the machine's speed."""

    def __init__(self, db: Database) -> None:
        self.count = 0
        db.engine.dispose()
        event.listen(db.engine, "connect", self._watch)

    def _watch(self, connection: Any, _record: Any) -> None:
        connection.set_progress_handler(self._step, 100)

    def _step(self) -> int:
        self.count += 1
        return 0


@pytest.fixture
def caches(tmp_path: Path) -> Iterator[dict[int, Database]]:
    """A cache of 5 courses and one of 100, alike course by course."""
    databases = {size: Database(tmp_path / f"cache-{size}.sqlite3") for size in (5, 100)}
    for size, db in databases.items():
        fill(db, size)
    yield databases
    for db in databases.values():
        db.close()


def test_opening_a_course_reads_only_that_course(
    caches: dict[int, Database], tmp_path: Path
) -> None:
    """The page loads its course on the UI thread: its queries must not grow with the catalog."""
    steps = {}
    for size, db in caches.items():
        library, counter = Library(db, ContentStore(tmp_path / "content")), VmSteps(db)
        detail = library.course("c3")
        assert detail is not None and detail.course.lesson_count == 10
        steps[size] = counter.count
    assert steps[100] <= steps[5] + 5, steps


def test_the_same_course_unchanged_is_left_as_drawn(
    caches: dict[int, Database], tmp_path: Path, qtbot: QtBot
) -> None:
    """After a sync the selected course is loaded again; if nothing changed, nothing redraws."""
    library, page = Library(caches[5], ContentStore(tmp_path / "content")), CoursePage()
    qtbot.addWidget(page)
    resets: list[None] = []
    page.lessons.modelReset.connect(lambda: resets.append(None))
    page.show_course(library.course("c1"))
    page.show_course(library.course("c1"))
    assert len(resets) == 1
    page.show_course(library.course("c2"))
    assert len(resets) == 2 and page.course_id == "c2"


def test_the_offline_column_fits_every_state_before_any_course_shows_it(
    caches: dict[int, Database], tmp_path: Path, qtbot: QtBot
) -> None:
    """Widths do not follow the rows shown (measuring them is what stalled the window), so a
    lesson that becomes partly downloaded still fits."""
    page = CoursePage()
    qtbot.addWidget(page)
    page.show_course(Library(caches[5], ContentStore(tmp_path / "content")).course("c1"))
    offline = page.tree.header().sectionSize(OFFLINE_COLUMN)
    label = state_label(PARTLY_DOWNLOADED)
    words = [page.tree.fontMetrics().horizontalAdvance(word) for word in label.split()]
    assert offline > max(words)  # the column wraps its words


@contextmanager
def doubled_text(app: QApplication) -> Iterator[None]:
    """The application's text twice as large (as the 200 % text size makes it), then back."""
    font = QFont(app.font())
    larger = QFont(font)
    larger.setPointSizeF(font.pointSizeF() * 2)
    app.setFont(larger)
    try:
        yield
    finally:
        app.setFont(font)


def heading_width(header: QHeaderView, title: str) -> int:
    """A column title as the style sheet draws it: semibold, 6 px either side."""
    font = QFont(header.font())
    font.setWeight(QFont.Weight.DemiBold)
    return QFontMetrics(font).horizontalAdvance(title) + 12


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen window growing with its text
def test_at_double_text_size_the_lessons_keep_their_heading_and_the_page_scrolls(
    caches: dict[int, Database], tmp_path: Path, qtbot: QtBot, qapp: QApplication
) -> None:
    """Larger text widens the page (the lesson column never gives its heading away) and
    makes it taller than a short window: it scrolls rather than squeezing the lessons."""
    page = CoursePage()
    qtbot.addWidget(page)
    page.show_course(Library(caches[5], ContentStore(tmp_path / "content")).course("c1"))
    page.resize(200, 420)
    page.show()
    header, title = page.tree.header(), page.lessons.headers[0]
    with doubled_text(qapp):
        qtbot.waitUntil(lambda: header.sectionSize(0) >= heading_width(header, title))
        qtbot.waitUntil(lambda: header.length() <= page.tree.viewport().width())  # no sideways
        qtbot.waitUntil(lambda: page.scroller.verticalScrollBar().maximum() > 0)
        assert page.tree.height() >= page.tree.minimumHeight() > 4 * header.height()
        assert page.title.height() >= page.title.heightForWidth(page.title.width())
