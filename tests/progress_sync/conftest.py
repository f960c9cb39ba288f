"""Fixtures: a reference server on loopback and the learner's devices signed in to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reference_server import ReferenceServer

from .devices import Device, open_device, start_server

OpenDevice = Callable[..., Device]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ReferenceServer]:
    running = start_server(tmp_path / "server")
    yield running
    running.stop()


@pytest.fixture
def open_devices(tmp_path: Path, server: ReferenceServer) -> Iterator[OpenDevice]:
    opened: list[Device] = []

    def open_one(name: str = "laptop", username: str = "ana") -> Device:
        device = open_device(server.url, tmp_path / f"{name}.sqlite3", username)
        opened.append(device)
        return device

    yield open_one
    for device in opened:
        device.close()


@pytest.fixture
def laptop(open_devices: OpenDevice) -> Device:
    return open_devices("laptop")
