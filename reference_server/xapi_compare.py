"""When two statements are the same statement (xAPI 1.0.3 Part Two 2.3.2 Statement
Comparison Requirements): what a repeated id must agree on, and what a signature's payload
must agree with."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from reference_server.wire import parse_rfc3339

SERVER_SET = ("stored", "authority", "version")
"""Properties the LRS sets or may change, which comparisons leave out."""


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def xapi_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _normalised(value: Any, key: str = "") -> Any:
    """Equal for statements that differ only in what the comparison rules ignore: the order of
    a Group's members and how a timestamp is written."""
    if isinstance(value, dict):
        return {name: _normalised(item, name) for name, item in value.items()}
    if isinstance(value, list):
        items = [_normalised(item) for item in value]
        return sorted(items, key=canonical) if key == "member" else items
    if key == "timestamp" and isinstance(value, str):
        try:
            return parse_rfc3339(value).isoformat()
        except ValueError:
            return value
    return value


def comparable(statement: dict[str, Any]) -> str:
    """The statement's content in one text, without what the LRS sets."""
    kept = {key: item for key, item in statement.items() if key not in SERVER_SET}
    return canonical(_normalised(kept))


def content_digest(statement: dict[str, Any]) -> str:
    """The digest kept beside each stored statement (the stored body is what repeats are
    compared with)."""
    kept = {key: item for key, item in statement.items() if key not in SERVER_SET}
    if "timestamp" in kept:
        kept["timestamp"] = parse_rfc3339(kept["timestamp"]).isoformat()
    return hashlib.sha256(canonical(kept).encode()).hexdigest()
