"""Command line: serve the API, or run an organiser command against a data folder.

python -m reference_server --data DIR [--port N] [--host 127.0.0.1] [--curriculum DIR | --demo]
                           [--public-url URL] [--shutdown-grace SECONDS]
                           [--actor-home-page URL] [--actor-mail-domain DOMAIN]
                           [--actor-mail-addresses]
                           [--activity-iri-base URL] [--extensions-iri-base URL]
                           [--sso-issuer URL --sso-client-id ID [--sso-scopes SCOPES]]
python -m reference_server migrate (--database-url URL | --data DIR)
python -m reference_server users --data DIR add|set-email|disable|enable|reset-password|enrol|list
python -m reference_server admin --data DIR load CURRICULUM_DIR
python -m reference_server admin --data DIR publish|unpublish COURSE_ID
python -m reference_server admin --data DIR checkins RESIDENCY_ID
python -m reference_server admin --data DIR generate N_COURSES LESSONS_PER_COURSE
python -m reference_server certificates --data DIR revoke CERTIFICATE_ID...
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

from sqlalchemy.exc import SQLAlchemyError

from reference_server.admin import Admin
from reference_server.backend import Backend
from reference_server.certificates import CertificateDesk, revoke_command
from reference_server.curriculum import CurriculumError
from reference_server.db import Database, default_database_url
from reference_server.documents import rfc3339
from reference_server.learner_identity import (
    IdentityError,
    IdentitySettings,
    checked_mail_domain,
    checked_url,
)
from reference_server.lrs_proxy import UpstreamLrs, UpstreamLrsError
from reference_server.operations import configure_logging
from reference_server.schema import UnknownRevision
from reference_server.server import SAMPLE_CURRICULUM, ReferenceServer
from reference_server.sso_provider import SSO_CLIENT_SECRET, SsoSettingError, SsoSettings
from reference_server.users_cli import main as users_main

DEFAULT_SHUTDOWN_GRACE = 30.0


def _serve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m reference_server",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"Rounds {server_version()}")
    parser.add_argument("--data", type=Path, required=True, help="data folder (created if missing)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port; 0 picks a free one")
    loads = parser.add_mutually_exclusive_group()
    loads.add_argument("--curriculum", type=Path, help="curriculum folder to load at start")
    loads.add_argument(
        "--demo",
        action="store_true",
        help="load the sample curriculum with its demo users (ana, ben: password rounds-demo)",
    )
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: SQLite in --data)")
    parser.add_argument(
        "--public-url",
        type=_public_url,
        help="the address learners know it by; names their xAPI accounts",
    )
    _identity_arguments(parser)
    _sso_arguments(parser)
    parser.add_argument(
        "--shutdown-grace",
        type=float,
        default=DEFAULT_SHUTDOWN_GRACE,
        help="seconds requests in flight may take to finish after SIGTERM (default 30)",
    )
    return parser


def _identity_arguments(parser: argparse.ArgumentParser) -> None:
    """How learners are named to a learning record store (docs/api.md, sign-in `xapi`)."""
    group = parser.add_argument_group("learners in xAPI statements")
    for flag, what in (
        ("--actor-home-page", "the home page of learners' xAPI accounts: the LMS or identity "
         "provider the hospital's LRS knows them by (default: the public URL)"),
        ("--activity-iri-base", "IRI base of activities (default: PUBLIC_URL/activities)"),
        ("--extensions-iri-base",
         "IRI base of Rounds' xAPI extensions (default: PUBLIC_URL/xapi/extensions)"),
    ):  # fmt: skip
        group.add_argument(flag, type=_identity_url(flag), default="", help=what)
    group.add_argument(
        "--actor-mail-domain",
        type=_mail_domain,
        default="",
        help="name learners by mbox, username@DOMAIN, instead of an account",
    )
    group.add_argument(
        "--actor-mail-addresses",
        action="store_true",
        help="name a learner whose own e-mail address the server knows (users add --email, "
        "users set-email, a provider's verified email) by that address's mbox",
    )


def _sso_arguments(parser: argparse.ArgumentParser) -> None:
    """The hospital's OpenID Connect provider (docs/api.md, "Single sign-on"). The client
    secret is read from ROUNDS_SSO_CLIENT_SECRET only, never from the command line, which
    every user of the machine can read."""
    group = parser.add_argument_group("hospital single sign-on (OpenID Connect)")
    group.add_argument("--sso-issuer", default="", help="the provider's issuer URL (default: off)")
    group.add_argument("--sso-client-id", default="", help="this server's client id there")
    group.add_argument(
        "--sso-scopes", default="", help="scopes asked for (default: openid profile email)"
    )


def _sso_settings(options: argparse.Namespace) -> SsoSettings | None:
    return SsoSettings.configured(
        options.sso_issuer,
        options.sso_client_id,
        os.environ.get(SSO_CLIENT_SECRET, ""),
        options.sso_scopes,
    )


def _identity_url(flag: str) -> Callable[[str], str]:
    def checked(text: str) -> str:
        try:
            return checked_url(text, flag)
        except IdentityError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return checked


def _mail_domain(text: str) -> str:
    try:
        return checked_mail_domain(text)
    except IdentityError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def server_version() -> str:
    """The version of the Rounds distribution this server comes with (pyproject.toml's), as the
    client's `desktop_app.version` reads it; "development" without package metadata."""
    try:
        return metadata.version("rounds")
    except metadata.PackageNotFoundError:
        return "development"


def _public_url(text: str) -> str:
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"{text!r} is not an http(s) URL")
    return text


