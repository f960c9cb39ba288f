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
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests

PACKAGE = "xapi-statements"
VERSION = "5.0.1"
DEFAULT_DIR = Path.home() / ".cache" / "rounds-test-npm"
PRELOAD = Path(__file__).with_name("loopback_only.js")
LISTENING = re.compile(r"^listening on (127\.0\.0\.1):(\d+)$", re.MULTILINE)
START_TIMEOUT = 60.0
INSTALL_HINT = (
    "Run `make lrs` (or: mkdir -p ~/.cache/rounds-test-npm && cd ~/.cache/rounds-test-npm && "
    f"npm install {PACKAGE}@{VERSION}); ROUNDS_LRS_DIR names another folder that holds it."
)


class LrsUnavailable(Exception):
    """node or the package is missing, or the service did not start; says what to do."""


def package_dir() -> Path:
    root = Path(os.environ.get("ROUNDS_LRS_DIR") or DEFAULT_DIR).expanduser()
    return root / "node_modules" / PACKAGE


def find_node() -> str:
    node = shutil.which("node")
    if node is None:
        npm = "npm is missing too" if shutil.which("npm") is None else "npm is there"
        raise LrsUnavailable(
            f"node is not installed ({npm}). Install nodejs and npm. " + INSTALL_HINT
        )
    return node


def check_package() -> Path:
    folder = package_dir()
    manifest = folder / "package.json"
    if not manifest.is_file():
        npm = "" if shutil.which("npm") else " npm is not installed either."
        raise LrsUnavailable(
            f"{PACKAGE} is not installed in {folder.parents[1]}.{npm} " + INSTALL_HINT
        )
    version = json.loads(manifest.read_text(encoding="utf-8")).get("version")
    if version != VERSION:
        raise LrsUnavailable(f"{folder} holds {PACKAGE} {version}, not {VERSION}. " + INSTALL_HINT)
    return folder


@dataclass
class LearningLocker:
    """A running statement service; `endpoint` is its xAPI base URL."""

    process: subprocess.Popen[bytes]
    endpoint: str
    output: Path

    @classmethod
    def start(cls, workdir: Path) -> LearningLocker:
        node, folder = find_node(), check_package()
        workdir.mkdir(parents=True, exist_ok=True)
        output = workdir / "lrs.log"
        with output.open("wb") as sink:
            process = subprocess.Popen(
                [node, "-r", str(PRELOAD), str(folder / "dist" / "index.js")],
                cwd=workdir, env=_environment(workdir), stdout=sink, stderr=subprocess.STDOUT,
            )  # fmt: skip
        port = _wait_for_port(process, output)
        service = cls(process, f"http://127.0.0.1:{port}/xAPI", output)
        service._wait_until_answering()
        return service

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def log_text(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace")[-3000:]

    def _wait_until_answering(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                reply = requests.get(f"{self.endpoint}/about", timeout=2,
                                     headers={"X-Experience-API-Version": "1.0.3"})  # fmt: skip
                if reply.status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise LrsUnavailable(f"{PACKAGE} did not answer:\n{self.log_text()}")
            time.sleep(0.1)


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


def _wait_for_port(process: subprocess.Popen[bytes], output: Path) -> int:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        match = LISTENING.search(output.read_text(encoding="utf-8", errors="replace"))
        if match:
            return int(match.group(2))
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait(timeout=10)
            text = output.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise LrsUnavailable(f"{PACKAGE} did not start:\n{text}")
        time.sleep(0.05)
