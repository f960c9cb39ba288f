"""The reference server as a pytest fixture, and network settings that keep tests fast.

Register the fixture in a directory's conftest.py with
`from server_fixture import reference_server  # noqa: F401`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.api.transport import TransportConfig
from reference_server.server import SAMPLE_CURRICULUM, ReferenceServer

DEMO_USER, DEMO_PASSWORD = "ana", "rounds-demo"

FAST_NETWORK = TransportConfig(
    connect_timeout=2.0,
    read_timeout=5.0,
    retries=2,
    backoff_factor=0.01,
    backoff_jitter=0.01,
    backoff_max=0.05,
    max_retry_after=0.2,
)
"""Short waits between retries; the same retry rules as the app."""


@pytest.fixture
def reference_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceServer]:
    """A real reference server on loopback with the sample curriculum, one per test."""
    data: Path = tmp_path_factory.mktemp("reference-server")
    server = ReferenceServer(data, SAMPLE_CURRICULUM)
    server.start()
    try:
        yield server
    finally:
        server.stop()
