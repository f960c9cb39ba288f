"""One PyInstaller build of Rounds per test run, shared by every packaging test.

Tests that use `bundle` carry `@pytest.mark.xdist_group("packaging")`, so under xdist they
run in one worker; should they not, the workers still share the one build.
"""

from __future__ import annotations

import faulthandler
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from built_app import ROOT
from filelock import FileLock

BUILD_TIMEOUT_S = 840


@contextmanager
def long_step(config: pytest.Config) -> Iterator[None]:
    """The run's hang watchdog (faulthandler_timeout, which ends the run) paused for a step
    that has its own timeout and may take longer than one test normally may; armed again
    after it, with the usual allowance."""
    allowance = float(config.getini("faulthandler_timeout") or 0)
    faulthandler.cancel_dump_traceback_later()
    try:
        yield
    finally:
        if allowance > 0:
            exit_on_timeout = bool(config.getini("faulthandler_exit_on_timeout"))
            faulthandler.dump_traceback_later(allowance, exit=exit_on_timeout)


@pytest.fixture(scope="session")
def bundle(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/rounds/ as `make dist` makes it (rounds, rounds-cli, _internal/), built once per
    run: xdist workers share the folder, the first builds it while the others wait."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's own
    work = shared / "rounds-bundle"
    with long_step(request.config), FileLock(str(shared / "rounds-bundle.lock")):
        if not (work / "built").exists():
            _build(work)
    return work / "dist" / "rounds"


def _build(work: Path) -> None:
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level=WARN",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
            str(ROOT / "build.spec"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-4000:]
    (work / "built").touch()
