"""Keep Python's full garbage collections short once the window is up.

A full collection walks every tracked object while holding the interpreter lock, so on the
sync thread it stalls the UI thread too (measured: ~110 ms with the modules, widgets and
cache of a running window). Objects that exist once start-up is done live as long as the app;
`gc.freeze()` moves them out of the collector's reach, so later passes only walk what was
made since.
"""

from __future__ import annotations

import gc


def freeze_startup_heap() -> None:
    gc.freeze()
