"""Statements with attachments posted at once through two workers that share one PostgreSQL
database (one server on SQLite): the database's unique keys settle every race, never a 500;
identical content is 200 everywhere, other content under the same id is 409 (Part Three
2.1.2.s2.b4/b5, with the attachments compared as part of the statement)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import pytest
import requests

from reference_server import ReferenceServer

from ..testkit import Api
from .conftest import statement
from .multipart import Raw, attachment, multipart, read_multipart

POSTS = 8


@pytest.fixture
def devices(
    server: ReferenceServer, database_url: str | None, tmp_path: Path
) -> Iterator[list[Api]]:
    """Signed-in devices of ana's, spread over two workers on PostgreSQL."""
    with ExitStack() as stack:
        workers = [server]
        if database_url is not None:
            data = shutil.copytree(server.backend.data_dir, tmp_path / "second-worker")
            workers.append(stack.enter_context(ReferenceServer(data, database_url=database_url)))
        apis = [Api(workers[index % len(workers)].url, "ana") for index in range(POSTS)]
        for api in apis:
            stack.callback(api.close)
        yield apis


def _at_once(calls: list[Callable[[], requests.Response]]) -> list[requests.Response]:
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], requests.Response]) -> requests.Response:
        start.wait(timeout=30)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def _post(api: Api, body: bytes, content_type: str) -> Callable[[], requests.Response]:
    return lambda: api.xapi("POST", data=body, headers={"Content-Type": content_type})


def test_the_same_statement_with_attachments_at_once_is_200_and_kept_once(
    devices: list[Api],
) -> None:
    """2.1.2.s2.b4: an LRS MUST NOT make any modifications to its state based on receiving a
    Statement with an id it already has; every worker answers 200 with the id, and every
    worker returns the one part."""
    raw = Raw(b"the same notes from every device", "text/plain")
    item = statement(attachments=[attachment(raw)])
    body, content_type = multipart(item, raw)
    replies = _at_once([_post(api, body, content_type) for api in devices])
    assert [reply.status_code for reply in replies] == [200] * POSTS, [r.text for r in replies]
    for api in devices[:2]:
        got = api.xapi("GET", params={"statementId": item["id"], "attachments": "true"})
        parts = read_multipart(got.content, got.headers["Content-Type"])
        assert [content for _, content in parts[1:]] == [raw.content]


def test_other_attachments_under_one_id_at_once_are_409_never_500(devices: list[Api]) -> None:
    """2.1.2.s2.b5: a Statement whose id the LRS has, with other content (here another
    attachment), is 409 Conflict; the one kept is whole."""
    first, second = Raw(b"first notes", "text/plain"), Raw(b"second notes", "text/plain")
    item = statement()
    bodies = [multipart({**item, "attachments": [attachment(raw)]}, raw) for raw in (first, second)]
    calls = [_post(api, *bodies[index % 2]) for index, api in enumerate(devices)]
    statuses = {reply.status_code for reply in _at_once(calls)}
    assert statuses == {200, 409}
    got = devices[0].xapi("GET", params={"statementId": item["id"], "attachments": "true"})
    parts = read_multipart(got.content, got.headers["Content-Type"])
    kept = parts[1][0]["x-experience-api-hash"]
    assert kept in (first.digest, second.digest) and len(parts) == 2
