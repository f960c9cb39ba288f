"""The catalog browser and its item models, on a real cache file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop_app.catalog.library import DOWNLOADED, NOT_DOWNLOADED, PARTLY_DOWNLOADED, Library
from desktop_app.catalog.search import CourseMatches
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.gui.background import BackgroundRunner
from desktop_app.models import Asset, Course, Lesson, LessonAsset, Module
from desktop_app.views.catalog.browser import CatalogBrowser
from desktop_app.views.catalog.models import CourseListModel, LessonTreeModel
from desktop_app.views.catalog.two_line import SECONDARY_ROLE


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def store(tmp_path: Path) -> ContentStore:
    return ContentStore(tmp_path / "content")


@pytest.fixture
def library(tmp_path: Path, store: ContentStore) -> Library:
    db = Database(tmp_path / "cache.sqlite3")
    with db.session() as session:
        for number, title in enumerate(("Foundations", "Privacy online")):
            course_id = f"c{number}"
            session.add(
                Course(id=course_id, title=title, summary=f"About {title}", position=number)
            )
            session.add(Module(id=f"m{number}", course_id=course_id, title=f"{title} module"))
            for kind_number, kind in enumerate(("video", "reading")):
                lesson_id = f"l{number}{kind_number}"
                session.add(
                    Lesson(
                        id=lesson_id,
                        module_id=f"m{number}",
                        course_id=course_id,
                        title=f"{title} {kind}",
                        kind=kind,
                        position=kind_number,
                        duration_seconds=75,
                    )
                )
                session.flush()
                sha = digest(lesson_id)
                session.add(Asset(sha256=sha, size=1000, mime_type="video/mp4"))
                session.add(LessonAsset(lesson_id=lesson_id, sha256=sha, role="media"))
    yield Library(db, store)
    db.close()


def put(store: ContentStore, sha: str) -> None:
    path = store.path_for(sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")


def test_download_state_follows_the_content_store(library: Library, store: ContentStore) -> None:
    assert {c.download_state for c in library.courses()} == {NOT_DOWNLOADED}
    put(store, digest("l00"))
    states = {c.id: c.download_state for c in library.courses()}
    assert states == {"c0": PARTLY_DOWNLOADED, "c1": NOT_DOWNLOADED}
    put(store, digest("l01"))
    detail = library.course("c0")
    assert detail is not None
    assert detail.course.download_state == DOWNLOADED
    assert [lesson.download_state for lesson in detail.modules[0].lessons] == [DOWNLOADED] * 2


def test_item_models_pass_the_model_tester(qtmodeltester: ModelTester, library: Library) -> None:
    courses = CourseListModel()
    courses.set_rows(library.courses())
    qtmodeltester.check(courses)
    lessons = LessonTreeModel()
    detail = library.course("c1")
    assert detail is not None
    lessons.set_modules(detail.modules)
    qtmodeltester.check(lessons)
    module = lessons.index(0, 0)
    assert lessons.rowCount(module) == 2
    assert lessons.index(1, 0, module).data(SECONDARY_ROLE) == [("Reading", False)]
    assert lessons.index(0, 1, module).data() == "1 min 15 s"


class WordSearch:
    """Stands in for `CatalogSearch`: "privacy" matches course c1."""

    def __init__(self) -> None:
        self.searched: list[str] = []

    def courses(self, text: str, _still_wanted: object) -> CourseMatches:
        self.searched.append(text)
        return CourseMatches(text, frozenset({"c1"} if "privacy" in text.lower() else ()), True)

    def lessons(self, _text: str, _still_wanted: object) -> list[object]:
        return []


def test_browser_shows_a_course_and_filters_by_search(qtbot: QtBot, library: Library) -> None:
    search, runner = WordSearch(), BackgroundRunner()
    browser = CatalogBrowser(library.course, search, runner)  # type: ignore[arg-type]
    qtbot.addWidget(browser)
    browser.show_courses(library.courses())
    assert browser.page.title.text() == "Foundations"
    assert "2 lessons" in browser.page.facts.text().replace("\u00a0", " ")

    browser.search_box.setText("privacy")
    qtbot.waitUntil(lambda: browser.filter.rowCount() == 1, timeout=5000)
    assert search.searched == ["privacy"]
    browser.list.setCurrentIndex(browser.list.model().index(0, 0))
    assert browser.page.title.text() == "Privacy online"

    browser.search_box.clear()
    qtbot.waitUntil(lambda: browser.filter.rowCount() == 2, timeout=5000)
    runner.wait_for_idle()


def test_activating_a_lesson_emits_it(qtbot: QtBot, library: Library) -> None:
    browser = CatalogBrowser(library.course, WordSearch(), BackgroundRunner())  # type: ignore[arg-type]
    qtbot.addWidget(browser)
    browser.show_courses(library.courses())
    tree = browser.page.tree
    lesson_index = browser.page.lessons.index(1, 0, browser.page.lessons.index(0, 0))
    with qtbot.waitSignal(browser.page.lesson_activated) as blocker:
        tree.activated.emit(lesson_index)
    assert blocker.args[0].id == "l01"


def test_the_offline_words_cover_every_download_state() -> None:
    """The labels name the queue's states by value (they draw the first course list, before
    the download modules load): each state of the queue has its own word."""
    from desktop_app.downloads import DownloadState
    from desktop_app.views.catalog.labels import TRANSFER_STATES, state_label

    assert set(TRANSFER_STATES) == {state.value for state in DownloadState}
    assert all(state_label(state) != state for state in DownloadState)
