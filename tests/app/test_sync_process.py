"""The window's sync runs in a child process: same work on the same cache, tokens kept by the
window, failures described where they happened, and a child that ends early is reported."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psutil
import pytest

from desktop_app import sync_process
from desktop_app.account import Account
from desktop_app.content_store import ContentStore
from desktop_app.gui.shell import window_sync
from desktop_app.study import Study, StudySyncSummary
from desktop_app.sync_process import (
    ENDED,
    SYNC_PROCESS_ARGUMENT,
    ProcessSyncSummary,
    SyncProcessError,
    SyncProcessUnavailable,
    sync_in_child,
)
from desktop_app.text import Message
from reference_server.server import ReferenceServer


@pytest.fixture
def study(account: Account, tmp_path: Path) -> Iterator[Study]:
    made = Study(account, ContentStore(tmp_path / "content"))
    yield made
    made.close()


def test_the_child_syncs_the_window_s_cache(study: Study) -> None:
    steps: list[tuple[int, int]] = []

    summary = sync_in_child(study, lambda pages, items: steps.append((pages, items)), _never())

    assert isinstance(summary, ProcessSyncSummary) and summary.changed
    assert "courses 3 new" in str(summary)
    assert steps and steps[-1][1] >= 3  # the child's progress reached the window
    assert {row.id for row in study.library.courses()} >= {"c-foundations"}
    again = sync_in_child(study, lambda _pages, _items: None, _never())
    assert not again.changed


def test_a_renewal_in_the_child_is_kept_by_the_window(study: Study) -> None:
    store = study.account.tokens
    old = store.load()
    assert old is not None
    store.save(replace(old, expires_at=datetime.now(UTC) - timedelta(minutes=1)))

    sync_in_child(study, lambda _pages, _items: None, _never())

    renewed = store.load()
    assert renewed is not None and renewed.refresh_token != old.refresh_token
    assert renewed.expires_at > datetime.now(UTC)
    sync_in_child(study, lambda _pages, _items: None, _never())  # the renewed ones work


@pytest.mark.expect_log("desktop_app.sync.engine", "Could not reach the server")
def test_a_failure_comes_back_described_and_translatable(
    study: Study, reference_server: ReferenceServer
) -> None:
    reference_server.stop()

    with pytest.raises(SyncProcessError) as raised:
        sync_in_child(study, lambda _pages, _items: None, _never())

    report = raised.value.report
    assert report.offline and not report.session_expired
    assert isinstance(report.message, Message) and report.message.context == "errors"
    assert "Could not reach the server" in report.message


def test_a_child_that_ends_early_is_reported(study: Study, silent_server: str) -> None:
    study.account.server_url = silent_server  # the child waits on its first request
    outcome: list[object] = []
    worker = threading.Thread(target=_sync_into, args=(study, outcome, _never()))
    worker.start()
    _wait_for(sync_children)
    for child in sync_children():
        child.kill()
    worker.join(60)

    assert isinstance(outcome[0], SyncProcessError) and outcome[0].report.message == ENDED


def test_a_cancelled_sync_stops_even_while_the_server_keeps_it_waiting(
    study: Study, silent_server: str
) -> None:
    study.account.server_url = silent_server
    cancel = threading.Event()
    outcome: list[object] = []
    worker = threading.Thread(target=_sync_into, args=(study, outcome, cancel))
    worker.start()
    _wait_for(sync_children)
    cancel.set()
    worker.join(60)

    summary = outcome[0]  # stopped by the child before its request, or killed in it
    assert isinstance(summary, ProcessSyncSummary) and "stopped" in str(summary).lower()
    _wait_for(lambda: not sync_children())


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback address that accepts connections and never answers."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def sync_children() -> list[psutil.Process]:
    """This process's sync children (a test's process may have others: servers, PAC)."""
    children = psutil.Process().children()
    return [child for child in children if SYNC_PROCESS_ARGUMENT in _command(child)]


def _command(process: psutil.Process) -> list[str]:
    try:
        return list(process.cmdline())
    except psutil.Error:  # ended meanwhile
        return []


def _sync_into(study: Study, outcome: list[object], cancel: threading.Event) -> None:
    try:
        outcome.append(sync_in_child(study, lambda _pages, _items: None, cancel))
    except SyncProcessError as error:
        outcome.append(error)


def _wait_for(condition: Callable[[], object], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.05)


def _never() -> threading.Event:
    return threading.Event()


def test_files_gone_from_the_catalog_are_released_by_the_window(
    study: Study, reference_server: ReferenceServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync_in_child(study, lambda _pages, _items: None, _never())
    released: list[set[str]] = []
    monkeypatch.setattr(study, "release_assets", released.append)  # the window's download
    assert reference_server.admin.unpublish_course("c-foundations")  # queue is in this process

    sync_in_child(study, lambda _pages, _items: None, _never())

    assert released and all(len(digest) == 64 for digest in released[0])
    assert "c-foundations" not in {row.id for row in study.library.courses()}


@pytest.mark.parametrize("executable", ["/bin/false", "/nonexistent/python"])
@pytest.mark.expect_log("desktop_app.gui.shell", "Syncing in the window's process")
def test_where_no_child_can_run_the_window_syncs_itself(
    study: Study, executable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sync_process, "child_command", lambda: [executable])  # ends at once,
    with pytest.raises(SyncProcessUnavailable):  # or never starts
        sync_in_child(study, lambda _pages, _items: None, _never())

    summary = window_sync(study, lambda _pages, _items: None, _never())

    assert isinstance(summary, StudySyncSummary) and summary.changed
    assert "c-foundations" in {row.id for row in study.library.courses()}


@pytest.mark.expect_log("desktop_app.sync_process", "sent what is not a message")
def test_a_child_that_prints_what_is_not_a_message_is_not_waited_for(
    study: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    # once the request is in (a byte of it read): a frame's length, then no pickle
    garbled = ["sh", "-c", "head -c 1 >/dev/null; printf '\\000\\000\\000\\003abc'"]
    monkeypatch.setattr(sync_process, "child_command", lambda: garbled)

    with pytest.raises(SyncProcessUnavailable):
        sync_in_child(study, lambda _pages, _items: None, _never())
