"""A server that drips its reply: every request ends within its deadline, with one sentence."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK

from desktop_app.account import transport_config
from desktop_app.api.client import ApiClient
from desktop_app.api.errors import DeadlineError
from desktop_app.api.tokens import MemoryTokenStore
from desktop_app.api.xapi import rounds_server_endpoint
from desktop_app.config import Settings
from desktop_app.error_text import describe
from reference_server.server import ReferenceServer

DEADLINE = replace(FAST_NETWORK, deadline=2.0)
BOUND = 20.0  # generous: without the deadline these take minutes
DRIP = 0.2  # seconds between bytes: a catalog page would take hours


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
    endpoint = rounds_server_endpoint(slow_client)
    agent = {"account": {"homePage": reference_server.url, "name": DEMO_USER}}
    started = time.monotonic()
    with pytest.raises(DeadlineError) as caught:
        endpoint.first_page(agent, None, 10)
    assert_told_in_time(caught.value, started, reference_server)
    endpoint.close()


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
