"""Carries the download manager's snapshots from worker threads to the UI thread, and says
when a course has finished downloading (the window re-reads its list then, whether or not the
Downloads page has been built)."""

from __future__ import annotations

import threading
from contextlib import suppress

from PySide6.QtCore import QObject, Signal, Slot

from desktop_app.downloads import DownloadManager, DownloadState, QueueSnapshot


class DownloadEvents(QObject):
    """Listens to a download manager; bursts of snapshots reach the UI as the latest one.

    Signals:
        snapshot_changed(QueueSnapshot): the queue changed (emitted on the UI thread).
        course_finished(str): every file of this course has been downloaded.
    """

    snapshot_changed = Signal(object)
    course_finished = Signal(str)
    _arrived = Signal()

    def __init__(self, manager: DownloadManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._manager = manager
        self._lock = threading.Lock()
        self._latest: QueueSnapshot | None = None
        self._delivered = QueueSnapshot()
        self._arrived.connect(self._deliver)  # queued when emitted from a worker thread
        manager.add_listener(self.listen)

    def listen(self, snapshot: QueueSnapshot) -> None:
        """Called by the manager on any thread."""
        with self._lock:
            pending, self._latest = self._latest is not None, snapshot
        if not pending:
            self._arrived.emit()

    def close(self) -> None:
        """Stop listening (before the manager or this object goes away); safe to repeat."""
        with suppress(ValueError):
            self._manager.remove_listener(self.listen)

    @Slot()
    def _deliver(self) -> None:
        with self._lock:
            snapshot, self._latest = self._latest, None
        if snapshot is None:
            return
        finished = newly_finished(self._delivered, snapshot)
        self._delivered = snapshot
        self.snapshot_changed.emit(snapshot)
        for course_id in finished:
            self.course_finished.emit(course_id)


def newly_finished(before: QueueSnapshot, after: QueueSnapshot) -> list[str]:
    """The courses done in `after` that were in `before` and not done there."""
    states = {course.course_id: course.state for course in before.courses}
    done = DownloadState.DONE
    return [
        course.course_id
        for course in after.courses
        if course.state == done and states.get(course.course_id, done) != done
    ]
