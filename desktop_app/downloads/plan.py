"""What a download would fetch, and whether the disk has room for it, before anything starts."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy import select

from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.downloads.units import format_bytes
from desktop_app.models import Asset, Course, Lesson, LessonAsset, Module
from desktop_app.text import translate

NO_LESSON = translate(
    "downloads", "There is no lesson “{lesson_id}” in this computer's catalog. Sync first."
)
CAPTIONS_LABEL = translate("downloads", "{lesson} (captions)")
NO_COURSE = translate(
    "downloads",
    "There is no course “{course_id}” in this computer's catalog. Sync first, or check the "
    "course id.",
)
NO_MODULE = translate("downloads", "The course “{course}” has no module “{module_id}”.")
THIS_LESSON = translate("downloads", "This lesson")
THIS_MODULE = translate("downloads", "This module")
THIS_COURSE = translate("downloads", "This course")
THIS_FILE = translate("downloads", "This file")
FITS = translate(
    "downloads",
    "{what} needs {needed}; {available} can be used on this disk (Rounds keeps {floor} free).",
)
TOO_BIG = translate(
    "downloads",
    "{what} needs {needed}, but Rounds keeps {floor} free on this disk, so only {available} can "
    "be used. Free up at least {short} of disk space, or download one module at a time.",
)
TOO_BIG_AFTER_QUEUE = translate(
    "downloads",
    "{what} needs {needed}, but Rounds keeps {floor} free on this disk and {queued} is still "
    "queued, so only {available} can be used. Free up at least {short} of disk space, or "
    "download one module at a time.",
)
IMAGE_LABEL = translate("downloads", "{lesson} (picture {name})")


class UnknownCourseError(LookupError):
    """The course (or module) is not in this computer's copy of the catalog."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PlannedAsset:
    sha256: str
    size: int
    label: str  # the file's name, or its lesson's title
    present: bool  # already verified in the store


@dataclass(frozen=True)
class DownloadPlan:
    """The unique files of a course (or one of its modules), and what is still missing."""

    course_id: str
    course_title: str
    module_id: str | None
    scope_title: str  # the course's title, or the module's
    assets: tuple[PlannedAsset, ...]
    partial_bytes: int  # of the missing files, already in partial files
    lesson_id: str | None = None  # a plan for one lesson's files

    @property
    def missing(self) -> tuple[PlannedAsset, ...]:
        return tuple(asset for asset in self.assets if not asset.present)

    @property
    def total_bytes(self) -> int:
        return sum(asset.size for asset in self.assets)

    @property
    def missing_bytes(self) -> int:
        return sum(asset.size for asset in self.missing)

    @property
    def bytes_to_fetch(self) -> int:
        """What still has to come over the network (partial files are resumed)."""
        return max(self.missing_bytes - self.partial_bytes, 0)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def what(self) -> str:
        if self.lesson_id:
            return THIS_LESSON
        return THIS_MODULE if self.module_id else THIS_COURSE


def plan_download(
    db: Database, store: ContentStore, course_id: str, module_id: str | None = None
) -> DownloadPlan:
    """The plan for a course, or for one module of it; UnknownCourseError if not cached."""
    course_title, scope_title = _titles(db, course_id, module_id)
    rows = _asset_rows(db, course_id, module_id)
    present = store.present(set(rows))
    assets = tuple(
        PlannedAsset(sha, size, label, sha in present) for sha, (size, label) in rows.items()
    )
    partial = sum(min(store.partial_size(a.sha256), a.size) for a in assets if not a.present)
    return DownloadPlan(course_id, course_title, module_id, scope_title, assets, partial)


def plan_lesson(db: Database, store: ContentStore, lesson_id: str) -> DownloadPlan:
    """The plan for one lesson's files; UnknownCourseError if the lesson is not cached."""
    with db.session() as session:
        lesson = session.get(Lesson, lesson_id)
        if lesson is None:
            raise UnknownCourseError(NO_LESSON.format(lesson_id=lesson_id))
        course_id, lesson_title = lesson.course_id, lesson.title
    course_title = _titles(db, course_id, None)[0]
    rows = _asset_rows(db, course_id, None, lesson_id)
    present = store.present(set(rows))
    assets = tuple(
        PlannedAsset(sha, size, label, sha in present) for sha, (size, label) in rows.items()
    )
    partial = sum(min(store.partial_size(a.sha256), a.size) for a in assets if not a.present)
    return DownloadPlan(
        course_id, course_title, None, lesson_title, assets, partial, lesson_id=lesson_id
    )


