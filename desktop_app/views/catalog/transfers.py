"""What the download queue means for one course's page: each lesson's files as they land, and
whether the course is downloading."""

from __future__ import annotations

from collections.abc import Iterable

from desktop_app.catalog.rows import DOWNLOADED, PARTLY_DOWNLOADED, LessonRow
from desktop_app.downloads import DownloadState, JobStatus, QueueSnapshot
from desktop_app.downloads.snapshot import LIVE_STATES

_FIRST_SAID = (
    DownloadState.DONE,
    DownloadState.RUNNING,
    DownloadState.QUEUED,
    DownloadState.PAUSED,
    DownloadState.FAILED,
)
"""Of the jobs of one file (one per course that asked for it), the state that counts first:
a file stored for any course is stored for all."""


def file_states(jobs: Iterable[JobStatus]) -> dict[str, DownloadState]:
    states: dict[str, DownloadState] = {}
    for job in jobs:
        known = states.get(job.sha256)
        if known is None or _FIRST_SAID.index(job.state) < _FIRST_SAID.index(known):
            states[job.sha256] = job.state
    return states


def lesson_transfers(lessons: Iterable[LessonRow], jobs: Iterable[JobStatus]) -> dict[str, str]:
    """Lesson id -> its offline state now, for lessons whose missing files are in the queue:
    downloaded once every one has landed, else the state of the busiest of them."""
    files = file_states(jobs)
    states: dict[str, str] = {}
    for lesson in lessons:
        queued = [files[sha] for sha in lesson.missing if sha in files]
        if not queued:
            continue
        if len(queued) == len(lesson.missing) and set(queued) == {DownloadState.DONE}:
            states[lesson.id] = DOWNLOADED
            continue
        waiting = [state for state in _FIRST_SAID[1:] if state in queued]
        states[lesson.id] = waiting[0] if waiting else PARTLY_DOWNLOADED
    return states


def course_downloading(snapshot: QueueSnapshot, course_id: str) -> bool:
    progress = snapshot.course(course_id)
    return progress is not None and progress.state in LIVE_STATES
