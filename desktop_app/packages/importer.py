"""Importing a course package: checked whole before anything is placed in the content store.

The order: the manifest is read and must name the account's server; its signature must be the
server's (with the key kept from the server, so no network is needed); every entry of the zip
must be one the manifest lists, with sane sizes; then each file is unpacked into a staging
folder beside the store's partial files, counted and hashed. Only when all of them match are
they moved into the store, each by one rename. A refused package leaves the store and the
cache as they were.

The course then counts as downloaded. Its catalog rows are merged into the cache if the cache
has never pulled the catalog (a computer pre-loaded before its first sync); once the catalog
has been pulled, a course it does not list is one the learner cannot see yet, and only its
files are kept: they are there, already downloaded, the day the catalog lists the course.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.models import Course, SyncState
from desktop_app.packages.archive import PackageArchive
from desktop_app.packages.manifest import (
    MANIFEST_NAME,
    SIGNATURE_NAME,
    Manifest,
    parse_manifest,
    signed_bytes,
)
from desktop_app.packages.refusals import NOT_A_PACKAGE, OTHER_SERVER, PackageError
from desktop_app.packages.server_key import ServerKey
from desktop_app.sync.catalog import apply_catalog_page

CATALOG_STREAM = "catalog"


@dataclass(frozen=True)
class ImportResult:
    course_id: str
    course_title: str
    files_added: int
    bytes_added: int
    listed: bool  # the course is in this computer's catalog (merged now or known before)


def import_package(path: Path, store: ContentStore, db: Database, key: ServerKey) -> ImportResult:
    """Check and import the package at `path`; PackageError (nothing changed) if refused."""
    with PackageArchive(path) as archive:
        manifest = _signed_manifest(archive, key)
        archive.check_entries(manifest)
        missing = [item for item in manifest.files if not store.has(item.sha256)]
        with _staging(store) as staging:
            for item in missing:
                with open(staging / item.sha256, "wb") as out:
                    archive.unpack(item, out)
            for item in missing:
                store.place(item.sha256, staging / item.sha256)
    listed = _merge_catalog(db, manifest)
    added = sum(item.size for item in missing)
    return ImportResult(manifest.course_id, manifest.course.title, len(missing), added, listed)


def _signed_manifest(archive: PackageArchive, key: ServerKey) -> Manifest:
    raw = archive.metadata(MANIFEST_NAME)
    manifest = parse_manifest(raw)
    if manifest.server_id != key.server_id:
        raise PackageError(OTHER_SERVER.format(server=manifest.server_id[:40]))
    try:
        signature = json.loads(archive.metadata(SIGNATURE_NAME))["signature"]
    except (ValueError, KeyError, TypeError) as error:
        raise PackageError(NOT_A_PACKAGE.format()) from error
    key.verify(str(signature), signed_bytes(manifest.document))
    return manifest


@contextmanager
def _staging(store: ContentStore) -> Iterator[Path]:
    """A folder on the store's file system (so placing a file is a rename), removed after."""
    store.partial_folder.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="import-", dir=store.partial_folder))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _merge_catalog(db: Database, manifest: Manifest) -> bool:
    """Add the course's rows to a cache that has never pulled the catalog; True if the course
    is in the cache afterwards."""
    with db.session() as session:
        if session.get(Course, manifest.course_id) is not None:
            return True
        pulled = session.get(SyncState, CATALOG_STREAM)
        if pulled is not None and pulled.last_synced_at is not None:
            return False
        apply_catalog_page(session, [manifest.course])
        return True
