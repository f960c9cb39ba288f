"""Statements the server refused, as rows a person can read.

The page turns `QuarantinedStatement`s into frozen `QuarantineRow`s; the file IT can
inspect is written by `desktop_app.progress.ProgressExchange.export_quarantine`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from PySide6.QtCore import QCoreApplication

from desktop_app.progress import QuarantinedStatement
from desktop_app.text import translate

UNREADABLE = "(unreadable statement)"  # the English of `unreadable()`


# The reasons `desktop_app.sync.outbox.quarantine_reason` stores, in English, with the
# server's own words inside: read back as translatable messages (a reason cut short to fit,
# or one of older versions, stays as it was stored).
REFUSED = translate("QuarantineRow", "The server refused this statement: {reason}")
SAME_ID = translate(
    "QuarantineRow",
    "The server already holds a different statement with the same id, so this one cannot be "
    "stored ({reason}).",
)
PROXY_PAGE = translate(
    "QuarantineRow",
    "A proxy or firewall between this computer and the server answered with a web page, so the "
    "server never judged this statement; send it again.",
)  # `desktop_app.progress.store.FROM_BETWEEN`, what a stored web page reads as
_STORED = tuple(
    (
        re.compile(re.escape(template).replace(re.escape("{reason}"), "(?P<reason>.*)"), re.S),
        template,
    )
    for template in (REFUSED, SAME_ID)
)


def reason_words(stored: str) -> str:
    """A stored reason as a message the window translates, when it is one of ours."""
    if stored == PROXY_PAGE:
        return PROXY_PAGE
    for pattern, template in _STORED:
        found = pattern.fullmatch(stored)
        if found:
            return template.format(reason=found["reason"])
    return stored


def unreadable() -> str:
    return QCoreApplication.translate("QuarantineRow", "(unreadable statement)")


@dataclass(frozen=True)
class QuarantineRow:
    """One statement set aside: what the learner did, in which lesson, when, and why."""

    id: str
    verb: str
    lesson: str
    occurred_at: datetime
    reason: str


def quarantine_row(item: QuarantinedStatement) -> QuarantineRow:
    statement = item.parsed()
    if statement is None:
        return QuarantineRow(
            item.id, "—", unreadable(), item.occurred_at, reason_words(item.reason)
        )
    return QuarantineRow(
        item.id,
        _verb_words(statement),
        _lesson_words(statement),
        item.occurred_at,
        reason_words(item.reason),
    )


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
        return unreadable()
    definition = target.get("definition")
    names = definition.get("name") if isinstance(definition, dict) else None
    if isinstance(names, dict) and names:
        return str(next(iter(names.values())))
    target_id = target.get("id")
    return unquote(target_id.rstrip("/").rsplit("/", 1)[-1]) if isinstance(target_id, str) else "—"
