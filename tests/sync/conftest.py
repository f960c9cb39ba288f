"""Sync tests: a signed-in account against a fresh reference server, on real SQLite files."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK
from server_fixture import curriculum_data as curriculum_data
from server_fixture import reference_server as reference_server

from desktop_app.account import Account
from reference_server.server import ReferenceServer


@pytest.fixture
def account(reference_server: ReferenceServer) -> Iterator[Account]:
    signed_in = Account.sign_in(reference_server.url, DEMO_USER, DEMO_PASSWORD, config=FAST_NETWORK)
    yield signed_in
    signed_in.close()
