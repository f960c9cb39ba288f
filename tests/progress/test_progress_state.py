"""Lesson and course state derived from the log: the rules a learner relies on."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from progress_samples import PDF, QUIZ, READING, START, VIDEO, FakeClock

from desktop_app.progress import (
    Actor,
    LessonState,
    OutboxQueue,
    ProgressLog,
    continue_lesson_from,
    course_state_from,
    lesson_state_from,
)
from desktop_app.progress.xapi import (
    COMPLETED,
    PROGRESSED,
    TERMINATED,
    StatementBuilder,
    progress_result,
)

LESSONS = [VIDEO.lesson_id, READING.lesson_id, PDF.lesson_id, QUIZ.lesson_id]


def test_a_lesson_nobody_opened_has_an_empty_state(log: ProgressLog) -> None:
    assert log.lesson_state("l-none") == LessonState(
        "l-none", False, None, False, None, 0.0, 0, None
    )
    assert log.continue_where_left_off() is None


def test_completion_never_goes_back(log: ProgressLog, clock: FakeClock) -> None:
    with log.db.session() as session:
        log.completed(session, VIDEO)
    clock.advance(60)
    with log.db.session() as session:
        log.launched(session, VIDEO)
        log.progressed(session, VIDEO, 3.0, 0.05)
    assert log.lesson_state(VIDEO.lesson_id).completed


def test_the_best_score_wins_and_a_later_fail_keeps_the_pass(
    log: ProgressLog, clock: FakeClock
) -> None:
    for score, passed in [(0.5, False), (0.9, True), (0.6, False)]:
        clock.advance(10)
        with log.db.session() as session:
            log.quiz_result(session, QUIZ, score, passed, {"q1": ["a"]})
    state = log.lesson_state(QUIZ.lesson_id)
    assert (state.best_score, state.passed, state.completed, state.attempts) == (0.9, True, True, 3)


def test_a_failed_quiz_is_neither_passed_nor_complete(log: ProgressLog) -> None:
    with log.db.session() as session:
        log.quiz_result(session, QUIZ, 0.4, False, {"q1": ["b"]})
    state = log.lesson_state(QUIZ.lesson_id)
    assert (state.best_score, state.passed, state.completed) == (0.4, False, False)


def test_the_resume_position_is_the_latest_by_time_not_by_arrival(
    log: ProgressLog, clock: FakeClock
) -> None:
    with log.db.session() as session:
        log.progressed(session, VIDEO, 90.0, 0.5, at=START + timedelta(minutes=5))
        log.progressed(session, VIDEO, 30.0, 0.2, at=START + timedelta(minutes=1))
    assert log.lesson_state(VIDEO.lesson_id).resume_position == 90.0


def test_a_tie_in_time_is_broken_by_statement_id(log: ProgressLog) -> None:
    builder = log.builder
    first = builder.build(VIDEO, PROGRESSED, START, progress_result("video", 10.0, 0.1))
    second = builder.build(VIDEO, PROGRESSED, START, progress_result("video", 20.0, 0.2))
    first["id"] = "00000000-0000-4000-8000-000000000002"
    second["id"] = "00000000-0000-4000-8000-000000000001"
    for order in ([first, second], [second, first]):
        assert lesson_state_from(VIDEO.lesson_id, order).resume_position == 10.0


def test_time_spent_is_the_sum_of_the_sessions(log: ProgressLog, clock: FakeClock) -> None:
    for seconds in (61.25, 120.5, 0.01):
        recorder = log.recorder_for(READING)
        recorder.opened()
        clock.advance(seconds)
        recorder.closed()
    state = log.lesson_state(READING.lesson_id)
    assert state.time_spent_seconds == pytest.approx(181.76)
    assert state.last_activity_at is not None
    drift = state.last_activity_at - (START + timedelta(seconds=181.76))
    assert abs(drift) < timedelta(milliseconds=10)


def test_course_state_counts_the_completed_lessons_it_is_given(log: ProgressLog) -> None:
    with log.db.session() as session:
        log.completed(session, VIDEO)
        log.quiz_result(session, QUIZ, 1.0, True, {})
        log.progressed(session, READING, 0.5, 0.5)
        log.completed(session, VIDEO)
    state = log.course_state("c-foundations", LESSONS)
    assert (state.lessons_total, state.lessons_completed, state.percent_complete) == (4, 2, 50)
    assert log.course_state("c-empty", []).percent_complete == 0


def test_percent_complete_reaches_100_only_when_every_lesson_is_complete() -> None:
    builder = StatementBuilder(Actor("https://x", "ana"), "https://x/activities")
    done = [builder.build(lesson, COMPLETED, START) for lesson in (VIDEO, READING)]
    assert course_state_from("c", ["l-intro", "l-reading", "l-pdf"], done).percent_complete == 66
    assert course_state_from("c", ["l-intro", "l-reading"], done).percent_complete == 100


def test_continue_where_left_off_is_the_latest_incomplete_lesson(
    log: ProgressLog, clock: FakeClock
) -> None:
    for lesson in (READING, PDF, VIDEO):
        clock.advance(30)
        with log.db.session() as session:
            log.progressed(session, lesson, 2.0, 0.3)
    with log.db.session() as session:
        log.completed(session, VIDEO)
    state = log.continue_where_left_off()
    assert state is not None and state.lesson_id == PDF.lesson_id
    assert state.resume_position == 2.0


def test_continue_where_left_off_agrees_with_the_pure_rule(
    log: ProgressLog, queue: OutboxQueue, clock: FakeClock
) -> None:
    with log.db.session() as session:
        log.launched(session, READING)
        log.launched(session, PDF, at=clock())  # the same millisecond: the greater id wins
        log.launched(session, VIDEO, at=clock())
    statements = [json.loads(text) for _, text in queue.pending_batch(10)]
    state = log.continue_where_left_off()
    assert state is not None
    assert state.lesson_id == continue_lesson_from(statements) == READING.lesson_id


def test_time_spent_does_not_depend_on_the_order_statements_arrived_in(log: ProgressLog) -> None:
    sessions = [
        log.builder.build(READING, TERMINATED, START, {"duration": f"PT0.{tenths}S"})
        for tenths in (1, 2, 3)
    ]
    forwards = lesson_state_from(READING.lesson_id, sessions)
    backwards = lesson_state_from(READING.lesson_id, sessions[::-1])
    assert forwards.time_spent_seconds == backwards.time_spent_seconds == 0.6
