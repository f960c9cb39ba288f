"""Writes that race: many requests at once, spread over two servers that share one database
(two workers behind a load balancer) on PostgreSQL, on one server on SQLite (SQLite serves a
single process). The database settles every race: never a 500, one row per id."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from reference_server import ReferenceServer
from reference_server.login_limits import username_key
from reference_server.models import Checkin, LoginFailures, Statement

from .test_server_checkins import _check_in
from .test_server_xapi import statement
from .testkit import Api

POSTS = 20


@pytest.fixture
def workers(
    server: ReferenceServer, database_url: str | None, tmp_path: Path
) -> Iterator[list[ReferenceServer]]:
    """Two servers over one database on PostgreSQL; the one server on SQLite."""
    if database_url is None:
        yield [server]
        return
    data = shutil.copytree(server.backend.data_dir, tmp_path / "second-worker")
    with ReferenceServer(data, database_url=database_url) as second:
        yield [server, second]


def _at_once(calls: list[Callable[[], requests.Response]]) -> list[requests.Response]:
    """Every call, each from its own thread, released together."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], requests.Response]) -> requests.Response:
        start.wait(timeout=30)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def _learners(workers: list[ReferenceServer], count: int) -> list[Api]:
    """`count` signed-in devices of ana's, spread over the workers."""
    return [Api(workers[index % len(workers)].url, "ana") for index in range(count)]


def _count(server: ReferenceServer, model: Any, **where: str) -> int:
    with server.backend.db.read() as session:
        query = select(func.count()).select_from(model).filter_by(**where)
        return int(session.scalar(query) or 0)


def test_the_same_statement_posted_20_times_at_once_is_stored_once(
    workers: list[ReferenceServer],
) -> None:
    devices = _learners(workers, POSTS)
    sent = statement()
    replies = _at_once([partial(api.xapi, "POST", json=sent) for api in devices])
    assert [reply.status_code for reply in replies] == [200] * POSTS, [r.text for r in replies]
    assert all(reply.json() == [sent["id"]] for reply in replies)
    assert _count(workers[0], Statement, id=sent["id"]) == 1


def test_one_id_with_two_contents_at_once_stores_one_and_refuses_the_other(
    workers: list[ReferenceServer],
) -> None:
    devices = _learners(workers, POSTS)
    first = statement()
    other = {**first, "result": {"completion": True, "score": {"scaled": 0.1}}}
    bodies = [first if index % 2 else other for index in range(POSTS)]
    replies = _at_once(
        [partial(api.xapi, "POST", json=body) for api, body in zip(devices, bodies, strict=True)]
    )
    statuses = [reply.status_code for reply in replies]
    assert set(statuses) == {200, 409}, [r.text for r in replies]
    kept = devices[0].xapi("GET", params={"statementId": first["id"]}).json()
    winners = [
        body["result"] for body, status in zip(bodies, statuses, strict=True) if status == 200
    ]
    assert winners == [kept["result"]] * len(winners)
    assert _count(workers[0], Statement, id=first["id"]) == 1


def test_the_same_check_in_at_once_is_201_once_and_the_first_answer_after(
    workers: list[ReferenceServer],
) -> None:
    devices = _learners(workers, POSTS)
    checkin_id = str(statement()["id"])
    replies = _at_once([partial(_check_in, api, checkin_id) for api in devices])
    statuses = sorted(reply.status_code for reply in replies)
    assert statuses == [200] * (POSTS - 1) + [201], [r.text for r in replies]
    assert len({reply.text for reply in replies}) == 1
    assert _count(workers[0], Checkin, residency_id="r-chicago") == 1


def test_one_refresh_token_used_at_once_rotates_without_a_500(
    workers: list[ReferenceServer],
) -> None:
    device = _learners(workers, 1)[0]
    refresh_token = device.tokens["refresh_token"]

    def refresh(url: str) -> requests.Response:
        return requests.post(
            url + "/api/v1/auth/refresh", json={"refresh_token": refresh_token}, timeout=30
        )

    urls = [workers[index % len(workers)].url for index in range(POSTS)]
    replies = _at_once([partial(refresh, url) for url in urls])
    assert [reply.status_code for reply in replies] == [200] * POSTS, [r.text for r in replies]
    assert len({reply.json()["refresh_token"] for reply in replies}) == POSTS


def test_signing_in_at_once_gives_every_device_its_tokens(
    workers: list[ReferenceServer],
) -> None:
    apis = [Api(workers[index % len(workers)].url, "") for index in range(POSTS)]
    replies = _at_once([partial(api.sign_in, "ana") for api in apis])
    assert [reply.status_code for reply in replies] == [200] * POSTS, [r.text for r in replies]


def test_wrong_passwords_at_once_are_each_counted_once(workers: list[ReferenceServer]) -> None:
    apis = [Api(workers[index % len(workers)].url, "") for index in range(POSTS)]
    replies = _at_once([partial(api.sign_in, "ben", "wrong") for api in apis])
    statuses = [reply.status_code for reply in replies]
    assert set(statuses) <= {401, 429}, [r.text for r in replies]
    with workers[0].backend.db.read() as session:
        row = session.get(LoginFailures, username_key("ben"))
    assert row is not None and row.count == statuses.count(401)
