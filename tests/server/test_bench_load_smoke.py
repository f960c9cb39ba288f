"""The load benchmark's harness at a small size: 5 learners x 20 statements against one uvicorn
worker, on SQLite and PostgreSQL; every statement stored once, no 5xx, no failed request. And
its database check does notice a statement that is missing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete

from benchmarks.bench_server_load import LoadResult, learners, load
from benchmarks.load_server import prepare, stored_against, uvicorn
from reference_server.devtools.postgres_cluster import PostgresCluster
from reference_server.models import Statement

LEARNERS, STATEMENTS = 5, 20


@pytest.fixture
def load_database(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty database on the test's backend."""
    if backend != "postgresql":
        yield f"sqlite:///{tmp_path}/data/rounds.sqlite3"
        return
    cluster = request.getfixturevalue("postgres_cluster")
    assert isinstance(cluster, PostgresCluster)
    name = cluster.new_database()
    try:
        yield cluster.url(name)
    finally:
        cluster.drop_database(name)


def _run(database_url: str, tmp_path: Path) -> tuple[LoadResult, set[str]]:
    data = tmp_path / "data"
    data.mkdir()
    prepare(data, database_url, LEARNERS, courses=3, lessons=4)
    group = learners(LEARNERS, STATEMENTS)
    with uvicorn(database_url, data, 1, log=tmp_path / "server.log") as served:
        result = load(served.url, database_url, 1, group, served.pid)
    return result, {statement_id for one in group for statement_id in one.ids}


def test_the_harness_stores_every_statement_once(load_database: str, tmp_path: Path) -> None:
    result, sent = _run(load_database, tmp_path)
    assert result.failures == ()
    assert result.server_errors == 0
    assert (result.sent, result.lost, result.duplicated, result.unexpected) == (
        LEARNERS * STATEMENTS,
        0,
        0,
        0,
    )
    assert result.throughput > 0
    assert all(len(result.latencies[endpoint]) >= LEARNERS for endpoint in result.latencies)
    engine = create_engine(load_database)
    try:
        with engine.begin() as connection:
            connection.execute(delete(Statement).where(Statement.id == min(sent)))
    finally:
        engine.dispose()
    assert stored_against(load_database, sent).lost == 1
