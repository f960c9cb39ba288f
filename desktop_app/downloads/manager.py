"""The download queue: a few worker threads, the queue persisted in SQLite, progress to listeners.

`download(plan)` queues the files a course still lacks (after checking the disk floor); worker
threads fetch them `parallelism` at a time, one thread per file, never two for the same file.
Pause keeps the partial file; cancel deletes it; `close()` stops the workers and leaves the jobs
queued, so a new manager on the same database resumes them with HTTP Range.

Listeners receive a `QueueSnapshot` after each change of state, and at most every
`PROGRESS_INTERVAL` seconds while bytes arrive. They are called one at a time, in order, on a
worker thread or the caller's thread, and must return quickly (a Qt view re-emits a signal).
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from desktop_app.config import Settings
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.downloads.fetch import AssetSource
from desktop_app.downloads.jobs import JobTable
from desktop_app.downloads.online import OnlineLessons
from desktop_app.downloads.plan import (
    THIS_FILE,
    DiskUsage,
    DownloadPlan,
    NotEnoughSpaceError,
    SpaceCheck,
    catalog_names,
    free_bytes,
    plan_download,
    plan_lesson,
)
from desktop_app.downloads.queue_core import QueueCore
from desktop_app.downloads.queue_state import LiveJob, QueueState, Selection
from desktop_app.downloads.retry import RetryPolicy
from desktop_app.downloads.shared_folder import with_shared_folder
from desktop_app.downloads.snapshot import QueueSnapshot
from desktop_app.downloads.units import MB
from desktop_app.downloads.worker import FileWorker
from desktop_app.peers.peer_list import PeerList
from desktop_app.peers.source import PeerSource

log = logging.getLogger(__name__)

Listener = Callable[[QueueSnapshot], None]
PROGRESS_INTERVAL = 0.25


class DownloadManager:
    """Owns the download queue of one account's catalog."""

    def __init__(
        self,
        db: Database,
        store: ContentStore,
        source: AssetSource,
        *,
        parallelism: int = 3,
        disk_floor_bytes: int = 500 * MB,
        disk_usage: DiskUsage = shutil.disk_usage,
        retry: RetryPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        streams_from: AssetSource | None = None,
    ) -> None:
        self._db, self._store, self._source = db, store, source
        self._parallelism = max(parallelism, 1)
        self._floor, self._disk_usage = disk_floor_bytes, disk_usage
        self._retry = retry or RetryPolicy()
        self._clock = clock
        self._core = QueueCore(JobTable(db), store, QueueState(clock), clock)
        self._emit_lock = threading.RLock()
        self._threads: list[threading.Thread] = []
        self._listeners: list[Listener] = []
        self._last_emit = 0.0
        # lessons studied before downloading: streamed unverified, so never from a peer
        self.online = OnlineLessons(db, store, streams_from or source)
        self._core.load(partial(catalog_names, db))

    @classmethod
    def for_settings(
        cls,
        db: Database,
        store: ContentStore,
        source: AssetSource,
        settings: Settings,
        peers: PeerList | None = None,
        **kw: Any,
    ) -> DownloadManager:
        """A manager with the user's parallelism, disk floor and shared content folder; files
        are looked for in the shared folder, then with the `peers` nearby, then on the server."""
        folder = settings.shared_content_dir
        fetching = with_shared_folder(source, folder)
        if peers is not None:  # lessons are streamed from the server, not from a peer
            kw.setdefault("streams_from", fetching)
            fetching = with_shared_folder(PeerSource(source, peers), folder)
        return cls(
            db,
            store,
            fetching,
            parallelism=settings.download_parallelism,
            disk_floor_bytes=settings.disk_floor_mb * MB,
            **kw,
        )

    # -- life cycle ----------------------------------------------------------------------

    def start(self, only: Iterable[str] | None = None) -> None:
        """Start the worker threads; queued files (also from a previous run) begin.

        `only` limits the workers to these courses' files (the command line downloads one
        course and leaves the rest of the queue as it was)."""
        if not self._core.begin(None if only is None else frozenset(only)):
            return
        worker = FileWorker(
            self._core, self._store, self._source, self._retry, self._check_room, self._emit
        )
        self._threads = [
            threading.Thread(target=worker.run, name=f"download-{n}", daemon=True)
            for n in range(self._parallelism)
        ]
        for thread in self._threads:
            thread.start()

    def close(self, timeout: float = 30.0) -> None:
        """Stop the workers; running files keep their partial file and stay queued. Lessons
        streamed from the server stop streaming."""
        self.online.close()
        self._core.close()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(deadline - time.monotonic(), 0))
        self._threads = []

    # -- listeners and state -------------------------------------------------------------

    def add_listener(self, listener: Listener) -> None:
        with self._emit_lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        with self._emit_lock:
            self._listeners.remove(listener)

    def snapshot(self) -> QueueSnapshot:
        return self._core.snapshot()

    def wait_until_idle(self, timeout: float | None = None, course_id: str | None = None) -> bool:
        """Block until no file (of `course_id`, if given) is queued or running.

        Files the workers will not take (not started, closed, or outside `start(only=…)`) do
        not count."""
        return self._core.wait_until_idle(Selection(course_id), timeout)

    # -- planning and queueing -----------------------------------------------------------

    def plan(self, course_id: str, module_id: str | None = None) -> DownloadPlan:
        """What downloading the course (or module) would fetch; see `plan_download`."""
        return plan_download(self._db, self._store, course_id, module_id)

    def plan_lesson(self, lesson_id: str) -> DownloadPlan:
        """What downloading one lesson would fetch (its media, captions, pictures)."""
        return plan_lesson(self._db, self._store, lesson_id)

    def check_space(self, plan: DownloadPlan) -> SpaceCheck:
        """Whether the plan fits above the disk floor, with what is already queued."""
        planned = {asset.sha256 for asset in plan.assets}
        queued = self._core.queued_bytes(excluding=planned)
        free = free_bytes(self._store.root, self._disk_usage)
        return SpaceCheck(plan.what, plan.bytes_to_fetch, free, self._floor, queued)

    def download(self, plan: DownloadPlan) -> int:
        """Queue the plan's missing files; returns how many. NotEnoughSpaceError if refused."""
        check = self.check_space(plan)
        if not check.ok:
            raise NotEnoughSpaceError(check)
        queued = self._core.queue(plan)
        self._emit()
        return queued

    # -- pause, resume, cancel -----------------------------------------------------------

    def pause(self, course_id: str | None = None, job_ids: Iterable[int] | None = None) -> None:
        """Pause queued and running files (of a course, or by id, or all); partials stay."""
        self._core.pause(Selection.of(course_id, job_ids))
        self._emit()

    def resume(self, course_id: str | None = None, job_ids: Iterable[int] | None = None) -> None:
        """Queue paused and failed files again (failed ones get a fresh set of attempts)."""
        self._core.resume(Selection.of(course_id, job_ids))
        self._emit()

    def cancel(self, course_id: str | None = None, job_ids: Iterable[int] | None = None) -> None:
        """Drop files not yet downloaded from the queue and delete their partial files."""
        self._core.cancel(Selection.of(course_id, job_ids))
        self._emit()

    def clear_finished(self) -> None:
        """Stop showing courses whose files are all downloaded."""
        self._core.clear_finished()
        self._emit()

    def withdraw[T](self, which: Selection, remove: Callable[[], T]) -> T:
        """Cancel the selected downloads, then run `remove` once no worker fetches their files.

        The queue then forgets the selected jobs, done ones too: `remove` deletes their files
        (see `StorageService`)."""
        self._core.cancel(which)
        self._emit()
        removed = self._core.forget(which, remove)
        self._emit()
        return removed

    # -- helpers ---------------------------------------------------------------------------

    def _check_room(self, job: LiveJob) -> None:
        """Before each attempt: the rest of the file must fit above the disk floor."""
        still = job.size - self._store.partial_size(job.sha256)
        check = SpaceCheck(THIS_FILE, still, self._free(), self._floor)
        if not check.ok:
            raise NotEnoughSpaceError(check)

    def _free(self) -> int:
        return free_bytes(self._store.root, self._disk_usage)

    def _emit(self, progress: bool = False) -> None:
        with self._emit_lock:
            now = self._clock()
            if progress and now - self._last_emit < PROGRESS_INTERVAL:
                return
            self._last_emit = now
            snapshot = self._core.snapshot()
            for listener in list(self._listeners):
                try:
                    listener(snapshot)
                except Exception:
                    log.exception("A download listener failed")
