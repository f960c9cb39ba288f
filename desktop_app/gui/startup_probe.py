"""An opt-in report of start-up milestones, for the start-up benchmark; off unless asked for.

With `ROUNDS_REPORT_PAINT=1`, one line per milestone goes to standard output:
`rounds-startup <milestone> <seconds since the process started> <resident bytes>`. The
milestones are `first-paint` (the main window has painted once) and `course-list` (the course
list has painted with courses in it), and `settled` (the account's window is filled and the
start's background work, the first sync included, is done: what stays imported from then on is
the idle window's). `ROUNDS_EXIT_AFTER` names a milestone after which the
application quits, or a number of seconds after the process started (`5s`), which reports an
`idle` milestone first: the benchmark reads idle memory from it. Once the start has said that
an account is opening (`expect_settled`), `idle` waits for `settled` too, so that a slow start
on a loaded machine is never read while its account is still half open.

Seconds count from the process's own start as the kernel recorded it, so the interpreter's
start and every import are inside the figure. The benchmark's bare-window peer measures
through this same module.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from desktop_app.gui.first_paint import after_first_paint

REPORT_VARIABLE, EXIT_VARIABLE = "ROUNDS_REPORT_PAINT", "ROUNDS_EXIT_AFTER"
FIRST_PAINT, COURSE_LIST, SETTLED, IDLE = "first-paint", "course-list", "settled", "idle"
_IMPORTED = time.perf_counter()


class Runner(Protocol):
    """What the probe watches of the start's `BackgroundRunner`."""

    @property
    def busy(self) -> bool: ...

    @property
    def busy_changed(self) -> Any: ...


def seconds_since_start() -> float:
    """Seconds since this process started; where /proc is missing, since this module loaded."""
    try:
        stat = Path("/proc/self/stat").read_text(encoding="ascii")
        started = int(stat.rsplit(")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")
        return time.clock_gettime(time.CLOCK_BOOTTIME) - started
    except (OSError, ValueError, IndexError, AttributeError):
        return time.perf_counter() - _IMPORTED


def resident_bytes() -> int:
    """Resident memory, or 0 where psutil is not installed (the packaged build leaves it out)."""
    try:
        import psutil  # only when reporting: psutil is no part of a normal start
    except ImportError:
        return 0
    return int(psutil.Process().memory_info().rss)


class StartupProbe(QObject):
    """Reports milestones as the widgets watched for them paint, and quits where asked."""

    def __init__(self, exit_after: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._quit_after = exit_after
        self._settling = self._settled = self._idle_due = False
        if exit_after.endswith("s") and exit_after[:-1].isdigit():
            self._quit_after = IDLE
            wait = max(0.0, int(exit_after[:-1]) - seconds_since_start())
            timer = QTimer(self, singleShot=True, timerType=Qt.TimerType.PreciseTimer)
            timer.timeout.connect(self._idle)
            timer.start(int(wait * 1000))

    @classmethod
    def from_environment(cls, parent: QObject | None = None) -> StartupProbe | None:
        if os.environ.get(REPORT_VARIABLE) != "1":
            return None
        return cls(os.environ.get(EXIT_VARIABLE, ""), parent)

    def watch(
        self, widget: QWidget, milestone: str, ready: Callable[[], bool] = lambda: True
    ) -> None:
        """Report `milestone` once `widget` has painted while `ready()` holds."""
        after_first_paint(widget, lambda: self.report(milestone), ready)

    def watch_list(self, view: QAbstractScrollArea, milestone: str) -> None:
        """Report `milestone` once the list `view`, not yet painted, has painted its rows.

        They are drawn on its viewport, which the probe gives it: to wrap the one Qt made,
        PySide would load every QWidget class there is to find its type (0.9 MB that the
        window, unwatched, never pays)."""
        viewport = QWidget()
        view.setViewport(viewport)
        self.watch(viewport, milestone)

    def expect_settled(self) -> None:
        """An account is opening: `idle` is not reported before `settled`."""
        self._settling = True

    def settle_after(self, runner: Runner) -> None:
        """Report `settled` once `runner` has no work left (at once if it has none now)."""
        if not runner.busy:
            QTimer.singleShot(0, self, self._settle)
            return

        def idle(busy: bool) -> None:
            if not busy:
                runner.busy_changed.disconnect(idle)
                self._settle()

        runner.busy_changed.connect(idle)

    def _settle(self) -> None:
        self._settled = True
        self.report(SETTLED)
        if self._idle_due:
            self.report(IDLE)

    def _idle(self) -> None:
        if self._settling and not self._settled:
            self._idle_due = True
            return
        self.report(IDLE)

    def report(self, milestone: str) -> None:
        print(f"rounds-startup {milestone} {seconds_since_start():.4f} {resident_bytes()}")
        sys.stdout.flush()
        if milestone == self._quit_after:
            QCoreApplication.exit(0)
