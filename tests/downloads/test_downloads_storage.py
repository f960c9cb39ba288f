"""Space used per course and removing downloads: shared files stay, progress is never touched."""

from __future__ import annotations

import shutil
import uuid
from datetime import UTC, datetime

import pytest
from downloads_samples import (
    STALLING_RETRY,
    WAIT,
    MakeManager,
    MiB,
    StorageOf,
    mirror_catalog,
    publish_course,
    random_file,
    wait_for,
)

from desktop_app.api.client import ApiClient
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.downloads import DownloadManager
from desktop_app.models import Lesson, ProgressEvent
from reference_server.server import ReferenceServer

SHARED, ONLY_A, ONLY_B = 300_000, 1_000, 2_000


@pytest.fixture
def two_courses(reference_server: ReferenceServer, client: ApiClient, db: Database) -> list[str]:
    """Courses A and B sharing one file; returns [shared, only A, only B] digests."""
    shared = random_file("shared.mp4", SHARED)
    a = publish_course(reference_server, "c-a", [shared, random_file("a.mp4", ONLY_A)], "A")
    b = publish_course(reference_server, "c-b", [shared, random_file("b.mp4", ONLY_B)], "B")
    mirror_catalog(client, db)
    return [a[0], a[1], b[1]]


def download(manager: DownloadManager, *course_ids: str) -> None:
    manager.start()
    for course_id in course_ids:
        manager.download(manager.plan(course_id))
    assert manager.wait_until_idle(WAIT)


def record_progress(db: Database, course_id: str) -> None:
    with db.session() as session:
        seq = session.query(ProgressEvent).count() + 1
        session.add(
            ProgressEvent(
                id=str(uuid.uuid4()),
                seq=seq,
                lesson_id=f"l-{course_id}-0",
                course_id=course_id,
                verb="http://adlnet.gov/expapi/verbs/completed",
                occurred_at=datetime.now(UTC),
                statement_json="{}",
            )
        )


def progress_rows(db: Database) -> int:
    with db.session() as session:
        return session.query(ProgressEvent).count()


def test_each_course_counts_its_shared_files_and_the_total_counts_them_once(
    two_courses: list[str], make_manager: MakeManager, storage_of: StorageOf
) -> None:
    manager = make_manager()
    storage = storage_of(manager)
    download(manager, "c-a", "c-b")

    report = storage.report()

    usage = {row.course_id: row for row in report.courses}
    assert set(usage) == {"c-a", "c-b"}
    assert usage["c-a"].stored_bytes == SHARED + ONLY_A
    assert usage["c-b"].stored_bytes == SHARED + ONLY_B
    assert (usage["c-a"].shared_files, usage["c-a"].complete) == (1, True)
    assert report.total_bytes == SHARED + ONLY_A + ONLY_B
    assert report.free_bytes > 0


def test_removing_a_course_keeps_files_another_course_needs_and_all_progress(
    two_courses: list[str],
    db: Database,
    store: ContentStore,
    make_manager: MakeManager,
    storage_of: StorageOf,
) -> None:
    shared, only_a, only_b = two_courses
    manager = make_manager()
    storage = storage_of(manager)
    download(manager, "c-a", "c-b")
    record_progress(db, "c-a")
    record_progress(db, "c-b")

    removal = storage.remove_course("c-a")

    assert (removal.files_removed, removal.bytes_freed, removal.files_kept) == (1, ONLY_A, 1)
    assert not store.has(only_a) and store.has(shared) and store.has(only_b)
    assert [row.course_id for row in storage.report().courses] == ["c-b"]
    assert progress_rows(db) == 2

    storage.remove_course("c-b")
    assert not store.has(shared) and not store.has(only_b)
    assert storage.report().courses == ()
    assert progress_rows(db) == 2


def test_a_course_copied_in_another_way_still_keeps_its_shared_file(
    two_courses: list[str], store: ContentStore, make_manager: MakeManager, storage_of: StorageOf
) -> None:
    shared, _only_a, only_b = two_courses
    manager = make_manager()
    storage = storage_of(manager)
    download(manager, "c-a", "c-b")
    storage.remove_course("c-b")
    download(manager, "c-a")
    kept_copy = store.path_for(only_b)
    kept_copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(store.path_for(shared), kept_copy)  # stands for an imported course package

    storage.remove_course("c-a")

    assert store.has(shared)


def test_remove_all_empties_the_store_and_the_queue_but_not_progress(
    two_courses: list[str],
    db: Database,
    store: ContentStore,
    make_manager: MakeManager,
    storage_of: StorageOf,
) -> None:
    manager = make_manager()
    storage = storage_of(manager)
    download(manager, "c-a", "c-b")
    record_progress(db, "c-a")

    removal = storage.remove_all()

    assert removal.files_removed == 3
    assert not any(store.has(digest) for digest in two_courses)
    assert storage.report().courses == () and manager.snapshot().jobs == ()
    assert progress_rows(db) == 1


def test_release_deletes_files_the_catalog_no_longer_uses(
    two_courses: list[str],
    db: Database,
    store: ContentStore,
    make_manager: MakeManager,
    storage_of: StorageOf,
) -> None:
    shared, only_a, _only_b = two_courses
    manager = make_manager()
    storage = storage_of(manager)
    download(manager, "c-a", "c-b")
    with db.session() as session:  # the sync removed course A's lessons
        for lesson in session.query(Lesson).filter(Lesson.course_id == "c-a"):
            session.delete(lesson)

    removal = storage.release([shared, only_a])

    assert (removal.files_removed, removal.files_kept) == (1, 1)
    assert not store.has(only_a) and store.has(shared)


def test_removing_a_course_while_it_downloads_stops_it_and_deletes_the_partial_file(
    reference_server: ReferenceServer,
    client: ApiClient,
    db: Database,
    store: ContentStore,
    make_manager: MakeManager,
    storage_of: StorageOf,
) -> None:
    (digest,) = publish_course(reference_server, "c-busy", [random_file("x.mp4", 2 * MiB)])
    mirror_catalog(client, db)
    reference_server.faults.add("/api/v1/assets/", drop_after_bytes=MiB)
    manager = make_manager(retry=STALLING_RETRY)
    storage = storage_of(manager)
    manager.download(manager.plan("c-busy"))
    manager.start()
    wait_for(lambda: reference_server.faults.pending == 0 and store.partial_size(digest) > 0)

    storage.remove_course("c-busy")

    assert not store.partial_path(digest).exists() and not store.has(digest)
    assert manager.snapshot().jobs == () and manager.wait_until_idle(WAIT)
