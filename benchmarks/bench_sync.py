"""Catalog sync: 1,000 courses with 50,000 lessons from the reference server, into a fresh cache.

The server runs in this process on loopback. Its feed pages are recorded once with `requests`,
so most figures time the client alone: `SyncEngine.run` reads the recorded bytes through
`RecordedFeeds`, which decodes and parses them exactly as `ApiClient` does. The limit is the
least any client could do with the same bytes: `json.loads`, then `sqlite3.executemany` of the
same rows (courses, modules, lessons, assets, lesson links, search index, cursors) into the
same schema, one transaction per page, with the cyclic collector paused as the client pauses it.

Peak memory is the resident set size (RSS) high-water above the level before the sync, sampled
with psutil every millisecond in a fresh (spawned) process that holds only the recorded pages.
The UI stall is the longest wait of a 5 ms timer on the UI thread of a shown `MainWindow`,
composed as `app.Shell.open` composes it, while `SyncController` runs the sync off the UI thread
and until the window has shown the result. The sync there is the catalog `SyncEngine` reading
the recording, so the in-process server takes no turns on the interpreter that a remote server
would not take (`Study.sync` would also move progress, of which this account has none).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest.mock import patch

import keyring
import requests
from keyring.backends import null
from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

from benchmarks.memory import rss_high_water
from benchmarks.table import Figure
from desktop_app.account import Account
from desktop_app.api.client import ApiClient
from desktop_app.api.documents import CourseDoc, ResidencyDoc, parse_course, parse_residency
from desktop_app.api.gc_pause import collector_paused
from desktop_app.api.payloads import FeedPage, parse_feed_page
from desktop_app.api.tokens import MemoryTokenStore
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.error_text import ErrorReport
from desktop_app.gui.background import BackgroundRunner
from desktop_app.gui.heap import freeze_startup_heap
from desktop_app.study import Study
from desktop_app.sync.engine import DEFAULT_PAGE_SIZE, FeedClient, SyncEngine
from desktop_app.sync.summary import SyncSummary
from desktop_app.views.main_window import MainWindow
from desktop_app.views.sync_controller import SyncController, SyncStatus
from reference_server import ReferenceServer

COURSES, LESSONS_PER_COURSE = 1_000, 50
USER, PASSWORD = "bench", "bench-password"
PAGE_SIZE = DEFAULT_PAGE_SIZE
REPEATS, NO_CHANGE_RUNS, STALL_RUNS = 3, 20, 3
MEMORY_LIMIT_MB = 300.0
TICK_MS, SETTLE_MS = 5, 300
SIZE = f"{COURSES // 1000}k courses / {COURSES * LESSONS_PER_COURSE // 1000}k lessons"
TABLES = ("course", "module", "lesson", "asset", "lesson_asset", "search_index")


# --- the recorded pages ---------------------------------------------------------------------


@dataclass
class Recording:
    """Each feed's reply bodies by the cursor they answer, and the cursors a first sync reads.

    The one cursor not in `first_sync` is the end of the feed: what a sync with no changes reads.
    """

    pages: dict[str, dict[str, bytes]] = field(default_factory=dict)
    first_sync: dict[str, list[str]] = field(default_factory=dict)

    def first_sync_bodies(self, feed: str) -> list[bytes]:
        return [self.pages[feed][cursor] for cursor in self.first_sync[feed]]


class RecordedFeeds:
    """`ApiClient.catalog_page` and `schedule_page`, answered from a recording: the same bytes,
    decoded and parsed by the same calls, with the collector paused as `ApiClient` pauses it."""

    def __init__(self, recording: Recording) -> None:
        self._recording = recording

    def catalog_page(self, cursor: str = "", limit: int = PAGE_SIZE) -> FeedPage[CourseDoc]:
        body = self._body("catalog", cursor, limit)
        with collector_paused():
            return parse_feed_page(json.loads(body), "course", parse_course, "catalog")

    def schedule_page(self, cursor: str = "", limit: int = PAGE_SIZE) -> FeedPage[ResidencyDoc]:
        body = self._body("schedule", cursor, limit)
        with collector_paused():
            return parse_feed_page(json.loads(body), "residency", parse_residency, "schedule")

    def _body(self, feed: str, cursor: str, limit: int) -> bytes:
        if limit != PAGE_SIZE:
            raise ValueError(f"pages were recorded {PAGE_SIZE} at a time, not {limit}")
        return self._recording.pages[feed][cursor]


def _signed_in_session(server_url: str) -> requests.Session:
    session = requests.Session()
    credentials = {"username": USER, "password": PASSWORD}
    reply = session.post(f"{server_url}/api/v1/auth/token", json=credentials, timeout=60)
    reply.raise_for_status()
    session.headers["Authorization"] = f"Bearer {reply.json()['access_token']}"
    return session


def _get_page(session: requests.Session, server_url: str, feed: str, cursor: str) -> bytes:
    params: dict[str, str | int] = {"limit": PAGE_SIZE, **({"cursor": cursor} if cursor else {})}
    reply = session.get(f"{server_url}/api/v1/sync/{feed}", params=params, timeout=60)
    reply.raise_for_status()
    return reply.content


def record(server_url: str) -> Recording:
    """Every page of both feeds from the start, then the (empty) page at the end of each."""
    recording = Recording()
    with _signed_in_session(server_url) as session:
        for feed in ("catalog", "schedule"):
            pages: dict[str, bytes] = {}
            cursors: list[str] = []
            cursor, more = "", True
            while more:
                cursors.append(cursor)
                pages[cursor] = _get_page(session, server_url, feed, cursor)
                reply = json.loads(pages[cursor])
                cursor, more = reply["next_cursor"], reply["has_more"]
            pages[cursor] = _get_page(session, server_url, feed, cursor)
            recording.pages[feed], recording.first_sync[feed] = pages, cursors
    return recording


def http_seconds(server_url: str, recording: Recording) -> float:
    """How long the GETs of a first sync take, the bodies fetched and nothing more."""
    with _signed_in_session(server_url) as session:
        started = time.perf_counter()
        for feed, cursors in recording.first_sync.items():
            for cursor in cursors:
                _get_page(session, server_url, feed, cursor)
        return time.perf_counter() - started


# --- the limit: json.loads and sqlite3.executemany ------------------------------------------

_COLUMNS = {
    "course": "id, title, summary, version, position, updated_at",
    "module": "id, course_id, title, position",
    "lesson": "id, module_id, course_id, title, kind, position, summary, duration_seconds, "
    "quiz_json",
    "asset": "sha256, size, mime_type",
    "lesson_asset": "lesson_id, sha256, role, name, language",
    "search_index": "kind, ref_id, course_id, title, summary",
}
_INSERT = {
    table: f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * (columns.count(',') + 1))})"
    for table, columns in _COLUMNS.items()
}
_INSERT["asset"] += " ON CONFLICT (sha256) DO NOTHING"
_CURSOR = (
    "INSERT INTO sync_state (stream, cursor, last_error) VALUES (?, ?, '') "
    "ON CONFLICT (stream) DO UPDATE SET cursor = excluded.cursor"
)
Rows = dict[str, list[tuple[Any, ...]]]


def _naive_utc(value: str | None) -> str | None:
    """A time as the cache stores it (SQLAlchemy's naive UTC text)."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value).astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(" ", "microseconds")


def _add_lesson(rows: Rows, assets: dict[str, Any], s: dict[str, Any], m: str, c: str) -> None:
    quiz = None if s["quiz"] is None else json.dumps(s["quiz"], separators=(",", ":"))
    rows["lesson"].append(
        (s["id"], m, c, s["title"], s["kind"], s["position"], s["summary"],
         s["duration_seconds"], quiz)
    )  # fmt: skip
    rows["search_index"].append(("lesson", s["id"], c, s["title"], s["summary"]))
    for a in s["assets"]:
        assets[a["sha256"]] = (a["sha256"], a["size"], a["mime_type"])
        links = rows["lesson_asset"]
        links.append((s["id"], a["sha256"], a["role"], a.get("name", ""), a.get("language", "")))


def _limit_rows(items: list[dict[str, Any]]) -> Rows:
    rows: Rows = {table: [] for table in TABLES}
    assets: dict[str, Any] = {}
    for item in items:
        c = item["course"]
        rows["course"].append(
            (c["id"], c["title"], c["summary"], c["version"], c["position"],
             _naive_utc(c["updated_at"]))
        )  # fmt: skip
        rows["search_index"].append(("course", c["id"], c["id"], c["title"], c["summary"]))
        for m in c["modules"]:
            rows["module"].append((m["id"], c["id"], m["title"], m["position"]))
            for lesson in m["lessons"]:
                _add_lesson(rows, assets, lesson, m["id"], c["id"])
    rows["asset"] = list(assets.values())
    return rows


def _raw_connection(path: Path) -> sqlite3.Connection:
    """The cache file at head revision, opened with plain sqlite3 and the app's pragmas."""
    Database(path).close()
    connection = sqlite3.connect(path)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL"):
        connection.execute(f"PRAGMA {pragma}")
    return connection


def limit_sync(recording: Recording, path: Path) -> float:
    """Seconds to decode the pages of a first sync and insert their rows with executemany."""
    with closing(_raw_connection(path)) as connection:
        started = time.perf_counter()
        with collector_paused():
            for feed in ("catalog", "schedule"):
                for body in recording.first_sync_bodies(feed):
                    page = json.loads(body)
                    rows = _limit_rows(page["items"] if feed == "catalog" else [])
                    with connection:
                        for table, values in rows.items():
                            connection.executemany(_INSERT[table], values)
                        connection.execute(_CURSOR, (feed, page["next_cursor"]))
        return time.perf_counter() - started


def row_counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as connection:
        return {t: connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


# --- the client ----------------------------------------------------------------------------


def timed_sync(database: Database, client: FeedClient) -> tuple[float, SyncSummary]:
    started = time.perf_counter()
    summary = SyncEngine(database, client, page_size=PAGE_SIZE).run()
    return time.perf_counter() - started, summary


def first_sync(path: Path, client: FeedClient) -> float:
    """Seconds of a first sync into a fresh cache at `path`."""
    database = Database(path)
    try:
        seconds, summary = timed_sync(database, client)
    finally:
        database.close()
    if summary.courses_added != COURSES:
        raise RuntimeError(f"the sync did not add every course: {summary}")
    return seconds


def loopback_sync(server_url: str, path: Path) -> float:
    with closing(ApiClient(server_url, tokens=MemoryTokenStore())) as api:
        api.sign_in(USER, PASSWORD)
        return first_sync(path, api)


def no_change_ms(recording: Recording, path: Path) -> float:
    """Median wall time of a sync that finds nothing new (recorded empty pages, no network)."""
    database = Database(path)
    feeds = RecordedFeeds(recording)
    try:
        timed_sync(database, feeds)
        runs = [timed_sync(database, feeds) for _ in range(NO_CHANGE_RUNS)]
    finally:
        database.close()
    if any(summary.changed for _, summary in runs):
        raise RuntimeError("a sync without changes changed something")
    return statistics.median(seconds for seconds, _ in runs) * 1000


def _memory_child(recording: Recording, path: str) -> float:
    """In the spawned process: the MB of RSS a first sync adds at its peak."""
    with rss_high_water(0.001) as rss:
        first_sync(Path(path), RecordedFeeds(recording))
    return (rss[1] - rss[0]) / 2**20


def peak_memory_mb(recording: Recording, path: Path) -> float:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return float(pool.apply(_memory_child, (recording, str(path))))


# --- the event loop while the sync runs ----------------------------------------------------


@dataclass(frozen=True)
class Stalls:
    """Longest waits of the UI thread beyond the timer's interval, and a refresh on its own, ms."""

    during_sync: float
    after_sync: float
    refresh: float

    @property
    def whole(self) -> float:
        return max(self.during_sync, self.after_sync)


def _span(values: list[float]) -> str:
    return f"{min(values):.0f}–{max(values):.0f}"


class StallMeter(QObject):
    """A 5 ms timer on the UI thread noting its longest wait beyond the interval, per phase."""

    def __init__(self) -> None:
        super().__init__()
        self._timer = QTimer(self, interval=TICK_MS, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.tick)
        self._last = 0.0
        self.phase = "during"
        self.longest = {"during": 0.0, "after": 0.0}

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def tick(self) -> None:
        now = time.perf_counter()
        late = (now - self._last) * 1000 - TICK_MS
        self.longest[self.phase] = max(self.longest[self.phase], late)
        self._last = now

    def sync_ended(self) -> None:
        """The result has arrived: later waits belong to what the window does with it."""
        self.tick()
        self.phase = "after"

    def stop(self) -> None:
        self.tick()
        self._timer.stop()


def _controller(runner: BackgroundRunner, engine: SyncEngine) -> SyncController:
    return SyncController(
        runner,
        lambda progress, cancel: engine.run(
            progress=lambda pages, items, _more: progress(pages, items), cancel=cancel
        ),
        interval_minutes=60,
        describe_error=lambda error: ErrorReport(str(error)),
    )


def _run_until_synced(
    controller: SyncController, meter: StallMeter, shown: Callable[[], bool]
) -> None:
    """Sync, then keep measuring until the window shows the result (`shown`) and settles."""
    loop, failures = QEventLoop(), list[str]()

    def settle_when_shown() -> None:
        if shown():
            QTimer.singleShot(SETTLE_MS, loop.quit)
        else:
            QTimer.singleShot(5, settle_when_shown)

    def on_status(status: SyncStatus) -> None:
        if not status.syncing and meter.phase == "during":
            meter.sync_ended()
            if status.last_error:
                failures.append(status.last_error)
                loop.quit()

    controller.status_changed.connect(on_status)
    controller.synced.connect(lambda _summary: settle_when_shown())
    meter.start()
    controller.sync_now()
    loop.exec()
    meter.stop()
    if failures:
        raise RuntimeError(f"the sync failed: {failures[0]}")


@contextmanager
def private_home(folder: Path) -> Iterator[None]:
    """Settings and account files under `folder`; tokens in memory only (a null keyring)."""
    previous = keyring.get_keyring()
    keyring.set_keyring(null.Keyring())  # type: ignore[no-untyped-call]
    try:
        with patch.dict(os.environ, {"ROUNDS_HOME": str(folder)}):
            yield
    finally:
        keyring.set_keyring(previous)


def ui_stalls(server_url: str, recording: Recording, folder: Path) -> Stalls:
    """The UI thread's stalls during a first sync of the recording in a fresh account."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([])
    with private_home(folder):
        account = Account.sign_in(server_url, USER, PASSWORD)
        study, runner = Study(account, ContentStore(folder / "content")), BackgroundRunner()
        controller = _controller(runner, SyncEngine(account.db, RecordedFeeds(recording)))
        window = MainWindow(study, controller, runner, lambda _text: set(), account_label=USER)
        window.show()
        app.processEvents()
        freeze_startup_heap()  # as Shell.open does once the window is up
        meter = StallMeter()
        try:
            _run_until_synced(
                controller, meter, lambda: window.catalog.courses.rowCount() == COURSES
            )
            started = time.perf_counter()
            window.refresh()
            refresh = (time.perf_counter() - started) * 1000
        finally:
            controller.stop()
            window.close()
            runner.wait_for_idle()
            study.close()
            account.close()
    return Stalls(meter.longest["during"], meter.longest["after"], refresh)


# --- the run -------------------------------------------------------------------------------


def _best(measure: Callable[[Path], float], folder: Path, name: str) -> float:
    return min(measure(folder / f"{name}-{n}.sqlite3") for n in range(REPEATS))


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="rounds-bench-sync-") as folder:
        root = Path(folder)
        server = ReferenceServer(root / "server").start()
        try:
            server.admin.generate_catalog(COURSES, LESSONS_PER_COURSE)
            server.admin.add_user(USER, PASSWORD, "Benchmark")
            recording = record(server.url)
            loopback = loopback_sync(server.url, root / "loopback.sqlite3")
            http = http_seconds(server.url, recording)
            stalls = [ui_stalls(server.url, recording, root / f"ui-{n}") for n in range(STALL_RUNS)]
        finally:
            server.stop()
        limit = _best(lambda path: limit_sync(recording, path), root, "limit")
        ours = _best(lambda path: first_sync(path, RecordedFeeds(recording)), root, "client")
        if row_counts(root / "limit-0.sqlite3") != row_counts(root / "client-0.sqlite3"):
            raise RuntimeError("the limit and the client did not write the same rows")
        memory = peak_memory_mb(recording, root / "memory.sqlite3")
        no_change = no_change_ms(recording, root / "no-change.sqlite3")
    return _figures(ours, limit, loopback, http, memory, no_change, stalls)


def _figures(
    ours: float,
    limit: float,
    loopback: float,
    http: float,
    memory: float,
    no_change: float,
    stalls: list[Stalls],
) -> list[Figure]:
    whole, during = [s.whole for s in stalls], [s.during_sync for s in stalls]
    return [
        Figure(f"initial sync {SIZE} (client)", ours, limit, "s", 3.0,
               note=f"recorded pages, parsed as ApiClient parses them; limit: json.loads + "
                    f"sqlite3.executemany of the same rows (search index included); best of "
                    f"{REPEATS} each"),
        Figure(f"initial sync {SIZE} (loopback)", loopback, limit + http, "s", 3.0,
               note=f"one run; includes the in-process server building the pages (it shares the "
                    f"interpreter); limit = the executemany limit {limit:.2f} s + GETting the "
                    f"pages {http:.2f} s"),
        Figure(f"initial sync {SIZE}: peak memory", memory, MEMORY_LIMIT_MB, "MB", 1.0,
               note="RSS high-water above the level before the sync (psutil, sampled every "
                    "1 ms in a fresh process holding only the recorded pages)"),
        Figure("no-change sync (client time)", no_change, 50, "ms", 1.0,
               note=f"median of {NO_CHANGE_RUNS}; recorded empty pages, no network"),
        Figure("longest UI stall during big sync", statistics.median(whole), 50, "ms", 1.0,
               note=f"5 ms timer on the UI thread of a shown MainWindow, the sync run by "
                    f"SyncController, until the window has shown the result; median of "
                    f"{STALL_RUNS} runs ({_span(whole)} ms); the UI-thread part of "
                    f"MainWindow.refresh() called again afterwards takes "
                    f"{_span([s.refresh for s in stalls])} ms"),
        Figure("UI stall while the sync thread runs", statistics.median(during), 50, "ms",
               1.0, note=f"the same runs, up to the moment the sync's result arrives "
                         f"({_span(during)} ms)"),
    ]  # fmt: skip
