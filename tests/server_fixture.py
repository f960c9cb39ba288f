"""The reference server as pytest fixtures, the demo learner signed in to it, and network
settings that keep tests fast.

Registered for every test by `pytest_plugins` in the root conftest; test modules import the
constants from here.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select

from desktop_app.account import Account
from desktop_app.api.client import ApiClient
from desktop_app.api.tokens import MemoryTokenStore
from desktop_app.api.transport import TransportConfig
from reference_server.db import utc_now
from reference_server.models import Statement
from reference_server.passwords import PROFILE_VARIABLE
from reference_server.server import SAMPLE_CURRICULUM, ReferenceServer

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication
    from pytestqt.qtbot import QtBot

    from desktop_app.views.main_window import MainWindow

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


class ServerClock:
    """The server's time: the real time, until a test moves it forward (to expire a token
    without waiting for it)."""

    def __init__(self) -> None:
        self._ahead = timedelta()

    def __call__(self) -> datetime:
        return utc_now() + self._ahead

    def advance(self, seconds: float) -> None:
        self._ahead += timedelta(seconds=seconds)


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes() -> Iterator[None]:
    """argon2id with the cheapest parameters (servers started as processes inherit it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(PROFILE_VARIABLE, "CHEAPEST")
        yield


@pytest.fixture
def server_clock() -> ServerClock:
    return ServerClock()


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
    curriculum_data: Path, tmp_path_factory: pytest.TempPathFactory, server_clock: ServerClock
) -> Iterator[ReferenceServer]:
    """A real reference server on loopback with the sample curriculum, fresh for each test."""
    data = tmp_path_factory.mktemp("reference-server") / "data"
    shutil.copytree(curriculum_data, data)
    server = ReferenceServer(data, clock=server_clock)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def tokens() -> MemoryTokenStore:
    return MemoryTokenStore()


@pytest.fixture
def client(reference_server: ReferenceServer, tokens: MemoryTokenStore) -> Iterator[ApiClient]:
    """An API client signed in as the demo learner."""
    api = ApiClient(reference_server.url, tokens=tokens, config=FAST_NETWORK)
    api.sign_in(DEMO_USER, DEMO_PASSWORD)
    yield api
    api.close()


@pytest.fixture
def account(reference_server: ReferenceServer) -> Iterator[Account]:
    """The demo learner's account (cache, tokens, client), signed in."""
    signed_in = Account.sign_in(reference_server.url, DEMO_USER, DEMO_PASSWORD, config=FAST_NETWORK)
    yield signed_in
    signed_in.close()


@pytest.fixture
def synced(account: Account) -> Account:
    """The demo learner's account with the catalog and schedule pulled once."""
    account.sync()
    return account


@pytest.fixture
def demo_window(
    qapp: QApplication, reference_server: ReferenceServer, qtbot: QtBot
) -> Iterator[MainWindow]:
    """The window of the demo learner signed in to the reference server, its first sync done."""
    from desktop_app.gui.shell import Shell  # the window's modules: only for the window tests

    shell = Shell(qapp, demo_url=reference_server.url)
    try:
        assert shell.start(None, None)
        made = shell.window
        assert made is not None
        qtbot.waitUntil(lambda: made.sync.status.last_success is not None, timeout=20_000)
        yield made
    finally:
        shell.close_window()


def server_statement_ids(server: ReferenceServer) -> list[str]:
    """Every statement id the server stored, one entry per stored row."""
    with server.backend.db.read() as session:
        return list(session.scalars(select(Statement.id)))
