"""`python -m desktop_app diagnostics FILE`: the diagnostics zip for IT, without an account,
the network or Qt (see `desktop_app.diagnostics`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop_app.cli.exit_codes import ExitCode
from desktop_app.diagnostics import DiagnosticsError, write_diagnostics

HELP = "write a zip for IT: logs without secrets, versions, settings, policy, database checks"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path", metavar="FILE", type=Path, help="the zip to write (one there is replaced)"
    )


def run(args: argparse.Namespace) -> int:
    try:
        saved = write_diagnostics(args.path.expanduser())
    except DiagnosticsError as error:
        print(f"rounds diagnostics: {error.message}", file=sys.stderr, flush=True)
        return ExitCode.FAILED
    print(saved, flush=True)
    return ExitCode.OK
