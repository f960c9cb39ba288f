"""Session tokens of one account, kept as one JSON secret in the operating system's keyring.

The keyring entry is service "Rounds <server URL>", account = username, and holds the access
token, refresh token and expiry. Where the keyring is missing or refuses, the `SecretStore`
underneath keeps them in memory for the session and says so through `persistent`.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime

from desktop_app.api.tokens import Tokens
from desktop_app.secret_store import SecretStore

log = logging.getLogger(__name__)


def keyring_service(server_url: str) -> str:
    return f"Rounds {server_url.rstrip('/')}"


class KeyringTokenStore:
    """Tokens of one (server, username): a `TokenStore` for the API client."""

    def __init__(self, secret: SecretStore) -> None:
        self._secret = secret
        self._decoded: tuple[str | None, Tokens | None] = (None, None)  # (secret, its tokens)

    @classmethod
    def for_account(cls, server_url: str, username: str) -> KeyringTokenStore:
        return cls(SecretStore(keyring_service(server_url), username))

    @property
    def persistent(self) -> bool:
        """False once the tokens live in this process only (no usable keyring)."""
        return self._secret.persistent

    def load(self) -> Tokens | None:
        """The stored tokens; decoded once per stored value, as every request asks for them."""
        secret = self._secret.load()
        decoded = self._decoded
        if decoded[0] != secret:
            decoded = (secret, None if secret is None else decode_tokens(secret))
            self._decoded = decoded  # one assignment: a reader on another thread sees either
        return decoded[1]

    def save(self, tokens: Tokens) -> None:
        self._secret.save(encode_tokens(tokens))

    def clear(self) -> None:
        """Forget the tokens, here and in the keyring (sign-out, or a revoked session)."""
        self._secret.clear()


def encode_tokens(tokens: Tokens) -> str:
    return json.dumps(
        {
            "access_token": tokens.access_token,
            "refresh_token": tokens.refresh_token,
            "expires_at": tokens.expires_at.isoformat(),
        }
    )


def decode_tokens(secret: str) -> Tokens | None:
    """The tokens in `secret`, or None (sign in again) if it is unreadable or its expiry naive."""
    try:
        data = json.loads(secret)
        expires_at = datetime.fromisoformat(data["expires_at"])
        tokens = Tokens(str(data["access_token"]), str(data["refresh_token"]), expires_at)
    except (ValueError, KeyError, TypeError):
        log.warning("The stored sign-in could not be read; signing in again is needed")
        return None
    return tokens if expires_at.tzinfo is not None else None
