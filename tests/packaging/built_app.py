"""Running a built Rounds from the packaging tests: its environment and a bounded run."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_S = 120


def bundle_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment a built binary runs in: offscreen, a private data folder, no D-Bus."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    return {
        **env,
        "QT_QPA_PLATFORM": "offscreen",
        "DBUS_SESSION_BUS_ADDRESS": "disabled:",
        "ROUNDS_HOME": str(home),
        **extra,
    }


def run_binary(
    binary: Path, *args: str, env: dict[str, str], timeout: float = RUN_TIMEOUT_S
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(binary), *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
