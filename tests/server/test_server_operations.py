"""What an operator relies on: /healthz and /readyz, request ids in a header and in every
problem+json reply, one JSON access line per request without secrets, and a shutdown that lets
requests in flight finish."""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy.exc import OperationalError

from reference_server import ReferenceServer

from .testkit import PASSWORD, Api, assert_problem

REPOSITORY = Path(__file__).resolve().parents[2]
ABOUT = "/api/v1/about"


def test_healthz_and_readyz_answer_when_all_is_well(server: ReferenceServer) -> None:
    assert requests.get(server.url + "/healthz", timeout=10).json() == {"status": "alive"}
    assert requests.get(server.url + "/readyz", timeout=10).json() == {"status": "ready"}


@pytest.mark.expect_log("reference_server.operations", "The asset folder is missing.")
@pytest.mark.backend_neutral
def test_readyz_is_503_with_the_reason_while_the_asset_folder_is_gone(
    server: ReferenceServer, caplog: pytest.LogCaptureFixture
) -> None:
    assets = server.backend.assets.root
    moved = assets.with_name("assets-away")
    assets.rename(moved)
    try:
        response = requests.get(server.url + "/readyz", timeout=10)
        problem = assert_problem(response, 503)
        assert problem["type"].endswith("/not-ready")
        assert problem["detail"] == "The asset folder is missing."
        assert str(server.backend.data_dir) not in response.text  # the reply is public
        assert str(assets) in caplog.text  # the operator's log names the folder
        assert requests.get(server.url + "/healthz", timeout=10).status_code == 200
        assets.write_bytes(b"not a folder")
        assert requests.get(server.url + "/readyz", timeout=10).status_code == 503
    finally:
        assets.unlink(missing_ok=True)
        moved.rename(assets)
    assert requests.get(server.url + "/readyz", timeout=10).status_code == 200


