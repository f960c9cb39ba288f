"""After a lesson: the next lesson of the course, and the panel that marks the course done."""

from __future__ import annotations

from pathlib import Path

import pytest
from player_samples import HEADLESS_NOISE, write_pdf
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from quiz_samples import QUIZ
from shots import keep, shots_folder

from desktop_app.catalog.library import CourseDetail
from desktop_app.catalog.rows import CourseRow, LessonRow, ModuleRow
from desktop_app.downloads import LessonFiles
from desktop_app.progress import LessonRef, ProgressLog
from desktop_app.views.player import LessonPlayer
from desktop_app.views.player.after import CourseCompletePanel, CourseLookup
from desktop_app.views.player.lesson_page import LessonPage

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)
COURSE = "c-after"
TITLES = {"l-one": "Why consent matters", "l-two": "Handout", "l-three": "Check yourself"}
KINDS = {"l-one": "quiz", "l-two": "pdf", "l-three": "quiz"}


def lesson_row(lesson_id: str, position: int, done: set[str]) -> LessonRow:
    title, kind = TITLES[lesson_id], KINDS[lesson_id]
    return LessonRow(
        lesson_id, COURSE, "m-1", title, kind, "", 60, position, 0, "downloaded",
        completed=lesson_id in done,
    )  # fmt: skip


def course_of(progress_log: ProgressLog) -> CourseLookup:
    """`Library.course` for one three-lesson course, completion read from the real log."""

    def detail(course_id: str) -> CourseDetail | None:
        done = progress_log.completed_lessons()
        lessons = tuple(lesson_row(lesson_id, n, done) for n, lesson_id in enumerate(TITLES))
        row = CourseRow(COURSE, "Patient privacy online", "", 1, len(lessons), "downloaded")
        return CourseDetail(row, (ModuleRow("m-1", "Basics", lessons),), 0)

    return detail


def files_for(lesson_id: str, tmp_path: Path) -> LessonFiles:
    ref = LessonRef(lesson_id, COURSE, TITLES[lesson_id], KINDS[lesson_id])
    if ref.kind == "pdf":
        return LessonFiles(ref, {"document": write_pdf(tmp_path / f"{lesson_id}.pdf", pages=1)})
    return LessonFiles(ref, quiz=QUIZ)


def show(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.addWidget(widget)
    widget.resize(760, 560)
    widget.show()
    qtbot.waitExposed(widget)


def test_the_next_lesson_of_the_course_is_offered_and_opened_by_key(
    qtbot: QtBot, progress_log: ProgressLog, tmp_path: Path
) -> None:
    content = files_for("l-one", tmp_path)
    player = LessonPlayer(
        content, progress_log.recorder_for(content.ref), course_of=course_of(progress_log)
    )
    show(qtbot, player)
    button = player.after.next_button
    assert button is not None and button.isVisible()
    assert button.text() == "Next lesson: Handout ▶"
    assert "Ctrl+Right" in button.toolTip()
    with qtbot.waitSignal(player.next_lesson_requested) as asked:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert asked.args is not None and asked.args[0].id == "l-two"
    player.activateWindow()
    qtbot.waitUntil(player.isActiveWindow, timeout=10_000)
    player.focus_lesson()
    with qtbot.waitSignal(player.next_lesson_requested) as asked:
        qtbot.keyClick(player.page, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert asked.args is not None and asked.args[0].id == "l-two"


def test_the_last_lesson_offers_no_next_one(
    qtbot: QtBot, progress_log: ProgressLog, tmp_path: Path
) -> None:
    content = files_for("l-three", tmp_path)
    player = LessonPlayer(
        content, progress_log.recorder_for(content.ref), course_of=course_of(progress_log)
    )
    show(qtbot, player)
    assert player.after.next_button is None
    assert not player.after.isVisible()


def test_completing_the_last_open_lesson_marks_the_course_done(
    qtbot: QtBot, progress_log: ProgressLog, tmp_path: Path
) -> None:
    for lesson_id in ("l-one", "l-three"):
        progress_log.recorder_for(files_for(lesson_id, tmp_path).ref).complete()
    content = files_for("l-two", tmp_path)  # a one-page handout: done once it is shown
    player = LessonPlayer(
        content, progress_log.recorder_for(content.ref), course_of=course_of(progress_log)
    )
    show(qtbot, player)
    qtbot.waitUntil(lambda: player.after.panel is not None, timeout=10_000)
    panel = player.after.panel
    assert isinstance(panel, CourseCompletePanel) and panel.isVisible()
    assert panel.headline.text() == "You completed Patient privacy online"
    assert panel.geometry().bottom() < player.page.geometry().top()  # above the lesson
    keep({"course-complete-panel.png": panel.grab()}, shots_folder("ROUNDS_PLAYER_SHOTS"))
    with qtbot.waitSignal(player.course_requested):
        qtbot.mouseClick(panel.back, Qt.MouseButton.LeftButton)


def test_a_course_done_before_gets_no_second_panel(
    qtbot: QtBot, progress_log: ProgressLog, tmp_path: Path
) -> None:
    for lesson_id in TITLES:
        progress_log.recorder_for(files_for(lesson_id, tmp_path).ref).complete()
    content = files_for("l-two", tmp_path)
    player = LessonPlayer(
        content, progress_log.recorder_for(content.ref), course_of=course_of(progress_log)
    )
    show(qtbot, player)
    player.after.lesson_completed()
    assert player.after.panel is None


def test_a_lesson_that_does_not_complete_the_course_shows_no_panel(
    qtbot: QtBot, progress_log: ProgressLog, tmp_path: Path
) -> None:
    content = files_for("l-two", tmp_path)
    player = LessonPlayer(
        content, progress_log.recorder_for(content.ref), course_of=course_of(progress_log)
    )
    show(qtbot, player)
    qtbot.waitUntil(lambda: player.is_completed, timeout=10_000)
    assert player.after.panel is None
    assert not player.after.completion_place.isVisible()


def test_the_lesson_page_opens_the_next_lesson(
    qtbot: QtBot, progress_log: ProgressLog, tmp_path: Path
) -> None:
    lookup = course_of(progress_log)
    page = LessonPage(
        lambda lesson_id: files_for(lesson_id, tmp_path),
        progress_log.recorder_for,
        course_of=lookup,
    )
    show(qtbot, page)
    first = lesson_row("l-one", 0, set())
    assert page.open_lesson(first)
    assert page.player is not None and page.player.after.next_button is not None
    qtbot.mouseClick(page.player.after.next_button, Qt.MouseButton.LeftButton)
    assert page.player.content.ref.lesson_id == "l-two"
    assert page.player.header.title.text() == "Handout"
    page.close_lesson()
