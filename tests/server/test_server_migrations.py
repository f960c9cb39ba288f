"""The server's schema under Alembic, on SQLite and PostgreSQL: the migrations make exactly what
the models declare; every revision upgrades a database made at the revision before it and keeps
its rows; `python -m reference_server migrate` upgrades once; and the ASGI workers, which never
migrate, refuse a database that is not at the newest revision with one line.

A new revision adds a case to UPGRADES: `fill` writes rows at the revision before, `check`
reads them back after the upgrade."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, Engine, MetaData, bindparam, create_engine, inspect, text

from reference_server.__main__ import main
from reference_server.asgi import STARTUP_FAILURE
from reference_server.db import Base, UtcDateTime
from reference_server.schema import alembic_config, current_revision, head_revision, migrate

REPOSITORY = Path(__file__).resolve().parents[2]
WHEN = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
WHEN_PARAMETER = bindparam("when", type_=UtcDateTime())


@pytest.fixture
def engine(empty_database_url: str) -> Iterator[Engine]:
    made = create_engine(empty_database_url)
    yield made
    made.dispose()


def _upgrade(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_the_migrations_make_what_the_models_declare(engine: Engine) -> None:
    migrate(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    assert current_revision(engine) == head_revision()


@dataclass(frozen=True)
class Upgrade:
    """A database at `before` (None: made by create_all before the server used Alembic),
    filled by `fill`, upgraded to `after`; `check` finds the rows as they should be."""

    before: str | None
    after: str
    fill: Callable[[Connection], None]
    check: Callable[[Connection], None]


def _fill_unversioned(connection: Connection) -> None:
    """Tables as create_all made them before disabled users and login failures existed."""
    tables = MetaData()
    for name in ("users", "counters", "courses", "statements"):
        Base.metadata.tables[name].to_metadata(tables)
    tables.create_all(connection)
    connection.execute(
        text(
            "INSERT INTO users (id, username, display_name, password_salt, password_hash) "
            "VALUES ('u-1', 'ana', 'Ana', :salt, :hash)"
        ),
        {"salt": b"s" * 16, "hash": b"h" * 32},
    )
    connection.execute(text("INSERT INTO counters (name, value) VALUES ('changes', 7)"))
    connection.execute(
        text(
            "INSERT INTO courses (id, title, summary, position, version, published, seq, "
            "updated_at, content_hash) VALUES ('c-1', 'Triage', '', 0, 2, :yes, 7, :when, 'x')"
        ).bindparams(WHEN_PARAMETER),
        {"yes": True, "when": WHEN},
    )


def _check_unversioned(connection: Connection) -> None:
    assert connection.execute(text("SELECT username FROM users")).scalars().all() == ["ana"]
    assert connection.execute(text("SELECT value FROM counters")).scalar() == 7
    assert connection.execute(text("SELECT version FROM courses")).scalar() == 2
    tables = set(inspect(connection).get_table_names())
    assert {"disabled_users", "login_failures"} <= tables
    connection.execute(
        text("INSERT INTO disabled_users (user_id, disabled_at) VALUES ('u-1', :when)").bindparams(
            WHEN_PARAMETER
        ),
        {"when": WHEN},
    )


def _fill_empty(connection: Connection) -> None:
    """Nothing before the first revision."""


def _check_baseline(connection: Connection) -> None:
    connection.execute(
        text(
            "INSERT INTO users (id, username, display_name, password_salt, password_hash) "
            "VALUES ('u-1', 'ana', 'Ana', :salt, :hash)"
        ),
        {"salt": b"", "hash": b"$argon2id$"},
    )
    connection.execute(
        text(
            "INSERT INTO login_failures (key, count, window_start) VALUES ('user:ana', 1, :when)"
        ).bindparams(WHEN_PARAMETER),
        {"when": WHEN},
    )
    assert connection.execute(text("SELECT count(*) FROM users")).scalar() == 1


def _fill_statement(connection: Connection) -> None:
    """A learner's statement at 0001, before attachment content was kept."""
    _check_baseline(connection)
    connection.execute(
        text(
            "INSERT INTO statements (seq, id, user_id, actor_key, verb_id, stored, content_hash, "
            "voided, body) VALUES (1, 's-1', 'u-1', 'k', 'v', :when, 'h', :no, '{}')"
        ).bindparams(WHEN_PARAMETER),
        {"when": WHEN, "no": False},
    )


def _check_statement_attachments(connection: Connection) -> None:
    assert connection.execute(text("SELECT id FROM statements")).scalars().all() == ["s-1"]
    connection.execute(
        text("INSERT INTO statement_attachments (sha2, content) VALUES ('ab', :content)"),
        {"content": b"\x00raw"},
    )
    assert connection.execute(text("SELECT content FROM statement_attachments")).scalar() == (
        b"\x00raw"
    )


def _check_sso_identities(connection: Connection) -> None:
    """The users of 0002 stay; a provider's subject can be linked to one of them, once."""
    assert connection.execute(text("SELECT username FROM users")).scalars().all() == ["ana"]
    connection.execute(
        text(
            "INSERT INTO sso_identities (issuer, subject, user_id, linked_at) "
            "VALUES ('https://idp.example', 'sub-1', 'u-1', :when)"
        ).bindparams(WHEN_PARAMETER),
        {"when": WHEN},
    )
    assert connection.execute(text("SELECT subject FROM sso_identities")).scalar() == "sub-1"


