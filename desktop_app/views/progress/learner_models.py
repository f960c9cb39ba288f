"""Qt table models over the learner's record (frozen rows from `desktop_app.progress.overview`):
courses begun, quiz attempts, residency readiness; and how their numbers read."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QLocale, QObject

from desktop_app.progress.overview import CourseProgressRow, QuizAttemptRow, ReadinessRow
from desktop_app.residency.times import venue_zone
from desktop_app.views.i18n import format_date, format_date_time
from desktop_app.views.row_list import Column, FrozenRowsModel

COURSE_TITLE, COURSE_COMPLETION = 0, 1
QUIZ_TITLE = 0
READINESS_TITLE = 0
NO_VALUE = "—"


def percent_text(percent: int) -> str:
    return QCoreApplication.translate("LearnerRecord", "{percent}%").format(
        percent=QLocale().toString(percent)
    )


def duration_text(seconds: float) -> str:
    """ "1 h 05 min", "12 min", "less than a minute"; a dash when nothing was recorded."""
    if seconds <= 0:
        return NO_VALUE
    minutes = round(seconds / 60)
    if minutes < 1:
        return QCoreApplication.translate("LearnerRecord", "less than a minute")
    hours, minutes = divmod(minutes, 60)
    if hours == 0:
        return QCoreApplication.translate("LearnerRecord", "%n min", "", minutes)
    return QCoreApplication.translate("LearnerRecord", "{hours} h {minutes} min").format(
        hours=hours, minutes=f"{minutes:02d}"
    )


def lessons_text(done: int, total: int) -> str:
    return QCoreApplication.translate("LearnerRecord", "{done} of %n lessons", "", total).format(
        done=QLocale().toString(done)
    )


def local_day(moment: datetime | None) -> str:
    if moment is None:
        return NO_VALUE
    return format_date(moment.astimezone().date())


def local_moment(moment: datetime) -> str:
    return format_date_time(moment.astimezone())


def _course_columns() -> list[Column[CourseProgressRow]]:
    return [
        Column[CourseProgressRow](
            QCoreApplication.translate("LearnerRecord", "Course"), lambda row: row.title
        ),
        Column[CourseProgressRow](
            QCoreApplication.translate("LearnerRecord", "Completion"),
            lambda row: percent_text(row.percent),
            fraction=lambda row: row.percent / 100,
        ),
        Column[CourseProgressRow](
            QCoreApplication.translate("LearnerRecord", "Lessons done"),
            lambda row: lessons_text(row.lessons_completed, row.lessons_total),
        ),
        Column[CourseProgressRow](
            QCoreApplication.translate("LearnerRecord", "Time spent"),
            lambda row: duration_text(row.time_spent_seconds),
            align_right=True,
        ),
        Column[CourseProgressRow](
            QCoreApplication.translate("LearnerRecord", "Completed"),
            lambda row: local_day(row.completed_at),
        ),
    ]


class CourseProgressModel(FrozenRowsModel[CourseProgressRow]):
    """Each course begun, the most recently active first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(_course_columns(), lambda row: row.course_id, parent)


def score_text(row: QuizAttemptRow) -> str:
    return NO_VALUE if row.score is None else percent_text(round(row.score * 100))


def result_text(row: QuizAttemptRow) -> str:
    return (
        QCoreApplication.translate("LearnerRecord", "Passed")
        if row.passed
        else QCoreApplication.translate("LearnerRecord", "Not passed")
    )


def _attempt_columns() -> list[Column[QuizAttemptRow]]:
    return [
        Column[QuizAttemptRow](
            QCoreApplication.translate("LearnerRecord", "Quiz"), lambda row: row.quiz_title
        ),
        Column[QuizAttemptRow](
            QCoreApplication.translate("LearnerRecord", "Course"), lambda row: row.course_title
        ),
        Column[QuizAttemptRow](
            QCoreApplication.translate("LearnerRecord", "Score"), score_text, align_right=True
        ),
        Column[QuizAttemptRow](QCoreApplication.translate("LearnerRecord", "Result"), result_text),
        Column[QuizAttemptRow](
            QCoreApplication.translate("LearnerRecord", "When"),
            lambda row: local_moment(row.occurred_at),
        ),
    ]


class QuizAttemptModel(FrozenRowsModel[QuizAttemptRow]):
    """Every scored attempt, the latest first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(_attempt_columns(), lambda row: row.id, parent)


def venue_day(row: ReadinessRow) -> str:
    return format_date(row.starts_at.astimezone(venue_zone(row.timezone)).date())


def readiness_text(row: ReadinessRow) -> str:
    if row.total == 0:
        return QCoreApplication.translate("LearnerRecord", "No online courses required")
    return QCoreApplication.translate(
        "LearnerRecord", "{done} of %n courses done", "", row.total
    ).format(done=QLocale().toString(row.done))


def readiness_state(row: ReadinessRow) -> str:
    if row.past:
        return QCoreApplication.translate("LearnerRecord", "Past")
    if row.ready:
        return QCoreApplication.translate("LearnerRecord", "Ready")
    return QCoreApplication.translate("LearnerRecord", "%n to finish", "", row.total - row.done)


def _readiness_columns() -> list[Column[ReadinessRow]]:
    return [
        Column[ReadinessRow](
            QCoreApplication.translate("LearnerRecord", "Residency"), lambda row: row.title
        ),
        Column[ReadinessRow](QCoreApplication.translate("LearnerRecord", "Day (venue)"), venue_day),
        Column[ReadinessRow](
            QCoreApplication.translate("LearnerRecord", "Prerequisites"), readiness_text
        ),
        Column[ReadinessRow](
            QCoreApplication.translate("LearnerRecord", "Status"), readiness_state
        ),
    ]


class ReadinessModel(FrozenRowsModel[ReadinessRow]):
    """Each residency, upcoming first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(_readiness_columns(), lambda row: row.residency_id, parent)
