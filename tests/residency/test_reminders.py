"""Residency reminders below the views: moments in venue time across a daylight-saving change,
shown once across restarts, missed ones while still relevant, and the .ics VALARMs.

Madrid moves from CET (UTC+1) to CEST (UTC+2) at 02:00 local on Sunday 28 March 2027.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from reminder_samples import GAP, MADRID, OPENS, RID, TEN, put_madrid
from residency_samples import FakeClock, Progress, utc

from desktop_app.db import Database
from desktop_app.residency import ResidencyQueries, export_ics
from desktop_app.residency.reminders import (
    FILE_NAME,
    ReminderBook,
    ReminderKind,
    ReminderPlanner,
)


@pytest.fixture
def madrid(db: Database) -> Database:
    return put_madrid(db)


def planner(db: Database, folder: Path, clock: FakeClock) -> ReminderPlanner:
    queries = ResidencyQueries(db, Progress({"c-airway": 100.0, "c-ethics": 40.0}), clock=clock)
    return ReminderPlanner(queries, ReminderBook.in_folder(folder), clock)


def marked_planner(db: Database, folder: Path, clock: FakeClock) -> ReminderPlanner:
    plan = planner(db, folder, clock)
    plan.book.set_marked(RID, GAP, True)
    plan.book.set_marked(RID, TEN, True)
    return plan


def test_moments_are_in_venue_time_across_the_daylight_saving_change(
    madrid: Database, tmp_path: Path
) -> None:
    plan = marked_planner(madrid, tmp_path, FakeClock(utc(2027, 3, 20)))
    moments = {(r.kind, r.session_id): r.at for r in plan.all()}
    day_before = moments[ReminderKind.DAY_BEFORE, ""]
    assert day_before == utc(2027, 3, 27, 8, 0)  # 09:00 CET, the day before the change
    assert day_before.astimezone(MADRID).strftime("%H:%M %Z") == "09:00 CET"
    assert moments[ReminderKind.CHECKIN_OPENS, ""] == OPENS
    ten = moments[ReminderKind.SESSION, TEN]
    assert ten == utc(2027, 3, 28, 7, 50)
    assert ten.astimezone(MADRID).strftime("%H:%M %Z") == "09:50 CEST"
    gap = moments[ReminderKind.SESSION, GAP]  # ten real minutes, on the other side of 02:00
    assert gap.astimezone(MADRID).strftime("%H:%M %Z") == "01:55 CET"
    assert (ReminderKind.SESSION, f"{RID}.s-late") not in moments  # not marked


def test_the_day_before_names_the_prerequisites_not_done(madrid: Database, tmp_path: Path) -> None:
    plan = planner(madrid, tmp_path, FakeClock(utc(2027, 3, 27, 8, 0)))
    (due,) = plan.due()
    assert due.kind is ReminderKind.DAY_BEFORE
    assert "Clinical ethics" in due.text
    assert "Airway basics" not in due.text
    assert due.title == "Tomorrow: Madrid spring residency"


def test_a_restart_neither_repeats_nor_loses_a_reminder(madrid: Database, tmp_path: Path) -> None:
    clock = FakeClock(utc(2027, 3, 28, 7, 49))
    first = marked_planner(madrid, tmp_path, clock)
    shown = [r.kind for r in first.take_due()]  # the day-before and check-in ones, missed
    assert shown == [ReminderKind.CHECKIN_OPENS]  # the day-before one is past: it started
    assert first.take_due() == []
    assert first.next_moment() == utc(2027, 3, 28, 7, 50)

    clock.advance(minutes=1)
    again = planner(madrid, tmp_path, clock)  # a new start, the same account folder
    assert again.book.marked(RID) == {GAP, TEN}
    (due,) = again.take_due()
    assert due.session_id == TEN
    assert planner(madrid, tmp_path, clock).take_due() == []


def test_a_reminder_missed_while_closed_shows_only_while_still_relevant(
    madrid: Database, tmp_path: Path
) -> None:
    clock = FakeClock(utc(2027, 3, 28, 8, 1))  # the workshop started a minute ago
    plan = marked_planner(madrid, tmp_path, clock)
    assert plan.take_due() == []  # the window closed at 08:00 too
    clock.now = utc(2027, 3, 27, 20, 0)  # the evening before, after a day closed
    assert [r.kind for r in plan.take_due()] == [ReminderKind.DAY_BEFORE]


@pytest.mark.expect_log("desktop_app.residency.reminders", "unreadable, starting afresh")
def test_an_unreadable_reminders_file_counts_as_empty_and_is_replaced(
    madrid: Database, tmp_path: Path
) -> None:
    (tmp_path / FILE_NAME).write_text("{not json", encoding="utf-8")
    plan = planner(madrid, tmp_path, FakeClock(utc(2027, 3, 27, 9, 0)))
    assert [r.kind for r in plan.take_due()] == [ReminderKind.DAY_BEFORE]
    assert planner(madrid, tmp_path, FakeClock(utc(2027, 3, 27, 9, 0))).take_due() == []


def test_the_ics_export_carries_the_same_moments_as_display_alarms(
    madrid: Database, tmp_path: Path
) -> None:
    clock = FakeClock(utc(2027, 3, 20))
    plan = marked_planner(madrid, tmp_path, clock)
    detail = ResidencyQueries(madrid, Progress(), clock=clock).detail(RID)
    assert detail is not None
    path = export_ics(detail, tmp_path / "agenda.ics", marked=plan.book.marked(RID))
    calendar = Calendar.from_ical(path.read_bytes())
    moments = set()
    for event in calendar.walk("VEVENT"):
        start = event.decoded("DTSTART").astimezone(UTC)
        for alarm in event.walk("VALARM"):
            assert str(alarm["ACTION"]) == "DISPLAY"
            trigger = alarm.decoded("TRIGGER")
            assert isinstance(trigger, timedelta)  # relative to DTSTART
            assert str(alarm["DESCRIPTION"])
            moments.add(start + trigger)
    assert moments == {r.at for r in plan.all()}
    assert "TRIGGER:-PT10M" in path.read_text()


def test_without_marks_the_ics_has_no_session_alarms(madrid: Database, tmp_path: Path) -> None:
    detail = ResidencyQueries(madrid, Progress(), clock=FakeClock(utc(2027, 3, 20))).detail(RID)
    assert detail is not None
    calendar = Calendar.from_ical(export_ics(detail, tmp_path / "a.ics").read_bytes())
    alarms = [len(event.walk("VALARM")) for event in calendar.walk("VEVENT")]
    assert alarms == [2, 0, 0]  # the day before and check-in, on the first event
