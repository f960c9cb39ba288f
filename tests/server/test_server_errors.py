"""Bad input always gets a 4xx problem document and changes nothing; injected faults work."""

from __future__ import annotations

import time

import pytest
import requests

from reference_server import ReferenceServer

from .testkit import Api, assert_problem, new_id

POST_PATHS = ["/api/v1/auth/token", "/api/v1/auth/refresh", "/api/v1/checkins"]


@pytest.mark.parametrize("path", POST_PATHS)
@pytest.mark.parametrize("body", [b"{not json", b"", b"[1, 2]", b"null", b"\xff\xfe"])
@pytest.mark.backend_neutral
def test_malformed_json_is_400(shared_api: Api, path: str, body: bytes) -> None:
    response = shared_api.post(path, data=body, headers={"Content-Type": "application/json"})
    assert_problem(response, 400, "invalid-request")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/auth/token", {"username": ["ana"], "password": "x"}),
        ("/api/v1/auth/token", {"username": "ana", "password": 12345}),
        ("/api/v1/auth/token", {"username": "ana"}),
        ("/api/v1/auth/refresh", {"refresh_token": {"nested": True}}),
        ("/api/v1/checkins", {"id": 5, "residency_id": "r", "code": "c", "device_time": "x"}),
    ],
)
@pytest.mark.backend_neutral
def test_wrong_types_are_400_and_never_echo_the_input(shared_api: Api, path: str, body) -> None:
    problem = assert_problem(shared_api.post(path, json=body), 400, "invalid-request")
    assert problem["errors"] and "input" not in str(problem["errors"])


@pytest.mark.backend_neutral
def test_oversized_bodies_are_413(shared_server: ReferenceServer, shared_api: Api) -> None:
    big = b"[" + b'"x",' * (6 * 1024 * 1024 // 4) + b'"x"]'
    for path in ("/api/v1/checkins", "/xapi/statements", "/api/v1/auth/token"):
        response = shared_api.post(
            path,
            data=big,
            headers={"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3"},
        )
        assert_problem(response, 413, "payload-too-large")

    def chunked():
        for _ in range(6):
            yield b" " * (1024 * 1024)

    streamed = shared_api.post("/api/v1/checkins", data=chunked())
    assert_problem(streamed, 413, "payload-too-large")
    assert shared_server.admin.list_checkins("r-chicago") == []


@pytest.mark.backend_neutral
def test_unknown_routes_and_methods_are_problems(shared_api: Api) -> None:
    assert_problem(shared_api.get("/api/v1/nothing-here"), 404, "not-found")
    assert_problem(shared_api.request("DELETE", "/api/v1/sync/catalog"), 405, "invalid-request")
    assert_problem(shared_api.get("/api/v1/checkins"), 405)


@pytest.mark.backend_neutral
def test_openapi_document_is_served(shared_server: ReferenceServer) -> None:
    document = requests.get(shared_server.url + "/openapi.json", timeout=10).json()
    for path in (
        "/api/v1/auth/token",
        "/api/v1/sync/catalog",
        "/api/v1/checkins",
        "/api/v1/assets/{sha256}",
        "/xapi/statements",
    ):
        assert path in document["paths"]


@pytest.mark.backend_neutral
def test_badge_key_needs_no_token(shared_server: ReferenceServer) -> None:
    key = requests.get(shared_server.url + "/api/v1/badge-key", timeout=10).json()
    assert key["algorithm"] == "Ed25519"
    assert key["public_key_pem"].startswith("-----BEGIN PUBLIC KEY-----")


@pytest.mark.backend_neutral
def test_injected_status_with_retry_after_then_normal(
    shared_server: ReferenceServer, shared_api: Api
) -> None:
    shared_server.faults.add("/api/v1/sync/catalog", status=429, count=2, retry_after=7)
    for _ in range(2):
        response = shared_api.get("/api/v1/sync/catalog")
        assert_problem(response, 429, "rate-limited")
        assert response.headers["Retry-After"] == "7"
    assert shared_api.get("/api/v1/sync/catalog").status_code == 200
    assert shared_server.faults.pending == 0


@pytest.mark.backend_neutral
def test_injected_malformed_body(shared_server: ReferenceServer, shared_api: Api) -> None:
    shared_server.faults.add("/api/v1/sync/schedule", body='{"items": [', method="GET")
    response = shared_api.get("/api/v1/sync/schedule")
    assert response.status_code == 200 and response.content == b'{"items": ['
    with pytest.raises(requests.JSONDecodeError):
        response.json()
    assert shared_api.get("/api/v1/sync/schedule").json()["has_more"] is False


@pytest.mark.backend_neutral
def test_injected_delay_and_method_filter(shared_server: ReferenceServer, shared_api: Api) -> None:
    shared_server.faults.add("/api/v1/sync/catalog", delay=0.5, method="GET")
    started = time.monotonic()
    assert shared_api.get("/api/v1/sync/catalog").status_code == 200
    assert time.monotonic() - started >= 0.5
    shared_server.faults.add("/api/v1/checkins", status=503, method="GET")
    assert shared_api.get("/api/v1/sync/catalog").status_code == 200
    assert shared_server.faults.pending == 1
    shared_server.faults.clear()


@pytest.mark.backend_neutral
def test_request_log_keeps_headers_but_not_credentials(
    shared_server: ReferenceServer, shared_api: Api
) -> None:
    shared_server.clear_requests()
    shared_api.get("/api/v1/sync/catalog", params={"limit": 5}, headers={"Range": "bytes=1-"})
    ((method, path, headers, query),) = shared_server.requests
    assert (method, path, query) == ("GET", "/api/v1/sync/catalog", "limit=5")
    assert headers["Range"] == "bytes=1-"
    assert headers["authorization"] == "Bearer [redacted]"
    assert shared_api.tokens["access_token"] not in str(shared_server.requests)


def test_bad_input_never_reaches_a_500(shared_api: Api) -> None:
    probes = [
        ("GET", "/api/v1/sync/catalog", {"params": {"cursor": "\u00e9" * 50}}),
        ("GET", "/api/v1/sync/catalog", {"params": {"cursor": "x" * 5000}}),
        ("GET", "/api/v1/assets/" + "g" * 64, {}),
        (
            "POST",
            "/api/v1/checkins",
            {
                "json": {
                    "id": new_id(),
                    "residency_id": "\u0000",
                    "code": "",
                    "device_time": "2027-01-01T00:00:00Z",
                }
            },
        ),
        ("POST", "/api/v1/auth/token", {"json": {"username": "a" * 10_000, "password": "b"}}),
        (
            "GET",
            "/xapi/statements",
            {"params": {"agent": "[]"}, "headers": {"X-Experience-API-Version": "1.0.3"}},
        ),
        (
            "POST",
            "/xapi/statements",
            {"data": b"[" * 5000 + b"]" * 5000, "headers": {"X-Experience-API-Version": "1.0.3"}},
        ),
        ("POST", "/api/v1/checkins", {"data": b"[" * 5000 + b"]" * 5000}),
    ]
    for method, path, kwargs in probes:
        response = shared_api.request(method, path, **kwargs)
        assert 400 <= response.status_code < 500, (path, response.status_code, response.text)
        assert response.headers["Content-Type"].startswith("application/problem+json")
