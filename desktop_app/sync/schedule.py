"""Applying one schedule page to the cache: residencies with their sessions and enrolment.

A residency document replaces the cached one entirely (sessions and enrolment follow the
residency row by ON DELETE CASCADE); a tombstone removes it. Check-ins are not touched: they
are the attendee's own record.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from desktop_app.api.documents import ResidencyDoc, SessionDoc
from desktop_app.api.payloads import Tombstone
from desktop_app.models import Enrolment, Residency, ResidencySession

RESIDENCY = cast(Table, Residency.__table__)
SESSION = cast(Table, ResidencySession.__table__)
ENROLMENT = cast(Table, Enrolment.__table__)


@dataclass(frozen=True)
class ScheduleChanges:
    added: int = 0
    updated: int = 0
    removed: int = 0


def apply_schedule_page(
    session: Session, items: Sequence[ResidencyDoc | Tombstone]
) -> ScheduleChanges:
    """Write one page of schedule items in the caller's transaction."""
    residencies = {item.id: item for item in items if isinstance(item, ResidencyDoc)}
    gone = {item.id for item in items if isinstance(item, Tombstone)} - residencies.keys()
    ids = [*residencies, *gone]
    existing = set(session.scalars(select(RESIDENCY.c.id).where(RESIDENCY.c.id.in_(ids))))
    if existing:
        session.execute(delete(RESIDENCY).where(RESIDENCY.c.id.in_(sorted(existing))))
    _insert(session, list(residencies.values()))
    return ScheduleChanges(
        added=len(residencies.keys() - existing),
        updated=len(residencies.keys() & existing),
        removed=len(gone & existing),
    )


def _insert(session: Session, residencies: list[ResidencyDoc]) -> None:
    if not residencies:
        return
    session.execute(RESIDENCY.insert(), [_residency_row(doc) for doc in residencies])
    sessions = [_session_row(doc.id, s) for doc in residencies for s in doc.sessions]
    _upsert(session, SESSION, sessions)
    enrolments = [_enrolment_row(doc) for doc in residencies if doc.enrolment is not None]
    _upsert(session, ENROLMENT, enrolments)


def _upsert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    statement = sqlite_insert(table)
    changed = {c.name: statement.excluded[c.name] for c in table.columns if c.name != "id"}
    session.execute(statement.on_conflict_do_update(index_elements=["id"], set_=changed), rows)


def _residency_row(doc: ResidencyDoc) -> dict[str, Any]:
    return {
        "id": doc.id,
        "title": doc.title,
        "summary": doc.summary,
        "version": doc.version,
        "venue_name": doc.venue_name,
        "venue_address": doc.venue_address,
        "timezone": doc.timezone,
        "starts_at": doc.starts_at,
        "ends_at": doc.ends_at,
        "checkin_opens_at": doc.checkin_opens_at,
        "checkin_closes_at": doc.checkin_closes_at,
        "prerequisites_json": json.dumps(list(doc.prerequisites)),
    }


def _session_row(residency_id: str, item: SessionDoc) -> dict[str, Any]:
    return {
        "id": item.id,
        "residency_id": residency_id,
        "title": item.title,
        "room": item.room,
        "faculty_json": json.dumps(list(item.faculty), ensure_ascii=False),
        "starts_at": item.starts_at,
        "ends_at": item.ends_at,
        "position": item.position,
    }


def _enrolment_row(doc: ResidencyDoc) -> dict[str, Any]:
    assert doc.enrolment is not None
    return {
        "id": doc.enrolment.id,
        "residency_id": doc.id,
        "status": doc.enrolment.status,
        "badge_token": doc.enrolment.badge_token,
    }
