"""What the cache holds and when it was last brought up to date (for `status` and the UI)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.models import Course, Lesson, Residency, SyncState
from desktop_app.progress.pending import Pending, read_pending

CATALOG, SCHEDULE = "catalog", "schedule"  # the synced streams, as `SyncState` names them


@dataclass(frozen=True)
class CacheStatus:
    courses: int
    lessons: int
    residencies: int
    pending: Pending
    last_synced_at: datetime | None
    last_error: str

    def __str__(self) -> str:
        synced = (
            self.last_synced_at.strftime("%Y-%m-%d %H:%M UTC") if self.last_synced_at else "never"
        )
        text = (
            f"{_count(self.courses, 'course')}, {_count(self.lessons, 'lesson')}, "
            f"{_count(self.residencies, 'residency', 'residencies')}; {self.pending}; "
            f"last synced {synced}"
        )
        return f"{text}; last sync failed: {self.last_error}" if self.last_error else text


def read_status(session: Session) -> CacheStatus:
    states = {s.stream: s for s in session.scalars(select(SyncState))}
    errors = [state.last_error for state in states.values() if state.last_error]
    return CacheStatus(
        courses=_rows(session, Course),
        lessons=_rows(session, Lesson),
        residencies=_rows(session, Residency),
        pending=read_pending(session),
        last_synced_at=_last_synced(states),
        last_error=errors[0] if errors else "",
    )


def last_synced_at(session: Session) -> datetime | None:
    """When both the catalog and the schedule were last brought up to date (None: never)."""
    return _last_synced({s.stream: s for s in session.scalars(select(SyncState))})


def _last_synced(states: dict[str, SyncState]) -> datetime | None:
    synced = [states[s].last_synced_at if s in states else None for s in (CATALOG, SCHEDULE)]
    return None if None in synced else min(t for t in synced if t is not None)


def _rows(session: Session, model: type[Course | Lesson | Residency]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _count(number: int, singular: str, plural: str = "") -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"
