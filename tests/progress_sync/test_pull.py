"""Pulling statements from other devices: every page merged with its mark, two devices agree."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from server_fixture import server_statement_ids
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from desktop_app.api.errors import OfflineError
from desktop_app.api.payloads import StatementPage
from desktop_app.models import SyncState
from desktop_app.progress import MergeResult, ProgressExchange
from desktop_app.progress.xapi import parse_timestamp
from desktop_app.sync import statements_pull
from desktop_app.sync.statements_pull import STREAM, StatementsPull
from reference_server import ReferenceServer

from .conftest import OpenDevice
from .devices import (
    LESSONS,
    PDF,
    QUIZ,
    VIDEO,
    Device,
    open_device,
    start_server,
    stored_texts,
)


def sync(device: Device) -> None:
    assert device.outbox().upload().complete
    device.pull().run()


def all_ids(device: Device) -> set[str]:
    return set(stored_texts(device.log))


def latest_stored(device: Device) -> datetime:
    page = device.endpoint.first_page(device.log.actor.to_xapi(), None, 500)
    return max(parse_timestamp(s["stored"]) for s in page.statements)


def test_a_pull_follows_more_and_commits_the_mark_with_each_page(
    open_devices: OpenDevice, server: ReferenceServer
) -> None:
    laptop, desktop = open_devices("laptop"), open_devices("desktop")
    ids = laptop.record(12)
    laptop.outbox().upload()
    server.clear_requests()

    summary = desktop.pull(page_size=5).run()

    assert (summary.pages, summary.received, summary.merged) == (3, 12, 12)
    assert all_ids(desktop) == set(ids)
    assert desktop.queue.pending_count() == 0  # they came from the server: never sent back
    gets = [r for r in server.requests if r.method == "GET"]
    assert len(gets) == 3 and all(r.query.startswith("more=") for r in gets[1:])
    assert desktop.pull().high_water_mark() == latest_stored(laptop) == summary.high_water_mark


def test_the_next_pull_starts_from_the_mark(
    open_devices: OpenDevice, server: ReferenceServer
) -> None:
    laptop, desktop = open_devices("laptop"), open_devices("desktop")
    laptop.record(4)
    laptop.outbox().upload()
    desktop.pull().run()
    later = laptop.record(3, PDF)
    laptop.outbox().upload()
    server.clear_requests()

    summary = desktop.pull().run()

    assert summary.merged == 3 and set(later) <= all_ids(desktop)
    [get] = [r for r in server.requests if r.method == "GET"]
    assert "since=" in get.query


class FailingSource:
    """Serves the real pages, but the network breaks before page `breaks_at`."""

    def __init__(self, device: Device, breaks_at: int) -> None:
        self.device, self.breaks_at, self.pages = device, breaks_at, 0

    def first_page(
        self, agent: Mapping[str, Any], since: datetime | None, limit: int
    ) -> StatementPage:
        return self._count(self.device.endpoint.first_page(agent, since, limit))

    def next_page(self, more: str, agent: Mapping[str, Any]) -> StatementPage:
        if self.pages + 1 >= self.breaks_at:
            raise OfflineError("The network went away.")
        return self._count(self.device.endpoint.next_page(more, agent))

    def _count(self, page: StatementPage) -> StatementPage:
        self.pages += 1
        return page


@pytest.mark.expect_log("desktop_app.sync.statements_pull", "Pulling statements failed")
def test_a_broken_pull_keeps_the_pages_merged_so_far_and_resumes(
    open_devices: OpenDevice, server: ReferenceServer
) -> None:
    laptop, desktop = open_devices("laptop"), open_devices("desktop")
    ids = laptop.record(12)
    laptop.outbox().upload()

    with pytest.raises(OfflineError):
        StatementsPull(desktop.exchange, FailingSource(desktop, breaks_at=3), page_size=5).run()

    assert len(all_ids(desktop)) == 10
    with desktop.db.session() as session:
        state = session.get(SyncState, STREAM)
        assert state is not None and state.last_error == "The network went away."
    assert desktop.pull().high_water_mark() is not None
    assert desktop.pull(page_size=5).run().merged == 2
    assert all_ids(desktop) == set(ids)


def test_a_page_whose_mark_cannot_be_written_is_not_kept_either(
    open_devices: OpenDevice, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop, desktop = open_devices("laptop"), open_devices("desktop")
    laptop.record(3)
    laptop.outbox().upload()

    def broken_state(session: object, stream: str = "") -> SyncState:
        raise OperationalError("UPDATE sync_state", {}, Exception("disk I/O error"))

    monkeypatch.setattr(statements_pull, "_state", broken_state)
    with pytest.raises(OperationalError):
        desktop.pull().run()

    assert all_ids(desktop) == set()  # the page went with its mark: it will be fetched again


def test_two_devices_offline_then_synced_hold_the_union_and_agree(
    open_devices: OpenDevice, server: ReferenceServer
) -> None:
    laptop, desktop = open_devices("laptop"), open_devices("desktop")
    mine = laptop.record(6, VIDEO)
    with laptop.db.session() as session:
        mine.append(laptop.log.completed(session, VIDEO))
        mine.append(laptop.log.quiz_result(session, QUIZ, 0.6, False, {"q1": ["a"]}))
    theirs = desktop.record(4, PDF)
    with desktop.db.session() as session:
        theirs.append(desktop.log.quiz_result(session, QUIZ, 0.9, True, {"q1": ["b"]}))

    sync(laptop)
    sync(desktop)
    sync(laptop)

    union = set(mine) | set(theirs)
    assert all_ids(laptop) == all_ids(desktop) == union
    assert sorted(server_statement_ids(server)) == sorted(union)
    for lesson in LESSONS:
        assert laptop.log.lesson_state(lesson.lesson_id) == desktop.log.lesson_state(
            lesson.lesson_id
        )
    quiz = laptop.log.lesson_state(QUIZ.lesson_id)
    assert quiz.best_score == 0.9 and quiz.passed
    assert laptop.log.lesson_state(VIDEO.lesson_id).completed
    course = [lesson.lesson_id for lesson in LESSONS]
    assert laptop.log.course_state("c-foundations", course) == desktop.log.course_state(
        "c-foundations", course
    )
    assert laptop.queue.pending_count() == desktop.queue.pending_count() == 0


class FrozenClock:
    """The server's time, standing still until a test moves it on."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, milliseconds: int) -> None:
        self.now += timedelta(milliseconds=milliseconds)


