"""Session tokens of one account, kept in the operating system's keyring and nowhere else.

The keyring entry is service "Rounds <server URL>", account = username, and holds the access
token, refresh token and expiry as one JSON secret. Without a usable keyring (a locked-down
workstation, a headless server) the tokens live in this process's memory for the session only
and `persistent` is False, so the UI can say that the next start will ask for the password.
Tokens are never written to a file.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from datetime import datetime

import keyring
from keyring.backends import fail
from keyring.errors import KeyringError, PasswordDeleteError

from desktop_app.api.tokens import Tokens

log = logging.getLogger(__name__)
PASSWORD_VARIABLE = "ROUNDS_PASSWORD"


def environment_password() -> str | None:
    """The password given to a headless command through `ROUNDS_PASSWORD`, if any."""
    return os.environ.get(PASSWORD_VARIABLE) or None


def keyring_service(server_url: str) -> str:
    return f"Rounds {server_url.rstrip('/')}"


def keyring_usable() -> bool:
    """False when keyring has no real backend (its 'fail' backend raises on every call)."""
    try:
        return not isinstance(keyring.get_keyring(), fail.Keyring)
    except KeyringError:
        return False


class Credentials:
    """Tokens of one (server, username): a `TokenStore` for the API client."""

    def __init__(self, server_url: str, username: str) -> None:
        self.service = keyring_service(server_url)
        self.username = username
        self.persistent = keyring_usable()
        self._tokens: Tokens | None = None
        self._loaded = False
        self._lock = threading.Lock()

    def load(self) -> Tokens | None:
        with self._lock:
            if not self._loaded:
                self._tokens = self._read() if self.persistent else None
                self._loaded = True
            return self._tokens

    def save(self, tokens: Tokens) -> None:
        with self._lock:
            self._tokens, self._loaded = tokens, True
            if self.persistent:
                self._write(tokens)

    def clear(self) -> None:
        """Forget the tokens, here and in the keyring (sign-out, or a revoked session)."""
        with self._lock:
            self._tokens, self._loaded = None, True
            if self.persistent:
                self._delete()

    def _read(self) -> Tokens | None:
        try:
            secret = keyring.get_password(self.service, self.username)
        except KeyringError as error:
            self._fall_back_to_memory(error)
            return None
        return None if secret is None else _decode(secret)

    def _write(self, tokens: Tokens) -> None:
        try:
            keyring.set_password(self.service, self.username, _encode(tokens))
        except KeyringError as error:
            self._fall_back_to_memory(error)

    def _delete(self) -> None:
        try:
            keyring.delete_password(self.service, self.username)
        except PasswordDeleteError:
            pass
        except KeyringError as error:
            log.warning("Could not remove the sign-in from the keyring: %s", type(error).__name__)

    def _fall_back_to_memory(self, error: KeyringError) -> None:
        log.warning(
            "The system keyring is not usable (%s); the sign-in is kept for this session only",
            type(error).__name__,
        )
        self.persistent = False


def _encode(tokens: Tokens) -> str:
    return json.dumps(
        {
            "access_token": tokens.access_token,
            "refresh_token": tokens.refresh_token,
            "expires_at": tokens.expires_at.isoformat(),
        }
    )


def _decode(secret: str) -> Tokens | None:
    try:
        data = json.loads(secret)
        expires_at = datetime.fromisoformat(data["expires_at"])
        tokens = Tokens(str(data["access_token"]), str(data["refresh_token"]), expires_at)
    except (ValueError, KeyError, TypeError):
        log.warning("The stored sign-in could not be read; signing in again is needed")
        return None
    return tokens if expires_at.tzinfo is not None else None
