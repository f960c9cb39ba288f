"""One Rounds per person and data folder: a second launch brings the first window forward.

The first instance holds a lock file in the data home and listens on a local socket named from
a hash of the user and that folder, so `ROUNDS_HOME` gives a second data folder (and each test)
a Rounds of its own. A launch that cannot take the lock connects, says "show" and exits; the
first instance raises its window. The lock names the process that holds it: a lock left by a
Rounds that crashed or was killed is stale, and the next launch takes it over. The socket is a
Unix socket (`socket_doorbell`), or on Windows a named pipe through QtNetwork (`pipe_doorbell`).
"""

from __future__ import annotations

import getpass
import hashlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from desktop_app.gui.socket_doorbell import SocketDoorbell, ring_socket

if TYPE_CHECKING:
    from desktop_app.gui.pipe_doorbell import PipeDoorbell

LOCK_NAME = "rounds.lock"
ANSWER_MS = 5000  # how long a second launch waits for the first instance to answer
PIPES = sys.platform == "win32"  # Python has no Unix sockets there


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
        self._doorbell = _doorbell(self)
        self._doorbell.rang.connect(self.show_requested)

    def claim(self) -> bool:
        """Take the data folder and listen for later launches; False if a live Rounds has it."""
        self.home.mkdir(parents=True, exist_ok=True)
        if not self._lock.tryLock(0):
            return False
        self._doorbell.listen(server_name(self.home))  # if it cannot, it says why in the log
        return True

    def release(self) -> None:
        self._doorbell.close()
        self._lock.unlock()


def _doorbell(parent: QObject) -> SocketDoorbell | PipeDoorbell:
    if PIPES:
        from desktop_app.gui.pipe_doorbell import PipeDoorbell

        return PipeDoorbell(parent)
    return SocketDoorbell(parent)


def ask_first_to_show(home: Path, timeout_ms: int = ANSWER_MS) -> bool:
    """Ask the Rounds that holds `home` to raise its window; False if it did not answer."""
    if PIPES:
        from desktop_app.gui.pipe_doorbell import ring_pipe

        return ring_pipe(server_name(home), timeout_ms)
    return ring_socket(server_name(home), timeout_ms)


def bring_forward(window: QWidget | None) -> None:
    """Show `window` in front of the others: restored if minimised, raised, focused."""
    if window is None:
        return
    if window.isMinimized():
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
