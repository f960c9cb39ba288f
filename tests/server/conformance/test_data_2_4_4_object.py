"""xAPI 1.0.3 Part Two 2.4.4 Object (Activities and their interaction definitions, Agents as
objects, Statement References, SubStatements) and 2.3.2 Voiding: each case names the
requirement it breaks."""

from __future__ import annotations

from typing import Any

import pytest

from ..testkit import Api, new_id
from .conftest import ANA, COMPLETED, LESSON, statement
from .data_checks import Bad, assert_accepted, assert_all_rejected, by_requirement

INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
VOIDED = {"id": "http://adlnet.gov/expapi/verbs/voided", "display": {"en-US": "voided"}}


def _object(target: Any) -> dict[str, Any]:
    return statement(object=target)


def _definition(**definition: Any) -> dict[str, Any]:
    return _object({"id": LESSON, "definition": definition})


def _choices(*ids: str) -> list[dict[str, Any]]:
    return [{"id": choice, "description": {"en-US": choice.title()}} for choice in ids]


OBJECT_TYPES = [
    # 2.4.4.s2 and 2.2.s4.b1.b6: objectType is one of Activity, Agent, Group, SubStatement,
    # StatementRef, in exactly that case.
    Bad("2.4.4.s2 lowercase activity", _object({"objectType": "activity", "id": LESSON}), "object"),
    Bad("2.4.4.s2 unknown type", _object({"objectType": "Course", "id": LESSON}), "object"),
    Bad("2.4.4.s2 not an object", _object(LESSON), "object"),
    # 2.4.4.1.s1.table1.row2: an Activity's id is required, and an IRI.
    Bad("2.4.4.1.s1.table1 no id", _object({"objectType": "Activity"}), "object"),
    # 2.4.4.2.s1.b1: "Statements that specify an Agent or Group as an Object MUST specify an
    # 'objectType' property."
    Bad("2.4.4.2.s1.b1 agent without objectType", _object({"mbox": "mailto:b@ex.org"}), "object"),
    # 2.4.6.2.s4.b2 (contextActivities) and 2.4.4.1.s1.table1.row1: an Activity's objectType
    # MUST be "Activity" when present.
    Bad(
        "2.4.4.1.s1.table1.row1 context activity objectType",
        statement(
            context={"contextActivities": {"parent": [{"objectType": "Agent", "id": LESSON}]}}
        ),
        "parent[0].objectType",
    ),
]

INTERACTIONS = [
    # 2.4.4.1.s13.b1: "Interaction Activities MUST have a valid interactionType" (values are
    # case-sensitive, 2.2.s4.b1.b6).
    Bad("2.4.4.1.s13.b1 unknown type", _definition(interactionType="essay"), "interactionType"),
    Bad("2.4.4.1.s13.b1 case", _definition(interactionType="Choice"), "interactionType"),
    Bad("2.4.4.1.s13.b1 case", _definition(interactionType="TRUE-FALSE"), "interactionType"),
    Bad(
        "2.4.4.1.s13.b1 components without a type",
        _definition(choices=_choices("a", "b")),
        "choices needs an interactionType",
    ),
    Bad(
        "2.4.4.1.s13.b1 pattern without a type",
        _definition(correctResponsesPattern=["a"]),
        "interactionType",
    ),
    # 2.4.4.1.s8.table1.row2: correctResponsesPattern is an array of strings.
    Bad(
        "2.4.4.1.s8.table1.row2 pattern a string",
        _definition(interactionType="choice", correctResponsesPattern="a"),
        "correctResponsesPattern",
    ),
    Bad(
        "2.4.4.1.s8.table1.row2 pattern of numbers",
        _definition(interactionType="numeric", correctResponsesPattern=[4]),
        "correctResponsesPattern[0]",
    ),
    # 2.4.4.1.s15.table2: only the component lists an interactionType supports.
    *[
        Bad(
            f"2.4.4.1.s15.table2 {key} on {kind}",
            _definition(interactionType=kind, **{key: _choices("a")}),
            key,
        )
        for kind, key in [
            ("true-false", "choices"),
            ("fill-in", "choices"),
            ("long-fill-in", "scale"),
            ("numeric", "steps"),
            ("other", "source"),
            ("choice", "scale"),
            ("sequencing", "target"),
            ("likert", "choices"),
            ("matching", "steps"),
            ("performance", "choices"),
        ]
    ],
    # 2.4.4.1.s16.b1: "Within an array of interaction components, all id values MUST be
    # distinct" (ids compare case-sensitively, so "a" and "A" are two).
    Bad(
        "2.4.4.1.s16.b1 repeated choice",
        _definition(interactionType="choice", choices=_choices("a", "b", "a")),
        "choices[2].id",
    ),
    Bad(
        "2.4.4.1.s16.b1 repeated target",
        _definition(interactionType="matching", source=_choices("a"), target=_choices("x", "x")),
        "target[1].id",
    ),
    # 2.4.4.1.s15.table1: a component has an id (a string) and a description language map.
    Bad(
        "2.4.4.1.s15.table1 no id",
        _definition(interactionType="likert", scale=[{"description": {"en": "Good"}}]),
        "scale[0]",
    ),
    Bad(
        "2.4.4.1.s15.table1 id a number",
        _definition(interactionType="likert", scale=[{"id": 1}]),
        "scale[0].id",
    ),
    Bad(
        "2.4.4.1.s15.table1 extra property",
        _definition(interactionType="performance", steps=[{"id": "s1", "correct": True}]),
        "steps[0]",
    ),
    Bad(
        "2.4.4.1.s15.table1 description keys",
        _definition(interactionType="choice", choices=[{"id": "a", "description": {"english": 1}}]),
        "choices[0].description",
    ),
]

