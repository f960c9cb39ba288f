"""Closing a video lesson gives back what it held: the player, its audio output and its video
sink go with the closed lesson, and opening the lesson again and again does not grow the
process's private memory.

What a first video lesson leaves resident is the code of the libraries it loaded (FFmpeg, and
Qt Quick and QML, which Qt's FFmpeg media plugin links): mapped from their files, shared, and
given back by the kernel when memory is short. The lesson-open benchmark reports it apart from
the private memory this test bounds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import shiboken6
from player_samples import HEADLESS_NOISE, SAMPLE_MEDIA, content
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from pytestqt.qtbot import QtBot

from desktop_app.catalog.library import DOWNLOADED, LessonRow
from desktop_app.progress import ProgressLog
from desktop_app.views.player.lesson_page import LessonPage
from desktop_app.views.player.media import MediaPage

SAMPLE_VIDEO = SAMPLE_MEDIA / "foundations-welcome.mp4"
ROW = LessonRow("l-video", "c-test", "m-test", "Sample video", "video", "", 8, 0, 0, DOWNLOADED)
REOPENINGS = 4
PRIVATE_GROWTH_LIMIT_MB = 5.0  # over all the reopenings together; measured about 1 MB
STATUS = Path("/proc/self/status")

pytestmark = [
    pytest.mark.qt_log_ignore(*HEADLESS_NOISE),
    pytest.mark.skipif(not SAMPLE_VIDEO.is_file(), reason="the sample curriculum video is absent"),
]


def private_mb() -> float:
    """The anonymous part of this process's resident set (the kernel's RssAnon)."""
    fields = dict(line.split(":", 1) for line in STATUS.read_text().splitlines() if ":" in line)
    return int(fields["RssAnon"].split()[0]) / 1e3


def play_and_close(qtbot: QtBot, page: LessonPage) -> list[QObject]:
    """Open the video lesson, wait for its first frame, close it; the objects it played with."""
    assert page.open_lesson(ROW)
    media = page.player.page if page.player is not None else None
    assert isinstance(media, MediaPage) and isinstance(media.picture, QVideoWidget)
    sink = media.picture.videoSink()
    media.play()
    qtbot.waitUntil(lambda: sink.videoFrame().isValid(), timeout=15_000)
    held = [media, media.player, *media.findChildren(QAudioOutput)]
    page.close_lesson()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    return held


@pytest.fixture
def page(qtbot: QtBot, progress_log: ProgressLog) -> LessonPage:
    lesson_page = LessonPage(
        lambda _id: content("video", {"media": SAMPLE_VIDEO}), progress_log.recorder_for
    )
    qtbot.addWidget(lesson_page)
    lesson_page.show()
    return lesson_page


def test_a_closed_video_lesson_s_player_and_audio_output_are_deleted(
    qtbot: QtBot, page: LessonPage
) -> None:
    held = play_and_close(qtbot, page)
    assert any(isinstance(item, QMediaPlayer) for item in held)
    assert any(isinstance(item, QAudioOutput) for item in held)
    assert [item for item in held if shiboken6.isValid(item)] == []
    assert page.player is None


@pytest.mark.skipif(not STATUS.exists(), reason="RssAnon is read from Linux's /proc")
def test_opening_a_video_lesson_again_and_again_keeps_private_memory_flat(
    qtbot: QtBot, page: LessonPage
) -> None:
    play_and_close(qtbot, page)  # the first: libraries, decoder threads, the kept widget
    before = private_mb()
    for _ in range(REOPENINGS):
        play_and_close(qtbot, page)
    assert private_mb() - before < PRIVATE_GROWTH_LIMIT_MB
