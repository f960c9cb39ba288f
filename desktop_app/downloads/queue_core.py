"""The download queue the manager and its worker threads share, behind one lock.

Every read and change of the queue, in memory and in SQLite, is an operation here that takes
the lock itself; `_changed` (a condition on the same lock) wakes idle workers and anyone
waiting for the queue to go quiet. The manager asks for pause, resume, cancel and removals;
the workers claim a file, report its bytes and report how its download ended.

A worker's report changes the queue in memory first; if the database then cannot be written
(a full disk fills it too), the row stays as it was, the failure goes to the log and the
worker carries on. A row left `running` is queued again at the next start.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Set

from sqlalchemy.exc import SQLAlchemyError

from desktop_app.content_store import ContentStore
from desktop_app.downloads.jobs import JobTable
from desktop_app.downloads.plan import DownloadPlan
from desktop_app.downloads.queue_state import LiveJob, QueueState, Selection
from desktop_app.downloads.retry import DONE as OUTCOME_DONE
from desktop_app.downloads.retry import FAILED as OUTCOME_FAILED
from desktop_app.downloads.retry import HALTED, JobControl, Outcome
from desktop_app.downloads.snapshot import LIVE_STATES, QueueSnapshot
from desktop_app.models.downloads import DownloadState

log = logging.getLogger(__name__)

SAVE_BYTES_INTERVAL = 2.0  # seconds between writes of a running file's byte count
Names = Callable[[set[str]], tuple[dict[str, str], dict[str, str]]]


class QueueCore:
    """The queue's jobs, the running files' controls, and whether workers may take files."""

    def __init__(
        self, table: JobTable, store: ContentStore, state: QueueState, clock: Callable[[], float]
    ) -> None:
        self._table, self._store, self._state, self._clock = table, store, state, clock
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._controls: dict[int, JobControl] = {}  # running job id -> control
        self._scope: frozenset[str] | None = None  # the courses workers take files from; None: all
        self._started = False
        self._closing = False

    # -- life cycle ----------------------------------------------------------------------

    def load(self, names: Names) -> None:
        """Read the persisted queue; `names` gives (course titles, file labels) to show."""
        records = self._table.load()
        titles, labels = names({record.course_id for record in records})
        with self._lock:
            self._state.titles.update(titles)
            self._state.labels.update(labels)
            for record in records:
                self._state.put(record, self._store.partial_size(record.sha256))

    def begin(self, scope: frozenset[str] | None) -> bool:
        """Let workers take files (of `scope`'s courses only, if given); False if too late."""
        with self._lock:
            if self._started or self._closing:
                return False
            self._scope, self._started = scope, True
            return True

    def close(self) -> None:
        """Stop running files (they stay queued) and let idle workers end."""
        with self._lock:
            self._closing = True
            for control in self._controls.values():
                control.stop("shutdown")
            self._changed.notify_all()

    # -- reading -------------------------------------------------------------------------

    def snapshot(self) -> QueueSnapshot:
        with self._lock:
            return self._state.snapshot()

    def queued_bytes(self, excluding: Set[str]) -> int:
        with self._lock:
            return self._state.queued_bytes(excluding)

    def wait_until_idle(self, which: Selection, timeout: float | None) -> bool:
        """Block until no selected file is being fetched, or queued while workers take files."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._changed:
            while self._busy(which):
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._changed.wait(remaining)
        return True

    def _busy(self, which: Selection) -> bool:
        if any(job in which for job in self._state.busy.values()):
            return True
        if not self._started or self._closing:
            return False
        return any(
            job.state in LIVE_STATES and job in which and self._in_scope(job)
            for job in self._state.jobs.values()
        )

    def _in_scope(self, job: LiveJob) -> bool:
        return self._scope is None or job.course_id in self._scope

    # -- the manager's operations --------------------------------------------------------

    def queue(self, plan: DownloadPlan) -> int:
        """Queue the plan's files not queued yet; returns how many are not on disk."""
        with self._lock:
            live = {job.sha256 for job in self._live(Selection(plan.course_id))}
            assets = [(a.sha256, a.size, self._store.has(a.sha256)) for a in plan.assets]
            assets = [asset for asset in assets if asset[0] not in live]
            self._state.titles[plan.course_id] = plan.course_title
            self._state.labels.update({a.sha256: a.label for a in plan.assets})
            wanted = {sha for sha, _size, _present in assets}
            for record in self._table.add(plan.course_id, assets):
                if record.sha256 in wanted:
                    self._state.put(record, self._store.partial_size(record.sha256))
            self._state.shown.add(plan.course_id)
            self._changed.notify_all()
        return sum(1 for _sha, _size, present in assets if not present)

    def pause(self, which: Selection) -> None:
        """Pause queued and running files; partial files stay."""
        with self._lock:
            jobs = self._live(which)
            for job in jobs:
                job.settle(DownloadState.PAUSED)
                self._stop_control(job, "pause")
                self._table.set_bytes(job.id, job.bytes_done)
            self._table.set_state([job.id for job in jobs], DownloadState.PAUSED)

    def resume(self, which: Selection) -> None:
        """Queue paused and failed files again (failed ones get a fresh set of attempts)."""
        stalled = (DownloadState.PAUSED, DownloadState.FAILED)
        with self._lock:
            jobs = [job for job in self._state.select(which) if job.state in stalled]
            for job in jobs:
                job.settle(DownloadState.QUEUED)
            self._table.set_state(
                [job.id for job in jobs], DownloadState.QUEUED, reset_attempts=True
            )
            self._changed.notify_all()

    def cancel(self, which: Selection) -> None:
        """Drop files not yet downloaded from the queue and delete their partial files."""
        with self._lock:
            jobs = [job for job in self._state.select(which) if job.state != DownloadState.DONE]
            for job in jobs:
                del self._state.jobs[job.id]
            self._table.delete(job.id for job in jobs)
            for job in jobs:
                if not self._stop_control(job, "cancel"):
                    self._drop_partial(job)
            self._changed.notify_all()

    def clear_finished(self) -> None:
        """Stop showing courses whose files are all downloaded."""
        with self._lock:
            for course in self._state.snapshot().courses:
                if course.state == DownloadState.DONE:
                    self._state.shown.discard(course.course_id)

    def forget[T](self, which: Selection, remove: Callable[[], T], timeout: float = 30.0) -> T:
        """Once no worker fetches a selected file, run `remove`, then forget the selected jobs.

        Called after cancelling them. The lock is held from the wait to the end, so no worker
        starts a file while files are removed. TimeoutError if a download does not stop in time."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while any(job in which for job in self._state.busy.values()):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("a download did not stop in time")
                self._changed.wait(remaining)
            removed = remove()
            self._state.forget(self._state.select(which))
        return removed

    # -- the workers' operations ---------------------------------------------------------

    def claim(self) -> tuple[LiveJob, JobControl] | None:
        """Wait for the oldest queued file nobody is fetching and mark it running; None: close."""
        with self._changed:
            while not self._closing:
                job = self._state.next_queued(self._scope)
                if job is None:
                    self._changed.wait()
                elif self._store.has(job.sha256):  # another way brought the file meanwhile
                    self._saving(self._file_done, job.sha256)
                    self._changed.notify_all()
                else:
                    return job, self._mark_running(job)
        return None

    def count_attempt(self, job: LiveJob) -> None:
        with self._lock:
            self._saving(self._table.record_attempt, job.id, job.bytes_done)

    def advance(self, job: LiveJob, control: JobControl, count: int) -> None:
        """The running file has `count` bytes on disk (saved every `SAVE_BYTES_INTERVAL`)."""
        with self._lock:
            job.waiting_elsewhere = False
            control.bytes_seen += max(count - job.bytes_done, 0)
            self._state.advance(job, count)
            if self._clock() - job.saved_at >= SAVE_BYTES_INTERVAL:
                job.saved_at = self._clock()
                self._saving(self._table.set_bytes, job.id, count)

    def wait_elsewhere(self, job: LiveJob) -> None:
        """Another process holds the running file's lock; its bytes come once it lets go."""
        with self._lock:
            job.waiting_elsewhere = True

    def finish(self, job: LiveJob, control: JobControl, outcome: Outcome) -> None:
        """Record how the download of a claimed file ended."""
        with self._changed:
            self._state.busy.pop(job.sha256, None)
            self._controls.pop(job.id, None)
            try:
                self._saving(self._record_end, job, control, outcome)
            finally:
                self._changed.notify_all()

    # -- helpers, called holding the lock ------------------------------------------------

    def _saving[**P](self, change: Callable[P, None], *args: P.args, **kw: P.kwargs) -> None:
        """Run a change that ends in a database write; a write that fails is logged only."""
        try:
            change(*args, **kw)
        except SQLAlchemyError:
            log.exception("Could not save the download queue; it goes on in memory")

    def _record_end(self, job: LiveJob, control: JobControl, outcome: Outcome) -> None:
        """Each branch changes the job in memory before it writes its row."""
        if outcome.kind == OUTCOME_DONE:
            self._file_done(job.sha256)
        elif job.id not in self._state.jobs:  # cancelled or removed meanwhile
            self._drop_partial(job)
        elif outcome.kind == HALTED:
            self._halt(job, outcome)
        elif outcome.kind == OUTCOME_FAILED:
            self._fail(job, outcome.message)
        else:
            self._stopped(job, control.reason)

    def _live(self, which: Selection) -> list[LiveJob]:
        return [job for job in self._state.select(which) if job.state in LIVE_STATES]

    def _mark_running(self, job: LiveJob) -> JobControl:
        job.settle(DownloadState.RUNNING)
        self._state.start_meter(job)
        control = JobControl()
        self._controls[job.id] = control
        self._state.busy[job.sha256] = job
        self._saving(self._table.set_state, [job.id], DownloadState.RUNNING)
        return control

    def _file_done(self, sha256: str) -> None:
        """Every job of `sha256` is done: one download serves each course that asked for it."""
        for job in self._state.same_file(sha256):
            job.settle(DownloadState.DONE)
            job.bytes_done = job.size
        self._table.set_done(sha256)

    def _stop_control(self, job: LiveJob, reason: str) -> bool:
        """Ask the worker fetching `job` to stop; False if no worker is fetching it."""
        control = self._controls.get(job.id)
        if control is not None:
            control.stop(reason)
        return control is not None

    def _drop_partial(self, job: LiveJob) -> None:
        """Delete the job's partial file unless a worker or another job still needs it."""
        if job.sha256 not in self._state.busy and not self._state.others_want(job.sha256, job.id):
            self._store.remove_partial(job.sha256)

    def _fail(self, job: LiveJob, message: str) -> None:
        job.settle(DownloadState.FAILED, message)
        self._table.set_state([job.id], DownloadState.FAILED, message)
        self._table.set_bytes(job.id, job.bytes_done)

    def _halt(self, job: LiveJob, outcome: Outcome) -> None:
        """Pause this file and every queued one, with the reason (offline, disk, sign-in)."""
        queued = (j for j in self._state.jobs.values() if j.state == DownloadState.QUEUED)
        waiting = [job, *queued]
        for each in waiting:
            each.settle(DownloadState.PAUSED, outcome.message, outcome.reason)
        self._table.set_state([each.id for each in waiting], DownloadState.PAUSED, outcome.message)
        self._table.set_bytes(job.id, job.bytes_done)

    def _stopped(self, job: LiveJob, reason: str) -> None:
        """Paused or shut down: the partial file stays for the next run."""
        if reason == "shutdown" and job.state == DownloadState.RUNNING:
            job.settle(DownloadState.QUEUED)
            self._table.set_state([job.id], DownloadState.QUEUED)
        self._table.set_bytes(job.id, job.bytes_done)
