"""The server side of the load benchmark: a database with learners and a catalog, the server
under `uvicorn --workers N` over it, the CPU its processes use, and the statements it stored."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import argon2
import argon2.profiles
import psutil
import requests
from sqlalchemy import create_engine, func, select

from reference_server.admin import Admin
from reference_server.backend import Backend
from reference_server.models import Statement
from reference_server.passwords import DEFAULT_PROFILE, PROFILE_VARIABLE

REPOSITORY = Path(__file__).resolve().parents[1]
PASSWORD = "load-benchmark-1"
STARTUP_SECONDS = 60.0
STOP_SECONDS = 30.0
HEALTHCHECK_SECONDS = 60
PUBLIC_URL = "https://rounds.example.org"
# Passwords are hashed and checked with argon2's cheapest profile, by the benchmark and the
# server alike: at the default profile every sign-in costs a tenth of a second or more of CPU,
# and 200 at once would swamp two cores for the whole of a run. `default_sign_in_cpu` says
# what a sign-in costs at the default profile.
PASSWORD_PROFILE = "CHEAPEST"


def learner_name(number: int) -> str:
    return f"learner{number:04d}"


def prepare(data_dir: Path, database_url: str, learners: int, courses: int, lessons: int) -> None:
    """Migrates the database, publishes a generated catalog and adds the learners (their
    passwords hashed as the users command hashes them, two at a time)."""
    backend = Backend.open(data_dir, database_url, public_url=PUBLIC_URL)
    previous = os.environ.get(PROFILE_VARIABLE)
    os.environ[PROFILE_VARIABLE] = PASSWORD_PROFILE
    try:
        admin = Admin(backend)
        admin.generate_catalog(courses, lessons, modules_per_course=2)
        with ThreadPoolExecutor(max_workers=2) as pool:
            added = pool.map(
                lambda n: admin.users.add(learner_name(n), PASSWORD, f"Learner {n}"),
                range(learners),
            )
            list(added)
    finally:
        os.environ.pop(PROFILE_VARIABLE)
        if previous is not None:
            os.environ[PROFILE_VARIABLE] = previous
        backend.db.dispose()


def default_sign_in_cpu() -> float:
    """CPU seconds of checking one password at the server's default argon2 profile."""
    hasher = argon2.PasswordHasher.from_parameters(getattr(argon2.profiles, DEFAULT_PROFILE))
    hashed = hasher.hash(PASSWORD)
    started = time.process_time()
    hasher.verify(hashed, PASSWORD)
    return time.process_time() - started


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Served:
    url: str
    pid: int


def _wait_ready(url: str, child: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(f"uvicorn stopped with status {child.returncode} before it served")
        try:
            if requests.get(url + "/readyz", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"uvicorn did not answer /readyz within {STARTUP_SECONDS:.0f} s")


@contextmanager
def uvicorn(
    database_url: str,
    data_dir: Path,
    workers: int,
    *,
    log: Path,
    app: str = "reference_server.asgi:app",
    environ: dict[str, str] | None = None,
) -> Iterator[Served]:
    """`uvicorn APP --workers N` on a free loopback port over the database, until SIGTERM;
    its output (the access log too) goes to `log`; `environ` adds variables to its
    environment."""
    port = _free_port()
    command = [sys.executable, "-m", "uvicorn", app, "--workers", str(workers)]
    command += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    command += ["--backlog", "4096", "--log-level", "warning"]
    # uvicorn kills a worker that does not answer its supervisor's ping within 5 s: on two
    # saturated cores a worker busy with a batch can miss it and be killed mid-request.
    command += ["--timeout-worker-healthcheck", str(HEALTHCHECK_SECONDS)]
    variables = {
        **os.environ,
        **(environ or {}),
        "ROUNDS_DATABASE_URL": database_url,
        "ROUNDS_DATA_DIR": str(data_dir),
        "ROUNDS_PUBLIC_URL": PUBLIC_URL,
        PROFILE_VARIABLE: PASSWORD_PROFILE,
    }
    with log.open("ab") as output:
        child = subprocess.Popen(
            command,
            cwd=REPOSITORY,
            env=variables,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, child)
        yield Served(url, child.pid)
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=STOP_SECONDS)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)  # its workers too, not only the supervisor
            child.wait()


def cpu_seconds(root_pids: Iterable[int]) -> float:
    """User + system CPU seconds of the processes and all their descendants now alive."""
    total = 0.0
    for pid in root_pids:
        try:
            root = psutil.Process(pid)
            processes = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
        for process in processes:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
    return total


def postmaster_pid(data: Path) -> int:
    return int((data / "postmaster.pid").read_text(encoding="ascii").split()[0])


@dataclass(frozen=True)
class Stored:
    """What the database holds against the statement ids sent: ids missing from it, rows
    beyond one per id, and rows of ids never sent."""

    lost: int
    duplicated: int
    unexpected: int


def stored_against(database_url: str, sent: set[str]) -> Stored:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(Statement.id, func.count()).group_by(Statement.id)
            ).all()
    finally:
        engine.dispose()
    counts = {statement_id: count for statement_id, count in rows}
    return Stored(
        lost=len(sent - counts.keys()),
        duplicated=sum(count - 1 for count in counts.values()),
        unexpected=len(counts.keys() - sent),
    )
