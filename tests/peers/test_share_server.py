"""The share server answers only for stored files by their SHA-256, with ranges, read-only."""

from __future__ import annotations

import hashlib
import http.client
import random
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.content_store import ContentStore
from desktop_app.peers.server import ShareServer

DATA = random.Random(16).randbytes(300_000)  # the same in every test process
DIGEST = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def share(tmp_path: Path) -> Iterator[ShareServer]:
    store = ContentStore(tmp_path / "content")
    store.path_for(DIGEST).parent.mkdir(parents=True)
    store.path_for(DIGEST).write_bytes(DATA)
    (tmp_path / "content" / "secret.txt").write_text("not shared")
    with ShareServer(store, "127.0.0.1", max_clients=2, timeout=5) as server:
        yield server


def ask(
    server: ShareServer, path: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_a_stored_file_is_served_whole_and_by_range(share: ShareServer) -> None:
    status, headers, body = ask(share, f"/sha256/{DIGEST}")
    assert (status, body, headers["ETag"]) == (200, DATA, f'"{DIGEST}"')

    status, headers, body = ask(share, f"/sha256/{DIGEST}", headers={"Range": "bytes=1000-"})
    assert (status, body) == (206, DATA[1000:])
    assert headers["Content-Range"] == f"bytes 1000-{len(DATA) - 1}/{len(DATA)}"

    status, headers, body = ask(share, f"/sha256/{DIGEST}", headers={"Range": "bytes=10-19"})
    assert (status, body) == (206, DATA[10:20])

    status, headers, body = ask(share, f"/sha256/{DIGEST}", "HEAD")
    assert (status, headers["Content-Length"], body) == (200, str(len(DATA)), b"")


def test_a_range_past_the_end_is_416(share: ShareServer) -> None:
    status, headers, _ = ask(share, f"/sha256/{DIGEST}", headers={"Range": f"bytes={len(DATA)}-"})
    assert (status, headers["Content-Range"]) == (416, f"bytes */{len(DATA)}")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/sha256/",
        f"/sha256/{'0' * 64}",  # not stored
        f"/sha256/{DIGEST.upper()}",
        f"/sha256/{DIGEST}/",
        f"/{DIGEST[:2]}/{DIGEST}",  # the store's own layout
        "/secret.txt",
        "/../secret.txt",
        f"/sha256/../{DIGEST[:2]}/{DIGEST}",
        "/partial/",
    ],
)
def test_nothing_else_is_answered(share: ShareServer, path: str) -> None:
    status, _, body = ask(share, path)
    assert (status, body) == (404, b"")


def test_nothing_is_written(share: ShareServer) -> None:
    for method in ("PUT", "POST", "DELETE"):
        status, headers, _ = ask(share, f"/sha256/{DIGEST}", method)
        assert (status, headers["Allow"]) == (405, "GET, HEAD")


def test_clients_beyond_the_bound_are_told_busy_and_stop_ends_cleanly(
    share: ShareServer,
) -> None:
    before = threading.active_count()
    held = [socket.create_connection(("127.0.0.1", share.port), timeout=10) for _ in range(2)]
    for connection in held:  # a request started and never finished keeps its thread
        connection.sendall(b"GET /sha256/")
    status = 0
    deadline_tries = 50
    while status != 503 and deadline_tries:
        status, _, _ = ask(share, f"/sha256/{DIGEST}")
        deadline_tries -= 1
    assert status == 503
    share.stop()
    assert threading.active_count() <= before
    for connection in held:
        connection.close()
