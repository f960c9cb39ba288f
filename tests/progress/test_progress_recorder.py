"""The recorder lesson players use: throttled writes, and the last position never lost."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from progress_samples import PDF, QUIZ, READING, SERVER, VIDEO, FakeClock
from sqlalchemy import delete
from sqlalchemy.exc import OperationalError

from desktop_app.db import Database
from desktop_app.models import ProgressEvent
from desktop_app.progress import (
    Actor,
    LessonRecorder,
    LessonRef,
    OutboxQueue,
    ProgressLog,
    Throttle,
    activity_base_for,
)

ADL = "http://adlnet.gov/expapi/verbs/"


def verbs(log: ProgressLog) -> list[str]:
    uploads = OutboxQueue(log.db).pending_batch(999)
    return [json.loads(text)["verb"]["id"].removeprefix(ADL) for _, text in uploads]


def stored_position(log: ProgressLog, lesson: LessonRef) -> float | None:
    return log.lesson_state(lesson.lesson_id).resume_position


def test_a_media_player_reporting_every_second_writes_about_every_five_seconds(
    log: ProgressLog, clock: FakeClock
) -> None:
    recorder = log.recorder_for(VIDEO)
    recorder.opened()
    for second in range(121):
        clock.advance(1)
        recorder.progressed(second, second / 600)
        stored = stored_position(log, VIDEO)
        assert stored is not None and second - stored < 5  # a crash loses under 5 s
    assert 24 <= verbs(log).count("progressed") <= 28


def test_closing_writes_the_last_position_even_between_steps(
    log: ProgressLog, clock: FakeClock
) -> None:
    recorder = log.recorder_for(VIDEO)
    recorder.opened()
    for position in (0.0, 5.0, 10.0, 12.5):
        clock.advance(1)
        recorder.progressed(position, position / 100)
    assert stored_position(log, VIDEO) == 10.0
    recorder.closed()
    assert stored_position(log, VIDEO) == 12.5
    assert log.recorder_for(VIDEO).resume_position == 12.5
    assert verbs(log)[-2:] == ["progressed", "terminated"]


def test_crossing_a_tenth_of_the_lesson_is_written_however_small_the_move(
    log: ProgressLog,
) -> None:
    recorder = log.recorder_for(VIDEO)
    recorder.progressed(100.0, 0.09)
    recorder.progressed(101.0, 0.093)
    recorder.progressed(102.0, 0.10)
    assert verbs(log) == ["progressed", "progressed"]
    assert stored_position(log, VIDEO) == 102.0


@pytest.mark.parametrize(("lesson", "step"), [(PDF, 1.0), (READING, 0.05), (QUIZ, 1.0)])
def test_pages_scroll_and_questions_have_their_own_steps(
    log: ProgressLog, lesson: LessonRef, step: float
) -> None:
    recorder = log.recorder_for(lesson)
    recorder.progressed(0.0, 0.0)
    recorder.progressed(step * 0.6, 0.0)
    recorder.progressed(step, 0.0)
    assert verbs(log) == ["progressed", "progressed"]


def test_a_new_recorder_starts_from_the_stored_position(log: ProgressLog, clock: FakeClock) -> None:
    assert log.recorder_for(PDF).resume_position == 0.0
    first = log.recorder_for(PDF)
    first.opened()
    first.progressed(4, 0.4)
    first.closed()
    assert log.recorder_for(PDF).resume_position == 4


def test_nonsense_from_a_player_is_not_written(log: ProgressLog, queue: OutboxQueue) -> None:
    recorder = log.recorder_for(VIDEO)
    recorder.progressed(30.0, 0.5)
    recorder.progressed(float("nan"), 0.6)
    recorder.progressed(float("inf"), 0.6)
    recorder.progressed(40.0, float("nan"))  # keeps the last fraction
    recorder.closed()
    last = json.loads(queue.pending_batch(999)[-1][1])
    assert last["result"]["extensions"] == {
        "https://w3id.org/xapi/video/extensions/time": 40.0,
        "https://w3id.org/xapi/cmi5/result/extensions/progress": 50,
    }


def test_complete_writes_only_once(log: ProgressLog) -> None:
    recorder = log.recorder_for(READING)
    assert not recorder.completed
    recorder.complete()
    recorder.complete()
    log.recorder_for(READING).complete()
    assert verbs(log) == ["completed"]
    assert recorder.completed and log.recorder_for(READING).completed


def test_a_passed_quiz_also_completes_the_lesson_once(log: ProgressLog) -> None:
    recorder = log.recorder_for(QUIZ)
    recorder.quiz_scored(0.5, False, {"q1": ["a"]})
    assert not recorder.completed
    recorder.quiz_scored(0.9, True, {"q1": ["b"]})
    recorder.quiz_scored(1.0, True, {"q1": ["b"]})
    assert verbs(log) == ["failed", "passed", "completed", "passed"]
    state = log.lesson_state(QUIZ.lesson_id)
    assert recorder.completed and state.completed and state.best_score == 1.0


def test_opening_and_closing_records_the_time_spent(
    log: ProgressLog, queue: OutboxQueue, clock: FakeClock
) -> None:
    recorder: LessonRecorder = log.recorder_for(READING)
    recorder.opened()
    clock.advance(42.5)
    recorder.closed()
    recorder.closed()  # a second close has no session to end
    assert verbs(log) == ["launched", "initialized", "terminated"]
    terminated = json.loads(queue.pending_batch(999)[-1][1])
    assert terminated["result"] == {"duration": "PT42.5S"}
    assert log.lesson_state(READING.lesson_id).time_spent_seconds == 42.5


def test_a_failed_write_is_retried_and_the_position_kept_for_closing(
    log: ProgressLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = log.recorder_for(VIDEO)
    write = log.progressed

    def locked(*args: Any, **kwargs: Any) -> str:
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(log, "progressed", locked)
    with pytest.raises(OperationalError):
        recorder.progressed(20.0, 0.2)
    monkeypatch.setattr(log, "progressed", write)
    recorder.progressed(21.0, 0.2)  # within a step of 20, but 20 was never stored
    assert stored_position(log, VIDEO) == 21.0
    recorder.progressed(22.0, 0.2)
    recorder.closed()
    assert stored_position(log, VIDEO) == 22.0


ANA = Actor(SERVER, "ana")
positions = st.lists(st.floats(0, 7200, allow_nan=False), min_size=1, max_size=40)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ProgressLog, FakeClock]]:
    """One device reused (emptied) by every generated example."""
    db = Database(tmp_path_factory.mktemp("recorder") / "device.sqlite3")
    clock = FakeClock()
    yield ProgressLog(db, ANA, activity_base_for(SERVER), clock, throttle=Throttle()), clock
    db.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reported=positions, lesson=st.sampled_from([VIDEO, PDF, READING]))
def test_whatever_a_player_reports_closing_keeps_the_last_position(
    shared: tuple[ProgressLog, FakeClock], reported: list[float], lesson: LessonRef
) -> None:
    shared_log, clock = shared
    with shared_log.db.session() as session:
        session.execute(delete(ProgressEvent))
    recorder = shared_log.recorder_for(lesson)
    recorder.opened()
    for position in reported:
        clock.advance(1)
        recorder.progressed(position, position / 7200)
    recorder.closed()
    assert stored_position(shared_log, lesson) == round(reported[-1], 3)
    assert shared_log.recorder_for(lesson).resume_position == round(reported[-1], 3)
