"""Pulling the catalog and schedule delta feeds into the cache, page by page.

Each page and the cursor after it are committed in one transaction, so an interruption (a
crash, a lost network, a cancel) repeats a page and never skips one. A failure leaves the
cache as the last committed page left it and records a plain-words reason in SyncState.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import InstrumentedAttribute, Session

from desktop_app.api.documents import CourseDoc, ResidencyDoc
from desktop_app.api.errors import ApiError, BadPayloadError, ProblemError
from desktop_app.api.gc_pause import collector_paused
from desktop_app.api.payloads import FeedPage, Tombstone
from desktop_app.db import Database
from desktop_app.models import Course, Residency, SyncState
from desktop_app.sync.catalog import CatalogChanges, apply_catalog_page
from desktop_app.sync.schedule import ScheduleChanges, apply_schedule_page
from desktop_app.sync.status import CATALOG, SCHEDULE
from desktop_app.sync.summary import SyncSummary, Tally

log = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 10
"""Courses per page. A page of 10 courses of 50 lessons is some 0.4 MB of JSON, which
`json.loads` decodes in a few milliseconds holding the interpreter lock: the window, which
needs the lock to answer, waits no longer than a frame. 50 such courses held it 30 ms or more."""

ProgressCallback = Callable[[int, int, bool], None]
"""Called after each committed page with (pages done, items so far, more to come)."""
AssetsReleased = Callable[[set[str]], None]


class FeedClient(Protocol):
    """The two feed endpoints (`desktop_app.api.ApiClient` has them)."""

    def catalog_page(self, cursor: str = "", limit: int = 200) -> FeedPage[CourseDoc]: ...

    def schedule_page(self, cursor: str = "", limit: int = 200) -> FeedPage[ResidencyDoc]: ...


@dataclass(frozen=True)
class _Feed:
    stream: str
    kind: str
    id_column: InstrumentedAttribute[str]
    fetch: Callable[[str, int], FeedPage[Any]]
    apply: Callable[[Session, Sequence[Any]], CatalogChanges | ScheduleChanges]


@dataclass
class _Run:
    """The state of one sync run, shared by both feeds."""

    progress: ProgressCallback | None
    cancel: threading.Event | None
    tally: Tally = field(default_factory=Tally)

    @property
    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()


class SyncEngine:
    """Brings the cache up to date with the server's catalog and schedule."""

    def __init__(
        self,
        database: Database,
        client: FeedClient,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        on_assets_released: AssetsReleased | None = None,
    ) -> None:
        self._db = database
        self._page_size = page_size
        self._on_assets_released = on_assets_released
        self._feeds = (
            _Feed(CATALOG, "course", Course.id, client.catalog_page, apply_catalog_page),
            _Feed(SCHEDULE, "residency", Residency.id, client.schedule_page, apply_schedule_page),
        )

    def run(
        self,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> SyncSummary:
        """Pull every feed to its end; raises ApiError (cache kept as committed so far)."""
        started = time.perf_counter()
        state = _Run(progress, cancel)
        for feed in self._feeds:
            self._pull(feed, state)
            if state.cancelled:
                break
        summary = state.tally.summary(time.perf_counter() - started, state.cancelled)
        log.info("Sync finished: %s", summary)
        return summary

    def _pull(self, feed: _Feed, state: _Run) -> None:
        """Pull one feed; a failure is recorded for the status page, then raised."""
        try:
            self._pull_recovering(feed, state)
        except ApiError as error:
            self._record_error(feed.stream, error.message)
            raise

    def _pull_recovering(self, feed: _Feed, state: _Run) -> None:
        """From the saved cursor, or from the start if the server no longer knows it."""
        cursor = self._cursor(feed.stream)
        try:
            self._pull_from(feed, state, cursor, None)
        except ProblemError as error:
            if error.kind != "unknown-cursor" or not cursor:
                raise
            log.warning("The server no longer knows the %s cursor; reading it anew", feed.stream)
            self._pull_from(feed, state, "", set())

    def _pull_from(self, feed: _Feed, state: _Run, cursor: str, rebuild: set[str] | None) -> None:
        """Pull pages from `cursor` to the end of the feed.

        With `rebuild` (a set collecting the ids seen) the whole feed is read again from the
        start: documents the server no longer lists are removed at the end, and the old cursor
        is kept until then, so an interrupted rebuild starts over rather than leave stale rows.
        """
        more = True
        while more and not state.cancelled:
            # The collector stays paused until the page's objects are freed: resumed while the
            # parsed page lived, its next young pass walked all of them (~20 ms) on this thread.
            with collector_paused():
                more, cursor = self._pull_page(feed, state, cursor, rebuild)

    def _pull_page(
        self, feed: _Feed, state: _Run, cursor: str, rebuild: set[str] | None
    ) -> tuple[bool, str]:
        """Fetch and commit one page; returns whether there is more, and where it goes on."""
        page = self._fetch(feed, cursor)
        self._commit(feed, page, state, rebuild)
        return page.has_more, page.next_cursor

    def _fetch(self, feed: _Feed, cursor: str) -> FeedPage[Any]:
        page = feed.fetch(cursor, self._page_size)
        if page.has_more and page.next_cursor in ("", cursor):
            raise BadPayloadError(f"the {feed.stream} feed says there is more but stays put")
        return page

    def _commit(
        self, feed: _Feed, page: FeedPage[Any], state: _Run, rebuild: set[str] | None
    ) -> None:
        try:
            with collector_paused(), self._db.session() as session:
                items = page.items if rebuild is None else _with_stale(session, feed, page, rebuild)
                changes = feed.apply(session, items)
                if rebuild is None or not page.has_more:
                    _save_position(session, feed.stream, page)
        except IntegrityError as error:
            raise BadPayloadError(f"a {feed.stream} page that contradicts itself") from error
        state.tally.add(changes, len(page.items))
        self._release(changes)
        if state.progress is not None:
            state.progress(state.tally.pages, state.tally.items, page.has_more)

    def _release(self, changes: CatalogChanges | ScheduleChanges) -> None:
        if not isinstance(changes, CatalogChanges) or not changes.released_assets:
            return
        if self._on_assets_released is not None:
            self._on_assets_released(set(changes.released_assets))

    def _cursor(self, stream: str) -> str:
        with self._db.session() as session:
            cursor = session.scalar(select(SyncState.cursor).where(SyncState.stream == stream))
        return cursor or ""

    def _record_error(self, stream: str, message: str) -> None:
        log.warning("Sync of %s failed: %s", stream, message)
        try:
            with self._db.session() as session:
                _state(session, stream).last_error = message
        except SQLAlchemyError as error:
            log.error("Could not record the sync error: %s", error)


def _with_stale(
    session: Session, feed: _Feed, page: FeedPage[Any], seen: set[str]
) -> Sequence[Any]:
    """The page's items, plus on the last page of a rebuild a tombstone for each unseen id."""
    seen.update(item.id for item in page.items if not isinstance(item, Tombstone))
    if page.has_more:
        return page.items
    stale = set(session.scalars(select(feed.id_column))) - seen
    return [*page.items, *(Tombstone(feed.kind, item_id) for item_id in sorted(stale))]


def _state(session: Session, stream: str) -> SyncState:
    state = session.get(SyncState, stream)
    if state is None:
        state = SyncState(stream=stream, cursor="", last_error="")
        session.add(state)
    return state


def _save_position(session: Session, stream: str, page: FeedPage[Any]) -> None:
    state = _state(session, stream)
    state.cursor = page.next_cursor or state.cursor
    if not page.has_more:
        state.last_synced_at = datetime.now(UTC)
        state.last_error = ""
