"""A lesson that is not downloaded, in the whole app against the reference server: online its
video streams through the loopback relay (a seek goes by Range), a PDF is fetched into the
store; offline the page says so in one sentence, offers the download and records nothing, so
no "Continue" banner appears; "Download this lesson" queues its files alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from player_samples import write_wav
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.catalog.library import LessonRow
from desktop_app.gui.shell import Shell
from desktop_app.views.main_window import MainWindow
from desktop_app.views.player.media import MediaPage
from desktop_app.views.player.not_downloaded import Away
from desktop_app.views.player.pdf import PdfPage
from reference_server.server import ReferenceServer

pytestmark = pytest.mark.qt_log_ignore(
    "propagateSizeHints", "PulseAudio", "No audio device", "RHI", "pipewire", "ffmpeg", "QSocket"
)
WAIT = 20_000
VIDEO, PDF = "l-foundations-welcome", "l-foundations-plain-language"


@pytest.fixture
def shell(qapp: QApplication, reference_server: ReferenceServer) -> Iterator[Shell]:
    shell = Shell(qapp, demo_url=reference_server.url)
    yield shell
    shell.close_window()


def _started(shell: Shell, qtbot: QtBot, courses: int = 3) -> MainWindow:
    assert shell.start(None, None)
    window = shell.window
    assert window is not None
    qtbot.waitUntil(lambda: window.catalog.courses.rowCount() == courses, timeout=WAIT)
    qtbot.waitUntil(lambda: not window.sync.status.syncing, timeout=WAIT)
    return window


def _lesson(shell: Shell, lesson_id: str) -> LessonRow:
    assert shell.study is not None
    lesson = shell.study.library.lesson(lesson_id)
    assert lesson is not None
    return lesson


def _asset_ranges(server: ReferenceServer) -> list[str]:
    return [
        r.headers.get("range", "")
        for r in server.requests
        if r.method == "GET" and r.path.startswith("/api/v1/assets/")
    ]


def _publish_long_audio(server: ReferenceServer, folder: Path) -> str:
    """A course with one two-minute audio lesson (about 2 MB: more than a player reads
    ahead), published before the app syncs; returns the lesson id."""
    digest = server.admin.add_asset_file(write_wav(folder / "long.wav", 120), "audio/wav")
    lesson = {
        "id": "l-long",
        "title": "A long briefing",
        "kind": "audio",
        "assets": [{"sha256": digest, "role": "media", "name": "long.wav"}],
    }
    module = {"id": "m-long", "title": "Module", "lessons": [lesson]}
    server.admin.add_course({"id": "c-long", "title": "Long", "modules": [module]})
    return "l-long"


def test_media_not_downloaded_streams_and_a_seek_goes_by_range(
    shell: Shell, qtbot: QtBot, reference_server: ReferenceServer, tmp_path: Path
) -> None:
    lesson_id = _publish_long_audio(reference_server, tmp_path)
    window = _started(shell, qtbot, courses=4)
    page = window.lesson_page
    window.open_lesson(_lesson(shell, lesson_id))

    qtbot.waitUntil(lambda: page.player is not None, timeout=WAIT)
    assert page.away.state is Away.STREAMING and page.away.isVisible()
    assert page.player is not None
    media = page.player.page
    assert isinstance(media, MediaPage)
    assert media.player.source().toString().startswith("http://127.0.0.1:")
    qtbot.waitUntil(lambda: media.player.duration() > 0, timeout=WAIT)
    reference_server.clear_requests()
    media.play()
    media.seek(90.0)
    qtbot.waitUntil(lambda: media.player.position() >= 90_000, timeout=WAIT)
    assert media.player.error() == QMediaPlayer.Error.NoError
    starts = [int(r[6:].split("-")[0]) for r in _asset_ranges(reference_server) if r]
    assert any(start > 1_000_000 for start in starts)  # the seek asked the server for a range
    assert shell.study is not None
    stored = shell.study.lesson_files(lesson_id)
    assert stored is not None and "media" not in stored.files  # streamed, not stored


def test_a_pdf_not_downloaded_is_fetched_and_shown(shell: Shell, qtbot: QtBot) -> None:
    window = _started(shell, qtbot)
    page = window.lesson_page
    window.open_lesson(_lesson(shell, PDF))

    qtbot.waitUntil(lambda: page.player is not None, timeout=WAIT)
    assert page.player is not None and isinstance(page.player.page, PdfPage)
    assert not page.away.isVisible()
    assert shell.study is not None
    content = shell.study.lesson_files(PDF)
    assert content is not None and content.downloaded  # verified into the content store


@pytest.mark.expect_log("desktop_app.sync.engine", "Could not reach the server")
def test_offline_the_page_says_so_offers_the_download_and_records_nothing(
    shell: Shell, qtbot: QtBot, reference_server: ReferenceServer
) -> None:
    window = _started(shell, qtbot)
    page = window.lesson_page
    banner_before = window.continue_button.isVisible()
    top_before = window.catalog.mapTo(window, window.catalog.rect().topLeft())
    reference_server.stop()
    window.open_lesson(_lesson(shell, PDF))

    qtbot.waitUntil(lambda: page.away.state is Away.OFFLINE, timeout=WAIT)
    assert page.player is None and page.away.download.isEnabled()
    assert "cannot be reached" in page.away.words.text()
    assert page.away.words.text().count(".") == 1  # one sentence
    page.leave()
    qtbot.waitUntil(lambda: window.pages.currentIndex() == 0, timeout=WAIT)
    window.refresh()
    qtbot.waitUntil(lambda: not shell.runner.busy, timeout=WAIT)  # its results delivered
    assert window.continue_button.isVisible() == banner_before is False
    assert window.catalog.mapTo(window, window.catalog.rect().topLeft()) == top_before


def test_download_this_lesson_queues_its_files_alone(shell: Shell, qtbot: QtBot) -> None:
    window = _started(shell, qtbot)
    page = window.lesson_page
    asked: list[str] = []

    def confirm(_parent: QWidget, _title: str, question: str) -> bool:
        asked.append(question)
        return True

    window.download_flow.confirm = confirm
    window.open_lesson(_lesson(shell, VIDEO))
    qtbot.waitUntil(lambda: page.away.state is Away.STREAMING, timeout=WAIT)

    page.away.download.click()

    qtbot.waitUntil(lambda: page.away.state is Away.QUEUED, timeout=WAIT)
    # the video only: its captions came into the store as it streamed
    assert asked[0].startswith("Download “Welcome: why patients look for you online” — 1 ")
    assert window.pages.currentWidget() is page  # the learner stays in the lesson
    assert shell.study is not None
    study = shell.study
    qtbot.waitUntil(lambda: bool(study.downloads.wait_until_idle(0.1)), timeout=WAIT)
    content = study.lesson_files(VIDEO)
    assert content is not None and not content.missing_required
    other = study.lesson_files(PDF)
    assert other is not None and other.missing_required  # only that lesson's files came
