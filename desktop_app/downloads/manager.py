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
from typing import Any

from desktop_app.config import Settings
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.downloads.fetch import AssetSource
from desktop_app.downloads.jobs import JobTable
from desktop_app.downloads.plan import (
    DiskUsage,
    DownloadPlan,
    NotEnoughSpaceError,
    SpaceCheck,
    catalog_names,
    free_bytes,
    plan_download,
)
from desktop_app.downloads.queue_state import LiveJob, QueueState
from desktop_app.downloads.rates import RateMeter
from desktop_app.downloads.retry import RetryPolicy
from desktop_app.downloads.snapshot import LIVE_STATES, QueueSnapshot
from desktop_app.downloads.storage import Removal, Storage, StorageReport
from desktop_app.downloads.units import MB
from desktop_app.downloads.worker import FileWorker, QueueCore
from desktop_app.models.downloads import DownloadState

log = logging.getLogger(__name__)

Listener = Callable[[QueueSnapshot], None]
PROGRESS_INTERVAL = 0.25


class DownloadManager:
    """Owns the download queue and the downloaded files of one account's catalog."""

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
    ) -> None:
        self._db, self._store, self._source = db, store, source
        self._parallelism = max(parallelism, 1)
        self._floor, self._disk_usage = disk_floor_bytes, disk_usage
        self._retry = retry or RetryPolicy()
        self._clock = clock
        self._storage = Storage(db, store, disk_usage)
        self._core = QueueCore(JobTable(db), store, QueueState(clock), clock)
        self._lock, self._changed = self._core.lock, self._core.changed
        self._state, self._table = self._core.state, self._core.table
        self._emit_lock = threading.RLock()
        self._threads: list[threading.Thread] = []
        self._listeners: list[Listener] = []
        self._last_emit = 0.0
        self._load()

    @classmethod
    def for_settings(
        cls, db: Database, store: ContentStore, source: AssetSource, settings: Settings, **kw: Any
    ) -> DownloadManager:
        """A manager with the user's parallelism and disk floor."""
        return cls(
            db,
            store,
            source,
            parallelism=settings.download_parallelism,
            disk_floor_bytes=settings.disk_floor_mb * MB,
            **kw,
        )

    # -- life cycle ----------------------------------------------------------------------

    def start(self, only: Iterable[str] | None = None) -> None:
        """Start the worker threads; queued files (also from a previous run) begin.

        `only` limits the workers to these courses' files (the command line downloads one
        course and leaves the rest of the queue as it was)."""
        with self._lock:
            if self._threads or self._core.closing:
                return
            self._core.scope = None if only is None else frozenset(only)
            worker = FileWorker(self._core, self._source, self._retry, self._check_room, self._emit)
            self._threads = [
                threading.Thread(target=worker.run, name=f"download-{n}", daemon=True)
                for n in range(self._parallelism)
            ]
        for thread in self._threads:
            thread.start()

    def close(self, timeout: float = 30.0) -> None:
        """Stop the workers; running files keep their partial file and stay queued."""
        with self._lock:
            self._core.closing = True
            for control in self._core.controls.values():
                control.stop("shutdown")
            self._changed.notify_all()
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
        with self._lock:
            return self._state.snapshot()

    def wait_until_idle(self, timeout: float | None = None, course_id: str | None = None) -> bool:
        """Block until no file (of `course_id`, if given) is queued or running.

        Files the workers will not take (not started, closed, or outside `start(only=…)`) do
        not count."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._changed:
            while self._busy(lambda job: course_id in (None, job.course_id)):
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._changed.wait(remaining)
        return True

    # -- planning and queueing -----------------------------------------------------------

    def plan(self, course_id: str, module_id: str | None = None) -> DownloadPlan:
        """What downloading the course (or module) would fetch; see `plan_download`."""
        return plan_download(self._db, self._store, course_id, module_id)

    def check_space(self, plan: DownloadPlan) -> SpaceCheck:
        """Whether the plan fits above the disk floor, with what is already queued."""
        planned = {asset.sha256 for asset in plan.assets}
        with self._lock:
            queued = self._state.queued_bytes(excluding=planned)
        free = free_bytes(self._store.root, self._disk_usage)
        return SpaceCheck(plan.what, plan.bytes_to_fetch, free, self._floor, queued)

    def download(self, plan: DownloadPlan) -> int:
        """Queue the plan's missing files; returns how many. NotEnoughSpaceError if refused."""
        check = self.check_space(plan)
        if not check.ok:
            raise NotEnoughSpaceError(check)
        with self._lock:
            queued = self._queue(plan)
            self._changed.notify_all()
        self._emit()
        return queued

    def _queue(self, plan: DownloadPlan) -> int:
        live = {
            job.sha256
            for job in self._state.select(plan.course_id, None)
            if job.state in LIVE_STATES
        }
        assets = [(a.sha256, a.size, self._store.has(a.sha256)) for a in plan.assets]
        assets = [asset for asset in assets if asset[0] not in live]
        self._state.titles[plan.course_id] = plan.course_title
        self._state.labels.update({a.sha256: a.label for a in plan.assets})
        wanted = {sha for sha, _size, _present in assets}
        for record in self._table.add(plan.course_id, assets):
            if record.sha256 in wanted:
                self._state.put(record, self._store.partial_size(record.sha256))
        self._state.shown.add(plan.course_id)
        self._restart_meters(plan.course_id)
        return sum(1 for _sha, _size, present in assets if not present)

    # -- pause, resume, cancel -----------------------------------------------------------

    def pause(self, course_id: str | None = None, job_ids: Iterable[int] | None = None) -> None:
        """Pause queued and running files (of a course, or by id, or all); partials stay."""
        with self._lock:
            jobs = [j for j in self._state.select(course_id, job_ids) if j.state in LIVE_STATES]
            for job in jobs:
                job.state, job.error = DownloadState.PAUSED, ""
                self._core.stop_control(job, "pause")
                self._table.set_bytes(job.id, job.bytes_done)
            self._table.set_state([job.id for job in jobs], DownloadState.PAUSED)
        self._emit()

    def resume(self, course_id: str | None = None, job_ids: Iterable[int] | None = None) -> None:
        """Queue paused and failed files again (failed ones get a fresh set of attempts)."""
        with self._lock:
            jobs = [
                j
                for j in self._state.select(course_id, job_ids)
                if j.state in (DownloadState.PAUSED, DownloadState.FAILED)
            ]
            for job in jobs:
                job.state, job.error = DownloadState.QUEUED, ""
                self._restart_meters(job.course_id)
            self._table.set_state(
                [job.id for job in jobs], DownloadState.QUEUED, reset_attempts=True
            )
            self._changed.notify_all()
        self._emit()

    def cancel(self, course_id: str | None = None, job_ids: Iterable[int] | None = None) -> None:
        """Drop files not yet downloaded from the queue and delete their partial files."""
        with self._lock:
            jobs = [
                j for j in self._state.select(course_id, job_ids) if j.state != DownloadState.DONE
            ]
            for job in jobs:
                del self._state.jobs[job.id]
            self._table.delete(job.id for job in jobs)
            for job in jobs:
                if not self._core.stop_control(job, "cancel"):
                    self._core.drop_partial(job)
            self._changed.notify_all()
        self._emit()

    def clear_finished(self) -> None:
        """Stop showing courses whose files are all downloaded."""
        with self._lock:
            snapshot = self._state.snapshot()
            for course in snapshot.courses:
                if course.state == DownloadState.DONE:
                    self._state.shown.discard(course.course_id)
        self._emit()

    # -- storage -------------------------------------------------------------------------

    def storage_report(self) -> StorageReport:
        return self._storage.report()

    def remove_course_downloads(self, course_id: str) -> Removal:
        """Cancel the course's downloads and delete its files that no other course needs."""
        self.cancel(course_id=course_id)
        with self._changed:
            self._wait_quiet(lambda job: job.course_id == course_id)
            removal = self._storage.remove_course(course_id)
            self._forget(self._state.select(course_id, None))
        self._emit()
        return removal

    def remove_all_downloads(self) -> Removal:
        """Cancel every download and delete every downloaded file of this catalog."""
        self.cancel()
        with self._changed:
            self._wait_quiet(lambda job: True)
            removal = self._storage.remove_all()
            self._forget(list(self._state.jobs.values()))
        self._emit()
        return removal

    def release(self, digests: Iterable[str]) -> Removal:
        """Files the sync reports gone: cancel their downloads and delete them if unused."""
        gone = set(digests)
        with self._lock:
            ids = [job.id for job in self._state.jobs.values() if job.sha256 in gone]
        self.cancel(job_ids=ids)
        with self._changed:
            self._wait_quiet(lambda job: job.sha256 in gone)
            removal = self._storage.release(gone)
            self._forget([job for job in self._state.jobs.values() if job.sha256 in gone])
        self._emit()
        return removal

    # -- helpers ---------------------------------------------------------------------------

    def _check_room(self, job: LiveJob) -> None:
        """Before each attempt: the rest of the file must fit above the disk floor."""
        still = job.size - self._store.partial_size(job.sha256)
        check = SpaceCheck("This file", still, self._free(), self._floor)
        if not check.ok:
            raise NotEnoughSpaceError(check)

    def _free(self) -> int:
        return free_bytes(self._store.root, self._disk_usage)

    def _load(self) -> None:
        records = self._table.load()
        titles, labels = catalog_names(self._db, {record.course_id for record in records})
        self._state.titles.update(titles)
        self._state.labels.update(labels)
        for record in records:
            self._state.put(record, self._store.partial_size(record.sha256))

    def _busy(self, matches: Callable[[LiveJob], bool]) -> bool:
        """A matching file is being fetched, or queued while the workers run."""
        if any(matches(job) for job in self._state.busy.values()):
            return True
        if not self._threads or self._core.closing:
            return False
        scope = self._core.scope
        return any(
            job.state in LIVE_STATES and matches(job) and (scope is None or job.course_id in scope)
            for job in self._state.jobs.values()
        )

    def _wait_quiet(self, matches: Callable[[LiveJob], bool], timeout: float = 30.0) -> None:
        """Wait (holding the condition) until no worker is fetching a matching file."""
        deadline = time.monotonic() + timeout
        while any(matches(job) for job in self._state.busy.values()):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("a download did not stop in time")
            self._changed.wait(remaining)

    def _forget(self, jobs: list[LiveJob]) -> None:
        for job in jobs:
            self._state.jobs.pop(job.id, None)
            self._state.shown.discard(job.course_id)

    def _restart_meters(self, course_id: str) -> None:
        self._state.course_meters[course_id] = RateMeter(clock=self._clock)
        if not self._state.busy:
            self._state.total_meter = RateMeter(clock=self._clock)

    def _emit(self, progress: bool = False) -> None:
        with self._emit_lock:
            now = self._clock()
            if progress and now - self._last_emit < PROGRESS_INTERVAL:
                return
            self._last_emit = now
            with self._lock:
                snapshot = self._state.snapshot()
            for listener in list(self._listeners):
                try:
                    listener(snapshot)
                except Exception:
                    log.exception("A download listener failed")
