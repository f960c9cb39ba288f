"""A server that drips its reply: every request ends within its deadline, with one sentence."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import urllib3.exceptions
from local_servers import STALLED_ASSET, StallingServer, stalling_server
from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK

from desktop_app.account import transport_config
from desktop_app.api.client import ApiClient
from desktop_app.api.errors import DeadlineError
from desktop_app.api.tokens import MemoryTokenStore, Tokens
from desktop_app.api.xapi import rounds_server_endpoint
from desktop_app.config import Settings
from desktop_app.error_text import describe
from reference_server.server import ReferenceServer

DEADLINE = replace(FAST_NETWORK, deadline=2.0)
BOUND = 20.0  # generous: without the deadline these take minutes
DRIP = 0.2  # seconds between bytes: a catalog page would take hours
LONG_READS = replace(FAST_NETWORK, deadline=5.0, read_timeout=30.0)
STALL_LEAD = 4.6  # the last byte before the silence comes just before the 5 s deadline
STALL_BOUND = 7.5  # one more full wait on the socket would end past 9.5 s


@pytest.fixture
def slow_client(reference_server: ReferenceServer) -> Iterator[ApiClient]:
    api = ApiClient(reference_server.url, tokens=MemoryTokenStore(), config=DEADLINE)
    api.sign_in(DEMO_USER, DEMO_PASSWORD)
    yield api
    api.close()


def assert_told_in_time(error: DeadlineError, started: float, server: ReferenceServer) -> None:
    assert time.monotonic() - started < BOUND
    report = describe(error)
    assert report.offline
    assert report.message == (
        f"The server at {urlsplit(server.url).netloc} answered too slowly (its reply was not "
        "complete after 2 seconds), so the request was stopped; please try again later."
    )


def assert_statements_page_told_in_time(server: ReferenceServer, client: ApiClient) -> None:
    """The learner's first statements page, asked of the Rounds server, stops at the deadline."""
    endpoint = rounds_server_endpoint(client)
    agent = {"account": {"homePage": server.url, "name": DEMO_USER}}
    started = time.monotonic()
    with pytest.raises(DeadlineError) as caught:
        endpoint.first_page(agent, None, 10)
    assert_told_in_time(caught.value, started, server)
    endpoint.close()


def test_a_dripping_sign_in_stops_at_the_deadline(reference_server: ReferenceServer) -> None:
    reference_server.faults.add("/api/v1/auth/token", drip=DRIP)
    api = ApiClient(reference_server.url, tokens=MemoryTokenStore(), config=DEADLINE)
    started = time.monotonic()
    with pytest.raises(DeadlineError) as caught:
        api.sign_in(DEMO_USER, DEMO_PASSWORD)
    assert_told_in_time(caught.value, started, reference_server)
    api.close()


def test_a_dripping_catalog_page_stops_at_the_deadline(
    reference_server: ReferenceServer, slow_client: ApiClient
) -> None:
    reference_server.faults.add("/api/v1/sync/catalog", drip=DRIP)
    started = time.monotonic()
    with pytest.raises(DeadlineError) as caught:
        slow_client.catalog_page()
    assert_told_in_time(caught.value, started, reference_server)
    assert slow_client.catalog_page().items, "the next request is not held up"


def test_a_dripping_statements_page_stops_at_the_deadline(
    reference_server: ReferenceServer, slow_client: ApiClient
) -> None:
    reference_server.faults.add("/xapi/statements", drip=DRIP)
    assert_statements_page_told_in_time(reference_server, slow_client)


def test_the_deadline_is_a_setting() -> None:
    assert transport_config(Settings()).deadline == 120
    assert transport_config(Settings(request_deadline_seconds=30)).deadline == 30


def test_a_server_that_never_answers_is_not_asked_again_past_the_deadline(
    reference_server: ReferenceServer, slow_client: ApiClient
) -> None:
    """Each try waits the read timeout; retries after the deadline would only add to it."""
    reference_server.faults.add("/api/v1/sync/catalog", delay=4, count=3)
    reference_server.clear_requests()
    started = time.monotonic()
    with pytest.raises(DeadlineError) as caught:
        slow_client.catalog_page()
    assert_told_in_time(caught.value, started, reference_server)
    assert [r.path for r in reference_server.requests] == ["/api/v1/sync/catalog"]


@pytest.fixture
def stalling() -> Iterator[StallingServer]:
    with stalling_server(STALL_LEAD) as server:
        yield server


@pytest.fixture
def stalled_client(stalling: StallingServer) -> Iterator[ApiClient]:
    tokens = Tokens("access", "refresh", datetime.now(UTC) + timedelta(hours=1))
    api = ApiClient(stalling.url, tokens=MemoryTokenStore(tokens), config=LONG_READS)
    yield api
    api.close()


