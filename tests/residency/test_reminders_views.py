"""Residency reminders on screen, with real widgets offscreen (no tray there, so the window's
status area): the timer shows a reminder when its moment comes, once; switched off shows
none; the agenda's "Remind me" button marks a session, which the .ics export then carries."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import NoReturn

import pytest
from icalendar import Calendar
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
from pytestqt.qtbot import QtBot
from reminder_samples import RID, TEN, put_madrid
from residency_samples import FakeClock, Progress, utc
from shots import keep, light_and_dark, shots_folder

from desktop_app.db import Database
from desktop_app.gui.background import BackgroundRunner
from desktop_app.residency import CheckInService, ResidencyDesk, ResidencyQueries
from desktop_app.residency.reminders import (
    Reminder,
    ReminderBook,
    ReminderKind,
    ReminderPlanner,
    Schedule,
)
from desktop_app.residency.rows import ResidencyDetail, ResidencySummary
from desktop_app.views.reminders import (
    LONGEST_WAIT_MS,
    ReminderNotifier,
    ReminderScheduler,
    Route,
    notification_route,
    wait_ms,
)
from desktop_app.views.residency.page import ResidencyPage
from desktop_app.views.status_bar import SyncStatusBar

SHOTS = shots_folder("ROUNDS_REMINDER_SHOTS")


class RunningClock:
    """Wall time that stands at `start` until `run()`, then runs as the monotonic clock does:
    lets the real QTimer fire at an injected moment without the test sleeping, however long
    a loaded machine takes to set the scheduler up."""

    def __init__(self, start: datetime) -> None:
        self.start, self._began = start, None

    def run(self) -> None:
        self._began = time.monotonic()

    def __call__(self) -> datetime:
        if self._began is None:
            return self.start
        return self.start + timedelta(seconds=time.monotonic() - self._began)


def unreachable(*_args: object) -> NoReturn:
    raise AssertionError("no check-in in these tests")


@pytest.fixture
def desk(db: Database, tmp_path: Path) -> ResidencyDesk:
    put_madrid(db)
    queries = ResidencyQueries(db, Progress({"c-airway": 100.0}), clock=FakeClock(utc(2027, 3, 20)))
    service = CheckInService(db, unreachable)
    found = ResidencyDesk(queries, lambda: service)
    found.keep_reminders(ReminderBook.in_folder(tmp_path))
    found.set_marked(RID, TEN, True)
    return found


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[QMainWindow]:
    shown = QMainWindow()
    shown.setCentralWidget(QLabel())
    shown.setStatusBar(SyncStatusBar())
    shown.resize(900, 200)
    qtbot.addWidget(shown)
    yield shown


def status_of(window: QMainWindow) -> SyncStatusBar:
    bar = window.statusBar()
    assert isinstance(bar, SyncStatusBar)
    return bar


def scheduler_for(
    desk: Schedule,
    tmp_path: Path,
    window: QMainWindow,
    clock: Callable[[], datetime],
    runner: BackgroundRunner,
    enabled: bool = True,
) -> ReminderScheduler:
    planner = ReminderPlanner(desk, ReminderBook.in_folder(tmp_path), clock)
    notifier = ReminderNotifier(status_of(window).showMessage, Route.STATUS, window)
    return ReminderScheduler(planner, notifier, runner, enabled=enabled, parent=window)


def rearmed(scheduler: ReminderScheduler, qtbot: QtBot) -> None:
    """Rearm, and wait until the residencies read on the worker are planned."""
    with qtbot.waitSignal(scheduler.armed, timeout=10_000):
        scheduler.rearm()


def test_the_tray_is_used_where_the_system_has_one_else_the_status_area() -> None:
    assert notification_route(True) is Route.TRAY
    assert notification_route(False) is Route.STATUS


def test_the_timer_waits_for_the_next_moment_but_never_more_than_a_minute() -> None:
    now = utc(2027, 3, 28, 7, 0)
    assert wait_ms(now, now + timedelta(seconds=2)) == 2000
    assert wait_ms(now, now + timedelta(hours=5)) == LONGEST_WAIT_MS
    assert wait_ms(now, None) == LONGEST_WAIT_MS
    assert wait_ms(now, now - timedelta(seconds=1)) == 0


def test_a_session_reminder_appears_in_the_status_area_when_its_moment_comes(
    desk: ResidencyDesk,
    tmp_path: Path,
    window: QMainWindow,
    qtbot: QtBot,
    runner: BackgroundRunner,
) -> None:
    clock = RunningClock(utc(2027, 3, 28, 7, 50) - timedelta(milliseconds=300))
    scheduler = scheduler_for(desk, tmp_path, window, clock, runner)
    first: list[Reminder] = []
    scheduler.shown.connect(first.append)
    rearmed(scheduler, qtbot)  # at 09:49:59.7 CEST only the check-in one is due
    assert [r.kind for r in first] == [ReminderKind.CHECKIN_OPENS]
    # it wakes at the session's moment, 300 ms ahead (a coarse timer may add 5 %), not in a minute
    assert scheduler.timer.isActive() and scheduler.timer.remainingTime() <= 1_000
    clock.run()
    with qtbot.waitSignal(scheduler.shown, timeout=5_000) as shown:
        pass
    assert shown.args[0].kind is ReminderKind.SESSION
    text = status_of(window).currentMessage()
    assert text == "Reminder: In 10 minutes: Airway workshop. 10:00–11:00 CEST, Aula 2"
    rearmed(scheduler, qtbot)  # shown once, even when asked again (or after a restart)
    assert status_of(window).currentMessage() == text
    restarted = scheduler_for(desk, tmp_path, window, clock, runner)
    with qtbot.assertNotEmitted(restarted.shown, wait=0):
        rearmed(restarted, qtbot)


def test_missed_reminders_show_at_start_and_switched_off_shows_none(
    desk: ResidencyDesk,
    tmp_path: Path,
    window: QMainWindow,
    qtbot: QtBot,
    runner: BackgroundRunner,
    run_deferred_calls: Callable[[], None],
) -> None:
    clock = FakeClock(utc(2027, 3, 28, 7, 55))
    scheduler = scheduler_for(desk, tmp_path, window, clock, runner, enabled=False)
    with qtbot.assertNotEmitted(scheduler.shown, wait=0):
        scheduler.rearm()
        assert not runner.busy  # switched off: nothing is read
        run_deferred_calls()
    assert not scheduler.timer.isActive()
    assert status_of(window).currentMessage() == ""
    shown: list[Reminder] = []
    scheduler.shown.connect(shown.append)
    with qtbot.waitSignal(scheduler.armed, timeout=10_000):
        scheduler.set_enabled(True)  # switched on again: what is still ahead shows
    assert [r.kind for r in shown] == [ReminderKind.CHECKIN_OPENS, ReminderKind.SESSION]
    assert "Airway workshop" in status_of(window).currentMessage()


def test_remind_me_marks_the_selected_session_and_the_ics_carries_it(
    desk: ResidencyDesk, tmp_path: Path, qtbot: QtBot, runner: BackgroundRunner
) -> None:
    page = ResidencyPage(desk, runner, choose_ics_path=lambda _p, name: tmp_path / name)
    qtbot.addWidget(page)
    page.show_detail(desk.detail(RID))
    assert not page.mark_button.isEnabled()  # nothing selected yet
    page.table.setCurrentIndex(page.agenda.index(2, 0))  # the closing round
    assert page.mark_button.isEnabled() and not page.mark_button.isChecked()
    assert page.mark_button.accessibleName()
    page.mark_button.click()
    assert desk.marked(RID) == {TEN, f"{RID}.s-late"}
    page.table.setCurrentIndex(page.agenda.index(1, 0))  # the workshop, marked before
    assert page.mark_button.isChecked()
    saved = page.export_calendar()
    assert saved is not None
    calendar = Calendar.from_ical(saved.read_bytes())
    alarms = [len(event.walk("VALARM")) for event in calendar.walk("VEVENT")]
    assert alarms == [2, 1, 1]


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_screenshots_of_the_status_area_reminder(
    desk: ResidencyDesk,
    tmp_path: Path,
    window: QMainWindow,
    qtbot: QtBot,
    qapp: QApplication,
    runner: BackgroundRunner,
) -> None:
    """Set ROUNDS_REMINDER_SHOTS to a folder to keep the pictures (light and dark)."""
    page = ResidencyPage(desk, runner)
    page.show_detail(desk.detail(RID))
    window.setCentralWidget(page)
    window.resize(1000, 700)
    page.table.setCurrentIndex(page.agenda.index(1, 0))
    scheduler = scheduler_for(desk, tmp_path, window, FakeClock(utc(2027, 3, 28, 7, 51)), runner)
    rearmed(scheduler, qtbot)
    window.show()
    qtbot.waitExposed(window)
    keep(light_and_dark(qapp, window, "reminder-status"), SHOTS)


def test_a_clock_set_forward_shows_what_became_due_at_the_next_wake(
    desk: ResidencyDesk,
    tmp_path: Path,
    window: QMainWindow,
    qtbot: QtBot,
    runner: BackgroundRunner,
) -> None:
    clock = FakeClock(utc(2027, 3, 20, 12, 0))  # a week before: nothing due, a minute's wait
    scheduler = scheduler_for(desk, tmp_path, window, clock, runner)
    rearmed(scheduler, qtbot)
    assert scheduler.timer.interval() == LONGEST_WAIT_MS
    clock.now = utc(2027, 3, 27, 9, 30)  # the laptop wakes the next Saturday morning
    with qtbot.waitSignal(scheduler.shown, timeout=10_000) as shown:
        scheduler.timer.timeout.emit()
    assert shown.args[0].kind is ReminderKind.DAY_BEFORE
    assert scheduler.timer.isActive()


@pytest.mark.expect_log("desktop_app.residency.reminders", "unreadable, starting afresh")
@pytest.mark.expect_log("desktop_app.views.reminders", "Could not note the reminders")
def test_a_reminders_file_that_cannot_be_written_keeps_the_reminder_for_later(
    desk: ResidencyDesk,
    tmp_path: Path,
    window: QMainWindow,
    qtbot: QtBot,
    runner: BackgroundRunner,
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    clock = FakeClock(utc(2027, 3, 27, 9, 30))
    planner = ReminderPlanner(desk, ReminderBook.in_folder(blocked), clock)
    notifier = ReminderNotifier(status_of(window).showMessage, Route.STATUS, window)
    scheduler = ReminderScheduler(planner, notifier, runner, parent=window)
    rearmed(scheduler, qtbot)
    assert status_of(window).currentMessage() == ""
    assert [r.kind for r in planner.due()] == [ReminderKind.DAY_BEFORE]  # not lost
    assert scheduler.timer.isActive()


class ReadOnGate:
    """The desk's residencies, read only once the test opens the gate, noting the threads
    that read them."""

    def __init__(self, desk: ResidencyDesk) -> None:
        self._desk, self.gate, self.threads = desk, threading.Event(), set[int]()

    def summaries(self) -> list[ResidencySummary]:
        self.threads.add(threading.get_ident())
        assert self.gate.wait(10)
        return self._desk.summaries()

    def detail(self, residency_id: str) -> ResidencyDetail | None:
        return self._desk.detail(residency_id)


def test_the_residencies_are_read_on_a_worker_and_due_reminders_shown_on_the_ui_thread(
    desk: ResidencyDesk,
    tmp_path: Path,
    window: QMainWindow,
    qtbot: QtBot,
    runner: BackgroundRunner,
) -> None:
    gated = ReadOnGate(desk)
    scheduler = scheduler_for(gated, tmp_path, window, FakeClock(utc(2027, 3, 28, 7, 55)), runner)
    threads: list[int] = []
    scheduler.shown.connect(lambda _r: threads.append(threading.get_ident()))
    scheduler.rearm()  # returns while the read waits at the gate
    assert runner.busy and not threads and not scheduler.timer.isActive()
    with qtbot.waitSignal(scheduler.armed, timeout=10_000):
        gated.gate.set()
    assert threading.get_ident() not in gated.threads
    assert threads == [threading.get_ident()] * 2  # the check-in and the workshop
    assert "Airway workshop" in status_of(window).currentMessage()


def test_a_reading_that_arrives_after_stop_shows_nothing(
    desk: ResidencyDesk,
    tmp_path: Path,
    window: QMainWindow,
    qtbot: QtBot,
    runner: BackgroundRunner,
) -> None:
    gated = ReadOnGate(desk)
    scheduler = scheduler_for(gated, tmp_path, window, FakeClock(utc(2027, 3, 28, 7, 55)), runner)
    with qtbot.assertNotEmitted(scheduler.shown, wait=0):
        scheduler.rearm()
        scheduler.stop()  # the window closes while the residencies are read
        gated.gate.set()
        assert runner.wait_for_idle(10_000)
        qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
    assert not scheduler.timer.isActive() and status_of(window).currentMessage() == ""


@pytest.mark.expect_log("desktop_app.views.reminders", "Could not read the residencies")
def test_a_reading_that_fails_is_tried_again_in_a_minute(
    db: Database,
    desk: ResidencyDesk,
    tmp_path: Path,
    window: QMainWindow,
    qtbot: QtBot,
    runner: BackgroundRunner,
) -> None:
    with db.engine.begin() as connection:  # a cache that lost a table
        connection.exec_driver_sql("DROP TABLE residency_session")
    scheduler = scheduler_for(desk, tmp_path, window, FakeClock(utc(2027, 3, 28, 7, 55)), runner)
    with qtbot.assertNotEmitted(scheduler.shown, wait=0):
        rearmed(scheduler, qtbot)
    assert scheduler.timer.isActive() and scheduler.timer.interval() == LONGEST_WAIT_MS
    assert status_of(window).currentMessage() == ""
