"""Opening an account's cache, and rebuilding it when SQLite finds it damaged.

The catalog and schedule in the cache are copies of the server's and come back with the next
sync; the learner's own progress (the statements in the log with what the outbox has sent,
and the queued check-ins) may exist nowhere else. So the damaged file is read row by row,
skipping what SQLite cannot read, the newest sound daily backup adds the rows it lacks, and a
new cache is built with them. The damaged file is moved aside, never deleted.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table

from desktop_app.db import (
    BUSY_CODES,
    CacheBusyError,
    DamagedCacheError,
    Database,
    check_intact,
    daily_backups,
    take_daily_backup,
)
from desktop_app.models import CheckIn, ProgressEvent, UTCDateTime
from desktop_app.sqlite_read_only import connect_read_only
from desktop_app.text import translate

log = logging.getLogger(__name__)
REBUILT = translate(
    "errors",
    "The local cache was damaged; {saved} progress items were saved and it was rebuilt (the "
    "damaged file is kept at {path}).",
)
PROGRESS: Table = ProgressEvent.__table__  # type: ignore[assignment]
CHECKINS: Table = CheckIn.__table__  # type: ignore[assignment]
TABLES = (PROGRESS, CHECKINS)
CHUNK = 64
MIN_ROW_BYTES = 40
"""No row of these tables is smaller (the id alone is 36 characters): bounds the rowids to
try when even the table's last rowid cannot be read."""
BUSY_WAIT_SECONDS = 10  # as long as the quick check waits for another program's lock

Row = tuple[Any, ...]
Rows = dict[str, list[Row]]


@dataclass(frozen=True)
class CacheRepair:
    """What rebuilding a damaged cache saved, and where the damaged file is kept."""

    saved: int
    kept_at: Path

    def __str__(self) -> str:
        return (
            f"the local cache was damaged; {self.saved} progress items were saved and it was "
            f"rebuilt (the damaged file is kept at {self.kept_at})"
        )

    @property
    def sentence(self) -> str:
        """The same news as a sentence of its own, for the window's status line."""
        return REBUILT.format(saved=self.saved, path=str(self.kept_at))


