"""What a lesson player tells the progress log, one short unit of work per call.

Media players report their position about every second; the recorder writes a progressed
statement only when the position moved a step (5 s of media, a page, 5 % of scroll, a question)
or the fraction crossed a 10 % milestone, and always writes the last position when the lesson
closes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.orm import Session

from desktop_app.progress.interactions import answered_statement
from desktop_app.progress.quiz_scoring import Quiz
from desktop_app.progress.xapi import LessonRef

if TYPE_CHECKING:
    from desktop_app.progress.log import ProgressLog


class LessonRecorder(Protocol):
    """What a lesson player reports while a learner studies one lesson.

    Each call writes in its own short unit of work on the calling thread (a few small SQLite
    inserts). `progressed` may be called as often as the player likes; `closed` must be called
    when the lesson is left, so the last position is stored.
    """

    @property
    def resume_position(self) -> float: ...  # seconds (media), page index (pdf), scroll fraction

    @property
    def completed(self) -> bool: ...

    def opened(self) -> None: ...  # launched + initialized

    def progressed(self, position: float, fraction: float) -> None: ...  # fraction 0..1 consumed

    def complete(self) -> None: ...  # completed (idempotent: only the first call writes)

    def quiz_scored(
        self, score: float, passed: bool, answers: dict[str, list[str]], quiz: Quiz | None = None
    ) -> None: ...  # with the quiz, each answer too (an answered statement per question)

    def closed(self) -> None: ...  # terminated with the duration since opened


@dataclass(frozen=True)
class Mark:
    """A reported place in a lesson: the resume position and the whole percent consumed."""

    position: float
    percent: int


def mark_of(position: float, fraction: float, previous: Mark | None) -> Mark | None:
    """A clean mark from a player's report, or None if the position is not a number."""
    if not math.isfinite(position):
        return None
    if math.isfinite(fraction):
        percent = round(min(1.0, max(0.0, fraction)) * 100)
    else:
        percent = previous.percent if previous else 0
    return Mark(round(max(0.0, position), 3), percent)


@dataclass(frozen=True)
class Throttle:
    """How far a lesson must move before another progressed statement is written."""

    media_step_seconds: float = 5.0
    page_step: float = 1.0
    scroll_step: float = 0.05
    question_step: float = 1.0
    milestone_percent: int = 10

    def step(self, kind: str) -> float:
        steps = {"pdf": self.page_step, "reading": self.scroll_step, "quiz": self.question_step}
        return steps.get(kind, self.media_step_seconds)

    def due(self, kind: str, written: Mark | None, mark: Mark) -> bool:
        """Whether `mark` is far enough from the last `written` one to be written too."""
        if written is None:
            return True
        if abs(mark.position - written.position) >= self.step(kind) - 1e-9:
            return True
        milestone = max(1, self.milestone_percent)
        return mark.percent // milestone != written.percent // milestone


class StoredLessonRecorder:
    """A `LessonRecorder` that writes to a `ProgressLog`.

    Every call is its own unit of work. A failed write raises and leaves the recorder as it
    was, so the next call (at the latest `closed`) writes the position again.
    """

    def __init__(self, log: ProgressLog, lesson: LessonRef, throttle: Throttle) -> None:
        self._log = log
        self._lesson = lesson
        self._throttle = throttle
        state = log.lesson_state(lesson.lesson_id)
        self._completed = state.completed
        self._stored_position = state.resume_position
        self._reported: Mark | None = None
        self._written: Mark | None = None
        self._opened_at: datetime | None = None

    @property
    def resume_position(self) -> float:
        if self._reported is not None:
            return self._reported.position
        return self._stored_position or 0.0

    @property
    def completed(self) -> bool:
        return self._completed

    def opened(self) -> None:
        at = self._log.now()
        with self._log.db.session() as session:
            self._log.launched(session, self._lesson, at=at)
            self._log.initialized(session, self._lesson)
        self._opened_at = at

    def progressed(self, position: float, fraction: float) -> None:
        mark = mark_of(position, fraction, self._reported)
        if mark is None:
            return
        self._reported = mark
        if self._throttle.due(self._lesson.kind, self._written, mark):
            with self._log.db.session() as session:
                self._write_mark(session, mark)
            self._written = mark

    def complete(self) -> None:
        if self._completed:
            return
        with self._log.db.session() as session:
            self._log.completed(session, self._lesson)
        self._completed = True

    def quiz_scored(
        self, score: float, passed: bool, answers: dict[str, list[str]], quiz: Quiz | None = None
    ) -> None:
        """The attempt's answers (one answered statement per answered question, when the quiz
        is given) and its score, in one unit of work."""
        out_of = len(quiz.questions) if quiz else 0
        with self._log.db.session() as session:
            if quiz is not None:
                self._write_answers(session, quiz, answers)
            self._log.quiz_result(session, self._lesson, score, passed, answers, out_of=out_of)
            if passed and not self._completed:
                self._log.completed(session, self._lesson)
        self._completed = self._completed or passed

    def closed(self) -> None:
        """Write the last reported position if it is not stored yet, then terminated."""
        unwritten = self._reported if self._reported != self._written else None
        with self._log.db.session() as session:
            if unwritten is not None:
                self._write_mark(session, unwritten)
            if self._opened_at is not None:
                elapsed = (self._log.now() - self._opened_at).total_seconds()
                self._log.terminated(session, self._lesson, max(0.0, elapsed))
        self._written = self._reported
        self._opened_at = None

    def _write_answers(self, session: Session, quiz: Quiz, answers: dict[str, list[str]]) -> None:
        """An answered statement for each question answered, in the quiz's order."""
        for question in quiz.questions:
            chosen = answers.get(question.id)
            if chosen:
                at = self._log.now()
                builder = self._log.builder
                statement = answered_statement(builder, self._lesson, question, chosen, at)
                self._log.append(session, statement)

    def _write_mark(self, session: Session, mark: Mark) -> None:
        self._log.progressed(session, self._lesson, mark.position, mark.percent / 100)
