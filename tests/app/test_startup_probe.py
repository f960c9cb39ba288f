"""The start-up probe reads idle memory only once the start has settled: on a loaded machine the
idle time may come while the account is still opening, and a reading then would be too low."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.gui.background import BackgroundRunner
from desktop_app.gui.startup_probe import IDLE, SETTLED, StartupProbe


@pytest.fixture(autouse=True)
def no_quitting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The probe quits the application after `idle`; here the tests' application stays."""
    asked: list[int] = []
    monkeypatch.setattr(QCoreApplication, "exit", asked.append)
    return asked


def milestones(output: str) -> list[str]:
    return [line.split()[1] for line in output.splitlines() if line.startswith("rounds-startup")]


def test_idle_waits_for_the_start_to_settle(
    qapp: QApplication, qtbot: QtBot, capsys: pytest.CaptureFixture[str]
) -> None:
    runner, release = BackgroundRunner(), threading.Event()
    probe = StartupProbe("0s")  # idle is due at once: this process started long ago
    probe.expect_settled()
    runner.run(lambda: release.wait(30), lambda _result: None)
    probe.settle_after(runner)
    qtbot.wait(50)  # the idle timer has fired; the account is still opening
    assert milestones(capsys.readouterr().out) == []
    release.set()
    runner.wait_for_idle()
    qtbot.waitUntil(lambda: not runner.busy)
    assert milestones(capsys.readouterr().out) == [SETTLED, IDLE]


def test_without_an_account_opening_idle_comes_on_time(
    qapp: QApplication, qtbot: QtBot, capsys: pytest.CaptureFixture[str], no_quitting: list[int]
) -> None:
    probe = StartupProbe("0s")
    qtbot.waitUntil(lambda: no_quitting == [0])
    assert milestones(capsys.readouterr().out) == [IDLE]
    assert probe is not None
