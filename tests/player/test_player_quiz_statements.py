"""A quiz submitted in the player is recorded answer by answer, as xAPI choice interactions."""

from __future__ import annotations

import pytest
from player_samples import HEADLESS_NOISE, OpenLesson, content
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from quiz_samples import QUIZ

from desktop_app.progress import ProgressLog
from desktop_app.progress.store import all_statements
from desktop_app.progress.xapi import ANSWERED
from desktop_app.views.player.quiz import QuizPage

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)


def test_a_submitted_attempt_records_each_answer_and_the_score(
    qtbot: QtBot, open_lesson: OpenLesson, progress_log: ProgressLog
) -> None:
    player = open_lesson(content("quiz", quiz=QUIZ))
    page = player.page
    assert isinstance(page, QuizPage)
    page.select("q1", ["b"])
    page.select("q2", ["b", "a", "c"])
    with qtbot.waitSignal(player.quiz_scored, timeout=10_000):
        qtbot.mouseClick(page.submit, Qt.MouseButton.LeftButton)

    with progress_log.db.session() as session:
        statements = all_statements(session)
    answered = [s for s in statements if s["verb"]["id"] == ANSWERED]
    assert [(s["object"]["id"].rsplit("/", 1)[-1], s["result"]) for s in answered] == [
        ("q1", {"response": "b", "success": True}),
        ("q2", {"response": "a[,]b[,]c", "success": False}),
    ]
    (attempt,) = [s for s in statements if s["verb"]["id"].endswith("/failed")]
    assert attempt["result"]["score"] == {"scaled": 0.5, "raw": 1, "min": 0, "max": 2}
