"""A SQLite file opened for reading only, by plain `sqlite3`.

The cache's checks (quick_check, the stored revision, the busy probe of the repair) and the
start's early course list read the file before, or instead of, opening it through SQLAlchemy;
none of them may create the file or write to it. This module imports nothing heavier than
`sqlite3`, so the early list can use it before SQLAlchemy is imported.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def connect_read_only(path: Path, timeout: float = 5.0) -> sqlite3.Connection:
    """`path` in SQLite's read-only mode (a missing file is an error, not a new one); `timeout`
    is how long a statement waits for another connection's lock (0: not at all)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout)
