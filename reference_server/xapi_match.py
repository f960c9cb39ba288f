"""Which stored statements a GET /xapi/statements query selects (xAPI 1.0.3 Part Three 2.1.3).

The database narrows the rows with the indexed columns and a text search of the stored JSON;
each candidate is then decided here on its parsed content, so that `agent` also finds the
statement's object, `related_agents` and `related_activities` look into the context, the
authority and a SubStatement, and a statement whose object is a StatementRef meets a filter
when the statement it targets does (recursively, "Filter Conditions for StatementRefs")."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, true

from reference_server.models import Statement

REF_DEPTH = 10
"""How many StatementRefs a chain is followed through (a statement may name its own id)."""
_REF_TEXT = '"objectType":"StatementRef"'
_IFIS = ("mbox", "mbox_sha1sum", "openid", "account")


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def agent_key(agent: Mapping[str, Any]) -> str:
    """One key per identified agent, whichever of its properties besides the identifier vary."""
    for ifi in _IFIS:
        if ifi in agent:
            value = agent[ifi]
            if ifi in ("mbox", "mbox_sha1sum") and isinstance(value, str):
                value = value.lower()
            return hashlib.sha256(_canonical({ifi: value}).encode()).hexdigest()
    return hashlib.sha256(_canonical(dict(agent)).encode()).hexdigest()


def agent_hint(agent: Mapping[str, Any]) -> str | None:
    """Text every stored statement naming the agent contains (compared case-insensitively)."""
    for ifi in ("mbox", "mbox_sha1sum", "openid"):
        if isinstance(agent.get(ifi), str):
            return _canonical(agent[ifi])
    account = agent.get("account")
    if isinstance(account, Mapping) and isinstance(account.get("name"), str):
        return _canonical(account["name"])
    return None


@dataclass(frozen=True)
class Filters:
    """The content filters of a query (time, order and paging are applied in SQL)."""

    agent: str | None = None  # agent_key
    agent_hint: str | None = None
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    related_activities: bool = False
    related_agents: bool = False

    @property
    def empty(self) -> bool:
        return not (self.agent or self.verb or self.activity or self.registration)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def prefilter(filters: Filters) -> ColumnElement[bool]:
    """A superset of the matching rows, for the database to narrow the scan with."""
    might_refer = Statement.body.like(_like(_REF_TEXT), escape="\\")
    conditions: list[ColumnElement[bool]] = []
    if filters.verb is not None:
        conditions.append(Statement.verb_id == filters.verb)
    if filters.registration is not None:
        conditions.append(Statement.registration == filters.registration)
    if filters.activity is not None:
        if filters.related_activities:
            conditions.append(Statement.body.like(_like(_canonical(filters.activity)), "\\"))
        else:
            conditions.append(Statement.activity_id == filters.activity)
    if filters.agent is not None:
        named = Statement.actor_key == filters.agent
        if filters.agent_hint is not None:
            named = or_(named, Statement.body.ilike(_like(filters.agent_hint), escape="\\"))
        conditions.append(named)
    if not conditions:
        return true()
    return or_(and_(*conditions), might_refer)


def certain(filters: Filters) -> ColumnElement[bool]:
    """Rows that meet every filter by their indexed columns alone, which need no parsing."""
    columns = {
        Statement.actor_key: filters.agent,
        Statement.verb_id: filters.verb,
        Statement.activity_id: filters.activity,
        Statement.registration: filters.registration,
    }
    met = [column == value for column, value in columns.items() if value is not None]
    return and_(*met) if met else true()


def _agents(statement: Mapping[str, Any], related: bool) -> Iterator[Any]:
    yield statement.get("actor")
    target = statement.get("object")
    if isinstance(target, Mapping) and target.get("objectType") in ("Agent", "Group"):
        yield target
    if not related:
        return
    yield statement.get("authority")
    context = statement.get("context")
    if isinstance(context, Mapping):
        yield context.get("instructor")
        yield context.get("team")
    if isinstance(target, Mapping) and target.get("objectType") == "SubStatement":
        yield from _agents(target, related)


def _with_members(agents: Iterator[Any]) -> Iterator[Mapping[str, Any]]:
    for agent in agents:
        if isinstance(agent, Mapping):
            yield agent
            members = agent.get("member")
            if isinstance(members, list):
                yield from (member for member in members if isinstance(member, Mapping))


def _activity_ids(statement: Mapping[str, Any], related: bool) -> Iterator[Any]:
    target = statement.get("object")
    if isinstance(target, Mapping) and target.get("objectType", "Activity") == "Activity":
        yield target.get("id")
    if not related:
        return
    context = statement.get("context")
    groups = context.get("contextActivities") if isinstance(context, Mapping) else None
    if isinstance(groups, Mapping):
        for group in groups.values():
            for activity in group if isinstance(group, list) else [group]:
                if isinstance(activity, Mapping):
                    yield activity.get("id")
    if isinstance(target, Mapping) and target.get("objectType") == "SubStatement":
        yield from _activity_ids(target, related)


def _registration(statement: Mapping[str, Any]) -> str | None:
    context = statement.get("context")
    value = context.get("registration") if isinstance(context, Mapping) else None
    return value.lower() if isinstance(value, str) else None


Condition = Callable[[Mapping[str, Any]], bool]


def conditions(filters: Filters) -> list[Condition]:
    """One test per filter given; a statement is selected when it passes every one."""
    tests: list[Condition] = []
    if filters.agent is not None:
        key, related = filters.agent, filters.related_agents
        tests.append(lambda s: any(agent_key(a) == key for a in _with_members(_agents(s, related))))
    if filters.verb is not None:
        verb = filters.verb
        tests.append(lambda s: isinstance(s.get("verb"), Mapping) and s["verb"].get("id") == verb)
    if filters.activity is not None:
        activity, broad = filters.activity, filters.related_activities
        tests.append(lambda s: activity in _activity_ids(s, broad))
    if filters.registration is not None:
        registration = filters.registration
        tests.append(lambda s: _registration(s) == registration)
    return tests


def referenced_id(statement: Mapping[str, Any]) -> str | None:
    """The id of the statement this one targets, if its object is a StatementRef."""
    target = statement.get("object")
    if isinstance(target, Mapping) and target.get("objectType") == "StatementRef":
        value = target.get("id")
        return value.lower() if isinstance(value, str) else None
    return None


Lookup = Callable[[set[str]], dict[str, Mapping[str, Any]]]
"""Fetches the learner's statements (voided ones too) by id."""


class Selector:
    """Decides candidates: each condition holds for the statement or, through its
    StatementRef, for the statement it targets."""

    def __init__(self, filters: Filters, lookup: Lookup) -> None:
        self._tests = conditions(filters)
        self._lookup = lookup

    def select(self, candidates: list[Mapping[str, Any]]) -> list[bool]:
        if not self._tests:
            return [True] * len(candidates)
        chains = self._chains(candidates)
        return [all(any(test(link) for link in chain) for test in self._tests) for chain in chains]

    def _chains(self, candidates: list[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
        """Each candidate followed by the statements its StatementRefs lead to."""
        chains = [[candidate] for candidate in candidates]
        for _ in range(REF_DEPTH):
            wanted = {ref for chain in chains if (ref := referenced_id(chain[-1])) is not None}
            if not wanted:
                break
            found = self._lookup(wanted)
            growing = False
            for chain in chains:
                ref = referenced_id(chain[-1])
                if ref is not None and ref in found:
                    chain.append(found[ref])
                    growing = True
            if not growing:
                break
        return chains
