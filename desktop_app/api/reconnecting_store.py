"""The token store of an account opened offline, before it has a session."""

from __future__ import annotations

from collections.abc import Callable

from desktop_app.api.token_store import KeyringTokenStore
from desktop_app.api.tokens import Tokens


class ReconnectingTokenStore:
    """With no tokens yet, it first calls `reconnect` (the account's way back to a session:
    signing in with the held password, or asking the learner to sign in with her
    organisation), so the first request once the server is back (a sync, a download, a
    check-in) gets tokens or says why not by itself, and one made while it is away fails as
    offline rather than as "not signed in"."""

    def __init__(self, store: KeyringTokenStore) -> None:
        self._store = store
        self.reconnect: Callable[[], None] = lambda: None

    def load(self) -> Tokens | None:
        if self._store.load() is None:
            self.reconnect()
        return self._store.load()

    def save(self, tokens: Tokens) -> None:
        self._store.save(tokens)

    def clear(self) -> None:
        self._store.clear()
