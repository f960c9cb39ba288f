"""The rows of the progress log: inserting statements and the queries the log answers with."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Insert,
    and_,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from desktop_app.models import ProgressEvent
from desktop_app.models.progress import UploadHold
from desktop_app.progress.state import COMPLETING_VERBS
from desktop_app.progress.validation import (
    DamagedStatementError,
    course_id_of,
    lesson_id_of,
    statement_id,
    verb_of,
)
from desktop_app.progress.xapi import Statement, canonical_json, parse_timestamp

CHUNK = 500  # ids per IN (...) clause, well under SQLite's limit on bound parameters
REASON_LIMIT = 300
MARKUP = re.compile(r"<\s*[a-zA-Z!/][^>]*>")
FROM_BETWEEN = (
    "A proxy or firewall between this computer and the server answered with a web page, "
    "so the server never judged this statement; send it again."
)


@dataclass(frozen=True)
class QuarantinedStatement:
    """A statement the server refused; kept, but no longer offered for upload."""

    id: str
    reason: str
    occurred_at: datetime
    statement_json: str

    def parsed(self) -> dict[str, Any] | None:
        """The stored text as a JSON object, or None where it is not one (a damaged row)."""
        try:
            value = json.loads(self.statement_json)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None


class PendingStatement(NamedTuple):
    """A statement waiting for upload: its place in the log, its id and its exact stored text,
    and how many earlier runs a proxy or firewall stopped it on its own.

    A named tuple rather than a frozen dataclass: the upload makes one per statement while the
    previous batch is on its way, and a tuple is made from its row four times as fast.
    """

    seq: int
    id: str
    text: str
    held: int = 0


def chunks(ids: Collection[str]) -> Iterator[list[str]]:
    items = list(ids)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def insert_statement(
    session: Session, statement: Statement, origin: str, uploaded_at: datetime | None
) -> str:
    """Add one (valid) statement with the next sequence number; returns its id."""
    session.execute(_insert(), _row(statement, origin, uploaded_at))
    return statement_id(statement)


def insert_statements(
    session: Session, statements: Sequence[Statement], origin: str, uploaded_at: datetime | None
) -> None:
    """Add (valid, new) statements in their order, in one executemany.

    Each row takes the next sequence number as it is written, under SQLite's write lock, so
    a statement another session appends meanwhile cannot take the same number.
    """
    if statements:
        rows = [_row(statement, origin, uploaded_at) for statement in statements]
        session.execute(_insert(), rows)


def _insert() -> Insert:
    """INSERT of a row whose `seq` is the next number, read when the row is written."""
    next_seq = select(func.coalesce(func.max(ProgressEvent.seq), 0) + 1).scalar_subquery()
    return insert(ProgressEvent).values(seq=next_seq)


def _row(statement: Statement, origin: str, uploaded_at: datetime | None) -> dict[str, Any]:
    return {
        "id": statement_id(statement),
        "lesson_id": lesson_id_of(statement),
        "course_id": course_id_of(statement),
        "verb": verb_of(statement),
        "occurred_at": parse_timestamp(statement["timestamp"]),
        "statement_json": canonical_json(statement),
        "origin": origin,
        "uploaded_at": uploaded_at,
    }


def unseen(session: Session, statements: Sequence[Statement]) -> list[Statement]:
    """The statements not in the log yet, each id once (the first wins), in their order."""
    seen = existing_ids(session, {statement_id(statement) for statement in statements})
    new: list[Statement] = []
    for statement in statements:
        event_id = statement_id(statement)
        if event_id not in seen:
            seen.add(event_id)
            new.append(statement)
    return new


def existing_ids(session: Session, ids: Collection[str]) -> set[str]:
    found: set[str] = set()
    for chunk in chunks(ids):
        query = select(ProgressEvent.id).where(ProgressEvent.id.in_(chunk))
        found.update(session.scalars(query))
    return found


def statements_about(
    session: Session, lesson_ids: Collection[str], verbs: Iterable[str] | None = None
) -> list[Statement]:
    """Statements about any of `lesson_ids`, optionally only those with one of `verbs`."""
    statements: list[Statement] = []
    for chunk in chunks(lesson_ids):
        query = select(ProgressEvent.statement_json).where(ProgressEvent.lesson_id.in_(chunk))
        if verbs is not None:
            query = query.where(ProgressEvent.verb.in_(list(verbs)))
        statements.extend(stored_statement(text) for text in session.scalars(query))
    return statements


def stored_statement(text: str) -> Statement:
    """A row's statement; DamagedStatementError if its text is not a JSON object."""
    try:
        value = json.loads(text)
    except ValueError as error:
        raise DamagedStatementError(f"a stored statement is not JSON: {error}") from error
    if not isinstance(value, dict):
        raise DamagedStatementError("a stored statement is not a JSON object")
    return cast(Statement, value)


def completed_lesson_ids(session: Session) -> set[str]:
    query = select(ProgressEvent.lesson_id).where(ProgressEvent.verb.in_(COMPLETING_VERBS))
    return set(session.scalars(query.distinct()))


def all_statements(session: Session) -> list[Statement]:
    query = select(ProgressEvent.statement_json).order_by(ProgressEvent.seq)
    return [stored_statement(text) for text in session.scalars(query)]


