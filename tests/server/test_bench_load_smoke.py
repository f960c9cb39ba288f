"""The load benchmark's harness at a small size: 5 learners x 20 statements against one uvicorn
worker, on SQLite and PostgreSQL; every statement stored once, no 5xx, no failed request. And
its database check does notice a statement that is missing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, delete

from benchmarks.bench_server_load import LoadResult, learners, load
from benchmarks.load_server import prepare, stored_against, uvicorn
from reference_server.models import Statement

LEARNERS, STATEMENTS = 5, 20


def _run(database_url: str, tmp_path: Path) -> tuple[LoadResult, set[str]]:
    data = tmp_path / "data"
    data.mkdir()
    prepare(data, database_url, LEARNERS, courses=3, lessons=4)
    group = learners(LEARNERS, STATEMENTS)
    with uvicorn(database_url, data, 1, log=tmp_path / "server.log") as served:
        result = load(served.url, database_url, 1, group, served.pid)
    return result, {statement_id for one in group for statement_id in one.ids}


def test_the_harness_stores_every_statement_once(empty_database_url: str, tmp_path: Path) -> None:
    result, sent = _run(empty_database_url, tmp_path)
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
    engine = create_engine(empty_database_url)
    try:
        with engine.begin() as connection:
            connection.execute(delete(Statement).where(Statement.id == min(sent)))
    finally:
        engine.dispose()
    assert stored_against(empty_database_url, sent).lost == 1
