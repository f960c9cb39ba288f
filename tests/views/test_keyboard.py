"""Every page and dialog works from the keyboard: Tab reaches each button (or it has a
shortcut), every widget Tab stops on has a name a screen reader can say, and the widget Tab
moved to really has the focus. Looks at every stop of the walk of the whole window it shares
with the theme check (window_walk.py)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot
from tour import QT_LOG_IGNORE, wait_until
from window_walk import CHECKS, SharedWalk, shares_the_walk

from reference_server.server import ReferenceServer

pytestmark = pytest.mark.qt_log_ignore(*QT_LOG_IGNORE)
MAX_STOPS = 150
"""More Tab stops than any page has: the walk ends when focus comes back to where it began."""


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def describe(widget: QWidget) -> str:
    names: list[str] = []
    current: QWidget | None = widget
    while current is not None and len(names) < 3:
        names.append(current.objectName() or type(current).__name__)
        current = current.parentWidget()
    return " in ".join(names)


@dataclass(frozen=True)
class Walk:
    """Where Tab went on one page, and what was wrong on the way."""

    visited: list[QWidget]
    problems: list[str]


def tab_through(window: QWidget) -> Walk:
    """Tab from the window's first focus until the focus comes back, twice: what the first
    round enables (a list focused gets a current row, and its buttons apply to it) is
    reached in the second, as the learner would."""
    first = _one_round(window)
    second = _one_round(window)
    return Walk(first.visited + second.visited, first.problems + second.problems)


def _one_round(window: QWidget) -> Walk:
    window.activateWindow()
    wait_until(window.isActiveWindow, timeout=5)
    focused = QApplication.focusWidget()
    if focused is None or not (focused is window or window.isAncestorOf(focused)):
        _focus_next(window)
    visited: list[QWidget] = []
    problems: list[str] = []
    for _ in range(MAX_STOPS):
        focused = QApplication.focusWidget()
        if focused is None:
            problems.append("Tab left nothing with the focus")
            break
        if visited and focused is visited[0]:
            break
        visited.append(focused)
        problems += stop_problems(focused)
        QTest.keyClick(focused, Qt.Key.Key_Tab)
        if QApplication.focusWidget() is focused and _next_tab_stop(focused) is not None:
            problems.append(f"Tab does not leave {describe(focused)} (arrows should move within)")
            _focus_next(focused)
    return Walk(visited, problems)


def _next_tab_stop(widget: QWidget) -> QWidget | None:
    """The next widget after `widget` in its window's focus chain that Tab could stop on."""
    candidate = widget.nextInFocusChain()
    while candidate is not None and candidate is not widget:
        tab_stop = bool(candidate.focusPolicy() & Qt.FocusPolicy.TabFocus)
        if tab_stop and candidate.isVisible() and candidate.isEnabled():
            return candidate
        candidate = candidate.nextInFocusChain()
    return None


def _focus_next(widget: QWidget) -> None:
    following = _next_tab_stop(widget)
    if following is not None:
        following.setFocus(Qt.FocusReason.TabFocusReason)


def stop_problems(widget: QWidget) -> list[str]:
    found = []
    if not widget.hasFocus():
        found.append(f"Tab moved to {describe(widget)} but it shows no focus")
    if not accessible_name(widget):
        found.append(f"{describe(widget)} has no accessible name")
    return found


def buttons_out_of_reach(window: QWidget, visited: list[QWidget]) -> Iterator[str]:
    """Visible, enabled buttons Tab never reached that have no shortcut either."""
    for button in window.findChildren(QAbstractButton):
        if not (button.isVisible() and button.isEnabled()) or button in visited:
            continue
        if isinstance(button.parentWidget(), QLineEdit):  # Qt's clear button: Escape/keys
            continue
        if _group_reached(button, visited):
            continue
        if button.focusProxy() in visited or not button.shortcut().isEmpty():
            continue
        yield f"{describe(button)} “{button.text()}” cannot be reached from the keyboard"


def _group_reached(button: QAbstractButton, visited: list[QWidget]) -> bool:
    """Tab stops on one button of a button group (or of auto-exclusive radio buttons); the
    arrow keys move among them."""
    group, parent = button.group(), button.parentWidget()
    members: list[QAbstractButton]
    if group is not None:
        members = group.buttons()
    elif isinstance(button, QRadioButton) and button.autoExclusive() and parent is not None:
        members = list(parent.findChildren(QRadioButton))
    else:
        return False
    return any(member in visited for member in members)


def menus_without_mnemonic(window: QWidget) -> Iterator[str]:
    if not isinstance(window, QMainWindow):
        return
    for action in window.menuBar().actions():
        if action.isVisible() and "&" not in action.text():
            yield f"menu “{action.text()}” has no Alt mnemonic"


def keyboard_problems(name: str, widget: QWidget) -> list[str]:
    walk = tab_through(widget.window())
    found = walk.problems + list(buttons_out_of_reach(widget.window(), walk.visited))
    found += menus_without_mnemonic(widget.window())
    return [f"{name}: {problem}" for problem in dict.fromkeys(found)]


CHECKS["keyboard"] = keyboard_problems


@shares_the_walk
def test_every_page_and_dialog_can_be_used_from_the_keyboard(
    qapp: QApplication, window_walk: SharedWalk, reference_server: ReferenceServer
) -> None:
    problems = window_walk.problems("keyboard", qapp, reference_server)
    assert not problems, f"{len(problems)} keyboard problems:\n" + "\n".join(problems)


def _small_window(qtbot: QtBot, *widgets: QWidget) -> QWidget:
    window = QWidget()
    layout = QVBoxLayout(window)
    for widget in widgets:
        layout.addWidget(widget)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_walk_finds_an_unnamed_field_and_a_button_out_of_reach(qtbot: QtBot) -> None:
    unnamed, mouse_only = QLineEdit(), QPushButton("Export")
    mouse_only.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    window = _small_window(qtbot, unnamed, QPushButton("Save"), mouse_only)
    walk = tab_through(window)
    assert unnamed in walk.visited
    assert any("no accessible name" in problem for problem in walk.problems)
    assert [text for text in buttons_out_of_reach(window, walk.visited) if "Export" in text]


def test_a_named_field_and_a_button_with_a_shortcut_pass(qtbot: QtBot) -> None:
    named, with_shortcut = QLineEdit(), QPushButton("E&xport")
    named.setAccessibleName("Server address")
    with_shortcut.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    window = _small_window(qtbot, named, QPushButton("Save"), with_shortcut)
    walk = tab_through(window)
    assert walk.problems == []
    assert list(buttons_out_of_reach(window, walk.visited)) == []
