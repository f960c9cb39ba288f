"""Fixtures for the reference server tests: a small curriculum and a started server."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from server_fixture import ServerClock

from reference_server import ReferenceServer
from reference_server.admin import Admin
from reference_server.backend import Backend

from .testkit import Api, write_curriculum


@pytest.fixture(scope="session")
def now() -> datetime:
    """When the test curricula were written (their check-in windows are open around it)."""
    return datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(scope="session")
def loaded_template(tmp_path_factory: pytest.TempPathFactory, now: datetime) -> Path:
    """A curriculum and a data folder with it loaded, made once and copied for each test."""
    root = tmp_path_factory.mktemp("template")
    curriculum = write_curriculum(root / "curriculum", now)
    backend = Backend.open(root / "data")
    try:
        Admin(backend).load_curriculum(curriculum)
    finally:
        backend.close()
    return root


@pytest.fixture
def curriculum(tmp_path: Path, loaded_template: Path) -> Path:
    return Path(shutil.copytree(loaded_template / "curriculum", tmp_path / "curriculum"))


@pytest.fixture
def server(
    tmp_path: Path, loaded_template: Path, server_clock: ServerClock
) -> Iterator[ReferenceServer]:
    """A started server of its own, with the test curriculum already published."""
    data = shutil.copytree(loaded_template / "data", tmp_path / "data")
    with ReferenceServer(data, clock=server_clock) as running:
        yield running


@pytest.fixture
def api(server: ReferenceServer) -> Iterator[Api]:
    client = Api(server.url, "ana")
    yield client
    client.close()


@pytest.fixture(scope="module")
def shared_server(
    tmp_path_factory: pytest.TempPathFactory, loaded_template: Path
) -> Iterator[ReferenceServer]:
    """One server for a whole module, for tests that do not depend on each other's changes."""
    data = shutil.copytree(loaded_template / "data", tmp_path_factory.mktemp("shared") / "data")
    with ReferenceServer(data) as running:
        yield running


@pytest.fixture(scope="module")
def shared_api(shared_server: ReferenceServer) -> Iterator[Api]:
    client = Api(shared_server.url, "ana")
    yield client
    client.close()
