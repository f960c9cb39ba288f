"""The learner's own record, as the Progress page shows it: each course begun (completion, time
spent, when it was completed), every quiz attempt with its score, and how ready each residency
is (the rows of that come from `desktop_app.residency`, which this layer cannot import).

Time spent is what the players recorded: the duration of each `terminated` statement, summed
per course. Read in one short session, so it may run on any thread.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.db import Database
from desktop_app.models import Course, Lesson, ProgressEvent
from desktop_app.progress.state import COMPLETING_VERBS, SCORED_VERBS, Fact, fact_of
from desktop_app.progress.xapi import PASSED, TERMINATED

OVERVIEW_VERBS = COMPLETING_VERBS | SCORED_VERBS | {TERMINATED}


@dataclass(frozen=True)
class CourseProgressRow:
    """One course the learner has begun."""

    course_id: str
    title: str
    lessons_total: int
    lessons_completed: int
    time_spent_seconds: float
    last_activity_at: datetime
    completed_at: datetime | None  # when the last lesson was completed, if all are

    @property
    def percent(self) -> int:
        """Rounded down: 100 only when every lesson is complete."""
        if self.lessons_total <= 0:
            return 0
        return min(100, self.lessons_completed * 100 // self.lessons_total)


@dataclass(frozen=True)
class QuizAttemptRow:
    id: str
    lesson_id: str
    quiz_title: str
    course_title: str
    score: float | None  # scaled, 0…1
    passed: bool
    occurred_at: datetime


@dataclass(frozen=True)
class ReadinessRow:
    """One residency: how many of the online courses it expects are done."""

    residency_id: str
    title: str
    starts_at: datetime  # UTC
    timezone: str  # the venue's
    done: int
    total: int
    past: bool

    @property
    def ready(self) -> bool:
        return self.done >= self.total


@dataclass(frozen=True)
class LearnerOverview:
    courses: tuple[CourseProgressRow, ...]
    attempts: tuple[QuizAttemptRow, ...]
    readiness: tuple[ReadinessRow, ...]

    @property
    def time_spent_seconds(self) -> float:
        return math.fsum(row.time_spent_seconds for row in self.courses)

    @property
    def courses_completed(self) -> int:
        return sum(1 for row in self.courses if row.completed_at is not None)


Readiness = Callable[[], Sequence[ReadinessRow]]


@dataclass(frozen=True)
class _Event:
    lesson_id: str
    course_id: str
    fact: Fact


class LearnerProgress:
    """Reads the learner's record from the progress log and the cached catalog."""

    def __init__(self, db: Database, readiness: Readiness | None = None) -> None:
        self._db = db
        self._readiness = readiness or _no_residencies

    def overview(self) -> LearnerOverview:
        with self._db.session() as session:
            events = _events(session)
            course_ids = sorted({event.course_id for event in events})
            courses = _course_titles(session, course_ids)
            lessons = _lessons(session, course_ids)
        rows = [_course_row(cid, title, events, lessons) for cid, title in courses.items()]
        rows.sort(key=lambda row: row.last_activity_at, reverse=True)
        attempts = _attempts(events, courses, lessons)
        return LearnerOverview(tuple(rows), attempts, tuple(self._readiness()))


def _no_residencies() -> Sequence[ReadinessRow]:
    return ()


def _events(session: Session) -> list[_Event]:
    query = select(
        ProgressEvent.lesson_id, ProgressEvent.course_id, ProgressEvent.statement_json
    ).where(ProgressEvent.verb.in_(OVERVIEW_VERBS), ProgressEvent.course_id != "")
    events = []
    for lesson_id, course_id, text in session.execute(query):
        try:
            events.append(_Event(lesson_id, course_id, fact_of(json.loads(text))))
        except (ValueError, KeyError, TypeError):  # a damaged statement is left out
            continue
    return events


def _course_titles(session: Session, course_ids: Iterable[str]) -> dict[str, str]:
    """Courses still in the catalog; progress in a withdrawn course is not shown."""
    query = select(Course.id, Course.title).where(Course.id.in_(list(course_ids)))
    return {course_id: title for course_id, title in session.execute(query)}


def _lessons(session: Session, course_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """lesson id -> (course id, title) for the courses' cached lessons."""
    query = select(Lesson.id, Lesson.course_id, Lesson.title).where(
        Lesson.course_id.in_(list(course_ids))
    )
    return {lesson_id: (course_id, title) for lesson_id, course_id, title in session.execute(query)}


def _course_row(
    course_id: str, title: str, events: list[_Event], lessons: dict[str, tuple[str, str]]
) -> CourseProgressRow:
    mine = [event for event in events if event.course_id == course_id]
    wanted = {lesson for lesson, (course, _title) in lessons.items() if course == course_id}
    first_done = _first_completions(mine, wanted)
    complete = bool(wanted) and len(first_done) == len(wanted)
    return CourseProgressRow(
        course_id,
        title,
        len(wanted),
        len(first_done),
        math.fsum(event.fact.duration_seconds for event in mine),
        max(event.fact.occurred_at for event in mine),
        max(first_done.values()) if complete else None,
    )


def _first_completions(events: list[_Event], wanted: set[str]) -> dict[str, datetime]:
    """lesson id -> when it was first completed, for the lessons of `wanted` that are."""
    done: dict[str, datetime] = {}
    for event in events:
        if event.lesson_id in wanted and event.fact.verb in COMPLETING_VERBS:
            moment = event.fact.occurred_at
            done[event.lesson_id] = min(moment, done.get(event.lesson_id, moment))
    return done


def _attempts(
    events: list[_Event], courses: dict[str, str], lessons: dict[str, tuple[str, str]]
) -> tuple[QuizAttemptRow, ...]:
    """Scored attempts in courses still in the catalog, the latest first."""
    rows = [
        QuizAttemptRow(
            event.fact.id,
            event.lesson_id,
            lessons.get(event.lesson_id, ("", event.lesson_id))[1],
            courses[event.course_id],
            event.fact.score,
            event.fact.verb == PASSED,
            event.fact.occurred_at,
        )
        for event in events
        if event.fact.verb in SCORED_VERBS and event.course_id in courses
    ]
    return tuple(sorted(rows, key=lambda row: (row.occurred_at, row.id), reverse=True))
