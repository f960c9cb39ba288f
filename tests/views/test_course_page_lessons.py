"""The course page's lesson list: whole titles in tooltips, summaries under the titles, the
title column taking the width, columns that follow the text size, and the lesson menu."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.account import Account
from desktop_app.catalog.library import Library
from desktop_app.content_store import ContentStore
from desktop_app.models import Lesson
from desktop_app.views.catalog.course_page import CoursePage
from desktop_app.views.catalog.models import OFFLINE_COLUMN
from desktop_app.views.catalog.two_line import SECONDARY_ROLE
from desktop_app.views.theme.appearance import apply_text_size
from reference_server.server import ReferenceServer

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
LONG_TITLE = (
    "Answering a patient's question in public comments without giving individual advice, "
    "and moving the conversation to the right channel"
)


@pytest.fixture
def library(
    reference_server: ReferenceServer, account: Account, tmp_path: Path
) -> Iterator[Library]:
    """The sample curriculum, one lesson of c-privacy given a very long title."""
    account.sync()
    with account.db.session() as session:
        lesson = session.get(Lesson, "l-privacy-boundaries")
        assert lesson is not None
        lesson.title = LONG_TITLE
    yield Library(account.db, ContentStore(tmp_path / "content"))


@pytest.fixture
def page(qtbot: QtBot, library: Library) -> CoursePage:
    shown = CoursePage()
    qtbot.addWidget(shown)
    shown.resize(760, 600)
    shown.show_course(library.course("c-privacy"))
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def lesson_index(page: CoursePage, lesson_id: str) -> QModelIndex:
    index = page.lessons.index_of(lesson_id)
    assert index.isValid(), lesson_id
    return index


def test_a_cut_title_has_the_whole_title_and_summary_in_its_tooltip(page: CoursePage) -> None:
    index = lesson_index(page, "l-privacy-boundaries")
    rect = page.tree.visualRect(index)
    assert page.tree.fontMetrics().horizontalAdvance(LONG_TITLE) > rect.width()  # it is cut
    tooltip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip.startswith(LONG_TITLE)
    assert "friend requests from patients" in tooltip
    for column in range(1, page.lessons.columnCount()):
        assert index.siblingAtColumn(column).data(Qt.ItemDataRole.ToolTipRole) == tooltip
    module = page.lessons.index(0, 0)
    assert module.data(Qt.ItemDataRole.ToolTipRole) == module.data()


def test_summaries_show_under_the_titles(page: CoursePage) -> None:
    index = lesson_index(page, "l-privacy-deidentification")
    assert index.data(SECONDARY_ROLE) == [
        (
            "Reading · The Safe Harbor identifiers, how small details add up, and a safer "
            "routine for any post about clinical work.",
            False,
        )
    ]
    lesson_height = page.tree.visualRect(index).height()
    module_height = page.tree.visualRect(page.lessons.index(0, 0)).height()
    assert lesson_height >= module_height + page.tree.fontMetrics().height() - 2


def test_the_title_column_takes_most_of_the_width(page: CoursePage) -> None:
    header = page.tree.header()
    others = sum(header.sectionSize(n) for n in range(1, header.count()))
    assert header.sectionSize(0) > others
    assert header.sectionSize(0) + others <= page.tree.viewport().width() + 1
    bold = QFont(page.tree.font())
    bold.setBold(True)  # as a style sheet may draw the headers
    for column in range(1, header.count()):
        text = page.lessons.headerData(column, Qt.Orientation.Horizontal)
        assert QFontMetrics(bold).horizontalAdvance(text) < header.sectionSize(column), text


@pytest.fixture
def text_size(qapp: QApplication) -> Iterator[Callable[[int], None]]:
    """Sets the application's text size as the settings do; 100 % again afterwards."""

    def apply(percent: int) -> None:
        for widget, font in apply_text_size(qapp, percent):
            widget.setFont(font)
        qapp.processEvents()

    yield apply
    apply(100)


def test_the_columns_and_the_title_follow_the_text_size(
    page: CoursePage, text_size: Callable[[int], None]
) -> None:
    text_size(100)
    header = page.tree.header()
    before = [header.sectionSize(n) for n in range(1, header.count())]
    title_before, text_before = page.title.fontInfo().pointSizeF(), page.fontInfo().pointSizeF()
    text_size(200)
    after = [header.sectionSize(n) for n in range(1, header.count())]
    assert all(new > old * 1.5 for new, old in zip(after, before, strict=True)), (before, after)
    ratio = page.title.fontInfo().pointSizeF() / page.fontInfo().pointSizeF()
    assert ratio == pytest.approx(title_before / text_before, rel=0.1)
    assert page.fontInfo().pointSizeF() > text_before * 1.5
    index = lesson_index(page, "l-privacy-boundaries")
    words = index.siblingAtColumn(OFFLINE_COLUMN).data().split()
    widest = max(page.tree.fontMetrics().horizontalAdvance(word) for word in words)
    assert widest < header.sectionSize(OFFLINE_COLUMN)
    cell = page.tree.visualRect(index.siblingAtColumn(OFFLINE_COLUMN))
    assert cell.height() >= 2 * page.tree.fontMetrics().height()  # room for its two words


def test_the_lesson_menu_asks_for_one_lesson(page: CoursePage, qtbot: QtBot) -> None:
    assert page.tree.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert [action.text() for action in page.tree.actions()] == [
        "&Open lesson",
        "&Download this lesson",
    ]
    assert not page.download_lesson_action.isEnabled()  # no lesson chosen yet
    page.tree.setCurrentIndex(lesson_index(page, "l-privacy-boundaries"))
    assert page.download_lesson_action.isEnabled()
    with qtbot.waitSignal(page.lesson_download_requested) as asked:
        page.download_lesson_action.trigger()
    assert asked.args == ["l-privacy-boundaries"]
    with qtbot.waitSignal(page.lesson_activated) as opened:
        page.open_action.trigger()
    assert opened.args[0].id == "l-privacy-boundaries"


def test_a_lesson_without_files_offers_no_download(page: CoursePage) -> None:
    page.tree.setCurrentIndex(lesson_index(page, "l-privacy-quiz"))
    quiz = page.lessons.lesson_at(page.tree.currentIndex())
    assert quiz is not None and quiz.missing == frozenset()
    assert not page.download_lesson_action.isEnabled()
