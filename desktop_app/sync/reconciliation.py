"""Asking the LRS again for everything the learner did in each course, without `since`.

The pull (`statements_pull`) trusts the LRS's `since` to mean "stored after". Not every LRS
does: ralph compares it with each statement's `timestamp`, so a statement another device
recorded yesterday and uploaded today never comes back from a pull that asks from today. A
reconciliation asks, for each scope it is given, for the learner's statements in that scope
from the first, and merges those the log does not hold. Statements already held are dropped
by id before anything else is done with them, as in the pull.

A scope is a set of xAPI query parameters. The app gives one per course: the learner's
`registration` in it (`registration_scopes`), which every statement about a course carries.
Asking by `activity` with `related_activities` would also find statements recorded before
registrations, but ralph's file backend compares the activity it is asked for with no
statement's id correctly and answers nothing, while every LRS tried matches registrations.

It runs after every `every` syncs and before sign-out, where the whole wait is bounded
(`SIGN_OUT_SECONDS`, `sign_out_note`): what it has not reached by then is asked for at the
next sync, from where it stopped, and statements still queued for upload stay queued. Its
state is one `sync_state` row per learner account ("reconciliation as <digest>"): the cursor
holds the syncs counted since the last complete round and the scopes done in the current one,
so a round cut short (by `max_pages`, a cancel or an error) goes on at the next sync from the
`more` link of the last page it merged (kept with that page's statements), or from the
scope's first page if the LRS no longer takes that link.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from desktop_app.api.errors import ApiError, BadPayloadError
from desktop_app.api.payloads import StatementPage
from desktop_app.models import Course, ProgressEvent, SyncState
from desktop_app.progress import ProgressExchange
from desktop_app.progress.xapi import StatementBuilder, canonical_json, utc_now
from desktop_app.sync.statements_pull import account_digest, not_held
from desktop_app.text import translate

log = logging.getLogger(__name__)

STREAM = "reconciliation as "  # + a digest of the learner's xAPI account
DEFAULT_EVERY = 20
DEFAULT_PAGE_SIZE = 500
DEFAULT_MAX_PAGES = 200  # one run's share; the rest waits for the next sync
SIGN_OUT_SECONDS = 10.0  # the longest sign-out waits for it, however slow the network
UNCHECKED_AT_SIGN_OUT = translate(
    "sync",
    "You were signed out before Rounds finished checking your progress on the server for "
    "work from your other devices; the rest is checked when you next sign in, and nothing "
    "is lost.",
)


Scope = Mapping[str, str]
"""xAPI query parameters beside the agent, e.g. {"registration": "…"}."""


class ScopedSource(Protocol):
    """Pages of a learner's statements in one scope (`api.xapi.StatementsEndpoint`)."""

    def query_page(self, agent: Mapping[str, Any], filters: Scope, limit: int) -> StatementPage: ...

    def next_page(self, more: str, agent: Mapping[str, Any]) -> StatementPage: ...


@dataclass(frozen=True)
class ReconciliationSummary:
    """What one run did: scopes finished, statements received and how many were new."""

    scopes: int = 0
    pages: int = 0
    received: int = 0
    merged: int = 0
    complete: bool = False
    duration_seconds: float = 0.0

    def __str__(self) -> str:
        state = "complete" if self.complete else "to be continued"
        return (
            f"Reconciled {self.scopes} scope(s), {self.received} statement(s) in "
            f"{self.pages} page(s), {self.merged} new; {state}"
        )


@dataclass(frozen=True)
class _Progress:
    """The cursor of the reconciliation's row: syncs counted, scopes done this round, and the
    `more` link to go on with in the scope that was cut short."""

    syncs: int = 0
    done: tuple[str, ...] = ()
    scope: str = ""
    more: str = ""

    @classmethod
    def read(cls, text: str) -> _Progress:
        try:
            value = json.loads(text) if text else {}
            syncs, done = int(value.get("syncs", 0)), value.get("done", [])
            scope, more = str(value.get("scope", "")), str(value.get("more", ""))
            return cls(max(syncs, 0), tuple(str(item) for item in done), scope, more)
        except (ValueError, TypeError, AttributeError):
            return cls()  # an unreadable cursor starts a new round

    def text(self) -> str:
        value = {"syncs": self.syncs, "done": list(self.done)}
        return json.dumps({**value, "scope": self.scope, "more": self.more} if self.more else value)


