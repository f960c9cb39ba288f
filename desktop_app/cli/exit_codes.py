"""The exit codes of every headless command, in one table.

Scripts branch on these numbers, so each value keeps one meaning across all commands; 2 is
argparse's own code for wrong usage, and 130 is what a shell reports after Ctrl+C.
"""

from __future__ import annotations

from enum import IntEnum, unique


@unique
class ExitCode(IntEnum):
    OK = 0
    FAILED = 1
    USAGE = 2
    SIGN_IN_REFUSED = 3
    NO_SPACE = 4
    NOT_FOUND = 5
    INTERRUPTED = 130


MEANINGS = {
    ExitCode.OK: "done",
    ExitCode.FAILED: "failed or refused",
    ExitCode.USAGE: "wrong usage",
    ExitCode.SIGN_IN_REFUSED: "sign-in refused or expired",
    ExitCode.NO_SPACE: "not enough disk space",
    ExitCode.NOT_FOUND: "unknown course or module",
    ExitCode.INTERRUPTED: "interrupted",
}


def summary() -> str:
    """The table on one line, for `--help`."""
    return ", ".join(f"{code.value} {meaning}" for code, meaning in MEANINGS.items())
