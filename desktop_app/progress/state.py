"""Lesson and course state, derived from the log by pure functions over statements.

The rules make the state of a union of logs independent of the order the statements arrived in:
completion never goes back, the best score wins, the resume position is the one in the latest
statement (by time, then by statement id), time spent is the sum of the terminated durations.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop_app.progress.validation import (
    DamagedStatementError,
    lesson_id_of,
    parse_duration,
    statement_id,
    verb_of,
)
from desktop_app.progress.xapi import (
    COMPLETED,
    FAILED,
    PASSED,
    TERMINATED,
    Statement,
    parse_timestamp,
    position_keys,
)

COMPLETING_VERBS = frozenset({COMPLETED, PASSED})
SCORED_VERBS = frozenset({PASSED, FAILED})


@dataclass(frozen=True)
class LessonState:
    lesson_id: str
    completed: bool
    best_score: float | None
    passed: bool
    resume_position: float | None
    time_spent_seconds: float
    attempts: int  # scored quiz attempts (passed or failed statements)
    last_activity_at: datetime | None


@dataclass(frozen=True)
class CourseState:
    course_id: str
    lessons_total: int
    lessons_completed: int
    percent_complete: int  # rounded down: 100 only when every lesson is complete


@dataclass(frozen=True)
class Fact:
    """What one statement says about a lesson, in the terms the state rules need."""

    id: str
    verb: str
    occurred_at: datetime
    position: float | None
    score: float | None
    duration_seconds: float

    @property
    def order(self) -> tuple[datetime, str]:
        return (self.occurred_at, self.id)


def fact_of(statement: Statement) -> Fact:
    """What the statement tells of the lesson; DamagedStatementError if it cannot tell."""
    try:
        return _fact_of(statement)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise DamagedStatementError(f"a stored statement cannot be read: {error!r}") from error


def _fact_of(statement: Statement) -> Fact:
    verb = verb_of(statement)
    result = statement.get("result")
    result = result if isinstance(result, dict) else {}
    return Fact(
        id=statement_id(statement),
        verb=verb,
        occurred_at=parse_timestamp(statement["timestamp"]),
        position=_position(result),
        score=_score(result) if verb in SCORED_VERBS else None,
        duration_seconds=parse_duration(result.get("duration")) if verb == TERMINATED else 0.0,
    )


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def _position(result: dict[str, Any]) -> float | None:
    extensions = result.get("extensions")
    if not isinstance(extensions, dict):
        return None
    for key in position_keys(extensions):
        position = _number(extensions.get(key))
        if position is not None:
            return position
    return None


def _score(result: dict[str, Any]) -> float | None:
    score = result.get("score")
    return _number(score.get("scaled")) if isinstance(score, dict) else None


def lesson_facts(lesson_id: str, statements: Iterable[Statement]) -> list[Fact]:
    """The facts about one lesson, one per statement id, oldest first."""
    facts = {statement_id(s): fact_of(s) for s in statements if lesson_id_of(s) == lesson_id}
    return sorted(facts.values(), key=lambda fact: fact.order)


def lesson_state_from(lesson_id: str, statements: Iterable[Statement]) -> LessonState:
    facts = lesson_facts(lesson_id, statements)
    scores = [fact.score for fact in facts if fact.score is not None]
    positions = [fact.position for fact in facts if fact.position is not None]
    return LessonState(
        lesson_id=lesson_id,
        completed=any(fact.verb in COMPLETING_VERBS for fact in facts),
        best_score=max(scores, default=None),
        passed=any(fact.verb == PASSED for fact in facts),
        resume_position=positions[-1] if positions else None,
        time_spent_seconds=math.fsum(fact.duration_seconds for fact in facts),
        attempts=sum(1 for fact in facts if fact.verb in SCORED_VERBS),
        last_activity_at=facts[-1].occurred_at if facts else None,
    )


def course_state_from(
    course_id: str, lesson_ids: Collection[str], statements: Iterable[Statement]
) -> CourseState:
    """A course's completion: how many of `lesson_ids` the statements show complete."""
    wanted = set(lesson_ids)
    done = {lesson_id_of(s) for s in statements if verb_of(s) in COMPLETING_VERBS} & wanted
    percent = len(done) * 100 // len(wanted) if wanted else 0
    return CourseState(course_id, len(wanted), len(done), percent)


def continue_lesson_from(statements: Iterable[Statement]) -> str | None:
    """The most recently active lesson that is not complete (ties: the greatest id)."""
    latest: dict[str, datetime] = {}
    completed: set[str] = set()
    for statement in statements:
        lesson_id = lesson_id_of(statement)
        if not lesson_id:
            continue
        moment = parse_timestamp(statement["timestamp"])
        latest[lesson_id] = max(moment, latest.get(lesson_id, moment))
        if verb_of(statement) in COMPLETING_VERBS:
            completed.add(lesson_id)
    open_lessons = [
        (moment, lesson) for lesson, moment in latest.items() if lesson not in completed
    ]
    return max(open_lessons)[1] if open_lessons else None
