"""Courses for the download tests: published on the reference server, mirrored into the cache."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from server_fixture import FAST_NETWORK
from sqlalchemy.orm import Session

from desktop_app.api.client import ApiClient
from desktop_app.api.documents import CourseDoc
from desktop_app.api.tokens import MemoryTokenStore, Tokens
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.downloads import DownloadManager, RetryPolicy, StorageService
from desktop_app.models import Asset, Course, Lesson, LessonAsset, Module
from reference_server.server import ReferenceServer

MiB = 1024 * 1024
REPOSITORY = Path(__file__).resolve().parents[2]
FAST_RETRY = RetryPolicy(attempts=3, verify_attempts=2, base_delay=0.01, max_delay=0.05, jitter=0)
"""Quick retries; the same rules as the app."""
STALLING_RETRY = RetryPolicy(attempts=3, verify_attempts=2, base_delay=60, max_delay=60, jitter=0)
"""Waits a minute before retrying, so a test can act while a download is stuck mid-way."""
WAIT = 30.0
MakeManager = Callable[..., DownloadManager]
StorageOf = Callable[[DownloadManager], StorageService]


@dataclass(frozen=True)
class SampleFile:
    name: str
    data: bytes
    role: str = "media"

    @property
    def kind(self) -> str:
        return {"media": "video", "body": "reading", "document": "pdf"}.get(self.role, "video")


def random_file(name: str, size: int, role: str = "media") -> SampleFile:
    return SampleFile(name, os.urandom(size), role)


def publish_course(
    server: ReferenceServer, course_id: str, files: Sequence[SampleFile], title: str = ""
) -> list[str]:
    """Publish a course with one lesson per file (in one module); returns the digests."""
    digests = [server.admin.add_asset_bytes(f.data, "application/octet-stream") for f in files]
    lessons = [
        {
            "id": f"l-{course_id}-{n}",
            "title": f"Lesson {n + 1}: {f.name}",
            "kind": f.kind,
            "assets": [{"sha256": digest, "role": f.role, "name": f.name}],
        }
        for n, (f, digest) in enumerate(zip(files, digests, strict=True))
    ]
    module = {"id": f"m-{course_id}", "title": "Module 1", "lessons": lessons}
    server.admin.add_course({"id": course_id, "title": title or course_id, "modules": [module]})
    return digests


def mirror_catalog(client: ApiClient, db: Database) -> None:
    """Copy the server's catalog into the local cache (what the sync does, simply)."""
    cursor, more = "", True
    while more:
        page = client.catalog_page(cursor)
        with db.session() as session:
            for item in page.items:
                if isinstance(item, CourseDoc):
                    _store_course(session, item)
        cursor, more = page.next_cursor, page.has_more


def _store_course(session: Session, doc: CourseDoc) -> None:
    existing = session.get(Course, doc.id)
    if existing is not None:
        session.delete(existing)
        session.flush()
    session.add(Course(id=doc.id, title=doc.title, summary=doc.summary, position=doc.position))
    for module in doc.modules:
        session.add(Module(id=module.id, course_id=doc.id, title=module.title))
        for lesson in module.lessons:
            session.add(
                Lesson(
                    id=lesson.id,
                    module_id=module.id,
                    course_id=doc.id,
                    title=lesson.title,
                    kind=lesson.kind,
                    position=lesson.position,
                    quiz_json=lesson.quiz_json,
                )
            )
            for asset in lesson.assets:
                if session.get(Asset, asset.sha256) is None:
                    session.add(Asset(sha256=asset.sha256, size=asset.size, mime_type="x/y"))
                session.add(
                    LessonAsset(
                        lesson_id=lesson.id,
                        sha256=asset.sha256,
                        role=asset.role,
                        name=asset.name,
                        language=asset.language,
                    )
                )
        session.flush()


def asset_requests(server: ReferenceServer, digest: str) -> list[Mapping[str, str]]:
    """The headers of every GET of one asset, in order."""
    path = f"/api/v1/assets/{digest}"
    return [r.headers for r in server.requests if r.method == "GET" and r.path == path]


def wait_for(condition: Callable[[], bool], timeout: float = WAIT) -> None:
    """Poll `condition` until it holds; fail the test if it never does."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.02)


def range_start(headers: Mapping[str, str]) -> int | None:
    """N of a `Range: bytes=N-` header, None without one."""
    value = headers.get("range")
    return None if value is None else int(value.removeprefix("bytes=").removesuffix("-"))


def unreachable_client() -> ApiClient:
    """A signed-in client for a server that is not there (nothing listens on its port)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    expires = datetime.now(UTC) + timedelta(hours=1)
    tokens = MemoryTokenStore(Tokens("access", "refresh", expires))
    return ApiClient(f"http://127.0.0.1:{port}", tokens=tokens, config=FAST_NETWORK)


HOLD = """
import sys
from pathlib import Path
from desktop_app.content_store import ContentStore
with ContentStore(Path(sys.argv[1])).holding_partial(sys.argv[2]):
    print("holding", flush=True)
    sys.stdin.read()
"""


@contextmanager
def held_elsewhere(store: ContentStore, digest: str) -> Iterator[Callable[[], None]]:
    """Another process holds the partial file's lock of `digest` (as another Rounds fetching
    it would) until the block calls the function it is given, or ends."""
    command = [sys.executable, "-c", HOLD, str(store.root), digest]
    holder = subprocess.Popen(
        command, cwd=REPOSITORY, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )

    def release() -> None:
        if holder.poll() is None:
            holder.communicate("", timeout=WAIT)

    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        yield release
    finally:
        release()