def _check_certificates(connection: Connection) -> None:
    """The users of the revision before stay; a certificate can be issued to one, and revoked."""
    assert connection.execute(text("SELECT username FROM users")).scalars().all() == ["ana"]
    connection.execute(
        text(
            "INSERT INTO certificates (id, user_id, course_id, token, issued_at, revoked_at) "
            "VALUES ('RC-1', 'u-1', 'c-1', 'p.s', :when, NULL)"
        ).bindparams(WHEN_PARAMETER),
        {"when": WHEN},
    )
    connection.execute(
        text("UPDATE certificates SET revoked_at = :when").bindparams(WHEN_PARAMETER),
        {"when": WHEN},
    )
    assert connection.execute(text("SELECT revoked_at FROM certificates")).scalar() is not None


def _check_user_email(connection: Connection) -> None:
    """The users of 0004 stay, with no address; many users may have none, one may have one."""
    assert connection.execute(text("SELECT username, email FROM users")).all() == [("ana", None)]
    connection.execute(
        text(
            "INSERT INTO users (id, username, display_name, password_salt, password_hash) "
            "VALUES ('u-2', 'ben', 'Ben', :salt, :hash)"
        ),
        {"salt": b"", "hash": b"$argon2id$"},
    )
    connection.execute(text("UPDATE users SET email = 'ana@hospital.example' WHERE id = 'u-1'"))
    emails = connection.execute(text("SELECT email FROM users ORDER BY id")).scalars().all()
    assert emails == ["ana@hospital.example", None]


UPGRADES = [
    Upgrade(None, "0001", _fill_empty, _check_baseline),
    Upgrade(None, "0001", _fill_unversioned, _check_unversioned),
    Upgrade("0001", "0002", _fill_statement, _check_statement_attachments),
    Upgrade("0002", "0003", _check_baseline, _check_sso_identities),
    Upgrade("0003", "0004", _check_baseline, _check_certificates),
    Upgrade("0004", "0005", _check_baseline, _check_user_email),
]


@pytest.mark.parametrize(
    "step",
    UPGRADES,
    ids=[
        "empty-to-0001",
        "create_all-to-0001",
        "0001-to-0002",
        "0002-to-0003",
        "0003-to-0004",
        "0004-to-0005",
    ],
)
def test_a_revision_upgrades_a_database_made_at_the_one_before(
    engine: Engine, step: Upgrade
) -> None:
    if step.before is not None:
        _upgrade(engine, step.before)
    with engine.begin() as connection:
        step.fill(connection)
    _upgrade(engine, step.after)
    assert current_revision(engine) == step.after
    with engine.begin() as connection:
        step.check(connection)


def test_every_revision_has_an_upgrade_case() -> None:
    from alembic.script import ScriptDirectory

    revisions = {
        script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()
    }
    assert revisions == {step.after for step in UPGRADES}


def test_the_migrate_command_upgrades_once(
    empty_database_url: str, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate", "--database-url", empty_database_url]) == 0
    assert capsys.readouterr().out == (
        f"Upgraded the database from revision none to {head_revision()}.\n"
    )
    assert main(["migrate", "--database-url", empty_database_url]) == 0
    assert capsys.readouterr().out == f"The database is at revision {head_revision()} already.\n"
    assert current_revision(engine) == head_revision()


def _asgi_environ(url: str, data: Path) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ROUNDS_")}
    data.mkdir(exist_ok=True)
    return {**environ, "ROUNDS_DATABASE_URL": url, "ROUNDS_DATA_DIR": str(data)}


def _refusal(current: str) -> str:
    return (
        f"Rounds reference server cannot start: The database is at revision {current}, not "
        f"{head_revision()}; run `python -m reference_server migrate --database-url URL` first."
    )


def test_a_worker_refuses_an_empty_database(empty_database_url: str, tmp_path: Path) -> None:
    """As uvicorn and gunicorn read `app`: exit status 3, which neither restarts."""
    finished = subprocess.run(
        [sys.executable, "-c", "import reference_server.asgi as entry; entry.app"],
        cwd=REPOSITORY,
        env=_asgi_environ(empty_database_url, tmp_path / "data"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (finished.returncode, finished.stderr.splitlines()) == (
        STARTUP_FAILURE,
        [_refusal("none")],
    )


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_uvicorn_stops_on_a_database_at_another_revision(
    empty_database_url: str, engine: Engine, tmp_path: Path
) -> None:
    """uvicorn stops instead of restarting the workers (its own exit status is 0 even so)."""
    migrate(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    command_line = [sys.executable, "-m", "uvicorn", "reference_server.asgi:app"]
    command_line += ["--workers", "2", "--host", "127.0.0.1", "--port", "0"]
    finished = subprocess.run(
        command_line,
        cwd=REPOSITORY,
        env=_asgi_environ(empty_database_url, tmp_path / "data"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    refusals = [line for line in finished.stderr.splitlines() if "cannot start" in line]
    assert refusals and set(refusals) == {_refusal("0000")}, finished.stderr
    assert current_revision(engine) == "0000"


def test_the_migrate_command_refuses_a_database_from_a_newer_version(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    migrate(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    assert main(["migrate", "--database-url", engine.url.render_as_string(False)]) == 1
    assert capsys.readouterr().err == (
        "error: the database is at revision 9999, which this version does not know: a newer "
        "version upgraded it. Run that version, or restore a backup.\n"
    )
    assert current_revision(engine) == "9999"
