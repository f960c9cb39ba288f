"""The main window for a learner on a shared workstation: the idle lock covers what it shows
and opens again only with her password (checked on this computer), losing nothing; Ctrl+F
goes to the search box; menus show their shortcuts; About names the version; the window
opens where it was left, on a screen that is there."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QSplitter
from pytestqt.qtbot import QtBot

from desktop_app.gui.shell import DEMO_PASSWORD, Shell
from desktop_app.offline_sign_in import VERIFIER_FILE
from desktop_app.views.idle_lock import IdleWatch, LockPanel
from desktop_app.views.main_menus import about_text, rounds_version
from desktop_app.views.main_window import MainWindow
from desktop_app.views.window_state import clamp_onto_screen
from reference_server.server import ReferenceServer

pytestmark = pytest.mark.qt_log_ignore(
    "propagateSizeHints", "PulseAudio", "No audio device", "RHI", "pipewire"
)


@pytest.fixture
def window(
    qapp: QApplication, reference_server: ReferenceServer, qtbot: QtBot
) -> Iterator[MainWindow]:
    shell = Shell(qapp, demo_url=reference_server.url)
    assert shell.start(None, None)
    shown = shell.window
    assert shown is not None
    qtbot.waitUntil(lambda: shown.catalog.courses.rowCount() == 3, timeout=20_000)
    verifier = shown.study.account.paths.root / VERIFIER_FILE
    qtbot.waitUntil(verifier.exists, timeout=20_000)
    yield shown
    shell.close_window()


def unlock_with(window: MainWindow, qtbot: QtBot, password: str) -> LockPanel:
    panel = window.centralWidget()
    assert isinstance(panel, LockPanel)
    panel.password.setText(password)
    panel.unlock_button.click()
    qtbot.waitUntil(lambda: panel.unlock_button.isEnabled(), timeout=20_000)
    return panel


def test_the_lock_hides_the_window_until_the_password_and_keeps_everything(
    window: MainWindow, qtbot: QtBot
) -> None:
    content = window.centralWidget()
    window.catalog.select_course("c-foundations")
    window.lock()
    assert isinstance(window.centralWidget(), LockPanel)
    assert not window.menuBar().isEnabled()
    assert content is not None and not content.isVisible()
    panel = unlock_with(window, qtbot, "not-the-password")
    assert window.locked and "not the password" in panel.message.text()
    with qtbot.waitSignal(panel.unlocked, timeout=20_000):
        panel.password.setText(DEMO_PASSWORD)
        panel.unlock_button.click()
    assert window.centralWidget() is content and not window.locked
    assert window.menuBar().isEnabled()
    assert window.catalog.page.isVisible()


def test_sign_out_from_the_lock_panel(window: MainWindow, qtbot: QtBot) -> None:
    window.sign_out_requested.disconnect()  # the shell's sign-out would ask in a dialog
    window.lock()
    panel = window.centralWidget()
    assert isinstance(panel, LockPanel)
    with qtbot.waitSignal(window.sign_out_requested):
        panel.sign_out_button.click()


def test_the_window_locks_itself_after_the_idle_time(qtbot: QtBot) -> None:
    watch = IdleWatch(2, minute_ms=20)
    with qtbot.waitSignal(watch.idle, timeout=5_000):
        pass
    watch.set_minutes(0)
    assert not watch.active
    watch.close()


def test_without_an_idle_time_no_event_passes_through_python(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each event through a Python filter waits for the interpreter lock a sync may hold."""
    seen: list[QEvent.Type] = []

    def note(_watch: IdleWatch, _watched: QObject, event: QEvent) -> bool:
        seen.append(event.type())
        return False

    monkeypatch.setattr(IdleWatch, "eventFilter", note)
    watch, target = IdleWatch(0), QObject()
    QApplication.sendEvent(target, QEvent(QEvent.Type.User))
    assert seen == []
    watch.set_minutes(5)
    QApplication.sendEvent(target, QEvent(QEvent.Type.User))
    assert seen == [QEvent.Type.User]
    watch.close()


def test_ctrl_f_goes_to_the_search_box_and_menus_show_shortcuts(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.nav.setCurrentRow(3)
    window.activateWindow()
    find = window.menu_actions.find
    assert find.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    assert find.shortcut().toString() == "Ctrl+F"
    find.trigger()
    qtbot.waitUntil(lambda: window.nav.currentRow() == 0, timeout=5_000)
    focused = QApplication.focusWidget()
    assert focused is not None and focused.accessibleName() != ""
    assert "search" in (focused.accessibleName() + focused.objectName()).lower()
    assert not window.menu_actions.settings.shortcut().isEmpty()


def test_about_names_the_version() -> None:
    assert rounds_version() in about_text()
    assert rounds_version() != ""


def test_the_window_opens_where_it_was_left_and_on_a_screen(qtbot: QtBot) -> None:
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    first.resize(640, 480)
    first.close()
    again = MainWindow()
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (640, 480)
    again.move(QPoint(50_000, 50_000))  # a monitor since unplugged
    again.close()
    third = MainWindow()
    qtbot.addWidget(third)
    screen = QGuiApplication.primaryScreen()
    assert screen is not None
    assert screen.availableGeometry().intersects(third.frameGeometry())


def test_splitters_are_restored(window: MainWindow, qtbot: QtBot) -> None:
    splitter = window.catalog.findChild(QSplitter)
    assert splitter is not None
    splitter.setSizes([200, 800])
    wanted = splitter.sizes()
    window.window_state.save()
    splitter.setSizes([500, 500])
    window.window_state.restore_splitters(window.pages)
    assert splitter.sizes() == wanted


def test_the_about_box_shows(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda _parent, _title, text: said.append(text))
    window.about()
    assert said and rounds_version() in said[0]


def test_a_window_off_every_screen_is_brought_back(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.move(QPoint(50_000, 50_000))
    clamp_onto_screen(window)
    screen = QGuiApplication.primaryScreen()
    assert screen is not None
    assert screen.availableGeometry().contains(window.frameGeometry().topLeft())


def test_locking_pauses_what_plays(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtMultimedia import QMediaPlayer

    player = QMediaPlayer(window)
    paused: list[QMediaPlayer] = []
    monkeypatch.setattr(QMediaPlayer, "pause", lambda self: paused.append(self))
    window.lock()
    assert paused == [player]


def test_the_navigation_keeps_its_padding_when_the_look_comes_before_the_window(
    qapp: QApplication, qtbot: QtBot
) -> None:
    """The launch applies the theme before it builds the frame: the page names are laid out
    with the style sheet's padding, not packed at the font's height."""
    from desktop_app.config import Settings
    from desktop_app.views.theme import apply_appearance

    apply_appearance(qapp, Settings(text_size_percent=150))
    frame = MainWindow(demo=True)
    qtbot.addWidget(frame)
    frame.show()
    qtbot.waitExposed(frame)
    row = frame.nav.sizeHintForRow(0)
    assert row > frame.nav.fontMetrics().height() + 8
    assert frame.nav.visualItemRect(frame.nav.item(1)).top() == row
