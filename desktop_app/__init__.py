"""Rounds: offline-first desktop learning client."""

from __future__ import annotations

import ctypes
import sys


def keep_none_alive() -> None:
    """Work around PySide6 6.12 releasing one reference to `None` too many on CPython 3.11.

    With that combination each Qt method that returns nothing drops a reference to `None`;
    after a few thousand calls the interpreter frees `None` and aborts ("none_dealloc").
    From Python 3.12 `None` is immortal and this does nothing; before, it adds references
    that are never released, which is what immortality means.
    """
    if sys.version_info < (3, 12) and sys.implementation.name == "cpython":
        ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40


keep_none_alive()
