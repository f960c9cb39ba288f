"""`python -m desktop_app status` counts what waits for upload as the window does: imported
progress included, in lessons and check-ins rather than statements."""

from __future__ import annotations

from pathlib import Path

import pytest
from server_fixture import DEMO_PASSWORD, DEMO_USER

from desktop_app.cli import main as cli
from desktop_app.cli.exit_codes import ExitCode
from desktop_app.db import Database
from desktop_app.progress import Actor, LessonRef, ProgressExchange, ProgressLog, activity_base_for
from reference_server.server import ReferenceServer

READING = LessonRef("l-foundations-reading", "c-foundations", "Reading", "reading")


def progress_file_from_another_computer(server: ReferenceServer, folder: Path) -> Path:
    """A lesson studied on a computer that is never online, exported to a file."""
    database = Database(folder / "ward-pc.sqlite3")
    actor = Actor(server.url, DEMO_USER)
    try:
        recorder = ProgressLog(database, actor, activity_base_for(server.url)).recorder_for(READING)
        recorder.opened()
        recorder.complete()
        path = folder / "ward-pc-progress.json"
        ProgressExchange(database, actor).export_to(path)
        return path
    finally:
        database.close()


def test_status_counts_imported_progress_until_a_sync_uploads_it(
    reference_server: ReferenceServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("ROUNDS_PASSWORD", DEMO_PASSWORD)
    account = ["--server", reference_server.url, "--user", DEMO_USER]
    assert cli.run(["sync", *account]) == ExitCode.OK
    path = progress_file_from_another_computer(reference_server, tmp_path)
    assert cli.run(["import", str(path), *account]) == ExitCode.OK
    capsys.readouterr()

    assert cli.run(["status", *account]) == ExitCode.OK
    assert "; progress from 1 lesson waiting to upload; last synced " in capsys.readouterr().out

    assert cli.run(["sync", *account]) == ExitCode.OK
    capsys.readouterr()
    assert cli.run(["status", *account]) == ExitCode.OK
    assert "; all your progress has reached the server; " in capsys.readouterr().out
