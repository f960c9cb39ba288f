"""Session tokens of one account, kept as one JSON secret in the operating system's keyring.

The keyring entry is service "Rounds <server id>", account = the user's id, so another port or
spelling of the server's address finds the same sign-in; it holds the access token, refresh
token and expiry. An entry kept under the address and username (before servers told their id)
is moved there the first time it is read. Where the keyring is missing or refuses, the
`SecretStore` underneath keeps them in memory for the session and says so through `persistent`.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import datetime

from desktop_app.api.tokens import Tokens
from desktop_app.secret_store import SecretStore

log = logging.getLogger(__name__)


def keyring_service(server: str) -> str:
    """The service name for a server's id (or, for an entry from before ids, its address)."""
    return f"Rounds {server.rstrip('/')}"


class KeyringTokenStore:
    """Tokens of one person on one server: a `TokenStore` for the API client."""

    def __init__(self, secret: SecretStore, earlier: SecretStore | None = None) -> None:
        self._secret = secret
        self._earlier = earlier  # the entry this one replaces, moved on first read
        self._moving = threading.Lock()
        self._decoded: tuple[str | None, Tokens | None] = (None, None)  # (secret, its tokens)

    @classmethod
    def for_account(cls, server_url: str, username: str) -> KeyringTokenStore:
        """The entry keyed on an address: for a server or folder that gave no ids."""
        return cls(SecretStore(keyring_service(server_url), username))

    @classmethod
    def for_identity(
        cls, ids: tuple[str, str], server_url: str, username: str
    ) -> KeyringTokenStore:
        """The entry keyed on (server id, user id), taking over the one under the address."""
        entry = (keyring_service(ids[0]), ids[1])
        earlier = (keyring_service(server_url), username)
        if entry == earlier:  # a server known by its address, a user by their name
            return cls(SecretStore(*entry))
        return cls(SecretStore(*entry), SecretStore(*earlier))

    @property
    def persistent(self) -> bool:
        """False once the tokens live in this process only (no usable keyring)."""
        return self._secret.persistent

    def load(self) -> Tokens | None:
        """The stored tokens; decoded once per stored value, as every request asks for them."""
        secret = self._secret.load()
        if secret is None and self._earlier is not None:
            secret = self._moved_from_earlier()
        decoded = self._decoded
        if decoded[0] != secret:
            decoded = (secret, None if secret is None else decode_tokens(secret))
            self._decoded = decoded  # one assignment: a reader on another thread sees either
        return decoded[1]

    def _moved_from_earlier(self) -> str | None:
        """The secret under the address, saved under the ids and removed from the address;
        the address is asked once, by one thread, and never again."""
        with self._moving:
            earlier, self._earlier = self._earlier, None
            if earlier is None:
                return self._secret.load()
            secret = earlier.load()
            if secret is not None:
                self._secret.save(secret)
                earlier.clear()
                log.info("Moved the stored sign-in to the server's and the user's ids")
            return secret

    def save(self, tokens: Tokens) -> None:
        """Store `tokens`; under the lock of the move from the address, so that a move on
        another thread can never write the address's older tokens over these."""
        with self._moving:
            earlier, self._earlier = self._earlier, None
            self._secret.save(encode_tokens(tokens))
        if earlier is not None:
            earlier.clear()  # a new sign-in: the address's old tokens are of no more use

    def clear(self) -> None:
        """Forget the tokens, here and in the keyring (sign-out, or a revoked session)."""
        self._secret.clear()
        self._forget_earlier()

    def _forget_earlier(self) -> None:
        with self._moving:
            earlier, self._earlier = self._earlier, None
        if earlier is not None:
            earlier.clear()


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