class MergeRecorder(ProgressExchange):
    """The device's exchange, keeping how many statements each merge was handed."""

    handed: list[int]

    def merge_in(self, session: Session, statements: list[Any]) -> MergeResult:
        self.handed.append(len(statements))
        return super().merge_in(session, statements)


def test_a_pull_asks_again_only_for_the_marks_millisecond_and_finds_what_came_in_it(
    tmp_path: Path,
) -> None:
    clock = FrozenClock()
    server = start_server(tmp_path / "server", clock=clock)
    laptop = open_device(server.url, tmp_path / "laptop.sqlite3")
    desktop = open_device(server.url, tmp_path / "desktop.sqlite3")
    try:
        for batch in range(3):
            clock.advance(10 if batch else 0)
            laptop.record(4)
            assert laptop.outbox().upload().sent == 4
        assert desktop.pull().run().merged == 12
        late = laptop.record(2)  # stored in the same millisecond as the mark, after the pull
        laptop.outbox().upload()

        again = desktop.pull().run()

        assert (again.received, again.merged) == (4 + 2, 2)
        assert set(late) <= all_ids(desktop)
    finally:
        laptop.close()
        desktop.close()
        server.stop()


def test_statements_already_held_are_dropped_before_the_merge(laptop: Device) -> None:
    laptop.record(12)
    assert laptop.outbox().upload().sent == 12
    exchange = MergeRecorder(laptop.db, laptop.log.actor)
    exchange.handed = []

    summary = StatementsPull(exchange, laptop.endpoint).run()

    assert (summary.received, summary.merged, summary.invalid) == (12, 0, 0)
    assert exchange.handed == [0]
