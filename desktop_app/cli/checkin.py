"""`python -m desktop_app checkin RESIDENCY --code CODE`: check in at the venue, headless.

Any check-ins queued earlier are sent first. Prints one plain-words line: the confirmation,
"waiting for confirmation" (queued; sent by the next sync or check-in), or why it was refused.
Exit code (`ExitCode`): OK when confirmed or queued, FAILED when refused or rejected, USAGE for
wrong usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from desktop_app.cli.exit_codes import ExitCode
from desktop_app.db import Database
from desktop_app.residency.checkin import CheckInOutcome, CheckInResult, CheckInService, Receipt
from desktop_app.residency.queries import Clock, utc_now


class _CheckInApi(Protocol):
    def post_checkin(
        self, checkin_id: str, residency_id: str, code: str, device_time: datetime
    ) -> Receipt: ...


class CheckInAccount(Protocol):
    """What the command needs of a signed-in account (desktop_app.account.Account has it)."""

    @property
    def db(self) -> Database: ...

    @property
    def api(self) -> _CheckInApi: ...


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's own arguments, for a dispatcher that builds one parser for all commands."""
    parser.add_argument(
        "residency",
        metavar="RESIDENCY",
        help="the residency id, e.g. r-2027-chicago (`status` lists them)",
    )
    parser.add_argument("--code", required=True, help="the check-in code shown at the venue")


def run(args: argparse.Namespace, account: CheckInAccount, clock: Clock = utc_now) -> int:
    """The command as `desktop_app.cli.main` dispatches it, its arguments read by main's one
    parser; tests pass their own account and clock."""
    return check_in(args.residency, args.code, account, clock)


def check_in(
    residency_id: str,
    code: str,
    account: CheckInAccount,
    clock: Clock = utc_now,
    out: Callable[[str], None] | None = None,
    err: Callable[[str], None] | None = None,
) -> int:
    """Sends queued check-ins, then checks in; prints the outcome and returns the exit code."""
    service = CheckInService(account.db, account.api.post_checkin, clock)
    earlier = _confirmed_earlier(service.flush_pending(), residency_id)
    result = earlier or service.check_in(residency_id, code)
    return _report(result, out or _stdout, err or _stderr)


def _confirmed_earlier(results: list[CheckInResult], residency_id: str) -> CheckInResult | None:
    """A queued check-in for this residency that the flush just got confirmed."""
    for result in results:
        if result.residency_id == residency_id and result.outcome is CheckInOutcome.CONFIRMED:
            return result
    return None


def _report(result: CheckInResult, out: Callable[[str], None], err: Callable[[str], None]) -> int:
    if result.outcome is CheckInOutcome.CONFIRMED:
        out(result.message)  # "Checked in — confirmed Sun 14 Mar, 08:00 CDT (venue time)."
        return ExitCode.OK
    if result.outcome is CheckInOutcome.PENDING:
        waiting = result.message.lower().startswith("waiting for confirmation")
        out(result.message if waiting else f"Waiting for confirmation: {result.message}")
        return ExitCode.OK
    reason = " ".join(result.message.split())  # one line, whatever the server wrote
    err(f"rounds checkin: refused: {reason}")
    return ExitCode.FAILED


def _stdout(line: str) -> None:
    print(line, flush=True)


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
