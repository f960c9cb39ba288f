"""Pulling the catalog and schedule feeds into a real SQLite cache from the reference server."""

from __future__ import annotations

import gc
import json
import threading
import weakref
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sync_samples import CATALOG, NEW_COURSE, SCHEDULE, fresh_snapshot, requests_to, snapshot

from desktop_app.account import Account
from desktop_app.api.client import ApiClient
from desktop_app.api.documents import CourseDoc, ResidencyDoc
from desktop_app.api.errors import ServerError
from desktop_app.api.payloads import FeedPage
from desktop_app.catalog.search import search
from desktop_app.models import Course, Lesson, Residency, SyncState
from desktop_app.sync.engine import SyncEngine
from reference_server.server import SAMPLE_CURRICULUM, ReferenceServer


def curriculum_lesson_count() -> int:
    courses = [json.loads(p.read_text()) for p in (SAMPLE_CURRICULUM / "courses").glob("*.json")]
    return sum(len(m["lessons"]) for course in courses for m in course["modules"])


def count(account: Account, model: type[Course | Lesson | Residency]) -> int:
    with account.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_the_first_sync_caches_every_course_lesson_and_residency(account: Account) -> None:
    progress: list[tuple[int, int, bool]] = []
    summary = account.sync(progress=lambda *args: progress.append(args))
    assert (summary.courses_added, summary.residencies_added) == (3, 1)
    assert not summary.cancelled and summary.items == 4
    assert count(account, Lesson) == curriculum_lesson_count()
    assert progress[-1] == (summary.pages, 4, False)
    with account.db.session() as session:
        states = session.scalars(select(SyncState)).all()
        assert {s.stream for s in states} == {"catalog", "schedule"}
        assert all(s.cursor and s.last_synced_at and not s.last_error for s in states)


def test_server_changes_reach_the_cache_on_the_next_sync(
    account: Account, reference_server: ReferenceServer, tmp_path: Path
) -> None:
    released: list[set[str]] = []
    engine = account.sync_engine(on_assets_released=released.append)
    engine.run()
    reference_server.admin.update_lesson("l-privacy-boundaries", title="Boundaries, revisited")
    reference_server.admin.add_course(NEW_COURSE, SAMPLE_CURRICULUM)
    reference_server.admin.unpublish_course("c-presence")
    summary = engine.run()

    assert (summary.courses_added, summary.courses_updated, summary.courses_removed) == (1, 1, 1)
    assert snapshot(account.db) == fresh_snapshot(reference_server, tmp_path)
    with account.db.session() as session:
        assert session.get(Course, "c-presence") is None
        assert session.get(Lesson, "l-privacy-boundaries").title == "Boundaries, revisited"  # type: ignore[union-attr]
        assert [h.ref_id for h in search(session, "revisited")] == ["l-privacy-boundaries"]
        assert [h.ref_id for h in search(session, "SBAR")] == ["l-handover-checklist"]
        assert search(session, "LinkedIn profile checklist") == []
    assert len(released) == 1 and released[0], "the unpublished course's media is released"
    assert summary.assets_released == len(released[0])


def test_a_withdrawn_enrolment_removes_the_residency(
    account: Account, reference_server: ReferenceServer
) -> None:
    account.sync()
    reference_server.admin.withdraw("r-2027-chicago", "ana")
    summary = account.sync()
    assert summary.residencies_removed == 1
    assert count(account, Residency) == 0


def test_a_cancelled_sync_keeps_whole_pages_and_the_next_run_finishes(
    account: Account, reference_server: ReferenceServer, tmp_path: Path
) -> None:
    engine = SyncEngine(account.db, account.api, page_size=1)
    cancel = threading.Event()
    summary = engine.run(progress=lambda pages, *_: pages == 2 and cancel.set(), cancel=cancel)
    assert summary.cancelled and summary.pages == 2
    assert count(account, Course) == 2
    assert requests_to(reference_server, SCHEDULE) == 0

    rest = engine.run()
    assert rest.courses_added == 1 and rest.residencies_added == 1
    assert snapshot(account.db) == fresh_snapshot(reference_server, tmp_path)


