"""Search as the learner types, at 10,000 courses / 500,000 lessons, in two catalogs
(`benchmarks/search_catalogs.py`): the reference server's generated one, and one drawn from
the sample curriculum's words with Zipf's law.

The catalog browser, composed as the main window composes it (course list loaded, the
search on the background runner, the garbage collector run and the start-up heap frozen as
the shell does), is shown offscreen. Phrases are typed one key every `KEY_INTERVAL_MS` (a quick
typist), each phrase after clearing the box. A 1 ms timer on the UI thread notes each tick: per
key, the longest CPU time the UI thread spent between two ticks (its busy stretch) and the
longest lateness of a tick (what the learner sees, waits for a core included), up to the next
key. Results are timed from the key to the moment the course list, and then the lesson hits,
show results for that key's text; a key typed before its results arrived has none to time
(its query was abandoned for the newer one).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from benchmarks.search_catalogs import (
    COURSES,
    LESSONS_PER_COURSE,
    curriculum_cache,
    generated_cache,
)
from benchmarks.table import Figure
from desktop_app.catalog.library import Library
from desktop_app.catalog.search import CatalogSearch, is_searchable
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.gui.background import BackgroundRunner
from desktop_app.gui.heap import UiThreadCollector, freeze_startup_heap
from desktop_app.views.catalog.browser import CatalogBrowser

TIMEOUT_SECONDS = 420
WORKLOADS = (
    ("generated catalog", generated_cache,
     ("patient privacy", "vaccine myths", "linkedin", "answering comments")),
    ("curriculum words", curriculum_cache,
     ("privacy checklist", "linkedin profile", "de-identification", "patient reviews")),
)  # fmt: skip
KEY_INTERVAL_MS, SETTLE_MS, WAIT_MS = 120, 400, 5_000
UI_FRAME_MS, RESULTS_MS = 16.0, 200.0


# --- the UI thread while typing --------------------------------------------------------------


@dataclass(frozen=True)
class Tick:
    """One tick of the UI thread's 1 ms timer: when it fired, how many ms late, and the CPU
    time the UI thread spent since the tick before (its busy stretch, waits for a CPU core
    or the interpreter lock left out)."""

    at: float
    late_ms: float
    busy_ms: float


class TickLog(QObject):
    """A 1 ms timer on the UI thread noting every tick."""

    def __init__(self) -> None:
        super().__init__()
        self._timer = QTimer(self, interval=1, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._last = (0.0, 0.0)
        self.ticks: list[Tick] = []

    def start(self) -> None:
        self._last = (time.perf_counter(), time.thread_time())
        self._timer.start()

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        late = max(0.0, (now - self._last[0]) * 1000 - 1)
        self.ticks.append(Tick(now, late, (cpu - self._last[1]) * 1000))
        self._last = (now, cpu)

    def stop(self) -> None:
        self._tick()
        self._timer.stop()

    def longest(self, start: float, end: float) -> tuple[float, float]:
        """The longest lateness and the longest busy stretch of the ticks in (start, end]."""
        window = [tick for tick in self.ticks if start < tick.at <= end]
        return max((t.late_ms for t in window), default=0.0), max(
            (t.busy_ms for t in window), default=0.0
        )


@dataclass
class Key:
    """One keystroke: when it was pressed, the text it left, and when its results showed."""

    at: float
    text: str
    courses_at: float | None = None
    lessons_at: float | None = None


@dataclass
class Typing:
    browser: CatalogBrowser
    keys: list[Key] = field(default_factory=list)

    def press(self, key: Qt.Key | str) -> None:
        box = self.browser.search_box
        self.keys.append(Key(time.perf_counter(), ""))
        QTest.keyClick(box, key)
        self.keys[-1].text = box.text()

    def courses_shown(self, text: str) -> None:
        key = self.keys[-1]
        if key.text == text and key.courses_at is None:
            key.courses_at = time.perf_counter()

    def lessons_shown(self, text: str) -> None:
        key = self.keys[-1]
        if key.text == text and key.lessons_at is None:
            key.lessons_at = time.perf_counter()


def _wait(milliseconds: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()


def _wait_for(done: Callable[[], bool], milliseconds: int) -> None:
    deadline = time.perf_counter() + milliseconds / 1000
    while not done() and time.perf_counter() < deadline:
        _wait(5)


def _idle(ticks: TickLog, keys: int) -> list[tuple[float, float]]:
    """The same timer with nothing typed, over as many key intervals: the machine's noise."""
    windows = []
    for _ in range(keys):
        start = time.perf_counter()
        _wait(KEY_INTERVAL_MS)
        windows.append(ticks.longest(start, time.perf_counter()))
    return windows


def _type_phrase(typing: Typing, phrase: str) -> None:
    typing.browser.search_box.selectAll()
    typing.press(Qt.Key.Key_Backspace)
    _wait(KEY_INTERVAL_MS)
    for char in phrase:
        typing.press(char)
        _wait(KEY_INTERVAL_MS)
    last = typing.keys[-1]
    _wait_for(lambda: last.courses_at is not None and last.lessons_at is not None, WAIT_MS)
    _wait(SETTLE_MS)


@dataclass
class TypingRun:
    """What typing the phrases gave: the keys, each key's (lateness, busy) maximum, and the
    same maxima for idle key intervals, measured alternately with the phrases."""

    keys: list[Key]
    stalls: list[tuple[float, float]]
    idle: list[tuple[float, float]]


