"""Test set-up shared by every tier: headless Qt, a private data folder, an in-memory keyring,
a fresh cache database, and the plugins every test runs with: the reference server fixtures
and the check that fails a test on an unexpected warning from the app or the server."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia*=false")
os.environ["DBUS_SESSION_BUS_ADDRESS"] = "disabled:"

import gc
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError
from PySide6.QtCore import QCoreApplication, QEvent, QTimer
from PySide6.QtGui import QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.db import Database
from desktop_app.gui.background import BackgroundRunner

pytest_plugins = ["server_fixture", "plugins.logfail", "plugins.watchdog", "plugins.workers"]

# Nothing a test does may land in the real user's folders, even at import time.
os.environ["ROUNDS_HOME"] = tempfile.mkdtemp(prefix="rounds-test-home-")
os.environ["ROUNDS_POLICY"] = os.path.join(os.environ["ROUNDS_HOME"], "no-machine-policy.json")
os.environ.pop("ROUNDS_SERVER", None)
os.environ.pop("ROUNDS_PASSWORD", None)


class MemoryKeyring(KeyringBackend):
    """A keyring that lives only in this process."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.items.pop((service, username), None) is None:
            raise PasswordDeleteError(f"no secret for {service}/{username}")


@pytest.fixture(autouse=True)
def tidy_main_thread() -> None:
    """Delete the widgets earlier tests closed, and collect garbage, here on the main thread.

    Otherwise a collection that happens to run on the reference server's or a worker's thread
    could free a widget there, off the UI thread, and crash the run."""
    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


@pytest.fixture(autouse=True)
def plain_appearance() -> Iterator[None]:
    """A test that applies a theme or a text size (saving the settings dialog does) leaves the
    next test the application's own look: no style sheet, the platform's palette and font."""
    yield
    app = QCoreApplication.instance()
    if isinstance(app, QApplication) and app.styleSheet():
        app.setStyleSheet("")
        app.setPalette(QPalette())
        app.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont))


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[BackgroundRunner]:
    """The window's one background runner; the test ends once its work is done and the
    results are delivered, while the widgets that asked for them still exist."""
    background = BackgroundRunner()
    yield background
    assert background.wait_for_idle(10_000)
    qapp.processEvents()


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def rounds_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "rounds-home"
    monkeypatch.setenv("ROUNDS_HOME", str(home))
    monkeypatch.setenv("ROUNDS_POLICY", str(tmp_path / "no-machine-policy.json"))
    monkeypatch.delenv("ROUNDS_SERVER", raising=False)
    monkeypatch.delenv("ROUNDS_PASSWORD", raising=False)
    return home


@pytest.fixture
def policy_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the machine policy is read from in this test (nothing is there until it writes)."""
    path = tmp_path / "policy.json"
    monkeypatch.setenv("ROUNDS_POLICY", str(path))
    return path


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """The client's cache, on a real SQLite file of the test's own."""
    database = Database(tmp_path / "cache.sqlite3")
    yield database
    database.close()


@pytest.fixture
def run_deferred_calls(qtbot: QtBot) -> Callable[[], None]:
    """Runs the UI thread until every call deferred to it so far has run, for a test that
    asserts something did not happen: zero-time timers and posted events (layout requests
    among them) run in the order they were queued, so a call queued now runs after them."""

    def run() -> None:
        with qtbot.waitCallback(timeout=10_000) as done:
            QTimer.singleShot(0, done)

    return run
