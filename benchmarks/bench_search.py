"""Search as the learner types, at 10,000 courses / 500,000 lessons.

The cache is written through the sync's own applier (`apply_catalog_page`, search index
included) from generated documents, in under a minute; generating the catalog on the
reference server and syncing it over loopback takes several minutes on a 2-core machine.
Titles and summaries draw words with Zipf's law from the sample curriculum's own words
(commonest first) followed by a long tail of made-up terms, so a common word such as
"patient" matches about a fifth of the lessons and a rare one a few hundred.

The catalog browser, composed as the main window composes it (course list loaded, the
search on the background runner, the garbage collector run and the start-up heap frozen as
the shell does), is shown offscreen. Phrases are typed one key every
`KEY_INTERVAL_MS` (a quick typist), each phrase after clearing the box. A 1 ms timer on the
UI thread records how late each of its ticks fires: the longest lateness between one key and
the next is that keystroke's longest UI-thread stall. Results are timed from the key to the
moment the course list, and then the lesson hits, show results for that key's text; a key
typed before its results arrived has none to time (its query was abandoned for the newer one).
"""

from __future__ import annotations

import itertools
import os
import random
import re
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from benchmarks.table import Figure
from desktop_app.api.documents import CourseDoc, LessonDoc, ModuleDoc
from desktop_app.catalog.library import Library
from desktop_app.catalog.search import CatalogSearch, is_searchable
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.gui.background import BackgroundRunner
from desktop_app.gui.heap import UiThreadCollector, freeze_startup_heap
from desktop_app.gui.resources import resource_path
from desktop_app.sync.catalog import apply_catalog_page
from desktop_app.views.catalog.browser import CatalogBrowser

TIMEOUT_SECONDS = 420
COURSES, MODULES, LESSONS_PER_MODULE, PAGE = 10_000, 5, 10, 200
TAIL_WORDS, ZIPF_EXPONENT = 30_000, 1.05
PHRASES = ("privacy checklist", "linkedin profile", "de-identification", "patient reviews")
KEY_INTERVAL_MS, SETTLE_MS, WAIT_MS = 120, 400, 5_000
UI_FRAME_MS, RESULTS_MS = 16.0, 200.0
_SYLLABLES = ("ca", "di", "neph", "ro", "gas", "tro", "lo", "gy", "pul", "mo", "der", "ma",
              "hep", "a", "to", "sis", "os", "te", "on", "co", "ur", "in", "al", "vas")  # fmt: skip


# --- the cache -----------------------------------------------------------------------------


def _curriculum_words() -> list[str]:
    """The sample curriculum's words, commonest first."""
    counts: Counter[str] = Counter()
    for path in sorted(resource_path("curriculum/courses").glob("*.json")):
        text = " ".join(re.findall(r'"(?:title|summary)": "([^"]*)"', path.read_text("utf-8")))
        counts.update(word.lower() for word in re.findall(r"[A-Za-z][A-Za-z'-]+", text))
    return [word for word, _count in counts.most_common()]


class Words:
    """Draws words with Zipf's law: curriculum words first, then made-up terms."""

    def __init__(self, seed: int = 11) -> None:
        tail = ("".join(combo) for n in (3, 4) for combo in itertools.product(_SYLLABLES, repeat=n))
        self.vocabulary = _curriculum_words() + list(itertools.islice(tail, TAIL_WORDS))
        weights = [1 / rank**ZIPF_EXPONENT for rank in range(1, len(self.vocabulary) + 1)]
        self._cumulative = list(itertools.accumulate(weights))
        self._random = random.Random(seed)

    def text(self, low: int, high: int) -> str:
        count = self._random.randint(low, high)
        words = self._random.choices(self.vocabulary, cum_weights=self._cumulative, k=count)
        return " ".join(words).capitalize()


def _course(words: Words, number: int) -> CourseDoc:
    stem = f"{number:05d}"
    modules = tuple(
        ModuleDoc(f"m-{stem}-{m}", words.text(2, 5), m, tuple(
            LessonDoc(f"l-{stem}-{m}-{n}", words.text(3, 8), "reading", n, words.text(12, 30),
                      300, (), None)
            for n in range(LESSONS_PER_MODULE)
        ))
        for m in range(MODULES)
    )  # fmt: skip
    return CourseDoc(f"c-{stem}", words.text(3, 7), words.text(15, 35), 1, number, None, modules)


