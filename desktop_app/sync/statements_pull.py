"""Pulling the learner's statements from other devices into the progress log.

The learner's statements stored since the high-water mark (the latest `stored` time seen,
kept in `sync_state` as stream "statements as <digest of the xAPI account>") are fetched oldest
first, following `more`; stream "statements" says when a pull last finished, or why it failed.
Each page is merged into the log (a union: statements already here are left alone) in the
same transaction that advances the mark, so a crash repeats a page and never skips one.

The cursor is a keyset of the stored time and the statement id. `since` is exclusive in xAPI
and no LRS promises how it orders statements stored in the same millisecond, nor that one
stored in the mark's millisecond was visible when the last pull read it; so the next pull asks
from just before that millisecond, and the ties it brings again are told apart by id. The ids
of each page are looked up before anything else is done with its statements: those already
held (the mark's millisecond again, and the device's own statements coming back after an
upload) are dropped unvalidated, so a pull that finds nothing new costs one indexed lookup.

Statements an older Rounds recorded name the learner by the server's address and the username
(`Actor.aliases`), and the server may have named them by another mailbox or account before
(the sign-in's former actors, `Actor.mailboxes`); each such name is asked for after the
learner's own, from a mark of its own, so a new device still gets that progress. A mark is
never shared between accounts: after the upgrade to stable ids, a mark the old account's
statements set would skip what another device had already recorded under the new one.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from desktop_app.api.errors import ApiError, BadPayloadError
from desktop_app.api.payloads import StatementPage
from desktop_app.models import SyncState
from desktop_app.progress import MergeResult, ProgressExchange
from desktop_app.progress.store import existing_ids
from desktop_app.progress.xapi import format_timestamp, parse_timestamp, utc_now

log = logging.getLogger(__name__)

STREAM = "statements"
ACCOUNT_STREAM = "statements as "  # + a digest of the xAPI account the mark is for
DEFAULT_PAGE_SIZE = 500
BOUNDARY = timedelta(milliseconds=1)  # stored times are kept to the millisecond


class StatementSource(Protocol):
    """Pages of statements (`desktop_app.api.xapi.StatementsEndpoint`)."""

    def first_page(
        self, agent: Mapping[str, Any], since: datetime | None, limit: int
    ) -> StatementPage: ...

    def next_page(self, more: str, agent: Mapping[str, Any]) -> StatementPage: ...


@dataclass(frozen=True)
class PullSummary:
    """What one pull did: pages and statements received, how many were new here."""

    pages: int = 0
    received: int = 0
    merged: int = 0
    invalid: int = 0
    high_water_mark: datetime | None = None
    duration_seconds: float = 0.0
    cancelled: bool = False

    def __str__(self) -> str:
        text = f"Received {self.received} statement(s) in {self.pages} page(s), {self.merged} new"
        return text + (f"; {self.invalid} unreadable, skipped" if self.invalid else "")


@dataclass
class _Tally:
    mark: datetime | None
    stream: str
    pages: int = 0
    received: int = 0
    merged: int = 0
    invalid: int = 0
    started: float = field(default_factory=time.perf_counter)

    def add(self, page: StatementPage, result: MergeResult, mark: datetime | None) -> None:
        self.pages += 1
        self.received += len(page.statements)
        self.merged += result.inserted
        self.invalid += result.invalid
        self.mark = mark

    def absorb(self, other: _Tally) -> None:
        """Count what another stream's pull received (the mark stays this stream's)."""
        self.pages += other.pages
        self.received += other.received
        self.merged += other.merged
        self.invalid += other.invalid

    def summary(self, cancelled: bool) -> PullSummary:
        duration = time.perf_counter() - self.started
        return PullSummary(
            self.pages, self.received, self.merged, self.invalid, self.mark, duration, cancelled
        )


class StatementsPull:
    """Brings other devices' statements of the log's learner into the log."""

    def __init__(
        self,
        exchange: ProgressExchange,
        source: StatementSource,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> None:
        self._exchange = exchange
        self._source = source
        self._page_size = page_size

    def run(self, cancel: threading.Event | None = None) -> PullSummary:
        """Pull to the end, the learner's own account and then each earlier one; raises
        ApiError (pages merged so far are kept, mark with them)."""
        own = self._exchange.actor.to_xapi()
        tally = _Tally(self.high_water_mark(), _stream_of(own))
        try:
            cancelled = self._pull(own, tally, cancel)
            cancelled = cancelled or self._pull_earlier_accounts(tally, cancel)
        except ApiError as error:
            self._record_error(error.message)
            raise
        if not cancelled:
            self._mark_finished()
        summary = tally.summary(cancelled)
        log.info("Statements pulled: %s", summary)
        return summary

    def high_water_mark(self, stream: str = "") -> datetime | None:
        """The latest `stored` time merged so far of the learner's own account (or of the
        account of `stream`), or None before the first pull."""
        stream = stream or _stream_of(self._exchange.actor.to_xapi())
        with self._exchange.db.session() as session:
            state = session.get(SyncState, stream)
            cursor = state.cursor if state is not None else ""
        return parse_timestamp(cursor) if cursor else None

    def _pull_earlier_accounts(self, tally: _Tally, cancel: threading.Event | None) -> bool:
        for agent in self._exchange.actor.earlier_agents():
            stream = _stream_of(agent)
            earlier = _Tally(self.high_water_mark(stream), stream)
            cancelled = self._pull(agent, earlier, cancel)
            tally.absorb(earlier)
            if cancelled:
                return True
        return False

    def _pull(self, agent: dict[str, Any], tally: _Tally, cancel: threading.Event | None) -> bool:
        since = tally.mark - BOUNDARY if tally.mark is not None else None
        page = self._source.first_page(agent, since, self._page_size)
        seen: set[str] = set()
        while True:
            self._commit(page, tally)
            if not page.more:
                return False
            if cancel is not None and cancel.is_set():
                return True
            if page.more in seen:
                raise BadPayloadError("a `more` link that leads back to a page already read")
            seen.add(page.more)
            page = self._source.next_page(page.more, agent)

    def _commit(self, page: StatementPage, tally: _Tally) -> None:
        statements = list(page.statements)
        mark = _latest_stored(statements, tally.mark)
        with self._exchange.db.session() as session:
            result = self._exchange.merge_in(session, not_held(session, statements))
            state = _state(session, tally.stream)
            if mark is not None:
                state.cursor = format_timestamp(mark)
        tally.add(page, result, mark)

    def _mark_finished(self) -> None:
        with self._exchange.db.session() as session:
            state = _state(session)
            state.last_synced_at = utc_now()
            state.last_error = ""

    def _record_error(self, message: str) -> None:
        log.warning("Pulling statements failed: %s", message)
        try:
            with self._exchange.db.session() as session:
                _state(session).last_error = message
        except SQLAlchemyError as error:
            log.error("Could not record the pull error: %s", error)


def _latest_stored(statements: list[Any], mark: datetime | None) -> datetime | None:
    latest = mark
    for statement in statements:
        stored = statement.get("stored") if isinstance(statement, dict) else None
        try:
            moment = parse_timestamp(stored)
        except ValueError:
            continue
        if latest is None or moment > latest:
            latest = moment
    return latest


def not_held(session: Session, statements: list[Any]) -> list[Any]:
    """The statements whose id the log does not hold (unreadable ones stay, to be counted)."""
    ids = {_id_of(statement) for statement in statements} - {""}
    held = existing_ids(session, ids)
    return [statement for statement in statements if _id_of(statement) not in held]


def _id_of(statement: Any) -> str:
    value = statement.get("id") if isinstance(statement, dict) else None
    return value.lower() if isinstance(value, str) else ""


def _stream_of(agent: dict[str, Any]) -> str:
    return ACCOUNT_STREAM + account_digest(agent)


def account_digest(agent: Mapping[str, Any]) -> str:
    """16 hex digits naming an xAPI account or mbox in `sync_state` stream names."""
    account = agent.get("account")
    mailbox = agent.get("mbox") or agent.get("mbox_sha1sum")
    key = f"{account['homePage']}\n{account['name']}" if account else str(mailbox).lower()
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _state(session: Session, stream: str = STREAM) -> SyncState:
    state = session.get(SyncState, stream)
    if state is None:
        state = SyncState(stream=stream, cursor="", last_error="")
        session.add(state)
    return state
