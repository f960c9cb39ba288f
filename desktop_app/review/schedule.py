"""The review schedule, derived from statements by replaying them through FSRS.

Every answer to a question of a passed quiz, in the quiz or in review, is one FSRS review at
the statement's timestamp, replayed in the order (timestamp, id). The rating comes from
`result.success`: right is Good, wrong is Again. A choice answer is right or wrong, and FSRS's
authors advise pass/fail grading (Again/Good only) when there is no honest self-assessment;
Hard and Easy would need the learner to grade themselves, which a quiz never asks.

The scheduler has no learning steps and no fuzz: the first answer already schedules the
question days ahead (review happens between study days, not within minutes), and without fuzz
every device replaying the same statements computes the same due dates.

`fsrs` is imported when there are answers to replay, so a window with nothing to review (and
the start of every window) never loads it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from desktop_app.progress.validation import course_id_of
from desktop_app.progress.xapi import Statement, parse_timestamp
from desktop_app.review.questions import ReviewQuestion, question_of

if TYPE_CHECKING:
    from fsrs import Card, Rating, Scheduler

PAUSED_NAME = "review-paused"
RESUMED_NAME = "review-resumed"
REVIEW_NAME = "review"


def scheduler() -> Scheduler:
    """The one FSRS scheduler every device uses (default parameters)."""
    from fsrs import Scheduler

    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def rating_for(success: bool) -> Rating:
    from fsrs import Rating

    return Rating.Good if success else Rating.Again


@dataclass(frozen=True)
class ReviewItem:
    """A question in the queue: its FSRS card after every answer so far."""

    question: ReviewQuestion
    due: datetime
    reviews: int
    stability: float
    last_answer: datetime


@dataclass(frozen=True)
class Schedule:
    items: tuple[ReviewItem, ...]
    paused: frozenset[str]  # course ids

    def due(self, now: datetime) -> list[ReviewItem]:
        """The questions due at `now` in courses not paused, the longest overdue first."""
        due = [i for i in self.items if i.due <= now and i.question.course_id not in self.paused]
        return sorted(due, key=lambda item: (item.due, item.question.iri))

    def courses(self) -> list[str]:
        return sorted({item.question.course_id for item in self.items})


def order_key(statement: Statement) -> tuple[datetime, str]:
    return parse_timestamp(statement["timestamp"]), str(statement["id"]).lower()


def schedule_from(
    answers: Iterable[Statement],
    passed_lessons: Collection[str],
    pauses: Iterable[Statement] = (),
) -> Schedule:
    """The schedule of the questions of `passed_lessons` from the answered statements about
    them and the courses' pause and resume statements (the latest of each course wins)."""
    replayed = [
        (question, success, at)
        for (at, _id), statement in _in_order(answers)
        if (question := question_of(statement)) is not None
        and question.lesson_id in passed_lessons
        and (success := _success(statement)) is not None
    ]
    return Schedule(_replay(replayed), paused_courses(pauses))


def _replay(answers: list[tuple[ReviewQuestion, bool, datetime]]) -> tuple[ReviewItem, ...]:
    """Each question's card after its answers, in their order."""
    if not answers:
        return ()
    from fsrs import Card

    cards: dict[str, tuple[ReviewQuestion, Card, int]] = {}
    fsrs = scheduler()
    for question, success, at in answers:
        _, card, count = cards.get(question.iri, (question, Card(card_id=1, due=at), 0))
        card, _log = fsrs.review_card(card, rating_for(success), at)
        cards[question.iri] = (question, card, count + 1)
    return tuple(_item(question, card, count) for question, card, count in cards.values())


def _item(question: ReviewQuestion, card: Card, count: int) -> ReviewItem:
    last = card.last_review or card.due
    return ReviewItem(question, card.due, count, float(card.stability or 0.0), last)


def _in_order(statements: Iterable[Statement]) -> list[tuple[tuple[datetime, str], Statement]]:
    """The statements with a readable timestamp and id, each with its `order_key`, in order."""
    keyed = []
    for statement in statements:
        try:
            keyed.append((order_key(statement), statement))
        except (KeyError, ValueError, OverflowError, TypeError):
            continue
    keyed.sort(key=lambda pair: pair[0])
    return keyed


def _success(statement: Statement) -> bool | None:
    result: Any = statement.get("result")
    success = result.get("success") if isinstance(result, dict) else None
    return success if isinstance(success, bool) else None


def paused_courses(statements: Iterable[Statement]) -> frozenset[str]:
    """Courses whose latest pause or resume statement is a pause."""
    latest: dict[str, bool] = {}
    for _key, statement in _in_order(statements):
        verb = str(statement.get("verb", {}).get("id", ""))
        course = _course_of(statement)
        if course and verb.endswith("/" + PAUSED_NAME):
            latest[course] = True
        elif course and verb.endswith("/" + RESUMED_NAME):
            latest[course] = False
    return frozenset(course for course, paused in latest.items() if paused)


def _course_of(statement: Statement) -> str:
    return course_id_of(statement)
