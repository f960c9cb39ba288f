"""What the download queue looks like at one moment: frozen rows for views and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from desktop_app.models.downloads import DownloadState

LIVE_STATES = frozenset({DownloadState.QUEUED, DownloadState.RUNNING})
WAITING_ELSEWHERE = "waiting for another Rounds window/command to finish this file"


class StopReason(StrEnum):
    """Why a file stopped, where a caller acts on the kind and not only on the words: the
    command line exits with NO_SPACE for a full disk. Kept in memory only, like the speed."""

    NONE = ""
    NO_SPACE = "no space"


@dataclass(frozen=True)
class JobStatus:
    """One file of one course."""

    job_id: int
    course_id: str
    sha256: str
    label: str
    size: int
    bytes_done: int
    state: DownloadState
    error: str
    speed: float | None  # bytes per second, moving average; None while unknown
    seconds_left: float | None
    reason: StopReason = StopReason.NONE
    waiting_elsewhere: bool = False  # running, but another process holds the file's lock

    @property
    def fraction(self) -> float:
        return 1.0 if self.size <= 0 else min(self.bytes_done / self.size, 1.0)


@dataclass(frozen=True)
class CourseProgress:
    """Every file one course asked for, added up."""

    course_id: str
    title: str
    size: int
    bytes_done: int
    files: int
    files_done: int
    state: DownloadState  # running, queued, failed, paused or done
    error: str  # the first error among its files
    speed: float | None
    seconds_left: float | None
    reason: StopReason = StopReason.NONE  # that error's
    waiting_elsewhere: bool = False  # every running file waits for another process

    @property
    def fraction(self) -> float:
        return 1.0 if self.size <= 0 else min(self.bytes_done / self.size, 1.0)


@dataclass(frozen=True)
class QueueSnapshot:
    jobs: tuple[JobStatus, ...] = ()
    courses: tuple[CourseProgress, ...] = ()
    speed: float | None = None
    seconds_left: float | None = None

    @property
    def size(self) -> int:
        return sum(course.size for course in self.courses)

    @property
    def bytes_done(self) -> int:
        return sum(course.bytes_done for course in self.courses)

    @property
    def fraction(self) -> float:
        return 1.0 if self.size <= 0 else min(self.bytes_done / self.size, 1.0)

    @property
    def active(self) -> bool:
        """True while a file is queued or downloading."""
        return any(job.state in LIVE_STATES for job in self.jobs)

    def course(self, course_id: str) -> CourseProgress | None:
        return next((c for c in self.courses if c.course_id == course_id), None)

    def jobs_of(self, course_id: str) -> tuple[JobStatus, ...]:
        return tuple(job for job in self.jobs if job.course_id == course_id)


def course_state(states: set[DownloadState]) -> DownloadState:
    """The state a course shows for the states of its files."""
    for state in (
        DownloadState.RUNNING,
        DownloadState.QUEUED,
        DownloadState.FAILED,
        DownloadState.PAUSED,
    ):
        if state in states:
            return state
    return DownloadState.DONE
