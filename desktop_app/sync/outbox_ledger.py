"""The outbox's side of the queue: reads, marks and holds on one thread of their own.

The upload waits on the network alone: while one batch is on its way, this thread reads the
next one (a keyset on the sequence number), builds its request body, and marks what the
server acknowledged, in the order asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from desktop_app.progress import PendingStatement


class StatementQueue(Protocol):
    """What the outbox uses of `desktop_app.progress.OutboxQueue`."""

    def pending_after(
        self, seq: int, limit: int, now: datetime | None = None
    ) -> list[PendingStatement]: ...

    def mark_sent(self, statements: Sequence[PendingStatement], at: datetime) -> int: ...

    def mark_uploaded(self, ids: Iterable[str], at: datetime) -> int: ...

    def hold(self, statement_id: str, not_before: datetime, attempts: int) -> None: ...

    def quarantine(self, statement_id: str, reason: str) -> bool: ...

    def pending_count(self) -> int: ...


def request_body(items: Sequence[PendingStatement]) -> bytes:
    """The statements' exact stored texts as one JSON array, never re-serialised."""
    return ("[" + ",".join([item.text for item in items]) + "]").encode("utf-8")


@dataclass(frozen=True)
class Batch:
    """Statements read together, with the body that sends them (built off the upload's path)."""

    items: list[PendingStatement]
    body: bytes

    @classmethod
    def of(cls, items: list[PendingStatement]) -> Batch:
        return cls(items, request_body(items))

    def first(self, size: int) -> Batch:
        """At most `size` of these statements (fewer once a 413 halved the batch size)."""
        return self if len(self.items) <= size else Batch.of(self.items[:size])


class Ledger:
    """The queue's reads and marks, in the order asked, on one thread of their own."""

    def __init__(self, queue: StatementQueue, now: datetime) -> None:
        self._queue, self.now = queue, now
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="outbox-ledger")
        self._marks: list[Future[Any]] = []

    def batch_after(self, seq: int, limit: int) -> Future[Batch]:
        """The next batch, without statements held back beyond the run's start."""
        return self._worker.submit(self._read, seq, limit)

    def _read(self, seq: int, limit: int) -> Batch:
        return Batch.of(self._queue.pending_after(seq, limit, self.now))

    def mark_sent(self, items: list[PendingStatement], at: datetime) -> None:
        self._marks.append(self._worker.submit(self._queue.mark_sent, items, at))

    def hold(self, item: PendingStatement, not_before: datetime) -> None:
        hold = self._worker.submit(self._queue.hold, item.id, not_before, item.held + 1)
        self._marks.append(hold)

    def check(self) -> None:
        """Raise the failure of a mark already tried (a full disk, say), if one failed."""
        done = [mark for mark in self._marks if mark.done()]
        self._marks = [mark for mark in self._marks if not mark.done()]
        for mark in done:
            mark.result()

    def close(self) -> None:
        """Wait for every mark; raise the first failure."""
        self._worker.shutdown(wait=True)
        self.check()
