"""Learning Locker's xAPI statement service (npm `xapi-statements` 5.0.1) run for a test.

It runs in memory (`MODELS_REPO=memory`, `EVENTS_REPO=test`), keeps attachments under a
temporary folder, and accepts any Basic credentials (`AUTH_REPO=test`: every token but a few
reserved test values is its test client). It listens on 127.0.0.1 only: `loopback_only.js` is
preloaded into node and binds every server it opens to loopback.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from loopback_service import LoopbackService, ServiceUnavailable

PACKAGE = "xapi-statements"
VERSION = "5.0.1"
DEFAULT_DIR = Path.home() / ".cache" / "rounds-test-npm"
PRELOAD = Path(__file__).with_name("loopback_only.js")
LISTENING = re.compile(r"^listening on 127\.0\.0\.1:(?P<port>\d+)$", re.MULTILINE)
THIRD_PARTY = "The third-party LRS"
"""How the tests name any of the LRSs they run when it is not available."""
XAPI_HEADERS = {"X-Experience-API-Version": "1.0.3"}
INSTALL_HINT = (
    "Run `make lrs` (or: mkdir -p ~/.cache/rounds-test-npm && cd ~/.cache/rounds-test-npm && "
    f"npm install {PACKAGE}@{VERSION}); ROUNDS_LRS_DIR names another folder that holds it."
)


class LrsUnavailable(ServiceUnavailable):
    """node or the package is missing, or the service did not start; says what to do."""


def package_dir(package: str = PACKAGE) -> Path:
    root = Path(os.environ.get("ROUNDS_LRS_DIR") or DEFAULT_DIR).expanduser()
    return root / "node_modules" / package


def find_node() -> str:
    node = shutil.which("node")
    if node is None:
        npm = "npm is missing too" if shutil.which("npm") is None else "npm is there"
        raise LrsUnavailable(
            f"node is not installed ({npm}). Install nodejs and npm. " + INSTALL_HINT
        )
    return node


def check_package(package: str = PACKAGE, version: str = VERSION, hint: str = INSTALL_HINT) -> Path:
    """The folder of the npm `package` in ROUNDS_LRS_DIR, if it holds `version`."""
    folder = package_dir(package)
    manifest = folder / "package.json"
    if not manifest.is_file():
        npm = "" if shutil.which("npm") else " npm is not installed either."
        raise LrsUnavailable(f"{package} is not installed in {folder.parents[1]}.{npm} " + hint)
    held = json.loads(manifest.read_text(encoding="utf-8")).get("version")
    if held != version:
        raise LrsUnavailable(f"{folder} holds {package} {held}, not {version}. " + hint)
    return folder


class LearningLocker(
    LoopbackService, label=PACKAGE, listening=LISTENING, unavailable=LrsUnavailable
):
    """A running statement service; `endpoint` is its xAPI base URL."""

    @property
    def endpoint(self) -> str:
        return f"{self.address}/xAPI"

    @classmethod
    def start(cls, workdir: Path) -> LearningLocker:
        node, folder = find_node(), check_package()
        command = [node, "-r", str(PRELOAD), str(folder / "dist" / "index.js")]
        service = cls.launch(command, workdir, "lrs.log", _environment(workdir))
        service.wait_until_answering(f"{service.endpoint}/about", XAPI_HEADERS)
        return service


def _environment(workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "MODELS_REPO": "memory",
        "STORAGE_REPO": "local",
        "AUTH_REPO": "test",
        "EVENTS_REPO": "test",
        "EXPRESS_PORT": "0",
        "FS_LOCAL_STORAGE_DIR": str(workdir / "storage"),
        "EXPRESS_MORGAN_DIRECTORY": str(workdir / "access-logs"),
        "WINSTON_CONSOLE_LEVEL": "warn",
        "NODE_NO_WARNINGS": "1",
    }
