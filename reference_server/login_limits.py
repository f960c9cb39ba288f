"""Login rate limiting: failed sign-ins counted per username and per client address in the
database (so every worker sees the same counts); past the limit within the window, 429 with
Retry-After until the window ends. A successful sign-in clears the username's count."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from reference_server.db import Database
from reference_server.models import LoginFailures
from reference_server.problems import ProblemError


@dataclass(frozen=True)
class LoginLimits:
    per_username: int = 10
    per_address: int = 50  # many learners may share one hospital's address
    window: timedelta = timedelta(minutes=15)


def username_key(username: str) -> str:
    """The key a username's failures are counted under (any spelling of its case alike)."""
    return f"user:{username.casefold()}"[:200]


def _keys(username: str, address: str | None) -> list[tuple[str, str]]:
    """(key, which limit) for a sign-in attempt."""
    keys = [(username_key(username), "per_username")]
    if address:
        keys.append((f"address:{address}"[:200], "per_address"))
    return keys


class LoginLimiter:
    def __init__(
        self, db: Database, clock: Callable[[], datetime], limits: LoginLimits | None = None
    ) -> None:
        self._db, self._clock = db, clock
        self.limits = limits or LoginLimits()

    def check(self, username: str, address: str | None) -> None:
        """Raises 429 (Retry-After: seconds to the window's end) if either count is full."""
        now = self._clock()
        with self._db.read() as session:
            for key, limit in _keys(username, address):
                row = session.get(LoginFailures, key)
                if row is None or row.count < getattr(self.limits, limit):
                    continue
                left = (row.window_start + self.limits.window - now).total_seconds()
                if left > 0:
                    raise _too_many(math.ceil(left))

    def failed(self, username: str, address: str | None) -> None:
        def count(session: Session) -> None:
            for key, _limit in _keys(username, address):
                self._count(session, key)

        # Another worker may insert the same key first: the rerun then counts on its row.
        self._db.write_retrying(count)

    def succeeded(self, username: str) -> None:
        key = username_key(username)
        with self._db.read() as session:
            if session.get(LoginFailures, key) is None:
                return  # the usual case: no write for a sign-in without failures
        with self._db.write() as session:
            session.execute(delete(LoginFailures).where(LoginFailures.key == key))

    def _count(self, session: Session, key: str) -> None:
        now = self._clock()
        row = session.get(LoginFailures, key)
        if row is None:
            session.add(LoginFailures(key=key, count=1, window_start=now))
            session.flush()
        elif row.window_start + self.limits.window <= now:
            row.count, row.window_start = 1, now
        else:
            session.execute(
                update(LoginFailures)
                .where(LoginFailures.key == key)
                .values(count=LoginFailures.count + 1)
            )


def _too_many(seconds: int) -> ProblemError:
    minutes = max(1, math.ceil(seconds / 60))
    return ProblemError(
        429,
        "rate-limited",
        f"Too many failed sign-ins. Try again in {minutes} minute{'s' if minutes > 1 else ''}.",
        title="Too many sign-in attempts",
        headers={"Retry-After": str(seconds)},
    )
