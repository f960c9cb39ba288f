"""What the data conformance tests ask of the server: a statement it must refuse with 400 and
not store (alone or inside a batch), or take and return in its normalised form."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pytest

from ..testkit import Api, assert_problem
from .conftest import statement


def assert_rejected(lrs: Api, bad: dict[str, Any], where: str = "") -> None:
    """400 for the statement alone and for a batch holding it after a valid one; neither the
    valid one nor (when its id is a UUID) the bad one is stored. `where` is the place the
    server's message must name."""
    problem = assert_problem(lrs.xapi("POST", json=bad), 400, "invalid-request")
    assert where in problem["detail"], problem
    good = statement()
    assert_problem(lrs.xapi("POST", json=[good, bad]), 400, "invalid-request")
    assert lrs.xapi("GET", params={"statementId": good["id"]}).status_code == 404
    if isinstance(bad.get("id"), str) and len(bad["id"]) == 36:
        assert lrs.xapi("GET", params={"statementId": bad["id"]}).status_code in (400, 404)


@dataclass(frozen=True)
class Bad:
    """One statement that breaks `requirement` (its number in Part Two, and a few words), and
    the place the server's message must name."""

    requirement: str
    statement: dict[str, Any]
    where: str


def by_requirement(cases: Iterable[Bad]) -> list[Any]:
    """The cases as pytest parameters, one per requirement (a test each, named by it), so a
    table of a hundred statements does not cost a hundred tests' set-up."""
    groups: dict[str, list[Bad]] = {}
    for case in cases:
        groups.setdefault(case.requirement.split(" ")[0], []).append(case)
    return [pytest.param(group, id=key) for key, group in groups.items()]


def assert_all_rejected(lrs: Api, cases: list[Bad]) -> None:
    for case in cases:
        try:
            assert_rejected(lrs, case.statement, case.where)
        except AssertionError as error:
            raise AssertionError(f"{case.requirement}: {error}") from None


def assert_accepted(lrs: Api, good: dict[str, Any]) -> dict[str, Any]:
    """The statement is stored; returns it as the server gives it back."""
    sent = copy.deepcopy(good)
    response = lrs.xapi("POST", json=sent)
    assert response.status_code == 200, response.text
    (statement_id,) = response.json()
    fetched = lrs.xapi("GET", params={"statementId": statement_id})
    assert fetched.status_code == 200, fetched.text
    stored: dict[str, Any] = fetched.json()
    return stored


def nested(path: str, value: Any) -> dict[str, Any]:
    """A statement whose property at the dotted `path` (from the top) is `value`, the rest
    valid: nested("object.definition.type", 42)."""
    item = statement()
    keys = path.split(".")
    holder = item
    for key in keys[:-1]:
        holder = holder.setdefault(key, {})
    holder[keys[-1]] = value
    return item
