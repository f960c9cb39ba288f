"""Catalog sync at 1,000 courses / 50,000 lessons and 10,000 courses / 500,000 lessons.

At each size the reference server (in this process, on loopback) publishes a generated catalog
that looks like a real one (`reference_server.generate`), and its feed pages are recorded
(`benchmarks.sync_feeds`). The client's first sync of the recording into a fresh cache and the
limit (`json.loads` + `sqlite3.executemany` of the same rows) then alternate, limit first, and
the figure is the median of each with the range of the rounds' ratios; the 10k/1k time ratio of
each says whether the sync is linear in size (10× is). The longest UI-thread stall while the
sync runs in a shown main window and the window shows the result (`benchmarks.sync_stalls`) is
measured at both sizes too.

At 1k courses also: the sync over loopback from the in-process server, and the peak memory, the
resident set size (RSS) high-water above the level before the sync, sampled with psutil every
millisecond in a fresh (spawned) process that holds only the recorded pages.
"""

from __future__ import annotations

import multiprocessing
import statistics
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from benchmarks.memory import rss_high_water
from benchmarks.pairs import Pairs, alternate, paired_figure
from benchmarks.sync_feeds import (
    PAGE_SIZE,
    PASSWORD,
    USER,
    RecordedFeeds,
    Recording,
    http_seconds,
    limit_sync,
    record,
    row_counts,
)
from benchmarks.sync_stalls import Stalls, ui_stalls
from benchmarks.table import Figure
from desktop_app.api.client import ApiClient
from desktop_app.api.tokens import MemoryTokenStore
from desktop_app.db import Database
from desktop_app.sync.engine import FeedClient, SyncEngine
from desktop_app.sync.summary import SyncSummary
from reference_server import ReferenceServer

LESSONS_PER_COURSE = 50
SIZES = (1_000, 10_000)
# Rounds of alternating syncs and of stall runs at each size: a sync of 10k courses takes a
# minute or more, so fewer rounds there keep the whole benchmark near ten minutes.
ROUNDS = {1_000: 3, 10_000: 2}
STALL_RUNS = {1_000: 3, 10_000: 2}
NO_CHANGE_RUNS = 20
MEMORY_LIMIT_MB = 300.0
STALL_TARGET_MS, STALL_STRETCH_MS = 50.0, 16.0
# At 10k courses, on a loaded 2-core machine, generation and recording take about two
# minutes, each of the two stall runs a minute and a half and each sync under a minute; the
# whole benchmark took 10.7 minutes (one run, other work on the machine), so 15 leaves room
# and a hang still fails.
TIMEOUT_SECONDS = 900


def short(courses: int) -> str:
    return f"{courses // 1000}k"


def size_label(courses: int) -> str:
    return f"{short(courses)} courses / {short(courses * LESSONS_PER_COURSE)} lessons"


# --- the client ----------------------------------------------------------------------------


def timed_sync(database: Database, client: FeedClient) -> tuple[float, SyncSummary]:
    started = time.perf_counter()
    summary = SyncEngine(database, client, page_size=PAGE_SIZE).run()
    return time.perf_counter() - started, summary


def first_sync(path: Path, client: FeedClient, courses: int) -> float:
    """Seconds of a first sync into a fresh cache at `path`."""
    database = Database(path)
    try:
        seconds, summary = timed_sync(database, client)
    finally:
        database.close()
    if summary.courses_added != courses:
        raise RuntimeError(f"the sync did not add every course: {summary}")
    return seconds


def loopback_sync(server_url: str, path: Path, courses: int) -> float:
    with closing(ApiClient(server_url, tokens=MemoryTokenStore())) as api:
        api.sign_in(USER, PASSWORD)
        return first_sync(path, api, courses)


def no_change_ms(recording: Recording, synced: Path) -> float:
    """Median wall time of a sync that finds nothing new (recorded empty pages, no network)."""
    database = Database(synced)
    feeds = RecordedFeeds(recording)
    try:
        runs = [timed_sync(database, feeds) for _ in range(NO_CHANGE_RUNS)]
    finally:
        database.close()
    if any(summary.changed for _, summary in runs):
        raise RuntimeError("a sync without changes changed something")
    return statistics.median(seconds for seconds, _ in runs) * 1000


def _memory_child(recording: Recording, path: str, courses: int) -> float:
    """In the spawned process: the MB of RSS a first sync adds at its peak."""
    with rss_high_water(0.001) as rss:
        first_sync(Path(path), RecordedFeeds(recording), courses)
    return (rss[1] - rss[0]) / 2**20


def peak_memory_mb(recording: Recording, path: Path, courses: int) -> float:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return float(pool.apply(_memory_child, (recording, str(path), courses)))


# --- one size -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SizeResult:
    courses: int
    megabytes: float
    sync: Pairs
    stalls: list[Stalls]
    memory: float  # 1k only, as the loopback figure
    no_change: float
    loopback: tuple[float, float] | None  # (ours, the limit + the GETs), 1k only


