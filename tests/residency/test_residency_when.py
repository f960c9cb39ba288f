"""Residency days and times as the pages write them (QLocale, here the C locale's English):
the learner's own time names the day only when it is not the venue's."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from residency_samples import WINDOW_CLOSES, WINDOW_OPENS, utc

from desktop_app.residency import CheckInWindow, TimeSpan, WindowState
from desktop_app.residency.times import learner_span, venue_span
from desktop_app.views.residency.when import agenda_yours, clock_span, window_words, your_span

CHICAGO, TOKYO = "America/Chicago", ZoneInfo("Asia/Tokyo")


def span_in(zone: str | ZoneInfo, start: datetime, end: datetime) -> TimeSpan:
    zone_info = ZoneInfo(zone) if isinstance(zone, str) else zone
    return TimeSpan(start.astimezone(zone_info), end.astimezone(zone_info), "")


def test_your_time_on_the_venues_day_is_only_the_times(qapp: object) -> None:
    venue = venue_span(utc(2027, 3, 14, 14), utc(2027, 3, 14, 22), CHICAGO)
    yours = learner_span(venue, ZoneInfo("Europe/London"))
    assert yours is not None
    assert your_span(venue, yours) == "14:00–22:00 GMT"


def test_your_time_on_another_day_names_that_day_once(qapp: object) -> None:
    venue = venue_span(utc(2027, 3, 15, 2), utc(2027, 3, 15, 4), CHICAGO)  # Sunday evening
    yours = learner_span(venue, TOKYO)  # Monday 11:00–13:00 in Tokyo
    assert yours is not None
    text = your_span(venue, yours)
    assert text == "Monday, 15 March 2027, 11:00–13:00 JST"
    assert text.count("2027") == 1


def test_your_time_past_midnight_names_both_days(qapp: object) -> None:
    venue = venue_span(utc(2027, 3, 14, 7), utc(2027, 3, 14, 21, 30), CHICAGO)
    yours = learner_span(venue, TOKYO)
    assert yours is not None
    assert your_span(venue, yours) == (
        "Sunday, 14 March 2027, 16:00 JST – Monday, 15 March 2027, 06:30 JST"
    )


def test_the_agenda_names_the_weekday_only_when_it_differs(qapp: object) -> None:
    venue = venue_span(utc(2027, 3, 14, 18), utc(2027, 3, 14, 21, 30), CHICAGO)
    assert agenda_yours(venue, learner_span(venue, TOKYO)) == "Mon 03:00–06:30 JST"
    assert agenda_yours(venue, None) == ""
    assert clock_span(venue) == "13:00–16:30 CDT"


@pytest.mark.parametrize(
    ("state", "ending"),
    [(WindowState.OPEN, "open now."), (WindowState.CLOSED, "closed.")],
)
def test_the_check_in_window_on_one_day_names_it_once(
    qapp: object, state: WindowState, ending: str
) -> None:
    window = CheckInWindow(WINDOW_OPENS, WINDOW_CLOSES, state, "")
    assert window_words(window, CHICAGO) == (
        f"Check-in: Sunday, 14 March 2027, 00:30 CST – 09:00 CDT (venue time) — {ending}"
    )
