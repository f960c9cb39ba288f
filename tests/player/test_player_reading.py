"""Reading lessons: rendered offline only, links opened on click, read to the end, resumed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from player_samples import HEADLESS_NOISE, OpenLesson, content, write_png
from PySide6.QtCore import QByteArray, QCoreApplication, Qt, QUrl
from PySide6.QtGui import QColor, QImage, QTextCursor, QTextDocument
from PySide6.QtNetwork import QNetworkAccessManager
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop_app.progress import ProgressLog
from desktop_app.views.player.reading import LocalOnlyBrowser, ReadingPage

pytestmark = pytest.mark.qt_log_ignore(*HEADLESS_NOISE)
IMAGE = QTextDocument.ResourceType.ImageResource
STYLESHEET = QTextDocument.ResourceType.StyleSheetResource
REMOTE = "https://example.org/x.png"
OUTSIDE_RED = "#c62828"
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
    assert browser.document().resource(IMAGE, QUrl(REMOTE)).isNull()
    local = real_load(browser, IMAGE, QUrl("figure.png"))
    assert isinstance(local, QImage)
    assert local.size().width() == 120
    for url in (REMOTE, "file:///etc/hostname", "//example.org/x.png", "unknown.png"):
        refused = real_load(browser, IMAGE, QUrl(url))
        assert isinstance(refused, QImage) and refused.isNull(), url
    # Nothing was opened, and nothing exists that could fetch it.
    assert opened_urls == []
    assert not player.findChildren(QNetworkAccessManager)
    assert not QCoreApplication.instance().findChildren(QNetworkAccessManager)


def test_a_reading_shows_no_file_from_outside_its_own_images(
    qtbot: QtBot, open_lesson: OpenLesson, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lesson, working = tmp_path / "lesson", tmp_path / "working"
    lesson.mkdir()
    working.mkdir()
    monkeypatch.chdir(working)  # where Qt resolves a relative path it loads itself
    outside = write_png(tmp_path / "outside.png", color=OUTSIDE_RED)
    write_png(working / "stray.png", color=OUTSIDE_RED)
    refused = (
        outside.as_uri(),
        "../outside.png",
        "stray.png",
        "file://fileserver/share/x.png",  # a Windows share: opening it sends the learner's login
        "http://example.org/x.png",
    )
    figure = write_png(lesson / "figure.png")
    text = "![Figure](figure.png)\n\n" + "".join(f"![Refused]({url})\n\n" for url in refused)
    lesson_files = content(
        "reading", {"body": write_body(lesson, text)}, images={"figure.png": figure}
    )
    browser = reading_page(open_lesson(lesson_files)).browser
    document = browser.document()
    qtbot.waitUntil(lambda: colour_shown(browser, "#2e7d32"), timeout=10_000)

    for url in refused:
        held = document.resource(IMAGE, QUrl(url))  # what Qt keeps for the URL, loaded once
        assert isinstance(held, QImage) and held.isNull(), url
    assert not colour_shown(browser, OUTSIDE_RED)


def test_a_reading_takes_no_stylesheet_from_outside(
    qtbot: QtBot, open_lesson: OpenLesson, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.css"
    outside.write_text(f"p {{ background-color: {OUTSIDE_RED}; }}", encoding="utf-8")
    body = tmp_path / "reading.html"
    link = f'<link rel="stylesheet" type="text/css" href="{outside.as_uri()}">'
    body.write_text(f"<html><head>{link}</head><body><p>Wash hands.</p></body></html>", "utf-8")
    browser = reading_page(open_lesson(content("reading", {"body": body}))).browser
    qtbot.waitUntil(lambda: colour_shown(browser, "#ffffff"), timeout=10_000)

    held = browser.document().resource(STYLESHEET, QUrl(outside.as_uri()))
    assert held == QByteArray()
    assert not colour_shown(browser, OUTSIDE_RED)


def colour_shown(browser: LocalOnlyBrowser, colour: str) -> bool:
    shot = browser.viewport().grab().toImage()
    wanted = QColor(colour).rgb()
    step = 4
    return any(
        shot.pixel(x, y) == wanted
        for x in range(0, shot.width(), step)
        for y in range(0, shot.height(), step)
    )


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
