"""Fixtures for the xAPI 1.0.3 conformance tests: a learner's LRS client on a module's server
(each test on SQLite and on PostgreSQL) and statements to send it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from reference_server import ReferenceServer

from ..testkit import Api, new_id

VERSION = {"X-Experience-API-Version": "1.0.3"}
ANA = {"objectType": "Agent", "account": {"homePage": "https://rounds.example", "name": "u-ana"}}
COMPLETED = {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}}
LESSON = "https://rounds.example/lessons/l-1"


def statement(**changes: Any) -> dict[str, Any]:
    """A valid statement with a fresh id; `changes` replace its top-level properties."""
    base: dict[str, Any] = {
        "id": new_id(),
        "actor": ANA,
        "verb": COMPLETED,
        "object": {"objectType": "Activity", "id": LESSON},
        "timestamp": "2026-11-20T10:00:00.000Z",
    }
    base.update(changes)
    return base


def agent_param(agent: dict[str, Any] = ANA) -> str:
    return json.dumps(agent)


@pytest.fixture(scope="module")
def lrs(shared_server: ReferenceServer) -> Iterator[Api]:
    """Ana, signed in to the module's server: `lrs.xapi(method, params, ...)` sends the version
    header."""
    client = Api(shared_server.url, "ana")
    yield client
    client.close()
