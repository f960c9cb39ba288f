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
from server_fixture import DEMO_PASSWORD, DEMO_USER

from desktop_app.account import Account
from desktop_app.gui.shell import OFFLINE_START, Shell
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
