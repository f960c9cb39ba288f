"""An account's life: sign in, resume from the keyring, renewal, revocation, sign-out, secrets."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK

from desktop_app.account import Account
from desktop_app.api.errors import SessionExpiredError
from desktop_app.config import load_settings, log_dir, settings_path
from desktop_app.logging_setup import configure_logging
from reference_server.server import ReferenceServer

TOKEN_PATH = "/api/v1/auth/token"


@pytest.fixture
def log_file() -> Iterator[Path]:
    handler = configure_logging(logging.DEBUG)
    yield log_dir() / "rounds.log"
    logging.getLogger("desktop_app").removeHandler(handler)
    handler.close()


def sign_in(server: ReferenceServer) -> Account:
    return Account.sign_in(server.url, DEMO_USER, DEMO_PASSWORD, config=FAST_NETWORK)


def stored_tokens(memory_keyring: Any, server: ReferenceServer) -> set[str]:
    secret = memory_keyring.items.get((f"Rounds {server.backend.server_id}", "u-ana"))
    if secret is None:
        return set()
    data = json.loads(secret)
    return {data["access_token"], data["refresh_token"]}


def files_containing(root: Path, secrets: set[str]) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            found += [f"{path.name}" for secret in secrets if secret.encode() in content]
    return found


def test_signing_in_remembers_the_account_and_resuming_needs_no_password(
    reference_server: ReferenceServer,
) -> None:
    sign_in(reference_server).close()
    settings = load_settings()
    assert (settings.server_url, settings.username) == (reference_server.url, DEMO_USER)
    reference_server.clear_requests()

    resumed = Account.resume(settings.server_url, settings.username, config=FAST_NETWORK)
    assert resumed is not None and resumed.display_name == "Ana Ortiz"
    assert resumed.sync().courses_added == 3
    assert TOKEN_PATH not in [r.path for r in reference_server.requests]
    resumed.close()


def test_an_expired_token_is_renewed_during_sync_and_kept_in_the_keyring(
    reference_server: ReferenceServer, memory_keyring: Any
) -> None:
    reference_server.admin.set_access_token_lifetime(1)
    account = sign_in(reference_server)
    first = stored_tokens(memory_keyring, reference_server)
    assert account.sync().courses_added == 3
    renewed = stored_tokens(memory_keyring, reference_server)
    assert renewed and renewed != first
    account.close()


@pytest.mark.expect_log("desktop_app.sync.engine", "Your sign-in has expired")
def test_a_revoked_session_asks_for_the_password_again(
    reference_server: ReferenceServer, memory_keyring: Any
) -> None:
    reference_server.admin.set_access_token_lifetime(1)
    account = sign_in(reference_server)
    reference_server.admin.revoke_refresh_tokens(DEMO_USER)
    with pytest.raises(SessionExpiredError):
        account.sync()
    assert memory_keyring.items == {}
    assert Account.resume(reference_server.url, DEMO_USER) is None
    account.close()


def test_signing_out_removes_the_tokens_and_optionally_the_cache(
    reference_server: ReferenceServer, memory_keyring: Any
) -> None:
    account = sign_in(reference_server)
    account.sync()
    account.sign_out(forget_local_data=True)
    assert memory_keyring.items == {}
    assert load_settings().username == ""
    assert not account.paths.root.exists()
    assert Account.resume(reference_server.url, DEMO_USER) is None


def test_no_token_or_password_reaches_the_cache_settings_or_log(
    reference_server: ReferenceServer, memory_keyring: Any, rounds_home: Path, log_file: Path
) -> None:
    reference_server.admin.set_access_token_lifetime(1)
    account = sign_in(reference_server)
    issued = stored_tokens(memory_keyring, reference_server)
    account.sync()
    issued |= stored_tokens(memory_keyring, reference_server)
    account.close()

    assert len(issued) == 4, "sign-in and a renewal each issued two tokens"
    assert account.db.path.stat().st_size > 0 and settings_path().is_file()
    assert "Signed in as ana" in log_file.read_text(encoding="utf-8")
    assert files_containing(rounds_home, issued | {DEMO_PASSWORD}) == []


def test_without_a_keyring_the_sign_in_lasts_for_this_session_only(
    reference_server: ReferenceServer, rounds_home: Path
) -> None:
    keyring.set_keyring(fail.Keyring())
    account = sign_in(reference_server)
    assert account.tokens_persistent is False
    assert account.sync().courses_added == 3
    tokens = account.tokens.load()
    assert tokens is not None
    assert files_containing(rounds_home, {tokens.access_token, tokens.refresh_token}) == []
    assert Account.resume(reference_server.url, DEMO_USER) is None
    account.close()
