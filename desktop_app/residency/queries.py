"""Read-side queries for the residency pages: the cache shaped into frozen rows.

Every call opens its own short session, so the queries may run on any thread.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.db import Database
from desktop_app.models import CheckIn, Course, Enrolment, Lesson, Residency, ResidencySession
from desktop_app.progress.overview import ReadinessRow
from desktop_app.residency import checkin_words
from desktop_app.residency.badge import InvalidBadge, read_claims
from desktop_app.residency.prerequisites import Completion, prerequisite_rows
from desktop_app.residency.rows import (
    BadgeInfo,
    CheckInRecord,
    CheckInStatus,
    PrerequisiteRow,
    PrerequisiteState,
    ResidencyDetail,
    ResidencySummary,
    SessionRow,
)
from desktop_app.residency.times import (
    LearnerZone,
    TimeSpan,
    day_text,
    learner_span,
    venue_span,
)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def summary_of(
    id: str,
    title: str,
    venue_name: str,
    timezone: str,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
) -> ResidencySummary:
    when = day_text(venue_span(starts_at, ends_at, timezone))
    return ResidencySummary(
        id, title, venue_name, timezone, starts_at, ends_at, when, ends_at < now
    )


class Dated(Protocol):
    @property
    def title(self) -> str: ...

    @property
    def starts_at(self) -> datetime: ...

    @property
    def past(self) -> bool: ...


def upcoming_first[D: Dated](rows: list[D]) -> list[D]:
    """Upcoming (and running) residencies soonest first, then past ones latest first."""
    upcoming = sorted((r for r in rows if not r.past), key=lambda r: (r.starts_at, r.title))
    past = sorted((r for r in rows if r.past), key=lambda r: r.starts_at, reverse=True)
    return upcoming + past


def checkin_record(row: CheckIn, zone_name: str) -> CheckInRecord:
    status = CheckInStatus(row.status)
    text = checkin_words.status_line(status, row.message, row.confirmed_at, zone_name)
    return CheckInRecord(row.id, status, row.device_time, row.confirmed_at, text)


def current_checkin(rows: list[CheckIn]) -> CheckIn | None:
    """The check-in that counts: a confirmed one, else the latest pending, else the latest."""
    for status in (CheckInStatus.CONFIRMED, CheckInStatus.PENDING, CheckInStatus.REJECTED):
        found = [row for row in rows if row.status == status.value]
        if found:
            return max(found, key=lambda row: row.device_time)
    return None


def course_lesson_ids(db: Database, course_id: str) -> list[str]:
    """The cached lessons of a course: what the progress log weighs completion against.

    For the composition root: `progress_completion(log.course_state,
    functools.partial(course_lesson_ids, db))` is the `completion` ResidencyQueries takes."""
    with db.session() as session:
        return list(session.scalars(select(Lesson.id).where(Lesson.course_id == course_id)))


class ResidencyQueries:
    """The residencies in the cache, as the list and the residency page show them."""

    def __init__(
        self,
        db: Database,
        completion: Completion,
        *,
        learner_zone: LearnerZone = None,
        clock: Clock = utc_now,
    ) -> None:
        self._db = db
        self._completion = completion
        self._zone = learner_zone
        self._clock = clock

    def summaries(self) -> list[ResidencySummary]:
        now = self._clock()
        with self._db.session() as session:
            found = session.scalars(select(Residency)).all()
            rows = [
                summary_of(r.id, r.title, r.venue_name, r.timezone, r.starts_at, r.ends_at, now)
                for r in found
            ]
        return upcoming_first(rows)

    def readiness(self) -> list[ReadinessRow]:
        """Each residency's prerequisites done and expected, upcoming residencies first."""
        now = self._clock()
        with self._db.session() as session:
            rows = [self._readiness(session, r, now) for r in session.scalars(select(Residency))]
        return upcoming_first(rows)

    def _readiness(self, session: Session, residency: Residency, now: datetime) -> ReadinessRow:
        rows = self._prerequisites(session, residency)
        done = sum(1 for row in rows if row.state is PrerequisiteState.DONE)
        return ReadinessRow(
            residency.id,
            residency.title,
            residency.starts_at,
            residency.timezone,
            done,
            len(rows),
            residency.ends_at < now,
        )

    def detail(self, residency_id: str) -> ResidencyDetail | None:
        with self._db.session() as session:
            residency = session.get(Residency, residency_id)
            if residency is None:
                return None
            return self._detail(session, residency, self._clock())

    def _detail(self, session: Session, residency: Residency, now: datetime) -> ResidencyDetail:
        zone_name = residency.timezone
        span = venue_span(residency.starts_at, residency.ends_at, zone_name)
        yours = learner_span(span, self._zone)
        return ResidencyDetail(
            id=residency.id,
            title=residency.title,
            summary=residency.summary,
            venue_name=residency.venue_name,
            venue_address=residency.venue_address,
            timezone=zone_name,
            starts_at=residency.starts_at,
            ends_at=residency.ends_at,
            venue_day=day_text(span),
            your_day=day_text(yours) if yours is not None else "",
            past=residency.ends_at < now,
            sessions=self._sessions(session, residency),
            prerequisites=self._prerequisites(session, residency),
            window=checkin_words.window_of(
                residency.checkin_opens_at, residency.checkin_closes_at, zone_name, now
            ),
            checkin=self._checkin(session, residency),
            badge=_badge(_enrolment(session, residency.id), residency, span),
            venue_span=span,
            your_span=yours,
        )

    def _sessions(self, session: Session, residency: Residency) -> tuple[SessionRow, ...]:
        query = (
            select(ResidencySession)
            .where(ResidencySession.residency_id == residency.id)
            .order_by(ResidencySession.starts_at, ResidencySession.position)
        )
        return tuple(self._session_row(s, residency.timezone) for s in session.scalars(query))

    def _session_row(self, row: ResidencySession, zone_name: str) -> SessionRow:
        venue = venue_span(row.starts_at, row.ends_at, zone_name)
        faculty = tuple(str(name) for name in _json_list(row.faculty_json))
        return SessionRow(
            row.id,
            row.title,
            row.room,
            faculty,
            row.starts_at,
            row.ends_at,
            venue,
            learner_span(venue, self._zone),
        )

    def _prerequisites(self, session: Session, residency: Residency) -> tuple[PrerequisiteRow, ...]:
        course_ids = [str(course_id) for course_id in _json_list(residency.prerequisites_json)]
        found = session.execute(select(Course.id, Course.title).where(Course.id.in_(course_ids)))
        titles = {course_id: title for course_id, title in found}
        return prerequisite_rows(course_ids, titles, self._completion)

    def _checkin(self, session: Session, residency: Residency) -> CheckInRecord | None:
        rows = session.scalars(select(CheckIn).where(CheckIn.residency_id == residency.id)).all()
        current = current_checkin(list(rows))
        return checkin_record(current, residency.timezone) if current is not None else None


def _enrolment(session: Session, residency_id: str) -> Enrolment | None:
    query = select(Enrolment).where(Enrolment.residency_id == residency_id)
    return session.scalars(query).first()


def _badge(enrolment: Enrolment | None, residency: Residency, span: TimeSpan) -> BadgeInfo | None:
    enrolled = enrolment is not None and enrolment.status == "enrolled"
    token = enrolment.badge_token.strip() if enrolment is not None and enrolled else ""
    if not token:
        return None
    try:
        name = read_claims(token).display_name
    except InvalidBadge:
        name = ""
    return BadgeInfo(token, name, residency.title, residency.venue_name, day_text(span), span)


def _json_list(text: str) -> list[Any]:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []
