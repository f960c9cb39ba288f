"""The ASGI entry point as an operator runs it: `uvicorn reference_server.asgi:app --workers 2`
configured by environment variables, over PostgreSQL; and a bad variable stops the start with
one line."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import create_engine, func, select

from reference_server.asgi import STARTING_LOCK, STARTUP_FAILURE, ConfigurationError, settings_from
from reference_server.models import Statement
from reference_server.schema import migrate

from .conftest import Template
from .test_server_xapi import statement
from .testkit import Api

REPOSITORY = Path(__file__).resolve().parents[2]
POSTS = 12
STARTUP = 60.0
HEALTHCHECK = 60
"""Seconds uvicorn's supervisor waits for a worker to answer (5 by default, which a loaded
machine misses at start-up: uvicorn then stops with "Child process failed to start")."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _key_file(path: Path) -> Path:
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.write_bytes(pem)
    return path


def _public_pem(key_file: Path) -> str:
    key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def _wait_ready(url: str, child: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        assert child.poll() is None, "uvicorn stopped before it served"
        try:
            if requests.get(url + "/readyz", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise AssertionError("uvicorn did not answer /readyz in time")


@contextmanager
def _uvicorn(workers: int, **variables: str) -> Iterator[str]:
    """`uvicorn reference_server.asgi:app --workers N` on a free port under `variables`: its
    URL once it is ready; stopped by SIGTERM, which it must obey with exit status 0."""
    port = _free_port()
    command = [sys.executable, "-m", "uvicorn", "reference_server.asgi:app"]
    command += ["--workers", str(workers), "--host", "127.0.0.1", "--port", str(port)]
    command += ["--no-access-log", "--timeout-worker-healthcheck", str(HEALTHCHECK)]
    environ = {**os.environ, **variables}
    child = subprocess.Popen(command, cwd=REPOSITORY, env=environ, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, child)
        yield url
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=20) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


@pytest.fixture
def uvicorn_workers(
    loaded_template: Template, database_url: str | None, tmp_path: Path
) -> Iterator[tuple[str, Path]]:
    """Two uvicorn workers over the test's PostgreSQL database and a copy of the template's
    data folder, signing with a key file of their own: the base URL and the key file."""
    assert database_url is not None
    data = shutil.copytree(loaded_template.root / "data", tmp_path / "data")
    key_file = _key_file(tmp_path / "badge.pem")
    signing = tmp_path / "signing.pem"  # the current key, then an earlier one a rotation kept
    signing.write_bytes(key_file.read_bytes() + _key_file(tmp_path / "earlier.pem").read_bytes())
    with _uvicorn(
        2,
        ROUNDS_DATABASE_URL=database_url,
        ROUNDS_DATA_DIR=str(data),
        ROUNDS_SIGNING_KEY_FILE=str(signing),
        ROUNDS_PUBLIC_URL="https://rounds.example.org",
    ) as url:
        yield url, key_file


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_uvicorn_with_two_workers_stores_a_statement_posted_at_once_once(
    uvicorn_workers: tuple[str, Path], database_url: str
) -> None:
    url, key_file = uvicorn_workers
    devices = [Api(url, "ana") for _ in range(POSTS)]  # a connection each: both workers serve
    sent = statement()
    start = threading.Barrier(POSTS)

    def post(api: Api) -> requests.Response:
        start.wait(timeout=20)
        return api.xapi("POST", json=sent)

    with ThreadPoolExecutor(max_workers=POSTS) as pool:
        replies = list(pool.map(post, devices))
    assert [reply.status_code for reply in replies] == [200] * POSTS, [r.text for r in replies]
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            query = select(func.count()).select_from(Statement).filter_by(id=sent["id"])
            assert connection.scalar(query) == 1
    finally:
        engine.dispose()
    assert requests.get(url + "/readyz", timeout=10).json() == {"status": "ready"}
    documents = [requests.get(url + "/api/v1/badge-key", timeout=10).json() for _ in range(4)]
    assert {document["public_key_pem"] for document in documents} == {_public_pem(key_file)}
    earlier = {tuple(document["earlier_public_keys"]) for document in documents}
    assert len(earlier) == 1 and len(next(iter(earlier))) == 1
    about = requests.get(url + "/api/v1/about", timeout=10).json()
    assert about["home_page"] == "https://rounds.example.org"
    for api in devices:
        api.close()


def test_a_missing_variable_stops_the_worker_with_one_line(tmp_path: Path) -> None:
    """Read as uvicorn and gunicorn read `app`: exit status 3, which neither restarts."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ROUNDS_")}
    environ["ROUNDS_DATA_DIR"] = str(tmp_path)
    finished = subprocess.run(
        [sys.executable, "-c", "import reference_server.asgi as entry; entry.app"],
        cwd=REPOSITORY,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode == STARTUP_FAILURE
    assert finished.stderr.splitlines() == [
        "Rounds reference server cannot start: ROUNDS_DATABASE_URL is not set."
    ]


@pytest.mark.parametrize(
    ("variables", "line"),
    [
        ({"ROUNDS_DATABASE_URL": "{sqlite}"}, "ROUNDS_DATA_DIR is not set."),
        (
            {"ROUNDS_DATABASE_URL": " ", "ROUNDS_DATA_DIR": "{data}"},
            "ROUNDS_DATABASE_URL is not set.",
        ),
        (
            {"ROUNDS_DATABASE_URL": "nodb://x", "ROUNDS_DATA_DIR": "{data}"},
            "ROUNDS_DATABASE_URL is not a usable database URL (NoSuchModuleError).",
        ),
        (
            {"ROUNDS_DATABASE_URL": "not a url", "ROUNDS_DATA_DIR": "{data}"},
            "ROUNDS_DATABASE_URL is not a usable database URL (ArgumentError).",
        ),
        (
            {"ROUNDS_DATABASE_URL": "{sqlite}", "ROUNDS_DATA_DIR": "{data}/nowhere"},
            "ROUNDS_DATA_DIR names no folder: {data}/nowhere",
        ),
        (
            {
                "ROUNDS_DATABASE_URL": "{sqlite}",
                "ROUNDS_DATA_DIR": "{data}",
                "ROUNDS_SIGNING_KEY_FILE": "{data}/server-id",
            },
            "ROUNDS_SIGNING_KEY_FILE holds no PEM key: {data}/server-id",
        ),
        (
            {
                "ROUNDS_DATABASE_URL": "{sqlite}",
                "ROUNDS_DATA_DIR": "{data}",
                "ROUNDS_CURSOR_KEY": "a-current-key-of-forty-characters-or-so, short",
            },
            "ROUNDS_CURSOR_KEY holds a key shorter than 32 characters.",
        ),
        (
            {
                "ROUNDS_DATABASE_URL": "{sqlite}",
                "ROUNDS_DATA_DIR": "{data}",
                "ROUNDS_SIGNING_KEY_FILE": "{data}/missing.pem",
            },
            "ROUNDS_SIGNING_KEY_FILE cannot be read: {data}/missing.pem (No such file or "
            "directory).",
        ),
        (
            {
                "ROUNDS_DATABASE_URL": "{sqlite}",
                "ROUNDS_DATA_DIR": "{data}",
                "ROUNDS_PUBLIC_URL": "rounds.example.org",
            },
            "ROUNDS_PUBLIC_URL is not an http(s) URL: rounds.example.org",
        ),
    ],
)
def test_a_bad_variable_is_named_in_one_sentence(
    tmp_path: Path, variables: dict[str, str], line: str
) -> None:
    (tmp_path / "server-id").write_text("srv-test\n", encoding="ascii")
    places = {"data": str(tmp_path), "sqlite": f"sqlite:///{tmp_path}/db.sqlite3"}
    environ = {name: value.format(**places) for name, value in variables.items()}
    with pytest.raises(ConfigurationError) as raised:
        settings_from(environ)
    assert str(raised.value) == line.format(**places)


def _migrated(url: str) -> str:
    """`url` once its database is at the newest revision (workers never migrate it)."""
    engine = create_engine(url)
    try:
        migrate(engine)
    finally:
        engine.dispose()
    return url


def test_four_workers_share_a_new_data_folder(tmp_path: Path) -> None:
    """On a first start the workers make the keys and server id in turn, not at once."""
    data = tmp_path / "data"
    data.mkdir()
    database = _migrated(f"sqlite:///{data}/rounds.sqlite3")
    with _uvicorn(4, ROUNDS_DATABASE_URL=database, ROUNDS_DATA_DIR=str(data)) as url:
        keys = {
            requests.get(url + "/api/v1/badge-key", timeout=10).json()["public_key"]
            for _ in range(8)
        }
        assert len(keys) == 1
    assert sorted(path.name for path in (data / "keys").iterdir()) == [
        "badge-ed25519.pem",
        "cursor-hmac.key",
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="workers take turns through flock on POSIX")
def test_a_worker_waits_while_another_opens_the_data_folder(tmp_path: Path) -> None:
    import fcntl

    data = tmp_path / "data"
    data.mkdir()
    environ = {
        **os.environ,
        "ROUNDS_DATABASE_URL": _migrated(f"sqlite:///{data}/rounds.sqlite3"),
        "ROUNDS_DATA_DIR": str(data),
    }
    script = "import reference_server.asgi as entry; entry.app"
    with (data / STARTING_LOCK).open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another worker opening the folder
        child = subprocess.Popen([sys.executable, "-c", script], cwd=REPOSITORY, env=environ)
        try:
            with pytest.raises(subprocess.TimeoutExpired):
                child.wait(timeout=3)
            assert not (data / "keys").exists()
        except BaseException:
            child.kill()
            child.wait()
            raise
    assert child.wait(timeout=30) == 0
    assert (data / "keys" / "badge-ed25519.pem").is_file()
