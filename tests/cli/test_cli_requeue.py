"""`python -m desktop_app requeue`: what the server set aside is offered again, then uploads."""

from __future__ import annotations

import pytest
from server_fixture import DEMO_PASSWORD, DEMO_USER, server_statement_ids

from desktop_app.cli import main as cli
from desktop_app.cli.exit_codes import ExitCode
from desktop_app.config import AccountPaths
from desktop_app.db import Database
from desktop_app.progress import Actor, LessonRef, OutboxQueue, ProgressLog, activity_base_for
from reference_server.server import ReferenceServer

READING = LessonRef("l-foundations-reading", "c-foundations", "Reading", "reading")


def set_aside_a_completed_lesson(server: ReferenceServer) -> list[str]:
    """A lesson studied here whose statements were set aside (behind a proxy, say)."""
    database = Database(AccountPaths.for_account(server.url, DEMO_USER).database)
    try:
        log = ProgressLog(database, Actor(server.url, DEMO_USER), activity_base_for(server.url))
        recorder = log.recorder_for(READING)
        recorder.opened()
        recorder.complete()
        queue = OutboxQueue(database)
        ids = [statement_id for statement_id, _ in queue.pending_batch(100)]
        for statement_id in ids:
            queue.quarantine(statement_id, "The server refused this statement: Bad Request")
        return ids
    finally:
        database.close()


def test_requeue_offers_statements_set_aside_and_the_next_sync_uploads_them(
    reference_server: ReferenceServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ROUNDS_PASSWORD", DEMO_PASSWORD)
    account = ["--server", reference_server.url, "--user", DEMO_USER]
    assert cli.run(["sync", *account]) == ExitCode.OK
    ids = set_aside_a_completed_lesson(reference_server)
    assert cli.run(["sync", *account]) == ExitCode.OK
    assert set(server_statement_ids(reference_server)).isdisjoint(ids)
    capsys.readouterr()

    assert cli.run(["requeue", *account]) == ExitCode.OK
    assert capsys.readouterr().out == (
        f"Queued {len(ids)} statement(s) again; they upload at the next sync\n"
    )
    assert cli.run(["sync", *account]) == ExitCode.OK
    assert set(server_statement_ids(reference_server)) >= set(ids)
    assert cli.run(["requeue", *account]) == ExitCode.OK
    assert capsys.readouterr().out.endswith(
        "Queued 0 statement(s) again; they upload at the next sync\n"
    )


def test_requeue_before_anything_is_cached_queues_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert (
        cli.run(["requeue", "--server", "https://rounds.example", "--user", "ana"]) == ExitCode.OK
    )
    assert capsys.readouterr().out == "Queued 0 statement(s) again; they upload at the next sync\n"
    assert not AccountPaths.for_account("https://rounds.example", "ana").database.exists()
