"""The search box on a cache synced from the reference server: the course filter and the
lessons found arrive from a worker, for the newest text only, whatever the learner types."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop_app.account import Account
from desktop_app.api.documents import CourseDoc
from desktop_app.catalog.library import Library
from desktop_app.catalog.search import COURSE_BOUND, CatalogSearch, CourseMatches, LessonHit
from desktop_app.content_store import ContentStore
from desktop_app.gui.background import BackgroundRunner
from desktop_app.sync.catalog import apply_catalog_page
from desktop_app.views.catalog.browser import CatalogBrowser
from desktop_app.views.catalog.course_filter import CourseFilter
from desktop_app.views.catalog.models import CourseListModel
from desktop_app.views.catalog.search_runs import LessonHitModel
from desktop_app.views.row_list import ROW_ROLE
from reference_server.server import ReferenceServer

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
ALL_COURSES = {"c-foundations", "c-presence", "c-privacy"}
CHECKLISTS = {
    "l-foundations-plain-language",
    "l-presence-profile-checklist",
    "l-privacy-before-you-post",
}


def open_browser(
    qtbot: QtBot, account: Account, runner: BackgroundRunner, search: CatalogSearch, home: Path
) -> CatalogBrowser:
    library = Library(account.db, ContentStore(home / "content"))
    browser = CatalogBrowser(library.course, search, runner)
    qtbot.addWidget(browser)
    browser.show_courses(library.courses())
    browser.show()
    return browser


def shown_courses(browser: CatalogBrowser) -> set[str]:
    return {browser.filter.index(n, 0).data(ROW_ROLE).id for n in range(browser.filter.rowCount())}


def shown_lessons(browser: CatalogBrowser) -> set[str]:
    return {browser.hits.row_at(n).id for n in range(browser.hits.rowCount())}


def type_text(qtbot: QtBot, browser: CatalogBrowser, text: str) -> None:
    browser.search_box.clear()
    qtbot.keyClicks(browser.search_box, text)


def test_the_course_filter_and_the_lessons_found_both_appear(
    qtbot: QtBot, synced: Account, runner: BackgroundRunner, tmp_path: Path
) -> None:
    browser = open_browser(qtbot, synced, runner, CatalogSearch(synced.db), tmp_path)
    type_text(qtbot, browser, "checkl")
    qtbot.waitUntil(lambda: shown_lessons(browser) == CHECKLISTS, timeout=10_000)
    qtbot.waitUntil(lambda: shown_courses(browser) == ALL_COURSES, timeout=10_000)
    assert browser.search_note.text() == "3 courses match."
    hit = next(
        browser.hits.row_at(n) for n in range(3) if browser.hits.row_at(n).id.endswith("post")
    )
    assert hit.course_title == "Privacy, professionalism and patient confidentiality online"
    assert "checklist" in hit.excerpt

    type_text(qtbot, browser, "de-identification")
    qtbot.waitUntil(lambda: shown_courses(browser) == {"c-privacy"}, timeout=10_000)
    qtbot.waitUntil(lambda: "l-privacy-deidentification" in shown_lessons(browser), timeout=10_000)
    browser.hit_list.activated.emit(browser.hits.index(0, 0))
    assert browser.page.course_id == "c-privacy"
    assert browser.page.tree.currentIndex().data(ROW_ROLE).id == browser.hits.row_at(0).id

    browser.search_box.clear()
    assert shown_courses(browser) == ALL_COURSES and browser.hit_list.isHidden()


class HeldSearch(CatalogSearch):
    """The real search, except that a query for `held` waits until the test lets it go:
    a slow query for an older text, which a local SQLite file cannot be made to give."""

    def __init__(self, search: CatalogSearch, held: str) -> None:
        self._search, self._held = search, held
        self.release, self.holding = threading.Event(), threading.Event()

    def courses(
        self, user_text: str, still_wanted: Callable[[], bool] = lambda: True
    ) -> CourseMatches | None:
        self._hold(user_text)
        return self._search.courses(user_text, still_wanted)

    def lessons(
        self, user_text: str, still_wanted: Callable[[], bool] = lambda: True
    ) -> list[LessonHit] | None:
        self._hold(user_text)
        return self._search.lessons(user_text, still_wanted)

    def _hold(self, user_text: str) -> None:
        if user_text == self._held:
            self.holding.set()
            self.release.wait(10)


def test_results_of_an_older_text_never_replace_a_newer_one(
    qtbot: QtBot, synced: Account, runner: BackgroundRunner, tmp_path: Path
) -> None:
    search = HeldSearch(CatalogSearch(synced.db), held="boundaries")
    browser = open_browser(qtbot, synced, runner, search, tmp_path)
    seen: list[frozenset[str] | None] = []
    browser.filter.modelReset.connect(lambda: seen.append(browser.filter.allowed))
    type_text(qtbot, browser, "boundaries")
    qtbot.waitUntil(search.holding.is_set, timeout=10_000)
    browser.search_box.setText("metrics")
    search.release.set()
    qtbot.waitUntil(lambda: shown_courses(browser) == {"c-presence"}, timeout=10_000)
    qtbot.waitUntil(lambda: "l-presence-metrics" in shown_lessons(browser), timeout=10_000)
    runner.wait_for_idle()
    QApplication.processEvents()
    assert frozenset({"c-privacy"}) not in seen
    assert shown_courses(browser) == {"c-presence"}
    assert "l-presence-metrics" in shown_lessons(browser)


@pytest.mark.parametrize(
    ("typed", "courses"),
    [
        ('"boundaries', {"c-privacy"}),
        ("boundaries*", {"c-privacy"}),
        ("(boundaries)", {"c-privacy"}),
        ("-boundaries", {"c-privacy"}),
        ("boundaries:", {"c-privacy"}),
        ("profile AND", {"c-presence"}),
        ("NEAR(profile", set()),
        ("OR", set()),
        ("NOT", {"c-foundations"}),
    ],
)
def test_fts_syntax_is_searched_as_plain_words(
    qtbot: QtBot,
    synced: Account,
    runner: BackgroundRunner,
    tmp_path: Path,
    typed: str,
    courses: set[str],
) -> None:
    browser = open_browser(qtbot, synced, runner, CatalogSearch(synced.db), tmp_path)
    type_text(qtbot, browser, typed)
    qtbot.waitUntil(lambda: browser.search_note.text() != "", timeout=10_000)
    assert "failed" not in browser.search_note.text()
    assert shown_courses(browser) == courses


def show_text(qtbot: QtBot, browser: CatalogBrowser, text: str) -> set[str]:
    """The courses shown once the course filter for `text` has come back."""
    with qtbot.waitSignal(
        browser.courses_filtered, check_params_cb=lambda shown: shown == text, timeout=10_000
    ):
        browser.search_box.setText(text)
    return shown_courses(browser)


def test_a_one_letter_word_typed_leaves_the_list_as_it_was(
    qtbot: QtBot, synced: Account, runner: BackgroundRunner, tmp_path: Path
) -> None:
    browser = open_browser(qtbot, synced, runner, CatalogSearch(synced.db), tmp_path)
    assert show_text(qtbot, browser, "patient'") == ALL_COURSES  # "patient" a prefix
    assert show_text(qtbot, browser, "patient's") == ALL_COURSES
    assert browser.search_note.text() == "3 courses match."


def test_more_matches_than_shown_are_told_and_a_title_typed_is_kept(
    qtbot: QtBot, synced: Account, runner: BackgroundRunner, tmp_path: Path
) -> None:
    parts = [
        CourseDoc(f"c-wound-{n:03d}", f"Wound care, part {n}", "", 1, n, None, ())
        for n in range(COURSE_BOUND + 50)
    ]
    titled = CourseDoc("c-wound-care", "Wound care", "", 1, 0, None, ())  # last in the index
    with synced.db.session() as session:
        apply_catalog_page(session, [*parts, titled])
    browser = open_browser(qtbot, synced, runner, CatalogSearch(synced.db), tmp_path)
    shown = show_text(qtbot, browser, "wound  Care")
    assert "c-wound-care" in shown and len(shown) == COURSE_BOUND
    assert browser.search_note.text() == (
        f"Showing {COURSE_BOUND} of more matching courses — type more words to narrow them."
    )


def test_search_works_with_the_server_gone(
    qtbot: QtBot,
    synced: Account,
    reference_server: ReferenceServer,
    runner: BackgroundRunner,
    tmp_path: Path,
) -> None:
    reference_server.stop()
    browser = open_browser(qtbot, synced, runner, CatalogSearch(synced.db), tmp_path)
    type_text(qtbot, browser, "listen")
    qtbot.waitUntil(
        lambda: shown_lessons(browser) == {"l-foundations-listen-first"}, timeout=10_000
    )
    qtbot.waitUntil(lambda: shown_courses(browser) == {"c-foundations"}, timeout=10_000)


class ThreadNoting(CatalogSearch):
    """The real search, noting the thread each query runs on, and in `events` its start."""

    def __init__(self, search: CatalogSearch) -> None:
        self._search, self.threads, self.events = search, set[int](), list[str]()

    def courses(
        self, user_text: str, still_wanted: Callable[[], bool] = lambda: True
    ) -> CourseMatches | None:
        self.threads.add(threading.get_ident())
        self.events.append("courses asked")
        return self._search.courses(user_text, still_wanted)

    def lessons(
        self, user_text: str, still_wanted: Callable[[], bool] = lambda: True
    ) -> list[LessonHit] | None:
        self.threads.add(threading.get_ident())
        self.events.append("lessons asked")
        return self._search.lessons(user_text, still_wanted)


def test_the_queries_run_off_the_ui_thread_the_courses_first(
    qtbot: QtBot, synced: Account, runner: BackgroundRunner, tmp_path: Path
) -> None:
    search = ThreadNoting(CatalogSearch(synced.db))
    browser = open_browser(qtbot, synced, runner, search, tmp_path)
    browser.courses_filtered.connect(lambda text: search.events.append(f"courses {text}"))
    browser.lessons_found.connect(lambda text: search.events.append(f"lessons {text}"))
    browser.search_box.setText("privacy")
    qtbot.waitUntil(lambda: "lessons privacy" in search.events, timeout=10_000)
    assert search.events == ["courses asked", "courses privacy", "lessons asked", "lessons privacy"]
    assert search.threads and threading.get_ident() not in search.threads


def test_a_refreshed_course_list_keeps_the_search(
    qtbot: QtBot, synced: Account, runner: BackgroundRunner, tmp_path: Path
) -> None:
    browser = open_browser(qtbot, synced, runner, CatalogSearch(synced.db), tmp_path)
    type_text(qtbot, browser, "metrics")
    qtbot.waitUntil(lambda: shown_courses(browser) == {"c-presence"}, timeout=10_000)
    browser.show_courses(Library(synced.db, ContentStore(tmp_path / "content")).courses())
    assert shown_courses(browser) == {"c-presence"}
    assert browser.list.model().rowCount() == 1


def test_the_search_models_pass_the_model_tester(
    qtmodeltester: ModelTester, synced: Account, tmp_path: Path
) -> None:
    courses = CourseListModel()
    courses.set_rows(Library(synced.db, ContentStore(tmp_path / "content")).courses())
    shown = CourseFilter(courses)
    shown.set_allowed(frozenset({"c-privacy", "c-presence"}))
    qtmodeltester.check(shown)
    hits = LessonHitModel()
    hits.set_rows(CatalogSearch(synced.db).lessons("checklist") or [])
    assert hits.rowCount() == 3
    qtmodeltester.check(hits)
