"""User accounts: created or updated from curriculum user lists; passwords kept as scrypt hashes."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from reference_server.changes import next_seq
from reference_server.models import Enrolment, User
from reference_server.passwords import hash_password, new_salt, verify_password
from reference_server.specs import UserSpec


def upsert_users(session: Session, users: Iterable[UserSpec]) -> None:
    for spec in users:
        row = session.scalar(select(User).where(User.username == spec.username))
        if row is None:
            _create(session, spec)
        else:
            _update(session, row, spec)
    session.flush()


def _create(session: Session, spec: UserSpec) -> None:
    salt = new_salt()
    session.add(
        User(
            id=spec.id,
            username=spec.username,
            display_name=spec.display_name,
            password_salt=salt,
            password_hash=hash_password(spec.password, salt),
        )
    )


def _update(session: Session, row: User, spec: UserSpec) -> None:
    if row.display_name != spec.display_name:
        row.display_name = spec.display_name
        _republish_badges(session, row.id)
    if not verify_password(spec.password, row.password_salt, row.password_hash):
        row.password_salt = new_salt()
        row.password_hash = hash_password(spec.password, row.password_salt)


def _republish_badges(session: Session, user_id: str) -> None:
    """Badges carry the display name, so the user's schedule items go out again."""
    for enrolment in session.scalars(select(Enrolment).where(Enrolment.user_id == user_id)):
        enrolment.seq = next_seq(session)
