"""Showing a sync's result: the course list changes in place when the same courses changed
(selection, scroll position and search filter kept, only the changed rows redrawn), and the
course page is filled from lessons read off the UI thread with the list."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.catalog.library import NOT_DOWNLOADED, CourseDetail, CourseRow, Library
from desktop_app.catalog.rows import LessonRow, ModuleRow
from desktop_app.gui.background import BackgroundRunner
from desktop_app.gui.shell import Shell
from desktop_app.views.catalog.browser import CatalogBrowser
from desktop_app.views.catalog.course_page import CoursePage
from desktop_app.views.catalog.listing import compare, read_listing
from desktop_app.views.main_window import MainWindow
from reference_server.server import ReferenceServer

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
COURSES = 300


def course(number: int, percent: int = 0) -> CourseRow:
    return CourseRow(
        f"c{number:03}", f"Course {number}", "", 1, 1, NOT_DOWNLOADED, percent_complete=percent
    )


def detail(row: CourseRow) -> CourseDetail:
    lesson = LessonRow(
        f"l-{row.id}", row.id, f"m-{row.id}", "Lesson", "video", "", 60, 0, 10, NOT_DOWNLOADED
    )
    return CourseDetail(row, (ModuleRow(f"m-{row.id}", "Module", (lesson,)),), 10)


class Catalog:
    """Courses as a cache would hand them out; `reads` says on which threads courses were read."""

    def __init__(self, rows: list[CourseRow]) -> None:
        self.rows = rows
        self.reads: list[bool] = []  # True: on the UI thread

    def courses(self) -> list[CourseRow]:
        return list(self.rows)

    def course(self, course_id: str) -> CourseDetail | None:
        self.reads.append(threading.current_thread() is threading.main_thread())
        found = [row for row in self.rows if row.id == course_id]
        return detail(found[0]) if found else None


class NoSearch:
    def courses(self, _text: str, _still_wanted: object) -> object:
        raise AssertionError("nothing is searched here")

    lessons = courses


@pytest.fixture
def browser(qtbot: QtBot) -> Iterator[tuple[CatalogBrowser, Catalog]]:
    catalog = Catalog([course(n) for n in range(COURSES)])
    shown = CatalogBrowser(catalog.course, NoSearch(), BackgroundRunner())  # type: ignore[arg-type]
    qtbot.addWidget(shown)
    shown.resize(900, 400)
    shown.show()
    shown.show_courses(catalog.courses())
    yield shown, catalog


def listing_of(browser: CatalogBrowser, catalog: Catalog) -> object:
    shown = browser.courses.shown_rows()
    return read_listing(catalog.courses, catalog.course, shown, browser.page.course_id)


def test_changed_rows_change_in_place_keeping_selection_scroll_and_filter(
    browser: tuple[CatalogBrowser, Catalog], qtbot: QtBot
) -> None:
    view, catalog = browser
    view.select_course("c250")
    bar = view.list.verticalScrollBar()
    bar.setValue(bar.maximum() // 3)  # the learner scrolled away from the selected course
    scrolled = bar.value()
    catalog.rows[3] = course(3, percent=50)
    catalog.rows[250] = course(250, percent=20)
    catalog.rows[251] = course(251, percent=10)
    changed: list[tuple[int, int]] = []
    view.courses.dataChanged.connect(lambda first, last: changed.append((first.row(), last.row())))
    listing = listing_of(view, catalog)
    reads = len(catalog.reads)
    with qtbot.assertNotEmitted(view.courses.modelReset):
        view.show_listing(listing)  # type: ignore[arg-type]
    assert len(catalog.reads) == reads  # the page takes the lessons read with the list
    assert changed == [(3, 3), (250, 251)]
    assert view.list.currentIndex().row() == 250
    assert bar.value() == scrolled
    assert view.page.course_id == "c250"
    qtbot.waitUntil(lambda: view.page.progress.value() == 20)  # once the list is drawn

    view.filter.set_allowed(frozenset({"c003", "c250", "c251"}))  # a search's courses
    catalog.rows[251] = course(251, percent=30)
    with qtbot.assertNotEmitted(view.filter.modelReset):
        view.show_listing(listing_of(view, catalog))  # type: ignore[arg-type]
    assert view.filter.rowCount() == 3
    assert view.list.currentIndex().row() == 1  # c250
    assert "30%" in view.filter.index(2, 0).data(Qt.ItemDataRole.AccessibleTextRole)


def test_courses_that_came_or_went_replace_the_list_and_keep_the_course(
    browser: tuple[CatalogBrowser, Catalog], qtbot: QtBot
) -> None:
    view, catalog = browser
    view.select_course("c010")
    catalog.rows = [course(n) for n in range(5, COURSES + 5)]
    with qtbot.waitSignal(view.courses.modelReset):
        view.show_listing(listing_of(view, catalog))  # type: ignore[arg-type]
    assert view.courses.rowCount() == COURSES
    assert view.list.currentIndex().data() == "Course 10"
    catalog.rows = [row for row in catalog.rows if row.id != "c010"]
    view.show_listing(listing_of(view, catalog))  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: view.page.course_id == "")  # gone: the page says to choose one


def test_a_course_chosen_before_the_page_is_filled_stays_shown(
    browser: tuple[CatalogBrowser, Catalog], qtbot: QtBot
) -> None:
    view, catalog = browser
    view.select_course("c010")
    catalog.rows[10] = course(10, percent=40)
    view.show_listing(listing_of(view, catalog))  # type: ignore[arg-type]
    view.list.setCurrentIndex(view.list.model().index(20, 0))  # before the list is drawn
    QApplication.sendPostedEvents()  # the paint, then the page's turn
    assert view.courses.row_at(10).percent_complete == 40
    assert view.page.course_id == "c020"
    assert view.list.currentIndex().row() == 20


def test_rows_compared_against_rows_no_longer_shown_reset_the_list(
    browser: tuple[CatalogBrowser, Catalog], qtbot: QtBot
) -> None:
    view, catalog = browser
    stale = listing_of(view, catalog)
    view.courses.set_rows([replace(row, title=row.title + " (new)") for row in catalog.rows])
    with qtbot.waitSignal(view.courses.modelReset):
        view.show_listing(stale)  # type: ignore[arg-type]
    assert view.courses.row_at(0).title == "Course 0"


def test_compare_gathers_neighbouring_changes_into_runs() -> None:
    before = tuple(course(n) for n in range(6))
    after = tuple(course(n, percent=n in (1, 2, 5)) for n in range(6))
    assert compare(before, after).runs == ((1, 2), (5, 5))
    assert compare(before, before).runs == ()
    assert compare((), after).runs is None
    assert compare(before, after[::-1]).runs is None


class Paints(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        self.count += event.type() == QEvent.Type.Paint
        return False


def test_a_new_course_page_is_drawn_with_the_next_paint_not_at_once(qtbot: QtBot) -> None:
    """`QProgressBar.setValue` repaints at once, and the whole window's changes with it."""
    page, paints = CoursePage(), Paints()
    qtbot.addWidget(page)
    page.progress.installEventFilter(paints)
    page.show()
    page.show_course(detail(course(1, percent=10)))
    qtbot.waitUntil(lambda: paints.count > 0, timeout=5_000)
    paints.count = 0
    page.show_course(detail(course(2, percent=60)))
    assert paints.count == 0 and page.progress.value() == 60
    qtbot.waitUntil(lambda: paints.count > 0, timeout=5_000)


@pytest.fixture
def window_and_reads(
    qapp: QApplication,
    reference_server: ReferenceServer,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[MainWindow, list[bool]]]:
    reads: list[bool] = []
    read = Library.course

    def course_read(library: Library, course_id: str) -> CourseDetail | None:
        reads.append(threading.current_thread() is threading.main_thread())
        return read(library, course_id)

    monkeypatch.setattr(Library, "course", course_read)
    shell = Shell(qapp, demo_url=reference_server.url)
    assert shell.start(None, None)
    window = shell.window
    assert window is not None
    qtbot.waitUntil(lambda: window.catalog.courses.rowCount() == 3, timeout=20_000)
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20_000)
    yield window, reads
    shell.close_window()


def test_refreshing_after_a_sync_reads_no_course_on_the_ui_thread(
    window_and_reads: tuple[MainWindow, list[bool]], qtbot: QtBot
) -> None:
    window, reads = window_and_reads
    window.catalog.select_course("c-privacy")
    reads.clear()
    window.refresh()  # what a sync that changed something calls
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=20_000)
    assert reads and not any(reads)
    assert window.catalog.page.course_id == "c-privacy"
    assert window.catalog.list.currentIndex().data() == window.catalog.page.title.text()