def _admin_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m reference_server admin")
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--database-url")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("load", help="load and publish a curriculum folder").add_argument(
        "folder", type=Path
    )
    commands.add_parser("publish", help="publish a course").add_argument("course_id")
    commands.add_parser("unpublish", help="unpublish a course").add_argument("course_id")
    commands.add_parser("checkins", help="list a residency's check-ins").add_argument(
        "residency_id"
    )
    generate = commands.add_parser("generate", help="publish a large synthetic catalog")
    generate.add_argument("courses", type=int)
    generate.add_argument("lessons_per_course", type=int)
    return parser


def serve(argv: Sequence[str]) -> int:
    options = _serve_parser().parse_args(argv)
    configure_logging()
    curriculum = SAMPLE_CURRICULUM if options.demo else options.curriculum
    if curriculum is not None and not curriculum.is_dir():
        print(f"error: no curriculum folder at {curriculum}", file=sys.stderr)
        return 2
    try:
        lrs_upstream = UpstreamLrs.from_environ(os.environ)
    except UpstreamLrsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        sso = _sso_settings(options)
    except SsoSettingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    server = ReferenceServer(
        options.data,
        curriculum,
        options.host,
        options.port,
        database_url=options.database_url,
        public_url=options.public_url,
        shutdown_grace=options.shutdown_grace,
        identity=IdentitySettings(
            options.actor_home_page,
            options.actor_mail_domain,
            options.activity_iri_base,
            options.extensions_iri_base,
            options.actor_mail_addresses,
        ),
        lrs_upstream=lrs_upstream,
        sso=sso,
    )
    try:
        server.start()
    except CurriculumError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    run_until_signal(server)
    return 0


def run_until_signal(server: ReferenceServer) -> None:
    """Says where the started server listens, then serves until SIGINT or SIGTERM; stopping
    lets requests in flight finish (up to the server's shutdown grace)."""
    print(f"Rounds reference server listening on {server.url}", flush=True)
    _wait_for_signal()
    server.stop()


def _wait_for_signal() -> None:
    stop = threading.Event()

    def _handle(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    for name in ("SIGINT", "SIGTERM", "SIGBREAK"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _handle)
    while not stop.wait(0.5):
        pass


def admin(argv: Sequence[str]) -> int:
    options = _admin_parser().parse_args(argv)
    backend = Backend.open(options.data, options.database_url)
    try:
        _run_admin(Admin(backend), options)
    except (CurriculumError, KeyError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        backend.close()
    return 0


def _run_admin(admin: Admin, options: argparse.Namespace) -> None:
    if options.command == "load":
        report = admin.load_curriculum(options.folder)
        print(
            f"loaded {report.users} users, {report.courses} courses "
            f"({report.changed_courses} changed), {report.residencies} residencies"
        )
    elif options.command in ("publish", "unpublish"):
        changed = getattr(admin, f"{options.command}_course")(options.course_id)
        print(
            f"{options.course_id}: {options.command}ed"
            if changed
            else f"{options.course_id}: unchanged"
        )
    elif options.command == "checkins":
        _print_checkins(admin, options.residency_id)
    elif options.command == "generate":
        ids = admin.generate_catalog(options.courses, options.lessons_per_course)
        print(f"published {len(ids)} generated courses")


def _print_checkins(admin: Admin, residency_id: str) -> None:
    rows = admin.list_checkins(residency_id)
    print("received_at\tdevice_time\tusername\tdisplay_name\tcheckin_id")
    for row in rows:
        print(
            f"{rfc3339(row.received_at)}\t{rfc3339(row.device_time)}\t{row.username}\t"
            f"{row.display_name}\t{row.id}"
        )
    print(f"{len(rows)} check-in(s)", file=sys.stderr)


def certificates(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m reference_server certificates")
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--database-url")
    commands = parser.add_subparsers(dest="command", required=True)
    revoke = commands.add_parser("revoke", help="revoke certificates by their ids")
    revoke.add_argument("ids", nargs="+", metavar="CERTIFICATE_ID")
    options = parser.parse_args(argv)
    backend = Backend.open(options.data, options.database_url)
    desk = CertificateDesk(
        backend.db, backend.signer, backend.server_id, backend.home_page, backend.clock
    )
    try:
        for line in revoke_command(desk, options.ids):
            print(line)
    except KeyError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 1
    finally:
        backend.close()
    return 0


def _migrate_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m reference_server migrate",
        description="Upgrade the server's database to this version's schema (back it up first).",
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--database-url", help="SQLAlchemy URL of the database")
    where.add_argument("--data", type=Path, help="data folder whose SQLite database to upgrade")
    return parser


def migrate(argv: Sequence[str]) -> int:
    options = _migrate_parser().parse_args(argv)
    if options.data is not None and not options.data.is_dir():
        print(f"error: no data folder at {options.data}", file=sys.stderr)
        return 2
    url = options.database_url or default_database_url(options.data)
    database = Database(url)
    try:
        done = database.migrate()
    except SQLAlchemyError as error:
        print(f"error: the database cannot be upgraded ({type(error).__name__}).", file=sys.stderr)
        return 1
    except UnknownRevision as error:
        print(
            f"error: the database is at revision {error.current}, which this version does not "
            "know: a newer version upgraded it. Run that version, or restore a backup.",
            file=sys.stderr,
        )
        return 1
    finally:
        database.dispose()
    if done.before == done.after:
        print(f"The database is at revision {done.after} already.")
    else:
        print(f"Upgraded the database from revision {done.before or 'none'} to {done.after}.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["migrate"]:
        return migrate(arguments[1:])
    if arguments[:1] == ["admin"]:
        return admin(arguments[1:])
    if arguments[:1] == ["certificates"]:
        return certificates(arguments[1:])
    if arguments[:1] == ["users"]:
        return users_main(arguments[1:])
    return serve(arguments)


if __name__ == "__main__":
    sys.exit(main())
