"""The progress log seen from the outbox: what waits for upload, and what the server refused.

The outbox (`desktop_app.sync.outbox`) takes batches from here and marks what the server
acknowledged. A statement the server refused is quarantined: it stays in the log and in the
state derived from it, but is no longer offered for upload until it is queued again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from desktop_app.db import Database
from desktop_app.progress import store
from desktop_app.progress.pending import Pending, read_pending
from desktop_app.progress.store import PendingStatement, QuarantinedStatement


class OutboxQueue:
    """The statements of one local cache still to upload, and those set aside."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def pending_count(self) -> int:
        """Statements not uploaded yet and not quarantined."""
        with self.db.session() as session:
            return store.pending_count(session)

    def pending(self) -> Pending:
        """Everything this cache still has to deliver, check-ins included, for the learner."""
        with self.db.session() as session:
            return read_pending(session)

    def pending_batch(self, limit: int) -> list[tuple[str, str]]:
        """Up to `limit` (id, statement JSON) waiting for upload, oldest first."""
        return [(item.id, item.text) for item in self.pending_after(0, limit)]

    def pending_after(
        self, seq: int, limit: int, now: datetime | None = None
    ) -> list[PendingStatement]:
        """Up to `limit` statements waiting for upload that come after `seq`, oldest first;
        given `now`, without those held back until later.

        The outbox reads its next batch after the last one it sent (a keyset), so it need not
        wait for that batch to be marked before reading on.
        """
        with self.db.session() as session:
            return store.pending_after(session, seq, limit, now)

    def mark_uploaded(self, ids: Iterable[str], at: datetime) -> int:
        """Record that the server acknowledged these statements; returns how many changed."""
        with self.db.session() as session:
            return store.mark_uploaded(session, set(ids), at)

    def mark_sent(self, statements: Sequence[PendingStatement], at: datetime) -> int:
        """`mark_uploaded` for statements read with `pending_after`, marked by their place."""
        with self.db.session() as session:
            return store.mark_sent(session, statements, at)

    def hold(self, statement_id: str, not_before: datetime, attempts: int) -> None:
        """Offer a statement a proxy or firewall stopped again only from `not_before` on."""
        with self.db.session() as session:
            store.hold(session, statement_id, not_before, attempts)

    def quarantine(self, statement_id: str, reason: str) -> bool:
        """Stop offering a statement the server refused; it stays in the log and the state."""
        with self.db.session() as session:
            return store.quarantine(session, statement_id, reason)

    def requeue_quarantined(self) -> int:
        """Offer every set-aside statement for upload again (the learner asked, or IT did)."""
        with self.db.session() as session:
            return store.requeue_quarantined(session)

    def quarantined(self) -> list[QuarantinedStatement]:
        with self.db.session() as session:
            return store.quarantined(session)
