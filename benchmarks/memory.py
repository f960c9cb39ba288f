"""Peak resident memory of this process while a block runs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psutil


@contextmanager
def rss_high_water(interval: float) -> Iterator[list[int]]:
    """Samples this process's RSS every `interval` s; yields [before, peak] in bytes."""
    process = psutil.Process()
    found = [process.memory_info().rss] * 2
    done = threading.Event()

    def sample() -> None:
        while not done.wait(interval):
            found[1] = max(found[1], process.memory_info().rss)

    sampler = threading.Thread(target=sample, name="rss-sampler", daemon=True)
    sampler.start()
    try:
        yield found
    finally:
        done.set()
        sampler.join()
        found[1] = max(found[1], process.memory_info().rss)
