"""The download queue: plan first, disk floor, parallel workers, pause/resume/cancel, restart."""

from __future__ import annotations

import shutil

import pytest
from downloads_samples import (
    STALLING_RETRY,
    WAIT,
    MakeManager,
    MiB,
    asset_requests,
    mirror_catalog,
    publish_course,
    random_file,
    range_start,
    unreachable_client,
    wait_for,
)

from desktop_app.api.client import ApiClient
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.downloads import (
    DownloadState,
    NotEnoughSpaceError,
    QueueSnapshot,
    SpaceCheck,
)
from desktop_app.downloads.plan import free_bytes
from desktop_app.downloads.units import MB
from desktop_app.models import DownloadJob
from reference_server.server import ReferenceServer

ASSETS = "/api/v1/assets/"


def job_states(db: Database) -> dict[str, str]:
    with db.session() as session:
        return {job.sha256: job.state for job in session.query(DownloadJob)}


def test_the_plan_counts_each_file_once_and_asks_the_server_nothing(
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    store: ContentStore,
    make_manager: MakeManager,
) -> None:
    shared = random_file("shared.png", 2000, role="image")
    publish_course(reference_server, "c-a", [shared, random_file("a.mp4", 5000), shared])
    mirror_catalog(client, db)
    reference_server.clear_requests()

    plan = make_manager().plan("c-a")

    assert (len(plan.assets), plan.total_bytes, plan.bytes_to_fetch) == (2, 7000, 7000)
    labels = [asset.label for asset in plan.assets]  # by lesson title, not by file name
    assert labels == ["Lesson 1: shared.png (picture shared.png)", "Lesson 2: a.mp4"]
    assert not [r for r in reference_server.requests if r.path.startswith(ASSETS)]


def test_a_download_that_would_cross_the_disk_floor_is_refused_before_anything_starts(
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    store: ContentStore,
    make_manager: MakeManager,
) -> None:
    (digest,) = publish_course(reference_server, "c-big", [random_file("big.mp4", 2 * MiB)])
    mirror_catalog(client, db)
    free = free_bytes(store.root)
    # The floor sits above what is free now (other programs may change that by a few MB).
    manager = make_manager(disk_floor_bytes=free + 100 * MiB, disk_usage=shutil.disk_usage)
    manager.start()
    plan = manager.plan("c-big")

    with pytest.raises(NotEnoughSpaceError) as refused:
        manager.download(plan)

    message = refused.value.message
    assert message.startswith("This course needs 2.0 MB, but Rounds keeps ")
    assert "free on this disk, so only 0 B can be used." in message
    assert job_states(db) == {}
    assert asset_requests(reference_server, digest) == []
    assert not store.has(digest) and not store.partial_path(digest).exists()
    roomy = make_manager(disk_floor_bytes=free - 1000 * MiB, disk_usage=shutil.disk_usage)
    assert roomy.check_space(plan).ok


class Disk:
    def __init__(self, free: int) -> None:
        self.free = free


def test_the_refusal_says_how_much_is_needed_and_what_the_floor_leaves() -> None:
    check = SpaceCheck("This course", 120 * MB, 580 * MB, 500 * MB)
    assert not check.ok
    assert check.message == (
        "This course needs 120 MB, but Rounds keeps 500 MB free on this disk, so only 80 MB can "
        "be used. Free up at least 40 MB of disk space, or download one module at a time."
    )
    queued = SpaceCheck("This module", 10 * MB, 580 * MB, 500 * MB, queued_bytes=75 * MB)
    assert "and 75 MB is still queued, so only 5.0 MB can be used" in queued.message
    assert "safety floor" not in queued.message


def test_an_asset_shared_by_two_courses_is_fetched_and_stored_once(
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    store: ContentStore,
    make_manager: MakeManager,
) -> None:
    shared = random_file("shared.mp4", 300_000)
    a_digests = publish_course(reference_server, "c-a", [shared, random_file("a.mp4", 1000)])
    b_digests = publish_course(reference_server, "c-b", [shared, random_file("b.mp4", 1000)])
    mirror_catalog(client, db)
    manager = make_manager()
    manager.start()

    manager.download(manager.plan("c-a"))
    assert manager.wait_until_idle(WAIT)
    plan_b = manager.plan("c-b")
    manager.download(plan_b)
    assert manager.wait_until_idle(WAIT)

    assert [a.present for a in plan_b.assets] == [True, False]
    assert len(asset_requests(reference_server, a_digests[0])) == 1
    stored = [p for p in store.root.rglob("*") if p.is_file()]
    assert sorted(p.name for p in stored) == sorted({*a_digests, *b_digests})
    snapshot = manager.snapshot()
    assert [c.state for c in snapshot.courses] == [DownloadState.DONE, DownloadState.DONE]
    assert snapshot.course("c-b").files == 2  # the shared file counts for B too


