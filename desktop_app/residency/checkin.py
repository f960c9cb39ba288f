"""Checking in at the venue: recorded on this computer first, then sent; queued when offline.

`check_in` refuses locally what the server would refuse anyway (outside the window, already
checked in, no code), so the learner gets an answer with no network. Otherwise it stores a
pending check-in (client-generated id, device time) in its own transaction before sending, so
a crash or a lost connection never loses it. `flush_pending` is the outbox: it sends every
pending check-in again with the same id (the server treats a repeat as the same check-in).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.api.errors import (
    ApiError,
    AuthenticationError,
    OfflineError,
    ProblemError,
)
from desktop_app.db import Database
from desktop_app.models import CheckIn, Enrolment, Residency
from desktop_app.residency import checkin_words
from desktop_app.residency.queries import Clock, current_checkin, utc_now
from desktop_app.residency.rows import CheckInStatus, CheckInWindow, WindowState
from desktop_app.text import translate


class Receipt(Protocol):
    """What the server answers to a check-in (desktop_app.api.payloads.CheckinReceipt)."""

    @property
    def status(self) -> str: ...

    @property
    def confirmed_at(self) -> datetime | None: ...


PostCheckin = Callable[[str, str, str, datetime], Receipt]
"""`ApiClient.post_checkin(checkin_id, residency_id, code, device_time)`."""


class CheckInOutcome(StrEnum):
    CONFIRMED = "confirmed"  # the server has it
    PENDING = "pending"  # stored here, will be sent when the server can be reached
    REJECTED = "rejected"  # the server said no; a new code may be tried
    REFUSED = "refused"  # not attempted: refused on this computer, nothing stored


@dataclass(frozen=True)
class CheckInResult:
    residency_id: str
    outcome: CheckInOutcome
    message: str
    checkin_id: str | None = None
    confirmed_at: datetime | None = None

    @property
    def recorded(self) -> bool:
        """Confirmed or queued: the learner need do nothing more."""
        return self.outcome in (CheckInOutcome.CONFIRMED, CheckInOutcome.PENDING)


@dataclass(frozen=True)
class _Pending:
    id: str
    residency_id: str
    code: str
    device_time: datetime
    timezone: str


class CheckInService:
    """Check-ins for the signed-in learner; any thread may call it (each call opens its own
    database sessions, and recording a new check-in is serialised)."""

    def __init__(self, db: Database, api_post_checkin: PostCheckin, clock: Clock = utc_now) -> None:
        self._db = db
        self._post = api_post_checkin
        self._clock = clock
        self._lock = threading.Lock()

    def check_in(self, residency_id: str, code: str) -> CheckInResult:
        with self._lock:
            pending = self._record(residency_id, code.strip())
        if isinstance(pending, CheckInResult):
            return pending
        return self._send(pending)

    def flush_pending(self) -> list[CheckInResult]:
        """Sends every queued check-in; stops at the first that still cannot get through."""
        results: list[CheckInResult] = []
        for pending in self._queued():
            result = self._send(pending)
            results.append(result)
            if result.outcome is CheckInOutcome.PENDING:
                break
        return results

    def flush_confirmed(self) -> int:
        """`flush_pending`, counting the check-ins the server confirmed."""
        return sum(r.outcome is CheckInOutcome.CONFIRMED for r in self.flush_pending())

    def pending_count(self) -> int:
        return len(self._queued())

    def _record(self, residency_id: str, code: str) -> _Pending | CheckInResult:
        now = self._clock()
        with self._db.session() as session:
            residency = session.get(Residency, residency_id)
            refusal = _refusal(session, residency_id, residency, code, now)
            if refusal is not None:
                return refusal
            assert residency is not None
            row = CheckIn(
                id=str(uuid.uuid4()),
                residency_id=residency_id,
                code=code,
                device_time=now,
                status=CheckInStatus.PENDING.value,
                message="",
            )
            session.add(row)
            return _pending(row, residency)

    def _queued(self) -> list[_Pending]:
        with self._db.session() as session:
            rows = session.scalars(
                select(CheckIn)
                .where(CheckIn.status == CheckInStatus.PENDING.value)
                .order_by(CheckIn.device_time, CheckIn.id)
            ).all()
            return [_pending(row, session.get(Residency, row.residency_id)) for row in rows]

    def _send(self, pending: _Pending) -> CheckInResult:
        try:
            receipt = self._post(
                pending.id, pending.residency_id, pending.code, pending.device_time
            )
        except ProblemError as error:
            if _keeps_pending(error):
                return self._still_pending(pending, checkin_words.WAITING)
            return self._rejected(pending, _rejection_text(error, pending))
        except OfflineError:
            return self._still_pending(pending, checkin_words.WAITING)
        except AuthenticationError:
            return self._still_pending(pending, _SIGN_IN_AGAIN)
        except ApiError as error:  # the server failed (5xx) or answered nonsense: try later
            return self._still_pending(pending, _SAVED.format(reason=error.message))
        return self._confirmed(pending, receipt.confirmed_at or self._clock())

    def _confirmed(self, pending: _Pending, at: datetime) -> CheckInResult:
        return self._settle(pending, CheckInStatus.CONFIRMED, "", at)

    def _rejected(self, pending: _Pending, reason: str) -> CheckInResult:
        return self._settle(pending, CheckInStatus.REJECTED, reason, None)

    def _still_pending(self, pending: _Pending, message: str) -> CheckInResult:
        return CheckInResult(pending.residency_id, CheckInOutcome.PENDING, message, pending.id)

    def _settle(
        self, pending: _Pending, status: CheckInStatus, message: str, at: datetime | None
    ) -> CheckInResult:
        """Moves a pending check-in to its final state; one settled meanwhile stays as it is."""
        with self._db.session() as session:
            row = session.get(CheckIn, pending.id)
            if row is not None and row.status == CheckInStatus.PENDING.value:
                row.status, row.message, row.confirmed_at = status.value, message, at
            if row is not None:
                status, message, at = CheckInStatus(row.status), row.message, row.confirmed_at
        words = checkin_words.status_line(status, message, at, pending.timezone)
        outcome = CheckInOutcome(status.value)
        return CheckInResult(pending.residency_id, outcome, words, pending.id, at)


_SAVED = translate(
    "residency",
    "{reason} Your check-in is saved on this computer and will be sent again later.",
)
_SIGN_IN_AGAIN = translate(
    "residency",
    "Sign in again to send your check-in; it is saved on this computer until then.",
)


def _refusal(
    session: Session, residency_id: str, residency: Residency | None, code: str, now: datetime
) -> CheckInResult | None:
    """Why this check-in is refused on this computer, or None if it may be sent."""
    reason = _cannot_check_in(session, residency, code, now)
    if reason is not None:
        return CheckInResult(residency_id, CheckInOutcome.REFUSED, reason)
    existing = current_checkin(_checkins(session, residency_id))
    if existing is None or existing.status == CheckInStatus.REJECTED.value:
        return None
    message = checkin_words.already(CheckInStatus(existing.status))
    return CheckInResult(residency_id, CheckInOutcome.REFUSED, message, existing.id)


def _cannot_check_in(
    session: Session, residency: Residency | None, code: str, now: datetime
) -> str | None:
    if residency is None:
        return checkin_words.NOT_ON_THIS_COMPUTER
    if not _enrolled(session, residency.id):
        return checkin_words.NOT_ENROLLED
    window = _window(residency, now)
    if window is not None and window.state is not WindowState.OPEN:
        return checkin_words.outside_window(window, residency.timezone)
    return None if code else checkin_words.ENTER_CODE


def _enrolled(session: Session, residency_id: str) -> bool:
    """False only when the schedule says the learner withdrew (no row: let the server say)."""
    query = select(Enrolment.status).where(Enrolment.residency_id == residency_id)
    status = session.scalars(query).first()
    return status is None or status == "enrolled"


def _window(residency: Residency, now: datetime) -> CheckInWindow | None:
    opens, closes = residency.checkin_opens_at, residency.checkin_closes_at
    return checkin_words.window_of(opens, closes, residency.timezone, now)


def _checkins(session: Session, residency_id: str) -> list[CheckIn]:
    query = select(CheckIn).where(CheckIn.residency_id == residency_id)
    return list(session.scalars(query))


def _pending(row: CheckIn, residency: Residency | None) -> _Pending:
    zone = residency.timezone if residency is not None else "UTC"
    return _Pending(row.id, row.residency_id, row.code, row.device_time, zone)


def _keeps_pending(error: ProblemError) -> bool:
    """A refusal that says "not now" rather than "no": rate limits and the like."""
    return error.status == 429 or error.kind == "rate-limited"


def _rejection_text(error: ProblemError, pending: _Pending) -> str:
    """The server's reason, its times shown on the venue's clock; a wrong code in our words
    (the server's would repeat what the page says about trying again)."""
    if checkin_words.wrong_code(error.kind):
        return str(checkin_words.WRONG_CODE)
    reason = error.detail or error.title or error.message
    return checkin_words.in_venue_time(reason, pending.timezone)
