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

It runs after every `every` syncs and before sign-out. Its state is one `sync_state` row per
learner account ("reconciliation as <digest>"): the cursor holds the syncs counted since the
last complete round and the scopes done in the current one, so a round cut short (by
`max_pages`, a cancel or an error) goes on with the next scope at the next sync.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.orm import Session

from desktop_app.api.errors import BadPayloadError
from desktop_app.api.payloads import StatementPage
from desktop_app.models import SyncState
from desktop_app.progress import ProgressExchange
from desktop_app.progress.xapi import StatementBuilder, canonical_json, utc_now
from desktop_app.sync.statements_pull import account_digest, not_held

log = logging.getLogger(__name__)

STREAM = "reconciliation as "  # + a digest of the learner's xAPI account
DEFAULT_EVERY = 20
DEFAULT_PAGE_SIZE = 500
DEFAULT_MAX_PAGES = 200  # one run's share; the rest waits for the next sync


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
    """The cursor of the reconciliation's row: syncs counted, scopes done this round."""

    syncs: int = 0
    done: tuple[str, ...] = ()

    @classmethod
    def read(cls, text: str) -> _Progress:
        try:
            value = json.loads(text) if text else {}
            syncs, done = int(value.get("syncs", 0)), value.get("done", [])
            return cls(max(syncs, 0), tuple(str(item) for item in done))
        except (ValueError, TypeError, AttributeError):
            return cls()  # an unreadable cursor starts a new round

    def text(self) -> str:
        return json.dumps({"syncs": self.syncs, "done": list(self.done)})


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
        progress = _Progress(progress.syncs + 1, progress.done)
        self._save(progress)
        if progress.syncs < self._every and not progress.done:
            return None
        return self.run(cancel)

    def run(self, cancel: threading.Event | None = None) -> ReconciliationSummary:
        """Go through the scopes not yet done this round, within `max_pages`; raises
        ApiError (what was merged stays, and the round goes on from that scope)."""
        started = time.perf_counter()
        done = list(self._progress().done)
        tally = _Tally()
        for key, scope in self._scopes.items():
            if key in done:
                continue
            if tally.pages >= self._max_pages or (cancel is not None and cancel.is_set()):
                return self._finish(tally, done, False, started)
            if not self._reconcile(scope, tally, cancel):
                return self._finish(tally, done, False, started)
            done.append(key)
            self._save(_Progress(self._progress().syncs, tuple(done)))
            tally.scopes += 1
        return self._finish(tally, done, True, started)

    def _reconcile(self, scope: Scope, tally: _Tally, cancel: threading.Event | None) -> bool:
        """All pages of `scope`; False when stopped before its last page."""
        agent = self._exchange.actor.to_xapi()
        page = self._source.query_page(agent, scope, self._page_size)
        seen: set[str] = set()
        while True:
            self._merge(page, tally)
            if not page.more:
                return True
            if tally.pages >= self._max_pages or (cancel is not None and cancel.is_set()):
                return False
            if page.more in seen:
                raise BadPayloadError("a `more` link that leads back to a page already read")
            seen.add(page.more)
            page = self._source.next_page(page.more, agent)

    def _merge(self, page: StatementPage, tally: _Tally) -> None:
        statements = list(page.statements)
        with self._exchange.db.session() as session:
            result = self._exchange.merge_in(session, not_held(session, statements))
        tally.pages += 1
        tally.received += len(statements)
        tally.merged += result.inserted

    def _finish(
        self, tally: _Tally, done: list[str], complete: bool, started: float
    ) -> ReconciliationSummary:
        with self._exchange.db.session() as session:
            state = self._state(session)
            if complete:
                state.cursor = _Progress().text()
                state.last_synced_at = utc_now()
            else:
                state.cursor = _Progress(_Progress.read(state.cursor).syncs, tuple(done)).text()
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


def registration_scopes(builder: StatementBuilder, course_ids: Iterable[str]) -> list[Scope]:
    """One scope per course: the learner's registration in it."""
    return [{"registration": builder.registration(course_id)} for course_id in course_ids]


@dataclass
class _Tally:
    scopes: int = 0
    pages: int = 0
    received: int = 0
    merged: int = 0
