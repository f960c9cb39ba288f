"""Choosing where statements go: the Rounds server with the session, or an LRS with Basic."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
from server_fixture import server_statement_ids

from desktop_app.api.errors import AuthenticationError, InsecureConnectionError
from desktop_app.api.tokens import Tokens
from desktop_app.api.xapi import (
    BasicCredential,
    StatementsEndpoint,
    repaired_more_link,
    retry_after_seconds,
)
from desktop_app.config import Settings
from desktop_app.sync.lrs import LrsConfig, lrs_secret_store, statements_endpoint
from desktop_app.sync.outbox import Outbox
from reference_server import ReferenceServer

from .devices import PASSWORD, Device

AGENT = {"objectType": "Agent", "account": {"homePage": "https://rounds.example", "name": "ana"}}


def test_the_lrs_secret_lives_in_the_keyring_only(memory_keyring: Any) -> None:
    config = LrsConfig.from_settings(
        Settings(lrs_endpoint=" https://lrs.example.org/xapi/ ", lrs_username="key-1")
    )
    secret = lrs_secret_store(config)

    secret.save("s3cret")

    assert memory_keyring.items == {("Rounds LRS https://lrs.example.org/xapi", "key-1"): "s3cret"}
    assert lrs_secret_store(config).load() == "s3cret"
    secret.clear()
    assert lrs_secret_store(config).load() is None and memory_keyring.items == {}
    assert "s3cret" not in repr(BasicCredential("key-1", "s3cret"))


def test_by_default_statements_go_to_the_rounds_server_with_the_session(
    laptop: Device, server: ReferenceServer
) -> None:
    endpoint = statements_endpoint(LrsConfig(), laptop.api)
    try:
        assert endpoint.statements_url == server.url + "/xapi/statements"
        laptop.record(2)
        assert Outbox(laptop.queue, endpoint).upload().sent == 2
    finally:
        endpoint.close()
    [post] = [r for r in server.requests if r.method == "POST" and r.path == "/xapi/statements"]
    assert post.headers["authorization"] == "Bearer [redacted]"


def test_a_separate_lrs_gets_basic_credentials_from_the_keyring(
    laptop: Device, server: ReferenceServer
) -> None:
    config = LrsConfig(server.url + "/xapi", "ana")
    lrs_secret_store(config).save(PASSWORD)
    endpoint = statements_endpoint(config, laptop.api)
    try:
        ids = laptop.record(3)
        assert Outbox(laptop.queue, endpoint).upload().complete
    finally:
        endpoint.close()
    assert sorted(server_statement_ids(server)) == sorted(ids)
    posts = [r for r in server.requests if r.method == "POST" and r.path == "/xapi/statements"]
    assert [r.headers["authorization"] for r in posts] == ["Basic [redacted]"]


def test_an_lrs_without_a_stored_secret_is_refused_before_sending(laptop: Device) -> None:
    with pytest.raises(AuthenticationError, match="No password is stored"):
        statements_endpoint(LrsConfig("https://lrs.example.org/xapi", "key-1"), laptop.api)


@pytest.mark.expect_log("desktop_app.sync.outbox", "did not accept the user name and password")
def test_a_wrong_lrs_password_stops_the_upload_and_keeps_everything(
    laptop: Device, server: ReferenceServer
) -> None:
    endpoint = StatementsEndpoint(server.url + "/xapi", BasicCredential("ana", "wrong"))
    try:
        laptop.record(2)
        summary = Outbox(laptop.queue, endpoint).upload()
    finally:
        endpoint.close()
    assert isinstance(summary.error, AuthenticationError)
    assert "did not accept the user name and password" in summary.error.message
    assert summary.remaining == 2 and server_statement_ids(server) == []


def test_a_rejected_access_token_is_renewed_once(laptop: Device, server: ReferenceServer) -> None:
    tokens = laptop.tokens.load()
    assert tokens is not None
    far = datetime.now(UTC) + timedelta(hours=1)
    laptop.tokens.save(replace(tokens, access_token="revoked-or-forged", expires_at=far))
    laptop.record(2)

    assert laptop.outbox().upload().sent == 2
    assert [r.path for r in server.requests if r.path.startswith("/api/v1/auth")] == [
        "/api/v1/auth/token",
        "/api/v1/auth/refresh",
    ]
    renewed = laptop.tokens.load()
    assert isinstance(renewed, Tokens) and renewed.access_token != "revoked-or-forged"


def test_plain_http_to_an_lrs_on_the_network_is_refused() -> None:
    with pytest.raises(InsecureConnectionError):
        StatementsEndpoint("http://lrs.example.org/xapi", BasicCredential("k", "s"))


def test_a_more_link_with_an_unreadable_agent_gets_ours_back() -> None:
    broken = "/xAPI/statements?agent=[object Object]&ascending=true&limit=5&cursor=abc"
    fixed = repaired_more_link(broken, AGENT)
    assert fixed.startswith("/xAPI/statements?agent=%7B%22account%22")
    assert fixed.endswith("&ascending=true&limit=5&cursor=abc")
    signed = "/xapi/statements?more=eyJtb3JlIjp7%2B%2F%3D"
    assert repaired_more_link(signed, AGENT) == signed


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 28 <= (retry_after_seconds(later) or 0) <= 30
