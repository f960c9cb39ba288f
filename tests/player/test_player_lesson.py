"""The player around every lesson: header, completion mark, lessons not downloaded, closing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from player_samples import HEADLESS_NOISE, OpenLesson, content, write_pdf, write_wav
from PySide6.QtWidgets import QLabel
from quiz_samples import QUIZ

from desktop_app.progress import OutboxQueue, ProgressLog
from desktop_app.views.player.media import MediaPage
from desktop_app.views.player.player import NOT_DOWNLOADED

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)


@pytest.mark.parametrize(
    ("kind", "role"),
    [("video", "media"), ("audio", "media"), ("reading", "body"), ("pdf", "document")],
)
def test_a_lesson_not_downloaded_says_so(
    open_lesson: OpenLesson, tmp_path: Path, kind: str, role: str
) -> None:
    player = open_lesson(content(kind, {}, missing=(role,)))
    assert isinstance(player.page, QLabel)
    assert player.page.text() == NOT_DOWNLOADED
    assert player.page.isVisible()
    assert player.header.title.text() == f"Sample {kind} lesson"


def test_a_file_listed_but_gone_from_disk_counts_as_not_downloaded(
    open_lesson: OpenLesson, tmp_path: Path
) -> None:
    player = open_lesson(content("pdf", {"document": tmp_path / "deleted.pdf"}))
    assert isinstance(player.page, QLabel)
    assert player.page.text() == NOT_DOWNLOADED


def test_missing_captions_do_not_stop_a_lesson(open_lesson: OpenLesson, tmp_path: Path) -> None:
    media = write_wav(tmp_path / "talk.wav", seconds=1.0)
    files = {"media": media, "captions": tmp_path / "talk.en.vtt"}
    player = open_lesson(content("audio", files, missing=("captions",)))
    assert isinstance(player.page, MediaPage)
    assert not player.page.controls.captions.isEnabled()
    assert player.page.controls.captions.toolTip() == "No captions for this lesson"


def test_a_lesson_completed_before_shows_the_completed_mark(
    open_lesson: OpenLesson, progress_log: ProgressLog, tmp_path: Path
) -> None:
    lesson = content("pdf", {"document": write_pdf(tmp_path / "h.pdf", pages=2)})
    recorder = progress_log.recorder_for(lesson.ref)
    recorder.complete()
    player = open_lesson(lesson)
    assert player.is_completed
    assert player.header.state.text() == "✓ Completed"


def test_opening_and_closing_are_recorded_once(
    open_lesson: OpenLesson, progress_log: ProgressLog
) -> None:
    player = open_lesson(content("quiz", quiz=QUIZ))
    player.close_lesson()
    player.close()
    state = progress_log.lesson_state("l-quiz")
    assert state.last_activity_at is not None
    pending = OutboxQueue(progress_log.db).pending_batch(100)
    statements = [json.loads(text) for _id, text in pending]
    verbs = [statement["verb"]["id"].rsplit("/", 1)[-1] for statement in statements]
    assert sorted(verbs) == [
        "initialized",
        "launched",
        "terminated",
    ]
