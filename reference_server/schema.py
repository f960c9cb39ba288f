"""The database's schema under Alembic: which revision a database is at, and upgrading it.

The scripts are in reference_server/migrations (the desktop client's cache has its own set in
desktop_app/migrations; the two databases never meet, so both keep Alembic's version table).
"""

from __future__ import annotations

import ast
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version"


class SchemaMismatch(RuntimeError):
    """The database is not at the revision this server's code expects."""

    def __init__(self, current: str | None, head: str) -> None:
        super().__init__(current, head)
        self.current = current
        self.head = head


@dataclass(frozen=True)
class Upgrade:
    """What `migrate` did: the revision the database was at (None: empty) and is at now."""

    before: str | None
    after: str


def alembic_config() -> Config:
    from alembic.config import Config  # alembic loads only when the schema is checked

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


class UnknownRevision(RuntimeError):
    """The database is at a revision this version's scripts do not have (a newer version
    upgraded it)."""

    def __init__(self, current: str) -> None:
        super().__init__(current)
        self.current = current


def head_revision() -> str:
    """The newest revision, read from the scripts' `revision` and `down_revision` lines (a
    worker checking the schema at start needs nothing else from Alembic)."""
    revisions = _revisions()
    heads = set(revisions) - {down for down in revisions.values() if down}
    assert len(heads) == 1, f"the server's migrations must have one head, not {sorted(heads)}"
    return heads.pop()


def _revisions() -> dict[str, str | None]:
    """Each revision of the scripts and the one it follows."""
    revisions: dict[str, str | None] = {}
    for script in (MIGRATIONS / "versions").glob("*.py"):
        values = _assignments(script, ("revision", "down_revision"))
        revisions[str(values["revision"])] = values.get("down_revision")
    return revisions


def _assignments(script: Path, names: tuple[str, ...]) -> dict[str, Any]:
    tree = ast.parse(script.read_text(encoding="utf-8"))
    return {
        target.id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id in names
    }


def current_revision(engine: Engine) -> str | None:
    """The revision the database records, None if it has no schema at all."""
    with engine.connect() as connection:
        return _recorded(connection)


def _recorded(connection: Connection) -> str | None:
    tables = set(inspect(connection).get_table_names())
    if VERSION_TABLE in tables:
        found = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
        return None if found is None else str(found)
    return None


def migrate(engine: Engine, revision: str = "head") -> Upgrade:
    """Bring the schema to `revision` (idempotent). A database made before the server used
    Alembic has no revision: the baseline makes only the tables it lacks, then it is versioned.
    A database already at the newest revision is left as it is without loading Alembic."""
    wanted = head_revision() if revision == "head" else revision
    current = current_revision(engine)
    if current == wanted:
        return Upgrade(current, current)
    if current is not None and current not in _revisions():
        raise UnknownRevision(current)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # upgrades only
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        before = _recorded(connection)
        command.upgrade(config, revision)
        after = _recorded(connection)
    assert after is not None
    return Upgrade(before, after)


def require_head(engine: Engine) -> str:
    """The head revision if the database is at it; else raises SchemaMismatch."""
    head = head_revision()
    current = current_revision(engine)
    if current != head:
        raise SchemaMismatch(current, head)
    return head
