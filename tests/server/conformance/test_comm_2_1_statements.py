"""xAPI 1.0.3 Part Three, 2.1 Statement Resource (PUT, POST, GET, voided statements) and
2.8 About Resource."""

from __future__ import annotations

import uuid
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
import requests

from reference_server import ReferenceServer
from reference_server.wire import parse_rfc3339

from ..testkit import Api, assert_problem, new_id
from .conftest import ANA, agent_param, statement

VOIDED = {"id": "http://adlnet.gov/expapi/verbs/voided", "display": {"en-US": "voided"}}
BEN = {"objectType": "Agent", "mbox": "mailto:ben@example.org", "name": "Ben"}


def _activity() -> str:
    return f"https://rounds.example/activities/{uuid.uuid4()}"


def _ids(lrs: Api, **params: str) -> list[str]:
    response = lrs.xapi("GET", params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["statements"]]


def _post(lrs: Api, *items: dict[str, Any]) -> None:
    response = lrs.xapi("POST", json=list(items))
    assert response.status_code == 200, response.text


def test_2_1_1_put_is_204_and_a_repeat_changes_nothing(lrs: Api) -> None:
    """2.1.1 Returns 204 No Content. 2.1.1.s2.b2: An LRS MUST NOT make any modifications to its
    state based on receiving a Statement with a statementId that it already has."""
    item = statement()
    statement_id = item.pop("id")
    params = {"statementId": statement_id}
    assert lrs.xapi("PUT", params=params, json=item).status_code == 204
    first = lrs.xapi("GET", params=params).json()
    assert lrs.xapi("PUT", params=params, json=item).status_code == 204
    changed = {**item, "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}
    assert_problem(lrs.xapi("PUT", params=params, json=changed), 409)
    assert lrs.xapi("GET", params=params).json() == first


def test_2_1_2_post_returns_the_ids_in_order_and_409_for_other_content(lrs: Api) -> None:
    """2.1.2 Returns 200 OK, Array of Statement id(s) in the same order. 2.1.2.s2.b4/b5: a
    Statement with an id the LRS already has changes nothing, 409 Conflict if it differs."""
    batch = [statement(), statement(), statement()]
    response = lrs.xapi("POST", json=batch)
    assert response.status_code == 200 and response.json() == [item["id"] for item in batch]
    assert lrs.xapi("POST", json=batch).json() == [item["id"] for item in batch]
    changed = {**batch[1], "result": {"completion": False}}
    assert_problem(lrs.xapi("POST", json=[statement(), changed]), 409)


def test_2_3_2_group_members_in_another_order_are_the_same_statement(lrs: Api) -> None:
    """Part Two 2.3.2 Statement Comparison Requirements: the order of a Group's members is not
    compared, so a repeat with them reordered is accepted (200) and changes nothing."""
    group = {"objectType": "Group", "member": [ANA, BEN]}
    item = statement(context={"team": group})
    _post(lrs, item)
    reordered = {**item, "context": {"team": {"objectType": "Group", "member": [BEN, ANA]}}}
    assert lrs.xapi("POST", json=reordered).status_code == 200


def test_2_1_3_s2_b1_b2_statement_id_stands_alone(lrs: Api) -> None:
    """2.1.3.s2.b1/b2: The LRS MUST reject with 400 any request with both statementId and
    voidedStatementId, or with either and any other parameter besides attachments or format."""
    item = statement()
    _post(lrs, item)
    for extra in ({"voidedStatementId": new_id()}, {"limit": "1"}, {"agent": agent_param()}):
        assert_problem(lrs.xapi("GET", params={"statementId": item["id"], **extra}), 400)
    for extra in ({"format": "ids"}, {"attachments": "false"}, {"format": "exact"}):
        assert lrs.xapi("GET", params={"statementId": item["id"], **extra}).status_code == 200


def test_2_1_3_s2_b4_no_match_is_200_with_an_empty_list(lrs: Api) -> None:
    """2.1.3.s2.b4: no Statements matching: 200 OK and a StatementResult whose "statements" is
    an empty array."""
    response = lrs.xapi("GET", params={"activity": _activity()})
    assert response.status_code == 200 and response.json()["statements"] == []


def test_2_1_3_s2_b8_last_modified_is_the_stored_time(lrs: Api) -> None:
    """2.1.3.s2.b8: a "Last-Modified" header which matches the "stored" Timestamp."""
    item = statement()
    _post(lrs, item)
    response = lrs.xapi("GET", params={"statementId": item["id"]})
    stored = parse_rfc3339(response.json()["stored"])
    assert parsedate_to_datetime(response.headers["Last-Modified"]) == stored.replace(microsecond=0)


def test_2_1_3_agent_matches_actor_object_and_group_members(lrs: Api) -> None:
    """2.1.3 agent: Statements for which the Agent or Group is the Actor or Object; Groups with
    a member matching the Agent are a match. related_agents: also Authority, Instructor, Team
    and those in a SubStatement."""
    activity = _activity()
    target = {"objectType": "Activity", "id": activity}
    as_actor = statement(actor=BEN, object=target)
    as_object = statement(object=BEN, verb={"id": "http://adlnet.gov/expapi/verbs/mentored"})
    in_group = statement(actor={"objectType": "Group", "member": [BEN]}, object=target)
    as_instructor = statement(object=target, context={"instructor": BEN})
    in_sub = statement(
        object={
            "objectType": "SubStatement",
            "actor": BEN,
            "verb": as_actor["verb"],
            "object": target,
        }
    )
    _post(lrs, as_actor, as_object, in_group, as_instructor, in_sub)
    ben = agent_param({"mbox": "mailto:ben@example.org"})
    narrow = set(_ids(lrs, agent=ben))
    assert {as_actor["id"], as_object["id"], in_group["id"]} <= narrow
    assert not {as_instructor["id"], in_sub["id"]} & narrow
    broad = set(_ids(lrs, agent=ben, related_agents="true"))
    assert {as_instructor["id"], in_sub["id"], as_actor["id"]} <= broad


def test_2_1_3_activity_and_related_activities(lrs: Api) -> None:
    """2.1.3 activity: the Object is an Activity with the id. related_activities: also any
    context Activity, or those of a contained SubStatement."""
    activity = _activity()
    direct = statement(object={"objectType": "Activity", "id": activity})
    in_context = statement(context={"contextActivities": {"parent": [{"id": activity}]}})
    in_sub = statement(
        object={
            "objectType": "SubStatement",
            "actor": ANA,
            "verb": direct["verb"],
            "object": {"id": activity},
        }
    )
    _post(lrs, direct, in_context, in_sub)
    assert _ids(lrs, activity=activity) == [direct["id"]]
    broad = set(_ids(lrs, activity=activity, related_activities="true"))
    assert broad == {direct["id"], in_context["id"], in_sub["id"]}


def test_2_1_3_s3_filters_match_through_statement_refs(lrs: Api) -> None:
    """2.1.3.s3 Filter Conditions for StatementRefs: a Statement targeting another meets a
    filter condition if the targeted Statement does, recursively; since/until/limit still apply
    to the targeting Statement."""
    activity = _activity()
    passed = statement(actor=BEN, object={"objectType": "Activity", "id": activity})
    _post(lrs, passed)
    confirmed = statement(
        verb={"id": "http://example.org/verbs/confirmed"},
        object={"objectType": "StatementRef", "id": passed["id"]},
    )
    endorsed = statement(
        verb={"id": "http://example.org/verbs/endorsed"},
        object={"objectType": "StatementRef", "id": confirmed["id"]},
    )
    _post(lrs, confirmed, endorsed)
    found = _ids(lrs, activity=activity, ascending="true")
    assert found == [passed["id"], confirmed["id"], endorsed["id"]]
    assert set(_ids(lrs, agent=agent_param(BEN))) >= set(found)
    since = lrs.xapi("GET", params={"statementId": passed["id"]}).json()["stored"]
    later = _ids(lrs, activity=activity, since=since)
    assert passed["id"] not in later
    mixed = _ids(lrs, activity=activity, verb="http://example.org/verbs/endorsed")
    assert mixed == [endorsed["id"]]


def test_2_1_4_voided_statements(lrs: Api) -> None:
    """2.1.4.s1.b1: The LRS MUST not return any Statement which has been voided, unless
    requested by voidedStatementId. 2.1.4.s1.b2: it MUST still return Statements targeting the
    voided Statement, including the voiding Statement."""
    activity = _activity()
    target = statement(object={"objectType": "Activity", "id": activity})
    _post(lrs, target)
    voiding = statement(verb=VOIDED, object={"objectType": "StatementRef", "id": target["id"]})
    _post(lrs, voiding)
    assert _ids(lrs, activity=activity) == [voiding["id"]]
    assert_problem(lrs.xapi("GET", params={"statementId": target["id"]}), 404)
    by_voided = lrs.xapi("GET", params={"voidedStatementId": target["id"]})
    assert by_voided.status_code == 200 and by_voided.json()["id"] == target["id"]
    assert "Last-Modified" in by_voided.headers
    assert_problem(lrs.xapi("GET", params={"voidedStatementId": voiding["id"]}), 404)


def test_2_1_3_ascending_and_the_default_order(lrs: Api) -> None:
    """2.1.3: a list of Statements in reverse chronological order based on "stored" time;
    ascending=true returns them in ascending order of stored time."""
    activity = _activity()
    items = [statement(object={"objectType": "Activity", "id": activity}) for _ in range(3)]
    for item in items:
        _post(lrs, item)
    assert _ids(lrs, activity=activity) == [item["id"] for item in reversed(items)]
    assert _ids(lrs, activity=activity, ascending="true") == [item["id"] for item in items]


@pytest.mark.parametrize("ascending", ["true", "false"])
def test_2_1_3_more_keeps_working_while_statements_arrive(lrs: Api, ascending: str) -> None:
    """2.1.3 / Part Two 2.5: the "more" IRL retrieves the rest of the result, each statement
    once, even when statements are stored between the pages."""
    activity = _activity()
    target = {"objectType": "Activity", "id": activity}
    first = [statement(object=target) for _ in range(5)]
    _post(lrs, *first)
    params = {"activity": activity, "limit": "2", "ascending": ascending}
    page = lrs.xapi("GET", params=params).json()
    seen = [item["id"] for item in page["statements"]]
    arriving = [statement(object=target) for _ in range(2)]
    _post(lrs, *arriving)
    while page["more"]:
        response = lrs.request("GET", page["more"], headers={"X-Experience-API-Version": "1.0.3"})
        assert response.status_code == 200
        page = response.json()
        seen += [item["id"] for item in page["statements"]]
    assert len(seen) == len(set(seen))
    expected = [item["id"] for item in first]
    if ascending == "true":
        assert seen == expected + [item["id"] for item in arriving]
    else:
        assert seen == list(reversed(expected))


def test_2_1_3_format_ids_and_canonical(lrs: Api) -> None:
    """2.1.3 format: ids keeps only what identifies Agents, Groups, Activities and Verbs;
    canonical returns one language of each language map, chosen by Accept-Language
    (2.1.3.s4.b1, b5)."""
    definition = {
        "name": {"en-US": "Triage", "es": "Triaje", "fr": "Tri"},
        "description": {"en-US": "Sorting patients", "es-ES": "Clasificar pacientes"},
    }
    item = statement(
        verb={
            "id": "http://adlnet.gov/expapi/verbs/completed",
            "display": {"en-US": "completed", "es": "completó"},
        },
        object={"objectType": "Activity", "id": _activity(), "definition": definition},
        actor={**ANA, "name": "Ana"},
    )
    _post(lrs, item)
    params = {"statementId": item["id"]}
    ids = lrs.xapi("GET", params={**params, "format": "ids"}).json()
    assert ids["verb"] == {"id": item["verb"]["id"]}
    assert ids["object"] == {"objectType": "Activity", "id": item["object"]["id"]}
    assert ids["actor"] == {"objectType": "Agent", "account": ANA["account"]}
    spanish = lrs.xapi(
        "GET",
        params={**params, "format": "canonical"},
        headers={"Accept-Language": "es;q=0.9, fr;q=0.5"},
    ).json()
    assert spanish["object"]["definition"]["name"] == {"es": "Triaje"}
    assert spanish["object"]["definition"]["description"] == {"es-ES": "Clasificar pacientes"}
    assert spanish["verb"]["display"] == {"es": "completó"}
    assert spanish["actor"] == {**ANA, "name": "Ana"}
    exact = lrs.xapi("GET", params={**params, "format": "exact"}).json()
    assert exact["object"]["definition"] == definition
    listed = lrs.xapi("GET", params={"activity": item["object"]["id"], "format": "ids"}).json()
    assert listed["statements"][0]["verb"] == {"id": item["verb"]["id"]}


@pytest.mark.parametrize(
    "params",
    [
        {"format": "full"},
        {"attachments": "yes"},
        {"related_agents": "1"},
        {"related_activities": "True"},
        {"agent": '{"objectType": "Group", "member": []}'},
        {"Agent": agent_param()},
    ],
)
def test_3_2_unknown_or_malformed_parameters_are_400(lrs: Api, params: dict[str, str]) -> None:
    """Part Three 3.2 / 2.1.3: parameters the LRS does not recognise, or values outside their
    type (format ids|exact|canonical, booleans true|false, an Agent or Identified Group), 400."""
    assert_problem(lrs.xapi("GET", params=params), 400)


@pytest.mark.parametrize("name", ["since", "until"])
@pytest.mark.parametrize("value", ["2026-11-20T10:00:00-00:00", "2026-11-20T10:00:00.Z"])
def test_2_2_s4_b4_since_and_until_are_checked_as_timestamps(
    lrs: Api, name: str, value: str
) -> None:
    """Part Two 2.2.s4.b4: parameters are checked as the statement values of the same type
    are, so a `-00:00` offset (RFC 3339's unknown offset, not ISO 8601) or a decimal sign with
    no digits after it is a 400, as it is in a statement's timestamp."""
    assert_problem(lrs.xapi("GET", params={name: value}), 400)
    assert lrs.xapi("GET", params={name: value.replace("-00:00", "+00:00")[:19] + "Z"}).ok


def test_2_8_about_names_the_version_and_the_resources_served(
    shared_server: ReferenceServer, lrs: Api
) -> None:
    """2.8 About Resource: "version" lists the xAPI versions supported; an extension, under
    the server's extensions IRI base, says that the Statement Resource is the one served (the
    Document Resources are not)."""
    response = requests.get(shared_server.url + "/xapi/about", timeout=30)
    assert response.status_code == 200
    assert response.headers["X-Experience-API-Version"] == "1.0.3"
    about = response.json()
    assert about["version"] == ["1.0.3"]
    base = lrs.tokens["xapi"]["extensions_iri_base"]
    assert about["extensions"] == {f"{base}/resources": ["statements"]}


def test_3_2_put_and_post_take_no_other_parameters(lrs: Api) -> None:
    """Part Three 3.2: the LRS MUST reject with 400 any request that uses parameters it does
    not recognise in their intended context (PUT takes statementId only, POST none)."""
    item = statement()
    assert_problem(lrs.xapi("POST", params={"statementId": item["id"]}, json=item), 400)
    extra = {"statementId": item["id"], "format": "ids"}
    assert_problem(lrs.xapi("PUT", params=extra, json=item), 400)
    assert lrs.xapi("GET", params={"statementId": item["id"]}).status_code == 404
