"""Passwords (argon2id, old scrypt hashes rehashed at sign-in) and the login rate limit."""

from __future__ import annotations

import http.client
import json
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from server_fixture import FAST_NETWORK, ServerClock
from sqlalchemy import select

from desktop_app.api.client import ApiClient
from desktop_app.api.errors import RateLimitedError
from desktop_app.api.tokens import MemoryTokenStore
from reference_server import ReferenceServer
from reference_server.login_limits import LoginLimits
from reference_server.models import User
from reference_server.passwords import scrypt_hash

from .testkit import PASSWORD, Api, assert_problem

TOKEN = "/api/v1/auth/token"


def _stored_hash(server: ReferenceServer, username: str) -> tuple[bytes, bytes]:
    with server.backend.db.read() as session:
        row = session.scalar(select(User).where(User.username == username))
        assert row is not None
        return row.password_salt, row.password_hash


def _store_scrypt(server: ReferenceServer, username: str, password: str) -> None:
    """The row as a server before argon2id stored it: a salt and a 32-byte scrypt hash."""
    salt = secrets.token_bytes(16)
    with server.backend.db.write() as session:
        row = session.scalar(select(User).where(User.username == username))
        assert row is not None
        row.password_salt, row.password_hash = salt, scrypt_hash(password, salt)


def _sign_in_from(url: str, source: str, username: str, password: str) -> tuple[int, str]:
    """POST /token from a given loopback address (127.0.0.2 is another client to the server)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(
        parts.hostname or "", parts.port, timeout=10, source_address=(source, 0)
    )
    try:
        body = json.dumps({"username": username, "password": password})
        connection.request("POST", TOKEN, body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.getheader("Retry-After", "")
    finally:
        connection.close()


def test_new_passwords_are_argon2id_with_their_parameters(server: ReferenceServer) -> None:
    server.admin.add_user("dee", "a long passphrase", "Dee Ndiaye")
    salt, stored = _stored_hash(server, "dee")
    assert stored.startswith(b"$argon2id$v=19$m=") and b",t=" in stored and b",p=" in stored
    assert salt == b""
    assert Api(server.url, "").sign_in("dee", "a long passphrase").status_code == 200


def test_an_old_scrypt_hash_signs_in_and_is_rehashed_to_argon2id(server: ReferenceServer) -> None:
    _store_scrypt(server, "ben", PASSWORD)
    assert not _stored_hash(server, "ben")[1].startswith(b"$argon2")
    api = Api(server.url, "")
    assert_problem(api.sign_in("ben", "wrong"), 401, "unauthorized")
    assert not _stored_hash(server, "ben")[1].startswith(b"$argon2"), "no rehash on a failure"
    assert api.sign_in("ben", PASSWORD).status_code == 200
    assert _stored_hash(server, "ben")[1].startswith(b"$argon2id$")
    assert api.sign_in("ben", PASSWORD).status_code == 200
    assert_problem(api.sign_in("ben", "wrong"), 401, "unauthorized")


def test_the_eleventh_wrong_password_is_429_with_retry_after(
    server: ReferenceServer, server_clock: ServerClock
) -> None:
    api = Api(server.url, "")
    for _ in range(10):
        assert_problem(api.sign_in("ana", "wrong"), 401, "unauthorized")
    refused = api.sign_in("ana", PASSWORD)
    problem = assert_problem(refused, 429, "rate-limited")
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert "Try again in 15 minutes" in problem["detail"]
    assert Api(server.url, "").sign_in("ben", PASSWORD).status_code == 200
    server_clock.advance(15 * 60)
    assert api.sign_in("ana", PASSWORD).status_code == 200


def test_a_success_resets_the_usernames_count(server: ReferenceServer) -> None:
    api = Api(server.url, "")
    for _ in range(9):
        assert_problem(api.sign_in("ana", "wrong"), 401)
    assert api.sign_in("ana", PASSWORD).status_code == 200
    for _ in range(9):
        assert_problem(api.sign_in("ana", "wrong"), 401)
    assert api.sign_in("ana", PASSWORD).status_code == 200


def test_the_limit_per_address_spares_another_address(server: ReferenceServer) -> None:
    server.admin.set_login_limits(LoginLimits(per_username=100, per_address=5))
    for username in ("a1", "a2", "a3", "a4", "a5"):
        status, _wait = _sign_in_from(server.url, "127.0.0.1", username, "guess")
        assert status == 401
    status, wait = _sign_in_from(server.url, "127.0.0.1", "ben", PASSWORD)
    assert status == 429 and int(wait) > 0
    status, _wait = _sign_in_from(server.url, "127.0.0.2", "ben", PASSWORD)
    assert status == 200


def test_the_limit_counts_xapi_basic_credentials_too(server: ReferenceServer) -> None:
    server.admin.set_login_limits(LoginLimits(per_username=3, window=timedelta(minutes=1)))
    http, url = Api(server.url, "").http, server.url + "/xapi/statements"
    http.headers["X-Experience-API-Version"] = "1.0.3"
    for _ in range(3):
        assert http.get(url, auth=("ana", "wrong")).status_code == 401
    response = http.get(url, auth=("ana", PASSWORD))
    assert_problem(response, 429, "rate-limited")
    assert int(response.headers["Retry-After"]) <= 60


def test_the_client_tells_the_wait_in_plain_words(server: ReferenceServer) -> None:
    for _ in range(10):
        Api(server.url, "").sign_in("ana", "wrong")
    client = ApiClient(server.url, tokens=MemoryTokenStore(), config=FAST_NETWORK)
    try:
        with pytest.raises(RateLimitedError) as refused:
            client.sign_in("ana", PASSWORD)
    finally:
        client.close()
    assert "try again in 15 minutes" in str(refused.value).lower()
