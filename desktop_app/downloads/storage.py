"""Disk space taken by downloaded courses, and removing downloads without breaking another course.

A file shared by two courses is stored once. Each course's space counts every stored file it
uses (so shared files appear under each), while the total counts each file once.

The storage report lists the courses that have downloads: those that asked for them (rows in the
download queue) and those holding stored files no such course uses; a course that merely shares
a file with a downloaded course is not listed.

Removing a course's downloads deletes only the files no other course still needs. Another course
needs a shared file when it asked for downloads itself (it has rows in the download queue), or
when it holds stored files of its own beyond those it shares with the course being removed (it
was downloaded some other way, e.g. from a course package).

Removing downloads never touches progress. `StorageService` takes the files out of the download
queue first: their downloads stop, and their jobs are forgotten once the files are gone.

The content store is shared by every account on the computer; these decisions see the catalog
of the signed-in account only. A file removed here that another account still uses is fetched
again when that account next needs it.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select

from desktop_app.content_store import ContentStore, is_sha256
from desktop_app.db import Database
from desktop_app.downloads.manager import DownloadManager
from desktop_app.downloads.plan import DiskUsage, free_bytes
from desktop_app.downloads.queue_state import Selection
from desktop_app.models import Asset, Course, DownloadJob, Lesson, LessonAsset


@dataclass(frozen=True)
class CourseUsage:
    course_id: str
    title: str
    stored_bytes: int
    stored_files: int
    total_bytes: int
    total_files: int
    shared_files: int  # stored files another course uses too

    @property
    def complete(self) -> bool:
        return self.stored_files == self.total_files


@dataclass(frozen=True)
class StorageReport:
    courses: tuple[CourseUsage, ...]
    total_bytes: int  # every stored file of these courses, counted once
    free_bytes: int


@dataclass(frozen=True)
class Removal:
    files_removed: int
    bytes_freed: int
    files_kept: int  # shared files another course still needs


@dataclass(frozen=True)
class _Catalog:
    """What the catalog says: which course uses which file, and each file's size."""

    files: dict[str, set[str]]  # course id -> sha256s
    sizes: dict[str, int]
    titles: dict[str, str]
    requested: dict[str, set[str]]  # course id -> sha256s of its rows in the download queue
    users: dict[str, int]  # sha256 -> how many courses use it


