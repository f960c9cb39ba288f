"""Course packages are exported by the demo learner from the real reference server, over
loopback, and imported into a fresh content store and cache."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from packages_samples import COURSE, Elsewhere, Exported, download, publish

from desktop_app.account import Account
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.packages import CoursePackages
from reference_server.server import ReferenceServer


@pytest.fixture
def store(tmp_path: Path) -> ContentStore:
    return ContentStore(tmp_path / "content")


@pytest.fixture
def exported(
    reference_server: ReferenceServer, account: Account, store: ContentStore, tmp_path: Path
) -> Exported:
    published = publish(reference_server)
    account.sync()
    assert download(account, store) == 0
    target = tmp_path / "out" / f"{COURSE}.zip"
    CoursePackages.of(account, store).export(COURSE, target)
    return Exported(target, published, account)


@pytest.fixture
def elsewhere(exported: Exported, tmp_path: Path) -> Iterator[Elsewhere]:
    store = ContentStore(tmp_path / "elsewhere" / "content")
    db = Database(tmp_path / "elsewhere" / "cache.sqlite3")
    packages = CoursePackages(exported.account.paths, db, store, api=None)
    yield Elsewhere(store, db, packages)
    db.close()