def build_cache(path: Path) -> None:
    """The whole catalog written page by page through the sync's applier."""
    words, database = Words(), Database(path)
    try:
        for start in range(0, COURSES, PAGE):
            with database.session() as session:
                apply_catalog_page(session, [_course(words, n) for n in range(start, start + PAGE)])
    finally:
        database.close()


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


def type_phrases(cache: Path, home: Path) -> TypingRun:
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
        for phrase in PHRASES:
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
    with tempfile.TemporaryDirectory(prefix="rounds-bench-search-") as folder:
        cache = Path(folder) / "cache.sqlite3"
        started = time.perf_counter()
        build_cache(cache)
        built = time.perf_counter() - started
        typed = type_phrases(cache, Path(folder))
    return _figures(typed, built)


def _spread(values: list[float], limit: float) -> tuple[float, float]:
    return (min(values) / limit, max(values) / limit) if values else (float("nan"),) * 2


def _latency(key: Key, kind: str) -> float | None:
    shown = key.courses_at if kind == "courses" else key.lessons_at
    return None if shown is None else (shown - key.at) * 1000


def _result_figure(name: str, keys: list[Key], kind: str, what: str) -> Figure:
    """Key → results, over the keys whose results showed before the next key."""
    values = [v for v in (_latency(key, kind) for key in keys) if v is not None]
    last = [_latency(key, kind) for key in keys if key.text in PHRASES]
    searchable = sum(is_searchable(key.text) for key in keys)
    return Figure(
        name,
        statistics.median(values) if values else float("nan"),
        RESULTS_MS,
        "ms",
        1.0,
        note=f"median over the {len(values)} of {searchable} searchable keys whose {what} "
        f"showed before the next key; after the last key of each phrase: "
        + ", ".join("never" if v is None else f"{v:.0f}" for v in last)
        + " ms",
        ratio_range=_spread(values, RESULTS_MS),
    )


def _stall_figures(typed_run: TypingRun, built: float) -> list[Figure]:
    size = f"{COURSES // 1000}k courses / {COURSES * MODULES * LESSONS_PER_MODULE // 1000}k lessons"
    late, busy = [s[0] for s in typed_run.stalls], [s[1] for s in typed_run.stalls]
    idle_late = [s[0] for s in typed_run.idle]
    typed = f"{len(typed_run.keys)} keys of {len(PHRASES)} phrases, one every {KEY_INTERVAL_MS} ms"
    return [
        Figure(f"search keystroke at {size}: longest UI-thread busy stretch",
               statistics.median(busy), UI_FRAME_MS, "ms", 1.0,
               note=f"median over {typed}, of each key's longest CPU time of the UI thread "
                    f"between two ticks of a 1 ms timer (waits for a core or the interpreter "
                    f"lock left out); limit = one frame; cache built in {built:.0f} s",
               ratio_range=_spread(busy, UI_FRAME_MS)),
        Figure("search keystroke: longest UI-thread stall (wall clock)",
               statistics.median(late), UI_FRAME_MS, "ms", 1.0,
               note=f"the same keys, the longest lateness of the 1 ms timer; with nothing "
                    f"typed, in {len(idle_late)} key intervals alternating with the phrases, "
                    f"the timer is late by {statistics.median(idle_late):.1f} ms (median), "
                    f"{max(idle_late):.1f} ms at most: the machine's own noise",
               ratio_range=_spread(late, UI_FRAME_MS)),
    ]  # fmt: skip


def _figures(typed_run: TypingRun, built: float) -> list[Figure]:
    keys = typed_run.keys
    return [
        *_stall_figures(typed_run, built),
        _result_figure("search keystroke → course list filtered", keys, "courses",
                       "course filter"),
        _result_figure("search keystroke → ranked lesson hits shown", keys, "lessons",
                       "lesson hits (best 50, with excerpts)"),
    ]  # fmt: skip
