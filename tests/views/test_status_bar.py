"""The status bar tells the truth: offline is a calm state, a long message never widens the
window, nothing hides the connection or the pending count, and the window opens with the
last sync it knows and every queued check-in counted."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot

from desktop_app.account import Account
from desktop_app.config import content_store
from desktop_app.content_store import ContentStore
from desktop_app.gui.shell import Shell
from desktop_app.progress import Pending
from desktop_app.study import Study
from desktop_app.views.status_bar import OFFLINE, SyncStatusBar, describe_time
from desktop_app.views.status_colours import BAD, tone_of
from desktop_app.views.sync_controller import SyncStatus
from reference_server.server import ReferenceServer

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "PulseAudio", "No audio device")
RESIDENCY = "r-2027-chicago"
WAITING = Pending(lessons=3, statements=40, checkins=1)


@pytest.fixture
def window(qtbot: QtBot) -> QMainWindow:
    shown = QMainWindow()
    shown.setStatusBar(SyncStatusBar())
    shown.resize(900, 600)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def lay_out(window: QMainWindow) -> None:
    """Lay out now what Qt would at its next turns: the status bar, then the window around it
    (a label that asks for more width makes the window wider here)."""
    for widget in (window.statusBar(), window):
        layout = widget.layout()
        assert layout is not None
        layout.activate()


def bar_of(window: QMainWindow) -> SyncStatusBar:
    bar = window.statusBar()
    assert isinstance(bar, SyncStatusBar)
    return bar


def test_offline_is_a_calm_state_not_a_red_error(window: QMainWindow) -> None:
    bar = bar_of(window)
    offline = SyncStatus(online=False, last_error="Offline: Could not reach the server.")

    bar.show_status(offline)

    assert bar.connection.text() == OFFLINE
    assert bar.connection.toolTip() == offline.last_error
    assert bar.message.full_text() == "" and tone_of(bar.message) == ""
    assert tone_of(bar.connection) == ""


def test_a_server_error_online_is_shown_in_red(window: QMainWindow) -> None:
    bar = bar_of(window)
    bar.show_status(SyncStatus(last_error="The server had a problem (500)."))
    assert bar.message.full_text() == "The server had a problem (500)."
    assert tone_of(bar.message) == BAD


def test_a_500_character_error_is_elided_and_never_widens_the_window(
    window: QMainWindow,
) -> None:
    bar, width = bar_of(window), window.width()
    error = "The server had a problem: " + "x" * 474

    bar.show_status(SyncStatus(last_error=error))
    lay_out(window)

    assert len(error) == 500 and window.width() == width
    assert bar.message.toolTip() == error
    assert bar.message.text().endswith("…") and len(bar.message.text()) < len(error)


def test_a_long_message_keeps_the_connection_and_the_pending_count_in_sight(
    window: QMainWindow,
) -> None:
    bar, width = bar_of(window), window.width()
    bar.show_status(SyncStatus(pending_uploads=WAITING))
    text = "This lesson is no longer in the catalog. " * 12

    bar.showMessage(text)
    lay_out(window)

    assert bar.pending.isVisible() and bar.connection.isVisible()
    assert bar.pending.text() == "Progress from 3 lessons and 1 check-in waiting to upload"
    assert bar.currentMessage() == text and bar.message.toolTip() == text
    assert window.width() == width
    bar.clearMessage()
    assert bar.message.full_text() == ""


@pytest.fixture
def shell(qapp: QApplication) -> Iterator[Shell]:
    opened = Shell(qapp)
    yield opened
    opened.close_window()


def synced_once(account: Account) -> datetime | None:
    """The account synced in an earlier session: its cache remembers when."""
    study = Study(account, ContentStore(content_store()))
    try:
        study.sync()
        return study.last_synced_at()
    finally:
        study.close()


def test_a_window_opens_with_the_last_sync_the_cache_remembers(
    shell: Shell, account: Account
) -> None:
    last = synced_once(account)
    assert last is not None

    assert shell.open(account)

    assert shell.window is not None
    assert shell.window.status.last_sync.text() == f"Last sync: {describe_time(last)}"


def test_a_check_in_queued_offline_is_counted_in_the_status_bar(
    shell: Shell,
    account: Account,
    reference_server: ReferenceServer,
    qtbot: QtBot,
    tmp_path: Path,
) -> None:
    now = datetime.now(UTC)
    reference_server.admin.set_checkin_window(
        RESIDENCY, now - timedelta(hours=1), now + timedelta(hours=1)
    )
    synced_once(account)
    assert shell.open(account)
    window = shell.window
    assert window is not None
    qtbot.waitUntil(lambda: window.sync.status.last_summary != "", timeout=20_000)
    assert window.status.pending.text() == "All your progress has reached the server"
    reference_server.stop()

    assert window.residencies.open_residency(RESIDENCY)
    page = window.residencies.page
    assert page is not None
    qtbot.keyClicks(page.checkin.code, "OAK-17")
    with qtbot.waitSignal(page.checked_in, timeout=20_000):
        qtbot.mouseClick(page.checkin.submit, Qt.MouseButton.LeftButton)

    assert window.status.pending.text() == "1 check-in waiting to upload"
    assert window.progress.pending.text() == "1 check-in waiting to upload."
    save_picture(window.status, tmp_path)


def save_picture(bar: SyncStatusBar, tmp_path: Path) -> None:
    """Set ROUNDS_SCREENSHOT_DIR to keep a picture of the bar for review."""
    folder = os.environ.get("ROUNDS_SCREENSHOT_DIR")
    assert bar.grab().save(str(Path(folder or tmp_path) / "status-bar-check-in.png"))
