"""Users who sign in through the trusted provider, known by its issuer and their subject.

The first sign-in of a subject creates its user (the hospital's provider decides who is staff;
what they are enrolled in is still the programme's, through `users enrol`). The user's id is
made from the issuer and the subject, so it is the same on every worker and after a restore.
The username is the provider's `preferred_username` (else the e-mail, else the id) unless a
user already has it: a password user is never taken over by a provider's claim. An SSO user
has no password (none matches), and is disabled like any other.

Such a learner's xAPI actor is an account on the provider's issuer named by the subject, so
their statements join the hospital's other records of them. The `email` claim becomes the
user's address when the provider marks it verified (`email_verified`), at every sign-in, so a
changed address follows; an unverified one, or one another user has, leaves the user's address
as it was (a server naming learners by mail then names them by that address, learner_identity).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reference_server.auth import AuthenticatedUser
from reference_server.db import Database
from reference_server.learner_identity import mail_address
from reference_server.models import DisabledUser, User
from reference_server.oidc_tokens import IdClaims
from reference_server.sso_models import SsoIdentity
from reference_server.users import MAX_USERNAME_LENGTH

log = logging.getLogger(__name__)
NO_PASSWORD = b"!sso"  # not a hash any password gives (see passwords.verify_password)


class SsoUserDisabled(Exception):
    """The provider vouches for a user this server has disabled."""


class SsoIdTaken(Exception):
    """A password user holds the id this issuer and subject make, unlinked: never taken over."""


def sso_user_id(issuer: str, subject: str) -> str:
    digest = hashlib.sha256(f"{issuer}\x00{subject}".encode()).hexdigest()
    return f"sso-{digest[:32]}"


def sso_actor(issuer: str, subject: str, display_name: str) -> dict[str, Any]:
    """The xAPI Agent of a learner the provider signed in."""
    agent: dict[str, Any] = {"objectType": "Agent"}
    if display_name:
        agent["name"] = display_name
    agent["account"] = {"homePage": issuer, "name": subject}
    return agent


def _username_wanted(claims: IdClaims, user_id: str) -> str:
    for candidate in (claims.preferred_username, claims.email):
        usable = candidate and len(candidate) <= MAX_USERNAME_LENGTH
        if usable and not any(ch.isspace() or not ch.isprintable() for ch in candidate):
            return candidate
    return user_id


def _create(session: Session, claims: IdClaims, now: datetime) -> User:
    user_id = sso_user_id(claims.issuer, claims.subject)
    username = _username_wanted(claims, user_id)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        username = user_id
    row = User(
        id=user_id,
        username=username,
        display_name=claims.name or username,
        password_salt=b"",
        password_hash=NO_PASSWORD,
    )
    session.add(row)
    session.flush()
    session.add(
        SsoIdentity(issuer=claims.issuer, subject=claims.subject, user_id=user_id, linked_at=now)
    )
    return row


def _relinked_or_created(session: Session, claims: IdClaims, now: datetime) -> User:
    """The user of this subject's id when an earlier sign-in made it and its link is gone (a
    restore of the users without their links, an operator's cleanup), linked again; a new user
    if none has the id. A password user with the id refuses: SsoIdTaken."""
    row = session.get(User, sso_user_id(claims.issuer, claims.subject))
    if row is None:
        return _create(session, claims, now)
    if row.password_hash != NO_PASSWORD:
        raise SsoIdTaken(row.id)
    session.add(
        SsoIdentity(issuer=claims.issuer, subject=claims.subject, user_id=row.id, linked_at=now)
    )
    return row


def linked_user(db: Database, claims: IdClaims, clock: Callable[[], datetime]) -> AuthenticatedUser:
    """The user of this issuer and subject, made on their first sign-in. Two first sign-ins
    at once (on two workers) both end with the one user: the second's insert fails on the
    key and its retry finds the row."""

    def unit(session: Session) -> AuthenticatedUser:
        link = session.get(SsoIdentity, (claims.issuer, claims.subject))
        row = session.get(User, link.user_id) if link is not None else None
        if row is None:
            row = _relinked_or_created(session, claims, clock())
        if session.get(DisabledUser, row.id) is not None:
            raise SsoUserDisabled(row.id)
        _take_verified_address(session, row, claims)
        return AuthenticatedUser(row.id, row.username, row.display_name, row.email or "")

    return db.write_retrying(unit)


def _take_verified_address(session: Session, row: User, claims: IdClaims) -> None:
    address = mail_address(claims.email) if claims.email_verified else None
    if address is None or address == row.email:
        return
    holder = session.scalar(select(User.id).where(User.email == address))
    if holder is not None:
        log.warning("The provider's address for %s is %s's already; kept as it was", row.id, holder)
        return
    row.email = address


def sso_actor_of(db: Database) -> Callable[[AuthenticatedUser], dict[str, Any] | None]:
    """The actor of a user the provider signs in (whether or not single sign-on is on now:
    their statements stay theirs), None for a password user; for the token refresh."""

    def actor(user: AuthenticatedUser) -> dict[str, Any] | None:
        with db.read() as session:
            link = session.scalar(select(SsoIdentity).where(SsoIdentity.user_id == user.id))
        return None if link is None else sso_actor(link.issuer, link.subject, user.display_name)

    return actor
