"""Sharing tests: real share servers and real reference servers on loopback.

Two learners of one reference server, each with a cache and a content store of their own, and
a course of two files published on the server and in both catalogs (`peer_samples`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The course samples of the download tests (published on the server, mirrored into a cache),
# and the learners and peers of these.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "downloads"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from downloads_samples import mirror_catalog, publish_course, random_file
from peer_samples import COURSE, Learner

from desktop_app.api.client import ApiClient
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from reference_server.server import ReferenceServer


@pytest.fixture
def learners(
    tmp_path: Path, client: ApiClient, digests: list[str]
) -> Iterator[tuple[Learner, Learner]]:
    """Two account folders with the course in their catalogs, nothing downloaded yet."""
    pair = []
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        db = Database(tmp_path / name / "cache.sqlite3")
        mirror_catalog(client, db)
        pair.append(Learner(db, ContentStore(tmp_path / name / "content")))
    yield pair[0], pair[1]
    for learner in pair:
        learner.db.close()


@pytest.fixture
def digests(reference_server: ReferenceServer, client: ApiClient) -> list[str]:
    files = [random_file("intro.mp4", 700_000), random_file("notes.pdf", 90_000, "document")]
    published: list[str] = publish_course(reference_server, COURSE, files)
    return published
