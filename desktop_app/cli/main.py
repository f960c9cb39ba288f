"""Headless commands, for IT and scripts: `python -m desktop_app COMMAND [--server] [--user]`.

    sync      pull the catalog and schedule, upload progress, pull progress from other devices
    status    what the cache holds and when it was last synced, and the ids of its courses
              and residencies, for `download` and `checkin` (no network)
    download  download a course (or --module) for offline study, with a progress bar
    checkin   check in at a residency with the code shown at the venue (queued when offline)
    export    write the learner's progress to a JSON file (for machines that are never online)
    import    merge a progress file exported on another machine
    requeue   offer the statements the server set aside for upload again (no network)
    package   export COURSE FILE: a signed course package; import FILE: pre-load one
    certificate  COURSE FILE.pdf: save the certificate of a completed course
    verify    FILE.pdf or TOKEN: check a certificate offline (who, what, when, or why not)
    diagnostics  write a zip for IT: logs without secrets, versions, settings, checks

`--server` and `--user` default to the last signed-in account. `sync` uses the sign-in kept in
the keyring, else the password in ROUNDS_PASSWORD, else asks for it (in a terminal).
Exit codes: the one table in `desktop_app.cli.exit_codes`, shared by every command.
Every failure prints one line saying why.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from desktop_app.account import Account
from desktop_app.api.errors import ApiError, AuthenticationError, SessionExpiredError
from desktop_app.cache_repair import CacheRepair, open_cache
from desktop_app.cli import certificate as cli_certificate
from desktop_app.cli import checkin as cli_checkin
from desktop_app.cli import diagnostics as cli_diagnostics
from desktop_app.cli import download as cli_download
from desktop_app.cli import package as cli_package
from desktop_app.cli.exit_codes import ExitCode
from desktop_app.cli.password import PASSWORD_VARIABLE, environment_password
from desktop_app.config import AccountPaths, content_store, load_settings, log_dir
from desktop_app.content_store import ContentStore
from desktop_app.db import CacheBusyError, DamagedCacheError, Database
from desktop_app.error_text import cache_busy, describe
from desktop_app.logging_setup import configure_logging
from desktop_app.models import Course, Residency
from desktop_app.progress import OutboxQueue, ProgressExchange, ProgressFileError
from desktop_app.progress.identity import learner_actor
from desktop_app.sso import passcode as sso_passcode
from desktop_app.study import Study, StudySyncSummary
from desktop_app.sync.status import read_status

log = logging.getLogger(__name__)


class UsageError(Exception):
    """The command cannot run as asked; the message says what to change."""


@dataclass(frozen=True)
class Target:
    server_url: str
    username: str
    command: str

    @property
    def label(self) -> str:
        return f"{self.username} on {self.server_url}"


def _path_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="PATH", type=Path, help="the progress file")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rounds", description="Rounds headless commands")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    specs: tuple[tuple[str, str, Callable[[argparse.ArgumentParser], None] | None], ...] = (
        ("sync", "pull the catalog and schedule, upload and pull progress", None),
        ("status", "show what is cached, when it was last synced, and course ids", None),
        ("download", "download a course for offline study", cli_download.add_arguments),
        ("checkin", "check in at a residency", cli_checkin.add_arguments),
        ("export", "write your progress to a JSON file", _path_argument),
        ("import", "merge a progress file from another machine", _path_argument),
        ("requeue", "offer the statements the server set aside for upload again", None),
        (
            "package",
            "export or import a course package, to pre-load computers",
            cli_package.add_arguments,
        ),
        ("diagnostics", cli_diagnostics.HELP, cli_diagnostics.add_arguments),
        (
            "certificate",
            "save your certificate of a completed course as a PDF",
            cli_certificate.add_certificate_arguments,
        ),
        ("verify", "check a certificate offline", cli_certificate.add_verify_arguments),
    )
    for name, text, add_arguments in specs:
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("--server", help="server URL (default: the last one used)")
        command.add_argument("--user", help="username (default: the last one signed in)")
        if add_arguments is not None:
            add_arguments(command)
    return parser


def run(argv: list[str]) -> int:
    """Run one command; returns the process exit code."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else ExitCode.USAGE
    configure_logging()
    if args.command == "diagnostics":  # needs no account: IT runs it where nobody signed in
        return cli_diagnostics.run(args)
    command = COMMANDS[args.command]
    try:
        return command(_target(args), args)
    except UsageError as error:
        return _fail(args.command, str(error), ExitCode.USAGE)
    except AuthenticationError as error:
        return _fail(args.command, error.message, ExitCode.SIGN_IN_REFUSED)
    except ApiError as error:
        return _fail(args.command, error.message, ExitCode.FAILED)
    except (DamagedCacheError, CacheBusyError) as error:
        return _fail(args.command, describe(error).message, ExitCode.FAILED)
    except (OSError, SQLAlchemyError) as error:
        log.exception("%s failed", args.command)
        return _fail(args.command, _local_failure(error), ExitCode.FAILED)
    except ProgressFileError as error:
        return _fail(args.command, str(error), ExitCode.FAILED)
    except KeyboardInterrupt:
        return _fail(
            args.command, "interrupted; the next run continues from here", ExitCode.INTERRUPTED
        )
    except Exception as error:  # a bug: one line for the learner, the traceback to the log
        log.exception("%s failed on an unexpected error", args.command)
        reason = f"something went wrong ({type(error).__name__}); {_details_logged()}"
        return _fail(args.command, reason, ExitCode.FAILED)


