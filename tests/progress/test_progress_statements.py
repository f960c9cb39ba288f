"""Statements are xAPI 1.0.3: UUID ids, ADL verbs, ms UTC timestamps, stable activity IRIs."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from progress_samples import PDF, QUIZ, READING, SERVER, VIDEO, FakeClock
from sqlalchemy import select

from desktop_app.models import ProgressEvent
from desktop_app.progress import LessonRef, OutboxQueue, ProgressLog
from desktop_app.progress.validation import parse_duration
from desktop_app.progress.xapi import format_duration

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
ADL = "http://adlnet.gov/expapi/verbs/"
MEDIA_TIME = "https://w3id.org/xapi/video/extensions/time"
PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress"


def stored(log: ProgressLog) -> list[dict[str, Any]]:
    with log.db.session() as session:
        rows = session.scalars(select(ProgressEvent.statement_json).order_by(ProgressEvent.seq))
        return [json.loads(row) for row in rows]


def record_one_of_each(log: ProgressLog, clock: FakeClock) -> None:
    with log.db.session() as session:
        log.launched(session, VIDEO)
        log.initialized(session, VIDEO)
        clock.advance(1.2345)
        log.progressed(session, VIDEO, 12.3456, 0.25)
        log.completed(session, VIDEO)
        log.quiz_result(session, QUIZ, 0.75, False, {"q2": ["b", "a"], "q1": ["c"]})
        log.quiz_result(session, QUIZ, 0.9, True, {"q1": ["a"]})
        log.terminated(session, VIDEO, 3723.456)


def test_every_statement_has_a_uuid_an_adl_verb_and_a_millisecond_utc_timestamp(
    log: ProgressLog, clock: FakeClock
) -> None:
    record_one_of_each(log, clock)
    statements = stored(log)
    assert [s["verb"]["id"].removeprefix(ADL) for s in statements] == [
        "launched", "initialized", "progressed", "completed", "failed", "passed", "terminated",
    ]  # fmt: skip
    for statement in statements:
        assert uuid.UUID(statement["id"]).version == 4
        assert TIMESTAMP.match(statement["timestamp"]), statement["timestamp"]
    assert len({s["id"] for s in statements}) == len(statements)
    assert statements[2]["timestamp"] == "2026-11-20T09:30:01.234Z"


def test_the_actor_is_the_learners_account_on_the_server(
    log: ProgressLog, clock: FakeClock
) -> None:
    record_one_of_each(log, clock)
    for statement in stored(log):
        assert statement["actor"] == {
            "objectType": "Agent",
            "name": "Ana Ortiz",
            "account": {"homePage": SERVER, "name": "ana"},
        }


def test_lessons_are_activities_under_the_base_with_their_course_as_parent(
    log: ProgressLog, clock: FakeClock
) -> None:
    record_one_of_each(log, clock)
    video, quiz = stored(log)[0], stored(log)[4]
    assert video["object"]["id"] == f"{SERVER}/activities/lesson/l-intro"
    assert video["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/lesson"
    assert quiz["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/assessment"
    parent = video["context"]["contextActivities"]["parent"]
    assert parent == [
        {
            "objectType": "Activity",
            "id": f"{SERVER}/activities/course/c-foundations",
            "definition": {"type": "http://adlnet.gov/expapi/activities/course"},
        }
    ]


def test_results_carry_position_progress_score_response_and_duration(
    log: ProgressLog, clock: FakeClock
) -> None:
    record_one_of_each(log, clock)
    statements = stored(log)
    assert statements[2]["result"]["extensions"] == {MEDIA_TIME: 12.346, PROGRESS: 25}
    assert statements[3]["result"] == {"completion": True}
    failed = statements[4]["result"]
    assert failed["score"] == {"scaled": 0.75} and failed["success"] is False
    assert json.loads(failed["response"]) == {"q1": ["c"], "q2": ["a", "b"]}
    assert statements[5]["result"]["success"] is True
    assert statements[6]["result"] == {"duration": "PT1H2M3.46S"}


@pytest.mark.parametrize(
    ("lesson", "extension"),
    [
        (PDF, "https://rounds.example/xapi/extensions/page"),
        (READING, "https://rounds.example/xapi/extensions/scroll"),
        (QUIZ, "https://rounds.example/xapi/extensions/question"),
    ],
)
def test_each_kind_of_lesson_keeps_its_position_in_its_own_extension(
    log: ProgressLog, lesson: Any, extension: str
) -> None:
    with log.db.session() as session:
        log.progressed(session, lesson, 3, 1.7)
    assert stored(log)[0]["result"]["extensions"] == {extension: 3, PROGRESS: 100}


def test_a_clock_in_another_zone_is_written_in_utc(log: ProgressLog, clock: FakeClock) -> None:
    clock.moment = datetime(2026, 11, 20, 11, 0, 0, 999_999, tzinfo=timezone(timedelta(hours=2)))
    with log.db.session() as session:
        log.launched(session, VIDEO)
    assert stored(log)[0]["timestamp"] == "2026-11-20T09:00:00.999Z"


def test_statements_in_quick_succession_keep_their_order(log: ProgressLog) -> None:
    with log.db.session() as session:
        for position in range(5):
            log.progressed(session, VIDEO, position, 0.0)
    times = [s["timestamp"] for s in stored(log)]
    assert times == sorted(times) and len(set(times)) == 5


def test_a_statement_rolls_back_with_the_learners_action(
    log: ProgressLog, queue: OutboxQueue
) -> None:
    with pytest.raises(RuntimeError), log.db.session() as session:
        log.completed(session, VIDEO)
        raise RuntimeError("the action failed")
    assert stored(log) == []
    assert queue.pending_count() == 0


def test_append_fills_in_id_actor_and_time_and_numbers_rows_in_order(log: ProgressLog) -> None:
    statement = {
        "verb": {"id": ADL + "experienced"},
        "object": {"id": f"{SERVER}/activities/lesson/l-x"},
    }
    with log.db.session() as session:
        first = log.append(session, statement)
        second = log.append(session, statement)
    with log.db.session() as session:
        rows = session.scalars(select(ProgressEvent).order_by(ProgressEvent.seq)).all()
    assert [(r.id, r.seq, r.lesson_id, r.origin) for r in rows] == [
        (first, 1, "l-x", "local"),
        (second, 2, "l-x", "local"),
    ]
    assert rows[0].occurred_at == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def test_append_refuses_a_statement_without_a_verb(log: ProgressLog) -> None:
    with pytest.raises(ValueError, match="no verb id"), log.db.session() as session:
        log.append(session, {"object": {"id": "https://rounds.example/activities/lesson/l"}})


def test_a_score_outside_zero_to_one_is_refused(log: ProgressLog) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"), log.db.session() as session:
        log.quiz_result(session, QUIZ, 1.5, True, {})


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "PT0S"), (0.004, "PT0S"), (59.5, "PT59.5S"), (60, "PT1M"), (3600.01, "PT1H0.01S")],
)
def test_durations_are_iso_8601_with_hundredths(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text
    assert parse_duration(text) == pytest.approx(round(seconds, 2))


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("P1DT2H", 93_600), ("PT1.5M", 90), ("P1W", 604_800), ("P1Y", 0), ("PT", 0), ("5", 0)],
)
def test_durations_from_other_clients_are_read_or_counted_as_nothing(
    text: str, seconds: float
) -> None:
    assert parse_duration(text) == seconds


def test_ids_with_reserved_characters_make_valid_iris_and_come_back_intact(
    log: ProgressLog,
) -> None:
    odd = LessonRef("l/odd id?#", "c 1/2", "Odd", "video")
    with log.db.session() as session:
        log.completed(session, odd)
    statement = stored(log)[0]
    assert statement["object"]["id"] == f"{SERVER}/activities/lesson/l%2Fodd%20id%3F%23"
    assert log.lesson_state(odd.lesson_id).completed
    with log.db.session() as session:
        row = session.scalars(select(ProgressEvent)).one()
    assert (row.lesson_id, row.course_id) == (odd.lesson_id, odd.course_id)
