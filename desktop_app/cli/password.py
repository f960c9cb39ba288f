"""The password a headless command signs in with when the keyring holds no sign-in."""

from __future__ import annotations

import os

PASSWORD_VARIABLE = "ROUNDS_PASSWORD"


def environment_password() -> str | None:
    """The password given to a headless command through `ROUNDS_PASSWORD`, if any."""
    return os.environ.get(PASSWORD_VARIABLE) or None
