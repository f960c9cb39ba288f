"""The reference server's proxy to the organisation's LRS (Learning Locker here): learners
sign in with their own bearer token, the server alone holds the LRS's Basic credentials, and
a learner can neither write nor read statements about anyone else through it."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from progress_sync.devices import Device, open_device, start_server

from desktop_app.config import Settings
from desktop_app.sync.lrs import LrsConfig, statements_endpoint
from desktop_app.sync.outbox import Outbox
from desktop_app.sync.reconciliation import Reconciliation, registration_scopes
from desktop_app.sync.statements_pull import StatementsPull
from reference_server import ReferenceServer
from reference_server.lrs_proxy import (
    PASSWORD_VARIABLE,
    PATH,
    URL_VARIABLE,
    USERNAME_VARIABLE,
    UpstreamLrs,
    UpstreamLrsError,
)

from .learning_locker import LearningLocker

KEY, SECRET = "rounds-server-key", "rounds-server-secret"
XAPI_HEADERS = {"X-Experience-API-Version": "1.0.3"}


@pytest.fixture
def server(tmp_path: Path, lrs: LearningLocker) -> Iterator[ReferenceServer]:
    """The reference server with the organisation's LRS (`lrs`) behind it, as the operator's
    ROUNDS_LRS_URL, ROUNDS_LRS_USERNAME and ROUNDS_LRS_PASSWORD set it."""
    environ = {URL_VARIABLE: lrs.endpoint, USERNAME_VARIABLE: KEY, PASSWORD_VARIABLE: SECRET}
    running = start_server(tmp_path / "server", lrs_upstream=UpstreamLrs.from_environ(environ))
    yield running
    running.stop()


@pytest.fixture
def devices(server: ReferenceServer, tmp_path: Path) -> Iterator[tuple[Device, Device]]:
    laptop = open_device(server.url, tmp_path / "laptop.sqlite3")
    desktop = open_device(server.url, tmp_path / "desktop.sqlite3")
    for device in (laptop, desktop):
        device.endpoint.close()
        config = LrsConfig.from_settings(Settings(lrs_endpoint=server.url + "/lrs/xapi"))
        device.endpoint = statements_endpoint(config, device.api)
    yield laptop, desktop
    laptop.close()
    desktop.close()


def held_by_lrs(lrs: LearningLocker, agent: dict[str, Any]) -> set[str]:
    params = {"agent": json.dumps(agent), "limit": "1000"}
    reply = requests.get(f"{lrs.endpoint}/statements", params=params, auth=(KEY, SECRET),
                         headers=XAPI_HEADERS, timeout=10)  # fmt: skip
    reply.raise_for_status()
    return {statement["id"] for statement in reply.json()["statements"]}


def test_progress_goes_through_the_server_to_the_lrs_and_back_with_the_learner_token(
    lrs: LearningLocker, server: ReferenceServer, devices: tuple[Device, Device]
) -> None:
    laptop, desktop = devices
    made = laptop.record(12)

    assert Outbox(laptop.queue, laptop.endpoint, batch_size=5).upload().complete

    assert held_by_lrs(lrs, laptop.log.actor.to_xapi()) == set(made)
    pulled = StatementsPull(desktop.exchange, desktop.endpoint, page_size=5).run()
    assert pulled.pages >= 3 and pulled.merged == len(made)  # `more` links through the proxy
    scopes = registration_scopes(desktop.log.builder, ["c-foundations"])
    again = Reconciliation(desktop.exchange, desktop.endpoint, scopes, page_size=5).run()
    assert again.complete and (again.received, again.merged) == (len(made), 0)
    proxied = [r for r in server.requests if r.path == PATH]
    assert proxied and {r.headers["authorization"] for r in proxied} == {"Bearer [redacted]"}


def test_a_statement_about_someone_else_is_refused_and_not_sent(
    lrs: LearningLocker, server: ReferenceServer, devices: tuple[Device, Device]
) -> None:
    laptop, _ = devices
    ben = {"objectType": "Agent", "account": {"homePage": "https://rounds.example", "name": "ben"}}
    statement = {
        "id": str(uuid.uuid4()), "actor": ben, "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"objectType": "Activity", "id": "https://rounds.example/activities/lesson/x"},
    }  # fmt: skip
    mine = laptop.record(1)
    pending = laptop.queue.pending_batch(10)
    body = "[" + ",".join([text for _, text in pending] + [json.dumps(statement)]) + "]"

    reply = laptop.endpoint.post(body.encode())

    assert reply.refused and "only name the signed-in learner" in reply.reason
    assert held_by_lrs(lrs, ben) == set() and held_by_lrs(lrs, laptop.log.actor.to_xapi()) == set()
    assert Outbox(laptop.queue, laptop.endpoint).upload().complete
    assert held_by_lrs(lrs, laptop.log.actor.to_xapi()) == set(mine)


def test_reading_is_only_ever_the_learner_own_statements(
    server: ReferenceServer, lrs: LearningLocker, devices: tuple[Device, Device], tmp_path: Path
) -> None:
    laptop, _ = devices
    ben = open_device(server.url, tmp_path / "ben.sqlite3", "ben")
    try:
        config = LrsConfig.from_settings(Settings(lrs_endpoint=server.url + "/lrs/xapi"))
        ben.endpoint.close()
        ben.endpoint = statements_endpoint(config, ben.api)
        bens = ben.record(3)
        assert Outbox(ben.queue, ben.endpoint).upload().complete
        token = laptop.tokens.load()
        assert token is not None
        asked = {"agent": json.dumps(ben.log.actor.to_xapi())}
        headers = {**XAPI_HEADERS, "Authorization": f"Bearer {token.access_token}"}
        reply = requests.get(server.url + PATH, params=asked, headers=headers, timeout=10)
        assert reply.status_code == 200 and reply.json()["statements"] == []
        by_id = requests.get(server.url + PATH, params={"statementId": bens[0]}, headers=headers,
                             timeout=10)  # fmt: skip
        assert by_id.status_code == 400
        statements = urlsplit(lrs.endpoint).path + "/statements"
        for more in (f"{statements}?statementId={bens[0]}", urlsplit(lrs.endpoint).path + "/about"):
            reply = requests.get(server.url + PATH, params={"more": more}, headers=headers,
                                 timeout=10)  # fmt: skip
            assert reply.status_code == 400, more
        voiding = {
            "id": str(uuid.uuid4()), "actor": laptop.log.actor.to_xapi(),
            "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
            "object": {"objectType": "StatementRef", "id": bens[0]},
        }  # fmt: skip
        refused = laptop.endpoint.post(json.dumps(voiding).encode())
        assert refused.refused and "may not void" in refused.reason
        assert set(bens) <= held_by_lrs(lrs, ben.log.actor.to_xapi())
        anonymous = requests.get(server.url + PATH, headers=XAPI_HEADERS, timeout=10)
        assert anonymous.status_code == 401
    finally:
        ben.close()


def test_the_operator_settings_are_checked() -> None:
    assert UpstreamLrs.from_environ({}) is None
    with pytest.raises(UpstreamLrsError, match="ROUNDS_LRS_PASSWORD too"):
        UpstreamLrs.from_environ({URL_VARIABLE: "https://lrs.example.org/xapi"})
    with pytest.raises(UpstreamLrsError, match="not an http"):
        UpstreamLrs.from_environ({URL_VARIABLE: "lrs.example.org", USERNAME_VARIABLE: "k"})
    upstream = UpstreamLrs.from_environ(
        {URL_VARIABLE: "https://lrs.example.org/xapi/", USERNAME_VARIABLE: "k",
         PASSWORD_VARIABLE: "s3cret"}
    )  # fmt: skip
    assert upstream is not None and upstream.statements_url.endswith("/xapi/statements")
    assert "s3cret" not in repr(upstream)