@pytest.mark.expect_log("desktop_app.sync.engine", "Sync of catalog failed")
def test_a_failure_after_some_pages_resumes_from_the_last_committed_page(
    account: Account, reference_server: ReferenceServer, tmp_path: Path
) -> None:
    engine = SyncEngine(account.db, account.api, page_size=1)

    def break_the_server_after_page_one(pages: int, *_: object) -> None:
        if pages == 1:
            reference_server.faults.add(CATALOG, status=503, count=100)

    with pytest.raises(ServerError):
        engine.run(progress=break_the_server_after_page_one)
    assert count(account, Course) == 1
    with account.db.session() as session:
        assert "server had a problem" in session.get(SyncState, "catalog").last_error  # type: ignore[union-attr]

    reference_server.faults.clear()
    resumed = engine.run()
    assert resumed.courses_added == 2, "the committed page is not fetched again"
    assert snapshot(account.db) == fresh_snapshot(reference_server, tmp_path)
    with account.db.session() as session:
        assert session.get(SyncState, "catalog").last_error == ""  # type: ignore[union-attr]


def test_a_sync_without_changes_asks_once_per_feed_and_changes_nothing(
    account: Account, reference_server: ReferenceServer
) -> None:
    account.sync()
    before = snapshot(account.db)
    with account.db.session() as session:
        first = {s.stream: (s.cursor, s.last_synced_at) for s in session.scalars(select(SyncState))}
    reference_server.clear_requests()

    summary = account.sync()

    assert str(summary).startswith("Up to date")
    assert [r.path for r in reference_server.requests] == [CATALOG, SCHEDULE]
    assert snapshot(account.db) == before
    with account.db.session() as session:
        for state in session.scalars(select(SyncState)):
            assert state.last_synced_at > first[state.stream][1]  # type: ignore[operator]


@pytest.mark.expect_log("desktop_app.sync.engine", "no longer knows the catalog cursor")
def test_a_cursor_the_server_forgot_leads_to_a_full_reread_that_drops_stale_rows(
    account: Account, reference_server: ReferenceServer, tmp_path: Path
) -> None:
    account.sync()
    with account.db.session() as session:
        session.add(Course(id="c-gone-meanwhile", title="Stale", summary=""))
        session.get(SyncState, "catalog").cursor = "a-cursor-from-before-a-server-reset"  # type: ignore[union-attr]
    reference_server.admin.unpublish_course("c-presence")
    engine = SyncEngine(account.db, account.api, page_size=1)

    cancel = threading.Event()
    interrupted = engine.run(progress=lambda *_: cancel.set(), cancel=cancel)
    assert interrupted.cancelled
    with account.db.session() as session:
        assert session.get(SyncState, "catalog").cursor.startswith("a-cursor-from")  # type: ignore[union-attr]

    summary = engine.run()
    assert summary.courses_removed == 2
    assert snapshot(account.db) == fresh_snapshot(reference_server, tmp_path)
    with account.db.session() as session:
        assert session.get(SyncState, "catalog").last_error == ""  # type: ignore[union-attr]


class WatchedFeeds:
    """The account's feed client, holding a weak reference to each page it hands out."""

    def __init__(self, api: ApiClient) -> None:
        self._api = api
        self.pages: weakref.WeakSet[FeedPage[Any]] = weakref.WeakSet()

    def catalog_page(self, cursor: str = "", limit: int = 200) -> FeedPage[CourseDoc]:
        return self._watch(self._api.catalog_page(cursor, limit))

    def schedule_page(self, cursor: str = "", limit: int = 200) -> FeedPage[ResidencyDoc]:
        return self._watch(self._api.schedule_page(cursor, limit))

    def _watch[T](self, page: FeedPage[T]) -> FeedPage[T]:
        self.pages.add(page)
        return page


def test_no_garbage_collection_walks_a_page_the_sync_still_holds(account: Account) -> None:
    """A pass over a parsed page's objects holds the interpreter lock for ~20 ms at 10 courses
    a page, stalling the window; the page is freed by reference counting before the collector
    may run again. A threshold of 1 makes any allocation with the collector on start a pass."""
    feeds, walked = WatchedFeeds(account.api), list[int]()

    def on_collection(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and len(feeds.pages):
            walked.append(info["generation"])

    previous = gc.get_threshold()
    gc.callbacks.append(on_collection)
    gc.set_threshold(1)
    try:
        summary = SyncEngine(account.db, feeds, page_size=1).run()
    finally:
        gc.set_threshold(*previous)
        gc.callbacks.remove(on_collection)
    assert summary.courses_added == 3 and gc.isenabled()
    assert walked == []