def assert_stopped_at_the_deadline(error: DeadlineError, started: float, host: str) -> None:
    assert time.monotonic() - started < STALL_BOUND
    assert describe(error).message == (
        f"The server at {host} answered too slowly (its reply was not complete after 5 "
        "seconds), so the request was stopped; please try again later."
    )


def test_a_reply_that_falls_silent_just_before_the_deadline_stops_at_it(
    stalling: StallingServer, stalled_client: ApiClient
) -> None:
    """The read timeout is 30 s: the wait after the last byte is cut to what the deadline leaves."""
    started = time.monotonic()
    with pytest.raises(DeadlineError) as caught:
        stalled_client.catalog_page()
    assert_stopped_at_the_deadline(caught.value, started, stalled_client.transport.host)


def test_a_download_that_falls_silent_just_before_the_deadline_stops_at_it(
    stalling: StallingServer, stalled_client: ApiClient
) -> None:
    started = time.monotonic()
    stream = stalled_client.open_asset_stream(STALLED_ASSET)
    received: list[bytes] = []
    buffer = memoryview(bytearray(256 * 1024))
    with pytest.raises(DeadlineError) as caught:
        while count := stream.readinto(buffer):
            received.append(bytes(buffer[:count]))
    stream.close()
    assert_stopped_at_the_deadline(caught.value, started, stalled_client.transport.host)
    assert received == [b"{"], "what came before the deadline is passed on"


def slow_renewal(server: ReferenceServer, path: str) -> None:
    """The call to `path` is refused after 1.2 s and the refresh answers 1.2 s later: each
    within 2 s, together past the 2 s the learner was promised."""
    server.faults.add(path, status=401, delay=1.2)
    server.faults.add("/api/v1/auth/refresh", delay=1.2)
    server.clear_requests()


def test_a_call_that_renews_its_token_shares_one_deadline_with_the_renewal(
    reference_server: ReferenceServer, slow_client: ApiClient
) -> None:
    slow_renewal(reference_server, "/api/v1/sync/catalog")
    started = time.monotonic()
    with pytest.raises(DeadlineError) as caught:
        slow_client.catalog_page()
    assert_told_in_time(caught.value, started, reference_server)
    sent = [r.path for r in reference_server.requests]
    assert sent == ["/api/v1/sync/catalog", "/api/v1/auth/refresh"], "no call past the deadline"
    assert slow_client.catalog_page().items, "the session survives"


def test_a_statements_page_that_renews_its_token_shares_one_deadline_with_the_renewal(
    reference_server: ReferenceServer, slow_client: ApiClient
) -> None:
    slow_renewal(reference_server, "/xapi/statements")
    assert_statements_page_told_in_time(reference_server, slow_client)
    sent = [r.path for r in reference_server.requests]
    assert sent == ["/xapi/statements", "/api/v1/auth/refresh"], "no call past the deadline"


def test_a_retry_waits_for_its_reply_no_longer_than_the_deadline_leaves(
    reference_server: ReferenceServer,
) -> None:
    """The first try is answered "busy" near the deadline; the retry's wait for its reply is
    what is left, not the whole 5 s the first try was given."""
    reference_server.faults.add("/api/v1/sync/catalog", status=503, delay=4.5)
    reference_server.faults.add("/api/v1/sync/catalog", delay=4.5)
    api = ApiClient(reference_server.url, tokens=MemoryTokenStore(), config=LONG_READS)
    api.sign_in(DEMO_USER, DEMO_PASSWORD)
    started = time.monotonic()
    with pytest.raises(DeadlineError) as caught:
        api.catalog_page()
    assert_stopped_at_the_deadline(caught.value, started, api.transport.host)
    api.close()


def test_a_download_silent_for_the_read_timeout_says_it_timed_out() -> None:
    """Well within the deadline, the read timeout ran out: the error says so, not "broken"."""
    quick_reads = replace(FAST_NETWORK, deadline=30.0, read_timeout=0.5)
    tokens = MemoryTokenStore(Tokens("access", "refresh", datetime.now(UTC) + timedelta(hours=1)))
    with stalling_server(0.0) as server:
        api = ApiClient(server.url, tokens=tokens, config=quick_reads)
        stream = api.open_asset_stream(STALLED_ASSET)
        buffer = memoryview(bytearray(1024))
        assert stream.readinto(buffer) == 1
        with pytest.raises(urllib3.exceptions.ReadTimeoutError) as caught:
            stream.readinto(buffer)
        stream.close()
        api.close()
    assert "Read timed out. (read timeout=0.5)" in str(caught.value)
