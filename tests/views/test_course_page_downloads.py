"""The course page during a real download from the reference server: lessons say they are
stored as their files land, and "Download course" waits until the course is done, failed or
cancelled; in the window, one lesson downloads from the lesson list's menu."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.account import Account
from desktop_app.catalog.library import LessonRow, Library
from desktop_app.content_store import ContentStore
from desktop_app.downloads import DownloadManager, RetryPolicy
from desktop_app.gui.shell import Shell
from desktop_app.views.catalog.course_page import CoursePage
from desktop_app.views.catalog.models import OFFLINE_COLUMN
from desktop_app.views.downloads.bridge import DownloadEvents
from desktop_app.views.row_list import ROW_ROLE
from reference_server.server import ReferenceServer

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
COURSE = "c-foundations"
STUCK = "l-foundations-welcome"  # its video stops mid-way, then waits a minute to retry
STALLING = RetryPolicy(attempts=3, verify_attempts=2, base_delay=60, max_delay=60, jitter=0)
WAIT = 30_000


@pytest.fixture
def store(tmp_path: Path) -> ContentStore:
    return ContentStore(tmp_path / "content")


@pytest.fixture
def library(account: Account, store: ContentStore) -> Library:
    account.sync()
    return Library(account.db, store)


@pytest.fixture
def manager(account: Account, store: ContentStore) -> Iterator[DownloadManager]:
    downloads = DownloadManager(
        account.db, store, account.api, parallelism=2, disk_floor_bytes=0, retry=STALLING
    )
    yield downloads
    downloads.close()


@pytest.fixture
def page(qtbot: QtBot, manager: DownloadManager, library: Library) -> Iterator[CoursePage]:
    shown = CoursePage()
    qtbot.addWidget(shown)
    events = DownloadEvents(manager)
    events.snapshot_changed.connect(shown.show_downloads)
    shown.show_course(library.course(COURSE))
    shown.show()
    yield shown
    events.close()


def lesson_index(page: CoursePage, lesson_id: str) -> QModelIndex:
    index = page.lessons.index_of(lesson_id)
    assert index.isValid(), lesson_id
    return index


def offline_column(page: CoursePage) -> dict[str, str]:
    """Lesson id -> what its Offline cell says."""
    cells: dict[str, str] = {}
    model = page.lessons
    for module in range(model.rowCount()):
        parent = model.index(module, 0)
        for row in range(model.rowCount(parent)):
            index: QModelIndex = model.index(row, 0, parent)
            lesson: LessonRow = index.data(ROW_ROLE)
            cells[lesson.id] = index.siblingAtColumn(OFFLINE_COLUMN).data()
    return cells


def test_lessons_show_their_files_landing_and_the_course_cannot_be_asked_twice(
    qtbot: QtBot,
    reference_server: ReferenceServer,
    manager: DownloadManager,
    library: Library,
    page: CoursePage,
) -> None:
    detail = library.course(COURSE)
    assert detail is not None
    lessons = [lesson for module in detail.modules for lesson in module.lessons]
    with_files = {lesson.id for lesson in lessons if lesson.missing}
    assert STUCK in with_files and len(with_files) >= 3
    assert set(offline_column(page).values()) >= {"Not downloaded"}
    assert page.download.isEnabled()

    plan = manager.plan(COURSE)
    stuck_files = next(lesson for lesson in lessons if lesson.id == STUCK).missing
    video = max((a for a in plan.assets if a.sha256 in stuck_files), key=lambda a: a.size)
    reference_server.faults.add(f"/api/v1/assets/{video.sha256}", drop_after_bytes=4096)
    manager.download(plan)
    manager.start()
    qtbot.waitUntil(lambda: not page.download.isEnabled(), timeout=WAIT)
    assert "Downloading…" in page.facts.text().replace("\u00a0", " ")

    others = with_files - {STUCK}

    def others_landed() -> None:
        cells = offline_column(page)
        assert all(cells[id_] == "Downloaded" for id_ in others), (cells, manager.snapshot())

    qtbot.waitUntil(others_landed, timeout=WAIT)
    assert offline_column(page)[STUCK] in {"Downloading…", "Waiting"}, manager.snapshot()
    assert not page.download.isEnabled()  # the course is still downloading

    manager.cancel(COURSE)
    qtbot.waitUntil(page.download.isEnabled, timeout=WAIT)
    cells = offline_column(page)
    assert cells[STUCK] == "Partly downloaded"  # its captions landed, its video did not
    assert all(cells[id_] == "Downloaded" for id_ in others)
    assert "Partly downloaded" in page.facts.text().replace("\u00a0", " ")


@pytest.fixture
def shell(qapp: QApplication, reference_server: ReferenceServer) -> Iterator[Shell]:
    shell = Shell(qapp, demo_url=reference_server.url)
    yield shell
    shell.close_window()


@pytest.mark.qt_log_ignore("propagateSizeHints", "PulseAudio", "No audio device", "RHI", "pipewire")
def test_in_the_window_one_lesson_downloads_from_its_menu_and_its_row_says_so(
    shell: Shell, qtbot: QtBot
) -> None:
    assert shell.start(None, None)
    window = shell.window
    assert window is not None
    qtbot.waitUntil(lambda: window.catalog.courses.rowCount() == 3, timeout=20_000)
    window.catalog.select_course("c-privacy")
    page = window.catalog.page
    reading = "l-privacy-deidentification"
    page.tree.setCurrentIndex(lesson_index(page, reading))
    asked: list[str] = []

    def confirm(_parent: object, _title: str, text: str) -> bool:
        asked.append(text)
        return True

    window.download_flow.confirm = confirm
    page.download_lesson_action.trigger()
    qtbot.waitUntil(lambda: offline_column(page)[reading] == "Downloaded", timeout=WAIT)
    assert asked
    cells = offline_column(page)
    assert cells["l-privacy-identifiable-story"] == "Not downloaded"
    assert not page.download_lesson_action.isEnabled()  # the current lesson is stored now
    qtbot.waitUntil(page.download.isEnabled, timeout=WAIT)  # the rest can still be asked for
