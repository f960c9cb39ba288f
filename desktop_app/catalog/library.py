"""Read-side queries the views show: plain frozen rows, never ORM objects or sessions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from desktop_app.catalog.rows import (
    DOWNLOADED,
    NOT_DOWNLOADED,
    PARTLY_DOWNLOADED,
    CourseRow,
    LessonRow,
    ModuleRow,
    course_rows,
    download_state,
    percent,
)
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.models import Asset, Course, Lesson, LessonAsset, Module
from desktop_app.progress import ProgressLog

__all__ = [  # the rows live in `rows`, which the start reads without SQLAlchemy
    "DOWNLOADED",
    "NOT_DOWNLOADED",
    "PARTLY_DOWNLOADED",
    "CourseDetail",
    "CourseRow",
    "LessonRow",
    "Library",
    "ModuleRow",
]


@dataclass(frozen=True)
class CourseDetail:
    """One course as its page shows it, with the bytes of its distinct files, which the list
    leaves out: summing every asset's size takes seconds at 10,000 courses."""

    course: CourseRow
    modules: tuple[ModuleRow, ...]
    size_bytes: int


def _by_module(modules: Sequence[Any], lessons: list[LessonRow]) -> tuple[ModuleRow, ...]:
    grouped: dict[str, list[LessonRow]] = defaultdict(list)
    for lesson in lessons:
        grouped[lesson.module_id].append(lesson)
    return tuple(
        ModuleRow(module_id, title, tuple(grouped[module_id])) for module_id, title in modules
    )


class Library:
    """What the cache holds, shaped for display.

    The course list comes from SQL aggregates over indexes, never from rows built in Python:
    SQLite does that work without holding the interpreter lock the UI thread needs while the
    list loads behind it. A course's own page reads only that course's rows."""

    def __init__(
        self, db: Database, store: ContentStore, progress: ProgressLog | None = None
    ) -> None:
        self._db = db
        self._store = store
        self._progress = progress

    def courses(self) -> list[CourseRow]:
        """Every course, with its counts, offline state and completion."""
        stored, done = self._store.stored(), self._completed_lessons()
        with self._db.session() as session:
            execute = lambda sql, params: session.execute(text(sql), params).all()  # noqa: E731
            return course_rows(execute, stored, done)

    def course(self, course_id: str) -> CourseDetail | None:
        """One course and its lessons: every query bounded by the course, whatever the catalog."""
        with self._db.session() as session:
            course = session.get(Course, course_id)
            if course is None:
                return None
            modules = session.execute(
                select(Module.id, Module.title)
                .where(Module.course_id == course_id)
                .order_by(Module.position)
            ).all()
            lessons = session.scalars(
                select(Lesson).where(Lesson.course_id == course_id).order_by(Lesson.position)
            ).all()
            assets = self._assets_by(session, LessonAsset.lesson_id, course_id)
        unique = {sha: size for items in assets.values() for sha, size in items}
        present = self._store.present(set(unique))
        done = self._completed_lessons()
        rows = [
            replace(self._lesson_row(lesson, assets, present), completed=lesson.id in done)
            for lesson in lessons
        ]
        finished = sum(row.completed for row in rows)
        summary = CourseRow(
            course.id, course.title, course.summary, len(modules), len(rows),
            download_state(len(present), len(unique)), percent(finished, len(rows)),
        )  # fmt: skip
        return CourseDetail(summary, _by_module(modules, rows), sum(unique.values()))

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
            download_state(len(unique.keys() & present), len(unique)),
            missing=frozenset(unique.keys() - present),
        )