def _alternate_syncs(recording: Recording, root: Path, courses: int) -> Pairs:
    """Limit and client, one after the other; the first round's files are kept to compare."""

    def client(n: int) -> float:
        return first_sync(root / f"client-{n}.sqlite3", RecordedFeeds(recording), courses)

    def limit(n: int) -> float:
        return limit_sync(recording, root / f"limit-{n}.sqlite3")

    pairs = alternate(client, limit, ROUNDS[courses])
    if row_counts(root / "limit-0.sqlite3") != row_counts(root / "client-0.sqlite3"):
        raise RuntimeError("the limit and the client did not write the same rows")
    for path in root.glob("*-[1-9].sqlite3*"):
        path.unlink()
    return pairs


def measure(courses: int, root: Path) -> SizeResult:
    server = ReferenceServer(root / "server").start()
    loopback = None
    try:
        server.admin.generate_catalog(courses, LESSONS_PER_COURSE)
        server.admin.add_user(USER, PASSWORD, "Benchmark")
        recording = record(server.url)
        if courses == SIZES[0]:
            ours = loopback_sync(server.url, root / "loopback.sqlite3", courses)
            loopback = (ours, http_seconds(server.url, recording))
        stalls = [ui_stalls(server.url, recording, courses, root / f"ui-{n}")
                  for n in range(STALL_RUNS[courses])]  # fmt: skip
    finally:
        server.stop()
    sync = _alternate_syncs(recording, root, courses)
    memory = peak_memory_mb(recording, root / "memory.sqlite3", courses) if loopback else 0.0
    no_change = no_change_ms(recording, root / "client-0.sqlite3")
    return SizeResult(courses, recording.megabytes, sync, stalls, memory, no_change, loopback)


def run() -> list[Figure]:
    results = []
    for courses in SIZES:
        with tempfile.TemporaryDirectory(prefix="rounds-bench-sync-") as folder:
            results.append(measure(courses, Path(folder)))
    return _figures(results)


# --- the table ------------------------------------------------------------------------------


def _span(values: list[float]) -> str:
    return f"{min(values):.0f}–{max(values):.0f}"


def _sync_figure(result: SizeResult, first: SizeResult) -> Figure:
    note = (
        f"{result.megabytes:.0f} MB of recorded pages, parsed as ApiClient parses them; "
        f"limit: json.loads + sqlite3.executemany of the same rows (search index too)"
    )
    if result is not first:
        ours = result.sync.ours_median / first.sync.ours_median
        limit = result.sync.peer_median / first.sync.peer_median
        scale = result.courses / first.courses
        note += (f"; linear in size? time at {short(result.courses)} / at "
                 f"{short(first.courses)}: ours {ours:.1f}×, limit {limit:.1f}× "
                 f"({scale:.0f}× is linear)")  # fmt: skip
    name = f"initial sync {size_label(result.courses)} (client)"
    return paired_figure(name, result.sync, "s", 1.25, note=note)


def _stall_figure(result: SizeResult) -> Figure:
    whole, during = [s.whole for s in result.stalls], [s.during_sync for s in result.stalls]
    after, refresh = [s.after_sync for s in result.stalls], [s.refresh for s in result.stalls]
    return Figure(
        f"longest UI stall, sync of {size_label(result.courses)} shown",
        statistics.median(whole), STALL_TARGET_MS, "ms", 1.0,
        note=f"5 ms timer on the UI thread of a shown MainWindow, the sync run by "
             f"SyncController, until the window has shown the result; median of "
             f"{len(whole)} runs ({_span(whole)} ms; while the sync thread runs "
             f"{_span(during)} ms, showing the result {_span(after)} ms); stretch target "
             f"{STALL_STRETCH_MS:.0f} ms (one frame): "
             f"{'met' if statistics.median(whole) < STALL_STRETCH_MS else 'not met'}; "
             f"MainWindow.refresh() called again afterwards takes {_span(refresh)} ms on the "
             f"UI thread",
    )  # fmt: skip


def _loopback_figure(result: SizeResult) -> Figure:
    assert result.loopback is not None
    ours, http = result.loopback
    limit = result.sync.peer_median
    return Figure(
        f"initial sync {size_label(result.courses)} (loopback)", ours, limit + http, "s", 3.0,
        note=f"one run; includes the in-process server building the pages (it shares the "
             f"interpreter); limit = the executemany limit {limit:.2f} s + GETting the "
             f"pages {http:.2f} s",
    )  # fmt: skip


def _memory_figure(small: SizeResult) -> Figure:
    return Figure(
        f"initial sync {size_label(small.courses)}: peak memory", small.memory, MEMORY_LIMIT_MB,
        "MB", 1.0,
        note="RSS high-water above the level before the sync (psutil, every 1 ms, fresh "
             "process holding only the recorded pages)",
    )  # fmt: skip


def _figures(results: list[SizeResult]) -> list[Figure]:
    small, large = results[0], results[-1]
    return [
        *(_sync_figure(r, small) for r in results),
        _loopback_figure(small),
        _memory_figure(small),
        Figure(f"no-change sync at {short(large.courses)} courses (client time)",
               large.no_change, 50, "ms", 1.0,
               note=f"median of {NO_CHANGE_RUNS}; recorded empty pages, no network"),
        *(_stall_figure(r) for r in results),
    ]  # fmt: skip
