"""An exclusive lock across processes that never waits: `fcntl.flock` or `msvcrt.locking`.

The lock belongs to an open lock file, so a process that dies, however it dies, releases it.
The holder deletes the lock file when it lets go. A process that opened the file just before
that and locked it just after would hold a lock on a deleted file, so a lock counts only if
the path still names the file that was locked.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO


class LockHeld(Exception):
    """Another process (or another handle in this one) holds the lock."""


@contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold the lock on `path` for the block; LockHeld at once if someone else holds it."""
    handle = _take(path)
    try:
        yield
    finally:
        _release(handle, path)


def _take(path: Path) -> BinaryIO:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+b")  # noqa: SIM115 - closed by exclusive_lock, or below
    try:
        _lock(handle)
        if not _same_file(handle, path):
            raise LockHeld(path)
    except BaseException:
        handle.close()
        raise
    return handle


def _same_file(handle: BinaryIO, path: Path) -> bool:
    try:
        named = path.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(handle.fileno())
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


if sys.platform == "win32":
    import msvcrt

    def _lock(handle: BinaryIO) -> None:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError as error:
            raise LockHeld(handle.name) from error

    def _release(handle: BinaryIO, path: Path) -> None:
        """Closed first: Windows deletes no file that is open, ours or another process's."""
        handle.close()
        with suppress(OSError):  # another process has just opened it: it stays, empty
            path.unlink()

else:
    import fcntl

    def _lock(handle: BinaryIO) -> None:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise LockHeld(handle.name) from error

    def _release(handle: BinaryIO, path: Path) -> None:
        """Deleted while still locked, so nobody can lock this file and have it deleted."""
        with suppress(FileNotFoundError):
            path.unlink()
        handle.close()
