"""`python -m desktop_app sync|status`: exit codes and one-line answers."""

from __future__ import annotations

import re
import socket
import sys
from pathlib import Path

import pytest
from rounds_process import rounds
from server_fixture import DEMO_PASSWORD, DEMO_USER

from desktop_app.account import Account
from desktop_app.cli import main as cli
from desktop_app.cli.exit_codes import ExitCode
from reference_server.server import ReferenceServer

STATUS = re.compile(
    r"^ana on http://127\.0\.0\.1:\d+: 3 courses, \d+ lessons, 1 residency; "
    r"all your progress has reached the server; last synced \d{4}-\d\d-\d\d \d\d:\d\d UTC$"
)


def one_line(text: str) -> str:
    lines = text.splitlines()
    assert len(lines) == 1, text
    return lines[0]


def test_sync_then_status_from_the_command_line(
    reference_server: ReferenceServer, tmp_path: Path
) -> None:
    synced = rounds(tmp_path, "sync", "--server", reference_server.url, "--user", DEMO_USER)
    assert (synced.returncode, synced.stderr) == (ExitCode.OK, "")
    assert one_line(synced.stdout).startswith("Synced: courses 3 new, 0 updated, 0 removed;")

    status = rounds(tmp_path, "status", password=None)
    assert (status.returncode, status.stderr) == (ExitCode.OK, "")
    first, *ids = status.stdout.splitlines()
    assert STATUS.match(first), status.stdout
    assert ids[0] == "Courses (pass the id to `download`):"
    assert [line.split()[0] for line in ids[1:4]] == ["c-foundations", "c-privacy", "c-presence"]
    assert ids[4] == "Residencies (pass the id to `checkin`):"
    assert ids[5].split()[0] == "r-2027-chicago"
    assert DEMO_PASSWORD not in (tmp_path / "logs" / "rounds.log").read_text(encoding="utf-8")


def test_a_wrong_password_fails_with_the_reason(
    reference_server: ReferenceServer, tmp_path: Path
) -> None:
    result = rounds(
        tmp_path, "sync", "--server", reference_server.url, "--user", DEMO_USER, password="nope"
    )
    assert result.returncode == ExitCode.SIGN_IN_REFUSED and result.stdout == ""
    assert one_line(result.stderr) == (
        "rounds sync: The server did not accept this username and password."
    )


def test_a_server_that_is_down_fails_with_the_reason(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    result = rounds(tmp_path, "sync", "--server", url, "--user", DEMO_USER)
    assert result.returncode == ExitCode.FAILED
    assert re.match(
        r"^rounds sync: Could not reach the server at .*refused", one_line(result.stderr)
    )


def test_usage_problems_are_one_line_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.run(["sync"]) == ExitCode.USAGE
    assert "pass --user NAME" in one_line(capsys.readouterr().err)
    assert (
        cli.run(["sync", "--server", "http://learning.example.org", "--user", "ana"])
        == ExitCode.FAILED
    )
    assert "plain http" in one_line(capsys.readouterr().err)
    assert cli.run(["frobnicate"]) == ExitCode.USAGE
    assert cli.run(["status", "--user", "ana"]) == ExitCode.OK
    assert "nothing cached yet" in one_line(capsys.readouterr().out)


def test_without_a_password_or_a_stored_sign_in_it_says_what_to_do(
    reference_server: ReferenceServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    assert (
        cli.run(["sync", "--server", reference_server.url, "--user", DEMO_USER]) == ExitCode.USAGE
    )
    assert "ROUNDS_PASSWORD" in one_line(capsys.readouterr().err)


def test_sync_uses_the_sign_in_kept_in_the_keyring(
    reference_server: ReferenceServer, capsys: pytest.CaptureFixture[str]
) -> None:
    Account.sign_in(reference_server.url, DEMO_USER, DEMO_PASSWORD).close()
    reference_server.clear_requests()
    assert cli.run(["sync"]) == ExitCode.OK
    assert one_line(capsys.readouterr().out).startswith("Synced:")
    assert "/api/v1/auth/token" not in [r.path for r in reference_server.requests]


@pytest.mark.expect_log("desktop_app.sync.engine", "Your sign-in has expired")
def test_an_expired_stored_sign_in_is_replaced_using_the_password(
    reference_server: ReferenceServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reference_server.admin.set_access_token_lifetime(1)
    Account.sign_in(reference_server.url, DEMO_USER, DEMO_PASSWORD).close()
    reference_server.admin.revoke_refresh_tokens(DEMO_USER)
    monkeypatch.setenv("ROUNDS_PASSWORD", DEMO_PASSWORD)
    assert cli.run(["sync"]) == ExitCode.OK
    assert one_line(capsys.readouterr().out).startswith("Synced:")


def test_the_checkin_help_shows_a_real_residency_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(["checkin", "--help"]) == ExitCode.OK
    assert "r-2027-chicago" in capsys.readouterr().out
