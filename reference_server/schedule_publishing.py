"""Schedule writes: residencies, their sessions, enrolments and check-in windows.

A residency change moves the residency in the change sequence; an enrolment change moves only
that enrolment, so the schedule feed tells exactly the affected learner.

Each change locks the residency's row first (on PostgreSQL), so changes to one residency and
its enrolments from several processes take turns; a first insert that another process made
meanwhile fails on its key and `Database.write_retrying` runs the change again."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from reference_server.changes import next_seq
from reference_server.curriculum import CurriculumError
from reference_server.models import Enrolment, Residency, ResidencySession, User
from reference_server.specs import ResidencySpec


def _digest(spec: ResidencySpec) -> str:
    return hashlib.sha256(spec.model_dump_json(exclude={"enrolled"}).encode()).hexdigest()


def upsert_residency(session: Session, spec: ResidencySpec) -> None:
    user_ids = _user_ids(session, spec)
    residency = locked_residency(session, spec.id)
    digest = _digest(spec)
    if residency is None or residency.deleted or residency.content_hash != digest:
        residency = _write_residency(session, spec, residency)
        residency.content_hash = digest
        mark_changed(session, residency)
    sync_enrolments(session, spec.id, user_ids)


def _user_ids(session: Session, spec: ResidencySpec) -> list[str]:
    found = dict(
        session.execute(
            select(User.username, User.id).where(User.username.in_(spec.enrolled))
        ).all()
    )
    missing = [name for name in spec.enrolled if name not in found]
    if missing:
        raise CurriculumError(f"residency {spec.id}: unknown users {', '.join(missing)}")
    return [found[name] for name in spec.enrolled]


def _write_residency(session: Session, spec: ResidencySpec, row: Residency | None) -> Residency:
    if row is None:
        row = Residency(id=spec.id, version=0, seq=0)
        session.add(row)
    row.title, row.summary, row.deleted = spec.title, spec.summary, False
    row.venue_name, row.venue_address = spec.venue.name, spec.venue.address
    row.timezone = spec.venue.timezone
    row.starts_at, row.ends_at = spec.starts_at, spec.ends_at
    row.checkin_opens_at, row.checkin_closes_at = spec.checkin_opens_at, spec.checkin_closes_at
    row.checkin_code, row.prerequisites = spec.checkin_code, list(spec.prerequisites)
    session.execute(delete(ResidencySession).where(ResidencySession.residency_id == spec.id))
    session.flush()
    sessions = [
        {
            **item.model_dump(include={"id", "title", "room", "starts_at", "ends_at"}),
            "faculty": list(item.faculty),
            "residency_id": spec.id,
            "position": position,
        }
        for position, item in enumerate(spec.sessions)
    ]
    if sessions:
        session.execute(insert(ResidencySession), sessions)
    return row


def locked_residency(session: Session, residency_id: str) -> Residency | None:
    """The residency, its row locked until the unit of work ends (on PostgreSQL)."""
    return session.get(Residency, residency_id, with_for_update=True, populate_existing=True)


def mark_changed(session: Session, residency: Residency) -> None:
    residency.seq = next_seq(session)
    residency.version += 1


def sync_enrolments(session: Session, residency_id: str, user_ids: list[str]) -> None:
    existing: Mapping[str, Enrolment] = {
        row.user_id: row
        for row in session.scalars(select(Enrolment).where(Enrolment.residency_id == residency_id))
    }
    for user_id in user_ids:
        row = existing.get(user_id)
        if row is None:
            session.add(
                Enrolment(
                    id=f"e-{uuid.uuid4().hex}",
                    residency_id=residency_id,
                    user_id=user_id,
                    status="enrolled",
                    seq=next_seq(session),
                )
            )
        elif row.status != "enrolled":
            row.status, row.seq = "enrolled", next_seq(session)
    for user_id, row in existing.items():
        if user_id not in user_ids and row.status == "enrolled":
            row.status, row.seq = "withdrawn", next_seq(session)


def set_enrolment(session: Session, residency_id: str, user_id: str, enrolled: bool) -> None:
    """Enrol the user in the residency, or withdraw them; the others stay as they are."""
    if locked_residency(session, residency_id) is None:
        raise KeyError(residency_id)
    current = set(
        session.scalars(
            select(Enrolment.user_id).where(
                Enrolment.residency_id == residency_id, Enrolment.status == "enrolled"
            )
        )
    )
    wanted = current | {user_id} if enrolled else current - {user_id}
    sync_enrolments(session, residency_id, sorted(wanted))


def set_checkin_window(
    session: Session, residency_id: str, opens_at: datetime, closes_at: datetime
) -> None:
    if opens_at.tzinfo is None or closes_at.tzinfo is None:
        raise ValueError("check-in window times need a time zone")
    if closes_at < opens_at:
        raise ValueError("the check-in window closes before it opens")
    residency = locked_residency(session, residency_id)
    if residency is None:
        raise KeyError(residency_id)
    residency.checkin_opens_at, residency.checkin_closes_at = opens_at, closes_at
    residency.content_hash = ""
    mark_changed(session, residency)


def remove_residency(session: Session, residency_id: str) -> None:
    """The residency is cancelled: every enrolled learner receives a tombstone."""
    residency = locked_residency(session, residency_id)
    if residency is None:
        raise KeyError(residency_id)
    if not residency.deleted:
        residency.deleted, residency.content_hash = True, ""
        mark_changed(session, residency)
