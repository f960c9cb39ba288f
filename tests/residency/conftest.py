"""Fixtures for the residency tests: a clock that moves only when a test moves it, and the
reference server on that clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from residency_samples import FakeClock, server_residency

from reference_server.server import ReferenceServer


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def server(tmp_path: Path, clock: FakeClock) -> Iterator[ReferenceServer]:
    """A reference server on the test's clock with Ana (u-ana) and the sample residency."""
    running = ReferenceServer(tmp_path / "server", clock=clock).start()
    running.admin.add_user("ana", "rounds-demo", "Ana Ortiz", user_id="u-ana")
    running.admin.add_residency(server_residency())
    yield running
    running.stop()
