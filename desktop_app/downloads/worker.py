"""The worker threads of the download queue, and the state they share with the manager.

Each worker claims the oldest queued file nobody else is fetching, fetches it with retries and
records the outcome in memory and in SQLite. One file is fetched by one worker at a time, so
two courses asking for the same file never write the same partial file at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from desktop_app.content_store import ContentStore
from desktop_app.downloads.fetch import AssetSource, fetch_asset
from desktop_app.downloads.jobs import JobTable
from desktop_app.downloads.queue_state import LiveJob, QueueState
from desktop_app.downloads.retry import (
    DONE as OUTCOME_DONE,
)
from desktop_app.downloads.retry import (
    FAILED as OUTCOME_FAILED,
)
from desktop_app.downloads.retry import (
    HALTED,
    JobControl,
    Outcome,
    RetryPolicy,
    run_with_retries,
)
from desktop_app.models.downloads import DownloadState

log = logging.getLogger(__name__)
SAVE_BYTES_INTERVAL = 2.0  # seconds between writes of a running file's byte count


@dataclass
class QueueCore:
    """What the manager and its workers share; `lock` (and `changed`, on it) guards it all."""

    table: JobTable
    store: ContentStore
    state: QueueState
    clock: Callable[[], float]
    lock: threading.RLock = field(default_factory=threading.RLock)
    controls: dict[int, JobControl] = field(default_factory=dict)  # running job id -> control
    scope: frozenset[str] | None = None  # the courses workers take files from; None: all
    closing: bool = False
    changed: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self.changed = threading.Condition(self.lock)

    def file_done(self, sha256: str) -> None:
        """Every job of `sha256` is done: one download serves each course that asked for it."""
        for job in self.state.same_file(sha256):
            job.state, job.error, job.bytes_done = DownloadState.DONE, "", job.size
        self.table.set_done(sha256)

    def stop_control(self, job: LiveJob, reason: str) -> bool:
        """Ask the worker fetching `job` to stop; False if no worker is fetching it."""
        control = self.controls.get(job.id)
        if control is not None:
            control.stop(reason)
        return control is not None

    def drop_partial(self, job: LiveJob) -> None:
        """Delete the job's partial file unless a worker or another job still needs it."""
        if job.sha256 not in self.state.busy and not self.state.others_want(job.sha256, job.id):
            self.store.remove_partial(job.sha256)


class FileWorker:
    """The loop of one worker thread."""

    def __init__(
        self,
        core: QueueCore,
        source: AssetSource,
        retry: RetryPolicy,
        check_room: Callable[[LiveJob], None],
        emit: Callable[[bool], None],
    ) -> None:
        self._core, self._source, self._retry = core, source, retry
        self._check_room, self._emit = check_room, emit

    def run(self) -> None:
        while (claimed := self._claim()) is not None:
            job, control = claimed
            try:
                outcome = self._fetch(job, control)
            except Exception as error:  # a bug must not end the thread silently
                log.exception("Download of %s failed unexpectedly", job.sha256)
                outcome = Outcome(OUTCOME_FAILED, f"Unexpected error: {error}")
            self._finish(job, control, outcome)

    def _claim(self) -> tuple[LiveJob, JobControl] | None:
        core = self._core
        with core.changed:
            while not core.closing:
                job = core.state.next_queued(core.scope)
                if job is None:
                    core.changed.wait()
                elif core.store.has(job.sha256):  # another way brought the file meanwhile
                    core.file_done(job.sha256)
                    core.changed.notify_all()
                else:
                    return job, self._mark_running(job)
        return None

    def _mark_running(self, job: LiveJob) -> JobControl:
        job.state, job.error = DownloadState.RUNNING, ""
        control = JobControl()
        self._core.controls[job.id] = control
        self._core.state.busy[job.sha256] = job
        self._core.table.set_state([job.id], DownloadState.RUNNING)
        return control

    def _fetch(self, job: LiveJob, control: JobControl) -> Outcome:
        self._emit(False)

        def attempt() -> None:
            self._check_room(job)
            fetch_asset(
                self._source,
                self._core.store,
                job.sha256,
                job.size,
                should_stop=lambda: control.stopped,
                on_bytes=lambda count: self._on_bytes(job, control, count),
            )

        def count_attempt() -> None:
            with self._core.lock:
                self._core.table.record_attempt(job.id, job.bytes_done)

        return run_with_retries(attempt, control, self._retry, count_attempt)

    def _on_bytes(self, job: LiveJob, control: JobControl, count: int) -> None:
        core = self._core
        with core.lock:
            control.bytes_seen += max(count - job.bytes_done, 0)
            core.state.advance(job, count)
            if core.clock() - job.saved_at >= SAVE_BYTES_INTERVAL:
                job.saved_at = core.clock()
                core.table.set_bytes(job.id, count)
        self._emit(True)

    def _finish(self, job: LiveJob, control: JobControl, outcome: Outcome) -> None:
        core = self._core
        with core.changed:
            core.state.busy.pop(job.sha256, None)
            core.controls.pop(job.id, None)
            if outcome.kind == OUTCOME_DONE:
                core.file_done(job.sha256)
            elif job.id not in core.state.jobs:  # cancelled or removed meanwhile
                core.drop_partial(job)
            elif outcome.kind == HALTED:
                self._halt(job, outcome.message)
            elif outcome.kind == OUTCOME_FAILED:
                self._fail(job, outcome.message)
            else:
                self._stopped(job, control.reason)
            core.changed.notify_all()
        self._emit(False)

    def _fail(self, job: LiveJob, message: str) -> None:
        job.state, job.error = DownloadState.FAILED, message
        self._core.table.set_state([job.id], DownloadState.FAILED, message)
        self._core.table.set_bytes(job.id, job.bytes_done)

    def _halt(self, job: LiveJob, message: str) -> None:
        """Pause this file and every queued one, with the reason (offline, disk, sign-in)."""
        waiting = [
            job,
            *(j for j in self._core.state.jobs.values() if j.state == DownloadState.QUEUED),
        ]
        for each in waiting:
            each.state, each.error = DownloadState.PAUSED, message
        self._core.table.set_state([each.id for each in waiting], DownloadState.PAUSED, message)
        self._core.table.set_bytes(job.id, job.bytes_done)

    def _stopped(self, job: LiveJob, reason: str) -> None:
        """Paused or shut down: the partial file stays for the next run."""
        if reason == "shutdown" and job.state == DownloadState.RUNNING:
            job.state = DownloadState.QUEUED
            self._core.table.set_state([job.id], DownloadState.QUEUED)
        self._core.table.set_bytes(job.id, job.bytes_done)
