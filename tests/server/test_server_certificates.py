"""Course certificates over HTTP: refused until the server's own statements show the course
complete (every lesson done, the quiz passed), then issued with a stable id and a token the
badge key signs; verified online without sign-in; revoked by the organiser's command and listed
in the signed revocation list."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
import requests

from reference_server import ReferenceServer
from reference_server.__main__ import main
from reference_server.badges import load_public_key

from .testkit import Api, assert_problem, new_id

VERBS = "http://adlnet.gov/expapi/verbs/"
LESSONS = "https://rounds.example/activities/lesson/"


def _statement(username: str, lesson_id: str, verb: str, when: str) -> dict[str, Any]:
    return {
        "id": new_id(),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": "https://rounds.example", "name": f"u-{username}"},
        },
        "verb": {"id": VERBS + verb, "display": {"en-US": verb}},
        "object": {"objectType": "Activity", "id": LESSONS + lesson_id},
        "timestamp": when,
    }


def _record(api: Api, *statements: dict[str, Any]) -> None:
    response = api.xapi("POST", json=list(statements))
    assert response.status_code == 200, response.text


def _payload(token: str) -> dict[str, Any]:
    body = token.partition(".")[0]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return decoded


def _signature_holds(server: ReferenceServer, token: str) -> bool:
    key = requests.get(server.url + "/api/v1/badge-key", timeout=30).json()["public_key"]
    body, _, signature = token.partition(".")
    raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    load_public_key(key).verify(raw, payload)
    return True


def test_issued_only_when_complete_then_verified_and_revoked(
    server: ReferenceServer, api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    ask = "/api/v1/courses/c-foundations/certificate"
    _record(
        api,
        _statement("ana", "l-foundations-welcome", "completed", "2026-11-20T10:00:00Z"),
        _statement("ana", "l-foundations-read", "completed", "2026-11-20T10:30:00Z"),
        _statement("ana", "l-foundations-quiz", "failed", "2026-11-20T11:00:00Z"),
        _statement("ana", "l-foundations-quiz", "completed", "2026-11-20T11:00:01Z"),
    )
    refused = assert_problem(api.post(ask), 409, "course-not-complete")
    assert "quiz passed" in refused["detail"]

    _record(api, _statement("ana", "l-foundations-quiz", "passed", "2026-11-21T09:00:00Z"))
    issued = api.post(ask)
    assert issued.status_code == 200, issued.text
    certificate = issued.json()
    assert certificate["status"] == "valid"
    assert certificate["learner"] == "Ana Ortiz"
    assert certificate["course_title"] == "Course foundations"
    assert certificate["completed_at"] == "2026-11-21T09:00:00Z"
    assert certificate["hours"] == round(8 / 3600, 2)
    payload = _payload(certificate["token"])
    assert payload["id"] == certificate["id"] and payload["learner"] == "Ana Ortiz"
    assert _signature_holds(server, certificate["token"])
    assert api.post(ask).json() == certificate  # the same id and token when asked again
    assert api.get("/api/v1/certificates").json()["certificates"] == [certificate]

    public = requests.get(f"{server.url}/api/v1/certificates/{certificate['id']}", timeout=30)
    assert public.status_code == 200 and public.json()["status"] == "valid"
    assert_problem(requests.get(f"{server.url}/api/v1/certificates/RC-NONE", timeout=30), 404)

    revoke = ["certificates", "--data", str(server.backend.data_dir), *_db(server), "revoke"]
    assert main([*revoke, certificate["id"].lower()]) == 0
    assert capsys.readouterr().out.strip() == f"{certificate['id']}: revoked"
    public = requests.get(f"{server.url}/api/v1/certificates/{certificate['id']}", timeout=30)
    assert public.json()["status"] == "revoked" and public.json()["revoked_at"]
    listed = requests.get(server.url + "/api/v1/certificates/revoked", timeout=30).json()
    assert [entry["id"] for entry in listed["revoked"]] == [certificate["id"]]
    assert _payload(listed["token"])["revoked"] == listed["revoked"]
    assert _signature_holds(server, listed["token"])
    assert_problem(api.post(ask), 403)


def _db(server: ReferenceServer) -> list[str]:
    url = server.backend.db.engine.url.render_as_string(hide_password=False)
    return [] if url.startswith("sqlite") else ["--database-url", url]


def test_another_learners_statements_do_not_complete_the_course(server: ReferenceServer) -> None:
    ben = Api(server.url, "ben")
    try:
        _record(ben, _statement("ben", "l-privacy-read", "completed", "2026-11-20T10:00:00Z"))
        ana = Api(server.url, "ana")
        try:
            assert_problem(ana.post("/api/v1/courses/c-privacy/certificate"), 409)
            assert_problem(ana.post("/api/v1/courses/c-nowhere/certificate"), 404)
        finally:
            ana.close()
        assert ben.post("/api/v1/courses/c-privacy/certificate").status_code == 200
    finally:
        ben.close()
