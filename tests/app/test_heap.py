"""The window's threads share one malloc arena, so what a worker frees is reused by all."""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
THREADS_THAT_ALLOCATE = """
import ctypes, threading
from desktop_app.gui.heap import share_one_malloc_arena

share_one_malloc_arena()
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
together = threading.Barrier(4)

def allocate():
    libc.free(libc.malloc(1000))
    together.wait()  # all four alive at once, so none takes over an arena another left

threads = [threading.Thread(target=allocate) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
libc.malloc_stats()
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's arenas")
def test_threads_allocate_from_one_arena() -> None:
    done = subprocess.run(
        [sys.executable, "-c", THREADS_THAT_ALLOCATE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "Arena 0:" in done.stderr
    assert "Arena 1:" not in done.stderr
