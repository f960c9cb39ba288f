"""The local cache: pragmas, migrations from every revision, the backup before migrating."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from desktop_app.db import Database, alembic_config, current_revision, head_revision
from desktop_app.models import Course, DownloadJob, Lesson, Module

FIRST_REVISION = "0001"


def all_revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def test_new_database_is_at_head_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = Database(tmp_path / "cache.sqlite3")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert current_revision(db.engine) == head_revision()
    db.close()


def test_deleting_a_course_removes_its_modules_and_lessons(tmp_path: Path) -> None:
    db = Database(tmp_path / "cache.sqlite3")
    with db.session() as session:
        session.add(Course(id="c1", title="Course", summary=""))
        session.add(Module(id="m1", course_id="c1", title="Module"))
        session.add(Lesson(id="l1", module_id="m1", course_id="c1", title="L", kind="video"))
    with db.session() as session:
        session.execute(text("DELETE FROM course WHERE id = 'c1'"))
    with db.session() as session:
        assert session.query(Lesson).count() == 0
        assert session.query(Module).count() == 0
    db.close()


def test_a_database_at_the_first_revision_upgrades_keeping_its_data(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    old = Database(path, migrate_to=FIRST_REVISION)
    with old.session() as session:
        session.add(Course(id="c1", title="Kept", summary="", updated_at=datetime.now(UTC)))
    old.close()

    upgraded = Database(path)
    assert current_revision(upgraded.engine) == head_revision()
    with upgraded.session() as session:
        assert session.get(Course, "c1") is not None
    upgraded.close()
    if head_revision() != FIRST_REVISION:
        backups = list((tmp_path / "backups").glob("*.sqlite3"))
        assert len(backups) == 1
        with sqlite3.connect(backups[0]) as copy:
            assert copy.execute("SELECT title FROM course").fetchone() == ("Kept",)


@pytest.mark.parametrize("revision", all_revisions())
def test_every_migration_applies_on_top_of_its_predecessor(tmp_path: Path, revision: str) -> None:
    db = Database(tmp_path / "cache.sqlite3", migrate_to=revision)
    assert current_revision(db.engine) == revision
    db.close()
    upgraded = Database(tmp_path / "cache.sqlite3")
    assert current_revision(upgraded.engine) == head_revision()
    upgraded.close()


def test_every_migration_is_named_in_the_migration_tests() -> None:
    """A new migration must come with its own test of the data it moves."""
    source = Path(__file__).read_text(encoding="utf-8")
    tested = {rev for rev in all_revisions() if f'"{rev}"' in source}
    assert tested == set(all_revisions()), "add a data test for each new migration here"


def test_revision_0002_indexes_the_courses_already_cached(tmp_path: Path) -> None:
    from desktop_app.catalog.search import search

    path = tmp_path / "cache.sqlite3"
    old = Database(path, migrate_to=FIRST_REVISION)
    with old.session() as session:
        session.add(Course(id="c1", title="Wound care basics", summary="Dressings and healing"))
        session.add(Module(id="m1", course_id="c1", title="Module"))
        session.add(Lesson(id="l1", module_id="m1", course_id="c1", title="Suturing", kind="video"))
    old.close()

    upgraded = Database(path, migrate_to="0002")
    with upgraded.session() as session:
        assert [(h.kind, h.ref_id) for h in search(session, "wound")] == [("course", "c1")]
        assert [(h.kind, h.course_id) for h in search(session, "sutur")] == [("lesson", "c1")]
    upgraded.close()


def test_revision_0003_adds_an_empty_download_queue_keeping_the_cache(tmp_path: Path) -> None:
    from desktop_app.downloads import DownloadState
    from desktop_app.downloads.jobs import JobTable

    path = tmp_path / "cache.sqlite3"
    old = Database(path, migrate_to="0002")
    with old.session() as session:
        session.add(Course(id="c1", title="Kept", summary=""))
    old.close()

    upgraded = Database(path, migrate_to="0003")
    with upgraded.session() as session:
        assert session.get(Course, "c1") is not None
        assert session.query(DownloadJob).count() == 0
    (job,) = JobTable(upgraded).add("c1", [("ab" * 32, 10, False)])
    assert (job.course_id, job.state, job.bytes_done, job.attempts) == (
        "c1",
        DownloadState.QUEUED,
        0,
        0,
    )
    upgraded.close()


def test_a_download_state_this_version_does_not_know_reads_as_failed(tmp_path: Path) -> None:
    """A damaged (or newer) cache must not stop the download queue from loading."""
    from desktop_app.downloads import DownloadState
    from desktop_app.downloads.jobs import UNKNOWN_STATE, JobTable

    db = Database(tmp_path / "cache.sqlite3")
    table = JobTable(db)
    (job,) = table.add("c1", [("ab" * 32, 10, False)])
    with db.session() as session:
        session.execute(text("UPDATE download_job SET state = 'verifying'"))
    (loaded,) = table.load()
    assert (loaded.id, loaded.state, loaded.error) == (job.id, DownloadState.FAILED, UNKNOWN_STATE)
    with db.session() as session:  # the row is read, not rewritten
        assert session.execute(text("SELECT state FROM download_job")).scalar() == "verifying"
    db.close()


PENDING_0004 = (
    "SELECT id FROM progress_event WHERE uploaded_at IS NULL AND quarantined_reason IS NULL "
    "ORDER BY seq"
)


def test_revision_0004_reads_pending_statements_from_an_index_in_upload_order(
    tmp_path: Path,
) -> None:
    from desktop_app.progress import OutboxQueue, store

    path = tmp_path / "cache.sqlite3"
    old = Database(path, migrate_to="0003")
    with old.session() as session:
        for seq, uploaded in ((1, True), (2, False), (3, True), (4, False)):
            session.execute(
                text(
                    "INSERT INTO progress_event (id, seq, lesson_id, course_id, verb, "
                    "occurred_at, statement_json, origin, uploaded_at) VALUES (:id, :seq, 'l1', "
                    "'c1', 'v', '2026-12-01 10:00:00', '{}', 'local', :uploaded)"
                ),
                {"id": f"s{seq}", "seq": seq, "uploaded": "2026-12-01" if uploaded else None},
            )
    old.close()

    upgraded = Database(path, migrate_to="0004")
    with upgraded.session() as session:
        assert session.execute(text(PENDING_0004)).scalars().all() == ["s2", "s4"]
    upgraded.close()
    upgraded = Database(path)  # the outbox's own query also reads the holds of 0005
    assert [i for i, _ in OutboxQueue(upgraded).pending_batch(10)] == ["s2", "s4"]
    with upgraded.session() as session:
        params = {"after": 1, "now": store.stored_time(datetime.now(UTC)), "limit": 10}
        explained = session.execute(text("EXPLAIN QUERY PLAN " + store.PENDING_AFTER), params)
        plan = " ".join(row[3] for row in explained)
    assert "ix_progress_event_pending_seq" in plan and "TEMP B-TREE" not in plan
    upgraded.close()


def test_revision_0005_keeps_the_queue_and_holds_a_statement_back_until_its_time(
    tmp_path: Path,
) -> None:
    from desktop_app.progress import OutboxQueue

    path = tmp_path / "cache.sqlite3"
    old = Database(path, migrate_to="0004")
    with old.session() as session:
        for seq in (1, 2):
            session.execute(
                text(
                    "INSERT INTO progress_event (id, seq, lesson_id, course_id, verb, "
                    "occurred_at, statement_json, origin) VALUES (:id, :seq, 'l1', 'c1', 'v', "
                    "'2026-12-01 10:00:00', '{}', 'local')"
                ),
                {"id": f"s{seq}", "seq": seq},
            )
    old.close()

    upgraded = Database(path, migrate_to="0005")
    queue, now = OutboxQueue(upgraded), datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    assert [(p.id, p.held) for p in queue.pending_after(0, 10, now)] == [("s1", 0), ("s2", 0)]
    queue.hold("s1", now + timedelta(minutes=1), 1)
    assert [p.id for p in queue.pending_after(0, 10, now)] == ["s2"]
    assert [(p.id, p.held) for p in queue.pending_after(0, 10, now + timedelta(minutes=1))] == [
        ("s1", 1),
        ("s2", 0),
    ]
    assert queue.pending_count() == 2
    assert queue.mark_uploaded(["S1"], now) == 1
    with upgraded.session() as session:
        assert session.execute(text("SELECT count(*) FROM upload_hold")).scalar() == 0
    upgraded.close()
