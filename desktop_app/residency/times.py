"""Residency times as people read them: in the venue's zone, and in the learner's own zone.

Times are stored as UTC instants; every conversion goes through zoneinfo per instant, so a
session on a daylight-saving change day shows the offset in force at that moment.
A learner zone of `None` means this computer's zone (`datetime.astimezone()` with no argument
asks the operating system for each instant, so it too follows daylight saving).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LearnerZone = tzinfo | None


@dataclass(frozen=True)
class TimeSpan:
    """A start and an end in one zone, and how they read: "08:00–09:30 CST"."""

    start: datetime
    end: datetime
    text: str


def venue_zone(name: str) -> tzinfo:
    """The venue's IANA zone; an unknown name falls back to UTC rather than failing the page."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def in_zone(instant: datetime, zone: LearnerZone) -> datetime:
    return instant.astimezone(zone) if zone is not None else instant.astimezone()


def clock_text(start: datetime, end: datetime) -> str:
    """ "08:00–09:30 CST", or "23:30 CST – 00:30 CDT" when the zone name changes in between."""
    if start.tzname() == end.tzname():
        return f"{start:%H:%M}–{end:%H:%M} {start.tzname()}"
    return f"{start:%H:%M} {start.tzname()} – {end:%H:%M} {end.tzname()}"


def venue_span(start: datetime, end: datetime, zone_name: str) -> TimeSpan:
    zone = venue_zone(zone_name)
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    return TimeSpan(local_start, local_end, clock_text(local_start, local_end))


def learner_span(venue: TimeSpan, zone: LearnerZone) -> TimeSpan | None:
    """The same span in the learner's zone, or None when their clock reads the same."""
    start, end = in_zone(venue.start, zone), in_zone(venue.end, zone)
    if _wall(start) == _wall(venue.start) and _wall(end) == _wall(venue.end):
        return None
    text = clock_text(start, end)
    if start.date() != venue.start.date():
        text = f"{start:%a} {text}"
    return TimeSpan(start, end, text)


def day_text(span: TimeSpan) -> str:
    """ "Sunday 14 March 2027, 08:00–17:00 CDT"."""
    return f"{span.start:%A} {span.start.day} {span.start:%B %Y}, {span.text}"


def moment_text(instant: datetime, zone_name: str) -> str:
    """ "Sun 14 Mar, 07:30 CDT" in the venue's zone."""
    local = instant.astimezone(venue_zone(zone_name))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M} {local.tzname()}"


def _wall(moment: datetime) -> tuple[int, int, int, int, int]:
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute)
