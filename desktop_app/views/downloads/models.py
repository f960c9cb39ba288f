"""Qt table models over the frozen rows of the download queue and of the storage report.

Progress arrives several times a second; when the rows are the same items as before, the
models only announce changed data, so a selection survives the updates. Headers and state
words are `translate` templates (the columns are built before a translator is installed);
the model shows them in the window's language.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QObject

from desktop_app.downloads import CourseProgress, CourseUsage, DownloadState, JobStatus
from desktop_app.text import translate
from desktop_app.views.i18n import format_number, format_size, localized
from desktop_app.views.row_list import Column, FrozenRowsModel

STATE_WORDS = {
    DownloadState.QUEUED: translate("DownloadTables", "Waiting"),
    DownloadState.RUNNING: translate("DownloadTables", "Downloading"),
    DownloadState.PAUSED: translate("DownloadTables", "Paused"),
    DownloadState.FAILED: translate("DownloadTables", "Failed"),
    DownloadState.DONE: translate("DownloadTables", "Downloaded"),
}
WAITING_WORDS = translate(
    "DownloadTables", "Waiting for another Rounds window or command to finish it"
)
STATE_WITH_REASON = translate("DownloadTables", "{state}: {reason}")


def _percent(fraction: float) -> str:
    return QCoreApplication.translate("DownloadTables", "{percent} %").format(
        percent=format_number(fraction * 100)
    )


def _amount(row: JobStatus | CourseProgress) -> str:
    return QCoreApplication.translate("DownloadTables", "{done} of {size}").format(
        done=format_size(row.bytes_done), size=format_size(row.size)
    )


def speed_words(bytes_per_second: float | None) -> str:
    if bytes_per_second is None:
        return ""
    speed = format_size(round(bytes_per_second))
    return QCoreApplication.translate("DownloadTables", "{speed}/s").format(speed=speed)


def time_left_words(seconds: float | None) -> str:
    """`about 8 s left`, `about 3 min left`, `about 1 h 05 min left`; empty when unknown."""
    if seconds is None or not math.isfinite(seconds):
        return ""
    whole = max(round(seconds), 0)
    if whole < 60:
        return QCoreApplication.translate("DownloadTables", "about {seconds} s left").format(
            seconds=format_number(whole)
        )
    minutes = math.ceil(whole / 60)
    if minutes < 60:
        return QCoreApplication.translate("DownloadTables", "about {minutes} min left").format(
            minutes=format_number(minutes)
        )
    return QCoreApplication.translate(
        "DownloadTables", "about {hours} h {minutes} min left"
    ).format(hours=format_number(minutes // 60), minutes=f"{minutes % 60:02d}")


def _words(row: JobStatus | CourseProgress) -> str:
    if row.waiting_elsewhere:
        return WAITING_WORDS
    return STATE_WORDS[row.state]


def _state(row: JobStatus | CourseProgress) -> str:
    if not row.error:
        return _words(row)
    return STATE_WITH_REASON.format(state=_words(row), reason=row.error)


def _course_files(row: CourseProgress) -> str:
    return QCoreApplication.translate("DownloadTables", "{done} of {files}").format(
        done=format_number(row.files_done), files=format_number(row.files)
    )


COURSE_COLUMNS: tuple[Column[CourseProgress], ...] = (
    Column(translate("DownloadTables", "Course"), lambda r: r.title),
    Column(
        translate("DownloadTables", "Progress"),
        lambda r: _percent(r.fraction),
        lambda r: r.fraction,
    ),
    Column(translate("DownloadTables", "Downloaded"), _amount, align_right=True),
    Column(translate("DownloadTables", "Files"), _course_files, align_right=True),
    Column(translate("DownloadTables", "Speed"), lambda r: speed_words(r.speed), align_right=True),
    Column(translate("DownloadTables", "Time left"), lambda r: time_left_words(r.seconds_left)),
    Column(translate("DownloadTables", "Status"), _words, tooltip=_state),
)

JOB_COLUMNS: tuple[Column[JobStatus], ...] = (
    Column(translate("DownloadTables", "Lesson"), lambda r: r.label),
    Column(
        translate("DownloadTables", "Progress"),
        lambda r: _percent(r.fraction),
        lambda r: r.fraction,
    ),
    Column(translate("DownloadTables", "Downloaded"), _amount, align_right=True),
    Column(translate("DownloadTables", "Speed"), lambda r: speed_words(r.speed), align_right=True),
    Column(translate("DownloadTables", "Time left"), lambda r: time_left_words(r.seconds_left)),
    Column(translate("DownloadTables", "Status"), _state),  # elided, whole in its tooltip
)


def _stored(row: CourseUsage) -> str:
    return QCoreApplication.translate("DownloadTables", "{done} of {files}").format(
        done=format_number(row.stored_files), files=format_number(row.total_files)
    )


def _shared(row: CourseUsage) -> str:
    return format_number(row.shared_files) if row.shared_files else ""


STORAGE_COLUMNS: tuple[Column[CourseUsage], ...] = (
    Column(translate("DownloadTables", "Course"), lambda r: r.title),
    Column(translate("DownloadTables", "Files on this computer"), _stored, align_right=True),
    Column(
        translate("DownloadTables", "Space used"),
        lambda r: format_size(r.stored_bytes),
        align_right=True,
    ),
    Column(translate("DownloadTables", "Shared with other courses"), _shared, align_right=True),
)


def course_progress_model(parent: QObject | None = None) -> FrozenRowsModel[CourseProgress]:
    return FrozenRowsModel(COURSE_COLUMNS, lambda row: row.course_id, parent)


def job_status_model(parent: QObject | None = None) -> FrozenRowsModel[JobStatus]:
    return FrozenRowsModel(JOB_COLUMNS, lambda row: row.job_id, parent)


def storage_model(parent: QObject | None = None) -> FrozenRowsModel[CourseUsage]:
    return FrozenRowsModel(STORAGE_COLUMNS, lambda row: row.course_id, parent)


def _widest(words: Mapping[DownloadState, str]) -> str:
    return max((localized(word) for word in words.values()), key=len)


def column_samples() -> list[str]:
    """The widest text each column of the course table is likely to show, in the window's
    language ("" for the title and the progress bar)."""
    amount = QCoreApplication.translate("DownloadTables", "{done} of {size}").format(
        done=format_size(888_800_000), size=format_size(888_800_000)
    )
    files = QCoreApplication.translate("DownloadTables", "{done} of {files}").format(
        done="888", files="888"
    )
    speed = speed_words(888_800_000)
    left = max((time_left_words(s) for s in (59, 3540, 35_940)), key=len)
    return ["", "", amount, files, speed, left, _widest(STATE_WORDS)]


def job_column_samples() -> list[str]:
    """The same for the lesson table (no file count)."""
    course = column_samples()
    return course[:3] + course[4:]
