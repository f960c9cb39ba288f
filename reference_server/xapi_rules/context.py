"""The Context and its contextActivities (xAPI 1.0.3 Part Two 2.4.6), and Statement
References (2.4.4.3)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reference_server.xapi_rules.activities import validate_activity
from reference_server.xapi_rules.agents import validate_agent, validate_group
from reference_server.xapi_rules.formats import (
    extensions,
    fail,
    json_object,
    language_tag,
    text,
    uuid_text,
)

CONTEXT_TYPES = ("parent", "grouping", "category", "other")
_CONTEXT_KEYS = (
    "registration",
    "instructor",
    "team",
    "contextActivities",
    "revision",
    "platform",
    "language",
    "statement",
    "extensions",
)


def validate_statement_ref(value: Any, where: str) -> None:
    """2.4.4.3.s4: objectType exactly StatementRef, id the UUID of a statement."""
    ref = json_object(value, where, ("objectType", "id"), ("objectType", "id"))
    if ref["objectType"] != "StatementRef":
        raise fail(f"{where}.objectType", "must be StatementRef")
    uuid_text(ref["id"], f"{where}.id")


def _context_activities(value: Any, where: str) -> None:
    """2.4.6.2.s4.b1, b2: keys parent, grouping, category, other; each value an Activity or
    an array of Activities."""
    activities = json_object(value, where, CONTEXT_TYPES)
    for key, item in activities.items():
        if isinstance(item, list):
            for index, activity in enumerate(item):
                validate_activity(activity, f"{where}.{key}[{index}]")
        else:
            validate_activity(item, f"{where}.{key}")


_CHECKS: dict[str, Callable[[Any, str], Any]] = {
    "registration": uuid_text,
    "instructor": validate_agent,
    "team": validate_group,
    "contextActivities": _context_activities,
    "revision": text,
    "platform": text,
    "language": language_tag,
    "statement": validate_statement_ref,
    "extensions": extensions,
}


def validate_context(value: Any, where: str, object_is_activity: bool) -> None:
    context = json_object(value, where, _CONTEXT_KEYS)
    for key, check in _CHECKS.items():
        if key in context:
            check(context[key], f"{where}.{key}")
    if not object_is_activity:
        for key in ("revision", "platform"):
            if key in context:
                raise fail(f"{where}.{key}", "is only allowed when the object is an Activity")


def normalised_context(context: dict[str, Any]) -> dict[str, Any]:
    """2.4.6.2.s4.b3, b4: every contextActivities value as an array."""
    activities = context.get("contextActivities")
    if activities is None:
        return context
    arrays = {key: item if isinstance(item, list) else [item] for key, item in activities.items()}
    return {**context, "contextActivities": arrays}