def _local_failure(error: OSError | SQLAlchemyError) -> str:
    """One sentence: SQLAlchemy's own text holds the SQL statement and a link to its docs."""
    if isinstance(error, OSError) or cache_busy(error):
        return describe(error).message
    reason = str(getattr(error, "orig", None) or type(error).__name__)
    return f"the local cache could not be used ({reason}); {_details_logged()}"


def _target(args: argparse.Namespace) -> Target:
    settings = load_settings()
    username = (args.user or settings.username).strip()
    if not username:
        raise UsageError("no account given: pass --user NAME (nobody has signed in here yet)")
    return Target((args.server or settings.server_url).strip().rstrip("/"), username, args.command)


def sync_command(target: Target, _args: argparse.Namespace) -> int:
    account = _signed_in(target)
    try:
        summary = _study_sync(account)
    except SessionExpiredError as expired:
        account.close()
        account = Account.sign_in(target.server_url, target.username, _password(target, expired))
        summary = _study_sync(account)
    finally:
        account.close()
    failure = _progress_failure(summary)
    if failure:
        reason = f"the catalog is up to date, but progress could not be synced: {failure}"
        return _fail("sync", reason, ExitCode.FAILED)
    print(summary, flush=True)
    return ExitCode.OK


def _progress_failure(summary: StudySyncSummary) -> str:
    """Why progress did not go up or come down, or "" if it did: the catalog may well be
    fresh while the learner's work still waits, and scripts must see that."""
    upload = summary.upload
    if upload is not None and upload.error is not None:
        return upload.error.message
    return summary.progress_error


def _study_sync(account: Account) -> StudySyncSummary:
    study = Study(account, ContentStore(content_store()))
    try:
        return study.sync()
    finally:
        study.close()


def download_command(target: Target, args: argparse.Namespace) -> int:
    account = _signed_in(target)
    try:
        return cli_download.download_course(
            account.api,
            account.db,
            ContentStore(content_store()),
            args.course,
            module_id=args.module,
            settings=account.settings,
        )
    finally:
        account.close()


def checkin_command(target: Target, args: argparse.Namespace) -> int:
    account = _signed_in(target)
    try:
        return cli_checkin.run(args, account)
    finally:
        account.close()


def _with_offline_exchange(target: Target, use: Callable[[ProgressExchange], int]) -> int:
    """`use` the account's progress log, opened without the network to export or import."""
    database = _offline_cache(target)
    try:
        return use(ProgressExchange(database, learner_actor(target.server_url, target.username)))
    finally:
        database.close()


def export_command(target: Target, args: argparse.Namespace) -> int:
    count = _with_offline_exchange(target, lambda exchange: exchange.export_to(args.path))
    print(f"Exported {count} statement(s) to {args.path}", flush=True)
    return ExitCode.OK


def import_command(target: Target, args: argparse.Namespace) -> int:
    count = _with_offline_exchange(target, lambda exchange: exchange.import_from(args.path))
    print(f"Imported {count} new statement(s) from {args.path}", flush=True)
    return ExitCode.OK