def test_progress_reaches_listeners_per_file_and_per_course(
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    make_manager: MakeManager,
) -> None:
    files = [random_file(f"part{n}.mp4", MiB) for n in range(3)]
    publish_course(reference_server, "c-progress", files, title="Progress course")
    mirror_catalog(client, db)
    seen: list[QueueSnapshot] = []
    manager = make_manager(parallelism=2)
    manager.add_listener(seen.append)

    manager.download(manager.plan("c-progress"))
    manager.start()

    assert manager.wait_until_idle(WAIT)
    wait_for(lambda: bool(seen) and seen[-1].courses[0].state == DownloadState.DONE)
    first, last = seen[0].course("c-progress"), seen[-1].course("c-progress")
    assert (first.title, first.size, first.files, first.bytes_done) == (
        "Progress course",
        3 * MiB,
        3,
        0,
    )
    assert (last.bytes_done, last.files_done, last.fraction) == (3 * MiB, 3, 1.0)
    running = [job for snap in seen for job in snap.jobs if job.state == "running"]
    titles = {f"Lesson {n + 1}: part{n}.mp4" for n in range(3)}  # lessons by title
    assert running and {job.label for job in running} <= titles
    assert not seen[-1].active


def test_the_queue_survives_a_restart_and_resumes_with_range(
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    store: ContentStore,
    make_manager: MakeManager,
) -> None:
    files = [random_file("big.mp4", 3 * MiB), random_file("s1.vtt", 5000), random_file("s2", 5000)]
    big, *small = publish_course(reference_server, "c-restart", files)
    mirror_catalog(client, db)
    reference_server.faults.add(ASSETS, drop_after_bytes=MiB)
    first = make_manager(parallelism=1, retry=STALLING_RETRY)
    first.download(first.plan("c-restart"))
    first.start()
    wait_for(lambda: reference_server.faults.pending == 0 and store.partial_size(big) > 0)

    first.close()  # the app quits mid-way
    kept = store.partial_size(big)
    assert 0 < kept < 3 * MiB
    assert job_states(db) == {
        big: DownloadState.QUEUED,
        small[0]: DownloadState.QUEUED,
        small[1]: DownloadState.QUEUED,
    }

    second = make_manager(parallelism=1)
    assert second.snapshot().course("c-restart").bytes_done == kept
    second.start()
    assert second.wait_until_idle(WAIT)

    assert range_start(asset_requests(reference_server, big)[-1]) == kept
    assert all(store.has(digest) for digest in (big, *small))
    assert store.path_for(big).read_bytes() == files[0].data
    assert set(job_states(db).values()) == {DownloadState.DONE}


def test_pause_keeps_the_partial_file_and_resume_continues_it(
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    store: ContentStore,
    make_manager: MakeManager,
) -> None:
    sample = random_file("lecture.mp4", 2 * MiB)
    (digest,) = publish_course(reference_server, "c-pause", [sample])
    mirror_catalog(client, db)
    reference_server.faults.add(ASSETS, drop_after_bytes=MiB)
    manager = make_manager(retry=STALLING_RETRY)
    manager.download(manager.plan("c-pause"))
    manager.start()
    wait_for(lambda: reference_server.faults.pending == 0 and store.partial_size(digest) > 0)

    manager.pause(course_id="c-pause")
    wait_for(lambda: not manager.snapshot().active)
    kept = store.partial_size(digest)
    assert manager.snapshot().course("c-pause").state == DownloadState.PAUSED
    assert job_states(db) == {digest: DownloadState.PAUSED} and kept > 0

    manager.resume(course_id="c-pause")
    assert manager.wait_until_idle(WAIT)
    assert range_start(asset_requests(reference_server, digest)[-1]) == kept
    assert store.path_for(digest).read_bytes() == sample.data


def test_cancel_removes_the_partial_file_and_the_job(
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    store: ContentStore,
    make_manager: MakeManager,
) -> None:
    (digest,) = publish_course(reference_server, "c-cancel", [random_file("x.mp4", 2 * MiB)])
    mirror_catalog(client, db)
    reference_server.faults.add(ASSETS, drop_after_bytes=MiB)
    manager = make_manager(retry=STALLING_RETRY)
    manager.download(manager.plan("c-cancel"))
    manager.start()
    wait_for(lambda: reference_server.faults.pending == 0 and store.partial_size(digest) > 0)

    manager.cancel(course_id="c-cancel")

    assert manager.wait_until_idle(WAIT)
    wait_for(lambda: not store.partial_path(digest).exists())
    assert job_states(db) == {}
    assert manager.snapshot().jobs == ()
    assert not store.has(digest)


def test_an_unreachable_server_pauses_the_queue_with_the_reason(
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    store: ContentStore,
    make_manager: MakeManager,
) -> None:
    publish_course(reference_server, "c-off", [random_file("a", 1000), random_file("b", 1000)])
    mirror_catalog(client, db)
    offline = unreachable_client()
    manager = make_manager(source=offline, parallelism=1)
    manager.download(manager.plan("c-off"))
    manager.start()

    assert manager.wait_until_idle(WAIT)
    offline.close()
    jobs = manager.snapshot().jobs_of("c-off")
    assert [job.state for job in jobs] == [DownloadState.PAUSED, DownloadState.PAUSED]
    assert all(job.error == jobs[0].error for job in jobs)
    assert offline.transport.host in jobs[0].error  # the transport's words for "unreachable"
    assert jobs[0].error.endswith("Downloads are paused; resume when back online.")
