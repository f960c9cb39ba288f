"""Progress sync against the reference server in a process of its own, on loopback.

- Upload: 10,000 queued statements sent by the outbox, against a bare `requests` loop posting
  the same batches (prebuilt bodies, one session) to the same server; alternating rounds, each
  side a fresh learner with fresh statements, so the server does the same work for both.
- No-change sync: the statements part of `Study.sync` (endpoint, upload, pull) right after the
  device uploaded 10,000 statements and pulled them back once. Client time is this process's
  CPU time: the server runs elsewhere, so what it spends is not counted.
- Pull: a second device's first pull of those 10,000 statements into an empty cache.
- Reconciliation: one round (the learner's statements asked for by course registration,
  without `since`) into an empty cache, against a plain pull of the same statements, each a
  fresh device, alternating; and the same round on a device that already holds them all,
  which is what the periodic reconciliation costs when the pulls missed nothing.
Recording statements is set-up, not measured.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from benchmarks.pairs import Pairs, alternate, paired_figure
from benchmarks.server_process import server_process
from benchmarks.table import Figure
from desktop_app.api.client import ApiClient
from desktop_app.api.tokens import MemoryTokenStore
from desktop_app.api.xapi import XAPI_VERSION, StatementsEndpoint, rounds_server_endpoint
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
from desktop_app.sync.reconciliation import Reconciliation, registration_scopes
from desktop_app.sync.statements_pull import StatementsPull
from reference_server import ReferenceServer

TIMEOUT_SECONDS = 600
STATEMENTS = 10_000
UPLOAD_ROUNDS = 7
SYNC_ROUNDS = 9
PULL_ROUNDS = 3
PASSWORD = "bench-password"
LESSON = LessonRef("l-bench", "c-bench", "Benchmark lesson", "video")
USERS = [f"ana{n}" for n in range(UPLOAD_ROUNDS)] + [f"ben{n}" for n in range(UPLOAD_ROUNDS)]


@contextmanager
def _server(data: Path) -> Iterator[str]:
    """The reference server in a child process, with the benchmark's learners; yields its URL."""
    setup = ReferenceServer(data)
    for user in USERS:
        setup.admin.add_user(user, PASSWORD, user.title())
    setup.stop()
    with server_process(data) as url:
        yield url


@dataclass
class _Device:
    log: ProgressLog
    api: ApiClient

    @classmethod
    def open(cls, url: str, user: str, path: Path) -> _Device:
        api = ApiClient(url, tokens=MemoryTokenStore())
        api.sign_in(user, PASSWORD)
        log = ProgressLog(Database(path), Actor(url, user, user.title()), activity_base_for(url))
        return cls(log, api)

    def record(self, count: int) -> None:
        with self.log.db.session() as session:
            for step in range(count):
                self.log.progressed(session, LESSON, step * 5.0, step / count)

    def upload(self) -> int:
        endpoint = rounds_server_endpoint(self.api)
        try:
            summary = Outbox(OutboxQueue(self.log.db), endpoint).upload()
        finally:
            endpoint.close()
        if not summary.complete:
            raise RuntimeError(f"upload incomplete: {summary}")
        return summary.sent

    def sync_statements(self) -> tuple[int, int]:
        """What `ProgressRound.run` does but reconcile: (statements sent, statements merged)."""
        endpoint = rounds_server_endpoint(self.api)
        try:
            sent = Outbox(OutboxQueue(self.log.db), endpoint).upload().sent
            merged = StatementsPull(ProgressExchange(self.log.db, self.log.actor), endpoint).run()
        finally:
            endpoint.close()
        return sent, merged.merged

    def batches(self) -> list[bytes]:
        rows = OutboxQueue(self.log.db).pending_batch(STATEMENTS)
        texts = [text.encode() for _, text in rows]
        step = DEFAULT_BATCH_SIZE
        return [b"[" + b",".join(texts[i : i + step]) + b"]" for i in range(0, len(texts), step)]

    def close(self) -> None:
        self.api.close()
        self.log.db.close()


