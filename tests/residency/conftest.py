"""Fixtures for the residency tests: a real SQLite cache per test, and a controllable clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from residency_samples import FakeClock

from desktop_app.db import Database


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "cache.sqlite3")
    yield database
    database.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