def type_phrases(cache: Path, home: Path, phrases: tuple[str, ...]) -> TypingRun:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([])
    database, runner = Database(cache), BackgroundRunner()
    library = Library(database, ContentStore(home / "content"))
    browser = CatalogBrowser(library.course, CatalogSearch(database), runner)
    typing, ticks, collector = Typing(browser), TickLog(), UiThreadCollector()
    browser.courses_filtered.connect(typing.courses_shown)
    browser.lessons_found.connect(typing.lessons_shown)
    idle: list[tuple[float, float]] = []
    stalls: list[tuple[float, float]] = []
    try:
        browser.resize(1180, 760)
        browser.show()
        browser.show_courses(library.courses())
        app.processEvents()
        collector.start()  # the garbage collector as the shell runs it
        freeze_startup_heap()
        ticks.start()
        for phrase in phrases:
            idle += _idle(ticks, len(phrase) + 1)
            start = len(typing.keys)
            _type_phrase(typing, phrase)
            stalls += _key_stalls(ticks, typing.keys[start:], time.perf_counter())
        ticks.stop()
    finally:
        collector.stop()
        browser.close()
        runner.wait_for_idle()
        app.processEvents()
        database.close()
    return TypingRun(typing.keys, stalls, idle)


def _key_stalls(ticks: TickLog, keys: list[Key], end: float) -> list[tuple[float, float]]:
    """For each key, the longest lateness and busy stretch from it to the next key."""
    ends = [key.at for key in keys[1:]] + [end]
    return [ticks.longest(key.at - 0.0005, until) for key, until in zip(keys, ends, strict=True)]


# --- the run -------------------------------------------------------------------------------


def run() -> list[Figure]:
    figures = []
    for name, build, phrases in WORKLOADS:
        with tempfile.TemporaryDirectory(prefix="rounds-bench-search-") as folder:
            cache = Path(folder) / "cache.sqlite3"
            started = time.perf_counter()
            build(cache)
            built = time.perf_counter() - started
            typed = type_phrases(cache, Path(folder), phrases)
        figures += _figures(name, phrases, typed, built)
    return figures


def _spread(values: list[float], limit: float) -> tuple[float, float]:
    return (min(values) / limit, max(values) / limit) if values else (float("nan"),) * 2


def _latency(key: Key, kind: str) -> float | None:
    shown = key.courses_at if kind == "courses" else key.lessons_at
    return None if shown is None else (shown - key.at) * 1000


def _result_figure(name: str, phrases: tuple[str, ...], keys: list[Key], kind: str) -> Figure:
    """Key → results, over the keys whose results showed before the next key."""
    values = [v for v in (_latency(key, kind) for key in keys) if v is not None]
    last = [_latency(key, kind) for key in keys if key.text in phrases]
    searchable = sum(is_searchable(key.text) for key in keys)
    return Figure(
        name,
        statistics.median(values) if values else float("nan"),
        RESULTS_MS,
        "ms",
        1.0,
        note=f"median over the {len(values)} of {searchable} searchable keys whose results "
        f"showed before the next key; after the last key of each phrase: "
        + ", ".join("never" if v is None else f"{v:.0f}" for v in last)
        + " ms",
        ratio_range=_spread(values, RESULTS_MS),
    )


def _stall_figures(name: str, phrases: tuple[str, ...], run: TypingRun) -> list[Figure]:
    late, busy = [s[0] for s in run.stalls], [s[1] for s in run.stalls]
    idle_late = [s[0] for s in run.idle]
    typed = f"{len(run.keys)} keys of {len(phrases)} phrases, one every {KEY_INTERVAL_MS} ms"
    return [
        Figure(f"{name}: longest UI-thread busy stretch",
               statistics.median(busy), UI_FRAME_MS, "ms", 1.0,
               note=f"median over {typed} ({', '.join(phrases)}), of each key's longest CPU "
                    f"time of the UI thread between two ticks of a 1 ms timer (waits for a "
                    f"core or the interpreter lock left out); limit = one frame",
               ratio_range=_spread(busy, UI_FRAME_MS)),
        Figure(f"{name}: longest UI-thread stall (wall clock)",
               statistics.median(late), UI_FRAME_MS, "ms", 1.0,
               note=f"the same keys, the longest lateness of the 1 ms timer; with nothing "
                    f"typed, in {len(idle_late)} key intervals alternating with the phrases, "
                    f"the timer is late by {statistics.median(idle_late):.1f} ms (median), "
                    f"{max(idle_late):.1f} ms at most: the machine's own noise",
               ratio_range=_spread(late, UI_FRAME_MS)),
    ]  # fmt: skip


def _figures(workload: str, phrases: tuple[str, ...], run: TypingRun, built: float) -> list[Figure]:
    lessons = COURSES * LESSONS_PER_COURSE
    name = f"search keystroke, {workload} ({COURSES // 1000}k courses / {lessons // 1000}k lessons)"
    stalls = _stall_figures(name, phrases, run)
    stalls[0] = replace(stalls[0], note=f"{stalls[0].note}; cache built in {built:.0f} s")
    return [
        *stalls,
        _result_figure(f"{name} → course list filtered", phrases, run.keys, "courses"),
        _result_figure(f"{name} → ranked lesson hits shown", phrases, run.keys, "lessons"),
    ]
