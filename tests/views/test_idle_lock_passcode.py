"""The idle lock of a learner who signs in with the organisation asks for the offline passcode
she keeps on this computer, not a password she has none of here, and opens with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QWidget
from pytestqt.qtbot import QtBot
from shots import keep, light_and_dark, shots_folder

from desktop_app.gui.background import BackgroundRunner
from desktop_app.offline_sign_in import CachedLogon
from desktop_app.views.idle_lock import LockPanel, WindowLock

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
PASSCODE = "tide-lamp-47"


@pytest.fixture
def window(qtbot: QtBot) -> QMainWindow:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.setCentralWidget(QWidget())
    window.resize(640, 420)
    window.show()
    return window


def _locked(window: QMainWindow, logon: CachedLogon, runner: BackgroundRunner) -> LockPanel:
    lock = WindowLock(window, "Ana Ortiz", logon.check, runner, 0, passcode=logon.passcode_kept)
    lock.lock()
    assert isinstance(lock.panel, LockPanel)
    return lock.panel


def _texts(panel: LockPanel) -> str:
    return " ".join(label.text() for label in panel.findChildren(QLabel))


def _unlock_with(qtbot: QtBot, panel: LockPanel, secret: str) -> None:
    panel.password.setText(secret)
    panel.unlock_button.click()
    qtbot.waitUntil(panel.unlock_button.isEnabled, timeout=20_000)


def test_a_passcode_account_is_asked_for_its_passcode(
    qapp: QApplication, qtbot: QtBot, window: QMainWindow, runner: BackgroundRunner, tmp_path: Path
) -> None:
    logon = CachedLogon(tmp_path)
    logon.keep_passcode(PASSCODE)
    panel = _locked(window, logon, runner)
    assert "Enter the offline passcode to go on." in _texts(panel)
    assert "password" not in _texts(panel)
    assert panel.password.accessibleName() == "Passcode"
    _unlock_with(qtbot, panel, "not-it")
    assert panel.message.text() == "That is not the offline passcode of this account. Try again."
    keep(
        light_and_dark(qapp, panel.window(), "idle-lock-passcode"), shots_folder("ROUNDS_T10_SHOTS")
    )
    with qtbot.waitSignal(panel.unlocked, timeout=20_000):
        panel.password.setText(PASSCODE)
        panel.unlock_button.click()


def test_a_password_account_is_asked_for_its_password(
    qtbot: QtBot, window: QMainWindow, runner: BackgroundRunner, tmp_path: Path
) -> None:
    logon = CachedLogon(tmp_path)
    logon.remember("the-password").join(20)
    panel = _locked(window, logon, runner)
    assert "Enter the password to go on." in _texts(panel)
    assert panel.password.accessibleName() == "Password"
    _unlock_with(qtbot, panel, "not-it")
    assert panel.message.text() == "That is not the password of this account. Try again."
