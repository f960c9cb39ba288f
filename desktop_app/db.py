"""The local SQLite cache: engine, per-unit-of-work sessions, pragmas and migrations.

Every thread opens its own sessions through `Database.session()`. WAL mode lets the UI read
while a background sync writes. Before any migration runs, the database file is copied to
`backups/` next to it; `take_daily_backup` keeps a week of daily copies and a month of weekly
ones there, so a damaged cache can be rebuilt from more than what is still readable in it.
"""

from __future__ import annotations

import ast
import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from desktop_app.sqlite_read_only import connect_read_only

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")
DAILY = "daily"
STAMP = "%Y%m%dT%H%M%S%fZ"
KEEP_DAYS, KEEP_WEEKS = 7, 4
DAMAGE_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
LOCK_WAIT_SECONDS = 10.0
"""How long the cache waits for another program's lock on the file before it is busy."""


class DamagedCacheError(Exception):
    """SQLite finds the cache file damaged (or empty where a cache had been), so it cannot
    be used as it is: what is still readable has to be saved into a new one."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"{path} is damaged: {detail}")
        self.path = path
        self.detail = detail


class CacheBusyError(Exception):
    """Another program (a second Rounds, a backup or database tool) holds the cache file
    locked past the wait for it: the file is sound, and nothing may be changed in it."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path} is locked by another program")
        self.path = path


def check_intact(path: Path, *, expect_data: bool = False) -> None:
    """Raise DamagedCacheError unless `PRAGMA quick_check` passes on the file.

    A missing file is a new cache. An empty one is too, unless `expect_data` says the cache
    had been written before: then it was truncated. Only SQLite's corruption codes count: a
    file another program holds locked is not damaged, and raises CacheBusyError instead.
    """
    if not path.exists():
        return
    if path.stat().st_size == 0:
        if expect_data:
            raise DamagedCacheError(path, "the file is empty")
        return
    try:
        problems = quick_check(path)
    except sqlite3.DatabaseError as error:
        if error.sqlite_errorcode & 0xFF in DAMAGE_CODES:
            raise DamagedCacheError(path, str(error)) from error
        if error.sqlite_errorcode & 0xFF in BUSY_CODES:
            raise CacheBusyError(path) from error
        log.info("Could not check %s: %s", path, error)
        return
    if problems != ["ok"]:
        raise DamagedCacheError(path, problems[0])


def quick_check(path: Path) -> list[str]:
    """SQLite's own findings on the file (["ok"] when it is sound), read without writing."""
    with closing(connect_read_only(path, timeout=LOCK_WAIT_SECONDS)) as check:
        return [str(row[0]) for row in check.execute("PRAGMA quick_check")]


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={round(LOCK_WAIT_SECONDS * 1000)}")
    cursor.close()


def create_sqlite_engine(path: Path) -> Engine:
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", future=True)
    event.listen(engine, "connect", _set_pragmas)
    return engine


