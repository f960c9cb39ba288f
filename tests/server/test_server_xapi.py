"""xAPI 1.0.3 statements: idempotent atomic batches, validation, queries with `more`."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from reference_server import ReferenceServer

from .testkit import PASSWORD, Api, assert_problem, new_id

ANA = {"objectType": "Agent", "account": {"homePage": "https://rounds.example", "name": "u-ana"}}
COMPLETED = {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}}


def statement(**changes: Any) -> dict[str, Any]:
    base = {
        "id": new_id(),
        "actor": ANA,
        "verb": COMPLETED,
        "object": {"objectType": "Activity", "id": "https://rounds.example/lessons/l-1"},
        "result": {"completion": True, "score": {"scaled": 0.9}},
        "timestamp": "2026-11-20T10:00:00.000Z",
    }
    base.update(changes)
    return base


def stored_ids(api: Api, **params: str) -> list[str]:
    response = api.xapi("GET", params={"agent": _agent_param(), **params})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["statements"]]


def _agent_param() -> str:
    import json

    return json.dumps(ANA)


def test_post_one_and_a_batch(shared_api: Api) -> None:
    single = statement()
    response = shared_api.xapi("POST", json=single)
    assert response.status_code == 200 and response.json() == [single["id"]]
    assert response.headers["X-Experience-API-Version"] == "1.0.3"
    batch = [statement(), statement()]
    assert shared_api.xapi("POST", json=batch).json() == [item["id"] for item in batch]


def test_same_id_same_content_is_200_different_content_is_409(shared_api: Api) -> None:
    original = statement()
    assert shared_api.xapi("POST", json=original).status_code == 200
    same_instant = {**original, "timestamp": "2026-11-20T11:00:00+01:00"}
    assert shared_api.xapi("POST", json=same_instant).status_code == 200
    changed = {**original, "result": {"completion": True, "score": {"scaled": 0.5}}}
    response = shared_api.xapi("POST", json=changed)
    assert_problem(response, 409, "conflict")
    assert response.headers["X-Experience-API-Version"] == "1.0.3"
    fetched = shared_api.xapi("GET", params={"statementId": original["id"]}).json()
    assert fetched["result"]["score"]["scaled"] == 0.9


def test_duplicate_ids_in_a_batch_are_400_and_nothing_is_stored(shared_api: Api) -> None:
    first = statement()
    response = shared_api.xapi("POST", json=[first, statement(id=first["id"])])
    assert_problem(response, 400, "invalid-request")
    assert shared_api.xapi("GET", params={"statementId": first["id"]}).status_code == 404


def test_a_batch_is_atomic(shared_api: Api) -> None:
    good, conflicting = statement(), statement()
    assert shared_api.xapi("POST", json=conflicting).status_code == 200
    changed = {**conflicting, "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}
    assert_problem(shared_api.xapi("POST", json=[good, changed]), 409)
    assert_problem(shared_api.xapi("POST", json=[good, statement(verb={"id": "nope"})]), 400)
    assert shared_api.xapi("GET", params={"statementId": good["id"]}).status_code == 404


@pytest.mark.parametrize(
    "broken",
    [
        {"actor": None},
        {"verb": {"display": {"en": "did"}}},
        {"verb": {"id": "not an iri"}},
        {"object": {"id": "no-scheme"}},
        {"id": "1234"},
        {"actor": {"name": "Nobody"}},
        {"actor": {"mbox": "ana@example.org"}},
        {"result": {"score": {"scaled": 1.5}}},
        {"result": {"duration": "ten minutes"}},
        {"timestamp": "yesterday"},
        {"context": {"registration": "not-a-uuid"}},
        {"unexpected": True},
    ],
)
def test_invalid_statements_are_400(shared_api: Api, broken: dict[str, Any]) -> None:
    item = statement(**broken)
    for key, value in broken.items():
        if value is None:
            del item[key]
    assert_problem(shared_api.xapi("POST", json=item), 400, "invalid-request")
    if "id" not in broken:
        assert shared_api.xapi("GET", params={"statementId": item["id"]}).status_code == 404


@pytest.mark.parametrize("body", [b"{not json", b"", b"[]", b"42", b'"text"'])
def test_malformed_bodies_are_400(shared_api: Api, body: bytes) -> None:
    response = shared_api.xapi("POST", data=body, headers={"Content-Type": "application/json"})
    assert_problem(response, 400)


def test_the_version_header_is_required(shared_server: ReferenceServer, shared_api: Api) -> None:
    response = shared_api.request("POST", "/xapi/statements", json=statement())
    assert_problem(response, 400, "invalid-request")
    assert response.headers["X-Experience-API-Version"] == "1.0.3"
    about = requests.get(shared_server.url + "/xapi/about", timeout=10)
    assert about.json()["version"] == ["1.0.3"]
    assert about.headers["X-Experience-API-Version"] == "1.0.3"


def test_basic_credentials_are_accepted(shared_server: ReferenceServer, shared_api: Api) -> None:
    headers = {"X-Experience-API-Version": "1.0.3"}
    url = shared_server.url + "/xapi/statements"
    item = statement()
    response = requests.post(url, json=item, auth=("ana", PASSWORD), headers=headers, timeout=10)
    assert response.status_code == 200
    assert item["id"] in stored_ids(shared_api)
    wrong = requests.post(url, json=statement(), auth=("ana", "nope"), headers=headers, timeout=10)
    assert_problem(wrong, 401, "unauthorized")
    assert "Basic" in wrong.headers["WWW-Authenticate"]
    assert wrong.headers["X-Experience-API-Version"] == "1.0.3"


def test_query_pages_with_more_oldest_first(server: ReferenceServer, api: Api) -> None:
    posted = [statement() for _ in range(7)]
    for item in posted:
        assert api.xapi("POST", json=item).status_code == 200
    query = {"agent": _agent_param(), "limit": "3", "ascending": "true"}
    seen, response = [], api.xapi("GET", params=query)
    while True:
        body = response.json()
        assert len(body["statements"]) <= 3
        assert response.headers["X-Experience-API-Consistent-Through"].endswith("Z")
        seen.extend(item["id"] for item in body["statements"])
        if not body["more"]:
            break
        assert body["more"].startswith("/xapi/statements?more=")
        response = api.request("GET", body["more"], headers={"X-Experience-API-Version": "1.0.3"})
    assert seen == [item["id"] for item in posted]


def test_query_since_and_stored_fields(server: ReferenceServer, api: Api) -> None:
    first = statement()
    api.xapi("POST", json=first)
    stored = api.xapi("GET", params={"statementId": first["id"]}).json()
    assert stored["stored"].endswith("Z") and stored["authority"]["account"]["name"] == "ana"
    later = statement()
    api.xapi("POST", json=later)
    assert later["id"] in stored_ids(api, since=stored["stored"])
    assert first["id"] not in stored_ids(api, since=stored["stored"])
    assert stored_ids(api, since="2999-01-01T00:00:00Z") == []


def test_other_learners_do_not_see_my_statements(server: ReferenceServer, api: Api) -> None:
    item = statement()
    api.xapi("POST", json=item)
    ben = Api(server.url, "ben")
    assert ben.xapi("GET", params={"statementId": item["id"]}).status_code == 404
    assert ben.xapi("GET").json()["statements"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"agent": "{not json"},
        {"agent": '{"name": "no identifier"}'},
        {"since": "soon"},
        {"limit": "-3"},
        {"unknown": "1"},
        {"more": "forged.token"},
        {"ascending": "maybe"},
        {"statementId": new_id(), "verb": "http://x.example/v"},
    ],
)
def test_bad_query_parameters_are_400(shared_api: Api, params: dict[str, str]) -> None:
    assert_problem(shared_api.xapi("GET", params=params), 400)


def test_put_stores_under_the_given_id(shared_api: Api) -> None:
    item = statement()
    statement_id = item.pop("id")
    response = shared_api.xapi("PUT", params={"statementId": statement_id}, json=item)
    assert response.status_code == 204
    assert shared_api.xapi("GET", params={"statementId": statement_id}).status_code == 200
    again = shared_api.xapi("PUT", params={"statementId": statement_id}, json=item)
    assert again.status_code == 204
    other = statement(id=new_id())
    mismatch = shared_api.xapi("PUT", params={"statementId": statement_id}, json=other)
    assert_problem(mismatch, 400)


def test_voided_statements_leave_queries(shared_api: Api) -> None:
    target = statement()
    shared_api.xapi("POST", json=target)
    voiding = statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": target["id"]},
    )
    assert shared_api.xapi("POST", json=voiding).status_code == 200
    assert target["id"] not in stored_ids(shared_api, limit="0")
    assert shared_api.xapi("GET", params={"statementId": target["id"]}).status_code == 404
    fetched = shared_api.xapi("GET", params={"voidedStatementId": target["id"]})
    assert fetched.status_code == 200
