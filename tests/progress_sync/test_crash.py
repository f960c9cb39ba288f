"""Killing Rounds (SIGKILL) while it records or uploads progress loses nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from server_fixture import server_statement_ids

from reference_server import ReferenceServer

from .devices import open_device, stored_texts

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

TESTS = Path(__file__).resolve().parents[1]
DEADLINE = 60.0
OFFLINE_SERVER = "http://127.0.0.1:9"  # the study session needs no network


def start_driver(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "progress_sync.statement_driver", *args],
        cwd=TESTS,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def kill(process: subprocess.Popen[str]) -> tuple[list[str], str]:
    """SIGKILL the driver; its complete output lines and its error output."""
    process.send_signal(signal.SIGKILL)
    out, err = process.communicate(timeout=DEADLINE)
    assert process.returncode == -signal.SIGKILL, err
    return [line for line in out.split("\n")[:-1] if line], err


def wait_until(condition: Callable[[], bool], process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the driver ended early: {process.communicate()[1]}")
        assert time.monotonic() < deadline, "the driver made no progress in time"
        time.sleep(0.02)


def read_lines(process: subprocess.Popen[str], count: int) -> list[str]:
    assert process.stdout is not None
    lines = []
    deadline = time.monotonic() + DEADLINE
    while len(lines) < count:
        line = process.stdout.readline()
        if not line:
            pytest.fail(f"the driver ended early: {process.communicate()[1]}")
        lines.append(line.strip())
        assert time.monotonic() < deadline, "the driver made no progress in time"
    return lines


def test_statements_reported_recorded_survive_a_kill_mid_session(tmp_path: Path) -> None:
    database = tmp_path / "laptop.sqlite3"
    driver = start_driver("record", str(database), OFFLINE_SERVER, "1000000")
    early = read_lines(driver, 150)

    late, _ = kill(driver)

    reported = early + late
    assert len(reported) >= 150
    with sqlite3.connect(database) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    raw.close()
    device = open_device(OFFLINE_SERVER, database, sign_in=False)
    try:
        assert set(reported) <= set(stored_texts(device.log))
        assert device.queue.pending_count() >= len(reported)
    finally:
        device.close()


def test_a_kill_mid_upload_then_a_new_upload_stores_each_statement_once(
    tmp_path: Path, server: ReferenceServer
) -> None:
    database = tmp_path / "laptop.sqlite3"
    device = open_device(server.url, database)
    ids = device.record(1_200, in_one_transaction=True)
    device.close()
    server.faults.add("/xapi/statements", method="POST", delay=1.0, count=3)
    driver = start_driver("upload", str(database), server.url)

    wait_until(lambda: _posts(server) >= 2, driver)
    output, _ = kill(driver)

    assert output == ["uploading"]  # killed before the upload finished

    survivor = open_device(server.url, database)
    try:
        assert set(stored_texts(survivor.log)) == set(ids)
        waiting = survivor.queue.pending_count()
        # batch 1 was acknowledged; its mark is written while batch 2 travels, so it may not be
        assert waiting in (700, 1_200)
        summary = survivor.outbox().upload()
        assert summary.complete and summary.sent == waiting
        assert survivor.queue.pending_count() == 0
    finally:
        survivor.close()
    held = Counter(server_statement_ids(server))
    assert set(held) == set(ids) and set(held.values()) == {1}


def _posts(server: ReferenceServer) -> int:
    return sum(1 for r in server.requests if r.method == "POST" and r.path == "/xapi/statements")
