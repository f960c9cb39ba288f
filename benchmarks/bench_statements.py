"""Progress sync: 10,000 queued statements uploaded to, then pulled from, the reference server.

The server runs in this process on loopback; each side has its own SQLite cache. Recording
the statements is set-up, not measured. Limits are absolute (the issue's targets): upload
under 3 s in at most 20 requests (batches of 500), pull under 3 s.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from benchmarks.table import Figure
from desktop_app.api.client import ApiClient
from desktop_app.api.payloads import StatementPage
from desktop_app.api.tokens import MemoryTokenStore
from desktop_app.api.xapi import PostReply, StatementsEndpoint, rounds_server_endpoint
from desktop_app.db import Database
from desktop_app.progress import (
    Actor,
    LessonRef,
    OutboxQueue,
    ProgressExchange,
    ProgressLog,
    activity_base_for,
)
from desktop_app.sync.outbox import DEFAULT_BATCH_SIZE, Outbox
from desktop_app.sync.statements_pull import StatementsPull
from reference_server import ReferenceServer

STATEMENTS = 10_000
PASSWORD = "bench-password"
LESSON = LessonRef("l-bench", "c-bench", "Benchmark lesson", "video")
T = TypeVar("T")


def _device(server_url: str, path: Path) -> tuple[ProgressLog, StatementsEndpoint, ApiClient]:
    api = ApiClient(server_url, tokens=MemoryTokenStore())
    api.sign_in("ana", PASSWORD)
    log = ProgressLog(
        Database(path), Actor(server_url, "ana", "Ana"), activity_base_for(server_url)
    )
    return log, rounds_server_endpoint(api), api


def _record(log: ProgressLog, count: int) -> None:
    with log.db.session() as session:
        for step in range(count):
            log.progressed(session, LESSON, step * 5.0, step / count)


class _Stopwatch:
    """The endpoint, timing how long the client waits for the server (the rest is ours)."""

    def __init__(self, endpoint: StatementsEndpoint) -> None:
        self.endpoint, self.waited = endpoint, 0.0

    def post(self, body: bytes) -> PostReply:
        return self._timed(lambda: self.endpoint.post(body))

    def first_page(
        self, agent: Mapping[str, Any], since: datetime | None, limit: int
    ) -> StatementPage:
        return self._timed(lambda: self.endpoint.first_page(agent, since, limit))

    def next_page(self, more: str, agent: Mapping[str, Any]) -> StatementPage:
        return self._timed(lambda: self.endpoint.next_page(more, agent))

    def _timed(self, call: Callable[[], T]) -> T:
        started = time.perf_counter()
        try:
            return call()
        finally:
            self.waited += time.perf_counter() - started


@dataclass(frozen=True)
class _Timing:
    seconds: float
    waited: float
    calls: int


def _timed_upload(log: ProgressLog, endpoint: StatementsEndpoint) -> _Timing:
    stopwatch = _Stopwatch(endpoint)
    started = time.perf_counter()
    summary = Outbox(OutboxQueue(log.db), stopwatch).upload()
    elapsed = time.perf_counter() - started
    if not summary.complete or summary.sent != STATEMENTS:
        raise RuntimeError(f"upload incomplete: {summary}")
    return _Timing(elapsed, stopwatch.waited, summary.requests)


def _timed_pull(log: ProgressLog, endpoint: StatementsEndpoint) -> _Timing:
    stopwatch = _Stopwatch(endpoint)
    started = time.perf_counter()
    summary = StatementsPull(ProgressExchange(log.db, log.actor), stopwatch).run()
    elapsed = time.perf_counter() - started
    if summary.merged != STATEMENTS:
        raise RuntimeError(f"pull incomplete: {summary}")
    return _Timing(elapsed, stopwatch.waited, summary.pages)


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="rounds-bench-statements-") as folder:
        root = Path(folder)
        server = ReferenceServer(root / "server").start()
        try:
            server.admin.add_user("ana", PASSWORD, "Ana")
            laptop, laptop_endpoint, laptop_api = _device(server.url, root / "laptop.sqlite3")
            desktop, desktop_endpoint, desktop_api = _device(server.url, root / "desktop.sqlite3")
            _record(laptop, STATEMENTS)
            upload = _timed_upload(laptop, laptop_endpoint)
            pull = _timed_pull(desktop, desktop_endpoint)
            for endpoint, api, log in (
                (laptop_endpoint, laptop_api, laptop),
                (desktop_endpoint, desktop_api, desktop),
            ):
                endpoint.close()
                api.close()
                log.db.close()
        finally:
            server.stop()
    return _figures(upload, pull)


def _figures(upload: _Timing, pull: _Timing) -> list[Figure]:
    batches = -(-STATEMENTS // DEFAULT_BATCH_SIZE)
    return [
        Figure(f"upload {STATEMENTS:,} statements (loopback)", upload.seconds, 3.0, "s", 1.0,
               note=f"{upload.calls} requests in batches of {DEFAULT_BATCH_SIZE}; "
                    f"{upload.waited:.2f} s waiting for the server to store them, "
                    f"{upload.seconds - upload.waited:.2f} s in the client"),
        Figure(f"upload {STATEMENTS:,} statements: requests", upload.calls, batches, "requests",
               1.0),
        Figure(f"pull {STATEMENTS:,} statements (loopback)", pull.seconds, 3.0, "s", 1.0,
               note=f"{pull.calls} pages of up to 500; {pull.waited:.2f} s fetching, "
                    f"{pull.seconds - pull.waited:.2f} s merging into the progress log"),
    ]  # fmt: skip
