"""Statements the server refused, as rows a person can read and as a file IT can inspect.

No Qt here: the page turns `QuarantinedStatement`s into frozen `QuarantineRow`s and writes
the quarantine file through these functions.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from desktop_app.progress import QuarantinedStatement

QUARANTINE_FORMAT = "rounds-quarantine"
UNREADABLE = "(unreadable statement)"


@dataclass(frozen=True)
class QuarantineRow:
    """One statement set aside: what the learner did, in which lesson, when, and why."""

    id: str
    verb: str
    lesson: str
    occurred_at: datetime
    reason: str


def quarantine_row(item: QuarantinedStatement) -> QuarantineRow:
    statement = _parsed(item.statement_json)
    if statement is None:
        return QuarantineRow(item.id, "—", UNREADABLE, item.occurred_at, item.reason)
    return QuarantineRow(
        item.id, _verb_words(statement), _lesson_words(statement), item.occurred_at, item.reason
    )


def write_quarantine_file(path: Path, items: list[QuarantinedStatement]) -> int:
    """Write the set-aside statements as JSON (the stored text kept verbatim); returns count."""
    document = {
        "format": QUARANTINE_FORMAT,
        "version": 1,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "statements": [_entry(item) for item in items],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as handle:
        json.dump(document, handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(handle.name, path)
    return len(items)


def _entry(item: QuarantinedStatement) -> dict[str, Any]:
    return {
        "id": item.id,
        "reason": item.reason,
        "occurred_at": item.occurred_at.isoformat(),
        "statement": _parsed(item.statement_json),
        "stored_text": item.statement_json,
    }


def _parsed(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _verb_words(statement: dict[str, Any]) -> str:
    verb = statement.get("verb")
    if not isinstance(verb, dict):
        return "—"
    display = verb.get("display")
    if isinstance(display, dict) and display:
        return str(display.get("en-US") or next(iter(display.values())))
    verb_id = verb.get("id")
    return verb_id.rstrip("/").rsplit("/", 1)[-1] if isinstance(verb_id, str) else "—"


def _lesson_words(statement: dict[str, Any]) -> str:
    target = statement.get("object")
    if not isinstance(target, dict):
        return UNREADABLE
    definition = target.get("definition")
    names = definition.get("name") if isinstance(definition, dict) else None
    if isinstance(names, dict) and names:
        return str(next(iter(names.values())))
    target_id = target.get("id")
    return unquote(target_id.rstrip("/").rsplit("/", 1)[-1]) if isinstance(target_id, str) else "—"
