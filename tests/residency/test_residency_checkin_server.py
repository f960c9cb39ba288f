"""Check-in against the real reference server over loopback: confirmed, refused, queued while
offline and confirmed later, and never recorded twice."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from residency_samples import (
    CHECKIN_CODE,
    RESIDENCY_ID,
    WINDOW_OPENS,
    FakeClock,
    put_residency,
    server_residency,
    utc,
)
from sqlalchemy import select

from desktop_app.api import ApiClient, Tokens, TransportConfig
from desktop_app.api.tokens import MemoryTokenStore
from desktop_app.db import Database
from desktop_app.models import CheckIn
from desktop_app.residency import CheckInOutcome, CheckInService, CheckInStatus, checkin_words
from desktop_app.residency.checkin_words import WAITING
from reference_server.server import ReferenceServer

FAST = TransportConfig(connect_timeout=2.0, read_timeout=10.0, retries=0)


def start_server(data: Path, clock: FakeClock, port: int = 0) -> ReferenceServer:
    server = ReferenceServer(data, port=port, clock=clock).start()
    server.admin.add_user("ana", "rounds-demo", "Ana Ortiz", user_id="u-ana")
    server.admin.add_user("ben", "rounds-demo", "Ben Okafor", user_id="u-ben")
    server.admin.add_residency(server_residency())
    return server


@pytest.fixture
def server(tmp_path: Path, clock: FakeClock) -> Iterator[ReferenceServer]:
    running = start_server(tmp_path / "server", clock)
    yield running
    running.stop()


@pytest.fixture
def client(server: ReferenceServer) -> Iterator[ApiClient]:
    api = ApiClient(server.url, tokens=MemoryTokenStore(), config=FAST)
    api.sign_in("ana", "rounds-demo")
    yield api
    api.close()


@pytest.fixture
def service(db: Database, client: ApiClient, clock: FakeClock) -> CheckInService:
    put_residency(db)
    return CheckInService(db, client.post_checkin, clock)


def stored(db: Database) -> list[tuple[str, str, str]]:
    with db.session() as session:
        rows = session.scalars(select(CheckIn).order_by(CheckIn.device_time)).all()
        return [(row.id, row.status, row.message) for row in rows]


def checkin_posts(server: ReferenceServer) -> int:
    return sum(1 for r in server.requests if r.path == "/api/v1/checkins")


def test_the_right_code_in_the_window_is_confirmed_and_stored_once(
    service: CheckInService, server: ReferenceServer, db: Database
) -> None:
    result = service.check_in(RESIDENCY_ID, f"  {CHECKIN_CODE}  ")
    assert result.outcome is CheckInOutcome.CONFIRMED
    assert result.message == "Checked in — confirmed Sun 14 Mar, 08:00 CDT (venue time)."
    assert result.confirmed_at == utc(2027, 3, 14, 13, 0)
    (record,) = server.admin.list_checkins(RESIDENCY_ID)
    assert record.id == result.checkin_id and record.username == "ana"
    assert stored(db) == [(result.checkin_id, "confirmed", "")]


def test_a_wrong_code_is_explained_once_and_may_be_retried(
    service: CheckInService, server: ReferenceServer, db: Database
) -> None:
    wrong = service.check_in(RESIDENCY_ID, "OAK-17")
    assert wrong.outcome is CheckInOutcome.REJECTED
    assert wrong.message == "That is not the code shown at the venue. Check it and try again."
    assert server.admin.list_checkins(RESIDENCY_ID) == []
    right = service.check_in(RESIDENCY_ID, CHECKIN_CODE)
    assert right.outcome is CheckInOutcome.CONFIRMED
    assert [status for _id, status, _message in stored(db)] == ["rejected", "confirmed"]


def test_a_wrong_code_stored_in_the_servers_words_reads_once_too() -> None:
    line = checkin_words.status_line(
        CheckInStatus.REJECTED, checkin_words.SERVER_WRONG_CODE, None, "America/Chicago"
    )
    assert line == checkin_words.WRONG_CODE
    assert line.count("code") == 1


def test_a_window_the_organisers_closed_early_is_rejected_in_venue_time(
    service: CheckInService, server: ReferenceServer, db: Database
) -> None:
    # The cache still has the old window; the server has the new one.
    server.admin.set_checkin_window(RESIDENCY_ID, WINDOW_OPENS, utc(2027, 3, 14, 12, 0))
    result = service.check_in(RESIDENCY_ID, CHECKIN_CODE)
    assert result.outcome is CheckInOutcome.REJECTED
    assert result.message == (
        "Not accepted: Check-in is open from Sun 14 Mar, 00:30 CST to Sun 14 Mar, 07:00 CDT "
        "(venue time). You can try again with the code shown at the venue."
    )
    assert server.admin.list_checkins(RESIDENCY_ID) == []


@pytest.mark.parametrize(
    ("now", "words"),
    [
        (utc(2027, 3, 14, 6, 0), "Check-in is not open yet. It opens Sun 14 Mar, 00:30 CST."),
        (utc(2027, 3, 14, 15, 0), "Check-in has closed. It closed Sun 14 Mar, 09:00 CDT."),
    ],
)
def test_outside_the_window_is_refused_here_without_asking_the_server(
    service: CheckInService,
    server: ReferenceServer,
    clock: FakeClock,
    db: Database,
    now: datetime,
    words: str,
) -> None:
    clock.now = now
    result = service.check_in(RESIDENCY_ID, CHECKIN_CODE)
    assert (result.outcome, result.message) == (CheckInOutcome.REFUSED, words)
    assert checkin_posts(server) == 0
    assert stored(db) == []


def test_already_checked_in_is_refused_here(
    service: CheckInService, server: ReferenceServer
) -> None:
    first = service.check_in(RESIDENCY_ID, CHECKIN_CODE)
    server.clear_requests()
    again = service.check_in(RESIDENCY_ID, CHECKIN_CODE)
    assert again.outcome is CheckInOutcome.REFUSED
    assert again.message == "You are already checked in to this residency."
    assert again.checkin_id == first.checkin_id
    assert checkin_posts(server) == 0


def test_not_enrolled_is_rejected_with_the_servers_reason(
    service: CheckInService, server: ReferenceServer
) -> None:
    server.admin.withdraw(RESIDENCY_ID, "ana")
    result = service.check_in(RESIDENCY_ID, CHECKIN_CODE)
    assert result.outcome is CheckInOutcome.REJECTED
    assert "You are not enrolled in this residency." in result.message


def test_a_reply_lost_on_the_way_back_is_resent_and_counted_once(
    service: CheckInService, server: ReferenceServer, db: Database
) -> None:
    server.faults.add("/api/v1/checkins", drop_after_bytes=0)  # stored, then the line drops
    lost = service.check_in(RESIDENCY_ID, CHECKIN_CODE)
    assert lost.outcome is CheckInOutcome.PENDING
    assert len(server.admin.list_checkins(RESIDENCY_ID)) == 1
    (flushed,) = service.flush_pending()
    assert flushed.outcome is CheckInOutcome.CONFIRMED
    assert flushed.checkin_id == lost.checkin_id
    (record,) = server.admin.list_checkins(RESIDENCY_ID)
    assert record.id == lost.checkin_id
    assert checkin_posts(server) == 2
    assert stored(db) == [(lost.checkin_id, "confirmed", "")]


def test_offline_check_in_is_queued_then_confirmed_when_the_server_is_back(
    db: Database, clock: FakeClock, tmp_path: Path
) -> None:
    put_residency(db)
    server = start_server(tmp_path / "server", clock)
    port = int(server.url.rsplit(":", 1)[1])
    api = ApiClient(server.url, tokens=MemoryTokenStore(), config=FAST)
    api.sign_in("ana", "rounds-demo")
    server.stop()  # the venue's wifi is down
    service = CheckInService(db, api.post_checkin, clock)
    try:
        queued = service.check_in(RESIDENCY_ID, CHECKIN_CODE)
        assert (queued.outcome, queued.message) == (CheckInOutcome.PENDING, WAITING)
        assert stored(db) == [(queued.checkin_id, "pending", "")]
        refused = service.check_in(RESIDENCY_ID, CHECKIN_CODE)
        assert refused.outcome is CheckInOutcome.REFUSED
        assert "waiting for confirmation" in refused.message
        assert service.flush_pending()[0].outcome is CheckInOutcome.PENDING  # still offline

        clock.advance(minutes=20)  # back online later in the morning
        server = ReferenceServer(tmp_path / "server", port=port, clock=clock).start()
        (confirmed,) = service.flush_pending()
        assert confirmed.outcome is CheckInOutcome.CONFIRMED
        assert confirmed.checkin_id == queued.checkin_id
        (record,) = server.admin.list_checkins(RESIDENCY_ID)
        assert record.id == queued.checkin_id
        assert record.device_time == utc(2027, 3, 14, 13, 0)  # when the learner checked in
        assert stored(db) == [(queued.checkin_id, "confirmed", "")]
        assert service.flush_pending() == []
    finally:
        api.close()
        server.stop()


def test_an_unreachable_server_leaves_the_check_in_pending(db: Database, clock: FakeClock) -> None:
    put_residency(db)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    earlier = Tokens(
        "access-from-an-earlier-sign-in", "refresh", datetime.now(UTC) + timedelta(hours=1)
    )
    api = ApiClient(f"http://127.0.0.1:{port}", tokens=MemoryTokenStore(earlier), config=FAST)
    service = CheckInService(db, api.post_checkin, clock)
    result = service.check_in(RESIDENCY_ID, CHECKIN_CODE)
    api.close()
    assert (result.outcome, result.message) == (CheckInOutcome.PENDING, WAITING)
    assert stored(db) == [(result.checkin_id, "pending", "")]
