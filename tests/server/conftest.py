"""Fixtures for the reference server tests: a small curriculum and a started server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reference_server import ReferenceServer

from .testkit import Api, write_curriculum


@pytest.fixture
def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def curriculum(tmp_path: Path, now: datetime) -> Path:
    return write_curriculum(tmp_path / "curriculum", now)


@pytest.fixture
def server(tmp_path: Path, curriculum: Path) -> Iterator[ReferenceServer]:
    with ReferenceServer(tmp_path / "data", curriculum=curriculum) as running:
        yield running


@pytest.fixture
def api(server: ReferenceServer) -> Iterator[Api]:
    client = Api(server.url, "ana")
    yield client
    client.close()


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceServer]:
    """One server for a whole module, for tests that do not depend on each other's changes."""
    root = tmp_path_factory.mktemp("shared")
    curriculum = write_curriculum(root / "curriculum", datetime.now(UTC).replace(microsecond=0))
    with ReferenceServer(root / "data", curriculum=curriculum) as running:
        yield running


@pytest.fixture(scope="module")
def shared_api(shared_server: ReferenceServer) -> Iterator[Api]:
    client = Api(shared_server.url, "ana")
    yield client
    client.close()
