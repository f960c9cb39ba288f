"""The outbox view of the log: what waits for upload, what was sent, what the server refused."""

from __future__ import annotations

import json
from datetime import timedelta

from progress_samples import PDF, QUIZ, START, VIDEO, FakeClock

from desktop_app.progress import ProgressLog


def record_three(log: ProgressLog, clock: FakeClock) -> list[str]:
    ids = []
    for lesson in (VIDEO, PDF, QUIZ):
        clock.advance(1)
        with log.db.session() as session:
            ids.append(log.completed(session, lesson))
    return ids


def test_pending_statements_come_oldest_first_in_batches(
    log: ProgressLog, clock: FakeClock
) -> None:
    ids = record_three(log, clock)
    assert log.pending_count() == 3
    batch = log.pending_batch(2)
    assert [statement_id for statement_id, _ in batch] == ids[:2]
    assert [json.loads(text)["id"] for _, text in batch] == ids[:2]


def test_acknowledged_statements_leave_the_outbox_once(log: ProgressLog, clock: FakeClock) -> None:
    ids = record_three(log, clock)
    sent_at = START + timedelta(minutes=5)
    assert log.mark_uploaded([ids[0], ids[1].upper(), "not-a-statement"], sent_at) == 2
    assert log.mark_uploaded([ids[0]], sent_at + timedelta(minutes=1)) == 0
    assert [statement_id for statement_id, _ in log.pending_batch(10)] == [ids[2]]
    assert log.pending_count() == 1


def test_marking_many_at_once_works_beyond_one_query(log: ProgressLog) -> None:
    with log.db.session() as session:
        ids = [log.progressed(session, VIDEO, second, 0.0) for second in range(1200)]
    assert log.mark_uploaded(ids, START) == 1200
    assert log.pending_count() == 0


def test_a_refused_statement_is_kept_aside_but_still_counts(
    log: ProgressLog, clock: FakeClock
) -> None:
    ids = record_three(log, clock)
    assert log.quarantine(ids[1], "409 Conflict: same id, different content")
    assert not log.quarantine("00000000-0000-4000-8000-000000000000", "unknown")
    assert log.pending_count() == 2
    assert ids[1] not in [statement_id for statement_id, _ in log.pending_batch(10)]
    [kept] = log.quarantined()
    assert (kept.id, kept.reason) == (ids[1], "409 Conflict: same id, different content")
    assert json.loads(kept.statement_json)["id"] == ids[1]
    assert kept.occurred_at == START + timedelta(seconds=2)
    assert log.lesson_state(PDF.lesson_id).completed
