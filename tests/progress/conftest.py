"""Fixtures for the progress log: a controllable clock, a learner, logs on real SQLite files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from progress_samples import SERVER, FakeClock, MakeLog

from desktop_app.db import Database
from desktop_app.progress import Actor, ProgressLog, activity_base_for


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def actor() -> Actor:
    return Actor(home_page=SERVER, username="ana", display_name="Ana Ortiz")


@pytest.fixture
def make_log(tmp_path: Path, actor: Actor, clock: FakeClock) -> Iterator[MakeLog]:
    """Opens a progress log on its own database file, one per device name."""
    databases: list[Database] = []

    def make(device: str = "device", who: Actor = actor) -> ProgressLog:
        db = Database(tmp_path / f"{device}.sqlite3")
        databases.append(db)
        return ProgressLog(db, who, activity_base_for(SERVER), clock)

    yield make
    for db in databases:
        db.close()


@pytest.fixture
def log(make_log: MakeLog) -> ProgressLog:
    return make_log()
