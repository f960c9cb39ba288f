"""xAPI 1.0.3 Part Two 2.4.1 ID, 2.4.7 Timestamp, 2.4.8 Stored, 2.4.10 Version and 4.5 ISO 8601
Timestamps: the formats the LRS refuses, and the properties it sets itself."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from ..testkit import Api
from .conftest import statement
from .data_checks import Bad, assert_accepted, assert_all_rejected, by_requirement


def _at(value: Any) -> dict[str, Any]:
    return statement(timestamp=value)


FORMATS = [
    # 2.4.1.s1: the id is a UUID "in standard string form".
    Bad("2.4.1.s1 id not a uuid", statement(id="statement-1"), "statement.id"),
    Bad("2.4.1.s1 id a number", statement(id=12), "statement.id"),
    # 4.5.s1.b1: "A Timestamp MUST be formatted according to ISO 8601"; -00:00 is RFC 3339's
    # "unknown offset", which ISO 8601 forbids.
    Bad("4.5.s1.b1 minus zero offset", _at("2026-11-20T10:00:00.000-00:00"), "timestamp"),
    Bad("4.5.s1.b1 minus zero offset short", _at("2026-11-20T10:00:00-0000"), "timestamp"),
    Bad("4.5.s1.b1 a date only", _at("2026-11-20"), "timestamp"),
    Bad("4.5.s1.b1 words", _at("yesterday at ten"), "timestamp"),
    Bad("4.5.s1.b1 decimal sign without digits", _at("2026-11-20T10:00:00.Z"), "timestamp"),
    Bad("4.5.s1.b1 month 13", _at("2026-13-20T10:00:00Z"), "timestamp"),
    Bad("4.5.s1.b1 epoch seconds", _at(1795000000), "timestamp"),
    # 4.5.s1.b4 as this LRS applies it: a time without its zone is not a point in time.
    Bad("4.5.s1.b4 no time zone", _at("2026-11-20T10:00:00"), "timestamp"),
    # 2.4.8.s3.b2: "An LRS SHOULD validate and then MUST overwrite" stored.
    Bad("2.4.8.s3.b2 stored minus zero", statement(stored="2026-11-20T10:00:00-00:00"), "stored"),
    Bad("2.4.8.s3.b2 stored not a time", statement(stored="now"), "stored"),
    # 2.4.10.s3.b2: "An LRS MUST reject all Statements with a version specified that does not
    # start with 1.0." (and 2.4.10.s2.b1: formatted as the version header, 1.0.x).
    *[
        Bad(f"2.4.10.s3.b2 version {value!r}", statement(version=value), "version")
        for value in ["0.95", "1.1.0", "2.0.0", "1.0", "1.0.", "1.0.x", "v1.0.0", 1.0]
    ],
]


@pytest.mark.backend_neutral
@pytest.mark.parametrize("cases", by_requirement(FORMATS))
def test_refused_with_400_and_not_stored(lrs: Api, cases: list[Bad]) -> None:
    assert_all_rejected(lrs, cases)


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_version_is_kept_or_set_to_1_0_0(lrs: Api) -> None:
    """2.4.10.s3.b1 and b3: every 1.0.x version is accepted and returned as sent; a statement
    without one is returned with 1.0.0."""
    assert assert_accepted(lrs, statement(version="1.0.3"))["version"] == "1.0.3"
    assert assert_accepted(lrs, statement(version="1.0.0"))["version"] == "1.0.0"
    assert assert_accepted(lrs, statement())["version"] == "1.0.0"


def test_stored_and_timestamp_are_set_by_the_lrs(lrs: Api) -> None:
    """2.4.8.s3.b2: stored "MUST be set by the LRS" and overwrites a value sent; 2.4.7.s3.b2:
    a missing timestamp is the stored time; 2.4.1.s2.b1: a missing id is generated."""
    sent = statement(stored="2001-01-01T00:00:00Z")
    stored = assert_accepted(lrs, sent)
    assert stored["stored"] != sent["stored"]
    assert _instant(stored["stored"]).year > 2001
    untimed = statement()
    del untimed["timestamp"], untimed["id"]
    fetched = assert_accepted(lrs, untimed)
    assert _instant(fetched["timestamp"]) == _instant(fetched["stored"])
    assert len(fetched["id"]) == 36


@pytest.mark.backend_neutral
@pytest.mark.parametrize(
    "value",
    ["2026-11-20T10:00:00Z", "2026-11-20T05:00:00.123-05:00", "2026-11-20T10:00:00+00:00"],
)
def test_timestamps_with_any_offset_keep_their_instant(lrs: Api, value: str) -> None:
    """4.5.s1.b5: the LRS may return a Timestamp in another zone "so long as the point in time
    referenced is not affected"; +00:00 is a valid offset (only -00:00 is not)."""
    returned = assert_accepted(lrs, _at(value))["timestamp"]
    assert _instant(returned) == _instant(value)
