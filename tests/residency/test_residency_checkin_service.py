"""The check-in service's own rules, with the server's answers scripted (no network)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import pytest
from residency_samples import CHECKIN_CODE, RESIDENCY_ID, FakeClock, put_residency
from sqlalchemy import select

from desktop_app.api import OfflineError, ProblemError, ServerError, SessionExpiredError
from desktop_app.db import Database
from desktop_app.models import CheckIn, Enrolment
from desktop_app.residency import CheckInOutcome, CheckInService


@dataclass(frozen=True)
class Receipt:
    status: str
    confirmed_at: datetime | None


@dataclass
class ScriptedServer:
    """Answers each post with the next scripted outcome (an exception, or confirmation)."""

    script: list[BaseException | None] = field(default_factory=list)
    sent: list[tuple[str, str, str, datetime]] = field(default_factory=list)

    def __call__(self, checkin_id: str, residency_id: str, code: str, at: datetime) -> Receipt:
        self.sent.append((checkin_id, residency_id, code, at))
        outcome = self.script.pop(0) if self.script else None
        if outcome is not None:
            raise outcome
        return Receipt("confirmed", at)


Make = Callable[..., tuple[CheckInService, ScriptedServer]]


@pytest.fixture
def make(db: Database, clock: FakeClock) -> Make:
    def build(*script: BaseException | None) -> tuple[CheckInService, ScriptedServer]:
        server = ScriptedServer(list(script))
        return CheckInService(db, server, clock), server

    put_residency(db)
    return build


def statuses(db: Database) -> list[str]:
    with db.session() as session:
        return list(session.scalars(select(CheckIn.status).order_by(CheckIn.device_time)))


def test_the_check_in_is_stored_before_it_is_sent(
    make: Make, db: Database, clock: FakeClock
) -> None:
    make()  # the residency is in the cache
    seen: list[list[str]] = []

    def post(*_args: object) -> Receipt:
        seen.append(statuses(db))
        raise OfflineError("down")

    CheckInService(db, post, clock).check_in(RESIDENCY_ID, CHECKIN_CODE)
    assert seen == [["pending"]]


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (OfflineError("no route"), "Waiting for confirmation — it will be sent when you are back"),
        (ServerError(503), "The server had a problem"),
        (SessionExpiredError("expired"), "Sign in again to send your check-in"),
        (ProblemError(429, "https://rounds.example/problems/rate-limited", "Slow down", ""),
         "Waiting for confirmation"),
    ],
)  # fmt: skip
def test_failures_that_may_pass_stay_pending(
    make: Make, db: Database, error: BaseException, words: str
) -> None:
    service, _server = make(error)
    result = service.check_in(RESIDENCY_ID, CHECKIN_CODE)
    assert result.outcome is CheckInOutcome.PENDING and result.recorded
    assert words in result.message
    assert statuses(db) == ["pending"]


def test_flush_sends_the_same_id_and_device_time_again(make: Make, clock: FakeClock) -> None:
    service, server = make(OfflineError("down"))
    first = service.check_in(RESIDENCY_ID, CHECKIN_CODE)
    clock.advance(hours=3)
    (result,) = service.flush_pending()
    assert result.outcome is CheckInOutcome.CONFIRMED
    assert server.sent[0] == server.sent[1]
    assert server.sent[1][0] == first.checkin_id


def test_flush_stops_at_the_first_that_still_cannot_get_through(
    db: Database, clock: FakeClock
) -> None:
    put_residency(db, "r-one")
    put_residency(db, "r-two")
    server = ScriptedServer([OfflineError("down"), OfflineError("down")])
    service = CheckInService(db, server, clock)
    service.check_in("r-one", CHECKIN_CODE)
    clock.advance(minutes=1)
    service.check_in("r-two", CHECKIN_CODE)
    server.script = [OfflineError("still down")]
    assert [r.outcome for r in service.flush_pending()] == [CheckInOutcome.PENDING]
    assert len(server.sent) == 3 and service.pending_count() == 2


@pytest.mark.parametrize(
    ("residency_id", "code", "words"),
    [
        ("r-unknown", CHECKIN_CODE, "This residency is not on this computer."),
        (RESIDENCY_ID, "   ", "Enter the check-in code shown at the venue."),
    ],
)
def test_refusals_store_and_send_nothing(
    make: Make, db: Database, residency_id: str, code: str, words: str
) -> None:
    service, server = make()
    result = service.check_in(residency_id, code)
    assert result.outcome is CheckInOutcome.REFUSED and not result.recorded
    assert result.message.startswith(words)
    assert server.sent == [] and statuses(db) == []


def test_a_withdrawn_learner_is_refused_here(make: Make, db: Database) -> None:
    with db.session() as session:
        session.scalars(select(Enrolment)).one().status = "withdrawn"
    service, server = make()
    result = service.check_in(RESIDENCY_ID, CHECKIN_CODE)
    assert result.outcome is CheckInOutcome.REFUSED
    assert "not enrolled" in result.message and server.sent == []


def test_a_late_answer_never_overrides_a_settled_check_in(
    make: Make, db: Database, clock: FakeClock
) -> None:
    service, _server = make(OfflineError("down"))
    queued = service.check_in(RESIDENCY_ID, CHECKIN_CODE)

    def confirmed_meanwhile(*_args: object) -> Receipt:
        service.flush_pending()  # another thread's flush gets the confirmation first
        raise ProblemError(422, "https://rounds.example/problems/wrong-code", "Wrong", "No.")

    (late,) = CheckInService(db, confirmed_meanwhile, clock).flush_pending()
    assert (late.checkin_id, late.outcome) == (queued.checkin_id, CheckInOutcome.CONFIRMED)
    assert statuses(db) == ["confirmed"]
