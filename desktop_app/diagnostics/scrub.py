"""Secrets taken out of text before it leaves the computer in a diagnostics file.

The log file is scrubbed as it is written (`desktop_app.logging_setup.scrub`); a diagnostics
file scrubs again, more widely, because a log may come from an older Rounds and may hold what
the writer's patterns missed: a password in a URL, a quoted value with spaces, a JSON Web
Token with no label.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from desktop_app.logging_setup import scrub as scrub_log_line

REDACTED = "[redacted]"
SECRET_WORD = r"[a-z_-]*(?:token|password|passwd|secret|api[_-]?key)[a-z_-]*"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # "refresh_token": "…" and 'password': '…' (JSON, and Python's repr of a dict)
    (
        re.compile(rf"""(?i)(["']{SECRET_WORD}["']\s*[:=]\s*)(["'])(?:(?!\2)[^\\]|\\.)*\2"""),
        rf"\1\2{REDACTED}\2",
    ),
    # scheme://user:password@host
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^\s:/@]*:)[^\s@/]+@"), rf"\1{REDACTED}@"),
    # Bearer … and Basic … wherever they stand
    (re.compile(r"(?i)\b((?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]{8,}"), rf"\1{REDACTED}"),
    # token=… in a query or a form
    (re.compile(rf"(?i)\b({SECRET_WORD}=)[^\s&\"']+"), rf"\1{REDACTED}"),
    # a JSON Web Token with no label
    (re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), REDACTED),
)


def scrub_text(text: str) -> str:
    """`text` with anything that looks like a credential replaced by a placeholder."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return scrub_log_line(text)


def scrub_value(name: str, value: object) -> object:
    """A setting's value as a diagnostics file may show it: a secret's is hidden, a URL's
    password too, a mapping's secret entries too."""
    if re.fullmatch(SECRET_WORD, name, re.IGNORECASE):
        return REDACTED if value else value
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, Mapping):
        return {str(key): scrub_value(str(key), item) for key, item in value.items()}
    return value