@pytest.mark.backend_neutral
def test_readyz_is_503_when_the_database_cannot_be_reached(
    server: ReferenceServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable() -> None:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(server.backend.db, "read", unreachable)
    problem = assert_problem(requests.get(server.url + "/readyz", timeout=10), 503)
    assert problem["detail"] == "The database cannot be reached: OperationalError."


@pytest.mark.backend_neutral
def test_a_well_formed_request_id_is_kept_and_named_in_problems(server: ReferenceServer) -> None:
    given = {"X-Request-ID": "ward-7.laptop-3:42"}
    response = requests.get(server.url + "/api/v1/sync/catalog", headers=given, timeout=10)
    problem = assert_problem(response, 401, "unauthorized")
    assert response.headers["X-Request-ID"] == "ward-7.laptop-3:42"
    assert problem["request_id"] == "ward-7.laptop-3:42"


@pytest.mark.backend_neutral
def test_a_missing_or_malformed_request_id_is_replaced(server: ReferenceServer) -> None:
    seen = set()
    for headers in ({}, {"X-Request-ID": "two words"}, {"X-Request-ID": "x" * 200}):
        response = requests.get(server.url + ABOUT, headers=headers, timeout=10)
        assert response.status_code == 200
        request_id = response.headers["X-Request-ID"]
        assert len(request_id) == 32 and request_id.isalnum()
        seen.add(request_id)
    assert len(seen) == 3


@pytest.mark.backend_neutral
def test_every_kind_of_problem_names_the_request(server: ReferenceServer) -> None:
    api = Api(server.url, "ana")
    server.faults.add(ABOUT, status=503)
    replies = [
        requests.get(server.url + "/nowhere", timeout=10),  # 404 from the router
        requests.post(server.url + "/api/v1/auth/token", json={"username": 1}, timeout=10),  # 400
        requests.post(server.url + "/api/v1/auth/token", data=b"x" * (6 << 20), timeout=30),  # 413
        requests.get(server.url + ABOUT, timeout=10),  # 503 injected
        api.xapi("GET", {"statementId": "not-a-uuid"}),  # xAPI 400
    ]
    for reply in replies:
        assert reply.headers["Content-Type"].startswith("application/problem+json"), reply
        assert reply.json()["request_id"] == reply.headers["X-Request-ID"], reply.status_code


@pytest.mark.backend_neutral
def test_the_access_log_has_one_json_line_per_request_without_secrets(
    server: ReferenceServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="reference_server.access")
    api = Api(server.url, "ana")
    token = api.tokens["access_token"]
    api.get("/api/v1/sync/catalog", params={"cursor": "secret-cursor"})
    api.get("/nowhere", headers={"X-Request-ID": "req-1"})
    lines = _access_lines(caplog, 3)
    assert [(line["method"], line["path"], line["status"]) for line in lines] == [
        ("POST", "/api/v1/auth/token", 200),
        ("GET", "/api/v1/sync/catalog", 400),  # an unknown cursor
        ("GET", "/nowhere", 404),
    ]
    assert lines[2]["request_id"] == "req-1"
    assert all(line["duration_ms"] >= 0 and line["client"] == "127.0.0.1" for line in lines)
    text = caplog.text
    for secret in (token, api.tokens["refresh_token"], PASSWORD, "secret-cursor"):
        assert secret not in text


def _access_lines(caplog: pytest.LogCaptureFixture, count: int) -> list[dict]:
    """The access lines, once `count` are written (each is written as its reply ends)."""
    deadline = time.monotonic() + 10
    while True:
        records = [r for r in caplog.records if r.name == "reference_server.access"]
        if len(records) >= count or time.monotonic() > deadline:
            return [json.loads(record.getMessage()) for record in records]
        time.sleep(0.01)


@pytest.mark.backend_neutral
def test_stopping_lets_a_request_in_flight_finish(server: ReferenceServer) -> None:
    server.faults.add(ABOUT, delay=1.5)
    replies: list[requests.Response] = []
    slow = threading.Thread(
        target=lambda: replies.append(requests.get(server.url + ABOUT, timeout=30))
    )
    slow.start()
    deadline = time.monotonic() + 10
    while not any(r.path == ABOUT for r in server.requests) and time.monotonic() < deadline:
        time.sleep(0.01)
    url = server.url
    server.stop()
    slow.join(timeout=30)
    assert [reply.status_code for reply in replies] == [200]
    with pytest.raises(requests.ConnectionError):
        requests.get(url + ABOUT, timeout=5)


CHILD = """
import sys, threading, time
from reference_server.__main__ import run_until_signal
from reference_server.server import ReferenceServer
server = ReferenceServer(sys.argv[1], shutdown_grace=30)
server.faults.add("/api/v1/about", delay=2)
server.start()

def tell_when_in_flight():
    while not any(r.path == "/api/v1/about" for r in server.requests):
        time.sleep(0.01)
    print("in flight", flush=True)

threading.Thread(target=tell_when_in_flight, daemon=True).start()
run_until_signal(server)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is a POSIX signal")
def test_sigterm_lets_a_slow_request_finish(tmp_path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path / "data")],
        cwd=REPOSITORY,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = (child.stdout.readline() if child.stdout else "").split()[-1]
        replies: list[requests.Response] = []
        slow = threading.Thread(
            target=lambda: replies.append(requests.get(url + ABOUT, timeout=30))
        )
        slow.start()
        assert child.stdout is not None and child.stdout.readline().strip() == "in flight"
        child.send_signal(signal.SIGTERM)  # inside the request's 2 s delay
        slow.join(timeout=30)
        assert child.wait(timeout=30) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert [reply.status_code for reply in replies] == [200]
    assert replies[0].json()["api_version"] == "1"


@pytest.mark.backend_neutral
def test_a_500_names_the_request_too(
    server: ReferenceServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(server.backend.authenticator, "sign_in", broken)
    response = requests.post(
        server.url + "/api/v1/auth/token",
        json={"username": "ana", "password": PASSWORD},
        headers={"X-Request-ID": "bug-report-1"},
        timeout=10,
    )
    problem = assert_problem(response, 500, "server-error")
    assert problem["request_id"] == response.headers["X-Request-ID"] == "bug-report-1"
    assert "a bug" not in response.text
