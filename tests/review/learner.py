"""A learner's log with a clock the test moves, and a passed quiz in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from quiz_samples import QUIZ as QUIZ_DOCUMENT
from quiz_samples import RIGHT

from desktop_app.db import Database
from desktop_app.progress import Actor, LessonRef, ProgressLog, activity_base_for
from desktop_app.progress.quiz_scoring import parse_quiz, score_quiz

SERVER = "https://rounds.example"
QUIZ_LESSON = LessonRef("l-quiz", "c-privacy", "Check your understanding", "quiz")
OTHER_QUIZ = LessonRef("l-quiz-2", "c-safety", "Safety quiz", "quiz")
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = START
    moments: list[datetime] = field(default_factory=list)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> datetime:
        self.now += delta
        return self.now


def learner_log(db: Database, clock: Clock, home: str = SERVER, name: str = "ana") -> ProgressLog:
    return ProgressLog(db, Actor(home, name, name.title()), activity_base_for(home), clock)


def pass_quiz(log: ProgressLog, lesson: LessonRef = QUIZ_LESSON) -> None:
    quiz = parse_quiz(QUIZ_DOCUMENT)
    result = score_quiz(quiz, RIGHT)
    log.recorder_for(lesson).quiz_scored(result.score, result.passed, RIGHT, quiz)
