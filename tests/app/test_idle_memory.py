"""The idle window lets go of what only the start needed, and builds what it does not show
only when it is shown: the course list read early, before the account opened, is freed once
the account's own list has replaced it; the Downloads page is built when first shown."""

from __future__ import annotations

import argparse
import gc
import weakref

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.account import Account
from desktop_app.catalog.first_list import read_first_list
from desktop_app.catalog.rows import DOWNLOADED
from desktop_app.gui.launch import _Start
from desktop_app.views.catalog.models import CourseListModel
from desktop_app.views.main_window import DOWNLOADS, MainWindow

pytestmark = pytest.mark.qt_log_ignore(
    "propagateSizeHints", "PulseAudio", "No audio device", "RHI", "pipewire"
)


def test_the_early_course_list_is_freed_once_the_account_s_list_is_shown(
    qapp: QApplication, qtbot: QtBot, account: Account
) -> None:
    account.sync()
    first = read_first_list(None, None)
    assert first is not None and first.courses
    early_row = weakref.ref(first.courses[0])
    frame = MainWindow()
    start = _Start(qapp, argparse.Namespace(demo=False, server=None, user=None), frame)
    try:
        start._show_first_list(first)
        del first
        start._opened(account)
        window = start.window
        assert window is frame and window.attached
        qtbot.waitUntil(lambda: not start.runner.busy, timeout=20_000)
        assert window.catalog.courses.rowCount() == 3  # the account's list, read by the library
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()
        assert frame.findChildren(CourseListModel) == [window.catalog.courses]
        assert early_row() is None
    finally:
        start.close()


def test_the_downloads_page_waits_for_its_first_showing_and_a_download_still_refreshes(
    demo_window: MainWindow, qtbot: QtBot
) -> None:
    """The window re-reads its list when a course finishes downloading, though the Downloads
    page, built only when the learner goes there, has not seen it."""
    window = demo_window
    assert not window.pages.is_built(DOWNLOADS)
    manager = window.study.downloads
    manager.download(manager.plan("c-foundations"))

    def listed_as_downloaded() -> bool:
        rows = window.catalog.courses.shown_rows()
        return any(row.id == "c-foundations" and row.download_state == DOWNLOADED for row in rows)

    qtbot.waitUntil(listed_as_downloaded, timeout=30_000)
    assert not window.pages.is_built(DOWNLOADS)
    window.nav.setCurrentRow(DOWNLOADS)
    assert window.pages.currentWidget() is window.downloads
    assert window.downloads.course_model.rowCount() == 1  # the queue as it is now
