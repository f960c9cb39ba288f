"""Applying one catalog page to the cache, with bulk statements (50,000 lessons in a blink).

A course document replaces the cached course entirely: the old course row goes (its modules,
lessons and lesson-asset links follow by ON DELETE CASCADE) and the new one is inserted with
executemany-style statements. Assets are upserted by SHA-256. Assets no longer used by any
lesson are deleted and reported, so the download store can free their files.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from desktop_app.api.documents import CourseDoc, LessonDoc
from desktop_app.api.payloads import Tombstone
from desktop_app.catalog.search import index_courses, unindex_courses
from desktop_app.models import Asset, Course, Lesson, LessonAsset
from desktop_app.sync.bulk import BulkTable

COURSE = cast(Table, Course.__table__)
LESSON = cast(Table, Lesson.__table__)
ASSET = cast(Table, Asset.__table__)
LESSON_ASSET = cast(Table, LessonAsset.__table__)
CHUNK = 500

MODULES = BulkTable("module", ("id", "course_id", "title", "position"), ("id",))
LESSONS = BulkTable(
    "lesson",
    (
        "id",
        "module_id",
        "course_id",
        "title",
        "kind",
        "position",
        "summary",
        "duration_seconds",
        "quiz_json",
    ),
    ("id",),
)
ASSETS = BulkTable("asset", ("sha256", "size", "mime_type"), ("sha256",))
LINKS = BulkTable(
    "lesson_asset",
    ("lesson_id", "sha256", "role", "name", "language"),
    ("lesson_id", "sha256", "role"),
)


@dataclass(frozen=True)
class CatalogChanges:
    """What one page changed in the cache."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    released_assets: frozenset[str] = frozenset()


def apply_catalog_page(session: Session, items: Sequence[CourseDoc | Tombstone]) -> CatalogChanges:
    """Write one page of catalog items in the caller's transaction."""
    courses = _latest_by_id([item for item in items if isinstance(item, CourseDoc)])
    gone = {item.id for item in items if isinstance(item, Tombstone)} - courses.keys()
    existing = _existing_courses(session, [*courses, *gone])
    old_assets = _assets_of_courses(session, existing)
    _remove_courses(session, existing)
    _insert_courses(session, list(courses.values()))
    released = _release_unused(session, old_assets)
    return CatalogChanges(
        added=len(courses.keys() - existing),
        updated=len(courses.keys() & existing),
        removed=len(gone & existing),
        released_assets=frozenset(released),
    )


def _latest_by_id(courses: list[CourseDoc]) -> dict[str, CourseDoc]:
    return {course.id: course for course in courses}


def _chunks(values: Sequence[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), CHUNK):
        yield list(values[start : start + CHUNK])


def _existing_courses(session: Session, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(ids):
        found.update(session.scalars(select(COURSE.c.id).where(COURSE.c.id.in_(chunk))))
    return found


def _assets_of_courses(session: Session, course_ids: set[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(sorted(course_ids)):
        query = (
            select(LESSON_ASSET.c.sha256)
            .join(LESSON, LESSON.c.id == LESSON_ASSET.c.lesson_id)
            .where(LESSON.c.course_id.in_(chunk))
            .distinct()
        )
        found.update(session.scalars(query))
    return found


def _remove_courses(session: Session, course_ids: set[str]) -> None:
    if not course_ids:
        return
    for chunk in _chunks(sorted(course_ids)):
        unindex_courses(session, chunk)
        session.execute(delete(COURSE).where(COURSE.c.id.in_(chunk)))


def _insert_courses(session: Session, courses: list[CourseDoc]) -> None:
    if not courses:
        return
    rows = _Rows.of(courses)
    session.execute(COURSE.insert(), rows.courses)
    MODULES.upsert(session, rows.modules)
    LESSONS.upsert(session, rows.lessons)
    ASSETS.upsert(session, list(rows.assets.values()))
    LINKS.upsert(session, rows.links)
    index_courses(session, courses)


def _release_unused(session: Session, candidates: set[str]) -> set[str]:
    """Delete asset rows no lesson refers to any more; returns their digests."""
    unused = set(candidates)
    for chunk in _chunks(sorted(candidates)):
        query = select(LESSON_ASSET.c.sha256).where(LESSON_ASSET.c.sha256.in_(chunk)).distinct()
        unused.difference_update(session.scalars(query))
    for chunk in _chunks(sorted(unused)):
        session.execute(delete(ASSET).where(ASSET.c.sha256.in_(chunk)))
    return unused


@dataclass
class _Rows:
    """The rows of a page's courses, one list per table, built in a single pass."""

    courses: list[dict[str, Any]]
    modules: list[tuple[Any, ...]]
    lessons: list[tuple[Any, ...]]
    assets: dict[str, tuple[Any, ...]]
    links: list[tuple[Any, ...]]

    @classmethod
    def of(cls, courses: list[CourseDoc]) -> _Rows:
        rows = cls([], [], [], {}, [])
        for course in courses:
            rows.add_course(course)
        return rows

    def add_course(self, course: CourseDoc) -> None:
        self.courses.append(
            {
                "id": course.id,
                "title": course.title,
                "summary": course.summary,
                "version": course.version,
                "position": course.position,
                "updated_at": course.updated_at,
            }
        )
        for module in course.modules:
            self.modules.append((module.id, course.id, module.title, module.position))
            for lesson in module.lessons:
                self.add_lesson(lesson, module.id, course.id)

    def add_lesson(self, lesson: LessonDoc, module_id: str, course_id: str) -> None:
        self.lessons.append(
            (
                lesson.id,
                module_id,
                course_id,
                lesson.title,
                lesson.kind,
                lesson.position,
                lesson.summary,
                lesson.duration_seconds,
                lesson.quiz_json,
            )
        )
        for asset in lesson.assets:
            self.assets[asset.sha256] = (asset.sha256, asset.size, asset.mime_type)
            self.links.append((lesson.id, asset.sha256, asset.role, asset.name, asset.language))
