"""What the cache holds and when it was last brought up to date (for `status` and the UI)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.models import CheckIn, Course, Lesson, ProgressEvent, Residency, SyncState
from desktop_app.sync.engine import CATALOG, SCHEDULE


@dataclass(frozen=True)
class CacheStatus:
    courses: int
    lessons: int
    residencies: int
    pending_uploads: int
    last_synced_at: datetime | None
    last_error: str

    def __str__(self) -> str:
        synced = (
            self.last_synced_at.strftime("%Y-%m-%d %H:%M UTC") if self.last_synced_at else "never"
        )
        text = (
            f"{_count(self.courses, 'course')}, {_count(self.lessons, 'lesson')}, "
            f"{_count(self.residencies, 'residency', 'residencies')}, "
            f"{_count(self.pending_uploads, 'pending upload')}; last synced {synced}"
        )
        return f"{text}; last sync failed: {self.last_error}" if self.last_error else text


def read_status(session: Session) -> CacheStatus:
    states = {s.stream: s for s in session.scalars(select(SyncState))}
    synced = [states[s].last_synced_at if s in states else None for s in (CATALOG, SCHEDULE)]
    errors = [state.last_error for state in states.values() if state.last_error]
    return CacheStatus(
        courses=_rows(session, Course),
        lessons=_rows(session, Lesson),
        residencies=_rows(session, Residency),
        pending_uploads=pending_uploads(session),
        last_synced_at=None if None in synced else min(t for t in synced if t is not None),
        last_error=errors[0] if errors else "",
    )


def pending_uploads(session: Session) -> int:
    """Progress events and check-ins recorded here that the server has not confirmed yet."""
    events = session.scalar(
        select(func.count())
        .select_from(ProgressEvent)
        .where(ProgressEvent.uploaded_at.is_(None), ProgressEvent.quarantined_reason.is_(None))
        .where(ProgressEvent.origin == "local")
    )
    checkins = session.scalar(
        select(func.count()).select_from(CheckIn).where(CheckIn.status == "pending")
    )
    return int(events or 0) + int(checkins or 0)


def _rows(session: Session, model: type[Course | Lesson | Residency]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _count(number: int, singular: str, plural: str = "") -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"
