"""Reading lessons: rendered offline only, links opened on click, read to the end, resumed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from player_samples import HEADLESS_NOISE, OpenLesson, content, write_png
from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QImage, QTextCursor, QTextDocument
from PySide6.QtNetwork import QNetworkAccessManager
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop_app.progress import ProgressLog
from desktop_app.views.player.reading import LocalOnlyBrowser, ReadingPage

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)
IMAGE = QTextDocument.ResourceType.ImageResource
REMOTE = "https://example.org/x.png"
LONG_TEXT = "# Before you post\n\n" + "\n\n".join(
    f"Paragraph {n}: check the audience, the identifiers and the tone of every post."
    for n in range(120)
)


def reading_page(player: QWidget) -> ReadingPage:
    page = getattr(player, "page", None)
    assert isinstance(page, ReadingPage)
    return page


def write_body(folder: Path, text: str) -> Path:
    path = folder / "reading.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_reading_completes_only_when_scrolled_to_the_end(
    qtbot: QtBot,
    open_lesson: OpenLesson,
    progress_log: ProgressLog,
    tmp_path: Path,
    run_deferred_calls: Callable[[], None],
) -> None:
    player = open_lesson(content("reading", {"body": write_body(tmp_path, LONG_TEXT)}))
    page = reading_page(player)
    bar = page.browser.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=10_000)
    run_deferred_calls()  # the page's deferred check must not complete the lesson
    assert not progress_log.lesson_state("l-reading").completed
    assert player.header.rule.text() == "Reading · Complete when read to the end"

    bar.setValue(bar.maximum() // 2)
    assert not player.is_completed
    with qtbot.waitSignal(player.completed, timeout=10_000):
        bar.setValue(bar.maximum())
    assert progress_log.lesson_state("l-reading").completed


def test_a_reading_that_fits_without_scrolling_completes_when_shown(
    qtbot: QtBot, open_lesson: OpenLesson, progress_log: ProgressLog, tmp_path: Path
) -> None:
    body = write_body(tmp_path, "# Short\n\nOne paragraph is all it takes.")
    player = open_lesson(content("reading", {"body": body}))
    qtbot.waitUntil(lambda: player.is_completed, timeout=10_000)
    assert progress_log.lesson_state("l-reading").completed


def test_images_come_only_from_the_downloaded_files(
    qtbot: QtBot,
    open_lesson: OpenLesson,
    opened_urls: list[QUrl],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    requested: list[str] = []
    real_load = LocalOnlyBrowser.loadResource

    def spy(browser: LocalOnlyBrowser, kind: int, url: QUrl | str) -> object:
        answer = real_load(browser, kind, url)
        requested.append(QUrl(url).toString())
        return answer

    monkeypatch.setattr(LocalOnlyBrowser, "loadResource", spy)
    figure = write_png(tmp_path / "figure.png")
    # A downloaded image that shares the remote image's file name must not stand in for it.
    decoy = write_png(tmp_path / "x.png", color="#c62828")
    body = write_body(tmp_path, f"![Local](figure.png)\n\n![Remote]({REMOTE})\n")
    lesson = content("reading", {"body": body}, images={"figure.png": figure, "x.png": decoy})
    player = open_lesson(lesson)
    browser = reading_page(player).browser
    qtbot.waitUntil(lambda: REMOTE in requested, timeout=10_000)

    # The document asked for both images; only the downloaded one was given.
    assert "figure.png" in requested
    assert not browser.document().resource(IMAGE, QUrl(REMOTE))
    local = real_load(browser, IMAGE, QUrl("figure.png"))
    assert isinstance(local, QImage)
    assert local.size().width() == 120
    for url in (REMOTE, "file:///etc/hostname", "//example.org/x.png", "unknown.png"):
        assert real_load(browser, IMAGE, QUrl(url)) is None, url
    # Nothing was opened, and nothing exists that could fetch it.
    assert opened_urls == []
    assert not player.findChildren(QNetworkAccessManager)
    assert not QCoreApplication.instance().findChildren(QNetworkAccessManager)


def test_a_web_link_opens_only_when_clicked(
    qtbot: QtBot,
    open_lesson: OpenLesson,
    opened_urls: list[QUrl],
    tmp_path: Path,
    run_deferred_calls: Callable[[], None],
) -> None:
    body = write_body(tmp_path, "Read the [college guidance](https://example.org/guidance) first.")
    page = reading_page(open_lesson(content("reading", {"body": body})))
    run_deferred_calls()
    assert opened_urls == []

    cursor = page.browser.document().find("college guidance")
    assert not cursor.isNull()
    cursor.setPosition(cursor.selectionStart() + 3, QTextCursor.MoveMode.MoveAnchor)
    spot = page.browser.cursorRect(cursor).center()
    spot.setX(spot.x() + 2)
    qtbot.mouseClick(page.browser.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    qtbot.waitUntil(lambda: len(opened_urls) == 1, timeout=10_000)
    assert opened_urls == [QUrl("https://example.org/guidance")]


def test_reading_resumes_at_the_saved_scroll_position(
    qtbot: QtBot, open_lesson: OpenLesson, progress_log: ProgressLog, tmp_path: Path
) -> None:
    lesson = content("reading", {"body": write_body(tmp_path, LONG_TEXT)})
    first = open_lesson(lesson)
    bar = reading_page(first).browser.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=10_000)
    bar.setValue(bar.maximum() // 2)
    first.close()
    assert progress_log.lesson_state("l-reading").resume_position == pytest.approx(0.5, abs=0.02)

    second = open_lesson(lesson)
    page = reading_page(second)
    qtbot.waitUntil(lambda: page.browser.verticalScrollBar().maximum() > 0, timeout=10_000)
    qtbot.waitUntil(lambda: abs(page.scroll_share() - 0.5) < 0.02, timeout=10_000)
    assert not second.is_completed
