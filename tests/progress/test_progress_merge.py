"""Merging two devices' logs is their union: same state both ways, nothing lost, no crash."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from progress_samples import PDF, QUIZ, SERVER, START, VIDEO, Device, FakeClock, progress_on
from sqlalchemy import delete, select

from desktop_app.db import Database
from desktop_app.models import ProgressEvent
from desktop_app.progress import (
    Actor,
    LessonRef,
    OutboxQueue,
    ProgressExchange,
    ProgressLog,
    activity_base_for,
    continue_lesson_from,
    lesson_state_from,
    xapi,
)

ANA = Actor(SERVER, "ana", "Ana Ortiz")
LESSONS = [VIDEO, PDF, QUIZ]
VERBS = ["launched", "progressed", "progressed", "completed", "passed", "failed", "terminated"]
PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@dataclass(frozen=True)
class Event:
    """Something the learner did, on device a, device b, or on a and already synced to b."""

    lesson: LessonRef
    verb: str
    at_ms: int
    amount: float
    place: str
    id: uuid.UUID


events = st.lists(
    st.builds(
        Event,
        lesson=st.sampled_from(LESSONS),
        verb=st.sampled_from(VERBS),
        at_ms=st.integers(0, 12).map(lambda n: n * 250),  # coarse, so times often tie
        amount=st.floats(0, 1, allow_nan=False),
        place=st.sampled_from(["a", "b", "both"]),
        id=st.uuids(version=4),
    ),
    max_size=25,
    unique_by=lambda event: event.id,
)


def statement_of(log: ProgressLog, event: Event) -> dict[str, Any]:
    verb = xapi.ADL_VERBS + event.verb
    results: dict[str, dict[str, Any]] = {
        "progressed": xapi.progress_result(event.lesson.kind, event.amount * 600, event.amount),
        "passed": xapi.score_result(event.amount, True, {"q1": ["a"]}),
        "failed": xapi.score_result(event.amount, False, {"q1": ["b"]}),
        "terminated": {"duration": xapi.format_duration(event.amount * 3600)},
    }
    at = START + timedelta(milliseconds=event.at_ms)
    statement = log.builder.build(event.lesson, verb, at, results.get(event.verb))
    statement["id"] = str(event.id)
    return statement


@pytest.fixture(scope="module")
def devices(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Device, ...]]:
    """Two devices of the same learner, reused (emptied) by every generated example."""
    folder = tmp_path_factory.mktemp("devices")
    databases = [Database(folder / f"{name}.sqlite3") for name in "ab"]
    yield tuple(progress_on(db, ANA, FakeClock()) for db in databases)
    for db in databases:
        db.close()


def emptied(*logs: ProgressLog) -> None:
    for log in logs:
        with log.db.session() as session:
            session.execute(delete(ProgressEvent))


def ids_in(log: ProgressLog) -> set[str]:
    with log.db.session() as session:
        return set(session.scalars(select(ProgressEvent.id)))


def uploads_of(device: Device) -> list[dict[str, Any]]:
    """What a device sends to the server (and the other device later pulls)."""
    return [json.loads(text) for _, text in device.queue.pending_batch(10_000)]


def record(a: Device, b: Device, happened: list[Event]) -> list[dict[str, Any]]:
    statements = []
    for event in happened:
        statement = statement_of(a.log, event)
        statements.append(statement)
        with (a if event.place != "b" else b).log.db.session() as session:
            (a if event.place != "b" else b).log.append(session, statement)
        if event.place == "both":
            b.exchange.merge_report([statement])
    return statements


@PROPERTY
@given(happened=events)
def test_two_devices_merged_both_ways_derive_the_same_state(
    devices: tuple[Device, Device], happened: list[Event]
) -> None:
    device_a, device_b = devices
    emptied(device_a.log, device_b.log)
    everything = record(device_a, device_b, happened)
    from_a, from_b = uploads_of(device_a), uploads_of(device_b)
    device_a.exchange.merge_report(from_b)
    device_b.exchange.merge_report(from_a)
    a, b = device_a.log, device_b.log

    assert ids_in(a) == ids_in(b) == {str(event.id) for event in happened}
    for lesson in LESSONS:
        expected = lesson_state_from(lesson.lesson_id, everything)
        assert lesson_state_from(lesson.lesson_id, everything[::-1]) == expected
        assert a.lesson_state(lesson.lesson_id) == b.lesson_state(lesson.lesson_id) == expected
    lesson_ids = [lesson.lesson_id for lesson in LESSONS]
    assert a.course_state("c-foundations", lesson_ids) == b.course_state(
        "c-foundations", lesson_ids
    )
    resumed = [log.continue_where_left_off() for log in (a, b)]
    assert [s.lesson_id if s else None for s in resumed] == [continue_lesson_from(everything)] * 2


@PROPERTY
@given(happened=events)
def test_merging_again_changes_nothing(
    devices: tuple[Device, Device], happened: list[Event]
) -> None:
    a, b = devices
    emptied(a.log, b.log)
    record(a, b, happened)
    from_b = uploads_of(b)
    a.exchange.merge_report(from_b)
    before = {lesson.lesson_id: a.log.lesson_state(lesson.lesson_id) for lesson in LESSONS}
    again = a.exchange.merge_report(from_b + from_b)
    assert (again.inserted, again.already_present) == (0, 2 * len(from_b))
    assert {lesson.lesson_id: a.log.lesson_state(lesson.lesson_id) for lesson in LESSONS} == before


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
broken_part = st.sampled_from(["id", "actor", "verb", "object", "timestamp", "result"])


@PROPERTY
@given(
    junk=st.lists(json_values, max_size=4),
    damage=st.lists(st.tuples(broken_part, json_values), max_size=4),
)
@pytest.mark.expect_log("desktop_app.progress.exchange", "Skipped a progress statement")
def test_merge_skips_and_counts_what_is_not_a_statement_and_never_fails(
    devices: tuple[Device, Device], junk: list[Any], damage: list[tuple[str, Any]]
) -> None:
    device, _ = devices
    a = device.log
    emptied(a)
    batch: list[Any] = list(junk)
    for part, value in damage:
        statement = statement_of(a, Event(VIDEO, "progressed", 0, 0.5, "a", uuid.uuid4()))
        statement[part] = value
        batch.append(statement)
    report = device.exchange.merge_report(batch)
    assert report.inserted + report.already_present + report.invalid == len(batch)
    assert len(report.problems) == report.invalid
    assert len(ids_in(a)) == report.inserted
    a.lesson_state(VIDEO.lesson_id)  # whatever was stored, its state can be derived
    a.continue_where_left_off()


def test_other_devices_statements_are_already_uploaded(
    log: ProgressLog, queue: OutboxQueue, exchange: ProgressExchange, clock: FakeClock
) -> None:
    statement = statement_of(log, Event(VIDEO, "completed", 0, 0, "b", uuid.uuid4()))
    assert exchange.merge_report([statement]).inserted == 1
    assert queue.pending_count() == 0
    with log.db.session() as session:
        row = session.get(ProgressEvent, statement["id"])
        assert row is not None and row.origin == "remote" and row.uploaded_at == clock()
    assert log.lesson_state(VIDEO.lesson_id).completed


def test_a_statement_known_here_is_not_added_again_whatever_the_case_of_its_id(
    log: ProgressLog, queue: OutboxQueue, exchange: ProgressExchange
) -> None:
    with log.db.session() as session:
        known = log.completed(session, VIDEO)
    statement = statement_of(log, Event(VIDEO, "completed", 0, 0, "b", uuid.UUID(known)))
    statement["id"] = known.upper()
    report = exchange.merge_report([statement, statement])
    assert (report.inserted, report.already_present) == (0, 2)
    assert queue.pending_count() == 1  # ours still goes to the server


@pytest.mark.expect_log("desktop_app.progress.exchange", "about another learner")
def test_statements_of_another_learner_are_skipped(
    log: ProgressLog, exchange: ProgressExchange
) -> None:
    ben = ProgressLog(log.db, Actor(SERVER, "ben"), activity_base_for(SERVER))
    statement = statement_of(ben, Event(VIDEO, "completed", 0, 0, "b", uuid.uuid4()))
    report = exchange.merge_report([statement])
    assert (report.inserted, report.invalid) == (0, 1)
    assert "another learner" in report.problems[0]
    assert not log.lesson_state(VIDEO.lesson_id).completed


def test_a_homepage_with_a_trailing_slash_is_the_same_learner(
    log: ProgressLog, exchange: ProgressExchange
) -> None:
    same = ProgressLog(log.db, Actor(SERVER + "/", "ana"), activity_base_for(SERVER))
    statement = statement_of(same, Event(VIDEO, "completed", 0, 0, "b", uuid.uuid4()))
    assert exchange.merge_report([statement]).inserted == 1


def test_statements_about_other_activities_are_kept_but_belong_to_no_lesson(
    log: ProgressLog, exchange: ProgressExchange
) -> None:
    statement = statement_of(log, Event(VIDEO, "completed", 0, 0, "b", uuid.uuid4()))
    statement["object"] = {"id": "https://elsewhere.example/activity/42"}
    del statement["context"]
    assert exchange.merge_report([statement]).inserted == 1
    assert not log.lesson_state(VIDEO.lesson_id).completed
    assert log.continue_where_left_off() is None


def test_a_merge_in_the_callers_session_rolls_back_with_it(
    log: ProgressLog, exchange: ProgressExchange
) -> None:
    statement = statement_of(log, Event(VIDEO, "completed", 0, 0, "b", uuid.uuid4()))
    with pytest.raises(RuntimeError), log.db.session() as session:
        assert exchange.merge_in(session, [statement]).inserted == 1
        raise RuntimeError("the cursor could not be saved")
    assert not log.lesson_state(VIDEO.lesson_id).completed
    assert exchange.merge_report([statement]).inserted == 1


def test_a_new_statement_twice_in_one_page_is_stored_once(
    log: ProgressLog, exchange: ProgressExchange
) -> None:
    statement = statement_of(log, Event(VIDEO, "completed", 0, 0, "b", uuid.uuid4()))
    again = {**statement, "id": statement["id"].upper(), "stored": "2026-11-20T10:00:00.000Z"}
    report = exchange.merge_report([statement, again])
    assert (report.inserted, report.already_present, report.invalid) == (1, 1, 0)
    with log.db.session() as session:
        rows = session.scalars(select(ProgressEvent)).all()
    assert [(r.id, json.loads(r.statement_json)) for r in rows] == [(statement["id"], statement)]


def test_merged_statements_are_numbered_after_the_log_in_the_order_given(
    log: ProgressLog, exchange: ProgressExchange
) -> None:
    with log.db.session() as session:
        first = log.launched(session, VIDEO)
    page = [
        statement_of(log, Event(lesson, "completed", 0, 0, "b", uuid.uuid4()))
        for lesson in (QUIZ, VIDEO, PDF)
    ]
    assert exchange.merge_report(page).inserted == 3
    with log.db.session() as session:
        last = log.terminated(session, VIDEO, 60)
        rows = session.execute(select(ProgressEvent.id, ProgressEvent.seq)).all()
    expected = [first, *(s["id"] for s in page), last]
    assert sorted(rows, key=lambda row: row.seq) == [(id_, n) for n, id_ in enumerate(expected, 1)]


def test_a_page_larger_than_one_id_query_is_merged_once(
    log: ProgressLog, exchange: ProgressExchange
) -> None:
    page = [
        statement_of(log, Event(VIDEO, "progressed", n, 0.5, "b", uuid.uuid4()))
        for n in range(1_201)
    ]
    assert exchange.merge_report(page[:700]).inserted == 700
    report = exchange.merge_report(page)
    assert (report.inserted, report.already_present) == (501, 700)
    assert len(ids_in(log)) == 1_201
