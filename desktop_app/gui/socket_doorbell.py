"""The single-instance doorbell through a Unix socket, with Python's `socket` module.

A later launch connects, says "show" and waits for "shown"; the first instance raises its
window. This is what Qt's QLocalServer does on Linux and macOS, without importing QtNetwork,
which costs the idle window 3 MB. The socket is where a QLocalServer of the same name puts
its own (in Qt's temporary folder), inside a folder only the user may enter until it is in
place, and only the user may connect to it; so a Rounds of either kind answers the other
(`pipe_doorbell` is the Qt one, used where Python has no Unix sockets).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import stat
import tempfile
import time

from PySide6.QtCore import QDir, QObject, QSocketNotifier, Signal

log = logging.getLogger(__name__)

SHOW = b"show\n"
SHOWN = b"shown\n"
LONGEST_LINE = 64  # a caller that says more without ending its line is not listened to
CONNECT_S = 0.25


def socket_path(name: str) -> str:
    """Where a QLocalServer listening on `name` has its socket."""
    return os.path.join(QDir.tempPath(), name)


class SocketDoorbell(QObject):
    """Listens for later launches on the Unix socket for `name`.

    Signals: `rang()` — a later launch asked for the window to come forward."""

    rang = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server: socket.socket | None = None
        self._notifier: QSocketNotifier | None = None
        self._path = ""

    def listen(self, name: str) -> bool:
        self._path = socket_path(name)
        try:
            self._server = _listening_socket(self._path)
        except OSError as error:
            log.warning("Later launches cannot reach this one: %s", error)
            return False
        self._notifier = QSocketNotifier(self._server.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._accept)
        return True

    def close(self) -> None:
        """Stop listening and remove the socket, as QLocalServer does."""
        if self._server is None or self._notifier is None:
            return
        self._notifier.setEnabled(False)
        self._server.close()
        self._server = None
        with contextlib.suppress(OSError):
            os.unlink(self._path)

    def _accept(self) -> None:
        while self._server is not None:
            try:
                connection, _address = self._server.accept()
            except OSError:  # none left waiting (BlockingIOError), or one gone already
                return
            _Caller(connection, self).heard.connect(self.rang)


class _Caller(QObject):
    """One later launch's connection: its line is read as it arrives, without blocking.

    Signals: `heard()` — it said "show" and was answered."""

    heard = Signal()

    def __init__(self, connection: socket.socket, parent: QObject) -> None:
        super().__init__(parent)
        connection.setblocking(False)
        self._connection, self._said = connection, b""
        self._notifier = QSocketNotifier(connection.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._read)

    def _read(self) -> None:
        try:
            part = self._connection.recv(LONGEST_LINE)
        except BlockingIOError:
            return
        except OSError:
            part = b""
        self._said += part
        line, newline, _rest = self._said.partition(b"\n")
        if part and not newline and len(self._said) < LONGEST_LINE:
            return  # the rest of the line is on its way
        self._answer(line + newline == SHOW)

    def _answer(self, show: bool) -> None:
        self._notifier.setEnabled(False)
        if show:
            with contextlib.suppress(OSError):
                self._connection.settimeout(CONNECT_S)
                self._connection.sendall(SHOWN)
            self.heard.emit()
        self._connection.close()
        self.deleteLater()


def _listening_socket(path: str) -> socket.socket:
    """A socket listening at `path`, made in a private folder and then moved over whatever
    is at `path` (the socket a killed instance left behind), as QLocalServer does."""
    folder = tempfile.mkdtemp(prefix=".rounds-", dir=os.path.dirname(path))
    inner = os.path.join(folder, "socket")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(inner)
        os.chmod(inner, stat.S_IRWXU)
        server.listen()
        os.replace(inner, path)
    except OSError:
        server.close()
        with contextlib.suppress(OSError):
            os.unlink(inner)
        raise
    finally:
        with contextlib.suppress(OSError):
            os.rmdir(folder)
    server.setblocking(False)
    return server


def ring_socket(name: str, timeout_ms: int) -> bool:
    """Say "show" at the socket for `name`; whether it answered "shown" in time.

    It may have taken the lock an instant ago and not be listening yet, so connecting is
    tried again until the time is up."""
    deadline = time.monotonic() + timeout_ms / 1000
    while (caller := _connected(socket_path(name))) is None:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)  # no server yet answers at once: do not spin
    with caller:
        try:
            caller.settimeout(timeout_ms / 1000)
            caller.sendall(SHOW)
            return _answer(caller) == SHOWN
        except OSError:  # the time is up, or the first instance went away
            return False


def _connected(path: str) -> socket.socket | None:
    caller = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    caller.settimeout(CONNECT_S)
    try:
        caller.connect(path)
    except OSError:
        caller.close()
        return None
    return caller


def _answer(caller: socket.socket) -> bytes:
    answer = b""
    while not answer.endswith(b"\n") and len(answer) < LONGEST_LINE:
        part = caller.recv(LONGEST_LINE)
        if not part:
            break
        answer += part
    return answer
