"""A residency on the day US clocks go forward, and helpers that put it in a client cache.

On 2027-03-14 America/Chicago moves from CST (UTC-6) to CDT (UTC-5) at 02:00 local time;
London is still on GMT (UTC+0) that day. Every instant below is UTC.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from desktop_app.db import Database
from desktop_app.models import Course, Enrolment, Lesson, Module, Residency, ResidencySession

RESIDENCY_ID = "r-chicago-spring"
CHECKIN_CODE = "MAPLE-42"
CHICAGO = "America/Chicago"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# (id, title, room, faculty, start, end)
SESSIONS = (
    ("s-early", "Night-shift handover", "Room 101", ("Dr Lena Park",), utc(2027, 3, 14, 7, 0),
     utc(2027, 3, 14, 7, 45)),
    ("s-across", "Clocks-change drill", "Room 101", (), utc(2027, 3, 14, 7, 30),
     utc(2027, 3, 14, 8, 30)),
    ("s-sim", "Simulation lab", "Sim Suite B", ("Dr Omar Haddad", "RN Jo Reyes"),
     utc(2027, 3, 14, 13, 30), utc(2027, 3, 14, 15, 0)),
    ("s-cases", "Case reviews", "Auditorium", ("Dr Lena Park",), utc(2027, 3, 14, 18, 0),
     utc(2027, 3, 14, 21, 30)),
)  # fmt: skip
STARTS_AT, ENDS_AT = utc(2027, 3, 14, 7, 0), utc(2027, 3, 14, 21, 30)
WINDOW_OPENS, WINDOW_CLOSES = utc(2027, 3, 14, 6, 30), utc(2027, 3, 14, 14, 0)
DURING_WINDOW = utc(2027, 3, 14, 13, 0)  # 08:00 CDT


@dataclass
class FakeClock:
    now: datetime = DURING_WINDOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Progress:
    """Completion the tests control, in percent by course id."""

    percent: dict[str, float] = field(default_factory=dict)

    def __call__(self, course_id: str) -> float:
        return self.percent.get(course_id, 0.0)


def put_residency(
    db: Database,
    residency_id: str = RESIDENCY_ID,
    *,
    starts_at: datetime = STARTS_AT,
    ends_at: datetime = ENDS_AT,
    timezone: str = CHICAGO,
    prerequisites: tuple[str, ...] = ("c-foundations", "c-privacy", "c-presence"),
    badge_token: str = "",
    window: tuple[datetime, datetime] | None = (WINDOW_OPENS, WINDOW_CLOSES),
    sessions: tuple[tuple[Any, ...], ...] = SESSIONS,
    title: str = "Spring clinical residency",
) -> None:
    """Writes a residency as the schedule sync would: the row, its sessions, the enrolment."""
    with db.session() as session:
        session.add(
            Residency(
                id=residency_id,
                title=title,
                summary="A day of hands-on practice.",
                version=1,
                venue_name="Lakeside Teaching Hospital",
                venue_address="200 E Lake St, Chicago, IL 60601",
                timezone=timezone,
                starts_at=starts_at,
                ends_at=ends_at,
                checkin_opens_at=window[0] if window else None,
                checkin_closes_at=window[1] if window else None,
                prerequisites_json=json.dumps(list(prerequisites)),
            )
        )
        session.flush()
        for position, (sid, name, room, faculty, start, end) in enumerate(sessions):
            session.add(
                ResidencySession(
                    id=f"{residency_id}.{sid}",
                    residency_id=residency_id,
                    title=name,
                    room=room,
                    faculty_json=json.dumps(list(faculty)),
                    starts_at=start,
                    ends_at=end,
                    position=position,
                )
            )
        session.add(
            Enrolment(
                id=f"e-{residency_id}",
                residency_id=residency_id,
                status="enrolled",
                badge_token=badge_token,
            )
        )


def put_course(db: Database, course_id: str, title: str, lessons: int = 5) -> None:
    with db.session() as session:
        session.add(Course(id=course_id, title=title, summary="", version=1, position=0))
        session.add(Module(id=f"{course_id}.m1", course_id=course_id, title="Module", position=0))
        session.flush()
        for index in range(lessons):
            session.add(
                Lesson(
                    id=f"{course_id}.l{index}",
                    module_id=f"{course_id}.m1",
                    course_id=course_id,
                    title=f"Lesson {index + 1}",
                    kind="reading",
                    position=index,
                )
            )


def server_residency(**overrides: Any) -> dict[str, Any]:
    """The same residency in the curriculum file format, for the reference server's admin."""

    def stamp(moment: datetime) -> str:
        return moment.isoformat().replace("+00:00", "Z")

    document = {
        "id": RESIDENCY_ID,
        "title": "Spring clinical residency",
        "summary": "A day of hands-on practice.",
        "venue": {
            "name": "Lakeside Teaching Hospital",
            "address": "200 E Lake St, Chicago, IL 60601",
            "timezone": CHICAGO,
        },
        "starts_at": stamp(STARTS_AT),
        "ends_at": stamp(ENDS_AT),
        "checkin_opens_at": stamp(WINDOW_OPENS),
        "checkin_closes_at": stamp(WINDOW_CLOSES),
        "checkin_code": CHECKIN_CODE,
        "prerequisites": [],
        "sessions": [_server_session(row, stamp) for row in SESSIONS],
        "enrolled": ["ana"],
    }
    document.update(overrides)
    return document


def _server_session(row: tuple[Any, ...], stamp: Callable[[datetime], str]) -> dict[str, Any]:
    sid, title, room, faculty, start, end = row
    return {
        "id": f"{RESIDENCY_ID}.{sid}",
        "title": title,
        "room": room,
        "faculty": list(faculty),
        "starts_at": stamp(start),
        "ends_at": stamp(end),
    }
