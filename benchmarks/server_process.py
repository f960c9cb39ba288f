"""The reference server on a data folder, in a process of its own on loopback: a server that
takes no turns on the measuring process's interpreter, as a remote one would not."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LISTENING = "Rounds reference server listening on "


@contextmanager
def server_process(data: Path, *options: str) -> Iterator[str]:
    """`python -m reference_server --data DATA OPTIONS` on a free port; yields its URL."""
    command = [sys.executable, "-m", "reference_server", "--data", str(data), "--port", "0"]
    child = subprocess.Popen([*command, *options], stdout=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline() if child.stdout is not None else ""
        if not line.startswith(LISTENING):
            raise RuntimeError(f"the reference server did not start: {line!r}")
        yield line.split()[-1]
    finally:
        child.terminate()
        child.wait(timeout=30)
