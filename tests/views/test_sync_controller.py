"""The sync controller: offline reporting, recovery by itself, expired sessions; sign-in dialog."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from server_fixture import DEMO_PASSWORD, DEMO_USER

from desktop_app.account import Account
from desktop_app.api.errors import OfflineError, SessionExpiredError
from desktop_app.error_text import describe
from desktop_app.gui.background import BackgroundRunner
from desktop_app.views import sync_controller
from desktop_app.views.sign_in import SignInDialog
from desktop_app.views.sync_controller import SyncController
from reference_server.server import ReferenceServer


@pytest.mark.expect_log("desktop_app.sync.engine", "Could not reach the server")
def test_offline_is_reported_and_the_sync_recovers_when_the_server_returns(
    qtbot: QtBot,
    runner: BackgroundRunner,
    reference_server: ReferenceServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    account = Account.sign_in(reference_server.url, DEMO_USER, DEMO_PASSWORD)
    reference_server.stop()
    monkeypatch.setattr(sync_controller, "RETRY_SECONDS", (1,))
    controller = SyncController(
        runner,
        lambda progress, cancel: account.sync(cancel=cancel),
        interval_minutes=60,
        describe_error=describe,
    )
    controller.start()
    qtbot.waitUntil(lambda: not controller.status.online, timeout=30_000)
    assert controller.status.last_error.startswith("Offline")
    assert controller.retry_pending

    restarted = ReferenceServer(reference_server.backend.data_dir, port=_port(reference_server))
    restarted.start()
    try:
        with qtbot.waitSignal(controller.synced, timeout=30_000):
            pass
        assert controller.status.online and controller.status.last_error == ""
        assert controller.status.last_success is not None
    finally:
        controller.stop()
        runner.wait_for_idle()
        restarted.stop()
        account.close()


def _port(server: ReferenceServer) -> int:
    return int(server.url.rsplit(":", 1)[1])


def test_an_expired_session_asks_for_sign_in_and_does_not_retry(
    qtbot: QtBot, runner: BackgroundRunner
) -> None:
    def expired(_progress: object, _cancel: threading.Event) -> object:
        raise SessionExpiredError("gone")

    controller = SyncController(runner, expired, interval_minutes=60, describe_error=describe)
    with qtbot.waitSignal(controller.session_expired, timeout=10_000):
        controller.sync_now()
    assert "sign in again" in controller.status.last_error
    assert not controller.retry_pending
    controller.stop()


def test_sign_in_dialog_says_why_a_password_was_refused(
    qtbot: QtBot, runner: BackgroundRunner, reference_server: ReferenceServer, tmp_path: Path
) -> None:
    dialog = SignInDialog(
        runner,
        Account.sign_in,
        lambda error: describe(error).message,
        server_url=reference_server.url,
        username=DEMO_USER,
    )
    qtbot.addWidget(dialog)
    dialog.password.setText("not-the-password")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled(), timeout=10_000)
    assert dialog.account is None
    assert dialog.message.text() and dialog.message.text() != "Signing in…"
    assert dialog.password.text() == ""

    dialog.password.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.submit()
    assert isinstance(dialog.account, Account)
    dialog.account.close()


def test_sign_in_dialog_refuses_plain_http_to_another_computer(
    qtbot: QtBot, runner: BackgroundRunner
) -> None:
    dialog = SignInDialog(
        runner,
        Account.sign_in,
        lambda error: describe(error).message,
        server_url="http://example.org",
    )
    qtbot.addWidget(dialog)
    dialog.username.setText(DEMO_USER)
    dialog.password.setText(DEMO_PASSWORD)
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled(), timeout=10_000)
    assert "http" in dialog.message.text().lower()
    assert dialog.account is None


def test_a_stopped_controller_neither_retries_a_failing_sync_nor_starts_another(
    qtbot: QtBot, runner: BackgroundRunner
) -> None:
    """A closed window's last sync may fail while it winds down: nothing may follow it."""
    release = threading.Event()
    calls: list[int] = []

    def offline(_progress: object, _cancel: threading.Event) -> object:
        calls.append(1)
        release.wait(10)
        raise OfflineError("Offline: could not reach the server.")

    controller = SyncController(runner, offline, interval_minutes=60, describe_error=describe)
    controller.sync_now()
    controller.stop()
    with qtbot.waitSignal(controller.status_changed, timeout=10_000):
        release.set()
    qtbot.waitUntil(lambda: not controller.status.syncing, timeout=10_000)
    assert not controller.retry_pending
    controller.sync_now()
    runner.wait_for_idle()
    assert calls == [1] and not controller.status.syncing


def test_progress_is_published_a_few_times_a_second_and_the_latest_always(
    qtbot: QtBot, runner: BackgroundRunner
) -> None:
    """A page every few milliseconds would redraw the status bar as often."""
    release = threading.Event()

    def quick_pages(progress: sync_controller.ProgressCallback, _cancel: threading.Event) -> object:
        for page in range(1, 101):
            progress(page, page * 10)
        release.wait(timeout=30)
        return "done"

    controller = SyncController(
        runner,
        quick_pages,  # type: ignore[arg-type]
        interval_minutes=60,
        describe_error=describe,
    )
    published: list[int] = []

    def note(status: sync_controller.SyncStatus) -> None:
        if status.syncing and status.pages_done:
            published.append(status.pages_done)

    controller.status_changed.connect(note)
    controller.sync_now()
    try:
        qtbot.waitUntil(lambda: controller.status.items_done == 1000, timeout=10_000)
        assert len(published) <= 3 and published[-1] == 100
    finally:
        release.set()
        runner.wait_for_idle()
        controller.stop()
