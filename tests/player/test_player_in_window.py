"""After a lesson, in the window of the demo account: the quiz that completes a course shows
the completion panel, and its button goes back to the course."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from player_samples import HEADLESS_NOISE
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.gui.shell import Shell
from desktop_app.progress import LessonRef
from desktop_app.views.player.quiz import QuizPage
from reference_server.server import ReferenceServer

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE, "pipewire")
COURSE = "c-foundations"


@pytest.fixture
def shell(qapp: QApplication, reference_server: ReferenceServer) -> Iterator[Shell]:
    shell = Shell(qapp, demo_url=reference_server.url)
    yield shell
    shell.close_window()


def test_passing_the_last_quiz_of_a_course_marks_it_done_and_goes_back_to_it(
    shell: Shell, qtbot: QtBot
) -> None:
    assert shell.start(None, None)
    window, study = shell.window, shell.study
    assert window is not None and study is not None
    qtbot.waitUntil(lambda: window.catalog.courses.rowCount() == 3, timeout=20_000)
    qtbot.waitUntil(lambda: not window.sync.status.syncing, timeout=20_000)
    detail = study.library.course(COURSE)
    assert detail is not None
    lessons = [row for module in detail.modules for row in module.lessons]
    *before, quiz = lessons
    assert quiz.kind == "quiz"
    for row in before:
        study.progress.recorder_for(LessonRef(row.id, COURSE, row.title, row.kind)).complete()

    window.open_lesson(quiz)
    qtbot.waitUntil(lambda: window.lesson_page.player is not None, timeout=20_000)
    player = window.lesson_page.player
    assert player is not None and isinstance(player.page, QuizPage)
    assert player.after.next_button is None  # the last lesson of the course
    page = player.page
    for question in page.quiz.questions:
        page.select(question.id, sorted(question.correct))
    qtbot.mouseClick(page.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: player.after.panel is not None, timeout=10_000)
    panel = player.after.panel
    assert panel is not None and panel.isVisible()
    assert panel.headline.text() == f"You completed {detail.course.title}"

    qtbot.mouseClick(panel.back, Qt.MouseButton.LeftButton)
    assert window.lesson_page.player is None
    assert window.pages.currentIndex() == 0  # the catalog, with the course selected
