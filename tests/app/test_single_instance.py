"""One Rounds per person and data folder: a second launch brings the first window forward."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop_app.gui.pipe_doorbell import PipeDoorbell
from desktop_app.gui.single_instance import SingleInstance, bring_forward, server_name
from desktop_app.gui.socket_doorbell import SocketDoorbell, socket_path

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen
REPOSITORY = Path(__file__).resolve().parents[2]
WAIT_MS = 60_000
HOLD_AND_WAIT = """
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from desktop_app.gui.single_instance import SingleInstance
app = QCoreApplication([])
guard = SingleInstance(Path(sys.argv[1]))
print(guard.claim(), flush=True)
sys.stdin.read()
"""


def launch(*command: str) -> subprocess.Popen[str]:
    """A Python process on the test's data home, headless, with a keyring that keeps nothing."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }
    return subprocess.Popen(
        [sys.executable, *command],
        cwd=REPOSITORY,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def first(rounds_home: Path) -> Iterator[SingleInstance]:
    guard = SingleInstance(rounds_home)
    yield guard
    guard.release()


def second_launch_brings_forward(guard: SingleInstance, qtbot: QtBot) -> None:
    """Start Rounds again on the same data home: it must exit 0 at once, having asked the
    first instance (which goes on answering meanwhile) to show its window."""
    window = QWidget()
    qtbot.addWidget(window)
    window.showMinimized()
    guard.show_requested.connect(lambda: bring_forward(window))
    second = launch("-m", "desktop_app")
    try:
        with qtbot.waitSignal(guard.show_requested, timeout=WAIT_MS):
            pass
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=WAIT_MS)
        out, err = second.communicate()
    finally:
        second.kill()
    assert (second.returncode, out, err) == (0, "", "")
    assert window.isVisible() and not window.isMinimized()


def test_a_second_launch_brings_the_first_window_forward_and_exits(
    first: SingleInstance, rounds_home: Path, qtbot: QtBot
) -> None:
    assert first.claim()

    second_launch_brings_forward(first, qtbot)

    assert sorted(path.name for path in rounds_home.iterdir()) == ["rounds.lock"]  # nothing else


def test_the_lock_of_a_killed_rounds_is_taken_over(
    first: SingleInstance, rounds_home: Path, qtbot: QtBot
) -> None:
    killed = launch("-c", HOLD_AND_WAIT, str(rounds_home))
    try:
        assert killed.stdout is not None and killed.stdout.readline() == "True\n"
        assert not first.claim()  # held while the other one lives
    finally:
        killed.kill()
        killed.communicate()

    assert first.claim()
    second_launch_brings_forward(first, qtbot)  # listening, though the dead one's socket stayed


RING = """
import sys
from desktop_app.gui.{module} import {ring}
print({ring}(sys.argv[1], 30_000), flush=True)
"""
DOORBELLS: dict[str, tuple[type[SocketDoorbell | PipeDoorbell], str, str]] = {
    "socket": (SocketDoorbell, "socket_doorbell", "ring_socket"),
    "pipe": (PipeDoorbell, "pipe_doorbell", "ring_pipe"),
}


@pytest.mark.parametrize(("listener", "caller"), [("socket", "pipe"), ("pipe", "socket")])
def test_a_rounds_of_either_kind_answers_the_other(
    listener: str, caller: str, rounds_home: Path, qtbot: QtBot
) -> None:
    """Python's Unix socket and Qt's local socket speak the same lines at the same address:
    a Rounds started after an update still finds the one that was running before it."""
    doorbell = DOORBELLS[listener][0]()
    name = server_name(rounds_home)
    assert doorbell.listen(name)
    _kind, module, ring = DOORBELLS[caller]
    try:
        with qtbot.waitSignal(doorbell.rang, timeout=WAIT_MS):
            second = launch("-c", RING.format(module=module, ring=ring), name)
        assert second.communicate(timeout=WAIT_MS // 1000)[0] == "True\n"
    finally:
        doorbell.close()
        with qtbot.waitSignal(doorbell.destroyed, timeout=WAIT_MS):
            doorbell.deleteLater()  # with its connections, while the event loop runs


def test_a_caller_that_says_something_else_is_not_answered(
    first: SingleInstance, rounds_home: Path, qtbot: QtBot
) -> None:
    assert first.claim()
    rang: list[bool] = []
    first.show_requested.connect(lambda: rang.append(True))
    path = socket_path(server_name(rounds_home))
    assert stat.S_IMODE(os.stat(path).st_mode) & 0o077 == 0  # only the user may connect
    for words in (b"open\n", b"x" * 100, b"sho"):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stranger:
            stranger.connect(path)
            stranger.sendall(words)
            stranger.shutdown(socket.SHUT_WR)
            stranger.setblocking(False)
            qtbot.waitUntil(partial(hung_up, stranger), timeout=WAIT_MS)
    assert rang == []
    second_launch_brings_forward(first, qtbot)  # and it still answers a real launch


def hung_up(caller: socket.socket) -> bool:
    """Whether the other end closed the connection without a word (this end never blocks)."""
    try:
        return caller.recv(16) == b""
    except BlockingIOError:
        return False
    except ConnectionResetError:  # closed with words of ours unread
        return True
