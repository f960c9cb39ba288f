"""Uploading progress to the reference server: acknowledged, idempotent, patient, never lossy."""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from server_fixture import server_statement_ids

from desktop_app.api.errors import OfflineError, ProblemError, ServerError
from desktop_app.api.xapi import PostReply, StatementsEndpoint
from desktop_app.sync.outbox import Backoff, Outbox
from reference_server import ReferenceServer

from .devices import (
    QUIZ,
    Device,
    insert_raw_statement,
    open_device,
    start_server,
    stored_texts,
)

XAPI = "/xapi/statements"


class RecordingEndpoint:
    """Passes batches on to the real endpoint and keeps each body that was sent."""

    def __init__(self, endpoint: StatementsEndpoint) -> None:
        self.endpoint = endpoint
        self.bodies: list[bytes] = []

    def post(self, body: bytes) -> PostReply:
        self.bodies.append(body)
        return self.endpoint.post(body)


def test_statements_are_sent_as_stored_and_marked_after_the_server_stored_them(
    laptop: Device, server: ReferenceServer
) -> None:
    ids = laptop.record(12)
    recording = RecordingEndpoint(laptop.endpoint)

    summary = Outbox(laptop.queue, recording).upload()

    assert (summary.sent, summary.quarantined, summary.remaining, summary.requests) == (12, 0, 0, 1)
    assert summary.complete and summary.error is None
    texts = stored_texts(laptop.log)
    assert recording.bodies == [("[" + ",".join(texts[i] for i in ids) + "]").encode()]
    assert sorted(server_statement_ids(server)) == sorted(ids)
    assert laptop.queue.pending_count() == 0


def test_every_request_carries_the_xapi_version(laptop: Device, server: ReferenceServer) -> None:
    laptop.record(2)
    laptop.outbox().upload()
    laptop.pull().run()
    xapi_requests = [r for r in server.requests if r.path == XAPI]
    assert {r.method for r in xapi_requests} == {"POST", "GET"}
    assert all(r.headers.get("x-experience-api-version") == "1.0.3" for r in xapi_requests)


@pytest.mark.expect_log("desktop_app.sync.outbox", "Progress upload stopped")
def test_nothing_is_marked_sent_while_the_server_fails(
    laptop: Device, server: ReferenceServer
) -> None:
    laptop.record(5)
    server.faults.add(XAPI, status=503, count=10, method="POST")

    summary = laptop.outbox(backoff=Backoff(attempts=3, base_seconds=0.01)).upload()

    assert isinstance(summary.error, ServerError)
    assert (summary.sent, summary.remaining, summary.requests) == (0, 5, 3)
    assert laptop.queue.pending_count() == 5
    assert server_statement_ids(server) == []


@pytest.mark.expect_log("desktop_app.sync.outbox", "Progress upload stopped")
def test_a_lost_acknowledgement_leaves_statements_pending_and_the_repeat_stores_nothing_twice(
    laptop: Device, server: ReferenceServer
) -> None:
    ids = laptop.record(8)
    server.faults.add(XAPI, method="POST", drop_after_bytes=0)

    first = laptop.outbox().upload()

    assert isinstance(first.error, OfflineError)
    assert laptop.queue.pending_count() == 8
    assert sorted(server_statement_ids(server)) == sorted(ids)  # stored, but never acknowledged

    second = laptop.outbox().upload()

    assert second.complete and second.sent == 8
    assert laptop.queue.pending_count() == 0
    held = Counter(server_statement_ids(server))
    assert set(held) == set(ids) and set(held.values()) == {1}
    page = laptop.endpoint.first_page(laptop.log.actor.to_xapi(), None, 500)
    assert sorted(s["id"] for s in page.statements) == sorted(ids)


def test_retry_after_is_honoured_before_sending_again(
    laptop: Device, server: ReferenceServer
) -> None:
    laptop.record(3)
    server.faults.add(XAPI, status=429, count=2, retry_after=1, method="POST")
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    started = time.monotonic()
    summary = laptop.outbox(sleep=sleep).upload()

    assert summary.complete and summary.sent == 3 and summary.requests == 3
    assert len(waits) == 2 and all(1.0 <= wait < 1.1 for wait in waits)
    assert time.monotonic() - started >= 2.0


@pytest.mark.expect_log("desktop_app.sync.outbox", "Progress upload stopped")
def test_a_retry_after_beyond_patience_stops_at_once_and_keeps_everything(
    laptop: Device, server: ReferenceServer
) -> None:
    laptop.record(2)
    server.faults.add(XAPI, status=503, retry_after=3600, method="POST")

    summary = laptop.outbox(sleep=pytest.fail).upload()

    assert isinstance(summary.error, ServerError) and "3600 s" in summary.error.message
    assert (summary.requests, summary.remaining) == (1, 2)


def test_backoff_grows_exponentially_with_jitter() -> None:
    backoff = Backoff(base_seconds=0.5, max_seconds=30.0, jitter=0.5)
    assert [backoff.delay(n, None, 1.0) for n in range(4)] == [0.5, 1.0, 2.0, 4.0]
    assert [backoff.delay(n, None, 0.0) for n in range(4)] == [0.25, 0.5, 1.0, 2.0]
    assert backoff.delay(20, None, 0.999) <= 30.0
    assert 5.0 <= backoff.delay(0, 5.0, 0.7) <= 5.25


