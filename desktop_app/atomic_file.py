"""Writing a file so that a crash, a power cut or a full disk leaves the old file or the new one.

The data goes to a temporary file in the destination's folder (so the rename stays on one file
system), is flushed and synced to the disk, then renamed over the destination. The folder is
synced too where the system allows it, so the rename itself is on the disk. If anything fails,
the temporary file is removed and the destination is left as it was.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Replace `path` by a file holding `data`, whole or not at all."""
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def write_json_atomically(path: Path, value: Any, **json_options: Any) -> None:
    """`value` as UTF-8 JSON (`json_options` go to `json.dumps`), written as above.

    The value is encoded before anything is written, so one that JSON cannot hold leaves no trace.
    """
    write_bytes_atomically(path, json.dumps(value, **json_options).encode("utf-8"))


def sync_folder(folder: Path) -> None:
    """Put the rename on the disk. Windows cannot open a folder for this, and some file systems
    refuse it; the new file is in place either way."""
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
