"""Access and refresh tokens, where they are kept, and renewing them when they run out.

`TokenAuth` is what the transport asks for the bearer token. It refreshes a token that is about
to expire before using it, and renews one the server rejected; one renewal at a time, so two
threads that hit a 401 together rotate the refresh token only once. A renewal whose reply never
arrived is asked for once more with the same refresh token (the server accepts a rotated one for
a minute); only a refusal from the server means signing in again. A renewal for a request ends
by that request's deadline, asked for again or not: the learner waits for one operation.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from desktop_app.api.errors import (
    NOT_SIGNED_IN,
    AuthenticationError,
    DeadlineError,
    OfflineError,
    SessionExpiredError,
)

if TYPE_CHECKING:
    from desktop_app.api.deadline import Deadline

EXPIRY_MARGIN = timedelta(seconds=10)


@dataclass(frozen=True)
class Tokens:
    """A session with the server. The token values never appear in repr() or logs."""

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_at: datetime

    def expires_within(self, margin: timedelta, now: datetime | None = None) -> bool:
        return (now or datetime.now(UTC)) + margin >= self.expires_at


class TokenStore(Protocol):
    """Somewhere tokens are kept between requests (the OS keyring, in the app)."""

    def load(self) -> Tokens | None: ...

    def save(self, tokens: Tokens) -> None: ...

    def clear(self) -> None: ...


Refresher = Callable[[str, "Deadline | None"], Tokens]
"""New tokens for a refresh token, by the deadline given (or one of the refresh's own)."""


class TokenAuth:
    """Supplies bearer tokens from a store and renews them through the refresh token."""

    def __init__(self, store: TokenStore, refresher: Refresher) -> None:
        self._store = store
        self._refresher = refresher
        self._lock = threading.Lock()

    def access_token(self, deadline: Deadline | None = None) -> str | None:
        """The token to send, refreshed first (by `deadline`) if it expires within seconds."""
        tokens = self._store.load()
        if tokens is None:
            return None
        if tokens.expires_within(EXPIRY_MARGIN):
            return self.renew(tokens.access_token, deadline)
        return tokens.access_token

    def renew(self, rejected: str, deadline: Deadline | None = None) -> str:
        """A fresh access token to replace `rejected`, by `deadline`; raises
        SessionExpiredError if none."""
        with self._lock:
            tokens = self._store.load()
            if tokens is None:
                raise SessionExpiredError(NOT_SIGNED_IN)
            if tokens.access_token != rejected:
                return tokens.access_token
            return self._refresh(tokens.refresh_token, deadline)

    def _refresh(self, refresh_token: str, deadline: Deadline | None) -> str:
        try:
            tokens = self._refreshed_twice(refresh_token, deadline)
        except AuthenticationError as error:
            self._store.clear()
            raise SessionExpiredError(
                "Your sign-in has expired or was revoked. Please sign in again."
            ) from error
        self._store.save(tokens)
        return tokens.access_token

    def _refreshed_twice(self, refresh_token: str, deadline: Deadline | None) -> Tokens:
        """The server may have rotated the token and lost its reply: the old one still works.

        A reply that crawled past the deadline is not asked for again: that would double the wait.
        """
        try:
            return self._refresher(refresh_token, deadline)
        except DeadlineError:
            raise
        except OfflineError:
            return self._refresher(refresh_token, deadline)


class MemoryTokenStore:
    """Tokens kept in this process only (tests, and the fallback without a keyring)."""

    def __init__(self, tokens: Tokens | None = None) -> None:
        self._tokens = tokens

    def load(self) -> Tokens | None:
        return self._tokens

    def save(self, tokens: Tokens) -> None:
        self._tokens = tokens

    def clear(self) -> None:
        self._tokens = None
