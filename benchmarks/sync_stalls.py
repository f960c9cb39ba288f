"""The UI thread's longest stall while a catalog sync runs in a shown main window.

A 5 ms timer on the UI thread of a shown `MainWindow`, composed as `gui.shell.Shell.open`
composes it, notes its longest wait beyond its interval while `SyncController` runs the sync
off the UI thread, and until the window has shown the result. The sync there is the catalog
`SyncEngine` reading the recording, so the in-process server takes no turns on the interpreter
that a remote server would not take (`Study.sync` would also move progress, of which this
account has none).

The window's own sync runs in a child process (`desktop_app.sync_process`), where its parsing
takes no turns on the window's interpreter at all; this measures the harder case that remains,
a sync in the window's process (an account opened offline, a computer where no child can run).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest.mock import patch

import keyring
from keyring.backends import null
from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

from benchmarks.sync_feeds import PASSWORD, USER, RecordedFeeds, Recording
from desktop_app.account import Account
from desktop_app.catalog.search import CatalogSearch
from desktop_app.content_store import ContentStore
from desktop_app.error_text import ErrorReport
from desktop_app.gui.background import BackgroundRunner
from desktop_app.gui.heap import freeze_startup_heap
from desktop_app.gui.launch import SWITCH_INTERVAL_S
from desktop_app.study import Study
from desktop_app.sync.engine import SyncEngine
from desktop_app.views.main_window import MainWindow
from desktop_app.views.sync_controller import SyncController, SyncStatus

TICK_MS, SETTLE_MS = 5, 300


@dataclass(frozen=True)
class Stalls:
    """Longest waits of the UI thread beyond the timer's interval, and a refresh on its own, ms."""

    during_sync: float
    after_sync: float
    refresh: float

    @property
    def whole(self) -> float:
        return max(self.during_sync, self.after_sync)


class StallMeter(QObject):
    """A 5 ms timer on the UI thread noting its longest wait beyond the interval, per phase."""

    def __init__(self) -> None:
        super().__init__()
        self._timer = QTimer(self, interval=TICK_MS, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.tick)
        self._last = 0.0
        self.phase = "during"
        self.longest = {"during": 0.0, "after": 0.0}

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def tick(self) -> None:
        now = time.perf_counter()
        late = (now - self._last) * 1000 - TICK_MS
        self.longest[self.phase] = max(self.longest[self.phase], late)
        self._last = now

    def sync_ended(self) -> None:
        """The result has arrived: later waits belong to what the window does with it."""
        self.tick()
        self.phase = "after"

    def stop(self) -> None:
        self.tick()
        self._timer.stop()


def _controller(runner: BackgroundRunner, engine: SyncEngine) -> SyncController:
    return SyncController(
        runner,
        lambda progress, cancel: engine.run(
            progress=lambda pages, items, _more: progress(pages, items), cancel=cancel
        ),
        interval_minutes=60,
        describe_error=lambda error: ErrorReport(str(error)),
    )


def _run_until_synced(
    controller: SyncController, meter: StallMeter, shown: Callable[[], bool]
) -> None:
    """Sync, then keep measuring until the window shows the result (`shown`) and settles."""
    loop, failures = QEventLoop(), list[str]()

    def settle_when_shown() -> None:
        if shown():
            QTimer.singleShot(SETTLE_MS, loop.quit)
        else:
            QTimer.singleShot(5, settle_when_shown)

    def on_status(status: SyncStatus) -> None:
        if not status.syncing and meter.phase == "during":
            meter.sync_ended()
            if status.last_error:
                failures.append(status.last_error)
                loop.quit()

    controller.status_changed.connect(on_status)
    controller.synced.connect(lambda _summary: settle_when_shown())
    meter.start()
    controller.sync_now()
    loop.exec()
    meter.stop()
    if failures:
        raise RuntimeError(f"the sync failed: {failures[0]}")


def _close(
    app: QApplication, window: MainWindow, controller: SyncController, runner: BackgroundRunner
) -> None:
    """As `Shell.close_window`: every job finished and delivered before the account closes."""
    controller.stop()
    window.close()
    while runner.busy:
        runner.wait_for_idle()
        app.processEvents()
    window.deleteLater()


@contextmanager
def private_home(folder: Path) -> Iterator[None]:
    """Settings and account files under `folder`; tokens in memory only (a null keyring)."""
    previous = keyring.get_keyring()
    keyring.set_keyring(null.Keyring())  # type: ignore[no-untyped-call]
    try:
        with patch.dict(os.environ, {"ROUNDS_HOME": str(folder)}):
            yield
    finally:
        keyring.set_keyring(previous)


def _shown(window: MainWindow, courses: int) -> bool:
    """The list holds every course and the page shows one (it is filled a turn later)."""
    catalog = window.catalog
    return catalog.courses.rowCount() == courses and bool(catalog.page.course_id)


def ui_stalls(server_url: str, recording: Recording, courses: int, folder: Path) -> Stalls:
    """The UI thread's stalls during a first sync of the recording in a fresh account."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    sys.setswitchinterval(SWITCH_INTERVAL_S)  # as `launch` sets it for the window
    with private_home(folder):
        account = Account.sign_in(server_url, USER, PASSWORD)
        study, runner = Study(account, ContentStore(folder / "content")), BackgroundRunner()
        controller = _controller(runner, SyncEngine(account.db, RecordedFeeds(recording)))
        search = CatalogSearch(account.db)
        window = MainWindow(study, controller, runner, search, account_label=USER)
        window.show()
        app.processEvents()
        freeze_startup_heap()  # as Shell.open does once the window is up
        meter = StallMeter()
        try:
            _run_until_synced(controller, meter, lambda: _shown(window, courses))
            started = time.perf_counter()
            window.refresh()
            refresh = (time.perf_counter() - started) * 1000
        finally:
            _close(app, window, controller, runner)
            study.close()
            account.close()
    return Stalls(meter.longest["during"], meter.longest["after"], refresh)