def _bare_loop(url: str, token: str, bodies: list[bytes]) -> None:
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "X-Experience-API-Version": XAPI_VERSION,
    }
    with requests.Session() as session:
        for body in bodies:
            reply = session.post(url + "/xapi/statements", data=body, headers=headers, timeout=60)
            reply.raise_for_status()
            reply.json()


class _UploadRounds:
    """Round n: learner ben<n> posts with the bare loop, then ana<n> uploads with the outbox.

    Each side's CPU time is kept too: the server's work is the same for both, so the client's
    share of the difference shows there.
    """

    def __init__(self, url: str, root: Path) -> None:
        self.url, self.root = url, root
        self.last: _Device | None = None
        self.cpu = Pairs([], [])

    def _fresh(self, user: str) -> _Device:
        device = _Device.open(self.url, user, self.root / f"{user}.sqlite3")
        device.record(STATEMENTS)
        return device

    def peer(self, n: int) -> float:
        device = self._fresh(f"ben{n}")
        bodies, token = device.batches(), device.api.transport.auth.access_token()  # type: ignore[union-attr]
        cpu, started = time.process_time(), time.perf_counter()
        _bare_loop(self.url, token or "", bodies)
        elapsed = time.perf_counter() - started
        self.cpu.peer.append(time.process_time() - cpu)
        device.close()
        return elapsed

    def ours(self, n: int) -> float:
        device = self._fresh(f"ana{n}")
        cpu, started = time.process_time(), time.perf_counter()
        sent = device.upload()
        elapsed = time.perf_counter() - started
        self.cpu.ours.append(time.process_time() - cpu)
        if sent != STATEMENTS:
            raise RuntimeError(f"uploaded {sent} of {STATEMENTS}")
        if self.last is not None:
            self.last.close()
        self.last = device
        return elapsed


@dataclass(frozen=True)
class _SyncTimes:
    """Client CPU and wall seconds of repeated runs."""

    cpu: list[float]
    wall: list[float]


def _no_change_syncs(device: _Device) -> _SyncTimes:
    device.sync_statements()  # brings the device's own 10,000 statements back once
    times = _SyncTimes([], [])
    for _ in range(SYNC_ROUNDS):
        cpu, wall = time.process_time(), time.perf_counter()
        if device.sync_statements() != (0, 0):
            raise RuntimeError("a no-change sync changed something")
        times.cpu.append(time.process_time() - cpu)
        times.wall.append(time.perf_counter() - wall)
    return times


def _pulls(url: str, root: Path, user: str) -> _SyncTimes:
    times = _SyncTimes([], [])
    for n in range(PULL_ROUNDS):
        device = _Device.open(url, user, root / f"pull{n}.sqlite3")
        exchange = ProgressExchange(device.log.db, device.log.actor)
        endpoint = rounds_server_endpoint(device.api)
        cpu, started = time.process_time(), time.perf_counter()
        merged = StatementsPull(exchange, endpoint).run().merged
        times.wall.append(time.perf_counter() - started)
        times.cpu.append(time.process_time() - cpu)
        endpoint.close()
        device.close()
        if merged != STATEMENTS:
            raise RuntimeError(f"pulled {merged} of {STATEMENTS}")
    return times


