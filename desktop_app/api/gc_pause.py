"""Pausing Python's cyclic garbage collector while a feed page is decoded and written.

A page of 200 courses is some 10^5 small, acyclic objects; each allocation burst would trigger
collections that walk every object in the process, which costs more than the parsing itself.
Reference counting still frees everything; collection resumes as the block ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
