"""One file at a time against the reference server: resume, restart, verification."""

from __future__ import annotations

import hashlib

from downloads_samples import (
    WAIT,
    MakeManager,
    MiB,
    asset_requests,
    mirror_catalog,
    publish_course,
    random_file,
)

from desktop_app.api.client import ApiClient
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.downloads import DownloadState, lesson_files
from reference_server.server import ReferenceServer

ASSETS = "/api/v1/assets/"


def test_a_dropped_download_resumes_with_range_from_the_partial_file(
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    store: ContentStore,
    make_manager: MakeManager,
) -> None:
    big = random_file("lecture.mp4", 3 * MiB)
    (digest,) = publish_course(reference_server, "c-resume", [big])
    mirror_catalog(client, db)
    reference_server.faults.add(ASSETS, drop_after_bytes=MiB)
    manager = make_manager()

    manager.download(manager.plan("c-resume"))
    manager.start()

    assert manager.wait_until_idle(WAIT)
    first, second = asset_requests(reference_server, digest)
    assert "range" not in first
    resumed_from = int(second["range"].removeprefix("bytes=").removesuffix("-"))
    assert 0 < resumed_from <= MiB
    assert second["if-range"] == f'"{digest}"'
    assert store.path_for(digest).read_bytes() == big.data
    assert not store.partial_path(digest).exists()
    assert manager.snapshot().course("c-resume").state == DownloadState.DONE


def test_a_server_copy_that_does_not_match_its_checksum_is_never_kept(
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    store: ContentStore,
    make_manager: MakeManager,
) -> None:
    sample = random_file("damaged.mp4", 512 * 1024)
    (digest,) = publish_course(reference_server, "c-corrupt", [sample])
    mirror_catalog(client, db)
    damaged = bytearray(sample.data)
    damaged[1000] ^= 0xFF
    reference_server.backend.assets.path_of(digest).write_bytes(bytes(damaged))
    manager = make_manager()

    manager.download(manager.plan("c-corrupt"))
    manager.start()

    assert manager.wait_until_idle(WAIT)
    (job,) = manager.snapshot().jobs_of("c-corrupt")
    assert job.state == DownloadState.FAILED
    assert "damaged" in job.error and "checksum" in job.error
    assert len(asset_requests(reference_server, digest)) == 2  # fetched again once, then gave up
    assert not store.has(digest)
    assert not store.partial_path(digest).exists()
    files = lesson_files(db, store, "l-c-corrupt-0")
    assert files is not None and files.files == {} and files.missing == ("media",)


def test_a_damaged_partial_file_is_detected_and_fetched_again_from_the_start(
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    store: ContentStore,
    make_manager: MakeManager,
) -> None:
    sample = random_file("notes.pdf", MiB, role="document")
    (digest,) = publish_course(reference_server, "c-partial", [sample])
    mirror_catalog(client, db)
    store.partial_path(digest).parent.mkdir(parents=True)
    store.partial_path(digest).write_bytes(b"\0" * 4096)  # not the file's first bytes
    manager = make_manager()

    manager.download(manager.plan("c-partial"))
    manager.start()

    assert manager.wait_until_idle(WAIT)
    resumed, fresh = asset_requests(reference_server, digest)
    assert resumed["range"] == "bytes=4096-"
    assert "range" not in fresh
    assert hashlib.sha256(store.path_for(digest).read_bytes()).hexdigest() == digest


class StaleValidator:
    """Sends an outdated If-Range validator, as if the partial file came from another copy."""

    def __init__(self, client: ApiClient) -> None:
        self._client = client

    def open_asset_stream(self, sha256: str, start_byte: int = 0, etag: str | None = None):  # type: ignore[no-untyped-def]
        return self._client.open_asset_stream(sha256, start_byte, '"stale"' if etag else None)


def test_a_whole_file_answer_to_a_range_request_starts_over(
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    store: ContentStore,
    make_manager: MakeManager,
) -> None:
    sample = random_file("audio.wav", MiB)
    (digest,) = publish_course(reference_server, "c-whole", [sample])
    mirror_catalog(client, db)
    store.partial_path(digest).parent.mkdir(parents=True)
    store.partial_path(digest).write_bytes(sample.data[:300_000])
    manager = make_manager(source=StaleValidator(client))

    manager.download(manager.plan("c-whole"))
    manager.start()

    assert manager.wait_until_idle(WAIT)
    (request,) = asset_requests(reference_server, digest)
    assert request["range"] == "bytes=300000-"  # answered 200: the whole file
    assert store.path_for(digest).read_bytes() == sample.data
