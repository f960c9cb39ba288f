"""Read-side queries the views show: plain frozen rows, never ORM objects or sessions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.models import Asset, Course, Lesson, LessonAsset, Module
from desktop_app.progress import ProgressLog

NOT_DOWNLOADED, PARTLY_DOWNLOADED, DOWNLOADED = "not downloaded", "partly downloaded", "downloaded"


@dataclass(frozen=True)
class LessonRow:
    id: str
    course_id: str
    module_id: str
    title: str
    kind: str
    summary: str
    duration_seconds: int
    position: int
    size_bytes: int
    download_state: str
    completed: bool = False


@dataclass(frozen=True)
class ModuleRow:
    id: str
    title: str
    lessons: tuple[LessonRow, ...]


@dataclass(frozen=True)
class CourseRow:
    id: str
    title: str
    summary: str
    module_count: int
    lesson_count: int
    size_bytes: int
    download_state: str
    percent_complete: int = 0


@dataclass(frozen=True)
class CourseDetail:
    course: CourseRow
    modules: tuple[ModuleRow, ...]


def _percent(lesson_ids: list[str], done: set[str]) -> int:
    if not lesson_ids:
        return 0
    return sum(lesson_id in done for lesson_id in lesson_ids) * 100 // len(lesson_ids)


def _state(present: int, total: int) -> str:
    if total == 0 or present == total:
        return DOWNLOADED
    return NOT_DOWNLOADED if present == 0 else PARTLY_DOWNLOADED


class Library:
    """What the cache holds, shaped for display."""

    def __init__(
        self, db: Database, store: ContentStore, progress: ProgressLog | None = None
    ) -> None:
        self._db = db
        self._store = store
        self._progress = progress

    def courses(self) -> list[CourseRow]:
        return self._course_rows(None)

    def course(self, course_id: str) -> CourseDetail | None:
        rows = self._course_rows(course_id)
        if not rows:
            return None
        with self._db.session() as session:
            modules = session.scalars(
                select(Module).where(Module.course_id == course_id).order_by(Module.position)
            ).all()
            lessons = session.scalars(
                select(Lesson).where(Lesson.course_id == course_id).order_by(Lesson.position)
            ).all()
            assets = self._assets_by(session, LessonAsset.lesson_id, course_id)
        present = self._store.present({sha for items in assets.values() for sha, _ in items})
        done = self._completed_lessons()
        by_module: dict[str, list[LessonRow]] = defaultdict(list)
        for lesson in lessons:
            row = self._lesson_row(lesson, assets, present)
            by_module[lesson.module_id].append(replace(row, completed=lesson.id in done))
        return CourseDetail(
            rows[0], tuple(ModuleRow(m.id, m.title, tuple(by_module[m.id])) for m in modules)
        )

    def _course_rows(self, course_id: str | None) -> list[CourseRow]:
        """All courses (or the one asked for), each with a handful of set-based queries."""
        with self._db.session() as session:
            query = select(Course).order_by(Course.position, Course.title)
            if course_id is not None:
                query = query.where(Course.id == course_id)
            courses = session.scalars(query).all()
            assets = self._assets_by(session, Lesson.course_id, course_id)
            modules = self._count_by(session, Module.course_id)
            lesson_ids: dict[str, list[str]] = defaultdict(list)
            lessons = select(Lesson.course_id, Lesson.id)
            if course_id is not None:
                lessons = lessons.where(Lesson.course_id == course_id)
            for owner, lesson_id in session.execute(lessons):
                lesson_ids[owner].append(lesson_id)
        present = self._store.present({sha for items in assets.values() for sha, _ in items})
        done = self._completed_lessons()
        return [
            replace(
                self._course_row(c, modules.get(c.id, 0), len(lesson_ids[c.id]), assets, present),
                percent_complete=_percent(lesson_ids[c.id], done),
            )
            for c in courses
        ]

    def _completed_lessons(self) -> set[str]:
        return self._progress.completed_lessons() if self._progress is not None else set()

    def lesson(self, lesson_id: str) -> LessonRow | None:
        detail = None
        with self._db.session() as session:
            course_id = session.scalar(select(Lesson.course_id).where(Lesson.id == lesson_id))
        if course_id is not None:
            detail = self.course(course_id)
        lessons = [row for m in detail.modules for row in m.lessons] if detail else []
        return next((row for row in lessons if row.id == lesson_id), None)

    @staticmethod
    def _count_by(session: Session, column: Any) -> dict[str, int]:
        rows = session.execute(select(column, func.count()).group_by(column))
        return {owner: count for owner, count in rows}

    @staticmethod
    def _assets_by(
        session: Session, group: Any, course_id: str | None = None
    ) -> dict[str, list[tuple[str, int]]]:
        """(sha256, size) of lesson assets (of one course, or all) grouped by lesson or course."""
        query = (
            select(group, Asset.sha256, Asset.size)
            .select_from(LessonAsset)
            .join(Asset, Asset.sha256 == LessonAsset.sha256)
            .join(Lesson, Lesson.id == LessonAsset.lesson_id)
        )
        if course_id is not None:
            query = query.where(Lesson.course_id == course_id)
        grouped: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for owner, sha, size in session.execute(query):
            grouped[owner].append((sha, size))
        return grouped

    @staticmethod
    def _course_row(
        course: Course,
        module_count: int,
        lesson_count: int,
        assets: dict[str, list[tuple[str, int]]],
        present: set[str],
    ) -> CourseRow:
        unique = dict(assets.get(course.id, []))
        state = _state(len(unique.keys() & present), len(unique))
        return CourseRow(
            course.id,
            course.title,
            course.summary,
            module_count,
            lesson_count,
            sum(unique.values()),
            state,
        )

    @staticmethod
    def _lesson_row(
        lesson: Lesson, assets: dict[str, list[tuple[str, int]]], present: set[str]
    ) -> LessonRow:
        unique = dict(assets.get(lesson.id, []))
        return LessonRow(
            lesson.id,
            lesson.course_id,
            lesson.module_id,
            lesson.title,
            lesson.kind,
            lesson.summary,
            lesson.duration_seconds,
            lesson.position,
            sum(unique.values()),
            _state(len(unique.keys() & present), len(unique)),
        )
