"""Database engine, sessions and the portable column types the models share."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import DateTime, Engine, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

SQLITE_FILE_NAME = "rounds-server.sqlite3"
WRITE_ATTEMPTS = 3
"""How often a unit of work is run when other writers keep committing the keys it inserts."""
UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATEs
DEADLOCK_DETECTED = "40P01"
SERIALIZATION_FAILURE = "40001"

if TYPE_CHECKING:
    from reference_server.schema import Upgrade

T = TypeVar("T")


class Base(DeclarativeBase):
    """Declarative base of every table the reference server stores."""


class UtcDateTime(TypeDecorator[datetime]):
    """Stores naive UTC on every backend and always returns an aware UTC datetime."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; attach a time zone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)


def default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / SQLITE_FILE_NAME).as_posix()}"


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def is_unique_violation(error: IntegrityError) -> bool:
    """Whether another row already holds a key this write inserted (not a missing reference or
    a null)."""
    original = error.orig
    if getattr(original, "sqlstate", None) == UNIQUE_VIOLATION:
        return True
    return str(original).startswith("UNIQUE constraint failed")


def is_transient(error: DBAPIError) -> bool:
    """Whether the database gave up this transaction for another's sake (a deadlock between
    two writers, or a serialization failure): run again, it succeeds."""
    return isinstance(error, OperationalError) and getattr(error.orig, "sqlstate", None) in (
        DEADLOCK_DETECTED,
        SERIALIZATION_FAILURE,
    )


class Database:
    """Engine plus sessions. On SQLite, writes are serialised in-process so SQLite never
    reports a busy database to a request. On PostgreSQL the database alone settles writes that
    race (any number of workers share it): `write_retrying` runs a unit of work again when
    another writer committed the same key first."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = _make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._sqlite = url.startswith("sqlite")
        self._write_lock: AbstractContextManager[Any] = (
            threading.Lock() if self._sqlite else nullcontext()
        )

    def migrate(self) -> Upgrade:
        """Bring the schema to the newest revision (a new database gets all of it)."""
        from reference_server.schema import migrate

        return migrate(self.engine)

    def require_current(self) -> None:
        """Raises SchemaMismatch unless the schema is at the newest revision."""
        from reference_server.schema import require_head

        require_head(self.engine)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back if it raises. On
        SQLite it takes the file's write lock first (BEGIN IMMEDIATE), so what it reads is not
        changed by another process before it writes (Python's sqlite3 would begin only at the
        first write, and two read-modify-writes could lose one)."""
        with self._write_lock, self._sessions() as session, session.begin():
            if self._sqlite:
                session.connection().exec_driver_sql("BEGIN IMMEDIATE")
            yield session

    def write_retrying(self, unit: Callable[[Session], T]) -> T:
        """`unit(session)` as one unit of work. If another writer committed a row with a key
        it inserts first, it runs again in a new transaction, which sees that row: an
        idempotent write then answers as for a repeat instead of failing. So it does when
        PostgreSQL broke a deadlock between it and another writer by cancelling it."""
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with self.write() as session:
                    return unit(session)
            except DBAPIError as error:
                retry = is_transient(error) or (
                    isinstance(error, IntegrityError) and is_unique_violation(error)
                )
                if attempt == WRITE_ATTEMPTS or not retry:
                    raise
        raise AssertionError("unreachable")

    def dispose(self) -> None:
        self.engine.dispose()


def _make_engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": 30}, pool_size=8
    )
    event.listen(engine, "connect", _on_sqlite_connect)
    return engine
