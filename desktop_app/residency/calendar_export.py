"""The residency agenda as an iCalendar (.ics) file any calendar app imports.

Each session is one VEVENT whose DTSTART/DTEND carry the venue's TZID; the matching VTIMEZONE
(with the daylight-saving rules around the residency) comes from icalendar itself. UIDs are
stable, so importing the file again updates the events instead of duplicating them.

The reminders Rounds shows come along as VALARMs (DISPLAY, TRIGGER relative to the event's
start): the day before and the check-in window's opening on the first event, and 10 minutes
before each session the attendee marked (see `desktop_app.residency.reminders`).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.atomic_file import write_bytes_atomically
from desktop_app.residency.reminders import (
    SESSION_LEAD,
    Reminder,
    ReminderKind,
    residency_reminders,
)
from desktop_app.residency.rows import ResidencyDetail, SessionRow
from desktop_app.residency.times import venue_zone

if TYPE_CHECKING:  # icalendar loads with the first export, not at every start
    from icalendar import Alarm, Calendar, Event

PRODID = "-//Rounds//Residency agenda//EN"
UID_DOMAIN = "rounds.residency"
ZONE_MARGIN = timedelta(days=366)


def session_uid(residency_id: str, session_id: str) -> str:
    return f"{residency_id}.{session_id}@{UID_DOMAIN}"


def residency_calendar(
    residency: ResidencyDetail, now: datetime | None = None, marked: Collection[str] = ()
) -> Calendar:
    """The agenda; `marked` are the ids of the sessions the attendee is reminded of."""
    from icalendar import Calendar

    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", residency.title)
    calendar.add("x-wr-timezone", residency.timezone)
    for event in _with_alarms(_events(residency, stamp), residency, marked):
        calendar.add_component(event)
    calendar.add_missing_timezones(
        first_date=(residency.starts_at - ZONE_MARGIN).date(),
        last_date=(residency.ends_at + ZONE_MARGIN).date(),
    )
    return calendar


def export_ics(
    residency: ResidencyDetail,
    path: Path,
    now: datetime | None = None,
    marked: Collection[str] = (),
) -> Path:
    """Writes the agenda to `path` (replacing it whole, never half-written); returns the path."""
    path = Path(path)
    write_bytes_atomically(path, residency_calendar(residency, now, marked).to_ical())
    return path


def _with_alarms(
    events: list[Event], residency: ResidencyDetail, marked: Collection[str]
) -> list[Event]:
    """The residency-wide reminders go on the first event, a session's on its own."""
    first = min(events, key=lambda event: event.decoded("dtstart"))
    by_uid = {str(event["uid"]): event for event in events}
    for reminder in residency_reminders(residency, marked):
        if reminder.kind is ReminderKind.SESSION:
            event = by_uid.get(session_uid(residency.id, reminder.session_id))
            if event is not None:
                event.add_component(_alarm(reminder, -SESSION_LEAD))
        else:
            start = first.decoded("dtstart").astimezone(UTC)
            first.add_component(_alarm(reminder, reminder.at - start))
    return events


def _alarm(reminder: Reminder, before_start: timedelta) -> Alarm:
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", before_start)  # relative to the event's DTSTART
    alarm.add("description", f"{reminder.title}. {reminder.text}")
    return alarm


def _events(residency: ResidencyDetail, stamp: datetime) -> list[Event]:
    if not residency.sessions:
        return [_whole_day(residency, stamp)]
    return [_session_event(residency, row, stamp) for row in residency.sessions]


def _session_event(residency: ResidencyDetail, row: SessionRow, stamp: datetime) -> Event:
    from icalendar import Event

    zone = venue_zone(residency.timezone)
    event = Event()
    event.add("uid", session_uid(residency.id, row.id))
    event.add("dtstamp", stamp)
    event.add("summary", row.title)
    event.add("dtstart", row.starts_at.astimezone(zone))
    event.add("dtend", row.ends_at.astimezone(zone))
    event.add("location", _location(residency.venue_name, row.room))
    event.add("description", _description(residency, row))
    return event


def _whole_day(residency: ResidencyDetail, stamp: datetime) -> Event:
    from icalendar import Event

    zone = venue_zone(residency.timezone)
    event = Event()
    event.add("uid", f"{residency.id}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("summary", residency.title)
    event.add("dtstart", residency.starts_at.astimezone(zone))
    event.add("dtend", residency.ends_at.astimezone(zone))
    event.add("location", _location(residency.venue_name, residency.venue_address))
    return event


def _location(venue: str, detail: str) -> str:
    return ", ".join(part for part in (venue, detail) if part)


def _description(residency: ResidencyDetail, row: SessionRow) -> str:
    lines = [residency.title]
    if row.faculty:
        lines.append("Faculty: " + ", ".join(row.faculty))
    if residency.venue_address:
        lines.append(residency.venue_address)
    return "\n".join(lines)
