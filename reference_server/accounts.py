"""User accounts: created or updated from curriculum user lists; passwords kept as scrypt hashes."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from reference_server.models import User
from reference_server.passwords import hash_password, new_salt, verify_password
from reference_server.specs import UserSpec


def upsert_users(session: Session, users: Iterable[UserSpec]) -> None:
    for spec in users:
        row = session.scalar(select(User).where(User.username == spec.username))
        if row is None:
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
            continue
        row.display_name = spec.display_name
        if not verify_password(spec.password, row.password_salt, row.password_hash):
            row.password_salt = new_salt()
            row.password_hash = hash_password(spec.password, row.password_salt)
    session.flush()
