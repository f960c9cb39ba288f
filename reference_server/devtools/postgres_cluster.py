"""A throwaway PostgreSQL cluster for the server tests and the load benchmark: `initdb` in a
temporary folder, listening on 127.0.0.1 only, on a free port, as an unprivileged user, removed
when the run ends.

CI starts the cluster exactly this way. As root the PostgreSQL programs run as the `postgres`
user that Debian's package creates (PostgreSQL refuses to run as root)."""

from __future__ import annotations

import atexit
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

SEARCHED = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin")
SERVICE_USER = "postgres"
OWNER = "rounds"
START_TIMEOUT = 60


class ClusterUnavailable(RuntimeError):
    """PostgreSQL could not be started here; the message says why in one sentence."""


def _bin_dir() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(
        (path for pattern in SEARCHED for path in Path("/").glob(pattern.lstrip("/"))),
        key=lambda path: _major(path),
    )
    for directory in reversed(candidates):
        if (directory / "pg_ctl").exists():
            return directory
    raise ClusterUnavailable(
        "PostgreSQL's programs (initdb, pg_ctl) are not installed: `make test` installs "
        "Debian's postgresql package, or put them on PATH."
    )


def _major(directory: Path) -> int:
    name = directory.parent.name
    return int(name) if name.isdigit() else 0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresCluster:
    """A started cluster; `new_database` gives each test a database of its own. `settings` are
    added to postgresql.conf after ours (for example to preload pg_stat_statements)."""

    def __init__(self, settings: Mapping[str, str] | None = None) -> None:
        self._extra = dict(settings or {})
        self._bin = _bin_dir()
        self._as_service = os.geteuid() == 0
        self.root = Path(tempfile.gettempdir()) / f"rounds-postgres-{secrets.token_hex(6)}"
        self.data = self.root / "data"
        self.password = secrets.token_urlsafe(16)
        self.port = _free_port()
        self._count = 0

    def start(self) -> PostgresCluster:
        atexit.register(self.stop)
        try:
            self._init()
            self._run(
                "pg_ctl",
                "-D",
                str(self.data),
                "-l",
                str(self.root / "server.log"),
                "-w",
                "-t",
                str(START_TIMEOUT),
                "start",
            )
        except (OSError, LookupError, subprocess.CalledProcessError) as error:
            self.stop()
            raise ClusterUnavailable(
                f"PostgreSQL could not be started for the server tests: {_reason(error)}."
            ) from error
        return self

    def _init(self) -> None:
        self.root.mkdir(mode=0o700)
        password_file = self.root / "password"
        password_file.write_text(self.password + "\n", encoding="ascii")
        if self._as_service:
            shutil.chown(self.root, SERVICE_USER)
            shutil.chown(password_file, SERVICE_USER)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            OWNER,
            f"--pwfile={password_file}",
            "--auth=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "-N",
        )
        password_file.unlink()
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": "''",
            "max_connections": "300",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "timezone": "'UTC'",
            **self._extra,
        }
        with (self.data / "postgresql.conf").open("a", encoding="ascii") as conf:
            conf.writelines(f"{name} = {value}\n" for name, value in settings.items())

    def _run(self, program: str, *args: str) -> None:
        command = [str(self._bin / program), *args]
        if self._as_service:
            command = ["runuser", "-u", SERVICE_USER, "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True, cwd=self.root)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{OWNER}:{self.password}@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres") -> psycopg.Connection[Any]:
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=OWNER,
            password=self.password,
            dbname=database,
            autocommit=True,
        )

    def new_database(self, template: str | None = None) -> str:
        """A new empty database (or a copy of `template`), named uniquely for this cluster."""
        self._count += 1
        name = f"rounds_{self._count}"
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with self.connect() as connection:
            connection.execute(statement)
        return name

    def drop_database(self, name: str) -> None:
        with self.connect() as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def stop(self) -> None:
        """Stops the server if it runs and removes the folder; also at exit, if a run ends
        without its teardown."""
        pid_file = self.data / "postmaster.pid"
        if pid_file.exists():
            with contextlib.suppress(OSError, subprocess.CalledProcessError):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
            _kill(pid_file)  # still there: pg_ctl could not stop it
        shutil.rmtree(self.root, ignore_errors=True)


def _kill(pid_file: Path) -> None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        os.kill(int(pid_file.read_text(encoding="ascii").split()[0]), signal.SIGKILL)


def _reason(error: Exception) -> str:
    if isinstance(error, LookupError):
        return f"there is no {SERVICE_USER!r} user to run it as root (Debian's package adds one)"
    if isinstance(error, subprocess.CalledProcessError):
        lines = (error.stderr or error.stdout or "").strip().splitlines()
        return lines[-1] if lines else f"{error.cmd[0]} exited with {error.returncode}"
    return str(error).rstrip(".")
