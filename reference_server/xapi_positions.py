"""Statement rows written with their feed positions, as a batch's last step.

The statements counter's row is locked from the position UPDATE until commit, so positions
commit in order across workers and a reader's cursor never passes a statement that commits
later (a plain sequence would let a slow transaction commit a smaller position behind the
cursor). Every row is built beforehand, so the lock covers only the position UPDATE, the
rows' INSERT and the commit.

On PostgreSQL those three go to the server in one pipeline, with no reply awaited between
them: one statement reserves the positions and inserts the rows from arrays, and COMMIT
follows it. The worker's interpreter lock is then never needed while the counter is locked,
so a batch is not kept waiting behind the other threads' encoding. SQLite (one writer) takes
the position UPDATE and an executemany.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import exc, func, insert, select
from sqlalchemy.orm import Session

from reference_server.changes import next_seq
from reference_server.models import Counter, Statement

STATEMENTS = Statement.metadata.tables[Statement.__tablename__]
ARRAY_COLUMNS = (
    ("id", "text"),
    ("actor_key", "text"),
    ("verb_id", "text"),
    ("activity_id", "text"),
    ("registration", "text"),
    ("content_hash", "text"),
    ("voided", "boolean"),
    ("body", "text"),
)
# A counter row missing here leaves the positions null: the INSERT then fails on the key
# instead of committing the batch's other writes without its statements.
POSITIONED_INSERT = (
    "WITH pos AS (UPDATE counters SET value = value + %(count)s WHERE name = %(counter)s"
    " RETURNING value) "
    "INSERT INTO statements (seq, user_id, stored, "
    + ", ".join(name for name, _ in ARRAY_COLUMNS)
    + ") SELECT pos.value - %(count)s + r.ord, %(user_id)s, %(stored)s::timestamp, "
    + ", ".join(f"r.{name}" for name, _ in ARRAY_COLUMNS)
    + " FROM unnest("
    + ", ".join(f"%({name})s::{kind}[]" for name, kind in ARRAY_COLUMNS)
    + ") WITH ORDINALITY AS r("
    + ", ".join(name for name, _ in ARRAY_COLUMNS)
    + ", ord) LEFT JOIN pos ON true"
)


def insert_in_feed_order(session: Session, rows: list[dict[str, Any]], counter: str) -> None:
    """Inserts the rows (one learner's, stored at one time) with consecutive positions of
    `counter`; on PostgreSQL the transaction is committed with them."""
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql" and _counter_made(session, counter):
        _insert_and_commit(session, rows, counter)
        return

    def highest_used() -> int:
        return int(session.scalar(select(func.max(Statement.seq))) or 0)

    first = next_seq(session, len(rows), counter, highest_used)
    positioned = [{**row, "seq": first + offset} for offset, row in enumerate(rows)]
    session.connection().execute(insert(STATEMENTS), positioned)


def _counter_made(session: Session, counter: str) -> bool:
    """Whether the counter's row exists (read without locking it); the first batch makes it."""
    return session.scalar(select(Counter.name).where(Counter.name == counter)) is not None


def _insert_and_commit(session: Session, rows: list[dict[str, Any]], counter: str) -> None:
    (user_id,) = {row["user_id"] for row in rows}
    (stored,) = {row["stored"] for row in rows}
    parameters: dict[str, Any] = {
        "count": len(rows),
        "counter": counter,
        "user_id": user_id,
        "stored": _naive_utc(stored),
    }
    parameters.update({name: [row[name] for row in rows] for name, _ in ARRAY_COLUMNS})
    import psycopg  # only on PostgreSQL: a SQLite-only install (the bundled demo) has no driver

    driver = session.connection().connection.driver_connection
    assert isinstance(driver, psycopg.Connection)
    try:
        with driver.pipeline(), driver.cursor() as cursor:
            cursor.execute(POSITIONED_INSERT, parameters)
            driver.commit()
    except psycopg.Error as error:
        raise exc.DBAPIError.instance(
            POSITIONED_INSERT, parameters, error, psycopg.Error
        ) from error


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)
