"""A cache another program holds locked is busy, not damaged: Rounds says so in one sentence
and leaves the file as it is (nothing moved aside, nothing salvaged), for the command line
and for the window's start. The lock is a real one, held by sqlite3 in another process."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK
from sqlalchemy import select

from desktop_app import cache_repair, db
from desktop_app.account import Account
from desktop_app.api.client import ApiClient
from desktop_app.api.payloads import User
from desktop_app.api.token_store import KeyringTokenStore
from desktop_app.cache_repair import open_cache
from desktop_app.cli import main as cli
from desktop_app.cli.exit_codes import ExitCode
from desktop_app.config import AccountPaths, data_home, load_settings
from desktop_app.db import CacheBusyError, Database, stored_revision
from desktop_app.gui.launch import _run_window as run_window
from desktop_app.gui.single_instance import SingleInstance
from desktop_app.models import CheckIn
from reference_server.server import ReferenceServer

SERVER = "https://rounds.example"
BUSY = (
    "Another program is using the cache on this computer (Rounds open elsewhere, or a backup "
    "or database tool), so nothing in it was changed; close it and try again."
)
LOCKER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
for statement in sys.argv[2:]:
    connection.execute(statement)
print("locked", flush=True)
sys.stdin.read()
"""
HOLDING_THE_FILE = ("PRAGMA locking_mode=EXCLUSIVE", "BEGIN EXCLUSIVE")
"""As the sqlite3 shell or a database browser can hold it: nobody else reads or writes."""
WRITING = ("BEGIN EXCLUSIVE",)
"""A long write: in WAL mode others still read, but wait to write."""
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SHORT_WAIT = 0.5
"""Seconds Rounds waits for the lock here: the lock is held throughout, so the answer is the
one the ten seconds of a real start give, without the wait."""


@pytest.fixture(autouse=True)
def short_lock_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "LOCK_WAIT_SECONDS", SHORT_WAIT)
    monkeypatch.setattr(cache_repair, "BUSY_WAIT_SECONDS", SHORT_WAIT)


@contextmanager
def locked_by_another_program(
    path: Path, how: tuple[str, ...] = HOLDING_THE_FILE
) -> Iterator[None]:
    """Another process takes a lock on the cache `how` it says, kept until it lets go."""
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(path), *how],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert locker.stdin is not None and locker.stdout is not None
    try:
        assert locker.stdout.readline() == "locked\n"
        yield
    finally:
        locker.stdin.close()
        locker.wait(timeout=60)


def queue_a_check_in(path: Path) -> None:
    database = Database(path)
    with database.session() as session:
        session.add(CheckIn(id="c-1", residency_id="r-1", code="ABC123", device_time=NOW))
    database.close()


def check_ins(path: Path) -> set[str]:
    database = Database(path)
    with database.session() as session:
        found = set(session.scalars(select(CheckIn.id)))
    database.close()
    return found


def files_beside(path: Path) -> dict[str, bytes]:
    """Every file in the account folder, with its bytes: a move or a salvage changes them."""
    return {item.name: item.read_bytes() for item in path.parent.rglob("*") if item.is_file()}


def assert_status_says_busy_and_changes_nothing(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`rounds status` while another program holds the cache: one line, no file touched."""
    with locked_by_another_program(path):
        before = files_beside(path)
        code = cli.run(["status", "--server", SERVER, "--user", DEMO_USER])
        after = files_beside(path)

    assert code == ExitCode.FAILED
    assert capsys.readouterr() == ("", f"rounds status: {BUSY}\n")
    assert after == before


def test_status_on_a_locked_cache_says_it_is_busy_and_changes_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = AccountPaths.for_account(SERVER, DEMO_USER).database
    queue_a_check_in(path)

    assert_status_says_busy_and_changes_nothing(path, capsys)
    assert check_ins(path) == {"c-1"}


def test_an_empty_cache_file_another_program_holds_is_not_taken_for_a_cut_short_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = AccountPaths.for_account(SERVER, DEMO_USER).database
    database, _repair = open_cache(path)  # a daily backup beside it: the cache was used before
    database.close()
    path.write_bytes(b"")

    assert_status_says_busy_and_changes_nothing(path, capsys)


def test_the_schema_revision_of_a_locked_cache_is_busy_not_none() -> None:
    """None would have the schema built again over the one in the file once the lock goes."""
    path = AccountPaths.for_account(SERVER, DEMO_USER).database
    queue_a_check_in(path)

    with locked_by_another_program(path), pytest.raises(CacheBusyError):
        stored_revision(path)


@pytest.mark.expect_log("desktop_app.cli.main", "requeue failed")
def test_a_command_that_writes_while_another_program_writes_says_it_is_busy(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = AccountPaths.for_account(SERVER, DEMO_USER).database
    queue_a_check_in(path)

    with locked_by_another_program(path, WRITING):
        assert cli.run(["status", "--server", SERVER, "--user", DEMO_USER]) == ExitCode.OK
        code = cli.run(["requeue", "--server", SERVER, "--user", DEMO_USER])

    assert code == ExitCode.FAILED
    assert capsys.readouterr().err == f"rounds requeue: {BUSY}\n"
    assert check_ins(path) == {"c-1"}


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_window_start_on_a_locked_cache_says_it_is_busy_and_changes_nothing(
    qapp: QApplication, reference_server: ReferenceServer
) -> None:
    account = Account.sign_in(reference_server.url, DEMO_USER, DEMO_PASSWORD, config=FAST_NETWORK)
    path = account.paths.database
    account.close()
    queue_a_check_in(path)
    shown: list[str] = []
    answer = answering_the_message_box(shown)
    guard = SingleInstance(data_home())
    args = argparse.Namespace(demo=False, server=reference_server.url, user=DEMO_USER)

    qapp.setQuitOnLastWindowClosed(False)  # else the start's closing frame leaves Qt's quit
    try:  # request pending for the event loops of later tests; the start exits on its own
        with locked_by_another_program(path):
            before = files_beside(path)
            code = run_window(qapp, args, guard)
            after = files_beside(path)
    finally:
        answer.stop()
        qapp.setQuitOnLastWindowClosed(True)

    assert (code, shown) == (1, [BUSY])
    assert not [widget for widget in qapp.topLevelWidgets() if widget.isVisible()]
    assert after == before
    assert check_ins(path) == {"c-1"}


def answering_the_message_box(shown: list[str]) -> QTimer:
    """Reads the message box the start shows, as the learner would, and closes it."""
    timer = QTimer(interval=20)

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            shown.append(box.text())
            box.accept()

    timer.timeout.connect(answer)
    timer.start()
    return timer


def test_an_account_whose_cache_is_busy_closes_its_connection_to_the_server(
    reference_server: ReferenceServer,
) -> None:
    api = ApiClient(reference_server.url, config=FAST_NETWORK)
    api.about()  # leaves a kept-alive connection in the session's pool
    pools = api.transport._session.get_adapter(reference_server.url).poolmanager.pools
    assert len(pools) == 1
    user = User(id="u-ana", username=DEMO_USER, display_name="Ana")
    paths = AccountPaths.for_account(reference_server.url, DEMO_USER)
    tokens = KeyringTokenStore.for_account(reference_server.url, DEMO_USER)
    queue_a_check_in(paths.database)

    with locked_by_another_program(paths.database), pytest.raises(CacheBusyError):
        Account(user, reference_server.url, tokens, api, load_settings(), paths)

    assert len(pools) == 0
