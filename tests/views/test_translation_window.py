"""The window started in Spanish shows no English on any page: no label, button, tab, menu,
header, item, window title, tooltip or accessible name reads as an English text of
rounds_es.ts whose Spanish differs. Course content (from the curriculum) stays in English:
it is not in the .ts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QLocale, QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QProgressBar,
    QStatusBar,
    QTabBar,
    QWidget,
)
from test_translation_files import FIELD, TRANSLATIONS, entries, translation_script
from tour import QT_LOG_IGNORE, Tour

from desktop_app.gui.shell import Shell
from desktop_app.views.language import install_translators, remove_translators
from reference_server.server import ReferenceServer

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)
MAX_ROWS = 200
MIN_LETTERS = 4
"""A template with fields is looked for when its own words have this many letters: "{a} of
{b}" would match course content as well as an untranslated sentence."""
TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class English:
    """An English text of the .ts, as a pattern its fields may fill."""

    context: str
    source: str
    pattern: re.Pattern[str]


def english_texts(ts: Path) -> list[English]:
    """The sources whose translation reads differently, with letters of their own."""
    found = []
    for entry in entries(ts):
        pattern = _pattern(entry.source)
        letters = sum(character.isalpha() for character in FIELD.sub("", entry.source))
        if letters < (MIN_LETTERS if FIELD.search(entry.source) else 1):
            continue
        if any(pattern.fullmatch(form) for form in entry.forms):
            continue  # "Audio" is "Audio" in Spanish too
        found.append(English(entry.context, entry.source, pattern))
    return found


def _pattern(source: str) -> re.Pattern[str]:
    parts = []
    for piece in re.split(f"({FIELD.pattern})", source):
        if piece in ("%n", "%Ln"):
            parts.append(r"[\d.,\s]+")
        elif FIELD.fullmatch(piece):
            parts.append(r"[^\n]+")
        else:
            parts.append(re.escape(piece))
    return re.compile("".join(parts), re.DOTALL)


def shown_texts(window: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for each text `window` shows or says to a screen reader."""
    widgets = [window, *window.findChildren(QWidget)]
    for widget in widgets:
        if not widget.isVisible():
            continue
        where = type(widget).__name__
        if widget.isWindow():
            yield where, widget.windowTitle()
        yield where, widget.toolTip()
        yield where, widget.accessibleName()
        yield where, widget.accessibleDescription()
        yield from ((where, text) for text in _own_texts(widget))
        for action in widget.actions():
            yield from _action_texts(action)
    if isinstance(window, QMainWindow):
        for action in window.menuBar().actions():
            yield from _action_texts(action)


def _own_texts(widget: QWidget) -> Iterator[str]:
    if isinstance(widget, QLabel):
        yield widget.text()
        if TAG.search(widget.text()):
            yield TAG.sub("", widget.text())
    elif isinstance(widget, QAbstractButton):
        yield widget.text()
    elif isinstance(widget, QGroupBox):
        yield widget.title()
    elif isinstance(widget, QLineEdit):
        yield widget.placeholderText()
    elif isinstance(widget, QProgressBar):
        yield widget.text()
    elif isinstance(widget, QStatusBar):
        yield widget.currentMessage()
    elif isinstance(widget, QTabBar):
        for index in range(widget.count()):
            yield widget.tabText(index)
            yield widget.tabToolTip(index)
    elif isinstance(widget, QComboBox):
        yield from (widget.itemText(index) for index in range(widget.count()))
    elif isinstance(widget, QHeaderView):
        return  # its view reads the headers with the rest of the model
    elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
        yield from _model_texts(widget.model())


def _model_texts(model: QAbstractItemModel, parent: QModelIndex | None = None) -> Iterator[str]:
    parent = parent or QModelIndex()
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
    if not parent.isValid():
        for section in range(_columns(model, parent)):
            for role in roles:
                yield _text(model.headerData(section, Qt.Orientation.Horizontal, role))
    for row in range(min(model.rowCount(parent), MAX_ROWS)):
        for column in range(_columns(model, parent)):
            index = model.index(row, column, parent)
            for role in (*roles, Qt.ItemDataRole.AccessibleTextRole):
                yield _text(model.data(index, role))
        first = model.index(row, 0, parent)
        if _has_children(model, first):
            yield from _model_texts(model, first)


def _columns(model: QAbstractItemModel, parent: QModelIndex) -> int:
    try:
        return model.columnCount(parent)
    except TypeError:  # a list model's is private: one column
        return 1


def _has_children(model: QAbstractItemModel, index: QModelIndex) -> bool:
    try:
        return model.hasChildren(index)
    except TypeError:  # a list model's rows have none
        return False


def _action_texts(action: QAction) -> Iterator[tuple[str, str]]:
    if not action.isVisible():
        return
    yield "QAction", action.text()
    yield "QAction", action.toolTip()
    menu = action.menu()
    if isinstance(menu, QMenu):
        for inner in menu.actions():
            yield from _action_texts(inner)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def english_on(window: QWidget, english: list[English]) -> Iterator[str]:
    for where, text in shown_texts(window):
        text = text.strip()
        if not text:
            continue
        for entry in english:
            if entry.pattern.fullmatch(text):
                yield f"{where} shows {text!r} ([{entry.context}] {entry.source!r})"
                break


@pytest.fixture
def in_spanish(qapp: QApplication, tmp_path: Path) -> Iterator[list[English]]:
    """The app's Spanish, compiled from rounds_es.ts as `make qm` does, installed as the
    launch installs it; the English texts it translates."""
    before = QLocale()
    translation_script().release(tmp_path, ("es",))
    assert install_translators(qapp, "es", tmp_path) == "es"
    yield english_texts(TRANSLATIONS / "rounds_es.ts")
    remove_translators(qapp)
    QLocale.setDefault(before)


@pytest.fixture
def shell(qapp: QApplication, reference_server: ReferenceServer) -> Iterator[Shell]:
    shell = Shell(qapp, demo_url=reference_server.url)
    yield shell
    shell.close_window()


def test_no_page_or_dialog_shows_english_in_spanish(
    in_spanish: list[English], shell: Shell, reference_server: ReferenceServer
) -> None:
    assert shell.start(None, None)
    found: list[str] = []
    for name, widget in Tour(shell, reference_server):
        found += [f"{name}: {text}" for text in dict.fromkeys(english_on(widget, in_spanish))]
    assert not found, f"{len(found)} English texts in the Spanish window:\n" + "\n".join(found)


def test_the_check_reads_fields_and_plural_counts_as_filled_in(qtbot: object) -> None:
    english = [
        English("C", "Saved {title}", _pattern("Saved {title}")),
        English("C", "%n files", _pattern("%n files")),
    ]
    window = QWidget()
    label, other = QLabel("Saved Handout: checklist", window), QLabel("12 files", window)
    window.show()
    assert len(list(english_on(window, english))) == 2
    label.setText("Guardado: Handout")
    other.setText("12 archivos")
    assert list(english_on(window, english)) == []
    window.close()
