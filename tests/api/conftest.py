"""API tests run against the real reference server over loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK
from server_fixture import curriculum_data as curriculum_data
from server_fixture import reference_server as reference_server

from desktop_app.api.client import ApiClient
from desktop_app.api.tokens import MemoryTokenStore
from reference_server.server import ReferenceServer


@pytest.fixture
def tokens() -> MemoryTokenStore:
    return MemoryTokenStore()


@pytest.fixture
def client(reference_server: ReferenceServer, tokens: MemoryTokenStore) -> Iterator[ApiClient]:
    """A client signed in as the demo learner."""
    api = ApiClient(reference_server.url, tokens=tokens, config=FAST_NETWORK)
    api.sign_in(DEMO_USER, DEMO_PASSWORD)
    yield api
    api.close()