class Reconciliation:
    """Merges the learner's statements in each of `scopes` that the log lacks."""

    def __init__(
        self,
        exchange: ProgressExchange,
        source: ScopedSource,
        scopes: Sequence[Scope],
        *,
        every: int = DEFAULT_EVERY,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_pages: int = DEFAULT_MAX_PAGES,
    ) -> None:
        self._exchange = exchange
        self._source = source
        self._scopes = {canonical_json(dict(scope)): scope for scope in scopes}
        self._every = max(every, 1)
        self._page_size = page_size
        self._max_pages = max_pages
        self._stream = STREAM + account_digest(exchange.actor.to_xapi())

    def after_sync(self, cancel: threading.Event | None = None) -> ReconciliationSummary | None:
        """Count one sync; run (or go on with) a round when one is due or unfinished."""
        progress = self._progress()
        progress = replace(progress, syncs=progress.syncs + 1)
        self._save(progress)
        if progress.syncs < self._every and not (progress.done or progress.more):
            return None
        return self.run(cancel)

    def before_sign_out(self) -> ReconciliationSummary:
        """`run` now; a round an error cuts short (the LRS, the time sign-out allows) is due
        at the next sync whatever the count, so the rest is asked for then."""
        try:
            return self.run()
        except ApiError:
            self._save(replace(self._progress(), syncs=self._every))
            raise

    def run(self, cancel: threading.Event | None = None) -> ReconciliationSummary:
        """Go through the scopes not yet done this round, within `max_pages`; raises
        ApiError (what was merged stays, and the round goes on from that page)."""
        started = time.perf_counter()
        progress = self._progress()
        tally = _Tally()
        for key, scope in self._scopes.items():
            if key in progress.done:
                continue
            if self._stop(tally, cancel):
                return self._finish(tally, False, started)
            resume = progress.more if progress.scope == key else ""
            if not self._reconcile(key, scope, resume, tally, cancel):
                return self._finish(tally, False, started)
            progress = self._progress()
            progress = _Progress(progress.syncs, (*progress.done, key))
            self._save(progress)
            tally.scopes += 1
        return self._finish(tally, True, started)

    def _stop(self, tally: _Tally, cancel: threading.Event | None) -> bool:
        return tally.pages >= self._max_pages or (cancel is not None and cancel.is_set())

    def _reconcile(
        self, key: str, scope: Scope, resume: str, tally: _Tally, cancel: threading.Event | None
    ) -> bool:
        """The pages of `scope` (from `resume`, a `more` link, if given); False when stopped
        before its last page."""
        agent = self._exchange.actor.to_xapi()
        page = self._first_page(agent, scope, resume)
        seen: set[str] = set()
        while True:
            self._merge(page, tally, key)
            if not page.more:
                return True
            if self._stop(tally, cancel):
                return False
            if page.more in seen:
                raise BadPayloadError("a `more` link that leads back to a page already read")
            seen.add(page.more)
            page = self._source.next_page(page.more, agent)

    def _first_page(self, agent: Mapping[str, Any], scope: Scope, resume: str) -> StatementPage:
        if resume:
            try:
                return self._source.next_page(resume, agent)
            except ApiError as error:  # an LRS's `more` links may expire: ask from the first
                log.info("Reconciliation asks its scope again from the first: %s", error)
        return self._source.query_page(agent, scope, self._page_size)

    def _merge(self, page: StatementPage, tally: _Tally, key: str) -> None:
        """The page's new statements, and where to go on from, in one transaction."""
        statements = list(page.statements)
        with self._exchange.db.session() as session:
            result = self._exchange.merge_in(session, not_held(session, statements))
            state = self._state(session)
            progress = _Progress.read(state.cursor)
            state.cursor = replace(progress, scope=key, more=page.more or "").text()
        tally.pages += 1
        tally.received += len(statements)
        tally.merged += result.inserted

    def _finish(self, tally: _Tally, complete: bool, started: float) -> ReconciliationSummary:
        if complete:
            with self._exchange.db.session() as session:
                state = self._state(session)
                state.cursor = _Progress().text()
                state.last_synced_at = utc_now()
        duration = time.perf_counter() - started
        summary = ReconciliationSummary(
            tally.scopes, tally.pages, tally.received, tally.merged, complete, duration
        )
        log.info("Statements reconciled: %s", summary)
        return summary

    def _progress(self) -> _Progress:
        with self._exchange.db.session() as session:
            state = session.get(SyncState, self._stream)
            return _Progress.read(state.cursor if state is not None else "")

    def _save(self, progress: _Progress) -> None:
        with self._exchange.db.session() as session:
            self._state(session).cursor = progress.text()

    def _state(self, session: Session) -> SyncState:
        state = session.get(SyncState, self._stream)
        if state is None:
            state = SyncState(stream=self._stream, cursor="", last_error="")
            session.add(state)
        return state


def sign_out_note(summary: ReconciliationSummary | None) -> str:
    """What sign-out tells the learner of its reconciliation: nothing once it finished."""
    return "" if summary is not None and summary.complete else UNCHECKED_AT_SIGN_OUT


def course_ids(session: Session) -> list[str]:
    """The courses of the catalog and those the log has statements about, in id order."""
    held = select(ProgressEvent.course_id).where(ProgressEvent.course_id != "")
    return sorted(session.scalars(union(select(Course.id), held)))


def registration_scopes(builder: StatementBuilder, course_ids: Iterable[str]) -> list[Scope]:
    """One scope per course: the learner's registration in it."""
    return [{"registration": builder.registration(course_id)} for course_id in course_ids]


@dataclass
class _Tally:
    scopes: int = 0
    pages: int = 0
    received: int = 0
    merged: int = 0
