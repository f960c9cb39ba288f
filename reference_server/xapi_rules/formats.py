"""Value formats of xAPI 1.0.3 Part Two: IRIs, RFC 5646 language tags and language maps,
UUIDs, ISO 8601 timestamps and durations, mailto IRIs, versions, extensions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from reference_server.wire import is_uuid, parse_rfc3339


class StatementError(ValueError):
    """The statement breaks the xAPI 1.0.3 rules; the message names where."""


def fail(where: str, message: str) -> StatementError:
    return StatementError(f"{where}: {message}")


def json_object(
    value: Any, where: str, allowed: Iterable[str], required: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A JSON object with only the properties the specification names, none of them null
    (2.2.s4.b1.b1, b5, b7)."""
    if not isinstance(value, dict):
        raise fail(where, "must be a JSON object")
    unknown = set(value) - set(allowed)
    if unknown:
        raise fail(where, f"unknown properties {', '.join(sorted(unknown))}")
    for key in required:
        if key not in value:
            raise fail(where, f"{key} is required")
    for key, item in value.items():
        if item is None:
            raise fail(f"{where}.{key}", "must not be null")
    return value


# RFC 3987 absolute IRI, best effort (2.2.s4.b6): a scheme, then only characters an IRI may
# hold (no spaces, controls or <>"{}|\^`), percent signs only as %HH, at most one fragment.
_IRI = re.compile(
    r"^[A-Za-z][A-Za-z0-9+.-]*:"
    r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?\[\]]|%[0-9A-Fa-f]{2}|[^\x00-\x7f\s])+"
    r"(?:#(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2}|[^\x00-\x7f\s])*)?$"
)


def is_iri(value: Any) -> bool:
    return isinstance(value, str) and _IRI.match(value) is not None


def iri(value: Any, where: str) -> None:
    if not is_iri(value):
        raise fail(where, "must be an absolute IRI (with a scheme)")


def text(value: Any, where: str) -> None:
    if not isinstance(value, str):
        raise fail(where, "must be a string")


def uuid_text(value: Any, where: str) -> None:
    if not is_uuid(value):
        raise fail(where, "must be a UUID in its standard string form")


# RFC 5646 section 2.1: the well-formed Language-Tag production (case-insensitive).
_LANGTAG = (
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})"  # language, extlang
    r"(?:-[a-z]{4})?"  # script
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"  # region
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"  # variants
    r"(?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*"  # extensions
    r"(?:-x(?:-[a-z0-9]{1,8})+)?"  # private use
)
_LANGUAGE_TAG = re.compile(rf"^(?:{_LANGTAG}|x(?:-[a-z0-9]{{1,8}})+)$", re.IGNORECASE)
_IRREGULAR = frozenset(
    [
        "en-gb-oed",
        "i-ami",
        "i-bnn",
        "i-default",
        "i-enochian",
        "i-hak",
        "i-klingon",
        "i-lux",
        "i-mingo",
        "i-navajo",
        "i-pwn",
        "i-tao",
        "i-tay",
        "i-tsu",
        "sgn-be-fr",
        "sgn-be-nl",
        "sgn-ch-de",
    ]
)


def is_language_tag(value: Any) -> bool:
    if not isinstance(value, str) or not value.isascii():
        return False
    if value.lower() in _IRREGULAR:
        return True
    if _LANGUAGE_TAG.match(value) is None:
        return False
    return _singletons_distinct(value.lower().split("-"))


def _singletons_distinct(subtags: list[str]) -> bool:
    """RFC 5646 2.2.6: each extension singleton appears once (private use ends the check)."""
    seen: set[str] = set()
    for subtag in subtags[1:]:
        if subtag == "x":
            break
        if len(subtag) == 1:
            if subtag in seen:
                return False
            seen.add(subtag)
    return True


def language_tag(value: Any, where: str) -> None:
    if not is_language_tag(value):
        raise fail(where, "must be an RFC 5646 language tag")


def language_map(value: Any, where: str) -> None:
    """4.2 and 2.2.s4.b2: keys RFC 5646 language tags, values strings."""
    if not isinstance(value, dict):
        raise fail(where, "must be a language map")
    for key, item in value.items():
        if not is_language_tag(key):
            raise fail(where, f"key {key!r} is not an RFC 5646 language tag")
        text(item, f"{where}.{key}")


def extensions(value: Any, where: str) -> None:
    """4.1.s3: keys are IRIs; the values are never a reason to reject."""
    if not isinstance(value, dict):
        raise fail(where, "must be a JSON object")
    for key in value:
        if not is_iri(key):
            raise fail(where, f"key {key!r} is not an absolute IRI")


# -00:00 is RFC 3339's "offset unknown", not an ISO 8601 offset; a decimal sign needs digits.
_NOT_ISO_8601 = re.compile(r"-00(?::?00)?$|[.,](?!\d)")


def timestamp(value: Any, where: str) -> None:
    """4.5: an ISO 8601 date and time with its offset."""
    problem = "must be an ISO 8601 timestamp with a time zone"
    if not isinstance(value, str) or _NOT_ISO_8601.search(value):
        raise fail(where, problem)
    try:
        parse_rfc3339(value)
    except ValueError:
        raise fail(where, problem) from None


# ISO 8601:2004 4.4.3.2: PnW alone, or PnYnMnDTnHnMnS; a fraction only on the last number.
_WEEKS = re.compile(r"^P\d+(?:[.,]\d+)?W$")
_DURATION = re.compile(
    r"^P(?=\d|T\d)(?:\d+(?:[.,]\d+)?Y)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?D)?"
    r"(?:T(?=\d)(?:\d+(?:[.,]\d+)?H)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?S)?)?$"
)
_FRACTION = re.compile(r"[.,]\d+[A-Z]")


def duration(value: Any, where: str) -> None:
    valid = isinstance(value, str) and (
        _WEEKS.match(value) is not None
        or (_DURATION.match(value) is not None and _fraction_last(value))
    )
    if not valid:
        raise fail(where, "must be an ISO 8601 duration such as PT1H30M or P2W")


def _fraction_last(value: str) -> bool:
    found = _FRACTION.search(value)
    return found is None or found.end() == len(value)


def version(value: Any, where: str) -> None:
    """2.4.10.s3.b2: a version that does not start with 1.0. is refused."""
    if not (isinstance(value, str) and re.match(r"^1\.0\.\d+$", value)):
        raise fail(where, "must be 1.0.x, for example 1.0.0")


def mbox(value: Any, where: str) -> None:
    if not (isinstance(value, str) and re.match(r"^mailto:[^@\s:/]+@[^@\s/]+$", value)):
        raise fail(where, "must be a mailto: IRI with an e-mail address")


def sha1_hex(value: Any, where: str) -> None:
    if not (isinstance(value, str) and re.match(r"^[0-9a-fA-F]{40}$", value)):
        raise fail(where, "must be the 40 hexadecimal digits of a SHA-1 hash")


def whole_number(value: Any, where: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise fail(where, "must be a whole number of octets")


def number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail(where, "must be a number")
    return float(value)
