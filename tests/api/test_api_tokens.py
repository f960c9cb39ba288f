"""Tokens running out: renewed without the user noticing; revoked: the user signs in again."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK, ServerClock

from desktop_app.api.client import ApiClient
from desktop_app.api.errors import SessionExpiredError
from desktop_app.api.tokens import MemoryTokenStore
from reference_server.server import ReferenceServer

REFRESH = "/api/v1/auth/refresh"


def refreshes(server: ReferenceServer) -> int:
    return sum(1 for r in server.requests if r.path == REFRESH)


@pytest.fixture
def short_lived(reference_server: ReferenceServer) -> ReferenceServer:
    reference_server.admin.set_access_token_lifetime(1)
    return reference_server


def sign_in(server: ReferenceServer, store: MemoryTokenStore) -> ApiClient:
    api = ApiClient(server.url, tokens=store, config=FAST_NETWORK)
    api.sign_in(DEMO_USER, DEMO_PASSWORD)
    return api


def test_a_token_about_to_expire_is_renewed_before_use(short_lived: ReferenceServer) -> None:
    store = MemoryTokenStore()
    api = sign_in(short_lived, store)
    first = store.load()
    assert api.catalog_page().items
    assert refreshes(short_lived) == 1
    assert store.load() != first
    api.close()


def signed_in_past_the_server_expiry(
    reference_server: ReferenceServer, server_clock: ServerClock
) -> tuple[ApiClient, MemoryTokenStore]:
    """A client whose access token it believes good for an hour, which the server, 16 minutes
    on, considers expired."""
    store = MemoryTokenStore()
    api = sign_in(reference_server, store)
    tokens = store.load()
    assert tokens is not None
    store.save(replace(tokens, expires_at=datetime.now(UTC) + timedelta(hours=1)))
    server_clock.advance(16 * 60)  # past the server's 15-minute access tokens
    return api, store


def test_a_token_the_server_rejects_is_renewed_and_the_request_repeated(
    reference_server: ReferenceServer, server_clock: ServerClock
) -> None:
    api, _store = signed_in_past_the_server_expiry(reference_server, server_clock)
    reference_server.clear_requests()
    assert api.schedule_page().items
    statuses = [r.path for r in reference_server.requests]
    assert statuses == ["/api/v1/sync/schedule", REFRESH, "/api/v1/sync/schedule"]
    api.close()


def test_threads_that_hit_an_expired_token_together_renew_it_once(
    reference_server: ReferenceServer, server_clock: ServerClock
) -> None:
    api, _store = signed_in_past_the_server_expiry(reference_server, server_clock)
    start, failures = threading.Barrier(4), []

    def fetch() -> None:
        start.wait()
        try:
            api.catalog_page()
        except Exception as error:  # collected and asserted below
            failures.append(error)

    workers = [threading.Thread(target=fetch) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures == []
    assert refreshes(reference_server) == 1
    api.close()


def test_a_revoked_refresh_token_means_signing_in_again(
    short_lived: ReferenceServer, server_clock: ServerClock
) -> None:
    store = MemoryTokenStore()
    api = sign_in(short_lived, store)
    short_lived.admin.revoke_refresh_tokens(DEMO_USER)
    server_clock.advance(1.1)
    with pytest.raises(SessionExpiredError, match="sign in again"):
        api.catalog_page()
    assert store.load() is None, "useless tokens are forgotten"
    with pytest.raises(SessionExpiredError):
        api.catalog_page()
    api.close()


def test_a_renewal_whose_reply_was_lost_is_asked_for_again(
    reference_server: ReferenceServer, server_clock: ServerClock
) -> None:
    """The server rotated the refresh token, but its reply never came: still signed in."""
    api, store = signed_in_past_the_server_expiry(reference_server, server_clock)
    believed = store.load()
    reference_server.faults.add(REFRESH, drop_after_bytes=0)  # processed, reply cut off
    assert api.catalog_page().items
    assert refreshes(reference_server) == 2
    assert store.load() not in (None, believed)
    assert api.schedule_page().items, "the session keeps working afterwards"
    api.close()
