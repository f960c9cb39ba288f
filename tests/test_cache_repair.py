"""A damaged cache: found by SQLite's quick check, told in one line, rebuilt keeping every
progress statement SQLite can still read (and those in the newest daily backup), the
damaged file kept aside. Real SQLite files, damaged as disks and crashes damage them."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK
from sqlalchemy import select

from desktop_app.account import Account
from desktop_app.cache_repair import open_cache
from desktop_app.cli import main as cli
from desktop_app.cli.exit_codes import ExitCode
from desktop_app.config import AccountPaths
from desktop_app.db import DamagedCacheError, Database, daily_backups, take_daily_backup
from desktop_app.error_text import describe
from desktop_app.gui.shell import Shell
from desktop_app.models import CheckIn, ProgressEvent
from desktop_app.progress import (
    Actor,
    LessonRef,
    OutboxQueue,
    ProgressExchange,
    ProgressLog,
    activity_base_for,
)
from reference_server.models import Statement
from reference_server.server import ReferenceServer

SERVER = "https://rounds.example"
READING = LessonRef("l-foundations-reading", "c-foundations", "Reading", "reading")
LONG_AGO = datetime.now(UTC) - timedelta(days=3)
REBUILT = "the local cache was damaged; {} progress items were saved and it was rebuilt"
CHECK_IN = "c7d0f3a4-0000-4000-8000-000000000001"
EXPECT_REBUILD = pytest.mark.expect_log("desktop_app.cache_repair", "Rebuilding the local cache")


def study(database: Database, server_url: str, lessons: int) -> None:
    """Open and complete the reading `lessons` times: two pending statements each."""
    log = ProgressLog(database, Actor(server_url, DEMO_USER), activity_base_for(server_url))
    for _ in range(lessons):
        recorder = log.recorder_for(READING)
        recorder.opened()
        recorder.complete()


def cache_used_for_days(path: Path, server_url: str) -> None:
    """A cache opened on two days, with a daily backup taken on the second one and more
    studied after it: enough rows that the progress table spans many pages. On the first
    day a check-in is queued and the first statements reach the server."""
    for day, lessons in ((LONG_AGO, 120), (LONG_AGO + timedelta(days=1), 30)):
        database, repair = open_cache(path, now=lambda day=day: day)  # type: ignore[misc]
        assert repair is None
        study(database, server_url, lessons)
        if day == LONG_AGO:
            acknowledge_and_check_in(database, day)
        database.close()


def a_signed_in_cache_used_for_days(server: ReferenceServer) -> Path:
    """The demo learner's cache, signed in once, then used as `cache_used_for_days` says, with
    no backup but the one taken then."""
    account = Account.sign_in(server.url, DEMO_USER, DEMO_PASSWORD, config=FAST_NETWORK)
    path = account.paths.database
    account.close()
    shutil.rmtree(path.parent / "backups")
    cache_used_for_days(path, server.url)
    return path


def acknowledge_and_check_in(database: Database, day: datetime) -> None:
    queue = OutboxQueue(database)
    queue.mark_uploaded([statement_id for statement_id, _ in queue.pending_batch(10)], day)
    with database.session() as session:
        session.add(CheckIn(id=CHECK_IN, residency_id="r-1", code="ABC123", device_time=day))


def acknowledged(database: Database) -> set[str]:
    with database.session() as session:
        query = select(ProgressEvent.id).where(ProgressEvent.uploaded_at.is_not(None))
        return set(session.scalars(query))


def check_ins(database: Database) -> set[str]:
    with database.session() as session:
        return set(session.scalars(select(CheckIn.id)))


def truncate(path: Path) -> None:
    with path.open("r+b") as file:
        file.truncate(path.stat().st_size * 6 // 10)


def garbage_in_the_middle(path: Path) -> None:
    with path.open("r+b") as file:
        file.seek(path.stat().st_size // 2)
        file.write(random.Random(10).randbytes(16 * 1024))


def zero_length(path: Path) -> None:
    path.write_bytes(b"")


def last_writes_only_in_the_wal(path: Path, server_url: str) -> None:
    """Study more while the cache is open, copy the file as it is then (the new rows are only
    in the WAL), and put the copy back without its WAL, as a crash and a careless copy do."""
    database = Database(path)
    study(database, server_url, 5)
    copy = path.with_name("copy-without-wal")
    shutil.copyfile(path, copy)
    database.close()
    copy.replace(path)
    for journal in ("-wal", "-shm"):
        Path(f"{path}{journal}").unlink(missing_ok=True)


Damage = Callable[[Path], None]
DAMAGES: dict[str, Damage] = {
    "truncated": truncate,
    "garbage in the middle": garbage_in_the_middle,
    "zero length": zero_length,
}


def readable_pending(path: Path) -> set[str]:
    """The pending statements plain sqlite3 can read in the file, row by row."""
    found: set[str] = set()
    if path.stat().st_size == 0:
        return found
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as connection:
        for rowid in range(1, 2000):
            try:
                row = connection.execute(
                    "SELECT id, uploaded_at FROM progress_event WHERE rowid = ?", (rowid,)
                ).fetchone()
            except sqlite3.DatabaseError:
                continue
            if row is not None and row[1] is None:
                found.add(row[0])
    return found


def backup_pending(path: Path) -> set[str]:
    return readable_pending(daily_backups(path)[0][1])


def pending(database: Database) -> set[str]:
    return {statement_id for statement_id, _ in OutboxQueue(database).pending_batch(10_000)}


def damaged_copies(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.damaged-*[0-9]"))


def damage(path: Path, kind: str) -> tuple[set[str], bytes]:
    """Damage the cache; returns what plain sqlite3 and the backup could still give, and
    the damaged bytes (which must be kept as they are)."""
    DAMAGES[kind](path)
    saved = readable_pending(path) | backup_pending(path)
    return saved, path.read_bytes()


def assert_rebuilt(path: Path, database: Database, saved: set[str], damaged: bytes) -> None:
    """Every readable pending statement is queued again; those the server acknowledged (in
    the backup) are not sent twice; the check-in queued then waits still."""
    assert saved, "the test must leave something to save"
    assert pending(database) >= saved
    assert len(acknowledged(database)) == 10
    assert check_ins(database) == {CHECK_IN}
    (kept,) = damaged_copies(path)
    assert kept.read_bytes() == damaged
    assert list(path.parent.glob("*.rebuilding*")) == []


@EXPECT_REBUILD
@pytest.mark.parametrize("kind", DAMAGES)
def test_status_tells_the_damage_in_one_line_and_saves_every_readable_statement(
    kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = AccountPaths.for_account(SERVER, DEMO_USER).database
    cache_used_for_days(path, SERVER)
    saved, damaged = damage(path, kind)
    if kind == "garbage in the middle":
        assert len(readable_pending(path)) < 300, "the garbage must hit the progress log"

    assert cli.run(["status", "--server", SERVER, "--user", DEMO_USER]) == ExitCode.OK

    output = capsys.readouterr()
    database = Database(path)
    count = len(pending(database)) + len(acknowledged(database)) + 1
    assert output.err == (
        f"rounds status: {REBUILT.format(count)} "
        f"(the damaged file is kept at {damaged_copies(path)[0]})\n"
    )
    assert output.out.startswith(f"{DEMO_USER} on {SERVER}: ")
    assert_rebuilt(path, database, saved, damaged)
    database.close()


@EXPECT_REBUILD
@pytest.mark.parametrize("kind", DAMAGES)
def test_opening_the_account_rebuilds_its_damaged_cache(
    kind: str, reference_server: ReferenceServer
) -> None:
    path = a_signed_in_cache_used_for_days(reference_server)
    saved, damaged = damage(path, kind)

    reopened = Account.resume(reference_server.url, DEMO_USER, config=FAST_NETWORK)

    assert reopened is not None
    repair = reopened.cache_repair
    assert repair is not None and repair.kept_at == damaged_copies(path)[0]
    count = len(pending(reopened.db)) + len(acknowledged(reopened.db)) + 1
    assert str(repair).startswith(REBUILT.format(count))
    assert_rebuilt(path, reopened.db, saved, damaged)
    reopened.close()


@pytest.mark.parametrize("opener", ["status", "open_cache"])
def test_a_lost_wal_loses_its_rows_but_the_cache_opens(
    opener: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = AccountPaths.for_account(SERVER, DEMO_USER).database
    cache_used_for_days(path, SERVER)
    before = readable_pending(path)
    last_writes_only_in_the_wal(path, SERVER)
    assert readable_pending(path) == before

    if opener == "status":
        assert cli.run(["status", "--server", SERVER, "--user", DEMO_USER]) == ExitCode.OK
        assert capsys.readouterr().err == ""
    database, repair = open_cache(path)

    assert repair is None
    assert pending(database) == before
    assert check_ins(database) == {CHECK_IN}
    assert damaged_copies(path) == []
    database.close()


@EXPECT_REBUILD
def test_sync_tells_the_damage_and_uploads_what_was_saved(
    reference_server: ReferenceServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ROUNDS_PASSWORD", DEMO_PASSWORD)
    target = ["--server", reference_server.url, "--user", DEMO_USER]
    assert cli.run(["sync", *target]) == ExitCode.OK
    path = AccountPaths.for_account(reference_server.url, DEMO_USER).database
    shutil.rmtree(path.parent / "backups")
    cache_used_for_days(path, reference_server.url)
    saved, _damaged = damage(path, "garbage in the middle")
    capsys.readouterr()

    assert cli.run(["sync", *target]) == ExitCode.OK

    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("rounds sync: the local cache was damaged; ")
    database = Database(path)
    assert pending(database) == set()
    database.close()
    with reference_server.backend.db.read() as session:
        assert saved <= set(session.scalars(select(Statement.id)))


def test_a_damaged_file_is_one_sentence_never_sql(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    database = Database(path)
    study(database, SERVER, 40)
    database.close()
    garbage_in_the_middle(path)

    with pytest.raises(DamagedCacheError) as raised:
        Database(path)

    message = describe(raised.value).message
    assert message.count(".") == 1 and message.endswith(".")
    assert "SELECT" not in message and "sqlite" not in message.lower()


def test_an_empty_file_in_a_new_folder_is_a_new_cache(tmp_path: Path) -> None:
    path = tmp_path / "account" / "rounds.sqlite3"
    path.parent.mkdir()
    path.write_bytes(b"")

    database, repair = open_cache(path)

    assert repair is None and damaged_copies(path) == []
    database.close()


def test_daily_backups_keep_seven_days_and_four_weeks(tmp_path: Path) -> None:
    path = tmp_path / "rounds.sqlite3"
    database = Database(path)
    study(database, SERVER, 3)
    database.close()
    first = datetime(2026, 10, 1, 10, 0, tzinfo=UTC)
    for day in range(60):
        take_daily_backup(path, first + timedelta(days=day))
        assert take_daily_backup(path, first + timedelta(days=day, hours=20)) is None

    kept = [taken.date().isoformat() for taken, _ in daily_backups(path)]

    last_days = [(first + timedelta(days=day)).date().isoformat() for day in range(59, 52, -1)]
    sundays_before = ["2026-11-22", "2026-11-15", "2026-11-08"]
    assert kept == last_days + sundays_before
    database = Database(path)
    assert readable_pending(daily_backups(path)[0][1]) == pending(database) != set()
    database.close()


def a_progress_file_from_another_machine(folder: Path) -> tuple[Path, set[str]]:
    """The learner's progress exported on a machine that is never online, and its ids."""
    database = Database(folder / "other-machine.sqlite3")
    study(database, SERVER, 2)
    exported = pending(database)
    path = folder / "other-machine.json"
    ProgressExchange(database, Actor(SERVER, DEMO_USER)).export_to(path)
    database.close()
    return path, exported


