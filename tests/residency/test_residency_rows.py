"""The residency page's rows: venue time and the learner's time across the clocks change,
list order, prerequisites and the check-in window — read from a real SQLite cache."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from residency_samples import (
    RESIDENCY_ID,
    STARTS_AT,
    FakeClock,
    Progress,
    put_course,
    put_residency,
    utc,
)

from desktop_app.db import Database
from desktop_app.residency import (
    PrerequisiteState,
    ResidencyQueries,
    WindowState,
    progress_completion,
)
from desktop_app.residency.queries import course_lesson_ids

LONDON, CHICAGO, TOKYO = (
    ZoneInfo("Europe/London"),
    ZoneInfo("America/Chicago"),
    ZoneInfo("Asia/Tokyo"),
)


def queries(
    db: Database,
    zone: ZoneInfo | None = LONDON,
    *,
    completion: Progress | None = None,
    clock: FakeClock | None = None,
) -> ResidencyQueries:
    return ResidencyQueries(
        db, completion or Progress(), learner_zone=zone, clock=clock or FakeClock()
    )


def test_sessions_show_venue_time_with_the_offset_in_force_at_each_instant(db: Database) -> None:
    put_residency(db)
    detail = queries(db).detail(RESIDENCY_ID)
    assert detail is not None
    venue = [row.venue.text for row in detail.sessions]
    assert venue == [
        "01:00–01:45 CST",  # before 02:00: still standard time, UTC-6
        "01:30 CST – 03:30 CDT",  # one real hour across the change
        "08:30–10:00 CDT",  # after: daylight time, UTC-5
        "13:00–16:30 CDT",
    ]
    assert [row.venue.start.utcoffset() for row in detail.sessions] == [
        timedelta(hours=-6), timedelta(hours=-6), timedelta(hours=-5), timedelta(hours=-5)
    ]  # fmt: skip


def test_a_learner_in_london_sees_their_own_time_beside_the_venue_time(db: Database) -> None:
    put_residency(db)
    detail = queries(db, LONDON).detail(RESIDENCY_ID)
    assert detail is not None
    assert [row.yours.text if row.yours else None for row in detail.sessions] == [
        "07:00–07:45 GMT",
        "07:30–08:30 GMT",
        "13:30–15:00 GMT",
        "18:00–21:30 GMT",
    ]
    # Chicago moved one hour closer to London at 02:00 local: 6 hours apart before, 5 after.
    early, _, sim, _ = detail.sessions
    assert early.yours is not None and sim.yours is not None
    assert early.yours.start.hour - early.venue.start.hour == 6
    assert sim.yours.start.hour - sim.venue.start.hour == 5
    assert detail.shows_your_time
    assert detail.venue_day == "Sunday 14 March 2027, 01:00 CST – 16:30 CDT"
    assert detail.your_day == "Sunday 14 March 2027, 07:00–21:30 GMT"


def test_a_learner_at_the_venue_sees_no_second_time(db: Database) -> None:
    put_residency(db)
    detail = queries(db, CHICAGO).detail(RESIDENCY_ID)
    assert detail is not None
    assert all(row.yours is None for row in detail.sessions)
    assert not detail.shows_your_time and detail.your_day == ""


def test_a_learner_whose_day_differs_sees_the_weekday(db: Database) -> None:
    put_residency(db)
    detail = queries(db, TOKYO).detail(RESIDENCY_ID)
    assert detail is not None
    assert detail.sessions[-1].yours is not None
    assert detail.sessions[-1].yours.text == "Mon 03:00–06:30 JST"


def test_sessions_carry_title_room_and_faculty(db: Database) -> None:
    put_residency(db)
    detail = queries(db).detail(RESIDENCY_ID)
    assert detail is not None
    sim = detail.sessions[2]
    assert (sim.title, sim.room, sim.faculty) == (
        "Simulation lab", "Sim Suite B", ("Dr Omar Haddad", "RN Jo Reyes")
    )  # fmt: skip
    assert (detail.venue_name, detail.venue_address, detail.timezone) == (
        "Lakeside Teaching Hospital", "200 E Lake St, Chicago, IL 60601", "America/Chicago"
    )  # fmt: skip


def test_upcoming_residencies_come_first_soonest_first_then_past_latest_first(
    db: Database,
) -> None:
    day = timedelta(days=1)
    for name, offset in (("r-last-year", -300), ("r-next-month", 30), ("r-last-week", -7),
                         ("r-tomorrow", 1)):  # fmt: skip
        start = STARTS_AT + offset * day
        put_residency(db, name, starts_at=start, ends_at=start + timedelta(hours=9), title=name)
    rows = queries(db, clock=FakeClock(STARTS_AT)).summaries()
    assert [row.id for row in rows] == ["r-tomorrow", "r-next-month", "r-last-week", "r-last-year"]
    assert [row.past for row in rows] == [False, False, True, True]


def test_a_residency_under_way_still_counts_as_upcoming(db: Database) -> None:
    put_residency(db)
    rows = queries(db, clock=FakeClock(utc(2027, 3, 14, 15, 0))).summaries()
    assert not rows[0].past
    assert rows[0].when == "Sunday 14 March 2027, 01:00 CST – 16:30 CDT"


def test_prerequisites_show_done_percent_not_started_and_not_available(db: Database) -> None:
    put_residency(db, prerequisites=("c-foundations", "c-privacy", "c-presence", "c-ethics"))
    put_course(db, "c-foundations", "Foundations of clinical social media")
    put_course(db, "c-privacy", "Patient privacy online")
    put_course(db, "c-ethics", "Professional ethics")
    progress = Progress({"c-foundations": 100.0, "c-privacy": 40.0})
    detail = queries(db, completion=progress).detail(RESIDENCY_ID)
    assert detail is not None
    shown = [(p.course_id, p.title, p.label, p.can_continue) for p in detail.prerequisites]
    assert shown == [
        ("c-foundations", "Foundations of clinical social media", "done", False),
        ("c-privacy", "Patient privacy online", "40%", True),
        ("c-presence", "c-presence", "not available offline yet", False),
        ("c-ethics", "Professional ethics", "not started", True),
    ]
    assert detail.prerequisites[2].state is PrerequisiteState.NOT_AVAILABLE


def test_nearly_done_is_not_done(db: Database) -> None:
    put_residency(db, prerequisites=("c-privacy",))
    put_course(db, "c-privacy", "Patient privacy online")
    detail = queries(db, completion=Progress({"c-privacy": 99.7})).detail(RESIDENCY_ID)
    assert detail is not None
    assert detail.prerequisites[0].label == "99%"


def test_completion_comes_from_the_progress_logs_course_state(db: Database) -> None:
    @dataclass(frozen=True)
    class State:
        percent_complete: int

    asked: list[tuple[str, set[str]]] = []

    def course_state(course_id: str, lesson_ids: Collection[str]) -> State:
        asked.append((course_id, set(lesson_ids)))
        return State(60)

    put_residency(db, prerequisites=("c-privacy",))
    put_course(db, "c-privacy", "Patient privacy online", lessons=2)
    completion = progress_completion(course_state, partial(course_lesson_ids, db))
    assert completion("c-privacy") == 60.0
    assert asked == [("c-privacy", {"c-privacy.l0", "c-privacy.l1"})]


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (utc(2027, 3, 14, 6, 0), WindowState.NOT_OPEN_YET),
        (utc(2027, 3, 14, 13, 0), WindowState.OPEN),
        (utc(2027, 3, 14, 14, 1), WindowState.CLOSED),
    ],
)
def test_the_check_in_window_is_shown_in_venue_time(
    db: Database, now: datetime, state: WindowState
) -> None:
    put_residency(db)
    detail = queries(db, clock=FakeClock(now)).detail(RESIDENCY_ID)
    assert detail is not None and detail.window is not None
    assert detail.window.state is state
    assert (
        detail.window.text == "Check-in: Sun 14 Mar, 00:30 CST – Sun 14 Mar, 09:00 CDT (venue time)"
    )


def test_an_unknown_residency_has_no_page(db: Database) -> None:
    assert queries(db).detail("r-nowhere") is None


def test_readiness_counts_prerequisites_done_per_residency_upcoming_first(db: Database) -> None:
    put_residency(db)  # needs c-foundations, c-privacy, c-presence
    put_residency(db, "r-autumn", title="Autumn residency", prerequisites=("c-privacy",),
                  starts_at=utc(2027, 10, 2, 13), ends_at=utc(2027, 10, 2, 21))  # fmt: skip
    put_course(db, "c-foundations", "Foundations")
    put_course(db, "c-privacy", "Privacy")
    done = Progress({"c-foundations": 100.0, "c-privacy": 60.0})

    rows = queries(db, completion=done).readiness()

    assert [(row.residency_id, row.done, row.total) for row in rows] == [
        (RESIDENCY_ID, 1, 3),
        ("r-autumn", 0, 1),
    ]
    assert not any(row.ready for row in rows)
