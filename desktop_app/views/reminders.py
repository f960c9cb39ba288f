"""Residency reminders on screen: a timer that wakes at the next reminder's moment, and where
the reminder appears (a desktop notification from the tray icon, or the window's status
area where the system has no tray). The agenda's "Remind me" button is
`desktop_app.views.residency.reminders`'. This module runs in every idle window, so it
leaves the residency pages unloaded until a reminder is written out.

The timer never waits more than a minute, and each wake asks the wall clock again, so a
clock set forward or back (a time zone change, a laptop waking) is noticed within a minute:
what became due shows then, and the next wait is measured afresh. The moments themselves and
which reminders were shown are `desktop_app.residency.reminders`' business.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon

from desktop_app.gui.background import BackgroundRunner
from desktop_app.residency.reminders import Reminder, ReminderBook, ReminderKind, ReminderPlanner
from desktop_app.text import Template
from desktop_app.views.i18n import localized

if TYPE_CHECKING:
    from desktop_app.views.main_window import MainWindow

log = logging.getLogger(__name__)

LONGEST_WAIT_MS = 60_000
CLOCK_JUMP_MS = 5_000  # a wake this far from when it was due: the wall clock was changed
TRAY_SHOWN_MS = 15_000


class Route(StrEnum):
    TRAY = "tray"
    STATUS = "status"


def notification_route(tray_available: bool) -> Route:
    """A desktop notification where the system has a tray, else the window's status area."""
    return Route.TRAY if tray_available else Route.STATUS


def wait_ms(now: datetime, next_moment: datetime | None) -> int:
    """How long the timer sleeps: until the next moment, but never more than a minute."""
    if next_moment is None:
        return LONGEST_WAIT_MS
    ahead = int((next_moment - now).total_seconds() * 1000)
    return max(0, min(LONGEST_WAIT_MS, ahead))


class ReminderScheduler(QObject):
    """Shows each reminder when it falls due, once. The residencies are read on `runner`'s
    workers (a few cache queries); which reminders are due, noting them shown and showing them
    happen on the UI thread when the reading arrives. A reading asked for before the latest
    `rearm` or `stop` is dropped. A reading that fails is logged and tried again in a minute.

    Signals:
        shown(Reminder): a reminder was shown.
        armed(): a reading arrived and the timer waits for the next moment.
    """

    shown = Signal(object)
    armed = Signal()

    def __init__(
        self,
        planner: ReminderPlanner,
        notify: Callable[[Reminder], None],
        runner: BackgroundRunner,
        *,
        enabled: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._planner, self._notify, self._runner = planner, notify, runner
        self._enabled = enabled
        self._asked = 0
        self._expected: datetime | None = None
        self.timer = QTimer(self, singleShot=True)
        self.timer.timeout.connect(self._wake)

    @property
    def enabled(self) -> bool:
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        self._enabled = enabled
        self.rearm()

    def rearm(self) -> None:
        """Show what is due and wait for the next moment (after a sync changed the schedule,
        a session was marked, the settings changed)."""
        self.stop()
        if self._enabled:
            asked = self._asked
            self._runner.run(
                self._planner.all,
                partial(self._planned, asked),
                partial(self._not_planned, asked),
                serial=False,
            )

    def stop(self) -> None:
        """No wake and no reading still on its way shows anything."""
        self.timer.stop()
        self._expected = None
        self._asked += 1

    def _wake(self) -> None:
        now = self._planner.clock()
        if self._expected is not None and abs(now - self._expected).total_seconds() * 1000 > (
            CLOCK_JUMP_MS
        ):
            log.info(
                "The clock moved (%s expected, %s now): reminders re-armed", self._expected, now
            )
        self.rearm()

    def _planned(self, asked: int, every: list[Reminder]) -> None:
        if asked != self._asked:
            return
        self._show_due(every)
        self._arm(self._planner.next_moment(every))

    def _not_planned(self, asked: int, error: Exception) -> None:
        if asked == self._asked:
            log.warning("Could not read the residencies for reminders: %s", error)
            self._arm(None)

    def _show_due(self, every: list[Reminder]) -> None:
        try:
            due = self._planner.take_due(every)
        except OSError as error:  # the reminders file could not be written: try next wake
            log.warning("Could not note the reminders shown: %s", error)
            return
        for reminder in due:
            self._notify(reminder)
            self.shown.emit(reminder)

    def _arm(self, next_moment: datetime | None) -> None:
        now = self._planner.clock()
        wait = wait_ms(now, next_moment)
        self._expected = now + timedelta(milliseconds=wait)
        self.timer.start(wait)
        self.armed.emit()


class ReminderNotifier(QObject):
    """Puts a reminder where the attendee sees it: the tray's notification, or the status
    area (`show_in_status`) of the window."""

    def __init__(
        self, show_in_status: Callable[[str], None], route: Route, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._show_in_status, self.route = show_in_status, route
        self._tray: QSystemTrayIcon | None = None

    def __call__(self, reminder: Reminder) -> None:
        title, text = localized(reminder.title), reminder_text(reminder)
        if self.route is Route.TRAY:
            self._tray_icon().showMessage(
                title, text, QSystemTrayIcon.MessageIcon.Information, TRAY_SHOWN_MS
            )
        else:
            self._show_in_status(
                self.tr("Reminder: {title}. {text}").format(title=title, text=text)
            )

    def _tray_icon(self) -> QSystemTrayIcon:
        if self._tray is None:
            icon = QApplication.windowIcon()
            if icon.isNull():
                icon = QApplication.style().standardIcon(
                    QStyle.StandardPixmap.SP_MessageBoxInformation
                )
            self._tray = QSystemTrayIcon(icon, self)
            self._tray.setToolTip(self.tr("Rounds"))
            self._tray.show()
        return self._tray


def reminder_text(reminder: Reminder) -> str:
    """The reminder's text in the window's language, its time written as the agenda's are."""
    from desktop_app.views.residency.when import clock_span, moment

    if reminder.kind is ReminderKind.SESSION:
        when = clock_span(reminder.span)
    else:
        when = moment(reminder.span.start, reminder.zone)
    message = reminder.text
    template = Template(message.context, message.template)
    return localized(template.format(**{**message.values, "when": when}))


def start_reminders(window: MainWindow) -> ReminderScheduler:
    """The reminders of the account `window` shows, on the tray or in its status bar."""
    study = window.study
    book = ReminderBook.in_folder(study.account.paths.root)
    study.residencies.keep_reminders(book)
    planner = ReminderPlanner(study.residencies, book)
    route = notification_route(QSystemTrayIcon.isSystemTrayAvailable())
    notifier = ReminderNotifier(window.status.showMessage, route, window)
    enabled = study.account.settings.residency_reminders
    scheduler = ReminderScheduler(planner, notifier, window.runner, enabled=enabled, parent=window)
    scheduler.rearm()
    return scheduler
