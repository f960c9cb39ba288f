"""Strict readers for server JSON: each returns the typed value or raises BadPayloadError.
Also the one writer of the times the client sends (`rfc3339`).

`where` names the place in the reply ("catalog item 3 › lesson l-intro") so the message says
exactly what was wrong.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from desktop_app.api.errors import BadPayloadError

_MISSING: Any = object()
_TYPE_NAMES = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "an object",
    type(None): "null",
}


def wrong(where: str, key: str, expected: str, value: Any) -> BadPayloadError:
    if value is _MISSING:
        return BadPayloadError(f"{where}: “{key}” is missing")
    found = _TYPE_NAMES.get(type(value), type(value).__name__)
    return BadPayloadError(f"{where}: “{key}” should be {expected}, not {found}")


def obj(value: Any, where: str) -> dict[str, Any]:
    if type(value) is dict:
        return value
    raise BadPayloadError(f"{where} should be an object")


def text(data: dict[str, Any], key: str, where: str) -> str:
    value = data.get(key, _MISSING)
    if type(value) is str:
        return value
    raise wrong(where, key, "text", value)


def ident(data: dict[str, Any], key: str, where: str) -> str:
    """A non-empty identifier of at most 200 characters."""
    value = data.get(key, _MISSING)
    if type(value) is str and 0 < len(value) <= 200:
        return value
    raise wrong(where, key, "an identifier (1 to 200 characters)", value)


def optional_text(data: dict[str, Any], key: str, where: str) -> str:
    """Text that may be missing or null, read as an empty string."""
    value = data.get(key)
    if value is None:
        return ""
    if type(value) is str:
        return value
    raise wrong(where, key, "text", value)


def integer(data: dict[str, Any], key: str, where: str, minimum: int = 0) -> int:
    value = data.get(key, _MISSING)
    if type(value) is int and value >= minimum:
        return value
    raise wrong(where, key, f"a whole number of at least {minimum}", value)


def number(data: dict[str, Any], key: str, where: str) -> float:
    value = data.get(key, _MISSING)
    if type(value) in (int, float):
        return float(value)
    raise wrong(where, key, "a number", value)


def boolean(data: dict[str, Any], key: str, where: str) -> bool:
    value = data.get(key, _MISSING)
    if type(value) is bool:
        return value
    raise wrong(where, key, "true or false", value)


def array(data: dict[str, Any], key: str, where: str) -> list[Any]:
    value = data.get(key, _MISSING)
    if type(value) is list:
        return value
    raise wrong(where, key, "a list", value)


def texts(data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = array(data, key, where)
    if all(type(item) is str for item in values):
        return tuple(values)
    raise BadPayloadError(f"{where}: “{key}” should be a list of texts")


def one_of(data: dict[str, Any], key: str, where: str, allowed: tuple[str, ...]) -> str:
    value = data.get(key, _MISSING)
    if value in allowed and type(value) is str:
        return value
    raise wrong(where, key, "one of " + ", ".join(allowed), value)


def timestamp(data: dict[str, Any], key: str, where: str) -> datetime:
    """An RFC 3339 time with a zone; returned in UTC."""
    value = data.get(key, _MISSING)
    if type(value) is str:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed.astimezone(UTC)
    raise wrong(where, key, "an RFC 3339 time with a time zone", value)


def optional_timestamp(data: dict[str, Any], key: str, where: str) -> datetime | None:
    return None if data.get(key) is None else timestamp(data, key, where)


def rfc3339(moment: datetime) -> str:
    """A time as the server and any LRS take it: UTC, milliseconds, `Z`."""
    if moment.tzinfo is None:
        raise ValueError("a time sent to the server must carry its time zone")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
