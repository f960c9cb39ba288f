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


def _tr(text: str, number: int = -1) -> str:
    return QCoreApplication.translate("LearnerRecord", text, "", number)


def percent_text(percent: int) -> str:
    return _tr("{percent}%").format(percent=QLocale().toString(percent))


def duration_text(seconds: float) -> str:
    """ "1 h 05 min", "12 min", "less than a minute"; a dash when nothing was recorded."""
    if seconds <= 0:
        return NO_VALUE
    minutes = round(seconds / 60)
    if minutes < 1:
        return _tr("less than a minute")
    hours, minutes = divmod(minutes, 60)
    if hours == 0:
        return _tr("%n min", minutes)
    return _tr("{hours} h {minutes} min").format(hours=hours, minutes=f"{minutes:02d}")


def lessons_text(done: int, total: int) -> str:
    return _tr("{done} of %n lessons", total).format(done=QLocale().toString(done))


def local_day(moment: datetime | None) -> str:
    if moment is None:
        return NO_VALUE
    return format_date(moment.astimezone().date())


def local_moment(moment: datetime) -> str:
    return format_date_time(moment.astimezone())


def _course_columns() -> list[Column[CourseProgressRow]]:
    return [
        Column[CourseProgressRow](_tr("Course"), lambda row: row.title),
        Column[CourseProgressRow](
            _tr("Completion"),
            lambda row: percent_text(row.percent),
            fraction=lambda row: row.percent / 100,
        ),
        Column[CourseProgressRow](
            _tr("Lessons done"), lambda row: lessons_text(row.lessons_completed, row.lessons_total)
        ),
        Column[CourseProgressRow](
            _tr("Time spent"), lambda row: duration_text(row.time_spent_seconds), align_right=True
        ),
        Column[CourseProgressRow](_tr("Completed"), lambda row: local_day(row.completed_at)),
    ]


class CourseProgressModel(FrozenRowsModel[CourseProgressRow]):
    """Each course begun, the most recently active first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(_course_columns(), lambda row: row.course_id, parent)


def score_text(row: QuizAttemptRow) -> str:
    return NO_VALUE if row.score is None else percent_text(round(row.score * 100))


def result_text(row: QuizAttemptRow) -> str:
    return _tr("Passed") if row.passed else _tr("Not passed")


def _attempt_columns() -> list[Column[QuizAttemptRow]]:
    return [
        Column[QuizAttemptRow](_tr("Quiz"), lambda row: row.quiz_title),
        Column[QuizAttemptRow](_tr("Course"), lambda row: row.course_title),
        Column[QuizAttemptRow](_tr("Score"), score_text, align_right=True),
        Column[QuizAttemptRow](_tr("Result"), result_text),
        Column[QuizAttemptRow](_tr("When"), lambda row: local_moment(row.occurred_at)),
    ]


class QuizAttemptModel(FrozenRowsModel[QuizAttemptRow]):
    """Every scored attempt, the latest first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(_attempt_columns(), lambda row: row.id, parent)


def venue_day(row: ReadinessRow) -> str:
    return format_date(row.starts_at.astimezone(venue_zone(row.timezone)).date())


def readiness_text(row: ReadinessRow) -> str:
    if row.total == 0:
        return _tr("No online courses required")
    return _tr("{done} of %n courses done", row.total).format(done=QLocale().toString(row.done))


def readiness_state(row: ReadinessRow) -> str:
    if row.past:
        return _tr("Past")
    if row.ready:
        return _tr("Ready")
    return _tr("%n to finish", row.total - row.done)


def _readiness_columns() -> list[Column[ReadinessRow]]:
    return [
        Column[ReadinessRow](_tr("Residency"), lambda row: row.title),
        Column[ReadinessRow](_tr("Day (venue)"), venue_day),
        Column[ReadinessRow](_tr("Prerequisites"), readiness_text),
        Column[ReadinessRow](_tr("Status"), readiness_state),
    ]


class ReadinessModel(FrozenRowsModel[ReadinessRow]):
    """Each residency, upcoming first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(_readiness_columns(), lambda row: row.residency_id, parent)
