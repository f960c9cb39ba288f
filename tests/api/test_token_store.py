"""Tokens live in the OS keyring only, as one JSON secret; unreadable ones mean signing in again."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import keyring
import pytest
from keyring.backends import fail

from desktop_app.api.token_store import KeyringTokenStore
from desktop_app.api.tokens import Tokens
from desktop_app.secret_store import SecretStore

SERVER = "https://learning.example.org"
TOKENS = Tokens("access-abc", "refresh-xyz", datetime(2030, 1, 1, tzinfo=UTC))


def test_tokens_are_one_json_secret_under_the_server_and_username(memory_keyring: Any) -> None:
    KeyringTokenStore.for_account(SERVER + "/", "ana").save(TOKENS)
    secret = memory_keyring.items[("Rounds https://learning.example.org", "ana")]
    assert json.loads(secret) == {
        "access_token": "access-abc",
        "refresh_token": "refresh-xyz",
        "expires_at": "2030-01-01T00:00:00+00:00",
    }
    assert KeyringTokenStore.for_account(SERVER, "ana").load() == TOKENS
    assert KeyringTokenStore.for_account(SERVER, "ben").load() is None


def test_clearing_removes_the_tokens_from_the_keyring(memory_keyring: Any) -> None:
    tokens = KeyringTokenStore.for_account(SERVER, "ana")
    tokens.save(TOKENS)
    tokens.clear()
    assert memory_keyring.items == {}
    assert tokens.load() is None and KeyringTokenStore.for_account(SERVER, "ana").load() is None
    tokens.clear()


def test_without_a_keyring_backend_tokens_stay_in_memory_only() -> None:
    keyring.set_keyring(fail.Keyring())
    tokens = KeyringTokenStore.for_account(SERVER, "ana")
    assert tokens.persistent is False
    tokens.save(TOKENS)
    assert tokens.load() == TOKENS
    later = KeyringTokenStore.for_account(SERVER, "ana")
    assert later.load() is None, "nothing outlives the session"


UNREADABLE = pytest.mark.expect_log("desktop_app.api.token_store", "could not be read")


@pytest.mark.parametrize(
    "secret",
    [
        pytest.param("not json", marks=UNREADABLE),
        pytest.param("{}", marks=UNREADABLE),
        pytest.param('{"access_token": "a"}', marks=UNREADABLE),
        pytest.param("[1, 2]", marks=UNREADABLE),
        '{"access_token": "a", "refresh_token": "r", "expires_at": "2030-01-01T00:00:00"}',
    ],
)
def test_an_unreadable_secret_means_signing_in_again(memory_keyring: Any, secret: str) -> None:
    memory_keyring.items[("Rounds " + SERVER, "ana")] = secret
    assert KeyringTokenStore.for_account(SERVER, "ana").load() is None


@UNREADABLE
def test_an_unreadable_secret_is_reported_once_however_often_it_is_asked_for(
    memory_keyring: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """The transport asks for the tokens before every request."""
    memory_keyring.items[("Rounds " + SERVER, "ana")] = "not json"
    tokens = KeyringTokenStore.for_account(SERVER, "ana")
    assert [tokens.load(), tokens.load(), tokens.load()] == [None, None, None]
    assert [r.getMessage() for r in caplog.records].count(
        "The stored sign-in could not be read; signing in again is needed"
    ) == 1
    tokens.save(TOKENS)
    assert tokens.load() == TOKENS


def test_tokens_expire_by_their_own_clock() -> None:
    now = datetime(2029, 12, 31, 23, 59, 55, tzinfo=UTC)
    assert TOKENS.expires_within(timedelta(seconds=10), now)
    assert not TOKENS.expires_within(timedelta(seconds=1), now)


IDS = ("srv-1", "u-ana")


def test_tokens_kept_under_the_address_move_to_the_ids_on_first_read(memory_keyring: Any) -> None:
    KeyringTokenStore.for_account(SERVER, "ana").save(TOKENS)
    tokens = KeyringTokenStore.for_identity(IDS, SERVER, "ana")
    assert tokens.load() == TOKENS
    assert list(memory_keyring.items) == [("Rounds srv-1", "u-ana")]
    assert KeyringTokenStore.for_identity(IDS, "http://localhost:9999", "ana").load() == TOKENS


def test_a_new_sign_in_under_the_ids_drops_the_tokens_under_the_address(
    memory_keyring: Any,
) -> None:
    KeyringTokenStore.for_account(SERVER, "ana").save(TOKENS)
    newer = Tokens("access-new", "refresh-new", datetime(2031, 1, 1, tzinfo=UTC))
    KeyringTokenStore.for_identity(IDS, SERVER, "ana").save(newer)
    assert list(memory_keyring.items) == [("Rounds srv-1", "u-ana")]
    assert KeyringTokenStore.for_identity(IDS, SERVER, "ana").load() == newer


def test_a_server_known_by_its_address_keeps_its_one_entry(memory_keyring: Any) -> None:
    """No about reply and a user id equal to the username: ids and address are one entry."""
    tokens = KeyringTokenStore.for_identity((SERVER, "ana"), SERVER + "/", "ana")
    tokens.save(TOKENS)
    assert KeyringTokenStore.for_identity((SERVER, "ana"), SERVER, "ana").load() == TOKENS
    assert list(memory_keyring.items) == [("Rounds " + SERVER, "ana")]


class SlowToRead(SecretStore):
    """The entry under the address, whose read waits until the test lets it go on."""

    def __init__(self, service: str, account: str) -> None:
        super().__init__(service, account)
        self.reading, self.go_on = threading.Event(), threading.Event()

    def load(self) -> str | None:
        self.reading.set()
        self.go_on.wait()
        return super().load()


def test_a_sign_in_saved_while_the_address_entry_moves_is_not_overwritten_by_it(
    memory_keyring: Any,
) -> None:
    KeyringTokenStore.for_account(SERVER, "ana").save(TOKENS)
    earlier = SlowToRead("Rounds " + SERVER, "ana")
    tokens = KeyringTokenStore(SecretStore("Rounds srv-1", "u-ana"), earlier)
    newer = Tokens("access-new", "refresh-new", datetime(2031, 1, 1, tzinfo=UTC))
    mover = threading.Thread(target=tokens.load)
    mover.start()
    assert earlier.reading.wait(60)
    saver = threading.Thread(target=tokens.save, args=(newer,))
    saver.start()
    saver.join(0.5)  # a save that does not wait for the move is over by now
    earlier.go_on.set()
    mover.join(60)
    saver.join(60)

    assert tokens.load() == newer
    assert KeyringTokenStore.for_identity(IDS, SERVER, "ana").load() == newer
