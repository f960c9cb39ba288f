"""The review queue of one learner's progress log: reading the schedule, recording answers
and pauses as statements (which the outbox uploads like all progress)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desktop_app.models import ProgressEvent
from desktop_app.progress.interactions import choice_response
from desktop_app.progress.log import ProgressLog
from desktop_app.progress.xapi import ANSWERED, COURSE_TYPE, PASSED, LessonRef, Statement
from desktop_app.review.questions import ReviewQuestion
from desktop_app.review.schedule import (
    PAUSED_NAME,
    RESUMED_NAME,
    REVIEW_NAME,
    Schedule,
    schedule_from,
)


class ReviewQueue:
    """The questions to review, derived from the log at each call (a few indexed queries)."""

    def __init__(self, log: ProgressLog) -> None:
        self._log = log

    def schedule(self) -> Schedule:
        with self._log.db.session() as session:
            passed = set(session.scalars(_lessons_with(PASSED)))
            answers = _statements(session, ProgressEvent.verb == ANSWERED) if passed else []
            pauses = _statements(
                session,
                or_(
                    ProgressEvent.verb.endswith("/" + PAUSED_NAME),
                    ProgressEvent.verb.endswith("/" + RESUMED_NAME),
                ),
            )
        return schedule_from(answers, passed, pauses)

    def now(self) -> datetime:
        """The log's clock, which the due dates are compared with."""
        return self._log.now()

    def due_count(self, now: datetime | None = None) -> int:
        return len(self.schedule().due(now or self.now()))

    def answer(self, question: ReviewQuestion, chosen: Iterable[str]) -> bool:
        """Record a review answer; returns whether it was right."""
        picked = frozenset(chosen)
        right = question.is_right(picked)
        builder = self._log.builder
        context = {
            "contextActivities": {"parent": [question.parent], "grouping": [question.grouping]},
            "extensions": {self._extension(REVIEW_NAME): True},
        }
        result = {"response": choice_response(sorted(picked)), "success": right}
        lesson = LessonRef(question.lesson_id, question.course_id, "", "quiz")
        at = self._log.now()
        statement = builder.statement(question.activity, ANSWERED, at, lesson, context, result)
        self._append(statement)
        return right

    def pause(self, course_id: str) -> None:
        self._set_paused(course_id, PAUSED_NAME)

    def resume(self, course_id: str) -> None:
        self._set_paused(course_id, RESUMED_NAME)

    def _set_paused(self, course_id: str, name: str) -> None:
        builder = self._log.builder
        lesson = LessonRef("", course_id, "", "quiz")
        course = {
            "objectType": "Activity",
            "id": builder.course_iri(course_id),
            "definition": {"type": COURSE_TYPE},
        }
        verb = self._extension(f"verbs/{name}")
        statement = builder.statement(course, verb, self._log.now(), lesson, {})
        self._append(statement)

    def _extension(self, name: str) -> str:
        return f"{self._log.builder.extensions_base.rstrip('/')}/{name}"

    def _append(self, statement: Statement) -> None:
        with self._log.db.session() as session:
            self._log.append(session, statement)


def _lessons_with(verb: str) -> Any:
    return select(ProgressEvent.lesson_id).where(ProgressEvent.verb == verb).distinct()


def _statements(session: Session, condition: Any) -> list[Statement]:
    query = select(ProgressEvent.statement_json).where(condition)
    return [json.loads(text) for text in session.scalars(query)]
