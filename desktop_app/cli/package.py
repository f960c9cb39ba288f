"""`python -m desktop_app package export COURSE FILE` and `package import FILE`: course packages
for pre-loading computers (see `desktop_app.packages`).

`export` needs the server, which signs the package, and the course downloaded here. `import`
needs no network once this account has signed in here online (the server's key is kept in
its folder): it checks the package and places its files in the content store. Exit codes
(`ExitCode`): OK, FAILED (refused: one line on stderr says why), USAGE.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from desktop_app.account import Account, transport_config
from desktop_app.api.client import ApiClient
from desktop_app.cli.exit_codes import ExitCode
from desktop_app.config import AccountPaths, content_store, load_settings
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.downloads.units import format_bytes
from desktop_app.packages import CoursePackages, PackageError

USAGE = "package export COURSE FILE | package import FILE"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.usage = f"%(prog)s [--server URL] [--user NAME] {USAGE.replace('package ', '', 1)}"
    parser.add_argument("action", choices=("export", "import"), help="export or import")
    parser.add_argument(
        "operands", nargs="+", metavar="ARG", help="export: COURSE FILE; import: FILE"
    )


@dataclass(frozen=True)
class AccountOpeners:
    """How the command opens the account: signed in (export) or its cache alone (import)."""

    server_url: str
    paths: AccountPaths
    signed_in: Callable[[], Account]
    offline_cache: Callable[[], Database]

    @contextmanager
    def packages(self, online: bool) -> Iterator[CoursePackages]:
        store = ContentStore(content_store())
        if online:
            account = self.signed_in()
            try:
                yield CoursePackages.of(account, store)
            finally:
                account.close()
            return
        database = self.offline_cache()
        key_source = ApiClient(self.server_url, config=transport_config(load_settings()))
        try:  # the server is asked for its key only if none is kept here
            yield CoursePackages(self.paths, database, store, key_source)
        finally:
            key_source.close()
            database.close()


def run(
    args: argparse.Namespace,
    packages: Callable[[bool], AbstractContextManager[CoursePackages]],
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """`packages(online)` opens the account's packages (signed in for an export)."""
    out, err = out or sys.stdout, err or sys.stderr
    wanted = 2 if args.action == "export" else 1
    if len(args.operands) != wanted:
        return _fail(err, f"usage: rounds {USAGE}", ExitCode.USAGE)
    try:
        with packages(args.action == "export") as opened:
            line = _export(opened, *args.operands) if wanted == 2 else _import(opened, args)
    except PackageError as error:
        return _fail(err, error.message, ExitCode.FAILED)
    print(line, file=out, flush=True)
    return ExitCode.OK


def _export(packages: CoursePackages, course_id: str, file: str) -> str:
    result = packages.export(course_id, Path(file))
    size = format_bytes(result.size)
    return f"Exported “{result.course_title}” ({result.files} files, {size}) to {file}"


def _import(packages: CoursePackages, args: argparse.Namespace) -> str:
    result = packages.import_file(Path(args.operands[0]))
    added = f"{result.files_added} new files, {format_bytes(result.bytes_added)}"
    if result.listed:
        return f"Imported “{result.course_title}” ({added}): it is downloaded on this computer"
    return (
        f"Imported the files of “{result.course_title}” ({added}); the course appears once "
        "your catalog lists it"
    )


def _fail(err: TextIO, reason: str, code: int) -> int:
    print(f"rounds package: {' '.join(reason.split())}", file=err, flush=True)
    return code
