"""Headless commands on a machine with no keyring while the server is away: an account that
signed in here before opens with its password, a check-in is queued, and the next sync sends it."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from server_fixture import DEMO_PASSWORD, DEMO_USER

from desktop_app.cli import main as cli
from desktop_app.cli.exit_codes import ExitCode
from reference_server.server import ReferenceServer

RESIDENCY, CODE = "r-2027-chicago", "ROUNDS-427"


def test_a_check_in_while_the_server_is_away_is_queued_and_sent_by_the_next_sync(
    curriculum_data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    keyring.set_keyring(fail.Keyring())  # the conftest puts the usual one back after
    monkeypatch.setenv("ROUNDS_PASSWORD", DEMO_PASSWORD)
    data = shutil.copytree(curriculum_data, tmp_path / "server-data")
    with ReferenceServer(data) as server:
        now = datetime.now(UTC)
        server.admin.set_checkin_window(
            RESIDENCY, now - timedelta(hours=1), now + timedelta(hours=1)
        )
        account = ["--server", server.url, "--user", DEMO_USER]
        assert cli.run(["sync", *account]) == ExitCode.OK
    capsys.readouterr()
    checkin = ["checkin", RESIDENCY, "--code", CODE, *account]
    monkeypatch.setenv("ROUNDS_PASSWORD", "not-the-password")
    assert cli.run(checkin) == ExitCode.SIGN_IN_REFUSED
    assert capsys.readouterr().err == (
        "rounds checkin: The server did not accept this username and password.\n"
    )
    monkeypatch.setenv("ROUNDS_PASSWORD", DEMO_PASSWORD)
    assert cli.run(checkin) == ExitCode.OK
    assert capsys.readouterr().out.startswith("Waiting for confirmation")
    with ReferenceServer(data, port=int(server.url.rsplit(":", 1)[1])) as back:
        assert cli.run(["sync", *account]) == ExitCode.OK
        assert [c.username for c in back.admin.list_checkins(RESIDENCY)] == [DEMO_USER]
