"""Residency reminders: when to remind the attendee, and which reminders were already shown.

From the cached schedule and progress (works offline) each upcoming residency gives:
- the day before, at 09:00 venue time, with the prerequisites not yet done;
- when the check-in window opens;
- 10 minutes before each session the attendee marked in the agenda.

Moments are computed in the venue's zone (zoneinfo, so 09:00 is 09:00 on either side of a
daylight-saving change) and kept as UTC instants. The sessions marked and the reminders shown
live in `reminders.json` in the account folder, written atomically, so a restart neither
repeats a reminder nor loses one. A reminder whose moment passed while Rounds was closed is
shown once at the next start while what it announces is still ahead: the day-before one until
the residency starts, the check-in one until the window closes, a session's until the session
starts. After that it is dropped unseen, since it would only announce the past.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from desktop_app.atomic_file import write_json_atomically
from desktop_app.residency.rows import PrerequisiteState, ResidencyDetail, ResidencySummary
from desktop_app.residency.times import TimeSpan, moment_text, venue_span, venue_zone
from desktop_app.text import Message, translate

log = logging.getLogger(__name__)

DAY_BEFORE_AT = time(9, 0)  # venue time, the day before the residency
SESSION_LEAD = timedelta(minutes=10)
FILE_NAME = "reminders.json"

DAY_BEFORE_TITLE = translate("reminders", "Tomorrow: {residency}")
DAY_BEFORE_READY = translate("reminders", "Starts {when} at {venue}. Your prerequisites are done.")
DAY_BEFORE_TODO = translate("reminders", "Starts {when} at {venue}. Still to finish: {courses}.")
CHECKIN_TITLE = translate("reminders", "Check-in is open: {residency}")
CHECKIN_TEXT = translate("reminders", "Check in at the venue until {when}.")
SESSION_TITLE = translate("reminders", "In 10 minutes: {session}")
SESSION_TEXT = translate("reminders", "{when}, {room}")


class ReminderKind(StrEnum):
    DAY_BEFORE = "day-before"
    CHECKIN_OPENS = "check-in"
    SESSION = "session"


@dataclass(frozen=True)
class Reminder:
    """One reminder: due `at`, worth showing until `until` (both UTC)."""

    key: str  # stable; names the moment too, so a moved session reminds again
    kind: ReminderKind
    residency_id: str
    session_id: str  # "" for the residency-wide reminders
    at: datetime
    until: datetime
    title: Message
    text: Message  # its {when} is `span` in English; the views write it in the learner's way
    span: TimeSpan  # what it announces, in venue time (a moment: start == end)
    zone: str  # the venue's zone

    def due(self, now: datetime) -> bool:
        return self.at <= now < self.until


def day_before_moment(starts_at: datetime, zone_name: str) -> datetime:
    """09:00 venue time on the day before the residency's first day, as a UTC instant."""
    zone = venue_zone(zone_name)
    first_day = starts_at.astimezone(zone).date()
    return datetime.combine(first_day - timedelta(days=1), DAY_BEFORE_AT, zone).astimezone(UTC)


def residency_reminders(detail: ResidencyDetail, marked: Collection[str]) -> list[Reminder]:
    """Every reminder of one residency, in order of their moments."""
    found = [_day_before(detail)]
    if detail.window is not None:
        found.append(_checkin_opens(detail))
    found.extend(_session(detail, row_id) for row_id in _marked_rows(detail, marked))
    return sorted(found, key=lambda reminder: (reminder.at, reminder.key))


def _key(kind: ReminderKind, residency_id: str, subject: str, at: datetime) -> str:
    return f"{kind.value}|{residency_id}|{subject}|{at.astimezone(UTC).isoformat()}"


def _day_before(detail: ResidencyDetail) -> Reminder:
    at = day_before_moment(detail.starts_at, detail.timezone)
    todo = [row.title for row in detail.prerequisites if row.state is not PrerequisiteState.DONE]
    when = moment_text(detail.starts_at, detail.timezone)
    text = (
        DAY_BEFORE_TODO.format(when=when, venue=detail.venue_name, courses=", ".join(todo))
        if todo
        else DAY_BEFORE_READY.format(when=when, venue=detail.venue_name)
    )
    return Reminder(
        _key(ReminderKind.DAY_BEFORE, detail.id, "", at),
        ReminderKind.DAY_BEFORE,
        detail.id,
        "",
        at,
        detail.starts_at,
        DAY_BEFORE_TITLE.format(residency=detail.title),
        text,
        venue_span(detail.starts_at, detail.starts_at, detail.timezone),
        detail.timezone,
    )


def _checkin_opens(detail: ResidencyDetail) -> Reminder:
    assert detail.window is not None
    window = detail.window
    return Reminder(
        _key(ReminderKind.CHECKIN_OPENS, detail.id, "", window.opens_at),
        ReminderKind.CHECKIN_OPENS,
        detail.id,
        "",
        window.opens_at,
        window.closes_at,
        CHECKIN_TITLE.format(residency=detail.title),
        CHECKIN_TEXT.format(when=moment_text(window.closes_at, detail.timezone)),
        venue_span(window.closes_at, window.closes_at, detail.timezone),
        detail.timezone,
    )


