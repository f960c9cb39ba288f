"""Speed as a moving average, time left, and the words sizes and durations are shown in."""

from __future__ import annotations

import pytest

from desktop_app.downloads.rates import RateMeter, time_left
from desktop_app.downloads.units import format_bytes, format_duration, format_time_left


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_speed_is_the_average_over_the_last_seconds_and_falls_when_stalled() -> None:
    clock = Clock()
    meter = RateMeter(window=5.0, clock=clock)
    assert meter.rate() is None  # too early to say
    for _ in range(10):  # 1 MB a second for ten seconds
        clock.now += 1
        meter.add(1_000_000)
    assert meter.rate() == pytest.approx(1_000_000)
    for _ in range(5):  # then 3 MB a second: the old pace leaves the window
        clock.now += 1
        meter.add(3_000_000)
    assert meter.rate() == pytest.approx(3_000_000)
    clock.now += 15  # nothing arrives
    assert meter.rate() < 1_000_000


def test_time_left_follows_the_speed() -> None:
    assert time_left(10_000_000, 2_000_000.0) == 5.0
    assert time_left(10_000_000, None) is None
    assert time_left(0, None) == 0.0


@pytest.mark.parametrize(
    ("count", "words"),
    [(0, "0 B"), (999, "999 B"), (4_150_000, "4.1 MB"), (120_400_000, "120 MB"), (1.5e9, "1.5 GB")],
)
def test_sizes_read_like_a_file_manager(count: float, words: str) -> None:
    assert format_bytes(count) == words


def test_durations_read_in_plain_words() -> None:
    assert [format_duration(s) for s in (8.4, 61, 3600 * 2 + 300, None)] == [
        "8 s",
        "2 min",
        "2 h 05 min",
        "",
    ]
    assert format_time_left(42) == "about 42 s left" and format_time_left(None) == ""
