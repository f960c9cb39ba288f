"""xAPI batches stored in one transaction: a batch voids its own statements too."""

from __future__ import annotations

from .test_server_xapi import statement, stored_ids
from .testkit import Api

VOIDED = {"id": "http://adlnet.gov/expapi/verbs/voided"}


def test_a_batch_voids_a_statement_of_the_same_batch(shared_api: Api) -> None:
    target, kept = statement(), statement()
    voiding = statement(verb=VOIDED, object={"objectType": "StatementRef", "id": target["id"]})
    response = shared_api.xapi("POST", json=[target, voiding, kept])
    assert response.status_code == 200, response.text
    assert shared_api.xapi("GET", params={"statementId": target["id"]}).status_code == 404
    assert shared_api.xapi("GET", params={"voidedStatementId": target["id"]}).status_code == 200
    listed = stored_ids(shared_api, limit="0")
    assert target["id"] not in listed
    assert {voiding["id"], kept["id"]} <= set(listed)


def test_a_repeated_batch_with_its_voiding_statement_changes_nothing(shared_api: Api) -> None:
    target = statement()
    voiding = statement(verb=VOIDED, object={"objectType": "StatementRef", "id": target["id"]})
    batch = [target, voiding]
    assert shared_api.xapi("POST", json=batch).status_code == 200
    assert shared_api.xapi("POST", json=batch).status_code == 200
    assert shared_api.xapi("GET", params={"voidedStatementId": target["id"]}).status_code == 200
    assert stored_ids(shared_api, limit="0").count(voiding["id"]) == 1
