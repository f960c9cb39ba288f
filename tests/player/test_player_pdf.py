"""PDF lessons: page navigation, zoom, completion on the last page, resume."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from player_samples import HEADLESS_NOISE, OpenLesson, content, write_pdf
from PySide6.QtCore import Qt
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop_app.progress import ProgressLog
from desktop_app.views.player.pdf import PdfPage

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)


def pdf_page(player: QWidget) -> PdfPage:
    page = getattr(player, "page", None)
    assert isinstance(page, PdfPage)
    return page


@pytest.fixture
def handout(tmp_path: Path) -> Path:
    return write_pdf(tmp_path / "handout.pdf", pages=3)


def test_pdf_completes_when_the_last_page_is_reached(
    qtbot: QtBot,
    open_lesson: OpenLesson,
    progress_log: ProgressLog,
    handout: Path,
    run_deferred_calls: Callable[[], None],
) -> None:
    player = open_lesson(content("pdf", {"document": handout}))
    page = pdf_page(player)
    assert player.header.rule.text() == "PDF handout · Complete when the last page is reached"
    assert page.page_total() == 3
    assert page.page_count.text() == "of 3"
    assert not page.previous.isEnabled()
    run_deferred_calls()  # the page's deferred check must not complete the lesson
    assert not player.is_completed

    qtbot.mouseClick(page.next, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.current_page() == 1, timeout=10_000)
    assert page.page_box.value() == 2
    assert not progress_log.lesson_state("l-pdf").completed
    with qtbot.waitSignal(player.completed, timeout=10_000):
        qtbot.mouseClick(page.next, Qt.MouseButton.LeftButton)
    assert page.current_page() == 2
    assert not page.next.isEnabled()
    assert progress_log.lesson_state("l-pdf").completed


def test_the_page_number_box_jumps_to_a_page(
    qtbot: QtBot, open_lesson: OpenLesson, handout: Path
) -> None:
    player = open_lesson(content("pdf", {"document": handout}))
    page = pdf_page(player)
    page.page_box.setValue(3)
    qtbot.waitUntil(lambda: page.current_page() == 2, timeout=10_000)
    qtbot.waitUntil(lambda: player.is_completed, timeout=10_000)


def test_zoom_in_out_and_fit_to_width(qtbot: QtBot, open_lesson: OpenLesson, handout: Path) -> None:
    page = pdf_page(open_lesson(content("pdf", {"document": handout})))
    assert page.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert page.fit_width.isChecked()
    start = page.view.zoomFactor()
    qtbot.mouseClick(page.zoom_in, Qt.MouseButton.LeftButton)
    assert page.view.zoomMode() == QPdfView.ZoomMode.Custom
    assert page.view.zoomFactor() == pytest.approx(start * 1.25)
    assert page.zoom_label.text() == f"{start * 1.25:.0%}"
    assert not page.fit_width.isChecked()
    qtbot.mouseClick(page.zoom_out, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.zoom_out, Qt.MouseButton.LeftButton)
    assert page.view.zoomFactor() == pytest.approx(start / 1.25)
    qtbot.mouseClick(page.fit_width, Qt.MouseButton.LeftButton)
    assert page.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert page.fit_width.isChecked()


def test_pdf_resumes_at_the_saved_page(
    qtbot: QtBot, open_lesson: OpenLesson, progress_log: ProgressLog, handout: Path
) -> None:
    lesson = content("pdf", {"document": handout})
    first = open_lesson(lesson)
    page = pdf_page(first)
    page.go_to(1)
    qtbot.waitUntil(lambda: page.current_page() == 1, timeout=10_000)
    first.close()
    assert progress_log.lesson_state("l-pdf").resume_position == 1

    second = open_lesson(lesson)
    again = pdf_page(second)
    qtbot.waitUntil(lambda: again.current_page() == 1, timeout=10_000)
    assert again.page_box.value() == 2
    assert not second.is_completed


def test_a_damaged_pdf_says_so(qtbot: QtBot, open_lesson: OpenLesson, tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.4 this is not really a PDF")
    page = pdf_page(open_lesson(content("pdf", {"document": damaged})))
    assert page.error.isVisible()
    assert page.error.text() == ("This PDF could not be opened: the file is damaged.")


def test_scrolling_to_the_end_of_the_document_reaches_the_last_page(
    qtbot: QtBot, open_lesson: OpenLesson, progress_log: ProgressLog, handout: Path
) -> None:
    player = open_lesson(content("pdf", {"document": handout}))
    bar = pdf_page(player).view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=10_000)
    with qtbot.waitSignal(player.completed, timeout=10_000):
        bar.setValue(bar.maximum())
    assert progress_log.lesson_state("l-pdf").completed
