"""Fixtures for the lesson player: a real progress log on SQLite and a helper to open lessons."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from player_samples import OpenLesson
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from desktop_app.db import Database
from desktop_app.downloads import LessonFiles
from desktop_app.progress import Actor, ProgressLog, activity_base_for
from desktop_app.views.player import LessonPlayer

SERVER = "https://rounds.example"


@pytest.fixture
def progress_log(tmp_path: Path) -> Iterator[ProgressLog]:
    db = Database(tmp_path / "c.sqlite3")
    actor = Actor(home_page=SERVER, account_name="ana", display_name="Ana Ortiz")
    yield ProgressLog(db, actor, activity_base_for(SERVER))
    db.close()


@pytest.fixture
def opened_urls() -> list[QUrl]:
    """Every URL the player asked the system to open (instead of opening a browser)."""
    return []


@pytest.fixture
def open_lesson(qtbot: QtBot, progress_log: ProgressLog, opened_urls: list[QUrl]) -> OpenLesson:
    """Shows a LessonPlayer for `content`, recording into the real progress log."""
    players: list[LessonPlayer] = []  # qtbot holds widgets weakly; the test may not

    def open_(content: LessonFiles, *, size: tuple[int, int] = (760, 560)) -> LessonPlayer:
        recorder = progress_log.recorder_for(content.ref)
        player = LessonPlayer(content, recorder, open_url=opened_urls.append)
        qtbot.addWidget(player)
        player.resize(*size)
        player.show()
        qtbot.waitExposed(player)
        players.append(player)
        return player

    return open_
