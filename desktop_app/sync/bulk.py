"""Bulk upserts straight through the session's DB-API cursor (executemany with plain tuples).

Used where a page writes tens of thousands of rows: building and binding SQLAlchemy parameter
dictionaries costs more than SQLite's own work. The statement runs in the session's
transaction like any other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class BulkTable:
    """A table, the columns each row tuple holds (in order) and its key columns."""

    name: str
    columns: tuple[str, ...]
    keys: tuple[str, ...]

    @property
    def upsert_sql(self) -> str:
        """Insert a row, or update the row with the same key (a lesson moved between courses)."""
        values = ", ".join("?" for _ in self.columns)
        changed = [f"{c} = excluded.{c}" for c in self.columns if c not in self.keys]
        action = f"DO UPDATE SET {', '.join(changed)}" if changed else "DO NOTHING"
        return (
            f"INSERT INTO {self.name} ({', '.join(self.columns)}) VALUES ({values}) "
            f"ON CONFLICT ({', '.join(self.keys)}) {action}"
        )

    def upsert(self, session: Session, rows: Sequence[tuple[Any, ...]]) -> None:
        if rows:
            session.connection().exec_driver_sql(self.upsert_sql, list(rows))
