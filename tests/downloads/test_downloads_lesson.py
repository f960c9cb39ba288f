"""One lesson: its download plan and queue, and studying it from the server before it is
downloaded (media streamed through the loopback relay with Range, a reading fetched)."""

from __future__ import annotations

import hashlib
from typing import cast

import pytest
import requests
from downloads_samples import (
    WAIT,
    MakeManager,
    MiB,
    asset_requests,
    mirror_catalog,
    publish_course,
    random_file,
    unreachable_client,
)

from desktop_app.api.client import ApiClient
from desktop_app.api.errors import ApiError
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.downloads import DownloadState
from desktop_app.downloads.fetch import AssetSource
from desktop_app.downloads.online import OnlineLessons
from desktop_app.downloads.queue_state import combined_speed
from desktop_app.downloads.relay import AssetRelay, Span, requested_span
from desktop_app.downloads.snapshot import JobStatus
from reference_server.server import ReferenceServer


def test_one_lesson_is_planned_and_queued_alone(
    reference_server: ReferenceServer, client: ApiClient, db: Database, make_manager: MakeManager
) -> None:
    files = [random_file("a.mp4", 3000), random_file("b.mp4", 5000)]
    _a, b = publish_course(reference_server, "c-one", files, title="One lesson course")
    mirror_catalog(client, db)
    manager = make_manager()

    plan = manager.plan_lesson("l-c-one-1")
    queued = manager.download(plan)
    manager.start()

    assert (plan.scope_title, plan.course_title, plan.what) == (
        "Lesson 2: b.mp4",
        "One lesson course",
        "This lesson",
    )
    assert ([a.sha256 for a in plan.assets], plan.bytes_to_fetch, queued) == ([b], 5000, 1)
    assert manager.wait_until_idle(WAIT)
    jobs = manager.snapshot().jobs
    assert [(job.sha256, job.label, job.state) for job in jobs] == [
        (b, "Lesson 2: b.mp4", DownloadState.DONE)
    ]


def _status(job_id: int, speed: float | None) -> JobStatus:
    state = DownloadState.RUNNING
    return JobStatus(job_id, "c", "0" * 64, "x", 10, 0, state, "", speed, None)


def test_a_course_goes_as_fast_as_its_files_together() -> None:
    assert combined_speed([_status(1, 1000.0), _status(2, 500.0), _status(3, None)]) == 1500.0
    assert combined_speed([_status(1, None)]) is None


@pytest.mark.parametrize(
    ("header", "span"),
    [
        (None, None),
        ("bytes=0-", Span(0, 99)),
        ("bytes=40-", Span(40, 99)),
        ("bytes=40-49", Span(40, 49)),
        ("bytes=90-500", Span(90, 99)),
        ("bytes=-10", Span(90, 99)),
        ("bytes=1-2, 5-6", None),
        ("bytes=50-40", None),  # backwards: no valid range, so the whole file
    ],
)
def test_the_relay_reads_one_range(header: str | None, span: Span | None) -> None:
    assert requested_span(header, 100) == span


@pytest.mark.parametrize(
    ("header", "size"), [("bytes=100-", 100), ("bytes=-0", 100), ("bytes=-5", 0)]
)
def test_the_relay_refuses_a_range_with_no_bytes(header: str, size: int) -> None:
    with pytest.raises(ValueError):
        requested_span(header, size)


def test_the_relay_answers_a_path_that_is_not_ascii_as_unknown() -> None:
    relay = AssetRelay(cast(AssetSource, None))
    assert relay.file("/é/" + "0" * 64) is None


def test_a_streamed_lesson_seeks_by_range_against_the_server(
    reference_server: ReferenceServer, client: ApiClient, db: Database, store: ContentStore
) -> None:
    video = random_file("talk.mp4", 2 * MiB)
    (digest,) = publish_course(reference_server, "c-stream", [video])
    mirror_catalog(client, db)
    online = OnlineLessons(db, store, client)
    try:
        content = online.open("l-c-stream-0")
        assert content is not None and not content.missing_required and not content.downloaded
        url = content.streams["media"]
        assert url.startswith("http://127.0.0.1:")
        reference_server.clear_requests()

        middle = requests.get(url, headers={"Range": "bytes=1048576-"}, timeout=WAIT)
        tail = requests.get(url, headers={"Range": "bytes=2097000-2097099"}, timeout=WAIT)
        whole = requests.get(url, timeout=WAIT)
        stranger = requests.get(url.rsplit("/", 2)[0] + "/guess/" + digest, timeout=WAIT)
    finally:
        online.close()

    assert (middle.status_code, middle.headers["Content-Range"]) == (
        206,
        f"bytes 1048576-{2 * MiB - 1}/{2 * MiB}",
    )
    assert middle.content == video.data[MiB:]
    assert (tail.status_code, tail.content) == (206, video.data[2097000:2097100])
    assert whole.status_code == 200 and hashlib.sha256(whole.content).hexdigest() == digest
    assert stranger.status_code == 404
    sent = [headers.get("range") for headers in asset_requests(reference_server, digest)]
    assert "bytes=1048576-" in sent and "bytes=2097000-" in sent  # the seek went by Range
    assert not store.has(digest)  # streamed, not stored


def test_a_reading_is_fetched_into_the_store_and_verified(
    reference_server: ReferenceServer, client: ApiClient, db: Database, store: ContentStore
) -> None:
    body = random_file("notes.html", 4000, role="body")
    (digest,) = publish_course(reference_server, "c-read", [body])
    mirror_catalog(client, db)
    online = OnlineLessons(db, store, client)

    content = online.open("l-c-read-0")

    assert content is not None and content.downloaded and store.has(digest)
    assert content.files["body"].read_bytes() == body.data


def test_offline_a_lesson_cannot_be_opened_from_the_server(
    reference_server: ReferenceServer, client: ApiClient, db: Database, store: ContentStore
) -> None:
    publish_course(reference_server, "c-off", [random_file("v.mp4", 1000)])
    mirror_catalog(client, db)
    online = OnlineLessons(db, store, unreachable_client())

    with pytest.raises(ApiError):
        online.open("l-c-off-0")
    assert online.open("no-such-lesson") is None


def test_a_video_streams_even_when_its_captions_cannot_be_fetched(
    reference_server: ReferenceServer, client: ApiClient, db: Database, store: ContentStore
) -> None:
    video, captions = random_file("v.mp4", 5000), random_file("v.vtt", 300, role="captions")
    digests = [reference_server.admin.add_asset_bytes(f.data) for f in (video, captions)]
    assets = [
        {"sha256": digest, "role": f.role, "name": f.name}
        for f, digest in zip((video, captions), digests, strict=True)
    ]
    lesson = {"id": "l-cc", "title": "With captions", "kind": "video", "assets": assets}
    module = {"id": "m-cc", "title": "Module", "lessons": [lesson]}
    reference_server.admin.add_course({"id": "c-cc", "title": "CC", "modules": [module]})
    mirror_catalog(client, db)
    reference_server.faults.add(f"/api/v1/assets/{digests[1]}", status=404, count=10)
    online = OnlineLessons(db, store, client)
    try:
        content = online.open("l-cc")
    finally:
        online.close()

    assert content is not None and "media" in content.streams
    assert content.optional_file("captions") is None and not store.has(digests[1])
