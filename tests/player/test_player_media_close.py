"""Closing a video lesson never hangs, however often the learner opens and leaves one.

The lesson-open benchmark once hung in one run of eleven: the UI thread, inside
`QMediaPlayer.stop()`, waited for a Qt connection lock that an FFmpeg thread held while it
waited for the interpreter lock. A seek rebuilds the same FFmpeg objects, so each visit also
seeks ahead and back while playing. This opens and closes the sample video the way the app does
(`LessonPage.open_lesson`, Play, first frame, two seeks, `LessonPage.close_lesson`, deferred
delete) many times in a row under a hard timeout, so a hang fails the test with every thread's
stack.
"""

from __future__ import annotations

import faulthandler
from collections.abc import Iterator

import pytest
from _pytest.faulthandler import fault_handler_stderr_fd_key
from player_samples import HEADLESS_NOISE, SAMPLE_MEDIA, content
from PySide6.QtCore import QCoreApplication, QEvent
from pytestqt.qtbot import QtBot

from desktop_app.catalog.library import DOWNLOADED, LessonRow
from desktop_app.progress import ProgressLog
from desktop_app.views.player.lesson_page import LessonPage
from desktop_app.views.player.media import MediaPage

SAMPLE_VIDEO = SAMPLE_MEDIA / "foundations-welcome.mp4"
SAMPLE_CAPTIONS = SAMPLE_MEDIA / "foundations-welcome.en.vtt"
AHEAD, BACK = 4.0, 1.0  # seconds into the sample video, which plays for about 8
OPENINGS = 200  # about 7 s here; before the fix one closing in about fifty hung
HANG_SECONDS = 240  # generous for a loaded 2-core machine
ROW = LessonRow("l-video", "c-test", "m-test", "Sample video", "video", "", 8, 0, 0, DOWNLOADED)

pytestmark = [
    pytest.mark.qt_log_ignore(*HEADLESS_NOISE),
    pytest.mark.skipif(not SAMPLE_VIDEO.is_file(), reason="the sample curriculum video is absent"),
]


@pytest.fixture
def hang_watchdog(request: pytest.FixtureRequest) -> Iterator[None]:
    """Ends the run with every thread's stack if the test hangs.

    pytest-timeout's watchdog is a Python thread, so it cannot run while a deadlocked UI thread
    holds the interpreter lock; faulthandler's runs in C and writes to pytest's own stderr."""
    stderr = request.config.stash[fault_handler_stderr_fd_key]
    faulthandler.dump_traceback_later(HANG_SECONDS + 30, exit=True, file=stderr)
    yield
    faulthandler.cancel_dump_traceback_later()


def open_and_close(qtbot: QtBot, page: LessonPage) -> None:
    """One visit: open, press Play, wait for the first decoded frame, seek ahead and back while
    playing, leave, delete."""
    assert page.open_lesson(ROW)
    media = page.player.page if page.player is not None else None
    assert isinstance(media, MediaPage)
    sink = media.picture.videoSink()  # type: ignore[attr-defined]
    media.play()
    qtbot.waitUntil(lambda: sink.videoFrame().isValid(), timeout=15_000)
    media.seek(AHEAD)
    qtbot.waitUntil(lambda: media.player.position() >= AHEAD * 1000, timeout=15_000)
    media.seek(BACK)
    qtbot.waitUntil(lambda: media.player.position() < AHEAD * 1000, timeout=15_000)
    page.close_lesson()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.mark.slow
@pytest.mark.timeout(HANG_SECONDS, method="thread")
@pytest.mark.usefixtures("hang_watchdog")
def test_opening_and_closing_a_video_lesson_many_times_never_hangs(
    qtbot: QtBot, progress_log: ProgressLog
) -> None:
    files = {"media": SAMPLE_VIDEO, "captions": SAMPLE_CAPTIONS}
    page = LessonPage(lambda _id: content("video", files), progress_log.recorder_for)
    qtbot.addWidget(page)
    page.resize(760, 560)
    page.show()
    qtbot.waitExposed(page)
    for _ in range(OPENINGS):
        open_and_close(qtbot, page)
    assert page.player is None
