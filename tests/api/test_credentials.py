"""Tokens live in the OS keyring only; without a usable keyring, in memory for the session."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from keyring.errors import KeyringError

from desktop_app.api.tokens import Tokens
from desktop_app.credentials import Credentials

SERVER = "https://learning.example.org"
TOKENS = Tokens("access-abc", "refresh-xyz", datetime(2030, 1, 1, tzinfo=UTC))


def test_tokens_are_one_json_secret_under_the_server_and_username(memory_keyring: Any) -> None:
    Credentials(SERVER + "/", "ana").save(TOKENS)
    secret = memory_keyring.items[("Rounds https://learning.example.org", "ana")]
    assert json.loads(secret) == {
        "access_token": "access-abc",
        "refresh_token": "refresh-xyz",
        "expires_at": "2030-01-01T00:00:00+00:00",
    }
    assert Credentials(SERVER, "ana").load() == TOKENS
    assert Credentials(SERVER, "ben").load() is None


def test_clearing_removes_the_secret_from_the_keyring(memory_keyring: Any) -> None:
    credentials = Credentials(SERVER, "ana")
    credentials.save(TOKENS)
    credentials.clear()
    assert memory_keyring.items == {}
    assert credentials.load() is None and Credentials(SERVER, "ana").load() is None
    credentials.clear()


def test_without_a_keyring_backend_tokens_stay_in_memory_only() -> None:
    keyring.set_keyring(fail.Keyring())
    credentials = Credentials(SERVER, "ana")
    assert credentials.persistent is False
    credentials.save(TOKENS)
    assert credentials.load() == TOKENS
    assert Credentials(SERVER, "ana").load() is None, "nothing outlives the session"


class BrokenKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError("the keyring is locked")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringError("the keyring is locked")


def test_a_keyring_that_refuses_to_store_falls_back_to_memory() -> None:
    keyring.set_keyring(BrokenKeyring())
    credentials = Credentials(SERVER, "ana")
    assert credentials.persistent is True
    credentials.save(TOKENS)
    assert credentials.persistent is False
    assert credentials.load() == TOKENS
    credentials.clear()
    assert credentials.load() is None


@pytest.mark.parametrize("secret", ["not json", "{}", '{"access_token": "a"}', "[1, 2]"])
def test_an_unreadable_secret_means_signing_in_again(memory_keyring: Any, secret: str) -> None:
    memory_keyring.items[("Rounds " + SERVER, "ana")] = secret
    assert Credentials(SERVER, "ana").load() is None


def test_tokens_expire_by_their_own_clock() -> None:
    now = datetime(2029, 12, 31, 23, 59, 55, tzinfo=UTC)
    assert TOKENS.expires_within(timedelta(seconds=10), now)
    assert not TOKENS.expires_within(timedelta(seconds=1), now)