def continue_candidate(session: Session) -> str | None:
    """The lesson most recently active without a completing statement (ties: greatest id)."""
    done = select(ProgressEvent.lesson_id).where(ProgressEvent.verb.in_(COMPLETING_VERBS))
    query = (
        select(ProgressEvent.lesson_id)
        .where(ProgressEvent.lesson_id != "", ProgressEvent.lesson_id.not_in(done))
        .group_by(ProgressEvent.lesson_id)
        .order_by(func.max(ProgressEvent.occurred_at).desc(), ProgressEvent.lesson_id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def pending_filter() -> ColumnElement[bool]:
    """Not uploaded yet and not set aside: what the outbox still has to send."""
    return and_(ProgressEvent.uploaded_at.is_(None), ProgressEvent.quarantined_reason.is_(None))


def pending_count(session: Session) -> int:
    query = select(func.count()).select_from(ProgressEvent).where(pending_filter())
    return session.scalar(query) or 0


PENDING_AFTER = """
SELECT e.seq, e.id, e.statement_json, coalesce(h.attempts, 0)
FROM progress_event AS e LEFT JOIN upload_hold AS h ON h.statement_id = e.id
WHERE e.uploaded_at IS NULL AND e.quarantined_reason IS NULL AND e.seq > :after
  AND (:now IS NULL OR h.not_before IS NULL OR h.not_before <= :now)
ORDER BY e.seq LIMIT :limit
"""
"""The oldest pending rows after a sequence number, read from the partial index of pending
rows in sequence order (`ix_progress_event_pending_seq`), never by sorting the queue; given
`now`, without the statements held back until later (`UploadHold`), which still count as
pending everywhere else."""

MARK_UPLOADED = """
UPDATE progress_event SET uploaded_at = :at
WHERE id IN (SELECT value FROM json_each(:ids)) AND uploaded_at IS NULL
"""
MARK_SENT = """
UPDATE progress_event SET uploaded_at = :at
WHERE seq IN (SELECT value FROM json_each(:seqs)) AND uploaded_at IS NULL
"""
DROP_HOLDS = "DELETE FROM upload_hold WHERE statement_id IN (SELECT value FROM json_each(:ids))"


def pending_after(
    session: Session, seq: int, limit: int, now: datetime | None = None
) -> list[PendingStatement]:
    """Plain SQL on the session's connection: the upload reads a batch while the previous one
    is on its way, and SQLAlchemy's statement and row handling was most of that read's time."""
    params = {"after": seq, "now": stored_time(now), "limit": limit}
    rows = session.connection().exec_driver_sql(PENDING_AFTER, params).fetchall()
    return list(map(PendingStatement._make, rows))


def stored_time(at: datetime | None) -> str | None:
    """A time as `UTCDateTime` stores it in SQLite, so plain SQL compares it with stored ones."""
    return None if at is None else at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def mark_uploaded(session: Session, ids: Collection[str], at: datetime) -> int:
    """Mark these statements uploaded and drop their holds; returns how many changed.

    The ids go as one JSON array (`json_each`), not 500 bound parameters, in plain SQL.
    """
    listed = {"ids": json.dumps([i.lower() for i in ids])}
    connection = session.connection()
    marked = connection.exec_driver_sql(MARK_UPLOADED, {"at": stored_time(at), **listed})
    connection.exec_driver_sql(DROP_HOLDS, listed)
    return marked.rowcount


def mark_sent(session: Session, statements: Sequence[PendingStatement], at: datetime) -> int:
    """`mark_uploaded` for statements the outbox read: found by their sequence numbers (the
    log's integer key), and only those it had held back have a hold to drop."""
    seqs = json.dumps([item.seq for item in statements])
    connection = session.connection()
    marked = connection.exec_driver_sql(MARK_SENT, {"at": stored_time(at), "seqs": seqs})
    held = [item.id for item in statements if item.held]
    if held:
        connection.exec_driver_sql(DROP_HOLDS, {"ids": json.dumps(held)})
    return marked.rowcount


def hold(session: Session, event_id: str, not_before: datetime, attempts: int) -> None:
    """Keep a pending statement back until `not_before`, stopped `attempts` runs so far."""
    values = {"not_before": not_before, "attempts": attempts}
    query = sqlite_insert(UploadHold).values(statement_id=event_id.lower(), **values)
    session.execute(query.on_conflict_do_update(index_elements=["statement_id"], set_=values))


def _changed(result: object) -> int:
    return cast(CursorResult[Any], result).rowcount


def quarantine(session: Session, event_id: str, reason: str) -> bool:
    query = (
        update(ProgressEvent)
        .where(ProgressEvent.id == event_id.lower())
        .values(quarantined_reason=reason or "refused")
    )
    return _changed(session.execute(query)) > 0


def requeue_quarantined(session: Session) -> int:
    """Clear every quarantine mark, so those statements are pending again; returns how many."""
    query = (
        update(ProgressEvent)
        .where(ProgressEvent.quarantined_reason.is_not(None))
        .values(quarantined_reason=None)
    )
    return _changed(session.execute(query))


def quarantined(session: Session) -> list[QuarantinedStatement]:
    query = (
        select(ProgressEvent)
        .where(ProgressEvent.quarantined_reason.is_not(None))
        .order_by(ProgressEvent.seq)
    )
    return [
        QuarantinedStatement(
            e.id, readable_reason(e.quarantined_reason or ""), e.occurred_at, e.statement_json
        )
        for e in session.scalars(query)
    ]


def readable_reason(reason: str) -> str:
    """A stored reason as one short sentence for the learner and IT.

    Versions before a proxy's HTML reply was told apart from the server's refusal kept that
    page (markup, support ids) as the reason; it is never shown, whatever the reader.
    """
    if MARKUP.search(reason):
        return FROM_BETWEEN
    words = " ".join(reason.split()) or "refused"
    return words if len(words) <= REASON_LIMIT else words[: REASON_LIMIT - 1] + "…"
