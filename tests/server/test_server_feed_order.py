"""The statement feed across writers: a statement that commits after a later one must still
reach a reader who already read the later one. Two writers on one PostgreSQL database, the
first stalled inside its transaction (a trigger waits on a lock the test holds)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from reference_server import ReferenceServer
from reference_server.auth import AuthenticatedUser
from reference_server.xapi_store import StatementQuery

from .postgres_cluster import PostgresCluster
from .test_server_xapi import statement

ANA = AuthenticatedUser("u-ana", "ana", "Ana Ortiz")
AUTHORITY = {
    "objectType": "Agent",
    "account": {"homePage": "https://rounds.example", "name": "ana"},
}
STALLED_VERB = "https://rounds.example/verbs/stalled"
GATE = 4_242  # the advisory lock the stalled writer waits on
STALL = f"""
CREATE FUNCTION stall() RETURNS trigger AS $$
BEGIN
    IF NEW.verb_id = '{STALLED_VERB}' THEN PERFORM pg_advisory_xact_lock({GATE}); END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER stall BEFORE INSERT ON statements FOR EACH ROW EXECUTE FUNCTION stall();
"""


@pytest.fixture
def gate(
    backend: str, server: ReferenceServer, postgres_cluster: PostgresCluster
) -> Iterator[psycopg.Connection[Any]]:
    """A connection to the server's database holding the lock the stalled writer waits on."""
    if backend != "postgresql":
        pytest.skip("SQLite serves one process, which writes one transaction at a time")
    name = server.backend.db.engine.url.database
    assert name
    with postgres_cluster.connect(name) as connection:
        connection.execute(STALL)
        connection.execute("SELECT pg_advisory_lock(%s)", (GATE,))
        yield connection


def _waiting(gate: psycopg.Connection[Any], count: int) -> None:
    """Until `count` other transactions wait for a lock."""
    deadline = time.monotonic() + 20
    query = "SELECT count(*) FROM pg_locks WHERE NOT granted"
    while (row := gate.execute(query).fetchone()) is None or row[0] < count:
        assert time.monotonic() < deadline, "the writers never reached their locks"
        time.sleep(0.02)


def _settled(gate: psycopg.Connection[Any], writer: threading.Thread) -> None:
    """Until `writer` has finished or waits for a lock as well."""
    deadline = time.monotonic() + 20
    query = "SELECT count(*) FROM pg_locks WHERE NOT granted"
    while writer.is_alive() and ((row := gate.execute(query).fetchone()) is None or row[0] < 2):
        assert time.monotonic() < deadline, "the second writer neither finished nor waited"
        time.sleep(0.02)


def _read_from(server: ReferenceServer, after: int | None) -> tuple[list[str], int | None]:
    page = server.backend.statements.query(ANA, StatementQuery(after_seq=after, limit=50))
    ids = [text.split('"id":"', 1)[1].split('"', 1)[0] for text in page.statements]
    return ids, page.last_seq if page.last_seq is not None else after


def _store(server: ReferenceServer, sent: dict[str, Any]) -> threading.Thread:
    writer = threading.Thread(target=server.backend.statements.store, args=(ANA, AUTHORITY, [sent]))
    writer.start()
    return writer


def test_a_reader_never_misses_a_statement_that_commits_after_a_later_one(
    server: ReferenceServer, gate: psycopg.Connection[Any]
) -> None:
    seen, cursor = _read_from(server, None)
    slow = statement(verb={"id": STALLED_VERB})
    fast = statement()
    slow_writer = _store(server, slow)
    _waiting(gate, 1)  # the first writer is inside its transaction, stalled
    fast_writer = _store(server, fast)
    _settled(gate, fast_writer)  # stored, or waiting its turn behind the first
    read, cursor = _read_from(server, cursor)
    seen += read
    gate.execute("SELECT pg_advisory_unlock(%s)", (GATE,))
    slow_writer.join(timeout=20)
    fast_writer.join(timeout=20)
    read, cursor = _read_from(server, cursor)
    seen += read
    assert slow["id"] in seen and fast["id"] in seen, seen
    assert len(seen) == len(set(seen))
