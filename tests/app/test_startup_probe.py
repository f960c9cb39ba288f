"""The start-up probe reads idle memory only once the start has settled: on a loaded machine the
idle time may come while the account is still opening, and a reading then would be too low."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.gui.background import BackgroundRunner
from desktop_app.gui.startup_probe import COURSE_LIST, IDLE, SETTLED, StartupProbe


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


WATCH_A_LIST = """
import PySide6.QtWidgets as widgets
from PySide6.QtCore import QStringListModel
from PySide6.QtWidgets import QApplication, QListView
from desktop_app.gui.startup_probe import COURSE_LIST, StartupProbe
app = QApplication([])
probe = StartupProbe(COURSE_LIST)
view = QListView()
view.setModel(QStringListModel(["A course"]))
probe.watch_list(view, COURSE_LIST)
view.show()
app.exec()
print("QCalendarWidget" in vars(widgets), flush=True)
"""


def test_watching_a_list_reports_its_paint_and_costs_the_window_nothing() -> None:
    """The probe measures the idle window's memory: watching the course list must not load
    widget classes the window never uses (as wrapping a viewport Qt made would, all of them)."""
    done = subprocess.run(
        [sys.executable, "-c", WATCH_A_LIST],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert milestones(done.stdout) == [COURSE_LIST]
    assert done.stdout.splitlines()[-1] == "False"  # no calendar loaded for a list
