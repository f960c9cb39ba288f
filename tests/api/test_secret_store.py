"""A secret lives in the OS keyring only; without a usable keyring, in memory for the session."""

from __future__ import annotations

import logging
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from keyring.errors import KeyringError

from desktop_app.secret_store import SecretStore, keyring_usable

SERVICE = "Rounds LRS https://lrs.example.org/xapi"


def test_a_secret_is_one_keyring_entry_under_its_service_and_account(
    memory_keyring: Any,
) -> None:
    SecretStore(SERVICE, "key-1").save("s3cret")
    assert memory_keyring.items == {(SERVICE, "key-1"): "s3cret"}
    assert SecretStore(SERVICE, "key-1").load() == "s3cret"
    assert SecretStore(SERVICE, "key-2").load() is None


def test_clearing_removes_the_secret_from_the_keyring(memory_keyring: Any) -> None:
    secret = SecretStore(SERVICE, "key-1")
    secret.save("s3cret")
    secret.clear()
    assert memory_keyring.items == {}
    assert secret.load() is None and SecretStore(SERVICE, "key-1").load() is None
    secret.clear()


def test_without_a_keyring_backend_the_secret_stays_in_memory_only() -> None:
    keyring.set_keyring(fail.Keyring())
    assert keyring_usable() is False
    secret = SecretStore(SERVICE, "key-1")
    assert secret.persistent is False
    secret.save("s3cret")
    assert secret.load() == "s3cret"
    assert SecretStore(SERVICE, "key-1").load() is None, "nothing outlives the session"


class BrokenKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringError("the keyring is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError("the keyring is locked")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringError("the keyring is locked")


@pytest.mark.expect_log("desktop_app.secret_store", "keyring is not usable")
def test_a_keyring_that_refuses_to_store_falls_back_to_memory(
    caplog: pytest.LogCaptureFixture,
) -> None:
    keyring.set_keyring(BrokenKeyring())
    secret = SecretStore(SERVICE, "key-1")
    assert secret.persistent is True
    secret.save("s3cret")
    assert secret.persistent is False
    assert secret.load() == "s3cret"
    secret.save("again")
    secret.clear()
    assert secret.load() is None
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "kept for this session only" in warnings[0].getMessage()


@pytest.mark.expect_log("desktop_app.secret_store", "keyring is not usable")
def test_a_keyring_that_refuses_to_read_means_no_secret_for_now() -> None:
    keyring.set_keyring(BrokenKeyring())
    secret = SecretStore(SERVICE, "key-1")
    assert secret.load() is None
    assert secret.persistent is False
    secret.save("s3cret")
    assert secret.load() == "s3cret"
