"""Qt table models over the frozen rows of the download queue and of the storage report.

Progress arrives several times a second; when the rows are the same items as before, the
models only announce changed data, so a selection survives the updates.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from desktop_app.downloads import CourseProgress, CourseUsage, DownloadState, JobStatus
from desktop_app.downloads.snapshot import WAITING_ELSEWHERE
from desktop_app.downloads.units import format_bytes, format_speed, format_time_left
from desktop_app.views.row_list import Column, FrozenRowsModel

STATE_WORDS = {
    DownloadState.QUEUED: "Waiting",
    DownloadState.RUNNING: "Downloading",
    DownloadState.PAUSED: "Paused",
    DownloadState.FAILED: "Failed",
    DownloadState.DONE: "Downloaded",
}
WAITING_WORDS = WAITING_ELSEWHERE[:1].upper() + WAITING_ELSEWHERE[1:]


def _percent(fraction: float) -> str:
    return f"{fraction:.0%}"


def _amount(row: JobStatus | CourseProgress) -> str:
    return f"{format_bytes(row.bytes_done)} of {format_bytes(row.size)}"


def _words(row: JobStatus | CourseProgress) -> str:
    if row.waiting_elsewhere:
        return WAITING_WORDS
    return STATE_WORDS[row.state]


def _state(row: JobStatus | CourseProgress) -> str:
    return f"{_words(row)}: {row.error}" if row.error else _words(row)


def _course_files(row: CourseProgress) -> str:
    return f"{row.files_done} of {row.files}"


COURSE_COLUMNS: tuple[Column[CourseProgress], ...] = (
    Column("Course", lambda r: r.title),
    Column("Progress", lambda r: _percent(r.fraction), lambda r: r.fraction),
    Column("Downloaded", _amount, align_right=True),
    Column("Files", _course_files, align_right=True),
    Column("Speed", lambda r: format_speed(r.speed), align_right=True),
    Column("Time left", lambda r: format_time_left(r.seconds_left)),
    Column("Status", _words, tooltip=_state),
)

JOB_COLUMNS: tuple[Column[JobStatus], ...] = (
    Column("File", lambda r: r.label),
    Column("Progress", lambda r: _percent(r.fraction), lambda r: r.fraction),
    Column("Downloaded", _amount, align_right=True),
    Column("Speed", lambda r: format_speed(r.speed), align_right=True),
    Column("Time left", lambda r: format_time_left(r.seconds_left)),
    Column("Status", _state),
)


def _stored(row: CourseUsage) -> str:
    return f"{row.stored_files} of {row.total_files}"


STORAGE_COLUMNS: tuple[Column[CourseUsage], ...] = (
    Column("Course", lambda r: r.title),
    Column("Files on this computer", _stored, align_right=True),
    Column("Space used", lambda r: format_bytes(r.stored_bytes), align_right=True),
    Column("Shared with other courses", lambda r: str(r.shared_files or ""), align_right=True),
)


def course_progress_model(parent: QObject | None = None) -> FrozenRowsModel[CourseProgress]:
    return FrozenRowsModel(COURSE_COLUMNS, lambda row: row.course_id, parent)


def job_status_model(parent: QObject | None = None) -> FrozenRowsModel[JobStatus]:
    return FrozenRowsModel(JOB_COLUMNS, lambda row: row.job_id, parent)


def storage_model(parent: QObject | None = None) -> FrozenRowsModel[CourseUsage]:
    return FrozenRowsModel(STORAGE_COLUMNS, lambda row: row.course_id, parent)
