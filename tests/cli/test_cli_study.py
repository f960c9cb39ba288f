"""`python -m desktop_app download|checkin|export|import`, as IT and attendees use them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rounds_process import rounds
from server_fixture import DEMO_USER

from desktop_app.cli.exit_codes import ExitCode
from desktop_app.db import Database
from desktop_app.progress import Actor, LessonRef, ProgressLog, activity_base_for
from reference_server.server import ReferenceServer


def account_args(server: ReferenceServer) -> tuple[str, ...]:
    return ("--server", server.url, "--user", DEMO_USER)


def test_download_a_course_from_the_command_line(
    reference_server: ReferenceServer, tmp_path: Path
) -> None:
    assert rounds(tmp_path, "sync", *account_args(reference_server)).returncode == ExitCode.OK
    done = rounds(tmp_path, "download", "c-privacy", *account_args(reference_server))
    assert done.returncode == ExitCode.OK, done.stderr
    assert "c-privacy" in done.stdout or "Privacy" in done.stdout
    stored = [p for p in (tmp_path / "content").rglob("*") if p.is_file() and len(p.name) == 64]
    assert len(stored) >= 5
    again = rounds(tmp_path, "download", "c-privacy", *account_args(reference_server))
    assert again.returncode == ExitCode.OK and "already downloaded" in again.stdout


def test_download_of_an_unknown_course_fails_with_a_reason(
    reference_server: ReferenceServer, tmp_path: Path
) -> None:
    assert rounds(tmp_path, "sync", *account_args(reference_server)).returncode == ExitCode.OK
    failed = rounds(tmp_path, "download", "c-nope", *account_args(reference_server))
    assert failed.returncode == ExitCode.NOT_FOUND
    assert failed.stderr.strip() and "c-nope" in failed.stderr


def test_check_in_wrong_code_then_right_code(
    reference_server: ReferenceServer, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    reference_server.admin.set_checkin_window(
        "r-2027-chicago", now - timedelta(hours=1), now + timedelta(hours=1)
    )
    assert rounds(tmp_path, "sync", *account_args(reference_server)).returncode == ExitCode.OK
    wrong = rounds(
        tmp_path, "checkin", "r-2027-chicago", "--code", "WRONG", *account_args(reference_server)
    )
    assert wrong.returncode == ExitCode.FAILED and "code" in wrong.stderr.lower()
    right = rounds(
        tmp_path,
        "checkin",
        "r-2027-chicago",
        "--code",
        "ROUNDS-427",
        *account_args(reference_server),
    )
    assert right.returncode == ExitCode.OK, right.stderr
    assert [c.username for c in reference_server.admin.list_checkins("r-2027-chicago")] == ["ana"]


def record_a_completed_lesson(home: Path, server_url: str) -> None:
    (identity,) = (home / "accounts").glob("*/identity.json")  # the folder `sync` signed in to
    database = Database(identity.parent / "rounds.sqlite3")
    log = ProgressLog(database, Actor(server_url, DEMO_USER), activity_base_for(server_url))
    recorder = log.recorder_for(LessonRef("l-foundations-reading", "c-foundations", "R", "reading"))
    recorder.opened()
    recorder.complete()
    database.close()


def test_progress_export_and_import_between_machines(
    reference_server: ReferenceServer, tmp_path: Path
) -> None:
    laptop, workstation = tmp_path / "laptop", tmp_path / "workstation"
    for home in (laptop, workstation):
        assert rounds(home, "sync", *account_args(reference_server)).returncode == ExitCode.OK
    record_a_completed_lesson(laptop, reference_server.url)
    exported = rounds(laptop, "export", str(tmp_path / "p.json"), *account_args(reference_server))
    assert exported.returncode == ExitCode.OK and "Exported 3 statement(s)" in exported.stdout
    imported = rounds(
        workstation, "import", str(tmp_path / "p.json"), *account_args(reference_server)
    )
    assert imported.returncode == ExitCode.OK and "Imported 3 new statement(s)" in imported.stdout
    again = rounds(workstation, "import", str(tmp_path / "p.json"), *account_args(reference_server))
    assert "Imported 0 new statement(s)" in again.stdout

    tampered = tmp_path / "tampered.json"
    document = json.loads((tmp_path / "p.json").read_text())
    document["statements"] = [{"id": "not-a-statement"}]
    tampered.write_text(json.dumps(document))
    refused = rounds(workstation, "import", str(tampered), *account_args(reference_server))
    assert refused.returncode == ExitCode.FAILED and refused.stderr.strip()
