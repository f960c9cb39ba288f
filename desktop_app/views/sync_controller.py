"""When to sync, and what the user is told about it.

The controller runs the sync function off the UI thread: at sign-in, every N minutes, on
"Sync now", and again with growing back-off while the server cannot be reached, so the app
recovers by itself when the network returns.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from desktop_app.error_text import ErrorReport
from desktop_app.gui.background import BackgroundRunner
from desktop_app.progress import Pending

log = logging.getLogger(__name__)


class SyncOutcome(Protocol):
    """What a finished sync returns: `StudySyncSummary`, or the catalog's own `SyncSummary`.

    `changed` says whether the learner may see something new (views re-read only then); its
    `str` is the line kept as the status's last summary.
    """

    @property
    def changed(self) -> bool: ...


ProgressCallback = Callable[[int, int], None]
SyncFunction = Callable[[ProgressCallback, threading.Event], SyncOutcome]
RETRY_SECONDS = (5, 15, 30, 60, 120, 300)
PROGRESS_EVERY_MS = 250
"""Progress is published at most this often: each publication redraws the status bar, a turn
of the UI thread that waits for the interpreter lock while the sync holds it."""


@dataclass(frozen=True)
class SyncStatus:
    online: bool = True
    syncing: bool = False
    pages_done: int = 0
    items_done: int = 0
    last_success: datetime | None = None
    pending_uploads: Pending = field(default_factory=Pending)
    last_error: str = ""
    last_summary: str = ""


class SyncController(QObject):
    """Schedules syncs and publishes their state.

    Signals:
        status_changed(SyncStatus): after every change of state.
        synced(SyncOutcome): the summary of each successful sync; views refresh on it.
        session_expired(): the server no longer accepts the stored sign-in.
    """

    status_changed = Signal(object)
    synced = Signal(object)
    session_expired = Signal()
    _progress = Signal(int, int)

    def __init__(
        self,
        runner: BackgroundRunner,
        sync_fn: SyncFunction,
        *,
        interval_minutes: int,
        describe_error: Callable[[Exception], ErrorReport],
        pending_count: Callable[[], Pending] = Pending,
        last_success: datetime | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner, self._sync_fn = runner, sync_fn
        self._describe, self._pending_count = describe_error, pending_count
        self._cancel = threading.Event()
        self._stopped = False
        self._failures = 0
        self.status = SyncStatus(last_success=last_success, pending_uploads=pending_count())
        self._progress.connect(self._on_progress)
        self._latest = (0, 0)
        self._progress_pause = QTimer(self, singleShot=True, interval=PROGRESS_EVERY_MS)
        self._progress_pause.timeout.connect(self._publish_progress)
        self._periodic = QTimer(self, interval=max(1, interval_minutes) * 60_000)
        self._periodic.timeout.connect(self.sync_now)
        self._retry = QTimer(self, singleShot=True)
        self._retry.timeout.connect(self.sync_now)

    def start(self) -> None:
        """Sync now and then every interval."""
        self._stopped = False
        self._periodic.start()
        self.sync_now()

    def stop(self) -> None:
        """No sync starts after this, nor a retry of one that fails while it winds down."""
        self._stopped = True
        self._periodic.stop()
        self._retry.stop()
        self._cancel.set()

    def set_interval(self, minutes: int) -> None:
        """Sync every `minutes` from now on (the settings dialog changes it)."""
        self._periodic.setInterval(max(1, minutes) * 60_000)

    def sync_now(self) -> None:
        if self.status.syncing or self._stopped:
            return
        self._retry.stop()
        self._cancel.clear()
        self._latest = (0, 0)
        self._publish(syncing=True, pages_done=0, items_done=0)
        self._runner.run(self._work, self._on_done, self._on_error)

    def refresh_pending(self) -> None:
        self._publish(pending_uploads=self._pending_count())

    def _work(self) -> SyncOutcome:
        return self._sync_fn(self._progress.emit, self._cancel)

    def _on_progress(self, pages: int, items: int) -> None:
        self._latest = (pages, items)
        if not self._progress_pause.isActive():
            self._publish_progress()
            self._progress_pause.start()

    def _publish_progress(self) -> None:
        """The latest progress, if the sync still runs and it is news."""
        pages, items = self._latest
        status = self.status
        if status.syncing and (pages, items) != (status.pages_done, status.items_done):
            self._publish(pages_done=pages, items_done=items)

    def _on_done(self, summary: SyncOutcome) -> None:
        self._failures = 0
        self._publish(
            online=True,
            syncing=False,
            last_success=datetime.now(UTC),
            last_error="",
            last_summary=str(summary),
            pending_uploads=self._pending_count(),
        )
        self.synced.emit(summary)

    def _on_error(self, error: Exception) -> None:
        report = self._describe(error)
        self._publish(syncing=False, online=not report.offline, last_error=report.message)
        if report.session_expired:
            self.session_expired.emit()
            return
        if self._stopped:
            return
        delay = RETRY_SECONDS[min(self._failures, len(RETRY_SECONDS) - 1)]
        self._failures += 1
        log.info("Sync failed (%s); retrying in %s s", report.message, delay)
        self._retry.start(delay * 1000)

    def _publish(self, **changes: Any) -> None:
        self.status = replace(self.status, **changes)
        self.status_changed.emit(self.status)

    @property
    def retry_pending(self) -> bool:
        return self._retry.isActive()
