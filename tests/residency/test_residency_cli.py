"""`rounds checkin RESIDENCY --code CODE`: one plain line, exit 0 when confirmed or queued."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from residency_samples import CHECKIN_CODE, RESIDENCY_ID, FakeClock, put_residency, server_residency

from desktop_app.api import ApiClient, Tokens, TransportConfig
from desktop_app.api.tokens import MemoryTokenStore
from desktop_app.cli import checkin as cli_checkin
from desktop_app.cli import main as cli
from desktop_app.cli.exit_codes import ExitCode
from desktop_app.db import Database
from reference_server.server import ReferenceServer

FAST = TransportConfig(connect_timeout=2.0, read_timeout=10.0, retries=0)


@dataclass
class SignedInAccount:
    db: Database
    api: ApiClient


def checkin(account: SignedInAccount, clock: FakeClock, *argv: str) -> int:
    """`rounds checkin ARGV` with the account and clock of the test, read by the real parser."""
    return cli_checkin.run(cli.build_parser().parse_args(["checkin", *argv]), account, clock)


@pytest.fixture
def account(db: Database, server: ReferenceServer) -> Iterator[SignedInAccount]:
    put_residency(db)
    api = ApiClient(server.url, tokens=MemoryTokenStore(), config=FAST)
    api.sign_in("ana", "rounds-demo")
    yield SignedInAccount(db, api)
    api.close()


def test_confirmed_prints_the_confirmation_and_exits_ok(
    account: SignedInAccount, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    code = checkin(account, clock, RESIDENCY_ID, "--code", CHECKIN_CODE)
    assert code == ExitCode.OK
    assert capsys.readouterr().out == (
        "Checked in — confirmed Sun 14 Mar, 08:00 CDT (venue time).\n"
    )


def test_a_wrong_code_is_refused_with_the_reason_and_exits_failed(
    account: SignedInAccount, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    code = checkin(account, clock, RESIDENCY_ID, "--code", "OAK-17")
    printed = capsys.readouterr()
    assert code == ExitCode.FAILED and printed.out == ""
    assert printed.err.startswith(
        "rounds checkin: refused: That is not the code shown at the venue. Check it and try again."
    )


def test_already_checked_in_is_refused(
    account: SignedInAccount, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    assert checkin(account, clock, RESIDENCY_ID, "--code", CHECKIN_CODE) == ExitCode.OK
    assert checkin(account, clock, RESIDENCY_ID, "--code", CHECKIN_CODE) == ExitCode.FAILED
    assert "You are already checked in" in capsys.readouterr().err


def test_offline_is_queued_exits_ok_and_the_next_run_sends_it(
    db: Database, clock: FakeClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    put_residency(db)
    server = ReferenceServer(tmp_path / "server", clock=clock).start()
    port = server.url.rsplit(":", 1)[1]
    server.stop()
    tokens = Tokens("earlier", "refresh", datetime.now(UTC) + timedelta(hours=1))
    api = ApiClient(f"http://127.0.0.1:{port}", tokens=MemoryTokenStore(tokens), config=FAST)
    offline = SignedInAccount(db, api)
    assert checkin(offline, clock, RESIDENCY_ID, "--code", CHECKIN_CODE) == ExitCode.OK
    assert capsys.readouterr().out == (
        "Waiting for confirmation — it will be sent when you are back online.\n"
    )
    server = ReferenceServer(tmp_path / "server", port=int(port), clock=clock).start()
    try:
        server.admin.add_user("ana", "rounds-demo", "Ana Ortiz", user_id="u-ana")
        server.admin.add_residency(server_residency())
        api.sign_in("ana", "rounds-demo")
        assert checkin(offline, clock, RESIDENCY_ID, "--code", CHECKIN_CODE) == ExitCode.OK
        assert capsys.readouterr().out.startswith("Checked in — confirmed")
        assert len(server.admin.list_checkins(RESIDENCY_ID)) == 1
    finally:
        api.close()
        server.stop()


def test_wrong_usage_exits_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(["checkin", RESIDENCY_ID]) == ExitCode.USAGE
    assert "--code" in capsys.readouterr().err
