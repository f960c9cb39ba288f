"""Rounds: offline-first desktop learning client."""

from __future__ import annotations

import ctypes
import sys


def keep_none_alive() -> None:
    """Work around PySide6 6.12 releasing references to singletons too often on CPython 3.11.

    With that combination Qt methods that return nothing (or a bool) drop one reference to
    `None` (or `True`/`False`) too many; after enough calls the interpreter frees the
    singleton and aborts ("none_dealloc", "bool_dealloc"). From Python 3.12 these objects are
    immortal and this does nothing; before, it adds references that are never released,
    which is what immortality means.
    """
    if sys.version_info < (3, 12) and sys.implementation.name == "cpython":
        for singleton in (None, True, False, NotImplemented, Ellipsis):
            ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 40


keep_none_alive()