@pytest.mark.expect_log("desktop_app.sync.outbox", "set aside")
def test_the_statement_at_fault_is_quarantined_and_the_rest_uploaded(
    laptop: Device, server: ReferenceServer
) -> None:
    before = laptop.record(6)
    broken = str(uuid.uuid4())
    statement = json.loads(next(iter(stored_texts(laptop.log).values())))
    statement.update(id=broken, verb={"display": {"en-US": "progressed"}})  # no verb id
    insert_raw_statement(laptop.log, broken, json.dumps(statement))
    after = laptop.record(5)

    summary = laptop.outbox().upload()

    assert (summary.sent, summary.quarantined, summary.remaining) == (11, 1, 0)
    assert sorted(server_statement_ids(server)) == sorted(before + after)
    [aside] = laptop.queue.quarantined()
    assert aside.id == broken
    assert aside.reason.startswith("The server refused this statement:")
    assert "verb" in aside.reason  # the server's own words


@pytest.mark.expect_log("desktop_app.sync.outbox", "set aside")
def test_text_that_is_not_json_is_quarantined_not_sent_forever(
    laptop: Device, server: ReferenceServer
) -> None:
    good = laptop.record(3)
    damaged = str(uuid.uuid4())
    insert_raw_statement(laptop.log, damaged, '{"id": "' + damaged + '", "actor": ')

    summary = laptop.outbox().upload()

    assert (summary.sent, summary.quarantined) == (3, 1)
    assert [q.id for q in laptop.queue.quarantined()] == [damaged]
    assert sorted(server_statement_ids(server)) == sorted(good)
    assert laptop.outbox().upload().requests == 0  # set aside: not offered again


@pytest.mark.expect_log("desktop_app.sync.outbox", "set aside")
def test_a_different_statement_under_the_same_id_is_quarantined_in_plain_words(
    laptop: Device,
) -> None:
    ids = laptop.record(4)
    other = json.loads(stored_texts(laptop.log)[ids[2]])
    other["result"]["extensions"] = {"https://w3id.org/xapi/video/extensions/time": 999.0}
    assert laptop.endpoint.post(json.dumps([other]).encode()).stored

    summary = laptop.outbox().upload()

    assert (summary.sent, summary.quarantined) == (3, 1)
    [aside] = laptop.queue.quarantined()
    assert aside.id == ids[2]
    assert "already holds a different statement with the same id" in aside.reason


@pytest.mark.expect_log("desktop_app.sync.outbox", "Progress upload stopped")
def test_a_server_that_refuses_everything_alike_quarantines_nothing(
    laptop: Device, server: ReferenceServer
) -> None:
    laptop.record(4)
    server.faults.add(XAPI, status=400, count=100, method="POST")

    summary = laptop.outbox().upload()

    assert isinstance(summary.error, ProblemError)
    assert "refused all 4 statements" in summary.error.message
    assert laptop.queue.quarantined() == []
    assert laptop.queue.pending_count() == 4


def test_batches_shrink_under_a_body_limit_and_an_oversized_statement_waits_for_later(
    tmp_path: Path,
) -> None:
    small = start_server(tmp_path / "small", body_limit=6_000)
    device = open_device(small.url, tmp_path / "small-device.sqlite3")
    try:
        ids = device.record(30)
        with device.db.session() as session:
            huge = device.log.quiz_result(session, QUIZ, 0.5, False, {"q1": ["x" * 8_000]})
        later = device.record(2)
        summary = device.outbox().upload()
        assert (summary.sent, summary.quarantined, summary.remaining) == (32, 0, 1)
        assert summary.too_large == 1 and summary.error is None
        assert sorted(server_statement_ids(small)) == sorted(ids + later)
        assert device.queue.quarantined() == []
        assert [statement_id for statement_id, _ in device.queue.pending_batch(10)] == [huge]
        again = device.outbox().upload()  # offered again at the next sync
        assert (again.requests, again.too_large, again.remaining) == (1, 1, 1)
    finally:
        device.close()
        small.stop()


@pytest.mark.expect_log("desktop_app.sync.outbox", "set aside")
def test_a_422_in_the_servers_words_sets_only_that_statement_aside(
    laptop: Device, server: ReferenceServer
) -> None:
    ids = laptop.record(3)
    problem = json.dumps({"title": "Unprocessable", "detail": "result.score.scaled above 1"})
    server.faults.add(
        XAPI, 422, count=2, body=problem, method="POST", content_type="application/problem+json"
    )

    summary = laptop.outbox().upload()

    assert (summary.sent, summary.quarantined, summary.remaining) == (2, 1, 0)
    [aside] = laptop.queue.quarantined()
    assert aside.id == ids[0]
    assert aside.reason == "The server refused this statement: result.score.scaled above 1"
    assert sorted(server_statement_ids(server)) == sorted(ids[1:])


@pytest.mark.expect_log("desktop_app.sync.outbox", "Progress upload stopped")
def test_offline_leaves_everything_pending(laptop: Device, server: ReferenceServer) -> None:
    laptop.record(3)
    server.stop()

    summary = laptop.outbox().upload()

    assert isinstance(summary.error, OfflineError)
    assert (summary.sent, summary.remaining) == (0, 3)
    assert laptop.queue.pending_count() == 3


def test_large_queues_go_in_batches(laptop: Device, server: ReferenceServer) -> None:
    laptop.record(1_201, in_one_transaction=True)
    summary = laptop.outbox(batch_size=500).upload()
    assert (summary.sent, summary.requests) == (1_201, 3)
    assert len(server_statement_ids(server)) == 1_201
