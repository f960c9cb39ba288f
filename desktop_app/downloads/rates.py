"""Transfer speed as a moving average over the last few seconds, and the time left."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

WINDOW_SECONDS = 5.0
MIN_SPAN_SECONDS = 0.5


class RateMeter:
    """Bytes per second over a sliding window; it falls towards zero when a transfer stalls.

    Not thread-safe: the download manager calls it under its lock."""

    def __init__(
        self, window: float = WINDOW_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._window = window
        self._clock = clock
        self._total = 0
        self._samples: deque[tuple[float, int]] = deque([(clock(), 0)])

    def add(self, count: int) -> None:
        now = self._clock()
        self._total += count
        self._samples.append((now, self._total))
        while len(self._samples) > 2 and now - self._samples[1][0] >= self._window:
            self._samples.popleft()

    def rate(self) -> float | None:
        """Bytes per second, or None until the meter has seen enough time to say."""
        first_time, first_total = self._samples[0]
        span = self._clock() - first_time
        if span < MIN_SPAN_SECONDS:
            return None
        return (self._total - first_total) / span


def time_left(remaining_bytes: int, rate: float | None) -> float | None:
    if remaining_bytes <= 0:
        return 0.0
    if not rate:
        return None
    return remaining_bytes / rate