def alembic_config() -> Config:
    from alembic.config import Config  # alembic loads only when a migration runs

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest migration, read from the scripts' `revision`/`down_revision` lines.

    Alembic itself takes a third of a second to import, and a start that finds the cache at
    this revision needs nothing else from it.
    """
    revisions: dict[str, str | None] = {}
    for script in (MIGRATIONS / "versions").glob("*.py"):
        values = _assignments(script, ("revision", "down_revision"))
        revisions[str(values["revision"])] = values.get("down_revision")
    heads = set(revisions) - {down for down in revisions.values() if down}
    assert len(heads) == 1, f"the migrations must have one head, not {sorted(heads)}"
    return heads.pop()


def _assignments(script: Path, names: tuple[str, ...]) -> dict[str, Any]:
    tree = ast.parse(script.read_text(encoding="utf-8"))
    return {
        target.id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name) and target.id in names and node.value is not None
    }


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not engine.dialect.has_table(connection, "alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def stored_revision(path: Path) -> str | None:
    """The schema revision recorded in the file, read with plain sqlite3 (None if none)."""
    if not path.exists():
        return None
    with closing(connect_read_only(path)) as db:
        try:
            row = db.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError as error:  # no such table: a new cache
            if error.sqlite_errorcode & 0xFF in BUSY_CODES:  # not "none": that migrates anew
                raise CacheBusyError(path) from error
            return None
    return str(row[0]) if row else None


def backup_database(path: Path, revision: str | None) -> Path:
    """Copy the database (consistently, through SQLite's backup API) to `backups/`."""
    stamp = datetime.now(UTC).strftime(STAMP)
    target = path.parent / "backups" / f"{path.stem}-{revision or 'empty'}-{stamp}.sqlite3"
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    copy.close()
    source.close()
    return target


def daily_backups(path: Path) -> list[tuple[datetime, Path]]:
    """The daily copies of the database at `path`, newest first, with when each was taken."""
    found = []
    for backup in (path.parent / "backups").glob(f"{path.stem}-{DAILY}-*.sqlite3"):
        try:
            taken = datetime.strptime(backup.stem.rsplit("-", 1)[1], STAMP).replace(tzinfo=UTC)
        except ValueError:
            continue
        found.append((taken, backup))
    return sorted(found, reverse=True)


def take_daily_backup(path: Path, now: datetime) -> Path | None:
    """Copy the database to `backups/` if the newest daily copy is a day old, then prune.

    The copy is written under a temporary name and renamed, so a copy cut short never
    passes for the newest one.
    """
    backups = daily_backups(path)
    if backups and now - backups[0][0] < timedelta(days=1):
        return None
    target = path.parent / "backups" / f"{path.stem}-{DAILY}-{now.strftime(STAMP)}.sqlite3"
    partial = target.with_suffix(".partial")
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(partial)) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    partial.replace(target)
    _prune_daily_backups(path)
    return target


def _prune_daily_backups(path: Path) -> None:
    backups = daily_backups(path)
    kept = kept_backups(backups)
    for _taken, backup in backups:
        if backup not in kept:
            backup.unlink(missing_ok=True)


def kept_backups(backups: list[tuple[datetime, Path]]) -> set[Path]:
    """The newest copy of each of the last 7 days that have one, and of the last 4 weeks."""
    return _newest_per(backups, lambda taken: taken.date(), KEEP_DAYS) | _newest_per(
        backups, lambda taken: taken.isocalendar()[:2], KEEP_WEEKS
    )


def _newest_per(
    backups: list[tuple[datetime, Path]], period: Callable[[datetime], object], limit: int
) -> set[Path]:
    newest: dict[object, Path] = {}
    for taken, backup in sorted(backups, reverse=True):
        newest.setdefault(period(taken), backup)
    return set(list(newest.values())[:limit])


def migrate(engine: Engine, path: Path, revision: str = "head") -> None:
    """Bring the schema to `revision`, backing the file up first if it holds a schema."""
    current = stored_revision(path)
    wanted = head_revision() if revision == "head" else revision
    if current == wanted:
        return
    if current is not None and path.exists():
        log.info("Backed up database to %s before migrating", backup_database(path, current))
    from alembic import command  # only now: most starts find the schema up to date

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    log.info("Database migrated from %s to %s", current, wanted)


class Database:
    """One SQLite file: its engine and a factory for short-lived sessions."""

    def __init__(self, path: Path, *, migrate_to: str = "head", expect_data: bool = False) -> None:
        """Raises DamagedCacheError if SQLite finds the file damaged, CacheBusyError if
        another program holds it locked (see `check_intact`)."""
        check_intact(path, expect_data=expect_data)
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

    def release_idle_connections(self) -> None:
        """Close the connections waiting in the pool, and with them each one's page cache
        (up to 2 MB, SQLite's default); the next session opens a connection again, which
        costs well under a millisecond. Connections in use are left to their sessions."""
        self.engine.dispose(close=True)

    def close(self) -> None:
        self.engine.dispose()
