""" "Save certificate…" in the window, offscreen, against the reference server on loopback: the
course page offers it once the course is complete and the Progress page for the selected
completed course; each writes the PDF where the learner chose; without a kept certificate one
sentence says why. The screens are saved, light and dark, for review."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from shots import in_app_themes, keep, shots_folder

from desktop_app.certificates.wallet import WALLET_FILE
from desktop_app.progress.xapi import LessonRef
from desktop_app.views.certificate_pdf import token_from_pdf
from desktop_app.views.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(
    "propagateSizeHints", "PulseAudio", "No audio device", "RHI", "pipewire"
)
COURSE = "c-privacy"
LESSONS = (
    ("l-privacy-identifiable-story", "video"),
    ("l-privacy-deidentification", "reading"),
    ("l-privacy-boundaries", "audio"),
    ("l-privacy-before-you-post", "pdf"),
)
SHOTS = shots_folder("ROUNDS_CERTIFICATE_SHOTS")


def _complete(window: MainWindow, qtbot: QtBot) -> None:
    study = window.study
    with study.account.db.session() as session:
        for lesson_id, kind in LESSONS:
            study.progress.completed(session, LessonRef(lesson_id, COURSE, lesson_id, kind))
        quiz = LessonRef("l-privacy-quiz", COURSE, "Quiz", "quiz")
        study.progress.quiz_result(session, quiz, 1.0, True, {"q1": ["a"]}, out_of=1)
    done = window.sync.status.last_success
    window.sync.sync_now()
    qtbot.waitUntil(lambda: window.sync.status.last_success != done, timeout=20_000)
    assert COURSE in study.certificates.kept().tokens
    window.refresh()


def _choose(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    def chosen(_parent: object, _title: str, _start: str, _filter: str) -> tuple[str, str]:
        return str(target), "PDF documents (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(chosen))


def _shoot(widget: QWidget, name: str) -> None:
    """Light and dark PNGs of `widget` when ROUNDS_CERTIFICATE_SHOTS names a folder."""
    if SHOTS is None:
        return
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    keep(in_app_themes(app, widget, name), SHOTS)


def test_the_course_page_and_progress_page_save_the_certificate(
    demo_window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = demo_window
    page = window.catalog.page
    window.show_course("c-presence")
    qtbot.waitUntil(lambda: page.course_id == "c-presence", timeout=10_000)
    assert not page.certificate.isVisibleTo(page)  # not complete: not offered

    _complete(window, qtbot)
    window.show_course(COURSE)
    qtbot.waitUntil(lambda: page.course_id == COURSE and page.certificate.isVisibleTo(page),
                    timeout=10_000)  # fmt: skip
    _shoot(page, "course-page")
    from_course = tmp_path / "from-course.pdf"
    _choose(monkeypatch, from_course)
    page.certificate.click()
    token = window.study.certificates.kept().tokens[COURSE]
    assert token_from_pdf(from_course.read_bytes()) == token

    window.nav.setCurrentRow(4)  # Progress
    learner = window.progress.learner
    qtbot.waitUntil(lambda: learner.courses.rowCount() >= 1, timeout=10_000)
    assert not learner.certificate.isEnabled()  # nothing selected yet
    row = [learner.courses.row_at(r).course_id for r in range(learner.courses.rowCount())]
    learner.courses_table.setCurrentIndex(learner.courses.index(row.index(COURSE), 0))
    assert learner.certificate.isEnabled()
    _shoot(window.progress, "progress-page")
    from_progress = tmp_path / "from-progress.pdf"
    _choose(monkeypatch, from_progress)
    learner.certificate.click()
    assert token_from_pdf(from_progress.read_bytes()) == token


def test_without_a_kept_certificate_one_sentence_says_why(
    demo_window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = demo_window
    _complete(window, qtbot)
    (window.study.account.paths.root / WALLET_FILE).unlink()
    window.show_course(COURSE)
    page = window.catalog.page
    qtbot.waitUntil(lambda: page.course_id == COURSE and page.certificate.isVisibleTo(page),
                    timeout=10_000)  # fmt: skip
    target = tmp_path / "never.pdf"
    _choose(monkeypatch, target)
    page.certificate.click()
    qtbot.waitUntil(lambda: bool(window.findChildren(QMessageBox)), timeout=10_000)
    (box,) = window.findChildren(QMessageBox)
    assert box.text().startswith("No certificate for this course yet")
    _shoot(box, "no-certificate")
    box.close()
    assert not target.exists()
