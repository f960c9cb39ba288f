"""Small validated types shared by request bodies."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

from pydantic import PlainValidator, WithJsonSchema

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def parse_rfc3339(value: object) -> datetime:
    """An RFC 3339 time with an offset (or Z), as an aware UTC datetime."""
    if not isinstance(value, str) or "T" not in value.upper():
        raise ValueError("expected an RFC 3339 date-time string")
    try:
        moment = datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("expected an RFC 3339 date-time string") from None
    if moment.tzinfo is None:
        raise ValueError("the time needs a UTC offset or Z")
    return moment.astimezone(UTC)


def is_uuid(value: object) -> bool:
    return isinstance(value, str) and _UUID.match(value) is not None


def _uuid_text(value: object) -> str:
    if not is_uuid(value):
        raise ValueError("expected a UUID string")
    assert isinstance(value, str)
    return value.lower()


Rfc3339 = Annotated[
    datetime,
    PlainValidator(parse_rfc3339),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
UuidText = Annotated[
    str, PlainValidator(_uuid_text), WithJsonSchema({"type": "string", "format": "uuid"})
]
