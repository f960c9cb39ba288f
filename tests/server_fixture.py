"""The reference server as a pytest fixture, and network settings that keep tests fast.

Register the fixture in a directory's conftest.py with
`from server_fixture import reference_server  # noqa: F401`.
"""

from __future__ import annotations

import shutil
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
    connect_retries=1,
    backoff_factor=0.01,
    backoff_jitter=0.01,
    backoff_max=0.05,
    max_retry_after=0.2,
)
"""Short waits between retries; the same retry rules as the app."""


@pytest.fixture(scope="session")
def curriculum_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A server data folder with the sample curriculum loaded once, copied for each test."""
    data = tmp_path_factory.mktemp("curriculum-data") / "data"
    loader = ReferenceServer(data)
    loader.admin.load_curriculum(SAMPLE_CURRICULUM)
    loader.stop()
    return data


@pytest.fixture
def reference_server(
    curriculum_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ReferenceServer]:
    """A real reference server on loopback with the sample curriculum, fresh for each test."""
    data = tmp_path_factory.mktemp("reference-server") / "data"
    shutil.copytree(curriculum_data, data)
    server = ReferenceServer(data)
    server.start()
    try:
        yield server
    finally:
        server.stop()
