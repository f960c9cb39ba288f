"""Refreshing one token many times at once, over two workers sharing one database on
PostgreSQL (one server on SQLite): each refresh answers 200 or 401 as the token's state allows
when it runs, never a 500, and a refused token stays refused everywhere."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from server_fixture import ServerClock
from sqlalchemy import Connection, Engine, create_engine, text, update

from reference_server import ReferenceServer
from reference_server.auth import REFRESH_GRACE, token_digest
from reference_server.models import RefreshToken
from reference_server.problems import ProblemError

from .testkit import Api

AT_ONCE = 8


@pytest.fixture
def workers(
    server: ReferenceServer, database_url: str | None, tmp_path: Path, server_clock: ServerClock
) -> Iterator[list[ReferenceServer]]:
    """Two servers over one database, on one clock, on PostgreSQL; the one server on SQLite."""
    if database_url is None:
        yield [server]
        return
    data = shutil.copytree(server.backend.data_dir, tmp_path / "second-worker")
    with ReferenceServer(data, database_url=database_url, clock=server_clock) as second:
        yield [server, second]


def _refresh_at_once(workers: list[ReferenceServer], token: str) -> list[requests.Response]:
    start = threading.Barrier(AT_ONCE)
    sessions = [requests.Session() for _ in range(AT_ONCE)]

    def refresh(index: int) -> requests.Response:
        url = workers[index % len(workers)].url + "/api/v1/auth/refresh"
        start.wait(timeout=30)
        return sessions[index].post(url, json={"refresh_token": token}, timeout=30)

    try:
        with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
            return list(pool.map(refresh, range(AT_ONCE)))
    finally:
        for session in sessions:
            session.close()


def test_refreshes_of_one_token_at_once_each_get_their_own_tokens(
    workers: list[ReferenceServer],
) -> None:
    """Within the grace a rotated token still refreshes (its successor's reply may have been
    lost), so every refresh at once succeeds, each with new tokens of its own."""
    api = Api(workers[0].url, "ana")
    replies = _refresh_at_once(workers, api.tokens["refresh_token"])
    assert [reply.status_code for reply in replies] == [200] * AT_ONCE, [r.text for r in replies]
    successors = {reply.json()["refresh_token"] for reply in replies}
    assert len(successors) == AT_ONCE
    api.close()


def test_a_token_past_its_grace_is_refused_by_every_refresh_at_once(
    workers: list[ReferenceServer], server_clock: ServerClock
) -> None:
    api = Api(workers[0].url, "ana")
    token = api.tokens["refresh_token"]
    first = api.http.post(
        workers[0].url + "/api/v1/auth/refresh", json={"refresh_token": token}, timeout=30
    )
    assert first.status_code == 200
    server_clock.advance(REFRESH_GRACE.total_seconds() + 1)
    replies = _refresh_at_once(workers, token)
    assert [reply.status_code for reply in replies] == [401] * AT_ONCE, [r.text for r in replies]
    successor = first.json()["refresh_token"]
    again = _refresh_at_once(workers, successor)
    assert [reply.status_code for reply in again] == [200] * AT_ONCE
    api.close()


def test_refreshes_racing_a_sign_out_leave_the_token_refused(
    workers: list[ReferenceServer],
) -> None:
    api = Api(workers[0].url, "ana")
    token = api.tokens["refresh_token"]
    body = {"refresh_token": token}
    start = threading.Barrier(2)

    def sign_out() -> int:
        start.wait(timeout=30)
        url = workers[-1].url + "/api/v1/auth/revoke"
        return requests.post(url, json=body, timeout=30).status_code

    with ThreadPoolExecutor(max_workers=1) as pool:
        revoked = pool.submit(sign_out)
        start.wait(timeout=30)
        replies = _refresh_at_once(workers, token)
        assert revoked.result(timeout=30) == 204
    assert {reply.status_code for reply in replies} <= {200, 401}, [r.text for r in replies]
    after = _refresh_at_once(workers, token)
    assert [reply.status_code for reply in after] == [401] * AT_ONCE
    api.close()


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_refresh_waiting_on_a_sign_out_in_progress_is_refused(
    server: ReferenceServer, database_url: str
) -> None:
    """A sign-out (on another worker) has revoked the token but not yet committed; a refresh
    arriving then waits for it and is refused, instead of rotating the token it read before."""
    api = Api(server.url, "ana")
    digest = token_digest(api.tokens["refresh_token"])
    engine = create_engine(database_url)
    outcome: list[object] = []

    def refresh() -> None:
        try:
            outcome.append(server.backend.authenticator.refresh(api.tokens["refresh_token"]))
        except ProblemError as error:
            outcome.append(error.status)

    try:
        with engine.connect() as signing_out:
            signing_out.execute(
                update(RefreshToken).filter_by(token_hash=digest).values(revoked=True)
            )
            waiting = threading.Thread(target=refresh)
            waiting.start()
            _wait_until_blocked(engine, signing_out)
            signing_out.commit()
        waiting.join(timeout=30)
    finally:
        engine.dispose()
    assert outcome == [401]
    api.close()


def _wait_until_blocked(engine: Engine, holder: Connection) -> None:
    """Until another session waits for a lock `holder`'s transaction holds."""
    holder_pid = holder.execute(text("SELECT pg_backend_pid()")).scalar()
    query = text("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))")
    deadline = time.monotonic() + 20
    with engine.connect() as watcher:
        while time.monotonic() < deadline:
            if watcher.execute(query, {"pid": holder_pid}).scalar():
                return
            watcher.rollback()
            time.sleep(0.02)
    raise AssertionError("the refresh never waited for the sign-out")
