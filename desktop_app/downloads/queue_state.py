"""The download queue in memory: job rows, byte counts and speed meters.

`QueueCore` holds its lock around every call; nothing here is thread-safe on its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass, field

from desktop_app.downloads.jobs import JobRecord
from desktop_app.downloads.rates import RateMeter, time_left
from desktop_app.downloads.snapshot import (
    LIVE_STATES,
    CourseProgress,
    JobStatus,
    QueueSnapshot,
    StopReason,
    course_state,
)
from desktop_app.models.downloads import DownloadState


@dataclass
class LiveJob:
    """A queued file as the workers see it: its row as loaded, and what has changed since."""

    record: JobRecord
    bytes_done: int
    state: DownloadState
    error: str
    label: str
    meter: RateMeter
    saved_at: float = 0.0
    reason: StopReason = StopReason.NONE
    waiting_elsewhere: bool = False

    def settle(
        self, state: DownloadState, error: str = "", reason: StopReason = StopReason.NONE
    ) -> None:
        """A new state, whose error and reason replace the old ones; no longer waiting."""
        self.state, self.error, self.reason = state, error, reason
        self.waiting_elsewhere = False

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def sha256(self) -> str:
        return self.record.sha256

    @property
    def course_id(self) -> str:
        return self.record.course_id

    @property
    def size(self) -> int:
        return self.record.size


@dataclass(frozen=True)
class Selection:
    """The jobs an operation applies to: those meeting every condition given; all if none."""

    course_id: str | None = None
    job_ids: frozenset[int] | None = None
    digests: frozenset[str] | None = None

    @classmethod
    def of(cls, course_id: str | None = None, job_ids: Iterable[int] | None = None) -> Selection:
        return cls(course_id, None if job_ids is None else frozenset(job_ids))

    def __contains__(self, job: LiveJob) -> bool:
        return (
            self.course_id in (None, job.course_id)
            and (self.job_ids is None or job.id in self.job_ids)
            and (self.digests is None or job.sha256 in self.digests)
        )


@dataclass
class QueueState:
    clock: Callable[[], float] = time.monotonic
    jobs: dict[int, LiveJob] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    busy: dict[str, LiveJob] = field(default_factory=dict)  # sha256 being fetched -> its job
    shown: set[str] = field(default_factory=set)  # courses shown although finished

    def put(self, record: JobRecord, bytes_on_disk: int = 0) -> LiveJob:
        """Add or refresh the job of `record`; bytes on disk count as done."""
        finished = record.state == DownloadState.DONE
        done = record.size if finished else min(bytes_on_disk, record.size)
        job = LiveJob(
            record,
            done,
            record.state,
            record.error,
            self.labels.get(record.sha256, record.sha256[:12]),
            RateMeter(clock=self.clock),
        )
        self.jobs[job.id] = job
        return job

    def select(self, which: Selection) -> list[LiveJob]:
        return [job for job in self.jobs.values() if job in which]

    def forget(self, jobs: Iterable[LiveJob]) -> None:
        """Drop the jobs from memory; their courses are no longer shown once finished."""
        for job in jobs:
            self.jobs.pop(job.id, None)
            self.shown.discard(job.course_id)

    def start_meter(self, job: LiveJob) -> None:
        """The job's speed starts afresh as its transfer starts (time spent queued is no
        transfer)."""
        job.meter = RateMeter(clock=self.clock)

    def next_queued(self, scope: Set[str] | None = None) -> LiveJob | None:
        """The oldest queued job (of a course in `scope`) whose file nobody is fetching."""
        queued = (
            job
            for job in self.jobs.values()
            if job.state == DownloadState.QUEUED
            and job.sha256 not in self.busy
            and (scope is None or job.course_id in scope)
        )
        return min(queued, key=lambda job: job.id, default=None)

    def others_want(self, sha256: str, excluding: int) -> bool:
        """Whether another job not yet done still needs the partial file of `sha256`."""
        return any(
            job.sha256 == sha256 and job.id != excluding and job.state != DownloadState.DONE
            for job in self.jobs.values()
        )

    def same_file(self, sha256: str) -> list[LiveJob]:
        return [job for job in self.jobs.values() if job.sha256 == sha256]

    def advance(self, job: LiveJob, bytes_done: int) -> None:
        """Record that the job's file now has `bytes_done` bytes on disk."""
        gained = max(bytes_done - job.bytes_done, 0)
        job.bytes_done = bytes_done
        if gained:
            job.meter.add(gained)

    def queued_bytes(self, excluding: Set[str] = frozenset()) -> int:
        """Bytes still to come for queued or running files (each once), but `excluding`."""
        remaining = {
            job.sha256: job.size - job.bytes_done
            for job in self.jobs.values()
            if job.state in LIVE_STATES and job.sha256 not in excluding
        }
        return sum(remaining.values())

    def snapshot(self) -> QueueSnapshot:
        visible = self._visible_courses()
        jobs = tuple(self._status(job) for job in self._ordered() if job.course_id in visible)
        courses = tuple(self._course(cid, jobs) for cid in visible)
        total = combined_speed(jobs)
        left = sum(c.size - c.bytes_done for c in courses if c.state in LIVE_STATES)
        return QueueSnapshot(jobs, courses, total, time_left(left, total))

    def _visible_courses(self) -> list[str]:
        order: dict[str, int] = {}
        for job in self._ordered():
            if job.state != DownloadState.DONE or job.course_id in self.shown:
                order.setdefault(job.course_id, job.id)
        return list(order)

    def _ordered(self) -> list[LiveJob]:
        return sorted(self.jobs.values(), key=lambda job: job.id)

    def _status(self, job: LiveJob) -> JobStatus:
        running = job.state == DownloadState.RUNNING
        speed = job.meter.rate() if running else None
        left = time_left(job.size - job.bytes_done, speed) if running else None
        return JobStatus(
            job.id,
            job.course_id,
            job.sha256,
            job.label,
            job.size,
            job.bytes_done,
            job.state,
            job.error,
            speed,
            left,
            job.reason,
            running and job.waiting_elsewhere,
        )

    def _course(self, course_id: str, jobs: tuple[JobStatus, ...]) -> CourseProgress:
        mine = [job for job in jobs if job.course_id == course_id]
        state = course_state({job.state for job in mine})
        speed = combined_speed(mine) if state in LIVE_STATES else None
        size, done = sum(j.size for j in mine), sum(j.bytes_done for j in mine)
        stopped = next((job for job in mine if job.error), None)
        running = [job for job in mine if job.state == DownloadState.RUNNING]
        return CourseProgress(
            course_id,
            self.titles.get(course_id, course_id),
            size,
            done,
            len(mine),
            sum(1 for job in mine if job.state == DownloadState.DONE),
            state,
            stopped.error if stopped else "",
            speed,
            time_left(size - done, speed) if state in LIVE_STATES else None,
            stopped.reason if stopped else StopReason.NONE,
            bool(running) and all(job.waiting_elsewhere for job in running),
        )


def combined_speed(jobs: Iterable[JobStatus]) -> float | None:
    """The speed of a course (or of everything) as the sum of its files' own speeds, so a
    course row and its file rows never disagree; None while no running file knows its own."""
    speeds = [job.speed for job in jobs if job.speed is not None]
    return sum(speeds) if speeds else None
