"""xAPI 1.0.3 statements as an LRS must take them: every data rule of Part Two whose breach
is refused with 400 (the rules by area are in reference_server.xapi_rules), and the
normalised form the statement is stored and returned in."""

from __future__ import annotations

from typing import Any

from reference_server.xapi_rules.activities import validate_activity
from reference_server.xapi_rules.agents import validate_agent, validate_authority
from reference_server.xapi_rules.attachments import validate_attachments
from reference_server.xapi_rules.context import (
    normalised_context,
    validate_context,
    validate_statement_ref,
)
from reference_server.xapi_rules.formats import (
    StatementError,
    fail,
    iri,
    is_iri,
    json_object,
    language_map,
    timestamp,
    uuid_text,
    version,
)
from reference_server.xapi_rules.result import validate_result

__all__ = ["StatementError", "is_iri", "validate_agent", "validate_statement"]

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
_CORE_KEYS = ("actor", "verb", "object", "result", "context", "timestamp", "attachments")
_STATEMENT_KEYS = ("id", *_CORE_KEYS, "stored", "authority", "version")
# 2.4.4.3.s8.b3: a SubStatement has no id, stored, version or authority.
_SUB_STATEMENT_KEYS = ("objectType", *_CORE_KEYS)
_REQUIRED = ("actor", "verb", "object")


def _verb(value: Any, where: str) -> None:
    """2.4.3.s3: id an IRI, display a language map."""
    verb = json_object(value, where, ("id", "display"), ("id",))
    iri(verb["id"], f"{where}.id")
    if "display" in verb:
        language_map(verb["display"], f"{where}.display")


def _object_kind(value: Any) -> Any:
    return value.get("objectType", "Activity") if isinstance(value, dict) else None


def _statement_object(value: Any, where: str, nested: bool) -> None:
    """2.4.4.s2: Activity (the default), Agent, Group, StatementRef or SubStatement, in
    exactly that case."""
    kind = _object_kind(value)
    if kind == "Activity":
        validate_activity(value, where)
    elif kind in ("Agent", "Group"):
        validate_agent(value, where, kind_required=True)
    elif kind == "StatementRef":
        validate_statement_ref(value, where)
    elif kind == "SubStatement" and nested:
        raise fail(where, "a SubStatement cannot hold another SubStatement")
    elif kind == "SubStatement":
        body = json_object(value, where, _SUB_STATEMENT_KEYS, _REQUIRED)
        _core(body, where, nested=True)
    else:
        raise fail(where, "must be an Activity, Agent, Group, StatementRef or SubStatement")


def _core(statement: dict[str, Any], where: str, nested: bool) -> None:
    """What a statement and a SubStatement share (2.4.4.3.s8.b2)."""
    validate_agent(statement["actor"], f"{where}.actor")
    _verb(statement["verb"], f"{where}.verb")
    _statement_object(statement["object"], f"{where}.object", nested)
    if "result" in statement:
        validate_result(statement["result"], f"{where}.result")
    if "context" in statement:
        is_activity = _object_kind(statement["object"]) == "Activity"
        validate_context(statement["context"], f"{where}.context", is_activity)
    if "timestamp" in statement:
        timestamp(statement["timestamp"], f"{where}.timestamp")
    if "attachments" in statement:
        validate_attachments(statement["attachments"], f"{where}.attachments")


def _voiding(statement: dict[str, Any], where: str) -> None:
    """2.3.2.s2.b1: a statement that voids another has a StatementRef as its object."""
    if statement["verb"]["id"] == VOIDED and _object_kind(statement["object"]) != "StatementRef":
        raise fail(f"{where}.object", "a voiding statement's object must be a StatementRef")


def _normalised(statement: dict[str, Any]) -> dict[str, Any]:
    """The form the statement is stored and returned in: contextActivities values as arrays,
    here and in a SubStatement."""
    final = dict(statement)
    if "context" in final:
        final["context"] = normalised_context(final["context"])
    target = final["object"]
    if target.get("objectType") == "SubStatement" and "context" in target:
        final["object"] = {**target, "context": normalised_context(target["context"])}
    return final


def validate_statement(value: Any, where: str = "statement") -> dict[str, Any]:
    """The statement, normalised, if it meets every rule; else StatementError naming where."""
    statement = json_object(value, where, _STATEMENT_KEYS, _REQUIRED)
    if "id" in statement:
        uuid_text(statement["id"], f"{where}.id")
    _core(statement, where, nested=False)
    _voiding(statement, where)
    if "version" in statement:
        version(statement["version"], f"{where}.version")
    if "authority" in statement:
        validate_authority(statement["authority"], f"{where}.authority")
    if "stored" in statement:
        timestamp(statement["stored"], f"{where}.stored")
    return _normalised(statement)
