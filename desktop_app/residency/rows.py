"""The frozen rows a residency page and the residency list show (no ORM objects, no Qt)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from desktop_app.residency.times import TimeSpan


@dataclass(frozen=True)
class ResidencySummary:
    """One line of the residency list."""

    id: str
    title: str
    venue_name: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    when: str  # "Sunday 14 March 2027, 08:00–17:00 CDT" in venue time
    past: bool


@dataclass(frozen=True)
class SessionRow:
    """One agenda line; `yours` is None when the learner's clock reads the same as the venue's."""

    id: str
    title: str
    room: str
    faculty: tuple[str, ...]
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    venue: TimeSpan
    yours: TimeSpan | None


class PrerequisiteState(StrEnum):
    DONE = "done"
    IN_PROGRESS = "in progress"
    NOT_STARTED = "not started"
    NOT_AVAILABLE = "not available offline yet"


@dataclass(frozen=True)
class PrerequisiteRow:
    course_id: str
    title: str
    state: PrerequisiteState
    percent: int  # 0…100; 0 when the course is not in the cache
    label: str  # "done", "40%", "not started", "not available offline yet"

    @property
    def can_continue(self) -> bool:
        return self.state in (PrerequisiteState.IN_PROGRESS, PrerequisiteState.NOT_STARTED)


class WindowState(StrEnum):
    NOT_OPEN_YET = "not open yet"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class CheckInWindow:
    opens_at: datetime  # UTC
    closes_at: datetime  # UTC
    state: WindowState
    text: str  # "Check-in is open Sun 14 Mar, 07:30 CDT – Sun 14 Mar, 09:30 CDT (venue time)"


class CheckInStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


@dataclass(frozen=True)
class CheckInRecord:
    """The learner's latest check-in for a residency, as stored on this computer."""

    id: str
    status: CheckInStatus
    device_time: datetime
    confirmed_at: datetime | None
    text: str  # the status line the page shows


@dataclass(frozen=True)
class BadgeInfo:
    token: str
    attendee_name: str  # from the token's claims; "" if the token cannot be read
    residency_title: str
    venue_name: str
    day: str
    span: TimeSpan  # the day in venue time, for the views to write in the learner's language


@dataclass(frozen=True)
class ResidencyDetail:
    """Everything the residency page shows."""

    id: str
    title: str
    summary: str
    venue_name: str
    venue_address: str
    timezone: str
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    venue_day: str  # "Sunday 14 March 2027, 08:00–17:00 CDT"
    your_day: str  # the same in the learner's zone, or "" when it reads the same
    past: bool
    sessions: tuple[SessionRow, ...]
    prerequisites: tuple[PrerequisiteRow, ...]
    window: CheckInWindow | None
    checkin: CheckInRecord | None
    badge: BadgeInfo | None
    venue_span: TimeSpan  # the day in venue time (what venue_day says)
    your_span: (
        TimeSpan | None
    )  # the same in the learner's zone (your_day), None if it reads the same

    @property
    def shows_your_time(self) -> bool:
        return any(row.yours is not None for row in self.sessions)
