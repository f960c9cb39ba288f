"""User accounts: created or updated from curriculum user lists; passwords kept as argon2id
hashes (see passwords.py)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from reference_server.changes import next_seq
from reference_server.models import Enrolment, User
from reference_server.passwords import hash_password, verify_password
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
    session.add(
        User(
            id=spec.id,
            username=spec.username,
            display_name=spec.display_name,
            password_salt=b"",
            password_hash=hash_password(spec.password),
        )
    )


def _update(session: Session, row: User, spec: UserSpec) -> None:
    if row.display_name != spec.display_name:
        row.display_name = spec.display_name
        _republish_badges(session, row.id)
    if not verify_password(spec.password, row.password_salt, row.password_hash):
        set_password(row, spec.password)


def set_password(row: User, password: str) -> None:
    row.password_salt = b""
    row.password_hash = hash_password(password)


def _republish_badges(session: Session, user_id: str) -> None:
    """Badges carry the display name, so the user's schedule items go out again."""
    for enrolment in session.scalars(select(Enrolment).where(Enrolment.user_id == user_id)):
        enrolment.seq = next_seq(session)
