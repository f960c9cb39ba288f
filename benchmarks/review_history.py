"""A learner's long review history in a real cache: `QUIZZES` passed quizzes of two questions
in `COURSES` courses, each question answered `ANSWERS_PER_QUESTION` times three days apart
(2,000 answers), and a clock 200 days on, when every question is due. The review benchmark
and the Review page's tests read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from desktop_app.db import Database
from desktop_app.progress import Actor, LessonRef, ProgressLog, activity_base_for
from desktop_app.progress.interactions import answered_statement
from desktop_app.progress.quiz_scoring import Choice, Question

SERVER = "https://rounds.example"
QUIZZES, COURSES, ANSWERS_PER_QUESTION = 50, 5, 20
ANSWERS = QUIZZES * 2 * ANSWERS_PER_QUESTION
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@dataclass
class HistoryClock:
    now: datetime = START + timedelta(days=200)

    def __call__(self) -> datetime:
        return self.now


def course_id(n: int) -> str:
    return f"c-{n % COURSES}"


def course_title(course: str) -> str:
    return f"Course {course.removeprefix('c-')}"


def _questions(quiz: int) -> list[Question]:
    choices = (Choice("a", "Yes"), Choice("b", "No"))
    return [
        Question(f"q{k}", f"Question {k} of quiz {quiz}?", False, choices, frozenset("a"), "")
        for k in (1, 2)
    ]


def history_log(db: Database, clock: HistoryClock | None = None) -> ProgressLog:
    """The learner's log in `db`, on `clock`."""
    actor = Actor(SERVER, "ana", "Ana")
    return ProgressLog(db, actor, activity_base_for(SERVER), clock or HistoryClock())


def review_history(db: Database, clock: HistoryClock | None = None) -> ProgressLog:
    """Writes the history into `db`; returns the learner's log, on `clock`."""
    log = history_log(db, clock)
    with db.session() as session:
        for n in range(QUIZZES):
            lesson = LessonRef(f"l-quiz-{n}", course_id(n), f"Quiz {n}", "quiz")
            for k, question in enumerate(_questions(n)):
                for answer in range(ANSWERS_PER_QUESTION):
                    at = START + timedelta(days=3 * answer, minutes=2 * n + k)
                    chosen = ["b"] if answer % 4 == 0 else ["a"]
                    statement = answered_statement(log.builder, lesson, question, chosen, at)
                    log.append(session, statement)
            log.quiz_result(session, lesson, 1.0, True, {"q1": ["a"], "q2": ["a"]}, at=START)
    return log
