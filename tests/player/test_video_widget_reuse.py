"""Video lessons play into one video widget that the lesson page keeps.

A QVideoWidget made and destroyed for every video lesson left about 2 MB behind in Qt each
time (+41 MB after a morning of lessons); the page now keeps one, takes it back from the
closed lesson, and clears its picture so the next video never starts on the last frame of
the previous one.
"""

from __future__ import annotations

import pytest
import shiboken6
from player_samples import HEADLESS_NOISE, SAMPLE_MEDIA, content
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtMultimediaWidgets import QVideoWidget
from pytestqt.qtbot import QtBot

from desktop_app.catalog.library import DOWNLOADED, LessonRow
from desktop_app.progress import ProgressLog
from desktop_app.views.player.lesson_page import LessonPage
from desktop_app.views.player.media import MediaPage

SAMPLE_VIDEO = SAMPLE_MEDIA / "foundations-welcome.mp4"
ROW = LessonRow("l-video", "c-test", "m-test", "Sample video", "video", "", 8, 0, 0, DOWNLOADED)

pytestmark = [
    pytest.mark.qt_log_ignore(*HEADLESS_NOISE),
    pytest.mark.skipif(not SAMPLE_VIDEO.is_file(), reason="the sample curriculum video is absent"),
]


def play_first_frame(qtbot: QtBot, page: LessonPage) -> QVideoWidget:
    assert page.open_lesson(ROW)
    media = page.player.page if page.player is not None else None
    assert isinstance(media, MediaPage) and isinstance(media.picture, QVideoWidget)
    assert not media.picture.videoSink().videoFrame().isValid(), "a frame before Play"
    media.play()
    qtbot.waitUntil(lambda: media.picture.videoSink().videoFrame().isValid(), timeout=15_000)
    return media.picture


def close(page: LessonPage) -> None:
    page.close_lesson()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_each_video_lesson_plays_into_the_widget_the_page_keeps(
    qtbot: QtBot, progress_log: ProgressLog
) -> None:
    page = LessonPage(
        lambda _id: content("video", {"media": SAMPLE_VIDEO}), progress_log.recorder_for
    )
    qtbot.addWidget(page)
    page.show()
    first = play_first_frame(qtbot, page)
    close(page)
    assert shiboken6.isValid(first) and first.parent() is page and not first.isVisible()
    assert not first.videoSink().videoFrame().isValid()
    assert play_first_frame(qtbot, page) is first
    close(page)
    assert shiboken6.isValid(first)
