"""Fixtures for the reference server tests: a small curriculum and a started server, on each
database backend (SQLite in the data folder, and a real PostgreSQL cluster the tests start).

A test that uses `backend` (through `server`, `api`, `shared_server`...) runs once on each.
Mark it `@pytest.mark.backend_neutral` when its behaviour cannot differ by database: request
payload validation, problem document shapes, command-line parsing, files in the data folder,
signatures. It then runs on SQLite only. Whatever reads or writes rows the way a database may
differ on stays on both: races and locking, feeds and their order, statement storage and
queries, users, migrations. `@pytest.mark.parametrize("backend", [...], indirect=True)` picks
the backends of a test outright.

Under `make pytest` each xdist worker starts its own cluster (on a free port, in a folder of
its own) and loads its own templates: nothing here is shared between processes.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from server_fixture import ServerClock

from reference_server import ReferenceServer
from reference_server.admin import Admin
from reference_server.backend import Backend

from .postgres_cluster import ClusterUnavailable, PostgresCluster
from .testkit import Api, write_curriculum

BACKENDS = ("sqlite", "postgresql")
NEUTRAL = "backend_neutral"
CLUSTER_ATTEMPTS = 3
"""A cluster's port is free when chosen; another process may take it before PostgreSQL binds."""


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test using `backend` runs on both, a backend-neutral one on SQLite only."""
    if "backend" not in metafunc.fixturenames:
        return
    for mark in metafunc.definition.iter_markers("parametrize"):
        names = mark.args[0] if mark.args else mark.kwargs.get("argnames", "")
        if "backend" in (names.replace(" ", "").split(",") if isinstance(names, str) else names):
            return
    neutral = metafunc.definition.get_closest_marker(NEUTRAL) is not None
    backends = BACKENDS[:1] if neutral else BACKENDS
    metafunc.parametrize("backend", backends, indirect=True, scope="session")


@dataclass(frozen=True)
class Template:
    """A data folder with the test curriculum loaded; on PostgreSQL also the database that
    holds it, which each test's database is created from."""

    root: Path
    database: str | None


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A PostgreSQL cluster of the test run's own; a test on it fails if it cannot start."""
    failure = ""
    for _attempt in range(CLUSTER_ATTEMPTS):
        try:
            cluster = PostgresCluster().start()
        except ClusterUnavailable as error:
            failure = str(error)  # failed below, outside the handler: the sentence alone is shown
        else:
            failure = ""
            break
    if failure:
        pytest.fail(failure, pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    """The database the server test runs on (parametrized by `pytest_generate_tests`)."""
    return str(request.param)


@pytest.fixture(scope="session")
def now() -> datetime:
    """When the test curricula were written (their check-in windows are open around it)."""
    return datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(scope="session")
def written_curriculum(tmp_path_factory: pytest.TempPathFactory, now: datetime) -> Path:
    """The test curriculum's files, written once (whichever database loads them)."""
    return write_curriculum(tmp_path_factory.mktemp("curriculum") / "curriculum", now)


@pytest.fixture(scope="session")
def templates() -> dict[str, Template]:
    """The loaded templates by backend, kept for the whole run: a worker that takes one file
    after another switches backends at each, and loads each backend's template once."""
    return {}


@pytest.fixture(scope="session")
def loaded_template(
    tmp_path_factory: pytest.TempPathFactory,
    written_curriculum: Path,
    backend: str,
    request: pytest.FixtureRequest,
    templates: dict[str, Template],
) -> Template:
    """A data folder with the curriculum loaded, made once and copied for each test."""
    if backend not in templates:
        templates[backend] = _load_template(tmp_path_factory, written_curriculum, backend, request)
    return templates[backend]


def _load_template(
    tmp_path_factory: pytest.TempPathFactory,
    written_curriculum: Path,
    backend: str,
    request: pytest.FixtureRequest,
) -> Template:
    root = tmp_path_factory.mktemp(f"template-{backend}")
    cluster = _cluster(request, backend)
    database = cluster.new_database() if cluster else None
    loaded = Backend.open(root / "data", _url(cluster, database))
    try:
        Admin(loaded).load_curriculum(written_curriculum)
    finally:
        loaded.close()
    return Template(root, database)


def _cluster(request: pytest.FixtureRequest, backend: str) -> PostgresCluster | None:
    if backend != "postgresql":
        return None
    cluster = request.getfixturevalue("postgres_cluster")
    assert isinstance(cluster, PostgresCluster)
    return cluster


def _url(cluster: PostgresCluster | None, database: str | None) -> str | None:
    return cluster.url(database) if cluster and database else None


@contextmanager
def _database_copy(
    request: pytest.FixtureRequest, backend: str, template: Template
) -> Iterator[str | None]:
    """The URL of a fresh copy of the template's database (None: SQLite in the data folder)."""
    cluster = _cluster(request, backend)
    if cluster is None:
        yield None
        return
    name = cluster.new_database(template.database)
    try:
        yield cluster.url(name)
    finally:
        cluster.drop_database(name)


@pytest.fixture
def empty_database_url(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path
) -> Iterator[str]:
    """A database with nothing in it on the backend under test (on SQLite, a file not made yet)."""
    cluster = _cluster(request, backend)
    if cluster is None:
        yield f"sqlite:///{(tmp_path / 'empty.sqlite3').as_posix()}"
        return
    name = cluster.new_database()
    try:
        yield cluster.url(name)
    finally:
        cluster.drop_database(name)


@pytest.fixture
def database_url(
    request: pytest.FixtureRequest, backend: str, loaded_template: Template
) -> Iterator[str | None]:
    """This test's own database, loaded like the template."""
    with _database_copy(request, backend, loaded_template) as url:
        yield url


@pytest.fixture
def curriculum(tmp_path: Path, written_curriculum: Path) -> Path:
    return Path(shutil.copytree(written_curriculum, tmp_path / "curriculum"))


@pytest.fixture
def server(
    tmp_path: Path, loaded_template: Template, database_url: str | None, server_clock: ServerClock
) -> Iterator[ReferenceServer]:
    """A started server of its own, with the test curriculum already published."""
    data = shutil.copytree(loaded_template.root / "data", tmp_path / "data")
    with ReferenceServer(data, database_url=database_url, clock=server_clock) as running:
        yield running


@pytest.fixture
def api(server: ReferenceServer) -> Iterator[Api]:
    client = Api(server.url, "ana")
    yield client
    client.close()


@pytest.fixture(scope="module")
def shared_server(
    tmp_path_factory: pytest.TempPathFactory,
    loaded_template: Template,
    backend: str,
    request: pytest.FixtureRequest,
) -> Iterator[ReferenceServer]:
    """One server for a whole module, for tests that do not depend on each other's changes."""
    root = loaded_template.root / "data"
    data = shutil.copytree(root, tmp_path_factory.mktemp("shared") / "data")
    with (
        _database_copy(request, backend, loaded_template) as url,
        ReferenceServer(data, database_url=url) as running,
    ):
        yield running


@pytest.fixture(scope="module")
def shared_api(shared_server: ReferenceServer) -> Iterator[Api]:
    client = Api(shared_server.url, "ana")
    yield client
    client.close()