STATEMENT_OBJECTS = [
    # 2.4.4.3.s4.b2: "A Statement Reference MUST set the 'id' property to the UUID of a
    # Statement."
    Bad(
        "2.4.4.3.s4.b2 id not a uuid",
        _object({"objectType": "StatementRef", "id": "s-1"}),
        "object.id",
    ),
    Bad("2.4.4.3.s4.b2 no id", _object({"objectType": "StatementRef"}), "object"),
    # 2.4.4.3.s4.b1 for context.statement: "A Statement Reference MUST specify an 'objectType'
    # property with the value StatementRef."
    Bad(
        "2.4.4.3.s4.b1 context statement",
        statement(context={"statement": {"id": new_id()}}),
        "context.statement",
    ),
    # 2.4.4.3.s8.b2: "A SubStatement MUST be validated as a Statement."
    Bad(
        "2.4.4.3.s8.b2 sub-statement without verb",
        _object({"objectType": "SubStatement", "actor": ANA, "object": {"id": LESSON}}),
        "verb is required",
    ),
    Bad(
        "2.4.4.3.s8.b2 sub-statement bad actor",
        _object(
            {
                "objectType": "SubStatement",
                "actor": {"mbox": "x"},
                "verb": COMPLETED,
                "object": {"id": LESSON},
            }
        ),
        "object.actor.mbox",
    ),
    # 2.4.4.3.s8.b3: "A SubStatement MUST NOT have the 'id', 'stored', 'version' or
    # 'authority' properties."
    *[
        Bad(
            f"2.4.4.3.s8.b3 sub-statement {key}",
            _object(
                {
                    "objectType": "SubStatement",
                    "actor": ANA,
                    "verb": COMPLETED,
                    "object": {"id": LESSON},
                    key: value,
                }
            ),
            key,
        )
        for key, value in [
            ("id", new_id()),
            ("stored", "2026-11-20T10:00:00Z"),
            ("version", "1.0.0"),
            ("authority", ANA),
        ]
    ],
    # 2.4.4.3.s8.b4: "A SubStatement MUST NOT contain a SubStatement of its own."
    Bad(
        "2.4.4.3.s8.b4 nested sub-statement",
        _object(
            {
                "objectType": "SubStatement",
                "actor": ANA,
                "verb": COMPLETED,
                "object": {
                    "objectType": "SubStatement",
                    "actor": ANA,
                    "verb": COMPLETED,
                    "object": {"id": LESSON},
                },
            }
        ),
        "cannot hold another SubStatement",
    ),
    # 2.3.2.s2.b1: "When issuing a Statement that voids another, the Object of that voiding
    # Statement MUST have the 'objectType' property set to StatementRef."
    Bad("2.3.2.s2.b1 voiding an activity", statement(verb=VOIDED), "StatementRef"),
    Bad(
        "2.3.2.s2.b1 voiding a sub-statement",
        statement(
            verb=VOIDED,
            object={
                "objectType": "SubStatement",
                "actor": ANA,
                "verb": COMPLETED,
                "object": {"id": LESSON},
            },
        ),
        "StatementRef",
    ),
    # 2.3.2.s2.b2: "... MUST specify the id of the Statement-to-be-voided by its 'id' property."
    Bad(
        "2.3.2.s2.b2 voiding without id",
        statement(verb=VOIDED, object={"objectType": "StatementRef"}),
        "object",
    ),
]


