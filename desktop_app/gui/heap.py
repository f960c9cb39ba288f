"""Python's garbage collector, run where and when it does no harm.

Two hazards with Qt: a collection walks every tracked object while holding the interpreter
lock, so on the sync thread it stalls the UI too (measured ~110 ms with a running window's
heap); and a collection on a worker thread may free a widget's Python wrapper there, deleting
the widget off the UI thread, which crashes. So, as Anki does, automatic collection is turned
off and a timer on the UI thread collects instead; and the objects alive once start-up is done
(modules, the window) are frozen out of the collector's reach, which keeps full passes short.
"""

from __future__ import annotations

import ctypes
import gc
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

YOUNG_EVERY_MS = 2_000
FULL_EVERY_TICKS = 150  # a full pass every five minutes
M_ARENA_MAX = -8  # glibc's mallopt parameter for the number of malloc arenas


class UiThreadCollector(QObject):
    """Collects garbage on the thread that owns it (the UI thread), never elsewhere."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ticks = 0
        self._timer = QTimer(self, interval=YOUNG_EVERY_MS)
        self._timer.timeout.connect(self.collect)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.enable()

    def collect(self) -> None:
        self._ticks += 1
        gc.collect(2 if self._ticks % FULL_EVERY_TICKS == 0 else 1)


def freeze_startup_heap() -> None:
    """Leave everything alive now (modules, the window) out of future collections."""
    gc.collect()
    gc.freeze()


def share_one_malloc_arena() -> None:
    """Have every thread allocate from glibc's main arena, before the window starts any.

    By default glibc gives each thread that allocates an arena of its own (up to eight per
    core). The start's worker imports the account's modules and opens the account in one,
    and what it freed there stays in that arena for good; with one arena the main thread
    reuses it. Idle resident set 5 s after a start, 1k courses: about 2.5 MB less. Python
    objects come from Python's own allocator under the interpreter lock, so threads
    seldom wait on each other in malloc."""
    mallopt = _glibc("mallopt")
    if mallopt is not None:
        mallopt(M_ARENA_MAX, 1)


def return_freed_memory() -> None:
    """Give the memory freed since the last call back to the system, where the C library
    can (glibc's malloc_trim). A closed video lesson frees its decoder's buffers, but glibc
    keeps them in its per-thread arenas, about 7 MB after each video."""
    trim = _glibc("malloc_trim")
    if trim is not None:
        trim(0)


def _glibc(name: str) -> Callable[..., int] | None:
    """glibc's function `name`; None off Linux, and where the C library has no such function
    (it is not glibc)."""
    if not sys.platform.startswith("linux"):
        return None
    return getattr(ctypes.CDLL(None), name, None)
