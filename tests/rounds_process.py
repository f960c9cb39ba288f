"""`rounds` run as a process of its own, as IT runs it: its own data folder, no keyring, no
terminal, the password (when given) in ROUNDS_PASSWORD."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from server_fixture import DEMO_PASSWORD

TIMEOUT = 90
"""Seconds a command may take: a sync and a download on a loaded machine, many times over."""


def rounds(
    home: Path, *args: str, password: str | None = DEMO_PASSWORD
) -> subprocess.CompletedProcess[str]:
    """`python -m desktop_app ARGS` with `home` as its data folder, its output captured."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROUNDS_")}
    env.update(
        ROUNDS_HOME=str(home),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        DBUS_SESSION_BUS_ADDRESS="disabled:",
    )
    if password is not None:
        env["ROUNDS_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
