"""One Rounds per person and data folder: a second launch brings the first window forward.

The first instance holds a lock file in the data home and listens on a local socket named from
a hash of the user and that folder, so `ROUNDS_HOME` gives a second data folder (and each test)
a Rounds of its own. A launch that cannot take the lock connects, says "show" and exits; the
first instance raises its window. The lock names the process that holds it: a lock left by a
Rounds that crashed or was killed is stale, and the next launch takes it over.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
import time
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Qt, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

SHOW = b"show\n"
SHOWN = b"shown\n"
LOCK_NAME = "rounds.lock"
ANSWER_MS = 5000  # how long a second launch waits for the first instance to answer


def server_name(home: Path) -> str:
    """The local socket's name: one per user and data folder, short enough for any platform."""
    key = f"{getpass.getuser()}\0{home.expanduser().resolve()}".encode()
    return f"rounds-{hashlib.sha256(key).hexdigest()[:24]}"


class SingleInstance(QObject):
    """The first instance's claim on a data folder, and its ear for later launches.

    Signals: `show_requested()` — a later launch asked for the window to come forward."""

    show_requested = Signal()

    def __init__(self, home: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.home = home
        self._lock = QLockFile(str(home / LOCK_NAME))
        self._lock.setStaleLockTime(0)  # stale only when the holder's process is gone
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_connection)

    def claim(self) -> bool:
        """Take the data folder and listen for later launches; False if a live Rounds has it."""
        self.home.mkdir(parents=True, exist_ok=True)
        if not self._lock.tryLock(0):
            return False
        name = server_name(self.home)
        QLocalServer.removeServer(name)  # the socket file a killed instance left behind
        if not self._server.listen(name):
            log.warning("Later launches cannot reach this one: %s", self._server.errorString())
        return True

    def release(self) -> None:
        self._server.close()
        self._lock.unlock()

    def _on_connection(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._on_request(s))
            socket.disconnected.connect(socket.deleteLater)

    def _on_request(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        if bytes(socket.readLine().data()) == SHOW:
            socket.write(SHOWN)
            socket.flush()
            self.show_requested.emit()
        socket.disconnectFromServer()


def ask_first_to_show(home: Path, timeout_ms: int = ANSWER_MS) -> bool:
    """Ask the Rounds that holds `home` to raise its window; False if it did not answer.

    It may have taken the lock an instant ago and not be listening yet, so connecting is
    tried again until the time is up."""
    deadline = time.monotonic() + timeout_ms / 1000
    socket = QLocalSocket()
    while not _connect(socket, server_name(home)):
        if time.monotonic() > deadline:
            return False
    socket.write(SHOW)
    answered = socket.waitForBytesWritten(timeout_ms) and _read_answer(socket, timeout_ms)
    socket.abort()
    return answered


def _connect(socket: QLocalSocket, name: str) -> bool:
    socket.connectToServer(name)
    if socket.waitForConnected(250):
        return True
    socket.abort()
    time.sleep(0.1)  # no server yet answers at once: do not spin
    return False


def _read_answer(socket: QLocalSocket, timeout_ms: int) -> bool:
    while not socket.canReadLine():
        if not socket.waitForReadyRead(timeout_ms):
            return False
    return bytes(socket.readLine().data()) == SHOWN


def bring_forward(window: QWidget | None) -> None:
    """Show `window` in front of the others: restored if minimised, raised, focused."""
    if window is None:
        return
    if window.isMinimized():
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
