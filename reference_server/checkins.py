"""POST /api/v1/checkins: venue check-in with the code shown on site, idempotent by client id."""

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field, StrictStr
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import Response

from reference_server.auth import AuthenticatedUser
from reference_server.db import Database
from reference_server.documents import rfc3339
from reference_server.jsonresponse import json_response
from reference_server.models import Checkin, Enrolment, Residency, User
from reference_server.openapi import problems, reply
from reference_server.problems import ProblemError
from reference_server.schemas import CheckinConfirmation
from reference_server.wire import Rfc3339, UuidText


class CheckinRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: UuidText
    residency_id: StrictStr = Field(
        min_length=1, max_length=128, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"
    )
    code: StrictStr = Field(max_length=128)
    device_time: Rfc3339


@dataclass(frozen=True)
class CheckinRecord:
    """A check-in as organisers see it."""

    id: str
    residency_id: str
    user_id: str
    username: str
    display_name: str
    device_time: datetime
    received_at: datetime


def _normalise_code(code: str) -> bytes:
    return " ".join(code.split()).casefold().encode()


def _confirmation(row: Checkin) -> dict[str, str]:
    return {
        "id": row.id,
        "residency_id": row.residency_id,
        "status": "confirmed",
        "confirmed_at": rfc3339(row.received_at),
    }


CLOCK_SKEW = timedelta(minutes=5)
OFFLINE_GRACE = timedelta(hours=24)


class CheckinDesk:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self._db, self._clock = db, clock

    def check_in(
        self, user: AuthenticatedUser, request: CheckinRequest
    ) -> tuple[int, dict[str, str]]:

        def unit(session: Session) -> tuple[int, dict[str, str]]:
            earlier = self._earlier(session, user, request)
            if earlier is not None:
                return 200, _confirmation(earlier)
            residency = session.get(Residency, request.residency_id)
            assert residency is not None
            self._check_code_and_window(residency, request.code, request.device_time)
            row = Checkin(
                id=request.id,
                residency_id=residency.id,
                user_id=user.id,
                device_time=request.device_time,
                received_at=self._clock(),
            )
            session.add(row)
            session.flush()  # a repeat committed by another worker fails here, and is rerun
            return 201, _confirmation(row)

        # The rerun finds the other worker's check-in and answers with it, as for a repeat.
        return self._db.write_retrying(unit)

    def _earlier(
        self, session: Session, user: AuthenticatedUser, request: CheckinRequest
    ) -> Checkin | None:
        same_id = session.get(Checkin, request.id)
        if same_id is not None:
            if same_id.user_id != user.id:
                raise ProblemError(409, detail="That check-in id is already in use.")
            return same_id
        residency = session.get(Residency, request.residency_id)
        if residency is None or residency.deleted:
            raise ProblemError(404, detail="No residency has that id.")
        enrolment = session.scalar(
            select(Enrolment).where(
                Enrolment.residency_id == residency.id, Enrolment.user_id == user.id
            )
        )
        if enrolment is None or enrolment.status != "enrolled":
            raise ProblemError(
                403, "not-enrolled", "You are not enrolled in this residency.", title="Not enrolled"
            )
        return session.scalar(
            select(Checkin).where(Checkin.residency_id == residency.id, Checkin.user_id == user.id)
        )

    def _check_code_and_window(
        self, residency: Residency, code: str, device_time: datetime
    ) -> None:
        if not hmac.compare_digest(_normalise_code(code), _normalise_code(residency.checkin_code)):
            raise ProblemError(
                422,
                "wrong-code",
                "The code does not match the one shown at the venue.",
                title="Wrong check-in code",
            )
        if (
            not residency.checkin_opens_at
            <= self._checked_in_at(residency, device_time)
            <= (residency.checkin_closes_at)
        ):
            raise ProblemError(
                422,
                "outside-window",
                f"Check-in is open from {rfc3339(residency.checkin_opens_at)} "
                f"to {rfc3339(residency.checkin_closes_at)}.",
                title="Check-in is not open",
            )

    def _checked_in_at(self, residency: Residency, device_time: datetime) -> datetime:
        """When the attendee checked in: the device's time for a check-in queued offline.

        A device clock ahead of the server's is not believed, and a queued check-in must
        arrive within OFFLINE_GRACE of the window closing.
        """
        now = self._clock()
        if device_time > now + CLOCK_SKEW or now > residency.checkin_closes_at + OFFLINE_GRACE:
            return now
        return device_time

    def list_checkins(self, residency_id: str) -> list[CheckinRecord]:
        with self._db.read() as session:
            if session.get(Residency, residency_id) is None:
                raise KeyError(residency_id)
            rows = session.execute(
                select(Checkin, User)
                .join(User, User.id == Checkin.user_id)
                .where(Checkin.residency_id == residency_id)
                .order_by(Checkin.received_at, Checkin.id)
            )
            return [
                CheckinRecord(
                    c.id,
                    c.residency_id,
                    u.id,
                    u.username,
                    u.display_name,
                    c.device_time,
                    c.received_at,
                )
                for c, u in rows
            ]


def checkins_router(desk: CheckinDesk, guard: Callable[..., AuthenticatedUser]) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["checkins"])

    @router.post(
        "/checkins",
        summary="Check in at a residency (idempotent by id)",
        responses={
            **reply(CheckinConfirmation, "Already checked in: the check-in made before"),
            **reply(CheckinConfirmation, "Checked in", status=201),
            **problems(400, 401, 403, 404, 409, 413, 422),
        },
    )
    def check_in(
        body: CheckinRequest, user: Annotated[AuthenticatedUser, Depends(guard)]
    ) -> Response:
        status, document = desk.check_in(user, body)
        return json_response(document, status=status)

    return router