def package_command(target: Target, args: argparse.Namespace) -> int:
    paths = AccountPaths.for_account(target.server_url, target.username)
    openers = cli_package.AccountOpeners(
        target.server_url, paths, partial(_signed_in, target), partial(_offline_cache, target)
    )
    return cli_package.run(args, openers.packages)


def requeue_command(target: Target, _args: argparse.Namespace) -> int:
    count = 0
    if _cache_path(target).exists():
        database = _offline_cache(target)
        try:
            count = OutboxQueue(database).requeue_quarantined()
        finally:
            database.close()
    print(f"Queued {count} statement(s) again; they upload at the next sync", flush=True)
    return ExitCode.OK


def certificate_command(target: Target, args: argparse.Namespace) -> int:
    return cli_certificate.save(target.server_url, target.username, args)


def verify_command(target: Target, args: argparse.Namespace) -> int:
    return cli_certificate.verify(target.server_url, target.username, args)


def _signed_in(target: Target) -> Account:
    """The stored sign-in if there is one, else a new one with the password; with the server
    out of reach, an account that signed in here before opens with it offline (a check-in is
    then queued; whatever needs the server fails as offline)."""
    account = Account.resume(target.server_url, target.username)
    if account is None:
        password = _password(target)
        account = sso_passcode.sign_in_or_offline(target.server_url, target.username, password)
    _tell_repair(target, account.cache_repair)
    return account


def _cache_path(target: Target) -> Path:
    return AccountPaths.for_account(target.server_url, target.username).database


def _offline_cache(target: Target) -> Database:
    """The account's cache opened without the network, as the window and `sync` open it: a
    damaged one is rebuilt first, keeping the progress it still holds, and one line says so."""
    database, repair = open_cache(_cache_path(target))
    _tell_repair(target, repair)
    return database


def _tell_repair(target: Target, repair: CacheRepair | None) -> None:
    """One line when the cache was found damaged and rebuilt; the command carries on."""
    if repair is not None:
        print(f"rounds {target.command}: {repair}", file=sys.stderr, flush=True)


def _password(target: Target, expired: SessionExpiredError | None = None) -> str:
    """ROUNDS_PASSWORD, or a prompt in a terminal; otherwise the reason it cannot sign in."""
    password = environment_password()
    if password is not None:
        return password
    if sys.stdin.isatty():
        return getpass.getpass(f"Password for {target.label}: ")
    if expired is not None:
        raise expired
    raise UsageError(f"not signed in and no password: set {PASSWORD_VARIABLE} or run in a terminal")


def status_command(target: Target, _args: argparse.Namespace) -> int:
    if not _cache_path(target).exists():
        print(f"{target.label}: nothing cached yet (run sync first)", flush=True)
        return ExitCode.OK
    database = _offline_cache(target)
    try:
        with database.session() as session:
            status = read_status(session)
            courses = [
                (row.id, row.title)
                for row in session.execute(
                    select(Course.id, Course.title).order_by(Course.position)
                )
            ]
            by_start = select(Residency.id, Residency.title).order_by(Residency.starts_at)
            residencies = [(row.id, row.title) for row in session.execute(by_start)]
    finally:
        database.close()
    print(f"{target.label}: {status}", flush=True)
    _print_ids("Courses (pass the id to `download`):", courses)
    _print_ids("Residencies (pass the id to `checkin`):", residencies)
    return ExitCode.OK


def _print_ids(heading: str, rows: list[tuple[str, str]]) -> None:
    """Under `heading`, one `id  title` line each, ids padded to one column."""
    if not rows:
        return
    width = max(len(ident) for ident, _title in rows)
    lines = [heading, *(f"  {ident.ljust(width)}  {title}" for ident, title in rows)]
    print("\n".join(lines), flush=True)


def _details_logged() -> str:
    return f"the details are in the log file in {log_dir()}"


def _fail(command: str, reason: str, code: int) -> int:
    one_line = " ".join(reason.split())
    print(f"rounds {command}: {one_line}", file=sys.stderr, flush=True)
    return code


COMMANDS: dict[str, Callable[[Target, argparse.Namespace], int]] = {
    "sync": sync_command,
    "status": status_command,
    "download": download_command,
    "checkin": checkin_command,
    "export": export_command,
    "import": import_command,
    "requeue": requeue_command,
    "package": package_command,
    "certificate": certificate_command,
    "verify": verify_command,
}


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
