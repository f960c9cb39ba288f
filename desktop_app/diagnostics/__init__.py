"""A diagnostics file for IT: one zip with what is needed to understand a problem on this
computer, and no secret. `python -m desktop_app diagnostics FILE` and Help → Save
diagnostics… write it.

It holds `report.txt` (versions, the settings and policy in force, each account database's
`PRAGMA quick_check` and last sync, disk space, the proxy and TLS set-up) and the log files,
scrubbed of tokens and passwords (`desktop_app.diagnostics.scrub`). It is written whole or not
at all.
"""

from __future__ import annotations

import io
import logging
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from desktop_app.atomic_file import write_bytes_atomically
from desktop_app.config import log_dir
from desktop_app.diagnostics.report import Section, gather
from desktop_app.diagnostics.scrub import scrub_text
from desktop_app.text import Message, translate

log = logging.getLogger(__name__)

CANNOT_WRITE = translate("diagnostics", "The diagnostics could not be saved in {folder}: {reason}.")
SAVED = translate("diagnostics", "Diagnostics saved to {path}.")


class DiagnosticsError(Exception):
    """The file could not be written; `message` says why in one sentence."""

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.message = message


def write_diagnostics(path: Path) -> Message:
    """Write the diagnostics zip to `path` (replacing a file there); the sentence to show."""
    data = diagnostics_zip(gather(), log_files())
    try:
        write_bytes_atomically(path, data)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise DiagnosticsError(
            CANNOT_WRITE.format(folder=str(path.parent), reason=reason)
        ) from error
    log.info("diagnostics written to %s (%d bytes)", path, len(data))
    return SAVED.format(path=str(path))


def log_files() -> list[Path]:
    """The current log and its rotated predecessors, newest first."""
    return sorted(log_dir().glob("rounds.log*"))


def diagnostics_zip(sections: tuple[Section, ...], logs: list[Path]) -> bytes:
    """The zip's bytes: the report, then each log scrubbed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("report.txt", report_text(sections))
        for path in logs:
            archive.writestr(f"logs/{path.name}", scrub_text(_read(path)))
    return buffer.getvalue()


def report_text(sections: tuple[Section, ...]) -> str:
    made = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    heading = f"Rounds diagnostics, made {made}"
    return "\n\n".join([heading, *(section.text() for section in sections)]) + "\n"


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        return f"(this log could not be read: {error.strerror or type(error).__name__})\n"
