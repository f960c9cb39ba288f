"""The review schedule is FSRS replayed over the statement log."""

from __future__ import annotations

import copy
import uuid
from datetime import datetime, timedelta

from fsrs import Card, Rating, Scheduler
from quiz_samples import QUIZ, WRONG

from desktop_app.db import Database
from desktop_app.progress import store
from desktop_app.progress.quiz_scoring import parse_quiz, score_quiz
from desktop_app.progress.xapi import parse_timestamp
from desktop_app.review import ReviewItem, ReviewQueue
from desktop_app.review.schedule import schedule_from

from .learner import OTHER_QUIZ, QUIZ_LESSON, Clock, learner_log, pass_quiz


def test_answers_give_the_intervals_fsrs_computes(db: Database) -> None:
    clock = Clock()
    log = learner_log(db, clock)
    queue = ReviewQueue(log)
    pass_quiz(log)
    quiz_times = {item.question.iri: item.last_answer for item in queue.schedule().items}
    assert len(quiz_times) == 2
    assert queue.due_count() == 0

    answers = [True, False, True, True]  # right, wrong, right, right
    for right in answers:
        item = first_question(queue)
        clock.now = item.due + timedelta(hours=3)
        chosen = ["b"] if right else ["a"]
        assert queue.answer(item.question, chosen) is right

    item = first_question(queue)
    expected = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    card = Card(card_id=7, due=quiz_times[item.question.iri])
    moments = [quiz_times[item.question.iri], *review_times(db)]
    for right, at in zip([True, *answers], moments, strict=True):
        card, _ = expected.review_card(card, Rating.Good if right else Rating.Again, at)
    assert item.reviews == 5
    assert item.due == card.due
    assert item.stability == card.stability


def first_question(queue: ReviewQueue) -> ReviewItem:
    return next(i for i in queue.schedule().items if i.question.iri.endswith("/question/q1"))


def review_times(db: Database) -> list[datetime]:
    """When the review answers were recorded (the statements marked as review)."""
    with db.session() as session:
        statements = store.all_statements(session)
    return [
        parse_timestamp(s["timestamp"])
        for s in statements
        if s.get("context", {}).get("extensions")
    ]


def test_pausing_a_course_hides_its_questions_until_resumed(db: Database) -> None:
    clock = Clock()
    log = learner_log(db, clock)
    queue = ReviewQueue(log)
    pass_quiz(log)
    pass_quiz(log, OTHER_QUIZ)
    clock.advance(timedelta(days=60))
    assert queue.due_count() == 4

    queue.pause("c-privacy")
    assert queue.schedule().paused == {"c-privacy"}
    assert {i.question.course_id for i in queue.schedule().due(clock.now)} == {"c-safety"}
    clock.advance(timedelta(minutes=1))
    queue.resume("c-privacy")
    assert queue.due_count() == 4


def test_a_failed_quiz_puts_nothing_in_the_queue(db: Database) -> None:
    clock = Clock()
    log = learner_log(db, clock)
    quiz = parse_quiz(QUIZ)
    result = score_quiz(quiz, WRONG)
    log.recorder_for(QUIZ_LESSON).quiz_scored(result.score, result.passed, WRONG, quiz)
    assert ReviewQueue(log).schedule().items == ()


def test_unreadable_statements_are_left_out() -> None:
    broken = [{"id": "x", "timestamp": "yesterday"}, {"timestamp": "2026-11-02T09:00:00Z"}]
    schedule = schedule_from(broken, {"l-quiz"}, broken)
    assert schedule.items == () and schedule.paused == frozenset()


def test_answers_about_malformed_questions_are_left_out(db: Database) -> None:
    """A statement from elsewhere whose question cannot be shown or scored leaves the others."""
    log = learner_log(db, Clock())
    pass_quiz(log)
    with db.session() as session:
        [good, *_] = [s for s in store.all_statements(session) if "question" in s["object"]["id"]]
    breakages = [
        ("choices", None),
        ("correctResponsesPattern", [3]),
        ("interactionType", "fill-in"),
        ("type", "http://adlnet.gov/expapi/activities/lesson"),
    ]
    broken = []
    for key, value in breakages:
        statement = copy.deepcopy(good)
        statement["id"] = str(uuid.uuid4())
        statement["object"]["definition"][key] = value
        broken.append(statement)
    no_success = copy.deepcopy(good) | {"id": str(uuid.uuid4()), "result": {"success": "yes"}}
    no_parent = copy.deepcopy(good) | {"id": str(uuid.uuid4()), "context": {}}
    schedule = schedule_from([*broken, no_success, no_parent, good], {"l-quiz"})
    assert [item.reviews for item in schedule.items] == [1]
