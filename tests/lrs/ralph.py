"""ralph (PyPI `ralph-malph[cli,lrs]` 5.1.0), an LRS with a file backend, run for a test.

Its pins conflict with ours, so `make ralph` installs it into a venv of its own
($ROUNDS_RALPH_DIR, by default ~/.cache/rounds-test-ralph). It is started as uvicorn serving
`ralph.api:app` on 127.0.0.1 with the `fs` backend writing under a temporary folder, and one
Basic user (`KEY`/`SECRET`) in its authentication file. `ralph_app.py` starts it, so that the
file backend appends each POST (ralph 5.1.0's stores only the first one).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from loopback_service import LoopbackService, ServiceUnavailable

PACKAGE = "ralph-malph"
VERSION = "5.1.0"
DEFAULT_DIR = Path.home() / ".cache" / "rounds-test-ralph"
KEY, SECRET = "rounds-test-key", "rounds-test-secret"
SECRET_HASH = "$2b$12$cOsvOB.wZ2M3Pc9QQs7.UeFc5BQyG77KU2o5hto0zVJc2pAcPL4Le"  # bcrypt of SECRET
LAUNCHER = Path(__file__).with_name("ralph_app.py")
LISTENING = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(?P<port>\d+)")
INSTALL_HINT = (
    f"Run `make ralph` (a venv in {DEFAULT_DIR} with {PACKAGE}[cli,lrs]=={VERSION}); "
    "ROUNDS_RALPH_DIR names another venv that holds it."
)


class RalphUnavailable(ServiceUnavailable):
    """The venv or the package is missing, or ralph did not start; says what to do."""


def venv_python() -> Path:
    root = Path(os.environ.get("ROUNDS_RALPH_DIR") or DEFAULT_DIR).expanduser()
    python = root / "bin" / "python"
    if not python.is_file():
        raise RalphUnavailable(f"There is no venv for ralph in {root}. " + INSTALL_HINT)
    found = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('ralph-malph'))"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    if found.stdout.strip() != VERSION:
        held = found.stdout.strip() or "no ralph"
        raise RalphUnavailable(f"{root} holds {held}, not {PACKAGE} {VERSION}. " + INSTALL_HINT)
    return python


class Ralph(LoopbackService, label="ralph", listening=LISTENING, unavailable=RalphUnavailable):
    """A running ralph; `endpoint` is its xAPI base URL."""

    @property
    def endpoint(self) -> str:
        return f"{self.address}/xAPI"

    @classmethod
    def start(cls, workdir: Path) -> Ralph:
        python = venv_python()
        (workdir / "statements").mkdir(parents=True, exist_ok=True)
        command = [str(python), "-P", str(LAUNCHER), "ralph.api:app", "--host", "127.0.0.1",
                   "--port", "0", "--no-access-log"]  # fmt: skip
        service = cls.launch(command, workdir, "ralph.log", _environment(workdir))
        service.wait_until_answering(f"{service.address}/__heartbeat__")
        return service


def _environment(workdir: Path) -> dict[str, str]:
    auth = workdir / "auth.json"
    user = {"agent": {"objectType": "Agent", "account": {"homePage": "https://rounds.example",
            "name": KEY}}, "scopes": ["all"], "hash": SECRET_HASH, "username": KEY}  # fmt: skip
    auth.write_text(json.dumps([user]), encoding="utf-8")
    return {
        **os.environ,
        "RALPH_APP_DIR": str(workdir),
        "RALPH_AUTH_FILE": str(auth),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(workdir / "statements"),
        "RALPH_SENTRY_DSN": "",
    }
