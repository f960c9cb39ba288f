"""A rotating log file under the data folder, with secrets scrubbed from every record."""

from __future__ import annotations

import logging
import re
from logging.handlers import RotatingFileHandler

from desktop_app.config import log_dir

_SECRET_PATTERNS = [
    re.compile(r"(?i)(authorization:\s*)(bearer|basic)\s+\S+"),
    re.compile(r"(?i)((?:access|refresh)_token|password|token)([\"']?\s*[:=]\s*[\"']?)[^\s\"',&]+"),
]


def scrub(text: str) -> str:
    """Replace anything that looks like a credential with a placeholder."""
    text = _SECRET_PATTERNS[0].sub(r"\1\2 [redacted]", text)
    return _SECRET_PATTERNS[1].sub(r"\1\2[redacted]", text)


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
