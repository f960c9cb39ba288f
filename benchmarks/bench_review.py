"""The Review page shown with 2,000 answers (`benchmarks/review_history.py`): the UI thread's
longest stall, the page as it is (the schedule read on the background runner) against the same
page reading on the UI thread, as it did before, in alternating rounds.

A 1 ms timer on the UI thread notes its longest lateness from the moment the page is built and
shown until its first question is on screen and `SETTLE_MS` more have passed; then, for an
answer checked, from the click until the same settling. Each round builds a new page on the
same cache, with the start-up heap frozen as the shell does.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QStackedWidget

from benchmarks.pairs import Pairs, alternate, paired_figure
from benchmarks.review_history import ANSWERS, course_title, history_log, review_history
from benchmarks.table import Figure
from desktop_app.db import Database
from desktop_app.gui.background import BackgroundRunner
from desktop_app.gui.heap import freeze_startup_heap
from desktop_app.gui.launch import SWITCH_INTERVAL_S
from desktop_app.review import ReviewQueue
from desktop_app.views.review.page import ReviewPage

TIMEOUT_SECONDS = 300
ROUNDS, SETTLE_MS, WAIT_MS, IDLE_MS = 9, 150, 10_000, 300
UI_FRAME_MS = 16.0


class UiThreadReads(QObject):
    """A runner that runs each job on the UI thread at once: the page as it read before."""

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        *,
        serial: bool = True,
    ) -> None:
        value = fn()
        if on_done is not None:
            on_done(value)


class LatenessMeter(QObject):
    """A 1 ms timer on the UI thread noting its longest lateness since `start`."""

    def __init__(self) -> None:
        super().__init__()
        self._timer = QTimer(self, interval=1, timerType=Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._last, self.longest = 0.0, 0.0

    def start(self) -> None:
        self._last, self.longest = time.perf_counter(), 0.0
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, (now - self._last) * 1000 - 1)
        self._last = now

    def stop(self) -> float:
        self._tick()
        self._timer.stop()
        return self.longest


def _idle(meter: LatenessMeter) -> float:
    """The same timer with nothing to do for as long as a round takes: the machine's noise."""
    loop = QEventLoop()
    meter.start()
    QTimer.singleShot(IDLE_MS, loop.quit)
    loop.exec()
    return meter.stop()


def _wait_until(done: Callable[[], bool]) -> None:
    """Runs the event loop until `done`, then `SETTLE_MS` more (at most `WAIT_MS` in all)."""
    loop, deadline = QEventLoop(), time.perf_counter() + WAIT_MS / 1000

    def poll() -> None:
        if done() or time.perf_counter() > deadline:
            QTimer.singleShot(SETTLE_MS, loop.quit)
        else:
            QTimer.singleShot(2, poll)

    QTimer.singleShot(0, poll)
    loop.exec()
    if not done():
        raise RuntimeError("the page did not show its question in time")


class Rounds:
    """Builds, shows and answers the page, round after round, on one cache."""

    def __init__(self, database: Database) -> None:
        self.queue = ReviewQueue(history_log(database))
        self.runner = BackgroundRunner()
        self.shown: dict[str, list[float]] = {"ours": [], "peer": []}
        self.checked: dict[str, list[float]] = {"ours": [], "peer": []}
        self.idle: list[float] = []
        self.host = QStackedWidget()  # as the window's page stack, shown once
        self.host.resize(900, 700)
        self.host.show()

    def round(self, side: str) -> float:
        runner = self.runner if side == "ours" else UiThreadReads()
        meter = LatenessMeter()
        self.idle.append(_idle(meter))
        meter.start()
        page = ReviewPage(self.queue, course_title, runner)  # type: ignore[arg-type]
        self.host.setCurrentIndex(self.host.addWidget(page))
        _wait_until(lambda: page.box is not None and not page.reading)
        self.shown[side].append(meter.stop())
        self.checked[side].append(self._check(page, meter))
        self._close(page)
        return self.shown[side][-1]

    def _check(self, page: ReviewPage, meter: LatenessMeter) -> float:
        assert page.box is not None
        page.select(sorted(page.box.question.correct))
        meter.start()
        page.check.click()
        _wait_until(lambda: not page.reading)
        return meter.stop()

    def _close(self, page: ReviewPage) -> None:
        self.host.removeWidget(page)
        while self.runner.busy:
            self.runner.wait_for_idle()
            QApplication.processEvents()
        page.deleteLater()
        QApplication.processEvents()


def run() -> list[Figure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([])
    sys.setswitchinterval(SWITCH_INTERVAL_S)  # as `launch` sets it for the window
    with tempfile.TemporaryDirectory(prefix="rounds-bench-review-") as folder:
        database = Database(Path(folder) / "cache.sqlite3")
        try:
            review_history(database)
            rounds = Rounds(database)
            freeze_startup_heap()
            shown = alternate(
                lambda _n: rounds.round("ours"), lambda _n: rounds.round("peer"), ROUNDS
            )
        finally:
            database.close()
    checked = Pairs(rounds.checked["ours"], rounds.checked["peer"])
    assert app is not None
    return _figures(shown, checked, rounds.idle)


def _figures(shown: Pairs, checked: Pairs, idle: list[float]) -> list[Figure]:
    reads = f"the schedule of {ANSWERS:,} answers read on the UI thread as before"
    noise = (
        f"with nothing to do, {IDLE_MS} ms before each round, the timer is late by "
        f"{statistics.median(idle):.1f} ms (median), {max(idle):.1f} ms at most"
    )
    return [
        Figure(
            f"review page shown with {ANSWERS:,} answers: longest UI-thread stall",
            shown.ours_median, UI_FRAME_MS, "ms", 1.0,
            note=f"median of {len(shown.ours)} rounds, each the page built and shown until its "
                 f"first question is on screen; alternating with {reads}: "
                 f"{shown.peer_median:.0f} ms median "
                 f"({min(shown.peer):.0f}–{max(shown.peer):.0f}); {noise}; limit = one frame",
            ratio_range=(min(shown.ours) / UI_FRAME_MS, max(shown.ours) / UI_FRAME_MS),
        ),
        paired_figure(
            f"review answer checked with {ANSWERS:,} answers: longest UI-thread stall",
            checked, "ms", None,
            note=f"the answer written on the UI thread, the count read again on a worker; "
                 f"peer: {reads}",
        ),
    ]  # fmt: skip
