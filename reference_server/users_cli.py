"""`python -m reference_server users`: the operator's user and enrolment command.

python -m reference_server users --data DIR add USERNAME --name "Display Name" [--id ID]
                                                [--email ADDRESS]
python -m reference_server users --data DIR set-email USERNAME (ADDRESS | --none)
python -m reference_server users --data DIR disable|enable USERNAME
python -m reference_server users --data DIR reset-password USERNAME
python -m reference_server users --data DIR enrol USERNAME RESIDENCY_ID
python -m reference_server users --data DIR list

A password is asked for twice on a terminal, or read as one line from standard input with
--password-stdin. Exit status: 0 done, 1 refused (the reason on standard error), 2 bad usage.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path

from reference_server.backend import Backend
from reference_server.users import UserError, Users

REFUSED = 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m reference_server users",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--data", type=Path, required=True, help="the server's data folder")
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: SQLite in --data)")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="add a user")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="the name shown to people (and on badges)")
    add.add_argument("--id", default="", help="the user's stable id (default: u-USERNAME)")
    add.add_argument("--email", default="", help="their own e-mail address (see set-email)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    email = commands.add_parser(
        "set-email", help="set or change a user's own e-mail address, the one an LRS knows them by"
    )
    email.add_argument("username")
    which = email.add_mutually_exclusive_group(required=True)
    which.add_argument("address", nargs="?", default=None)
    which.add_argument("--none", action="store_true", help="remove the user's address")
    for name, text in (("disable", "stop a user signing in"), ("enable", "let them again")):
        commands.add_parser(name, help=text).add_argument("username")
    reset = commands.add_parser("reset-password", help="set a new password; ends their sessions")
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    enrol = commands.add_parser("enrol", help="enrol a user in a residency")
    enrol.add_argument("username")
    enrol.add_argument("residency_id")
    commands.add_parser("list", help="list users, their state and their residencies")
    return parser


def _password(options: argparse.Namespace) -> str:
    if options.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Repeat it: ") != first:
        raise UserError("The two passwords differ.")
    return first


def _run(users: Users, options: argparse.Namespace) -> None:
    command, username = options.command, getattr(options, "username", "")
    if command == "add":
        user_id = users.add(username, _password(options), options.name, options.id, options.email)
        print(f"added {username} ({user_id})")
    elif command == "set-email":
        address = users.set_email(username, None if options.none else options.address)
        print(f"{username}: e-mail address {address}" if address else f"{username}: no address")
    elif command == "disable":
        users.disable(username)
        print(f"{username}: disabled, signed out everywhere")
    elif command == "enable":
        users.enable(username)
        print(f"{username}: enabled")
    elif command == "reset-password":
        users.reset_password(username, _password(options))
        print(f"{username}: new password set, signed out everywhere")
    elif command == "enrol":
        done = users.enrol(username, options.residency_id)
        print(
            f"{username}: {'enrolled in' if done else 'already enrolled in'} {options.residency_id}"
        )
    else:
        _print_users(users)


def _print_users(users: Users) -> None:
    rows = users.list()
    print("username\tdisplay_name\tid\tstate\tpassword\tresidencies\temail")
    for row in rows:
        state = "disabled" if row.disabled else "active"
        places = ",".join(row.residencies) or "-"
        print(
            f"{row.username}\t{row.display_name}\t{row.id}\t{state}\t{row.password_hash}\t{places}"
            f"\t{row.email or '-'}"
        )
    print(f"{len(rows)} user(s)", file=sys.stderr)


def main(argv: Sequence[str]) -> int:
    options = _parser().parse_args(argv)
    backend = Backend.open(options.data, options.database_url)
    try:
        _run(Users(backend), options)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return REFUSED
    finally:
        backend.close()
    return 0
