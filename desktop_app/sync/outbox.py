"""The outbox: uploading the progress log's pending statements, never losing one.

- Statements go in batches, each the exact stored JSON text of its statements (never
  re-serialised), so a repeat after a crash or timeout is byte for byte the same request and
  the server's idempotency (same id, same content → 200) makes it harmless.
- A statement is marked uploaded only after the server answered 200 with its id. The mark is
  written while the next batch is on its way; after a crash in between, that batch is sent
  again, which the server's idempotency makes harmless.
- 429 and 5xx are retried with exponential backoff and jitter, honouring Retry-After, up to
  a bound; then the run stops and reports, and everything not acknowledged stays pending.
- A 4xx without a JSON body is the page of a proxy or firewall that stopped the request: it
  says nothing about the statements, so it never refuses them. A firewall may stop one
  particular statement every time, so such a batch is split in halves at once; a statement
  stopped on its own is retried with its own backoff, then left pending while the rest of the
  queue goes on, in order. It is held back (`Hold`, kept in the cache) so that later runs skip
  it until its time, which grows with every run it is stopped again; then it has one try per
  run, and once it goes its hold goes too. When no part of a batch gets through, the
  middlebox stops them all: the run stops and reports.
- 413 (too large) halves the batch down to single statements; one that is still too large
  stays pending for a later run, since a proxy's or server's limit may change.
- A batch the server refuses in its own JSON words (400, 409, 422) is split in halves until
  the statements at fault stand alone; the rest is uploaded and each statement refused on its
  own is quarantined with the server's reason (kept in the log, visible, exportable and able
  to be queued again, never dropped). When every statement of a batch is refused for one and
  the same reason, the fault is the server's or the configuration's, not the statements':
  nothing is quarantined and the run stops.
- A network failure stops the run; everything not acknowledged stays pending.

The queue is read and marked on a thread of its own (`outbox_ledger.Ledger`), so the upload
waits on the network alone: each batch is read, and its body built, after the last one sent (a
keyset on the sequence number) while that one is on its way, and a statement left pending lies
behind the keyset until the next run.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from desktop_app.api.errors import ApiError, BadPayloadError, ProblemError, ServerError
from desktop_app.progress import PendingStatement
from desktop_app.progress.xapi import utc_now
from desktop_app.sync.outbox_ledger import Ledger, StatementQueue, request_body
from desktop_app.text import translate

if TYPE_CHECKING:
    from desktop_app.api.xapi import PostReply

log = logging.getLogger(__name__)

TOO_MANY_REQUESTS = translate("sync", "too many requests")
ASKED_TO_WAIT = translate(
    "sync", "it asked to wait {seconds} s; progress stays queued until the next sync"
)
STILL_BUSY = translate("sync", "still busy after {attempts} tries; progress stays queued")
ALL_REFUSED = translate("sync", "The server refused all {count} statements")
BLOCKED = translate(
    "sync",
    "The upload was stopped on its way to the server ({reason}, likely by a proxy or "
    "firewall); your progress stays queued and is sent at the next sync.",
)

DEFAULT_BATCH_SIZE = 500


class StatementPoster(Protocol):
    """Where batches go (`desktop_app.api.xapi.StatementsEndpoint`)."""

    def post(self, body: bytes) -> PostReply: ...


@dataclass(frozen=True)
class Backoff:
    """How long to wait before repeating a request the server was too busy for."""

    attempts: int = 6
    base_seconds: float = 0.5
    max_seconds: float = 30.0
    max_retry_after: float = 120.0
    jitter: float = 0.5

    def delay(self, attempt: int, retry_after: float | None, draw: float) -> float:
        """Seconds before try `attempt + 1`; `draw` is uniform in [0, 1)."""
        spread = self.jitter * draw
        if retry_after is not None:
            return retry_after + spread * self.base_seconds
        exponential = min(self.max_seconds, self.base_seconds * 2.0**attempt)
        return exponential * (1 - self.jitter + spread)


@dataclass(frozen=True)
class Hold:
    """How long a statement a middlebox stopped on its own waits before its next run's try:
    `first_seconds` after the first run, doubling with each further run, up to `max_seconds`."""

    first_seconds: float = 60.0
    max_seconds: float = 3600.0

    def until(self, now: datetime, attempts: int) -> datetime:
        """When to try again after `attempts` runs that were stopped (1 for the first)."""
        seconds = min(self.max_seconds, self.first_seconds * 2.0 ** max(0, attempts - 1))
        return now + timedelta(seconds=seconds)


@dataclass(frozen=True)
class UploadSummary:
    """What one upload run did; `error` says why it stopped early (None when it finished)."""

    sent: int = 0
    quarantined: int = 0
    remaining: int = 0
    requests: int = 0
    error: ApiError | None = None
    duration_seconds: float = 0.0
    too_large: int = 0
    blocked: int = 0

    @property
    def complete(self) -> bool:
        return self.error is None and self.remaining == 0

    def __str__(self) -> str:
        text = f"Uploaded {self.sent} statement(s) in {self.requests} request(s)"
        if self.quarantined:
            text += f"; {self.quarantined} refused by the server and set aside"
        if self.too_large:
            text += f"; {self.too_large} too large to send for now"
        if self.blocked:
            text += f"; {self.blocked} stopped on the way by a proxy or firewall, kept for later"
        if self.remaining:
            text += f"; {self.remaining} still waiting"
        return text + (f" — {self.error.message}" if self.error is not None else "")


@dataclass(frozen=True)
class _Refusal:
    id: str
    reply: PostReply


@dataclass
class _Run:
    batch_size: int
    ledger: Ledger
    sent: int = 0
    quarantined: int = 0
    requests: int = 0
    deferred: set[str] = field(default_factory=set)
    blocked: dict[str, PendingStatement] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)

    def summary(self, remaining: int, error: ApiError | None) -> UploadSummary:
        duration = time.perf_counter() - self.started
        return UploadSummary(
            self.sent, self.quarantined, remaining, self.requests, error, duration,
            too_large=len(self.deferred), blocked=len(self.blocked),
        )  # fmt: skip

    @property
    def held_back(self) -> set[str]:
        """Statements left pending for a later run: too large, or stopped on the way."""
        return self.deferred | self.blocked.keys()


class Outbox:
    """Uploads the pending statements of one progress log to one statements endpoint."""

    def __init__(
        self,
        queue: StatementQueue,
        endpoint: StatementPoster,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        backoff: Backoff | None = None,
        sleep: Callable[[float], None] = time.sleep,
        draw: Callable[[], float] = random.random,
        clock: Callable[[], datetime] = utc_now,
        hold: Hold | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError("a batch holds at least one statement")
        self._queue = queue
        self._endpoint = endpoint
        self._batch_size = batch_size
        self._backoff = backoff or Backoff()
        self._sleep, self._draw, self._clock = sleep, draw, clock
        self._hold = hold or Hold()

    def upload(self, cancel: threading.Event | None = None) -> UploadSummary:
        """Send everything pending (until `cancel` is set); never raises an ApiError."""
        run = _Run(self._batch_size, Ledger(self._queue, self._clock()))
        error: ApiError | None = None
        try:
            self._drain(run, cancel)
        except ApiError as failure:
            log.warning("Progress upload stopped: %s", failure.message)
            error = failure
        finally:
            self._hold_blocked(run)
            run.ledger.close()
        summary = run.summary(self._queue.pending_count(), error)
        log.info("Progress upload: %s", summary)
        return summary

    def _hold_blocked(self, run: _Run) -> None:
        """Hold back what a middlebox stopped on its own, so later runs skip it for a while."""
        for item in run.blocked.values():
            not_before = self._hold.until(self._clock(), item.held + 1)
            log.info("Statement %s: next try after %s", item.id, f"{not_before:%H:%M:%S} UTC")
            run.ledger.hold(item, not_before)

    def _drain(self, run: _Run, cancel: threading.Event | None) -> None:
        """Batch after batch, oldest first; what this run left pending lies behind the keyset."""
        batch = run.ledger.batch_after(0, run.batch_size).result()
        while batch.items and (cancel is None or not cancel.is_set()):
            upcoming = run.ledger.batch_after(batch.items[-1].seq, run.batch_size)
            refusals: list[_Refusal] = []
            self._deliver(batch.items, run, refusals, batch.body)
            self._settle(batch.items, refusals, run)
            run.ledger.check()
            batch = upcoming.result().first(run.batch_size)

    def _deliver(
        self,
        batch: list[PendingStatement],
        run: _Run,
        refusals: list[_Refusal],
        body: bytes | None = None,
    ) -> None:
        reply = self._post(batch, run, body or request_body(batch))
        if reply.stored:
            self._acknowledge(batch, reply, run)
        elif len(batch) == 1:
            self._alone(batch[0], reply, run, refusals)
        elif _from_between(reply) and not reply.too_large:
            self._split_blocked(batch, reply, run, refusals)
        else:
            if reply.too_large:
                run.batch_size = max(1, min(run.batch_size, len(batch) // 2))
            self._split(batch, run, refusals)

    def _split(self, batch: list[PendingStatement], run: _Run, refusals: list[_Refusal]) -> None:
        middle = len(batch) // 2
        self._deliver(batch[:middle], run, refusals)
        self._deliver(batch[middle:], run, refusals)

    def _split_blocked(
        self, batch: list[PendingStatement], reply: PostReply, run: _Run, refusals: list[_Refusal]
    ) -> None:
        """Halves find the statement a firewall stops; if none of them passes, it stops all."""
        sent = run.sent
        self._split(batch, run, refusals)
        if run.sent == sent and all(item.id in run.held_back for item in batch):
            for item in batch:  # stopped with all the others, not on its own: no hold
                run.blocked.pop(item.id, None)
            raise _blocked_error(reply)

    def _alone(
        self, item: PendingStatement, reply: PostReply, run: _Run, refusals: list[_Refusal]
    ) -> None:
        if reply.too_large:
            log.info("Statement %s is too large to send for now (%s)", item.id, reply.reason)
            run.deferred.add(item.id)
        elif _from_between(reply):
            log.info("Statement %s stopped on the way (%s); kept", item.id, reply.reason)
            run.blocked[item.id] = item
        else:
            refusals.append(_Refusal(item.id, reply))

    def _post(self, batch: list[PendingStatement], run: _Run, body: bytes) -> PostReply:
        attempt = 0
        while True:
            run.requests += 1
            reply = self._endpoint.post(body)
            if self._settled(reply, batch, attempt + 1):
                return reply
            attempt += 1
            self._check_patience(reply, attempt)
            wait = self._backoff.delay(attempt - 1, reply.retry_after, self._draw())
            log.info("Not accepted for now (HTTP %s); trying again in %.1f s", reply.status, wait)
            self._sleep(wait)

    def _settled(self, reply: PostReply, batch: list[PendingStatement], attempts: int) -> bool:
        """An answer to act on now: stored or refused, or a middlebox's page that splitting
        (a batch) or leaving for later (one statement, after its own backoff) gets past. A
        statement stopped in earlier runs already had its backoff: one try, then held longer."""
        if not reply.busy:
            return True
        alone_out_of = 1 if batch[0].held else self._backoff.attempts
        return _from_between(reply) and (len(batch) > 1 or attempts >= alone_out_of)

    def _check_patience(self, reply: PostReply, attempts: int) -> None:
        if reply.retry_after is not None and reply.retry_after > self._backoff.max_retry_after:
            wait = ASKED_TO_WAIT.format(seconds=f"{reply.retry_after:.0f}")
            raise _busy_error(reply, wait)
        if attempts >= self._backoff.attempts:
            raise _busy_error(reply, STILL_BUSY.format(attempts=attempts))

    def _acknowledge(self, batch: list[PendingStatement], reply: PostReply, run: _Run) -> None:
        stored = set(reply.ids)
        acknowledged = [item for item in batch if item.id in stored]
        run.ledger.mark_sent(acknowledged, self._clock())
        run.sent += len(acknowledged)
        if len(acknowledged) < len(batch):
            raise BadPayloadError(
                f"the server acknowledged {len(acknowledged)} of {len(batch)} statements sent"
            )

    def _settle(self, batch: list[PendingStatement], refusals: list[_Refusal], run: _Run) -> None:
        if not refusals:
            return
        if _refused_wholesale(batch, refusals):
            reply = refusals[0].reply
            raise ProblemError(reply.status, "", ALL_REFUSED.format(count=len(batch)), reply.reason)
        for refusal in refusals:
            reason = quarantine_reason(refusal.reply)
            log.warning("Statement %s set aside: %s", refusal.id, reason)
            run.quarantined += int(self._queue.quarantine(refusal.id, reason))


def quarantine_reason(reply: PostReply) -> str:
    """Why a statement was set aside, in plain words with the server's own reason."""
    if reply.status == 409:
        return (
            "The server already holds a different statement with the same id, so this one "
            f"cannot be stored ({reply.reason.rstrip('.')})."
        )
    return f"The server refused this statement: {reply.reason}"


def _refused_wholesale(batch: list[PendingStatement], refusals: list[_Refusal]) -> bool:
    """Every statement of a batch refused (400, 422) for one reason: a fault not in them."""
    if len(batch) < 2 or len(refusals) < len(batch):
        return False
    replies = {(r.reply.status, r.reply.reason) for r in refusals}
    return len(replies) == 1 and refusals[0].reply.status in (400, 422)


def _from_between(reply: PostReply) -> bool:
    """A 4xx that is not the server's word: a proxy's or firewall's page, retried like 5xx."""
    return reply.status < 500 and reply.status != 429 and not reply.in_xapi_terms


def _blocked_error(reply: PostReply) -> ApiError:
    return ApiError(BLOCKED.format(reason=reply.reason))


def _busy_error(reply: PostReply, detail: str) -> ServerError:
    title = TOO_MANY_REQUESTS if reply.status == 429 else reply.reason
    return ServerError(reply.status, title, detail)
