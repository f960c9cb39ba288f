"""The local SQLite cache: engine, per-unit-of-work sessions, pragmas and migrations.

Every thread opens its own sessions through `Database.session()`. WAL mode lets the UI read
while a background sync writes. Before any migration runs, the database file is copied to
`backups/` next to it.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def create_sqlite_engine(path: Path) -> Engine:
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", future=True)
    event.listen(engine, "connect", _set_pragmas)
    return engine


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def backup_database(path: Path, revision: str | None) -> Path:
    """Copy the database (consistently, through SQLite's backup API) to `backups/`."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.parent / "backups" / f"{path.stem}-{revision or 'empty'}-{stamp}.sqlite3"
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    copy.close()
    source.close()
    return target


def migrate(engine: Engine, path: Path, revision: str = "head") -> None:
    """Bring the schema to `revision`, backing the file up first if it holds a schema."""
    current = current_revision(engine)
    wanted = head_revision() if revision == "head" else revision
    if current == wanted:
        return
    if current is not None and path.exists():
        log.info("Backed up database to %s before migrating", backup_database(path, current))
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    log.info("Database migrated from %s to %s", current, wanted)


class Database:
    """One SQLite file: its engine and a factory for short-lived sessions."""

    def __init__(self, path: Path, *, migrate_to: str = "head") -> None:
        self.path = path
        self.engine = create_sqlite_engine(path)
        migrate(self.engine, path, migrate_to)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back if it raises."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()
