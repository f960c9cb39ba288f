"""The transport against a real server misbehaving on purpose (the fault-injection hook)."""

from __future__ import annotations

import socket
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK

from desktop_app.api.client import ApiClient
from desktop_app.api.errors import (
    ApiError,
    BadPayloadError,
    InsecureConnectionError,
    OfflineError,
    ProblemError,
    ServerError,
)
from desktop_app.api.tokens import MemoryTokenStore
from reference_server.server import ReferenceServer

CATALOG = "/api/v1/sync/catalog"


def requests_to(server: ReferenceServer, path: str, method: str = "GET") -> int:
    return sum(1 for r in server.requests if r.path == path and r.method == method)


@pytest.mark.parametrize(
    "url", ["http://learning.example.org", "http://10.0.0.5:8765", "http://192.168.1.20/"]
)
def test_plain_http_to_another_computer_is_refused_with_the_reason(url: str) -> None:
    with pytest.raises(InsecureConnectionError) as caught:
        ApiClient(url)
    assert "plain http" in caught.value.message and "https://" in caught.value.message


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8765",
        "http://127.8.9.10",
        "http://[::1]:8765",
        "http://localhost:8765/",
        "https://learning.example.org",
    ],
)
def test_https_anywhere_and_plain_http_on_loopback_are_accepted(url: str) -> None:
    ApiClient(url).close()


def test_an_address_that_is_not_a_url_is_refused() -> None:
    with pytest.raises(InsecureConnectionError, match="not a server address"):
        ApiClient("learning.example.org")


def test_a_server_that_is_down_is_reported_as_offline() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    api = ApiClient(f"http://127.0.0.1:{port}", config=FAST_NETWORK)
    with pytest.raises(OfflineError, match="refused"):
        api.sign_in(DEMO_USER, DEMO_PASSWORD)


def test_server_errors_are_retried_then_reported(
    client: ApiClient, reference_server: ReferenceServer
) -> None:
    reference_server.faults.add(CATALOG, status=500, count=10)
    reference_server.clear_requests()
    with pytest.raises(ServerError) as caught:
        client.catalog_page()
    assert caught.value.status == 500
    assert "try again later" in caught.value.message
    assert requests_to(reference_server, CATALOG) == 1, "500 is not in the retry list"

    reference_server.faults.clear()
    reference_server.faults.add(CATALOG, status=503, count=10)
    reference_server.clear_requests()
    with pytest.raises(ServerError):
        client.catalog_page()
    assert requests_to(reference_server, CATALOG) == FAST_NETWORK.retries + 1


def test_a_passing_outage_is_ridden_out_by_the_retries(
    client: ApiClient, reference_server: ReferenceServer
) -> None:
    reference_server.faults.add(CATALOG, status=502, count=1)
    reference_server.faults.add(CATALOG, status=504, count=1)
    assert client.catalog_page().items


def test_retry_after_is_honoured(
    client: ApiClient, tokens: MemoryTokenStore, reference_server: ReferenceServer
) -> None:
    patient = ApiClient(
        reference_server.url, tokens=tokens, config=replace(FAST_NETWORK, max_retry_after=5.0)
    )
    reference_server.faults.add(CATALOG, status=429, retry_after=1, count=1)
    started = time.monotonic()
    assert patient.catalog_page().items
    assert time.monotonic() - started >= 1.0
    patient.close()


def test_a_long_retry_after_is_capped(client: ApiClient, reference_server: ReferenceServer) -> None:
    reference_server.faults.add(CATALOG, status=429, retry_after=3600, count=1)
    started = time.monotonic()
    assert client.catalog_page().items
    assert time.monotonic() - started < 10  # capped, not the hour the server asked for


def test_persistent_rate_limiting_becomes_a_rate_limited_problem(
    client: ApiClient, reference_server: ReferenceServer
) -> None:
    reference_server.faults.add(CATALOG, status=429, retry_after=1, count=10)
    with pytest.raises(ProblemError) as caught:
        client.catalog_page()
    assert caught.value.status == 429 and caught.value.kind == "rate-limited"


def test_malformed_json_is_a_bad_payload(
    client: ApiClient, reference_server: ReferenceServer
) -> None:
    reference_server.faults.add(CATALOG, body='{"items": [', count=1)
    with pytest.raises(BadPayloadError, match="not valid JSON"):
        client.catalog_page()


def test_a_wrong_shape_names_the_field(
    client: ApiClient, reference_server: ReferenceServer
) -> None:
    reference_server.faults.add(CATALOG, body='{"items": [], "next_cursor": 7, "has_more": false}')
    with pytest.raises(BadPayloadError, match="next_cursor"):
        client.catalog_page()


def test_a_server_that_does_not_answer_in_time_is_offline(
    reference_server: ReferenceServer,
) -> None:
    impatient = replace(FAST_NETWORK, read_timeout=0.3, retries=1)
    api = ApiClient(reference_server.url, config=impatient)
    reference_server.faults.add("/api/v1/auth/token", delay=0.6, count=5)
    started = time.monotonic()
    with pytest.raises(OfflineError, match="did not answer in time"):
        api.sign_in(DEMO_USER, DEMO_PASSWORD)
    assert time.monotonic() - started < 30  # gave up, rather than wait for every delayed reply
    api.close()


def test_a_post_is_not_retried_unless_it_is_idempotent(
    client: ApiClient, reference_server: ReferenceServer
) -> None:
    reference_server.faults.add("/api/v1/auth/token", status=503, count=1)
    with pytest.raises(ServerError):
        ApiClient(reference_server.url, config=FAST_NETWORK).sign_in(DEMO_USER, DEMO_PASSWORD)

    now = datetime.now(UTC)
    reference_server.admin.set_checkin_window(
        "r-2027-chicago", now - timedelta(hours=1), now + timedelta(hours=1)
    )
    reference_server.faults.add("/api/v1/checkins", status=503, count=1)
    with pytest.raises(ProblemError, match="code"):
        client.post_checkin(str(uuid.uuid4()), "r-2027-chicago", "WRONG", now)
    assert requests_to(reference_server, "/api/v1/checkins", "POST") == 2


def test_a_redirect_is_not_followed(client: ApiClient, reference_server: ReferenceServer) -> None:
    reference_server.faults.add(CATALOG, status=302, body="", count=1)
    with pytest.raises(ApiError, match="redirected"):
        client.catalog_page()