def _titles(db: Database, course_id: str, module_id: str | None) -> tuple[str, str]:
    with db.session() as session:
        course = session.get(Course, course_id)
        if course is None:
            raise UnknownCourseError(NO_COURSE.format(course_id=course_id))
        if module_id is None:
            return course.title, course.title
        module = session.get(Module, module_id)
        if module is None or module.course_id != course_id:
            raise UnknownCourseError(NO_MODULE.format(course=course.title, module_id=module_id))
        return course.title, module.title


def _asset_rows(
    db: Database, course_id: str, module_id: str | None, lesson_id: str | None = None
) -> dict[str, tuple[int, str]]:
    """sha256 -> (size, label) of the unique files of the course, module or lesson, in lesson
    order; a file is labelled by its lesson's title (`file_label`)."""
    query = (
        select(Asset.sha256, Asset.size, LessonAsset.role, LessonAsset.name, Lesson.title)
        .select_from(LessonAsset)
        .join(Asset, Asset.sha256 == LessonAsset.sha256)
        .join(Lesson, Lesson.id == LessonAsset.lesson_id)
        .join(Module, Module.id == Lesson.module_id)
        .where(Lesson.course_id == course_id)
        .order_by(Module.position, Lesson.position, LessonAsset.role, LessonAsset.name)
    )
    if module_id is not None:
        query = query.where(Lesson.module_id == module_id)
    if lesson_id is not None:
        query = query.where(Lesson.id == lesson_id)
    rows: dict[str, tuple[int, str]] = {}
    with db.session() as session:
        for sha, size, role, name, title in session.execute(query):
            rows.setdefault(sha, (size, file_label(title, role, name)))
    return rows


def file_label(lesson_title: str, role: str, name: str) -> str:
    """How the downloads page names a file: its lesson's title, with what the file is for
    when it is not the lesson's main file (captions, a reading's picture)."""
    if role == "captions":
        return CAPTIONS_LABEL.format(lesson=lesson_title)
    if role == "image":
        return IMAGE_LABEL.format(lesson=lesson_title, name=name)
    return lesson_title


class DiskUsageResult(Protocol):
    @property
    def free(self) -> int: ...


DiskUsage = Callable[[Path], DiskUsageResult]


@dataclass(frozen=True)
class SpaceCheck:
    """Whether `needed_bytes` fit on the store's disk and still leave `floor_bytes` free."""

    what: str
    needed_bytes: int
    free_bytes: int
    floor_bytes: int
    queued_bytes: int = 0  # still to come for downloads already queued

    @property
    def available_bytes(self) -> int:
        return max(self.free_bytes - self.floor_bytes - self.queued_bytes, 0)

    @property
    def ok(self) -> bool:
        return self.needed_bytes <= self.available_bytes

    @property
    def message(self) -> str:
        sizes = {
            "what": self.what,
            "needed": format_bytes(self.needed_bytes),
            "available": format_bytes(self.available_bytes),
            "floor": format_bytes(self.floor_bytes),
        }
        if self.ok:
            return FITS.format(**sizes)
        short = format_bytes(self.needed_bytes - self.available_bytes)
        if self.queued_bytes:
            queued = format_bytes(self.queued_bytes)
            return TOO_BIG_AFTER_QUEUE.format(**sizes, short=short, queued=queued)
        return TOO_BIG.format(**sizes, short=short)


class NotEnoughSpaceError(Exception):
    """A download was refused because it would leave less than the safety floor free."""

    def __init__(self, check: SpaceCheck) -> None:
        super().__init__(check.message)
        self.check = check
        self.message = check.message


def free_bytes(folder: Path, disk_usage: DiskUsage = shutil.disk_usage) -> int:
    """Free space on the volume that holds `folder` (or would hold it, once created)."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return int(disk_usage(probe).free)


def catalog_names(db: Database, course_ids: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """(course id -> title, sha256 -> file label) for showing queued downloads."""
    titles: dict[str, str] = {}
    labels: dict[str, str] = {}
    for course_id in course_ids:
        try:
            titles[course_id] = _titles(db, course_id, None)[0]
        except UnknownCourseError:
            continue
        for sha, (_size, label) in _asset_rows(db, course_id, None).items():
            labels.setdefault(sha, label)
    return titles, labels
