"""What the search shows, on a cache synced from the reference server: lessons found with their
excerpts (matching words bold, content never read as markup), a lesson hit that opens its
lesson, a course that stops matching cleared from the page, no results said in words, and the
search box reachable from the keyboard."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop_app.account import Account
from desktop_app.catalog.library import Library
from desktop_app.catalog.search import CatalogSearch
from desktop_app.content_store import ContentStore
from desktop_app.gui.background import BackgroundRunner
from desktop_app.views.catalog.browser import CatalogBrowser
from desktop_app.views.catalog.two_line import SECONDARY_ROLE, plain_text, secondary_colour
from desktop_app.views.row_list import ROW_ROLE
from reference_server.server import SAMPLE_CURRICULUM, ReferenceServer

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
MARKUP = "<b>Not bold</b> &amp; <i>handover</i> notes"


def open_browser(
    qtbot: QtBot, account: Account, runner: BackgroundRunner, home: Path
) -> CatalogBrowser:
    library = Library(account.db, ContentStore(home / "content"))
    browser = CatalogBrowser(library.course, CatalogSearch(account.db), runner)
    qtbot.addWidget(browser)
    browser.resize(1000, 700)
    browser.show_courses(library.courses())
    browser.show()
    return browser


def search_for(qtbot: QtBot, browser: CatalogBrowser, text: str) -> None:
    """Type `text` and wait until both the courses and the lessons for it are shown."""
    with qtbot.waitSignal(
        browser.lessons_found, check_params_cb=lambda found: found == text, timeout=10_000
    ):
        browser.search_box.setText(text)


def test_lessons_found_show_their_excerpt_with_the_matching_words_bold(
    qtbot: QtBot, synced: Account, runner: BackgroundRunner, tmp_path: Path
) -> None:
    browser = open_browser(qtbot, synced, runner, tmp_path)
    search_for(qtbot, browser, "identifiers")
    assert browser.hit_list.isVisible()
    hit = browser.hits.index(0, 0)
    assert hit.data(ROW_ROLE).id == "l-privacy-deidentification"
    pieces = hit.data(SECONDARY_ROLE)
    assert ("identifiers", True) in pieces
    assert all(not bold for text, bold in pieces if text != "identifiers")
    assert "Safe Harbor identifiers" in plain_text(pieces)
    assert "\x02" not in hit.data() + hit.data(Qt.ItemDataRole.ToolTipRole)
    assert browser.hits_heading.text() == "Lessons, best match first (1)"


def test_content_that_looks_like_markup_is_shown_as_written(
    qtbot: QtBot,
    reference_server: ReferenceServer,
    synced: Account,
    runner: BackgroundRunner,
    tmp_path: Path,
) -> None:
    course = json.loads((SAMPLE_CURRICULUM / "courses" / "c-privacy.json").read_text())
    reading = dict(course["modules"][0]["lessons"][1], id="l-markup", summary=MARKUP)
    course["modules"][0]["lessons"].append(reading)
    reference_server.admin.add_course(course, SAMPLE_CURRICULUM)
    synced.sync()
    browser = open_browser(qtbot, synced, runner, tmp_path)
    search_for(qtbot, browser, "handover")
    pieces = browser.hits.index(0, 0).data(SECONDARY_ROLE)
    assert plain_text(pieces) == MARKUP
    assert pieces[:2] == [("<b>Not bold</b> &amp; <i>", False), ("handover", True)]


def dark_pixels(widget: QWidget) -> int:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    return sum(
        QColor(image.pixel(x, y)).lightness() < 100
        for y in range(image.height())
        for x in range(0, image.width(), 2)
    )


def test_the_excerpt_line_is_drawn_and_its_match_stands_out(
    qtbot: QtBot, synced: Account, runner: BackgroundRunner, tmp_path: Path
) -> None:
    """The second line is painted, not left empty, and the same words darken more pixels
    when they are the match (bold, in the full text colour)."""
    browser = open_browser(qtbot, synced, runner, tmp_path)
    search_for(qtbot, browser, "identifiers")
    hit = browser.hits.row_at(0)
    drawn = {}
    for excerpt in ("", "Safe Harbor identifiers", "Safe Harbor \x02identifiers\x03"):
        browser.hits.set_rows([replace(hit, excerpt=excerpt)])
        drawn[excerpt] = dark_pixels(browser.hit_list.viewport())
    assert drawn[""] < drawn["Safe Harbor identifiers"] < drawn["Safe Harbor \x02identifiers\x03"]


def test_the_quieter_colour_keeps_a_readable_contrast_in_light_and_dark() -> None:
    for text, base in (("#000000", "#ffffff"), ("#ffffff", "#1e1e1e"), ("#1b2a33", "#f7f9fa")):
        palette = QPalette()
        palette.setColor(QPalette.ColorRole.Text, QColor(text))
        palette.setColor(QPalette.ColorRole.Base, QColor(base))
        assert contrast(secondary_colour(palette), QColor(base)) >= 4.5


def contrast(one: QColor, other: QColor) -> float:
    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        red, green, blue = (channel(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_a_lesson_hit_opens_its_lesson_over_its_course(
    qtbot: QtBot, synced: Account, runner: BackgroundRunner, tmp_path: Path
) -> None:
    browser = open_browser(qtbot, synced, runner, tmp_path)
    search_for(qtbot, browser, "identifiers")
    with qtbot.waitSignal(browser.page.lesson_activated, timeout=5_000) as opened:
        browser.hit_list.activated.emit(browser.hits.index(0, 0))
    assert opened.args[0].id == "l-privacy-deidentification"
    assert browser.page.course_id == "c-privacy"
    assert browser.page.tree.currentIndex().data(ROW_ROLE).id == "l-privacy-deidentification"


def test_a_course_that_no_longer_matches_leaves_the_page_until_the_search_is_cleared(
    qtbot: QtBot, synced: Account, runner: BackgroundRunner, tmp_path: Path
) -> None:
    browser = open_browser(qtbot, synced, runner, tmp_path)
    browser.select_course("c-foundations")
    search_for(qtbot, browser, "listen")
    assert browser.page.course_id == "c-foundations"  # still matches: kept, and marked
    assert browser.list.currentIndex().data(ROW_ROLE).id == "c-foundations"

    search_for(qtbot, browser, "identifiers")
    assert browser.page.course_id == ""
    assert browser.page.title.text() == "Choose a course"
    assert browser.page.lessons.rowCount() == 0
    assert not browser.page.download.isEnabled()

    browser.search_box.clear()  # every course listed again: the one the search took off
    assert browser.page.course_id == "c-foundations"
    assert browser.list.currentIndex().data(ROW_ROLE).id == "c-foundations"


def test_no_results_say_so_once(
    qtbot: QtBot, synced: Account, runner: BackgroundRunner, tmp_path: Path
) -> None:
    browser = open_browser(qtbot, synced, runner, tmp_path)
    search_for(qtbot, browser, "zebrafish")
    assert browser.search_note.text() == "No course or lesson matches “zebrafish”."
    assert browser.list.model().rowCount() == 0
    assert browser.hit_list.isHidden() and browser.hits_heading.isHidden()
    search_for(qtbot, browser, "checklist")
    assert browser.hit_list.isVisible() and browser.hits.rowCount() == 3


def test_the_search_box_is_named_and_reached_from_the_keyboard(
    qtbot: QtBot, synced: Account, runner: BackgroundRunner, tmp_path: Path
) -> None:
    browser = open_browser(qtbot, synced, runner, tmp_path)
    qtbot.waitExposed(browser)
    browser.activateWindow()
    browser.list.setFocus()
    browser.search_box.setText("privacy")
    browser.focus_search()
    qtbot.waitUntil(browser.search_box.hasFocus, timeout=5_000)
    assert browser.search_box.selectedText() == "privacy"
    assert "Ctrl+F" in browser.search_box.toolTip() + browser.search_box.placeholderText()
    for widget in (browser.search_box, browser.list, browser.hit_list, browser.page.tree):
        assert widget.accessibleName(), widget
