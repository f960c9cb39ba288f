"""`sync` says in one line, and in its exit code, when the catalog came down but progress did
not go up or come down, and when the CA bundle setting names a file it cannot use."""

from __future__ import annotations

from pathlib import Path

import pytest
from server_fixture import DEMO_PASSWORD, DEMO_USER

from desktop_app.cli import main as cli
from desktop_app.cli.exit_codes import ExitCode
from desktop_app.config import AccountPaths, Settings, save_settings
from desktop_app.db import Database
from desktop_app.progress import Actor, LessonRef, OutboxQueue, ProgressLog, activity_base_for
from reference_server.server import ReferenceServer

STATEMENTS = "/xapi/statements"
PROGRESS_FAILED = "rounds sync: the catalog is up to date, but progress could not be synced: "


@pytest.fixture
def sync(reference_server: ReferenceServer, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("ROUNDS_PASSWORD", DEMO_PASSWORD)
    return ["sync", "--server", reference_server.url, "--user", DEMO_USER]


def error_line(capsys: pytest.CaptureFixture[str]) -> str:
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


def database_of(server: ReferenceServer) -> Database:
    return Database(AccountPaths.for_account(server.url, DEMO_USER).database)


def record_a_completed_lesson(server: ReferenceServer) -> None:
    database = database_of(server)
    log = ProgressLog(database, Actor(server.url, DEMO_USER), activity_base_for(server.url))
    recorder = log.recorder_for(LessonRef("l-foundations-reading", "c-foundations", "R", "reading"))
    recorder.opened()
    recorder.complete()
    database.close()


def pending_statements(server: ReferenceServer) -> int:
    database = database_of(server)
    try:
        return OutboxQueue(database).pending_count()
    finally:
        database.close()


@pytest.mark.expect_log("desktop_app.sync.statements_pull", "Pulling statements failed")
def test_a_refused_progress_pull_fails_the_sync_in_one_line(
    reference_server: ReferenceServer, sync: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    reference_server.faults.add(STATEMENTS, status=401, method="GET", count=2)
    assert cli.run(sync) == ExitCode.FAILED
    host = reference_server.url.removeprefix("http://")
    assert error_line(capsys) == PROGRESS_FAILED + f"{host} no longer accepts this sign-in."


@pytest.mark.expect_log("desktop_app.sync.outbox", "Progress upload stopped")
def test_a_busy_server_refusing_the_upload_fails_the_sync_and_keeps_the_progress(
    reference_server: ReferenceServer, sync: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.run(sync) == ExitCode.OK
    record_a_completed_lesson(reference_server)
    capsys.readouterr()
    reference_server.faults.add(STATEMENTS, status=503, method="POST", retry_after=3600)
    assert cli.run(sync) == ExitCode.FAILED
    line = error_line(capsys)
    assert line.startswith(PROGRESS_FAILED + "The server had a problem")
    assert "it asked to wait 3600 s; progress stays queued" in line
    assert pending_statements(reference_server) == 3
    assert cli.run(sync) == ExitCode.OK
    assert pending_statements(reference_server) == 0


def test_a_missing_ca_bundle_is_named_not_blamed_on_the_cache(
    sync: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "hospital-ca.pem"
    save_settings(Settings(ca_bundle=str(missing)))
    assert cli.run(sync) == ExitCode.FAILED
    assert error_line(capsys) == (
        f"rounds sync: The extra CA certificates chosen in File → Settings… (ca_bundle: "
        f"{missing}) could not be used: no such file or directory. Choose another file or clear "
        "that setting."
    )