@pytest.mark.backend_neutral
@pytest.mark.parametrize("cases", by_requirement(OBJECT_TYPES + INTERACTIONS + STATEMENT_OBJECTS))
def test_refused_with_400_and_not_stored(lrs: Api, cases: list[Bad]) -> None:
    assert_all_rejected(lrs, cases)


VALID_INTERACTIONS = {
    "true-false": {"correctResponsesPattern": ["true"]},
    "choice": {"choices": _choices("golf", "tetris"), "correctResponsesPattern": ["golf[,]tetris"]},
    "fill-in": {"correctResponsesPattern": ["{case_matters=false}Bob's your uncle"]},
    "long-fill-in": {"correctResponsesPattern": ["{lang=en}It's the journey"]},
    "matching": {
        "source": _choices("ben", "chris"),
        "target": _choices("1", "2"),
        "correctResponsesPattern": ["ben[.]2[,]chris[.]1"],
    },
    "performance": {
        "steps": _choices("pong", "dg"),
        "correctResponsesPattern": ["pong[.]1:[,]dg[.]:10"],
    },
    "sequencing": {"choices": _choices("tim", "ben"), "correctResponsesPattern": ["tim[,]ben"]},
    "likert": {"scale": _choices("likert_0", "likert_1"), "correctResponsesPattern": ["likert_1"]},
    "numeric": {"correctResponsesPattern": ["4[:]"]},
    "other": {"correctResponsesPattern": ["(35.937432,-86.868896)"]},
}


@pytest.mark.backend_neutral
@pytest.mark.parametrize("kind", list(VALID_INTERACTIONS))
def test_every_interaction_type_is_taken(lrs: Api, kind: str) -> None:
    """2.4.4.1.s9 and Appendix C: each interactionType with the component lists it supports,
    and an empty correctResponsesPattern (no answer is correct, 2.4.4.1.s11)."""
    definition = {"type": INTERACTION, "interactionType": kind, **VALID_INTERACTIONS[kind]}
    stored = assert_accepted(lrs, _object({"id": LESSON + "/q", "definition": definition}))
    assert stored["object"]["definition"] == definition
    empty = {"type": INTERACTION, "interactionType": kind, "correctResponsesPattern": []}
    assert_accepted(lrs, _object({"id": LESSON + "/q2", "definition": empty}))


def test_a_quiz_answer_as_the_client_sends_it_is_taken(lrs: Api) -> None:
    """2.4.4.1 and 2.4.5: a choice question with its choices and correct pattern, answered with
    two choices in the response format ("a[,]b"), inside the quiz as its parent."""
    question = {
        "objectType": "Activity",
        "id": LESSON + "/quiz/q2",
        "definition": {
            "type": INTERACTION,
            "name": {"und": "Which of these identify a patient?"},
            "interactionType": "choice",
            "choices": _choices("a", "b", "c"),
            "correctResponsesPattern": ["a[,]b"],
        },
    }
    item = statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}},
        object=question,
        result={"response": "a[,]b", "success": True},
        context={"registration": new_id(), "contextActivities": {"parent": [{"id": LESSON}]}},
    )
    assert assert_accepted(lrs, item)["result"] == {"response": "a[,]b", "success": True}


def test_statement_objects_are_taken(lrs: Api) -> None:
    """2.4.4.2, 2.4.4.3 and 2.3.2: an Agent and a Group as object, a Statement Reference, the
    specification's SubStatement example, and a voiding statement."""
    target = statement()
    assert_accepted(lrs, target)
    sub = {
        "objectType": "SubStatement",
        "actor": {"objectType": "Agent", "mbox": "mailto:test@example.com"},
        "verb": {"id": "http://example.com/visited", "display": {"en-US": "will visit"}},
        "object": {"objectType": "Activity", "id": "http://example.com/website"},
    }
    objects = [
        {"objectType": "Agent", "mbox": "mailto:ben@example.org"},
        {"objectType": "Group", "member": [{"mbox": "mailto:ben@example.org"}]},
        {"objectType": "StatementRef", "id": new_id()},
        sub,
    ]
    for target_object in objects:
        assert assert_accepted(lrs, _object(target_object))["object"] == target_object
    voiding = statement(verb=VOIDED, object={"objectType": "StatementRef", "id": target["id"]})
    assert_accepted(lrs, voiding)