def open_cache(
    path: Path, now: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> tuple[Database, CacheRepair | None]:
    """The account's cache, rebuilt first if it is damaged; a daily backup is taken of it.

    Raises CacheBusyError, leaving the file as it is, if another program holds it locked."""
    repair = None
    try:
        database = Database(path, expect_data=_used_before(path))
    except DamagedCacheError as damage:
        _refuse_if_held(path)
        log.warning("Rebuilding the local cache: %s", damage)
        repair = rebuild(path, now())
        database = Database(path)
    _back_up(path, now())
    return database, repair


def _refuse_if_held(path: Path) -> None:
    """Raise CacheBusyError if another program holds the file locked: damaged or not, it is not
    moved from under it (an empty file with a lock on it is one being written)."""
    try:
        with closing(connect_read_only(path, BUSY_WAIT_SECONDS)) as probe:
            probe.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as error:
        if error.sqlite_errorcode & 0xFF in BUSY_CODES:
            raise CacheBusyError(path) from error


def _back_up(path: Path, moment: datetime) -> None:
    """A backup that cannot be written must not keep the account from opening."""
    try:
        take_daily_backup(path, moment)
    except (OSError, sqlite3.Error) as error:
        log.warning("Could not take the daily backup of %s: %s", path, error)


def _used_before(path: Path) -> bool:
    """Whether the account folder holds more than the cache file (its backups, at least):
    then an empty cache file is one that was cut short, not a new one."""
    own = {path.name, f"{path.name}-wal", f"{path.name}-shm"}
    return path.parent.is_dir() and any(item.name not in own for item in path.parent.iterdir())


def rebuild(path: Path, moment: datetime) -> CacheRepair:
    """Move the damaged cache aside and build a new one holding what could be saved."""
    kept_at = _move_aside(path, moment)
    rows = _with_backup(_salvage(kept_at), _newest_sound_backup(path))
    fresh = path.with_name(f"{path.name}.rebuilding")
    _remove_with_journals(fresh)
    database = Database(fresh)
    try:
        _insert(database, rows)
    finally:
        database.close()
    fresh.replace(path)
    log.info("Rebuilt the local cache; the damaged file is kept at %s", kept_at)
    return CacheRepair(sum(len(table_rows) for table_rows in rows.values()), kept_at)


def _move_aside(path: Path, moment: datetime) -> Path:
    kept_at = path.with_name(f"{path.name}.damaged-{moment:%Y%m%dT%H%M%S}")
    if kept_at.exists():
        kept_at = path.with_name(f"{path.name}.damaged-{moment:%Y%m%dT%H%M%S%f}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            source.replace(Path(f"{kept_at}{suffix}"))
    return kept_at


def _remove_with_journals(path: Path) -> None:
    """A new cache left half-built by an interrupted rebuild is started again."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _salvage(path: Path) -> Rows:
    """Every row of the progress tables SQLite can still read in the file at `path`."""
    try:
        connection = connect_read_only(path)
    except sqlite3.Error:
        return {table.name: [] for table in TABLES}
    with closing(connection):
        return {table.name: _readable_rows(connection, table) for table in TABLES}


def _readable_rows(connection: sqlite3.Connection, table: Table) -> list[Row]:
    if not _reachable(connection, table):
        return []
    rows: list[Row] = []
    for first in range(1, _last_rowid(connection, table) + 1, CHUNK):
        rows += _read_range(connection, table, first, first + CHUNK - 1)
    return [row for row in rows if _valid(table, row)]


def _select(table: Table) -> str:
    columns = ", ".join(f'"{column.name}"' for column in table.columns)
    return f'SELECT {columns} FROM "{table.name}" WHERE rowid BETWEEN ? AND ?'


def _reachable(connection: sqlite3.Connection, table: Table) -> bool:
    """False if the schema itself cannot be read, or names no such table."""
    try:
        connection.execute(_select(table), (1, 0)).fetchall()
    except sqlite3.DatabaseError:
        return False
    return True


def _read_range(connection: sqlite3.Connection, table: Table, first: int, last: int) -> list[Row]:
    """The rows with rowids first..last; a range SQLite cannot read is read one row at a time,
    so one damaged page loses only the rows on it."""
    try:
        return list(connection.execute(_select(table), (first, last)).fetchall())
    except sqlite3.DatabaseError:
        if first == last:
            return []
        return [
            row
            for rowid in range(first, last + 1)
            for row in _read_range(connection, table, rowid, rowid)
        ]


def _last_rowid(connection: sqlite3.Connection, table: Table) -> int:
    """The table's last rowid, bounded by what the file could hold (a damaged page may say
    anything), or that bound when the last rowid cannot be read."""
    bound = _rowid_bound(connection)
    try:
        last = connection.execute(f'SELECT max(rowid) FROM "{table.name}"').fetchone()[0]
    except sqlite3.DatabaseError:
        return bound
    return min(int(last or 0), bound)


def _rowid_bound(connection: sqlite3.Connection) -> int:
    try:
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    except sqlite3.DatabaseError:
        return 0
    return int(pages) * int(page_size) // MIN_ROW_BYTES


def _valid(table: Table, row: Row) -> bool:
    """Whether each value has its column's type: damage can turn bytes into other values."""
    return all(
        _fits(column.type, column.nullable, value)
        for column, value in zip(table.columns, row, strict=True)
    )


def _fits(kind: Any, nullable: bool | None, value: object) -> bool:
    if value is None:
        return bool(nullable)
    if isinstance(kind, UTCDateTime):
        return isinstance(value, str) and _is_timestamp(value)
    return isinstance(value, kind.python_type)


def _is_timestamp(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _newest_sound_backup(path: Path) -> Path | None:
    for _taken, backup in daily_backups(path):
        try:
            check_intact(backup)
        except (DamagedCacheError, CacheBusyError, sqlite3.Error) as error:
            log.info("Daily backup %s cannot be used: %s", backup, error)
            continue
        return backup
    return None


def _with_backup(salvaged: Rows, backup: Path | None) -> Rows:
    """The salvaged rows, and the backup's rows that the salvage could not read."""
    if backup is None:
        return salvaged
    older = _salvage(backup)
    return {table.name: _union(table, salvaged[table.name], older[table.name]) for table in TABLES}


def _union(table: Table, rows: list[Row], older: list[Row]) -> list[Row]:
    key = _index(table, "id")
    known = {row[key] for row in rows}
    return rows + [row for row in older if row[key] not in known]


def _index(table: Table, column: str) -> int:
    return list(table.columns.keys()).index(column)


def _insert(database: Database, rows: Rows) -> None:
    """One transaction: statements keep their order (renumbered, as the backup's rows may
    share numbers with later ones) and their outbox marks; uploaded ones are not resent."""
    with database.engine.begin() as connection:
        for table in TABLES:
            table_rows = rows[table.name]
            if table is PROGRESS:
                table_rows = _renumbered(table_rows)
            if table_rows:
                connection.exec_driver_sql(_insert_sql(table), table_rows)


def _renumbered(rows: list[Row]) -> list[Row]:
    seq = _index(PROGRESS, "seq")
    ordered = sorted(rows, key=lambda row: int(row[seq]))
    return [(*row[:seq], number, *row[seq + 1 :]) for number, row in enumerate(ordered, 1)]


def _insert_sql(table: Table) -> str:
    columns = ", ".join(f'"{column.name}"' for column in table.columns)
    marks = ", ".join("?" for _ in table.columns)
    return f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})'
