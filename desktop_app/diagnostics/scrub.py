"""Secrets taken out of text before it leaves the computer in a diagnostics file.

The log file is scrubbed as it is written (`desktop_app.logging_setup.scrub`); a diagnostics
file scrubs again with the same patterns, because a log may come from an older Rounds whose
patterns missed a password in a URL, a quoted value with spaces or a JSON Web Token with no
label.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from desktop_app.logging_setup import REDACTED, SECRET_WORD, scrub


def scrub_text(text: str) -> str:
    """`text` with anything that looks like a credential replaced by a placeholder (again:
    a log from an older Rounds may hold what its patterns missed)."""
    return scrub(text)


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