class Storage:
    """Space used per course, and removal of downloaded files."""

    def __init__(
        self, db: Database, store: ContentStore, disk_usage: DiskUsage = shutil.disk_usage
    ) -> None:
        self._db = db
        self._store = store
        self._disk_usage = disk_usage

    def report(self) -> StorageReport:
        catalog = self._catalog()
        present = self._store.present(set(catalog.sizes))
        holders = self._holders(catalog, present)
        rows = [self._usage(catalog, cid, present) for cid in catalog.titles if cid in holders]
        courses = tuple(row for row in rows if row.stored_files)
        stored = set().union(*(catalog.files[c.course_id] & present for c in courses))
        return StorageReport(
            courses,
            sum(catalog.sizes[sha] for sha in stored),
            free_bytes(self._store.root, self._disk_usage),
        )

    def remove_course(self, course_id: str) -> Removal:
        """Delete the course's files that no other course needs, and its queue rows."""
        catalog = self._catalog()
        mine = catalog.files.get(course_id, set())
        present = self._store.present(mine)
        keep = self._needed_by_others(catalog, course_id, present)
        self._delete_rows(DownloadJob.course_id == course_id)
        queued_by_others = set().union(
            *(rows for other, rows in catalog.requested.items() if other != course_id)
        )
        return self._remove_files(present - keep, len(keep), partial=mine - queued_by_others)

    def remove_all(self) -> Removal:
        """Delete every file of this catalog and every partial file; empty the queue."""
        catalog = self._catalog()
        with self._db.session() as session:
            queued = set(session.scalars(select(DownloadJob.sha256)))
        self._delete_rows(DownloadJob.id.is_not(None))
        present = self._store.present(set(catalog.sizes) | queued)
        return self._remove_files(present, 0, partial=queued | set(catalog.sizes))

    def release(self, digests: Iterable[str]) -> Removal:
        """The sync says these files are gone from the catalog: delete them and their rows.

        A digest some lesson still refers to is kept (its row too)."""
        catalog = self._catalog()
        wanted = {d for d in digests if is_sha256(d)}
        gone = {sha for sha in wanted if not catalog.users.get(sha)}
        self._delete_rows(DownloadJob.sha256.in_(gone))
        return self._remove_files(self._store.present(gone), len(wanted - gone), partial=gone)

    @staticmethod
    def _holders(catalog: _Catalog, present: set[str]) -> set[str]:
        """Courses that have downloads: they asked for them, or hold files no such course uses.

        A course that merely shares a file with a downloaded course is not listed."""
        requested = set(catalog.requested)
        claimed = set().union(*(catalog.files.get(course, set()) for course in requested))
        own = {course for course, files in catalog.files.items() if (files & present) - claimed}
        return requested | own

    def _needed_by_others(self, catalog: _Catalog, course_id: str, present: set[str]) -> set[str]:
        keep: set[str] = set()
        mine = catalog.files.get(course_id, set())
        for other, files in catalog.files.items():
            shared = files & present
            if other == course_id or not shared:
                continue
            own_files = self._store.present(files - mine)
            if other in catalog.requested or own_files:
                keep |= shared
        return keep

    def _remove_files(self, digests: set[str], kept: int, *, partial: set[str]) -> Removal:
        freed = sum(self._store.remove(sha) for sha in digests)
        freed += sum(self._store.remove_partial(sha) for sha in partial if is_sha256(sha))
        return Removal(len(digests), freed, kept)

    def _delete_rows(self, condition: object) -> None:
        with self._db.session() as session:
            session.execute(delete(DownloadJob).where(condition))  # type: ignore[arg-type]

    def _usage(self, catalog: _Catalog, course_id: str, present: set[str]) -> CourseUsage:
        files = catalog.files.get(course_id, set())
        stored = files & present
        shared = {sha for sha in stored if catalog.users.get(sha, 0) > 1}
        return CourseUsage(
            course_id,
            catalog.titles[course_id],
            sum(catalog.sizes[sha] for sha in stored),
            len(stored),
            sum(catalog.sizes[sha] for sha in files),
            len(files),
            len(shared),
        )

    def _catalog(self) -> _Catalog:
        query = (
            select(Lesson.course_id, Asset.sha256, Asset.size)
            .select_from(LessonAsset)
            .join(Asset, Asset.sha256 == LessonAsset.sha256)
            .join(Lesson, Lesson.id == LessonAsset.lesson_id)
        )
        files: dict[str, set[str]] = defaultdict(set)
        sizes: dict[str, int] = {}
        with self._db.session() as session:
            for course_id, sha, size in session.execute(query):
                files[course_id].add(sha)
                sizes[sha] = size
            courses = session.execute(select(Course.id, Course.title).order_by(Course.position))
            titles = {course_id: title for course_id, title in courses}
            requested: dict[str, set[str]] = defaultdict(set)
            queue = session.execute(select(DownloadJob.course_id, DownloadJob.sha256))
            for course_id, sha in queue:
                requested[course_id].add(sha)
        users: dict[str, int] = defaultdict(int)
        for course_files in files.values():
            for sha in course_files:
                users[sha] += 1
        return _Catalog(dict(files), sizes, titles, dict(requested), dict(users))


class StorageService:
    """The storage report and removals, each removal coordinated with the download queue."""

    def __init__(self, storage: Storage, queue: DownloadManager) -> None:
        self._storage, self._queue = storage, queue

    def report(self) -> StorageReport:
        return self._storage.report()

    def remove_course(self, course_id: str) -> Removal:
        """Cancel the course's downloads and delete its files that no other course needs."""
        return self._queue.withdraw(
            Selection(course_id), lambda: self._storage.remove_course(course_id)
        )

    def remove_all(self) -> Removal:
        """Cancel every download and delete every downloaded file of this catalog."""
        return self._queue.withdraw(Selection(), self._storage.remove_all)

    def release(self, digests: Iterable[str]) -> Removal:
        """Files the sync reports gone: cancel their downloads and delete them if unused."""
        gone = frozenset(digests)
        return self._queue.withdraw(Selection(digests=gone), lambda: self._storage.release(gone))
