"""Fixtures for the progress log: a controllable clock, a learner, logs on real SQLite files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from progress_samples import SERVER, Device, FakeClock, MakeDevice, progress_on

from desktop_app.db import Database
from desktop_app.progress import Actor, OutboxQueue, ProgressExchange, ProgressLog


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def actor() -> Actor:
    return Actor(home_page=SERVER, account_name="ana", display_name="Ana Ortiz")


@pytest.fixture
def make_device(tmp_path: Path, actor: Actor, clock: FakeClock) -> Iterator[MakeDevice]:
    """Opens a device's progress on its own database file, one per device name."""
    databases: list[Database] = []

    def make(name: str = "device", who: Actor = actor) -> Device:
        db = Database(tmp_path / f"{name}.sqlite3")
        databases.append(db)
        return progress_on(db, who, clock)

    yield make
    for db in databases:
        db.close()


@pytest.fixture
def device(make_device: MakeDevice) -> Device:
    return make_device()


@pytest.fixture
def log(device: Device) -> ProgressLog:
    return device.log


@pytest.fixture
def queue(device: Device) -> OutboxQueue:
    return device.queue


@pytest.fixture
def exchange(device: Device) -> ProgressExchange:
    return device.exchange
