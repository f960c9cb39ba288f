"""The agenda exported as .ics: venue TZID, a real VTIMEZONE, the right instants, stable UIDs."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from residency_samples import RESIDENCY_ID, SESSIONS, FakeClock, Progress, put_residency

from desktop_app.db import Database
from desktop_app.residency import ResidencyDetail, ResidencyQueries, export_ics


@pytest.fixture
def detail(db: Database) -> ResidencyDetail:
    put_residency(db)
    found = ResidencyQueries(
        db, Progress(), learner_zone=ZoneInfo("Europe/London"), clock=FakeClock()
    ).detail(RESIDENCY_ID)
    assert found is not None
    return found


def read(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def test_each_session_is_an_event_at_the_right_instant_in_venue_time(
    detail: ResidencyDetail, tmp_path: Path
) -> None:
    calendar = read(export_ics(detail, tmp_path / "agenda.ics"))
    events = calendar.walk("VEVENT")
    assert len(events) == len(SESSIONS)
    for event, (_sid, title, _room, _faculty, start, end) in zip(events, SESSIONS, strict=True):
        assert str(event["SUMMARY"]) == title
        assert event["DTSTART"].params["TZID"] == "America/Chicago"
        assert event["DTEND"].params["TZID"] == "America/Chicago"
        assert event.decoded("DTSTART").astimezone(UTC) == start
        assert event.decoded("DTEND").astimezone(UTC) == end


def test_local_wall_times_are_written_as_the_venue_reads_them(
    detail: ResidencyDetail, tmp_path: Path
) -> None:
    text = export_ics(detail, tmp_path / "agenda.ics").read_text()
    assert "DTSTART;TZID=America/Chicago:20270314T010000" in text  # 07:00Z, CST
    assert "DTEND;TZID=America/Chicago:20270314T033000" in text  # 08:30Z, CDT
    assert "DTSTART;TZID=America/Chicago:20270314T083000" in text  # 13:30Z, CDT


def test_the_vtimezone_knows_the_change_to_daylight_time(
    detail: ResidencyDetail, tmp_path: Path
) -> None:
    calendar = read(export_ics(detail, tmp_path / "agenda.ics"))
    (zone,) = calendar.timezones
    assert str(zone["TZID"]) == "America/Chicago"
    assert calendar.get_missing_tzids() == set()
    transitions = {
        (str(part["TZNAME"]), part.decoded("DTSTART").replace(tzinfo=None).isoformat())
        for part in zone.walk()
        if part.name in ("STANDARD", "DAYLIGHT")
    }
    assert ("CDT", "2027-03-14T03:00:00") in transitions
    # A calendar app reading only this file (not its own zone database) gets the right instants.
    tz = zone.to_tz()
    early = calendar.walk("VEVENT")[0].decoded("DTSTART").replace(tzinfo=None)
    assert early.replace(tzinfo=tz).astimezone(UTC) == SESSIONS[0][4]


def test_location_is_venue_and_room_and_uids_are_stable(
    detail: ResidencyDetail, tmp_path: Path
) -> None:
    first = read(export_ics(detail, tmp_path / "one.ics")).walk("VEVENT")
    again = read(export_ics(detail, tmp_path / "two.ics")).walk("VEVENT")
    assert str(first[2]["LOCATION"]) == "Lakeside Teaching Hospital, Sim Suite B"
    uids = [str(event["UID"]) for event in first]
    assert uids == [str(event["UID"]) for event in again]
    assert len(set(uids)) == len(uids)
    assert "Dr Omar Haddad" in str(first[2]["DESCRIPTION"])


def test_a_residency_without_sessions_exports_the_whole_day(db: Database, tmp_path: Path) -> None:
    put_residency(db, "r-bare", sessions=())
    detail = ResidencyQueries(db, Progress(), clock=FakeClock()).detail("r-bare")
    assert detail is not None
    (event,) = read(export_ics(detail, tmp_path / "day.ics")).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Spring clinical residency"
    assert event.decoded("DTSTART").astimezone(UTC) == detail.starts_at


def test_exporting_over_an_existing_file_replaces_it_whole(
    detail: ResidencyDetail, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "agenda.ics"
    target.write_text("old contents that are much longer " * 500)
    export_ics(detail, target)
    assert target.read_text().startswith("BEGIN:VCALENDAR")
    assert list(folder.iterdir()) == [target]  # no partial file left behind
