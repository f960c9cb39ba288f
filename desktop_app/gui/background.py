"""The one way Rounds runs work off the UI thread.

`BackgroundRunner.run(fn, on_done, on_error)` runs `fn` on a pool thread and delivers its
result (or exception) back on the UI thread through a queued signal. Workers never touch
widgets. Database writes go through a single-thread pool (`serial=True`), so they never
contend with each other; network-only work may run in parallel.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Carries a finished job's outcome back to the thread that owns the runner."""

    finished = Signal(object, object, object)  # callback, value, error


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay, on_done: Any, on_error: Any) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn, self._relay, self._on_done, self._on_error = fn, relay, on_done, on_error

    def run(self) -> None:
        try:
            value = self._fn()
        except Exception as error:
            log.info("Background job failed: %s", error)
            self._relay.finished.emit(self._on_error, None, error)
        else:
            self._relay.finished.emit(self._on_done, value, None)


class BackgroundRunner(QObject):
    """Runs callables off the UI thread; outcomes arrive on the UI thread.

    Signals:
        busy_changed(bool): True while any job is queued or running.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._serial = QThreadPool(self)
        self._serial.setMaxThreadCount(1)
        self._parallel = QThreadPool(self)
        self._parallel.setMaxThreadCount(4)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver)
        self._pending = 0

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        *,
        serial: bool = True,
    ) -> None:
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        pool = self._serial if serial else self._parallel
        pool.start(_Job(fn, self._relay, on_done, on_error))

    @Slot(object, object, object)
    def _deliver(self, callback: Any, value: Any, error: Any) -> None:
        self._pending -= 1
        try:
            if error is not None:
                if callback is not None:
                    callback(error)
                else:
                    log.error("Unhandled background error: %s", error)
            elif callback is not None:
                callback(value)
        finally:
            if self._pending == 0:
                self.busy_changed.emit(False)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def wait_for_idle(self, msecs: int = 30_000) -> bool:
        """Block until both pools are idle (used at shutdown and in tests)."""
        return self._serial.waitForDone(msecs) and self._parallel.waitForDone(msecs)
