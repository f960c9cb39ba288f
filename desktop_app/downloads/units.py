"""Sizes, speeds and durations in the words a learner reads (decimal units, like file managers)."""

from __future__ import annotations

import math

MB = 1_000_000
_UNITS = ("B", "kB", "MB", "GB", "TB")


def format_bytes(count: float) -> str:
    """`0 B`, `512 B`, `4.1 MB`, `120 MB`, `1.2 GB`."""
    value, unit = float(max(count, 0)), 0
    while value >= 1000 and unit < len(_UNITS) - 1:
        value, unit = value / 1000, unit + 1
    if unit == 0:
        return f"{int(value)} B"
    if value < 10:
        return f"{math.floor(value * 10) / 10:.1f} {_UNITS[unit]}"
    return f"{math.floor(value):.0f} {_UNITS[unit]}"


def format_speed(bytes_per_second: float | None) -> str:
    return "" if bytes_per_second is None else f"{format_bytes(bytes_per_second)}/s"


def format_duration(seconds: float | None) -> str:
    """`8 s`, `3 min`, `1 h 05 min`; empty when unknown."""
    if seconds is None or not math.isfinite(seconds):
        return ""
    whole = max(round(seconds), 0)
    if whole < 60:
        return f"{whole} s"
    minutes = math.ceil(whole / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def format_time_left(seconds: float | None) -> str:
    text = format_duration(seconds)
    return f"about {text} left" if text else ""