class _ReconcileRounds:
    """Round n: a fresh device pulls the learner's statements, then another reconciles them."""

    def __init__(self, url: str, root: Path, user: str) -> None:
        self.url, self.root, self.user = url, root, user
        self.last: _Device | None = None

    def _timed(self, name: str, work: Any) -> float:
        device = _Device.open(self.url, self.user, self.root / f"{name}.sqlite3")
        endpoint = rounds_server_endpoint(device.api)
        try:
            started = time.perf_counter()
            merged = work(device, endpoint)
            elapsed = time.perf_counter() - started
        finally:
            endpoint.close()
        if merged != STATEMENTS:
            raise RuntimeError(f"{name}: merged {merged} of {STATEMENTS}")
        if self.last is not None:
            self.last.close()
        self.last = device
        return elapsed

    def peer(self, n: int) -> float:
        return self._timed(f"plain-pull{n}", _pull_all)

    def ours(self, n: int) -> float:
        return self._timed(f"reconcile{n}", _reconcile_all)

    def all_held(self) -> list[float]:
        """The round again on the last device, which holds every statement already."""
        assert self.last is not None
        endpoint, times = rounds_server_endpoint(self.last.api), []
        try:
            for _ in range(PULL_ROUNDS):
                started = time.perf_counter()
                if _reconcile_all(self.last, endpoint) != 0:
                    raise RuntimeError("a reconciliation of held statements merged some")
                times.append(time.perf_counter() - started)
        finally:
            endpoint.close()
            self.last.close()
        return times


def _pull_all(device: _Device, endpoint: StatementsEndpoint) -> int:
    return StatementsPull(ProgressExchange(device.log.db, device.log.actor), endpoint).run().merged


def _reconcile_all(device: _Device, endpoint: StatementsEndpoint) -> int:
    scopes = registration_scopes(device.log.builder, [LESSON.course_id])
    exchange = ProgressExchange(device.log.db, device.log.actor)
    summary = Reconciliation(exchange, endpoint, scopes).run()
    if not summary.complete:
        raise RuntimeError(f"reconciliation incomplete: {summary}")
    return summary.merged


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="rounds-bench-statements-") as folder:
        root = Path(folder)
        with _server(root / "server") as url:
            rounds = _UploadRounds(url, root)
            upload = alternate(rounds.ours, rounds.peer, UPLOAD_ROUNDS)
            assert rounds.last is not None
            syncs = _no_change_syncs(rounds.last)
            pulls = _pulls(url, root, f"ana{UPLOAD_ROUNDS - 1}")
            rounds.last.close()
            reconciling = _ReconcileRounds(url, root, f"ana{UPLOAD_ROUNDS - 1}")
            reconciled = alternate(reconciling.ours, reconciling.peer, PULL_ROUNDS)
            held = reconciling.all_held()
    return [*_figures(upload, rounds.cpu, syncs, pulls), _reconcile_figure(reconciled, held)]


def _reconcile_figure(pairs: Pairs, held: list[float]) -> Figure:
    return paired_figure(
        f"reconcile {STATEMENTS:,} statements vs a plain pull of them", pairs, "s", 1.5,
        note=f"into empty caches, by registration without since; all already held: "
             f"{statistics.median(held):.2f} s (median of {len(held)})",
    )  # fmt: skip


def _against_limit(name: str, values: list[float], limit: float, note: str) -> Figure:
    """A row of repeated runs against an absolute limit: the median, and min–max as ratios."""
    median = statistics.median(values)
    spread = (min(values) / limit, max(values) / limit)
    return Figure(name, median, limit, "s", 1.0, note=f"{note}; median of {len(values)} runs",
                  ratio_range=spread)  # fmt: skip


def _figures(upload: Pairs, cpu: Pairs, syncs: _SyncTimes, pulls: _SyncTimes) -> list[Figure]:
    batches = -(-STATEMENTS // DEFAULT_BATCH_SIZE)
    wall = statistics.median(syncs.wall)
    return [
        paired_figure(f"upload {STATEMENTS:,} statements vs a bare requests loop", upload, "s",
                      1.05, note=f"{batches} batches of {DEFAULT_BATCH_SIZE}, same server; "
                                 f"client CPU {cpu.ours_median:.3f} s vs "
                                 f"{cpu.peer_median:.3f} s"),
        _against_limit(f"no-change statements sync after uploading {STATEMENTS:,}: client CPU",
                       syncs.cpu, 0.050, f"limit 50 ms; wall time {wall * 1000:.0f} ms"),
        _against_limit(f"pull {STATEMENTS:,} statements into an empty cache", pulls.wall, 3.0,
                       f"limit 3 s; client CPU {statistics.median(pulls.cpu):.2f} s"),
    ]  # fmt: skip
