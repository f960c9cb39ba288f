"""The Result and its Score (xAPI 1.0.3 Part Two 2.4.5)."""

from __future__ import annotations

from typing import Any

from reference_server.xapi_rules.formats import (
    duration,
    extensions,
    fail,
    json_object,
    number,
    text,
)

_RESULT_KEYS = ("score", "success", "completion", "response", "duration", "extensions")


def validate_result(value: Any, where: str) -> None:
    result = json_object(value, where, _RESULT_KEYS)
    if "score" in result:
        _score(result["score"], f"{where}.score")
    for key in ("success", "completion"):
        if key in result and not isinstance(result[key], bool):
            raise fail(f"{where}.{key}", "must be true or false (not a string)")
    if "response" in result:
        text(result["response"], f"{where}.response")
    if "duration" in result:
        duration(result["duration"], f"{where}.duration")
    if "extensions" in result:
        extensions(result["extensions"], f"{where}.extensions")


def _score(value: Any, where: str) -> None:
    """2.4.5.1.s2: scaled within -1..1; min below max; raw within min..max."""
    score = json_object(value, where, ("scaled", "raw", "min", "max"))
    numbers = {key: number(item, f"{where}.{key}") for key, item in score.items()}
    if "scaled" in numbers and not -1 <= numbers["scaled"] <= 1:
        raise fail(f"{where}.scaled", "must be between -1 and 1")
    low, high, raw = numbers.get("min"), numbers.get("max"), numbers.get("raw")
    if low is not None and high is not None and low >= high:
        raise fail(where, "min must be less than max")
    if raw is not None and low is not None and raw < low:
        raise fail(f"{where}.raw", "is below min")
    if raw is not None and high is not None and raw > high:
        raise fail(f"{where}.raw", "is above max")
