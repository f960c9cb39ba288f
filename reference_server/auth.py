"""Sign-in, token refresh and the request authentication the other routers depend on.

Access and refresh tokens are opaque random strings; only their SHA-256 is stored. A refresh
token that has been rotated still works for `REFRESH_GRACE`, as with OAuth servers: the reply
carrying its successor may have been lost on the way, and the client can only ask again.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from reference_server.accounts import set_password
from reference_server.db import Database
from reference_server.login_limits import LoginLimiter
from reference_server.models import AccessToken, DisabledUser, RefreshToken, User
from reference_server.passwords import burn_equal_time, needs_rehash, verify_password
from reference_server.problems import ProblemError

DEFAULT_ACCESS_LIFETIME = 15 * 60
REFRESH_LIFETIME = timedelta(days=30)
REFRESH_GRACE = timedelta(seconds=60)
BEARER_CHALLENGE = 'Bearer realm="rounds"'
XAPI_CHALLENGE = 'Bearer realm="rounds", Basic realm="rounds"'


@dataclass(frozen=True)
class AuthenticatedUser:
    id: str
    username: str
    display_name: str
    email: str = ""  # their own address, "" if the server knows none

    def as_json(self) -> dict[str, str]:
        return {"id": self.id, "username": self.username, "display_name": self.display_name}


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    user: AuthenticatedUser

    def as_json(self) -> dict[str, object]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
            "user": self.user.as_json(),
        }


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def unauthorized(detail: str, challenge: str = BEARER_CHALLENGE) -> ProblemError:
    return ProblemError(401, detail=detail, headers={"WWW-Authenticate": challenge})


def _user_of(row: User) -> AuthenticatedUser:
    return AuthenticatedUser(row.id, row.username, row.display_name, row.email or "")


class Authenticator:
    """Issues, rotates, revokes and checks tokens, by the server's clock (tests move it)."""

    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self._db, self._clock = db, clock
        self.access_lifetime = DEFAULT_ACCESS_LIFETIME
        self.limiter = LoginLimiter(db, clock)

    def check_password(
        self, username: str, password: str, address: str | None = None
    ) -> AuthenticatedUser | None:
        """The user if the password is theirs; None if not (counted against the username and
        the address). Raises 429 while either has too many recent failures, 401 if the
        account is disabled."""
        self.limiter.check(username, address)
        with self._db.read() as session:
            row = session.scalar(select(User).where(User.username == username))
            disabled = row is not None and session.get(DisabledUser, row.id) is not None
        if row is None:
            burn_equal_time(password)
        if row is None or not verify_password(password, row.password_salt, row.password_hash):
            self.limiter.failed(username, address)
            return None
        if disabled:
            raise unauthorized("This account is disabled. Ask your programme's administrator.")
        self.limiter.succeeded(username)
        if needs_rehash(row.password_hash):
            self._rehash(row.id, row.password_hash, password)
        return _user_of(row)

    def _rehash(self, user_id: str, old_hash: bytes, password: str) -> None:
        """Replace an old scrypt hash (or weaker argon2id parameters) now that the password
        is known; unless another request changed the hash meanwhile."""
        with self._db.write() as session:
            row = session.get(User, user_id)
            if row is not None and row.password_hash == old_hash:
                set_password(row, password)

    def sign_in(self, username: str, password: str, address: str | None = None) -> IssuedTokens:
        user = self.check_password(username, password, address)
        if user is None:
            raise unauthorized("Unknown username or wrong password.")
        return self.issue(user)

    def issue(self, user: AuthenticatedUser) -> IssuedTokens:
        """New tokens for a user whose identity was checked elsewhere (single sign-on)."""
        return self._db.write_retrying(lambda session: self._issue(session, user))

    def refresh(self, refresh_token: str) -> IssuedTokens:
        """New tokens for a live refresh token, which then lives on only for the grace.
        Refreshes of one token at once (on any worker) take turns on its row: each sees the
        row as the one before left it, and a sign-out or an expiry between them holds."""
        now = self._clock()
        digest = token_digest(refresh_token)

        def rotate(session: Session) -> IssuedTokens:
            row = session.get(RefreshToken, digest, with_for_update=True, populate_existing=True)
            if row is None or row.revoked or row.expires_at <= now:
                raise unauthorized("The refresh token is unknown, expired or revoked.")
            row.expires_at = min(row.expires_at, now + REFRESH_GRACE)
            user = session.get(User, row.user_id)
            assert user is not None
            return self._issue(session, _user_of(user))

        return self._db.write_retrying(rotate)

    def revoke_refresh_token(self, refresh_token: str) -> None:
        with self._db.write() as session:
            session.execute(
                update(RefreshToken)
                .where(RefreshToken.token_hash == token_digest(refresh_token))
                .values(revoked=True)
            )

    def revoke_user(self, username: str) -> int:
        """Revoke every refresh token of a user; returns how many were live."""
        with self._db.write() as session:
            user_id = session.scalar(select(User.id).where(User.username == username))
            if user_id is None:
                raise KeyError(username)
            result = session.execute(
                update(RefreshToken)
                .where(RefreshToken.user_id == user_id, RefreshToken.revoked.is_(False))
                .values(revoked=True)
            )
            return int(getattr(result, "rowcount", 0) or 0)

    def user_for_access_token(self, token: str) -> AuthenticatedUser | None:
        with self._db.read() as session:
            found = session.execute(
                select(User, AccessToken.expires_at)
                .join(AccessToken, AccessToken.user_id == User.id)
                .where(AccessToken.token_hash == token_digest(token))
            ).first()
        if found is None or found[1] <= self._clock():
            return None
        return _user_of(found[0])

    def _issue(self, session: Session, user: AuthenticatedUser) -> IssuedTokens:
        now = self._clock()
        session.execute(delete(AccessToken).where(AccessToken.expires_at <= now))
        session.execute(
            delete(RefreshToken).where(
                or_(RefreshToken.expires_at <= now, RefreshToken.revoked.is_(True))
            )
        )
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        lifetime = self.access_lifetime
        session.add(
            AccessToken(
                token_hash=token_digest(access),
                user_id=user.id,
                expires_at=now + timedelta(seconds=lifetime),
            )
        )
        session.add(
            RefreshToken(
                token_hash=token_digest(refresh), user_id=user.id, expires_at=now + REFRESH_LIFETIME
            )
        )
        return IssuedTokens(access, refresh, max(lifetime, 0), user)


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, colon, password = decoded.partition(":")
    return (username, password) if colon else None
