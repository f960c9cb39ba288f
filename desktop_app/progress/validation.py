"""Reading statements that come from elsewhere: is it well formed, and what is it about."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Any
from urllib.parse import unquote, urlsplit

from desktop_app.progress.xapi import Actor, Statement, canonical_json, parse_timestamp

_DURATION = re.compile(
    r"^P(?!$)(?:(?P<weeks>\d+(?:\.\d+)?)W)?(?:(?P<days>\d+(?:\.\d+)?)D)?"
    r"(?:T(?!$)(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)
_UNIT_SECONDS = {"weeks": 604_800, "days": 86_400, "hours": 3_600, "minutes": 60, "seconds": 1}


class DamagedStatementError(ValueError):
    """A statement kept in the cache that is not one: text that does not parse as a JSON
    object, or an object without what the log's state is made of. The message, for the log,
    says what was found; the learner is told in `error_text`."""


def parse_duration(text: Any) -> float:
    """Seconds in an ISO 8601 duration (weeks, days, hours, minutes, seconds); 0 if unreadable.

    Years and months have no fixed length, so a duration using them counts as unreadable.
    """
    match = _DURATION.match(text) if isinstance(text, str) else None
    if match is None:
        return 0.0
    total = sum(
        Decimal(value) * _UNIT_SECONDS[unit]
        for unit, value in match.groupdict().items()
        if value is not None
    )
    return float(total)


def statement_problem(statement: Any, actor: Actor | None = None) -> str | None:
    """Why `statement` cannot be stored, or None when it can."""
    if not isinstance(statement, dict):
        return "not a JSON object"
    for check in (_id_problem, _shape_problem, _timestamp_problem, _encoding_problem):
        problem = check(statement)
        if problem:
            return problem
    if actor is not None and not actor.is_agent(statement["actor"]):
        return "about another learner"
    return None


def _id_problem(statement: Statement) -> str | None:
    value = statement.get("id")
    if not isinstance(value, str) or len(value) != 36:
        return "id is not a UUID"
    try:
        uuid.UUID(value)
    except ValueError:
        return "id is not a UUID"
    return None


def _shape_problem(statement: Statement) -> str | None:
    if not isinstance(statement.get("actor"), dict):
        return "no actor"
    for part in ("verb", "object"):
        value = statement.get(part)
        if not isinstance(value, dict) or not isinstance(value.get("id"), str) or not value["id"]:
            return f"no {part} id"
    return None


def _timestamp_problem(statement: Statement) -> str | None:
    try:
        parse_timestamp(statement.get("timestamp"))
    except (ValueError, OverflowError):
        return "timestamp missing or unreadable"
    return None


def _encoding_problem(statement: Statement) -> str | None:
    try:
        canonical_json(statement).encode("utf-8")
    except (TypeError, ValueError):
        return "not representable as JSON"
    return None


def statement_id(statement: Statement) -> str:
    """The statement id in its canonical (lower case) form."""
    return str(statement["id"]).lower()


def verb_of(statement: Statement) -> str:
    return str(statement["verb"]["id"])


def _activity_id(iri: Any, kind: str) -> str | None:
    """The id in `.../<kind>/<id>`, or None when `iri` is not such an activity."""
    if not isinstance(iri, str):
        return None
    segments = urlsplit(iri).path.split("/")
    if len(segments) >= 2 and segments[-2] == kind and segments[-1]:
        return unquote(segments[-1])
    return None


def lesson_id_of(statement: Statement) -> str:
    """The lesson a statement is about, or "" when its object is not a lesson."""
    return _activity_id(statement.get("object", {}).get("id"), "lesson") or ""


def course_id_of(statement: Statement) -> str:
    """The course of a statement: its object if a course, else its parent course, else ""."""
    candidates = [statement.get("object", {}), *_parents(statement)]
    for activity in candidates:
        course = _activity_id(activity.get("id") if isinstance(activity, dict) else None, "course")
        if course:
            return course
    return ""


def _parents(statement: Statement) -> list[Any]:
    context = statement.get("context")
    activities = context.get("contextActivities") if isinstance(context, dict) else None
    parent = activities.get("parent") if isinstance(activities, dict) else None
    if isinstance(parent, dict):
        return [parent]
    return parent if isinstance(parent, list) else []
