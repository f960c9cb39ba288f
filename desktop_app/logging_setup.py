"""A rotating log file under the data folder, with secrets scrubbed from every record."""

from __future__ import annotations

import logging
import re
from logging.handlers import RotatingFileHandler

from desktop_app.config import log_dir

REDACTED = "[redacted]"
SECRET_WORD = r"[a-z_-]*(?:token|password|passwd|secret|api[_-]?key)[a-z_-]*"

_SECRET_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # "refresh_token": "…", 'password': '…' and lrs_password='…' (JSON, and Python's repr of
    # a dict or a dataclass): the whole quoted value, spaces and all
    (
        re.compile(rf"""(?i)(["']?\b{SECRET_WORD}["']?\s*[:=]\s*)(["'])(?:(?!\2)[^\\]|\\.)*\2"""),
        rf"\1\2{REDACTED}\2",
    ),
    # scheme://user:password@host
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^\s:/@]*:)[^\s@/]+@"), rf"\1{REDACTED}@"),
    # Authorization: Bearer … and Basic … wherever they stand
    (re.compile(r"(?i)(authorization:\s*)(bearer|basic)\s+\S+"), rf"\1\2 {REDACTED}"),
    (re.compile(r"(?i)\b((?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]{8,}"), rf"\1{REDACTED}"),
    # token=… in a query or a form
    (re.compile(rf"(?i)\b({SECRET_WORD}=)[^\s&\"']+"), rf"\1{REDACTED}"),
    # password: …, client_secret: … and token = … unquoted
    (
        re.compile(rf"(?i)\b({SECRET_WORD})([\"']?\s*[:=]\s*[\"']?)[^\s\"',&]+"),
        rf"\1\2{REDACTED}",
    ),
    # a JSON Web Token with no label
    (re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), REDACTED),
)


def scrub(text: str) -> str:
    """Replace anything that looks like a credential with a placeholder: labelled tokens and
    passwords (quoted, unquoted, in a form), a password in a URL, a bare JSON Web Token."""
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class ScrubbingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


def configure_logging(level: int = logging.INFO) -> logging.Handler:
    """Send the `desktop_app` loggers to `logs/rounds.log` (1 MB x 3 files)."""
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(
        folder / "rounds.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(ScrubbingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("desktop_app")
    for old in [h for h in root.handlers if isinstance(h, RotatingFileHandler)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(level)
    return handler
