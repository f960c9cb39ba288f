"""A start with the server out of reach and no keyring: the sign-in dialog opens the window on
the cache with the password checked on this computer, and the window's next sync, once the
server is back, signs in with that password and uploads the work done meanwhile."""

from __future__ import annotations

import shutil
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK

from desktop_app.account import Account
from desktop_app.error_text import describe
from desktop_app.gui.background import BackgroundRunner
from desktop_app.gui.shell import OFFLINE_START, Shell
from desktop_app.offline_sign_in import SlowDown
from desktop_app.progress import LessonRef
from desktop_app.views.sign_in import SignInDialog
from reference_server.server import ReferenceServer

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "PulseAudio", "No audio device")
WELCOME = LessonRef("l-foundations-welcome", "c-foundations", "Welcome", "video")


@pytest.fixture(autouse=True)
def no_keyring() -> None:
    keyring.set_keyring(fail.Keyring())  # the conftest puts the usual one back after


def type_password(qtbot: QtBot, password: str) -> None:
    """Fill in the sign-in dialog once it is shown, as the learner would; a refusal closes it,
    so that the test fails instead of waiting for a learner."""
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, SignInDialog)
    dialog.password.setText(password)
    dialog.submit()
    qtbot.waitUntil(
        lambda: dialog.account is not None or dialog.buttons.isEnabled(), timeout=20_000
    )
    if dialog.account is None:
        dialog.reject()


@pytest.mark.expect_log("desktop_app.sync.engine", "Could not reach the server")
def test_the_window_opens_offline_and_uploads_when_the_server_is_back(
    qapp: QApplication,
    qtbot: QtBot,
    curriculum_data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = shutil.copytree(curriculum_data, tmp_path / "server-data")
    with ReferenceServer(data) as server:
        Account.sign_in(server.url, DEMO_USER, DEMO_PASSWORD).close()
    shell = Shell(qapp)
    try:
        QTimer.singleShot(0, lambda: type_password(qtbot, DEMO_PASSWORD))
        assert shell.ask_sign_in(server.url, DEMO_USER)
        window, account, study, controller = (
            shell.window,
            shell.account,
            shell.study,
            shell.controller,
        )
        assert window and account and study and controller
        assert account.offline
        asked_again: list[object] = []
        monkeypatch.setattr(shell, "ask_sign_in", lambda *args: asked_again.append(args) or False)
        assert window.status.currentMessage() == OFFLINE_START
        qtbot.waitUntil(lambda: controller.retry_pending, timeout=20_000)
        with account.db.session() as session:
            study.progress.completed(session, WELCOME)
        port = int(server.url.rsplit(":", 1)[1])
        with ReferenceServer(data, port=port):
            controller.sync_now()
            qtbot.waitUntil(lambda: controller.status.last_summary != "", timeout=20_000)
        assert controller.status.last_error == "" and asked_again == []
        assert study.pending().empty and not account.offline
    finally:
        shell.close_window()


class StoppedClock:
    """The offline attempts' clock: it moves only when the test moves it."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def submitted(qtbot: QtBot, dialog: SignInDialog, password: str) -> str:
    """What the dialog says once it has an answer for `password`."""
    dialog.password.setText(password)
    dialog.submit()
    qtbot.waitUntil(
        lambda: dialog.account is not None or dialog.buttons.isEnabled(), timeout=20_000
    )
    return dialog.message.text()


def test_the_dialog_says_how_long_to_wait_after_five_wrong_passwords_offline(
    qtbot: QtBot, runner: BackgroundRunner, curriculum_data: Path, tmp_path: Path
) -> None:
    data = shutil.copytree(curriculum_data, tmp_path / "server-data")
    with ReferenceServer(data) as server:
        Account.sign_in(server.url, DEMO_USER, DEMO_PASSWORD, config=FAST_NETWORK).close()
    clock = StoppedClock()
    dialog = SignInDialog(
        runner,
        lambda url, user, password: Account.sign_in_or_offline(
            url, user, password, config=FAST_NETWORK, slow_down=SlowDown(clock)
        ),
        lambda error: describe(error).message,
        server_url=server.url,
        username=DEMO_USER,
    )
    qtbot.addWidget(dialog)
    wrong = "The server did not accept this username and password."
    assert [submitted(qtbot, dialog, "not-the-password") for _ in range(5)] == [wrong] * 5
    too_soon = submitted(qtbot, dialog, "not-the-password")
    assert too_soon == "Too many attempts: wait 1 second, then try again."
    clock.now += 1.0
    submitted(qtbot, dialog, DEMO_PASSWORD)
    assert isinstance(dialog.account, Account) and dialog.account.offline
    dialog.account.close()
