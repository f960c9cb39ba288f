"""The progress log: an append-only list of xAPI statements in the local cache.

Statements are written with the caller's session, so they land in the same transaction as the
learner's action. Lesson and course state are derived from the log (see `state`). The upload
side of the log is `queue.OutboxQueue`; merging another device's statements, the union of the
two logs, and progress files are `exchange.ProgressExchange`.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from desktop_app.db import Database
from desktop_app.progress import store
from desktop_app.progress.recorder import LessonRecorder, StoredLessonRecorder, Throttle
from desktop_app.progress.state import (
    COMPLETING_VERBS,
    CourseState,
    LessonState,
    course_state_from,
    lesson_state_from,
)
from desktop_app.progress.validation import statement_problem
from desktop_app.progress.xapi import (
    COMPLETED,
    EARLIER_EXTENSIONS,
    INITIALIZED,
    LAUNCHED,
    TERMINATED,
    Actor,
    LessonRef,
    Statement,
    StatementBuilder,
    format_duration,
    format_timestamp,
    score_result,
    to_millis,
    utc_now,
)
from desktop_app.progress.xapi import FAILED as FAILED_VERB
from desktop_app.progress.xapi import PASSED as PASSED_VERB
from desktop_app.progress.xapi import PROGRESSED as PROGRESSED_VERB

MILLISECOND = timedelta(milliseconds=1)
TIE_WINDOW = timedelta(seconds=1)


class ProgressLog:
    """One learner's progress log in one local cache."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        activity_base: str,
        clock: Callable[[], datetime] = utc_now,
        *,
        throttle: Throttle | None = None,
        extensions_base: str = EARLIER_EXTENSIONS,
        follow: Callable[[], StatementBuilder] | None = None,
    ) -> None:
        """`follow`: the builder of the learner as named now, when that may change while the
        log is open (`identity.FollowedIdentity`); else `actor` and the bases, for good."""
        self.db = db
        self._builder = StatementBuilder(actor, activity_base, extensions_base)
        self._follow = follow
        self.throttle = throttle or Throttle()
        self._clock = clock
        self._last_stamp: datetime | None = None
        self._stamp_lock = threading.Lock()

    @property
    def builder(self) -> StatementBuilder:
        """Builds statements naming the learner as the server names them now."""
        return self._builder if self._follow is None else self._follow()

    @property
    def actor(self) -> Actor:
        return self.builder.actor

    def now(self) -> datetime:
        """The clock, in UTC milliseconds, never repeating or stepping back by less than 1 s.

        Keeps a quick succession of statements in order; a real clock change is left alone.
        """
        moment = to_millis(self._clock())
        with self._stamp_lock:
            last = self._last_stamp
            if last is not None and last - TIE_WINDOW < moment <= last:
                moment = last + MILLISECOND
            self._last_stamp = moment
        return moment

    # Writing

    def append(self, session: Session, statement: Statement, origin: str = "local") -> str:
        """Add a statement (id, actor and timestamp filled in if missing); returns its id."""
        actor = self.actor
        complete = {
            "id": str(uuid.uuid4()),
            "actor": actor.to_xapi(),
            **statement,
        }
        complete.setdefault("timestamp", format_timestamp(self.now()))
        problem = statement_problem(complete, actor)
        if problem:
            raise ValueError(f"not a statement the progress log can hold: {problem}")
        return store.insert_statement(session, complete, origin, uploaded_at=None)

    def _record(
        self,
        session: Session,
        lesson: LessonRef,
        verb: str,
        result: dict[str, Any] | None = None,
        at: datetime | None = None,
    ) -> str:
        statement = self.builder.build(lesson, verb, at or self.now(), result)
        return self.append(session, statement)

    def launched(self, session: Session, lesson: LessonRef, *, at: datetime | None = None) -> str:
        return self._record(session, lesson, LAUNCHED, at=at)

    def initialized(
        self, session: Session, lesson: LessonRef, *, at: datetime | None = None
    ) -> str:
        return self._record(session, lesson, INITIALIZED, at=at)

    def progressed(
        self,
        session: Session,
        lesson: LessonRef,
        position: float,
        fraction: float,
        *,
        at: datetime | None = None,
    ) -> str:
        """The learner reached `position` having consumed `fraction` (0..1) of the lesson."""
        result = self.builder.progress_result(lesson.kind, position, fraction)
        return self._record(session, lesson, PROGRESSED_VERB, result, at)

    def completed(self, session: Session, lesson: LessonRef, *, at: datetime | None = None) -> str:
        return self._record(session, lesson, COMPLETED, {"completion": True}, at)

    def quiz_result(
        self,
        session: Session,
        lesson: LessonRef,
        score: float,
        passed: bool,
        answers: dict[str, list[str]],
        *,
        at: datetime | None = None,
        out_of: int = 0,
    ) -> str:
        """Passed or failed, with the scaled score (0..1), the raw one with `out_of` questions,
        and the answers given."""
        verb = PASSED_VERB if passed else FAILED_VERB
        result = score_result(score, passed, answers, out_of)
        return self._record(session, lesson, verb, result, at)

    def terminated(
        self,
        session: Session,
        lesson: LessonRef,
        duration_seconds: float,
        *,
        at: datetime | None = None,
    ) -> str:
        result = {"duration": format_duration(duration_seconds)}
        return self._record(session, lesson, TERMINATED, result, at)

    def recorder_for(self, lesson: LessonRef) -> LessonRecorder:
        return StoredLessonRecorder(self, lesson, self.throttle)

    # Derived state

    def lesson_state(self, lesson_id: str) -> LessonState:
        with self.db.session() as session:
            statements = store.statements_about(session, [lesson_id])
        return lesson_state_from(lesson_id, statements)

    def course_state(self, course_id: str, lesson_ids: Collection[str]) -> CourseState:
        with self.db.session() as session:
            statements = store.statements_about(session, lesson_ids, COMPLETING_VERBS)
        return course_state_from(course_id, lesson_ids, statements)

    def completed_lessons(self) -> set[str]:
        """Every lesson the log shows completed (one query, for lists of many courses)."""
        with self.db.session() as session:
            return store.completed_lesson_ids(session)

    def continue_where_left_off(self) -> LessonState | None:
        """The state of the most recently active lesson that is not complete, if any."""
        with self.db.session() as session:
            lesson_id = store.continue_candidate(session)
        return self.lesson_state(lesson_id) if lesson_id is not None else None