def _marked_rows(detail: ResidencyDetail, marked: Collection[str]) -> list[str]:
    return [row.id for row in detail.sessions if row.id in marked]


def _session(detail: ResidencyDetail, session_id: str) -> Reminder:
    row = next(row for row in detail.sessions if row.id == session_id)
    at = row.starts_at - SESSION_LEAD
    return Reminder(
        _key(ReminderKind.SESSION, detail.id, row.id, at),
        ReminderKind.SESSION,
        detail.id,
        row.id,
        at,
        row.starts_at,
        SESSION_TITLE.format(session=row.title),
        SESSION_TEXT.format(when=row.venue.text, room=row.room or detail.venue_name),
        row.venue,
        detail.timezone,
    )


class ReminderBook:
    """The sessions marked in each agenda and the reminders already shown, in one JSON file.

    A file that cannot be read (damaged, another program's) counts as empty and is logged;
    it is replaced whole at the next change."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._marked, self._shown = _read(path)

    @classmethod
    def in_folder(cls, folder: Path) -> ReminderBook:
        return cls(folder / FILE_NAME)

    def marked(self, residency_id: str) -> frozenset[str]:
        with self._lock:
            return frozenset(self._marked.get(residency_id, ()))

    def set_marked(self, residency_id: str, session_id: str, marked: bool) -> None:
        with self._lock:
            sessions = set(self._marked.get(residency_id, ()))
            (sessions.add if marked else sessions.discard)(session_id)
            marks = {**self._marked, residency_id: sorted(sessions)}
            self._save(marks, self._shown)
            self._marked = marks

    def was_shown(self, key: str) -> bool:
        with self._lock:
            return key in self._shown

    def note_shown(self, keys: Iterable[str], keep: Collection[str]) -> None:
        """Notes `keys` as shown; forgets shown keys no longer among `keep` (past ones)."""
        with self._lock:
            shown = {key for key in self._shown if key in keep} | set(keys)
            self._save(self._marked, shown)  # kept in memory only once on the disk
            self._shown = shown

    def _save(self, marked: dict[str, list[str]], shown: set[str]) -> None:
        value = {"marked": marked, "shown": sorted(shown)}
        write_json_atomically(self._path, value, indent=1)


def _read(path: Path) -> tuple[dict[str, list[str]], set[str]]:
    try:
        value: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, set()
    except (OSError, ValueError) as error:
        log.warning("Reminders file %s unreadable, starting afresh: %s", path, error)
        return {}, set()
    if not isinstance(value, dict):
        return {}, set()
    marked = value.get("marked")
    shown = value.get("shown")
    marks = {
        str(key): [str(item) for item in items]
        for key, items in (marked.items() if isinstance(marked, dict) else ())
        if isinstance(items, list)
    }
    return marks, {str(key) for key in shown} if isinstance(shown, list) else set()


class Schedule(Protocol):
    def summaries(self) -> list[ResidencySummary]: ...

    def detail(self, residency_id: str) -> ResidencyDetail | None: ...


Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class ReminderPlanner:
    """The reminders of every residency not yet over, which are due, and when the next is."""

    def __init__(self, schedule: Schedule, book: ReminderBook, clock: Clock = utc_now) -> None:
        self._schedule = schedule
        self.book = book
        self.clock = clock

    def all(self) -> list[Reminder]:
        found: list[Reminder] = []
        for summary in self._schedule.summaries():
            if summary.past:
                continue
            detail = self._schedule.detail(summary.id)
            if detail is not None:
                found.extend(residency_reminders(detail, self.book.marked(detail.id)))
        return sorted(found, key=lambda reminder: (reminder.at, reminder.key))

    def due(self) -> list[Reminder]:
        """The reminders to show now: due, still relevant, never shown."""
        now = self.clock()
        return [r for r in self.all() if r.due(now) and not self.book.was_shown(r.key)]

    def next_moment(self, every: list[Reminder] | None = None) -> datetime | None:
        """The earliest moment still ahead of a reminder not yet shown, or None; among `every`
        (as `all` read it, on a worker) or all."""
        now = self.clock()
        every = self.all() if every is None else every
        ahead = [r.at for r in every if r.at > now and not self.book.was_shown(r.key)]
        return min(ahead, default=None)

    def take_due(self, every: list[Reminder] | None = None) -> list[Reminder]:
        """The due reminders among `every` (or all), noted as shown before they are returned
        (shown at most once)."""
        every = self.all() if every is None else every
        now = self.clock()
        due = [r for r in every if r.due(now) and not self.book.was_shown(r.key)]
        if due:
            self.book.note_shown((r.key for r in due), {r.key for r in every})
        return due
