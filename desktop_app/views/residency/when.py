"""Residency days and times in the learner's language (QLocale), as the clocks of the venue or
of the learner read them: the spans come from `desktop_app.residency` already in their zone,
so nothing here converts. The calendar file and the headless commands keep their own text."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QLocale

from desktop_app.residency import CheckInWindow, TimeSpan, WindowState
from desktop_app.residency.times import venue_span, venue_zone
from desktop_app.views.i18n import format_date, format_time


def clock_span(span: TimeSpan) -> str:
    """ "08:00–09:30 CST", or "23:30 CST – 00:30 CDT" when the zone's name changes between."""
    start, end = span.start, span.end
    if start.tzname() == end.tzname():
        return f"{format_time(start)}–{format_time(end)} {start.tzname()}"
    return f"{format_time(start)} {start.tzname()} – {format_time(end)} {end.tzname()}"


def day_span(span: TimeSpan) -> str:
    """The day and the times: "Sunday, 14 March 2027, 08:00–17:00 CDT"."""
    return QCoreApplication.translate("ResidencyTimes", "{day}, {times}").format(
        day=format_date(span.start.date()), times=clock_span(span)
    )


def your_span(venue: TimeSpan, yours: TimeSpan) -> str:
    """The learner's own clock under the venue's: only the times when the learner's days are
    the venue's (the day is already written above), else the learner's day once, or both
    days when the learner's clock passes midnight during the residency."""
    if (yours.start.date(), yours.end.date()) == (venue.start.date(), venue.end.date()):
        return clock_span(yours)
    if yours.start.date() == yours.end.date():
        return day_span(yours)
    return f"{_day_time(yours.start)} – {_day_time(yours.end)}"


def _day_time(local: datetime) -> str:
    return QCoreApplication.translate("ResidencyTimes", "{day}, {time} {zone}").format(
        day=format_date(local.date()), time=format_time(local), zone=local.tzname()
    )


def agenda_yours(venue: TimeSpan, yours: TimeSpan | None) -> str:
    """An agenda line on the learner's clock, with the weekday when it is not the venue's."""
    if yours is None:
        return ""
    if yours.start.date() == venue.start.date():
        return clock_span(yours)
    weekday = QLocale().dayName(yours.start.isoweekday(), QLocale.FormatType.ShortFormat)
    return f"{weekday} {clock_span(yours)}"


def summary_day(starts_at: datetime, ends_at: datetime, zone_name: str) -> str:
    return day_span(venue_span(starts_at, ends_at, zone_name))


def moment(instant: datetime, zone_name: str) -> str:
    """A moment on the venue's clock with its day: "Sunday, 14 March 2027, 07:30 CDT"."""
    return _day_time(instant.astimezone(venue_zone(zone_name)))


def window_span(window: CheckInWindow, zone_name: str) -> str:
    """When check-in is open, on the venue's clock: one day and two times when it opens and
    closes on the same day."""
    zone = venue_zone(zone_name)
    span = TimeSpan(window.opens_at.astimezone(zone), window.closes_at.astimezone(zone), "")
    if span.start.date() == span.end.date():
        return day_span(span)
    return f"{moment(window.opens_at, zone_name)} – {moment(window.closes_at, zone_name)}"


def window_words(window: CheckInWindow | None, zone_name: str) -> str:
    if window is None:
        return QCoreApplication.translate(
            "ResidencyTimes", "Check in with the code shown at the venue on the day."
        )
    span = window_span(window, zone_name)
    if window.state is WindowState.OPEN:
        open_now = QCoreApplication.translate(
            "ResidencyTimes", "Check-in: {span} (venue time) — open now."
        )
        return open_now.format(span=span)
    if window.state is WindowState.NOT_OPEN_YET:
        not_yet = QCoreApplication.translate(
            "ResidencyTimes", "Check-in: {span} (venue time) — not open yet."
        )
        return not_yet.format(span=span)
    closed = QCoreApplication.translate("ResidencyTimes", "Check-in: {span} (venue time) — closed.")
    return closed.format(span=span)
