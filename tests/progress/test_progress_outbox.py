"""The outbox queue over the log: what waits for upload, what was sent, what the server refused."""

from __future__ import annotations

import json
from datetime import timedelta

from progress_samples import PDF, QUIZ, START, VIDEO, FakeClock

from desktop_app.models import ProgressEvent
from desktop_app.progress import OutboxQueue, ProgressLog, QuarantinedStatement


def record_three(log: ProgressLog, clock: FakeClock) -> list[str]:
    ids = []
    for lesson in (VIDEO, PDF, QUIZ):
        clock.advance(1)
        with log.db.session() as session:
            ids.append(log.completed(session, lesson))
    return ids


def test_pending_statements_come_oldest_first_in_batches(
    log: ProgressLog, queue: OutboxQueue, clock: FakeClock
) -> None:
    ids = record_three(log, clock)
    assert queue.pending_count() == 3
    batch = queue.pending_batch(2)
    assert [statement_id for statement_id, _ in batch] == ids[:2]
    assert [json.loads(text)["id"] for _, text in batch] == ids[:2]


def test_acknowledged_statements_leave_the_outbox_once(
    log: ProgressLog, queue: OutboxQueue, clock: FakeClock
) -> None:
    ids = record_three(log, clock)
    sent_at = START + timedelta(minutes=5)
    assert queue.mark_uploaded([ids[0], ids[1].upper(), "not-a-statement"], sent_at) == 2
    assert queue.mark_uploaded([ids[0]], sent_at + timedelta(minutes=1)) == 0
    assert [statement_id for statement_id, _ in queue.pending_batch(10)] == [ids[2]]
    assert queue.pending_count() == 1


def test_statements_sent_from_a_batch_are_marked_by_their_place_once_and_keep_their_time(
    log: ProgressLog, queue: OutboxQueue, clock: FakeClock
) -> None:
    ids = record_three(log, clock)
    batch = queue.pending_after(0, 10)
    sent_at = START + timedelta(minutes=5, microseconds=7)
    assert queue.mark_sent([batch[0], batch[2]], sent_at) == 2
    assert queue.mark_sent([batch[0]], sent_at + timedelta(minutes=1)) == 0
    assert [item.id for item in queue.pending_after(0, 10)] == [ids[1]]
    with log.db.session() as session:
        stored = session.get(ProgressEvent, ids[0])
        assert stored is not None and stored.uploaded_at == sent_at


def test_marking_many_at_once_works_beyond_one_query(log: ProgressLog, queue: OutboxQueue) -> None:
    with log.db.session() as session:
        ids = [log.progressed(session, VIDEO, second, 0.0) for second in range(1200)]
    assert queue.mark_uploaded(ids, START) == 1200
    assert queue.pending_count() == 0


def test_a_refused_statement_is_kept_aside_but_still_counts(
    log: ProgressLog, queue: OutboxQueue, clock: FakeClock
) -> None:
    ids = record_three(log, clock)
    assert queue.quarantine(ids[1], "409 Conflict: same id, different content")
    assert not queue.quarantine("00000000-0000-4000-8000-000000000000", "unknown")
    assert queue.pending_count() == 2
    assert ids[1] not in [statement_id for statement_id, _ in queue.pending_batch(10)]
    [kept] = queue.quarantined()
    assert (kept.id, kept.reason) == (ids[1], "409 Conflict: same id, different content")
    assert json.loads(kept.statement_json)["id"] == ids[1]
    assert kept.occurred_at == START + timedelta(seconds=2)
    assert log.lesson_state(PDF.lesson_id).completed


def test_a_damaged_stored_text_reads_as_no_statement() -> None:
    def kept(text: str) -> QuarantinedStatement:
        return QuarantinedStatement("id", "refused", START, text)

    assert kept("{not json").parsed() is None
    assert kept("[1, 2]").parsed() is None
    assert kept('{"id": "x"}').parsed() == {"id": "x"}


def test_statements_set_aside_can_be_queued_again_once(
    log: ProgressLog, queue: OutboxQueue, clock: FakeClock
) -> None:
    ids = record_three(log, clock)
    queue.mark_uploaded([ids[0]], START)
    queue.quarantine(ids[1], "The server refused this statement: result.score: too high")
    queue.quarantine(ids[2], "The server refused this statement: verb.id: missing")

    assert queue.requeue_quarantined() == 2
    assert queue.quarantined() == []
    assert [statement_id for statement_id, _ in queue.pending_batch(10)] == ids[1:]
    assert queue.requeue_quarantined() == 0
