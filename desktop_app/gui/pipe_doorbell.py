"""The single-instance doorbell through Qt's local sockets: named pipes on Windows.

`SingleInstance` uses it where Python has no Unix sockets; elsewhere `socket_doorbell` rings
the same socket without QtNetwork, which would cost the idle window 3 MB. The two speak the
same lines ("show", then "shown") at the same address, so either side may be either kind.
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from desktop_app.gui.socket_doorbell import SHOW, SHOWN

log = logging.getLogger(__name__)


class PipeDoorbell(QObject):
    """Listens for later launches on the local server `name`.

    Signals: `rang()` — a later launch asked for the window to come forward."""

    rang = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_connection)

    def listen(self, name: str) -> bool:
        QLocalServer.removeServer(name)  # the socket file a killed instance left behind
        if self._server.listen(name):
            return True
        log.warning("Later launches cannot reach this one: %s", self._server.errorString())
        return False

    def close(self) -> None:
        self._server.close()

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
            self.rang.emit()
        socket.disconnectFromServer()


def ring_pipe(name: str, timeout_ms: int) -> bool:
    """Say "show" to the local server `name`; whether it answered "shown" in time.

    It may have taken the lock an instant ago and not be listening yet, so connecting is
    tried again until the time is up."""
    deadline = time.monotonic() + timeout_ms / 1000
    socket = QLocalSocket()
    while not _connect(socket, name):
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
