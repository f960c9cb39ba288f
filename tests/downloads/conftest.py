"""Download tests run against the real reference server over loopback and real SQLite files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from downloads_samples import FAST_RETRY, MakeManager, StorageOf

from desktop_app.api.client import ApiClient
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.downloads import DownloadManager, Storage, StorageService


@pytest.fixture
def store(tmp_path: Path) -> ContentStore:
    return ContentStore(tmp_path / "content")


@pytest.fixture
def make_manager(db: Database, store: ContentStore, client: ApiClient) -> Iterator[MakeManager]:
    """Opens download managers on the test's database; every one is closed afterwards."""
    managers: list[DownloadManager] = []

    def make(**options: Any) -> DownloadManager:
        options.setdefault("retry", FAST_RETRY)
        options.setdefault("disk_floor_bytes", 0)
        source = options.pop("source", client)
        manager = DownloadManager(db, store, source, **options)
        managers.append(manager)
        return manager

    yield make
    for manager in managers:
        manager.close()


@pytest.fixture
def storage_of(db: Database, store: ContentStore) -> StorageOf:
    """The storage service over the test's database and store, removing through `manager`."""
    return lambda manager: StorageService(Storage(db, store), manager)