def exported_ids(path: Path) -> set[str]:
    return {statement["id"] for statement in json.loads(path.read_text())["statements"]}


@EXPECT_REBUILD
@pytest.mark.parametrize("kind", ["garbage in the middle", "zero length"])
@pytest.mark.parametrize("command", ["export", "import", "requeue"])
def test_offline_commands_rebuild_the_damaged_cache_and_keep_every_pending_statement(
    command: str, kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = AccountPaths.for_account(SERVER, DEMO_USER).database
    cache_used_for_days(path, SERVER)
    progress_file, imported = a_progress_file_from_another_machine(tmp_path)
    if command != "import":
        progress_file, imported = tmp_path / "progress.json", set()
    arguments = [] if command == "requeue" else [str(progress_file)]
    saved, damaged = damage(path, kind)

    code = cli.run([command, "--server", SERVER, "--user", DEMO_USER, *arguments])

    assert code == ExitCode.OK
    output = capsys.readouterr()
    (line,) = output.err.splitlines()
    assert line.startswith(f"rounds {command}: the local cache was damaged; ")
    assert len(output.out.splitlines()) == 1
    database = Database(path)
    assert_rebuilt(path, database, saved, damaged)
    assert pending(database) >= saved | imported
    if command == "export":
        assert exported_ids(progress_file) >= saved
    database.close()


@EXPECT_REBUILD
@pytest.mark.qt_log_ignore("propagateSizeHints", "PulseAudio", "No audio device", "RHI", "pipewire")
def test_the_window_opens_on_the_rebuilt_cache_and_says_so(
    qapp: QApplication, reference_server: ReferenceServer
) -> None:
    path = a_signed_in_cache_used_for_days(reference_server)
    damage(path, "garbage in the middle")
    shell = Shell(qapp, demo_url=reference_server.url)

    try:
        assert shell.start(None, None)
        assert shell.window is not None and shell.account is not None
        repair = shell.account.cache_repair
        assert repair is not None
        assert shell.window.status.currentMessage() == repair.sentence
        assert repair.sentence.startswith("The local cache was damaged; ")
    finally:
        shell.close_window()
