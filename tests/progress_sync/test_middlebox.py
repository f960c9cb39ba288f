"""A proxy or firewall between the learner and the server answers the upload with its own
HTML page: nothing is set aside for it, the rest of the queue goes on, and once it is gone
the server holds every statement. The middlebox is `fault_proxy.FaultProxy` on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fault_proxy import FIREWALL_400, NGINX_413, FaultProxy, Page, Rule
from sqlalchemy import select

from desktop_app.api.errors import ApiError
from desktop_app.models.progress import UploadHold
from desktop_app.sync.outbox import Hold
from reference_server import ReferenceServer
from reference_server.models import Statement

from .devices import QUIZ, Device, open_device

XAPI = "/xapi/statements"


@pytest.fixture
def proxy(server: ReferenceServer) -> Iterator[FaultProxy]:
    middlebox = FaultProxy(server.url).start()
    yield middlebox
    middlebox.stop()


@pytest.fixture
def behind(proxy: FaultProxy, tmp_path: Path) -> Iterator[Device]:
    """The learner's laptop, reaching the server only through the proxy."""
    device = open_device(proxy.url, tmp_path / "behind.sqlite3")
    yield device
    device.close()


class Clock:
    """The learner's computer's time, moving only when a test says so."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def stored_in_order(server: ReferenceServer) -> list[str]:
    with server.backend.db.read() as session:
        return list(session.scalars(select(Statement.id).order_by(Statement.seq)))


def uploads_of(page: Page, *, when: str = "", larger_than: int = -1) -> Rule:
    """A rule: `page` for statement uploads holding `when`, or bigger than `larger_than`."""

    def rule(method: str, path: str, body: bytes) -> Page | None:
        if method != "POST" or path != XAPI:
            return None
        return page if when.encode() in body and len(body) > larger_than else None

    return rule


@pytest.mark.expect_log("desktop_app.sync.outbox", "Progress upload stopped")
def test_a_firewall_page_for_every_upload_sets_nothing_aside_and_nothing_is_missing_after(
    behind: Device, proxy: FaultProxy, server: ReferenceServer
) -> None:
    ids = behind.record(5)
    proxy.rule = uploads_of(FIREWALL_400)

    blocked = behind.outbox().upload()

    assert type(blocked.error) is ApiError and "HTTP 400 Bad Request" in blocked.error.message
    assert "<" not in blocked.error.message and "support ID" not in blocked.error.message
    assert (blocked.sent, blocked.quarantined) == (0, 0)
    assert behind.queue.quarantined() == [] and behind.queue.pending_count() == 5
    assert stored_in_order(server) == []
    proxy.rule = lambda method, path, body: None

    summary = behind.outbox().upload()

    assert summary.complete and summary.sent == 5
    assert stored_in_order(server) == ids


def test_a_proxy_body_limit_page_shrinks_batches_and_keeps_an_oversized_statement(
    behind: Device, proxy: FaultProxy, server: ReferenceServer
) -> None:
    before = behind.record(30)
    with behind.db.session() as session:
        huge = behind.log.quiz_result(session, QUIZ, 0.5, False, {"q1": ["x" * 8_000]})
    after = behind.record(2)
    proxy.rule = uploads_of(NGINX_413, larger_than=6_000)

    limited = behind.outbox().upload()

    assert (limited.sent, limited.too_large, limited.remaining) == (32, 1, 1)
    assert limited.error is None and limited.quarantined == 0
    assert behind.queue.quarantined() == []
    assert stored_in_order(server) == before + after
    proxy.rule = lambda method, path, body: None

    assert behind.outbox().upload().sent == 1
    assert sorted(stored_in_order(server)) == sorted([*before, huge, *after])


def test_a_firewall_that_always_stops_one_statement_lets_the_others_through_in_order(
    behind: Device, proxy: FaultProxy, server: ReferenceServer
) -> None:
    ids = behind.record(9)
    stopped = ids[3]
    proxy.rule = uploads_of(FIREWALL_400, when=stopped)

    summary = behind.outbox().upload()

    assert summary.error is None
    assert (summary.sent, summary.quarantined, summary.blocked, summary.remaining) == (8, 0, 1, 1)
    assert stored_in_order(server) == [i for i in ids if i != stopped]
    assert behind.queue.quarantined() == []
    assert [i for i, _ in behind.queue.pending_batch(10)] == [stopped]
    assert behind.queue.pending().statements == 1


def tries_of(proxy: FaultProxy) -> int:
    return len(proxy.answered)


def test_a_statement_a_firewall_keeps_stopping_waits_for_its_time_at_later_syncs(
    behind: Device, proxy: FaultProxy, server: ReferenceServer
) -> None:
    clock, hold = Clock(), Hold(first_seconds=60, max_seconds=100)
    ids = behind.record(5)
    stopped = ids[2]
    proxy.rule = uploads_of(FIREWALL_400, when=stopped)
    first = behind.outbox(clock=clock, hold=hold).upload()
    assert (first.sent, first.blocked, first.remaining) == (4, 1, 1)
    tries = tries_of(proxy)

    clock.advance(59)
    later = behind.record(1)
    waiting = behind.outbox(clock=clock, hold=hold).upload()

    assert tries_of(proxy) == tries  # not tried again before its time
    assert (waiting.sent, waiting.blocked, waiting.remaining) == (1, 0, 1)
    assert behind.queue.pending().statements == 1  # still counted as waiting to upload
    clock.advance(2)

    again = behind.outbox(clock=clock, hold=hold).upload()

    assert tries_of(proxy) == tries + 1  # one try, not its whole backoff again
    assert (again.sent, again.blocked, again.remaining) == (0, 1, 1)
    clock.advance(119)  # the hold doubled, to 120 s, but no longer than 100 s
    assert behind.outbox(clock=clock, hold=hold).upload().blocked == 1
    proxy.rule = lambda method, path, body: None
    clock.advance(99)
    assert behind.outbox(clock=clock, hold=hold).upload().requests == 0
    clock.advance(1)

    done = behind.outbox(clock=clock, hold=hold).upload()

    assert done.complete and done.sent == 1
    assert sorted(stored_in_order(server)) == sorted([*ids, *later])
    with behind.db.session() as session:
        assert session.query(UploadHold).count() == 0
