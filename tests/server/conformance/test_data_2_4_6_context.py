"""xAPI 1.0.3 Part Two 2.4.6 Context and 2.4.6.2 contextActivities: each refusal names the
requirement it breaks; the normalised form is what the LRS returns."""

from __future__ import annotations

from typing import Any

import pytest

from ..testkit import Api, new_id
from .conftest import ANA, COMPLETED, LESSON, statement
from .data_checks import Bad, assert_accepted, assert_all_rejected, by_requirement

COURSE = "https://rounds.example/courses/c-1"
BEN = {"objectType": "Agent", "mbox": "mailto:ben@example.org"}
NOT_AN_ACTIVITY = [
    {"objectType": "Agent", "mbox": "mailto:ben@example.org"},
    {"objectType": "StatementRef", "id": "8f87ccde-bb56-4c2e-ab83-44982ef22df0"},
]


def _context(**context: Any) -> dict[str, Any]:
    return statement(context=context)


CONTEXTS = [
    # 2.4.6.s3.table1.row1: registration is a UUID.
    Bad("2.4.6.s3.table1.row1 registration", _context(registration="r-1"), "registration"),
    # 2.4.6.s3.table1.row2: instructor is an Agent (or a Group).
    Bad("2.4.6.s3.table1.row2 instructor", _context(instructor={"name": "Dr B"}), "instructor"),
    # 2.4.6.s3.table1.row3: team is a Group.
    Bad("2.4.6.s3.table1.row3 team an Agent", _context(team=BEN), "team"),
    Bad(
        "2.4.6.s3.table1.row3 team without objectType",
        _context(team={"member": [BEN]}),
        "team",
    ),
    # 2.4.6.s3.table1.row5/row6: revision and platform are Strings.
    Bad("2.4.6.s3.table1.row5 revision a number", _context(revision=2), "revision"),
    Bad("2.4.6.s3.table1.row6 platform a list", _context(platform=["qt"]), "platform"),
    # 2.4.6.s4.b1/b2: "The 'revision' [and 'platform'] property MUST only be used if the
    # Statement's Object is an Activity."
    *[
        Bad(
            f"2.4.6.s4.b1 {key} with {target['objectType']}",
            statement(object=target, context={key: "1"}),
            key,
        )
        for target in NOT_AN_ACTIVITY
        for key in ("revision", "platform")
    ],
    Bad(
        "2.4.6.s4.b1 revision in a sub-statement about an agent",
        statement(
            object={
                "objectType": "SubStatement",
                "actor": ANA,
                "verb": COMPLETED,
                "object": BEN,
                "context": {"revision": "2"},
            }
        ),
        "object.context.revision",
    ),
    # 2.4.6.2.s4.b1: "Every key in the contextActivities Object MUST be one of parent,
    # grouping, category, or other."
    Bad(
        "2.4.6.2.s4.b1 unknown key",
        _context(contextActivities={"course": [{"id": COURSE}]}),
        "contextActivities",
    ),
    # 2.4.6.2.s4.b2: "Every value in the contextActivities Object MUST be either a single
    # Activity Object or an array of Activity Objects."
    Bad(
        "2.4.6.2.s4.b2 an IRI",
        _context(contextActivities={"parent": COURSE}),
        "contextActivities.parent",
    ),
    Bad(
        "2.4.6.2.s4.b2 an agent",
        _context(contextActivities={"other": [BEN]}),
        "other[0]",
    ),
    Bad(
        "2.4.6.2.s4.b2 array of IRIs",
        _context(contextActivities={"grouping": [COURSE]}),
        "grouping[0]",
    ),
]


@pytest.mark.backend_neutral
@pytest.mark.parametrize("cases", by_requirement(CONTEXTS))
def test_refused_with_400_and_not_stored(lrs: Api, cases: list[Bad]) -> None:
    assert_all_rejected(lrs, cases)


def test_context_activities_are_returned_as_arrays(lrs: Api) -> None:
    """2.4.6.2.s4.b3/b4: "The LRS MUST return every value in the contextActivities Object as
    an array, even if it arrived as a single Activity Object", of length one; in a
    SubStatement's context too."""
    single = {
        "parent": {"id": COURSE},
        "category": [{"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"}],
    }
    arrays = {"parent": [{"id": COURSE}], "category": single["category"]}
    sub = {"objectType": "SubStatement", "actor": ANA, "verb": COMPLETED, "object": {"id": LESSON}}
    item = statement(
        object={**sub, "context": {"contextActivities": single}},
        context={"registration": new_id(), "contextActivities": single},
    )
    stored = assert_accepted(lrs, item)
    assert stored["context"]["contextActivities"] == arrays
    assert stored["object"]["context"]["contextActivities"] == arrays


def test_single_and_array_forms_are_one_statement(lrs: Api) -> None:
    """2.3.1.s9.b1: differences that normalisation causes are ignored when a statement is sent
    again: the array form of a single context activity is the same statement (200, not 409)."""
    item = statement(context={"contextActivities": {"parent": {"id": COURSE}}})
    assert_accepted(lrs, item)
    again = {**item, "context": {"contextActivities": {"parent": [{"id": COURSE}]}}}
    assert lrs.xapi("POST", json=again).status_code == 200


def test_a_full_context_is_taken(lrs: Api) -> None:
    """2.4.6.s3: every Context property in its valid form."""
    context = {
        "registration": new_id(),
        "instructor": {"objectType": "Agent", "name": "Dr B", "mbox": "mailto:b@example.org"},
        "team": {"objectType": "Group", "name": "Ward 4", "member": [BEN]},
        "contextActivities": {"parent": [{"id": COURSE, "objectType": "Activity"}]},
        "revision": "2",
        "platform": "Rounds desktop",
        "language": "es-MX",
        "statement": {"objectType": "StatementRef", "id": new_id()},
        "extensions": {"https://rounds.example/xapi/extensions/ward": "4"},
    }
    assert assert_accepted(lrs, statement(context=context))["context"] == context
