"""Structural validation of xAPI 1.0.3 statements (the parts an LRS must reject)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from reference_server.wire import is_uuid, parse_rfc3339


class StatementError(ValueError):
    """The statement breaks the xAPI 1.0.3 rules; the message names where."""


_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s\x00-\x1f\x7f]+$")
_SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")
_DURATION = re.compile(
    r"^P(?=\d|T\d)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?"
    r"(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$"
)
_STATEMENT_KEYS = {
    "id",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "stored",
    "authority",
    "version",
    "attachments",
}
_IFIS = ("mbox", "mbox_sha1sum", "openid", "account")


def _fail(where: str, message: str) -> StatementError:
    return StatementError(f"{where}: {message}")


def _object(
    value: Any, where: str, allowed: set[str], required: tuple[str, ...] = ()
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(where, "must be a JSON object")
    unknown = set(value) - allowed
    if unknown:
        raise _fail(where, f"unknown properties {', '.join(sorted(unknown))}")
    for key in required:
        if key not in value:
            raise _fail(where, f"{key} is required")
    for key, item in value.items():
        if item is None:
            raise _fail(f"{where}.{key}", "must not be null")
    return value


def is_iri(value: Any) -> bool:
    return isinstance(value, str) and _IRI.match(value) is not None


def _iri(value: Any, where: str) -> None:
    if not is_iri(value):
        raise _fail(where, "must be an absolute IRI")


def _text(value: Any, where: str) -> None:
    if not isinstance(value, str):
        raise _fail(where, "must be a string")


def _language_map(value: Any, where: str) -> None:
    if not isinstance(value, dict) or not all(
        isinstance(key, str) and isinstance(text, str) for key, text in value.items()
    ):
        raise _fail(where, "must be a language map of strings")


def _extensions(value: Any, where: str) -> None:
    if not isinstance(value, dict):
        raise _fail(where, "must be a JSON object")
    for key in value:
        _iri(key, f"{where} key")


def validate_agent(value: Any, where: str) -> None:
    agent = _object(value, where, {"objectType", "name", *_IFIS, "member"})
    kind = agent.get("objectType", "Agent")
    if kind not in ("Agent", "Group"):
        raise _fail(where, "objectType must be Agent or Group")
    ifis = [key for key in _IFIS if key in agent]
    if len(ifis) > 1 or (kind == "Agent" and len(ifis) != 1):
        raise _fail(
            where, "an agent has exactly one identifier (mbox, mbox_sha1sum, openid, account)"
        )
    if "name" in agent:
        _text(agent["name"], f"{where}.name")
    if ifis:
        _ifi(agent, ifis[0], where)
    if kind == "Agent" and "member" in agent:
        raise _fail(where, "only a group has members")
    if kind == "Group":
        _members(agent.get("member"), where, anonymous=not ifis)


def _members(members: Any, where: str, anonymous: bool) -> None:
    if members is None and not anonymous:
        return
    if not isinstance(members, list) or (anonymous and not members):
        raise _fail(f"{where}.member", "an anonymous group lists its members")
    for index, member in enumerate(members):
        validate_agent(member, f"{where}.member[{index}]")
        if member.get("objectType") == "Group":
            raise _fail(f"{where}.member[{index}]", "groups do not nest")


def _ifi(agent: Mapping[str, Any], key: str, where: str) -> None:
    value = agent[key]
    if key == "mbox" and not (
        isinstance(value, str) and re.match(r"^mailto:[^@\s]+@[^@\s]+$", value)
    ):
        raise _fail(f"{where}.mbox", "must be a mailto: IRI")
    if key == "mbox_sha1sum" and not (isinstance(value, str) and _SHA1.match(value)):
        raise _fail(f"{where}.mbox_sha1sum", "must be a SHA-1 hex digest")
    if key == "openid":
        _iri(value, f"{where}.openid")
    if key == "account":
        account = _object(value, f"{where}.account", {"homePage", "name"}, ("homePage", "name"))
        _iri(account["homePage"], f"{where}.account.homePage")
        _text(account["name"], f"{where}.account.name")


def _verb(value: Any, where: str) -> None:
    verb = _object(value, where, {"id", "display"}, ("id",))
    _iri(verb["id"], f"{where}.id")
    if "display" in verb:
        _language_map(verb["display"], f"{where}.display")


def _activity(value: Any, where: str) -> None:
    activity = _object(value, where, {"objectType", "id", "definition"}, ("id",))
    _iri(activity["id"], f"{where}.id")
    if "definition" in activity:
        _definition(activity["definition"], f"{where}.definition")


def _definition(value: Any, where: str) -> None:
    allowed = {
        "name",
        "description",
        "type",
        "moreInfo",
        "extensions",
        "interactionType",
        "correctResponsesPattern",
        "choices",
        "scale",
        "source",
        "target",
        "steps",
    }
    definition = _object(value, where, allowed)
    for key in ("name", "description"):
        if key in definition:
            _language_map(definition[key], f"{where}.{key}")
    for key in ("type", "moreInfo"):
        if key in definition:
            _iri(definition[key], f"{where}.{key}")
    if "extensions" in definition:
        _extensions(definition["extensions"], f"{where}.extensions")


def _statement_object(value: Any, where: str, nested: bool) -> None:
    kind = value.get("objectType", "Activity") if isinstance(value, dict) else None
    if kind == "Activity":
        _activity(value, where)
    elif kind in ("Agent", "Group"):
        validate_agent(value, where)
    elif kind == "StatementRef":
        ref = _object(value, where, {"objectType", "id"}, ("id",))
        if not is_uuid(ref["id"]):
            raise _fail(f"{where}.id", "must be a UUID")
    elif kind == "SubStatement" and not nested:
        _sub_statement(value, where)
    else:
        raise _fail(where, "must be an Activity, Agent, Group, StatementRef or SubStatement")


def _sub_statement(value: Any, where: str) -> None:
    allowed = {
        "objectType",
        "actor",
        "verb",
        "object",
        "result",
        "context",
        "timestamp",
        "attachments",
    }
    body = _object(value, where, allowed, ("actor", "verb", "object"))
    _core(body, where, nested=True)


def _score(value: Any, where: str) -> None:
    score = _object(value, where, {"scaled", "raw", "min", "max"})
    for key, item in score.items():
        if isinstance(item, bool) or not isinstance(item, int | float):
            raise _fail(f"{where}.{key}", "must be a number")
    if "scaled" in score and not -1 <= score["scaled"] <= 1:
        raise _fail(f"{where}.scaled", "must be between -1 and 1")
    low, high = score.get("min"), score.get("max")
    if low is not None and high is not None and low > high:
        raise _fail(where, "min is above max")
    raw = score.get("raw")
    if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
        raise _fail(f"{where}.raw", "lies outside min..max")


def _result(value: Any, where: str) -> None:
    result = _object(
        value, where, {"score", "success", "completion", "response", "duration", "extensions"}
    )
    if "score" in result:
        _score(result["score"], f"{where}.score")
    for key in ("success", "completion"):
        if key in result and not isinstance(result[key], bool):
            raise _fail(f"{where}.{key}", "must be true or false")
    if "response" in result:
        _text(result["response"], f"{where}.response")
    if "duration" in result and not (
        isinstance(result["duration"], str) and _DURATION.match(result["duration"])
    ):
        raise _fail(f"{where}.duration", "must be an ISO 8601 duration")
    if "extensions" in result:
        _extensions(result["extensions"], f"{where}.extensions")


def _context_activities(value: Any, where: str) -> None:
    activities = _object(value, where, {"parent", "grouping", "category", "other"})
    for key, item in activities.items():
        for index, activity in enumerate(item if isinstance(item, list) else [item]):
            _activity(activity, f"{where}.{key}[{index}]")


def _context(value: Any, where: str) -> None:
    allowed = {
        "registration",
        "instructor",
        "team",
        "contextActivities",
        "revision",
        "platform",
        "language",
        "statement",
        "extensions",
    }
    context = _object(value, where, allowed)
    checks: dict[str, Callable[[Any, str], None]] = {
        "instructor": validate_agent,
        "team": validate_agent,
        "contextActivities": _context_activities,
        "revision": _text,
        "platform": _text,
        "language": _text,
        "extensions": _extensions,
        "statement": lambda ref, at: _statement_object(
            {"objectType": "StatementRef", **ref} if isinstance(ref, dict) else ref, at, True
        ),
    }
    if "registration" in context and not is_uuid(context["registration"]):
        raise _fail(f"{where}.registration", "must be a UUID")
    for key, check in checks.items():
        if key in context:
            check(context[key], f"{where}.{key}")


def _timestamp(value: Any, where: str) -> None:
    try:
        parse_rfc3339(value)
    except ValueError:
        raise _fail(where, "must be an ISO 8601 timestamp with a time zone") from None


def _core(statement: dict[str, Any], where: str, nested: bool) -> None:
    validate_agent(statement["actor"], f"{where}.actor")
    _verb(statement["verb"], f"{where}.verb")
    _statement_object(statement["object"], f"{where}.object", nested)
    if "result" in statement:
        _result(statement["result"], f"{where}.result")
    if "context" in statement:
        _context(statement["context"], f"{where}.context")
    if "timestamp" in statement:
        _timestamp(statement["timestamp"], f"{where}.timestamp")


def validate_statement(value: Any, where: str = "statement") -> dict[str, Any]:
    statement = _object(value, where, _STATEMENT_KEYS, ("actor", "verb", "object"))
    if "id" in statement and not is_uuid(statement["id"]):
        raise _fail(f"{where}.id", "must be a UUID")
    _core(statement, where, nested=False)
    if "version" in statement and not re.match(r"^1\.0(\.\d+)?$", str(statement["version"])):
        raise _fail(f"{where}.version", "must be 1.0.x")
    if "authority" in statement:
        validate_agent(statement["authority"], f"{where}.authority")
    if "stored" in statement:
        _timestamp(statement["stored"], f"{where}.stored")
    if "attachments" in statement and not isinstance(statement["attachments"], list):
        raise _fail(f"{where}.attachments", "must be an array")
    return statement
