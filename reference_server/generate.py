"""Bulk generation of a large synthetic catalog (for benchmarks), with multi-row inserts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from reference_server.changes import next_seq
from reference_server.models import Course, Lesson, LessonAsset, Module
from reference_server.publishing import ensure_assets
from reference_server.specs import AssetRef

PREFIX = "c-gen-"
_CHUNK = 5_000
Row = dict[str, Any]


@dataclass
class _Rows:
    """Rows for each table, built in memory and inserted in large batches."""

    body: AssetRef
    courses: list[Row] = field(default_factory=list)
    modules: list[Row] = field(default_factory=list)
    lessons: list[Row] = field(default_factory=list)
    links: list[Row] = field(default_factory=list)

    def add_course(self, course_id: str, number: int, seq: int, now: datetime) -> None:
        self.courses.append(
            {
                "id": course_id,
                "title": f"Generated course {number}",
                "summary": "A synthetic course for measuring sync.",
                "position": 1000 + number,
                "version": 1,
                "published": True,
                "seq": seq,
                "updated_at": now,
                "content_hash": "",
            }
        )

    def add_module(self, course_id: str, module_id: str, position: int) -> None:
        self.modules.append(
            {
                "id": module_id,
                "course_id": course_id,
                "title": f"Module {position + 1}",
                "position": position,
            }
        )

    def add_lesson(self, module_id: str, lesson_id: str, number: int, position: int) -> None:
        self.lessons.append(
            {
                "id": lesson_id,
                "module_id": module_id,
                "title": f"Lesson {number}",
                "kind": "reading",
                "position": position,
                "summary": "",
                "duration_seconds": 60,
                "quiz": None,
            }
        )
        self.links.append(
            {
                "lesson_id": lesson_id,
                "position": 0,
                "sha256": self.body.sha256,
                "role": "body",
                "name": "lesson.md",
                "mime_type": self.body.mime_type,
                "language": None,
            }
        )

    def insert_into(self, session: Session) -> None:
        tables = (
            (Course, self.courses),
            (Module, self.modules),
            (Lesson, self.lessons),
            (LessonAsset, self.links),
        )
        for model, rows in tables:
            for offset in range(0, len(rows), _CHUNK):
                session.execute(insert(model), rows[offset : offset + _CHUNK])


def generate_catalog(
    session: Session,
    n_courses: int,
    lessons_per_course: int,
    body: AssetRef,
    now: datetime,
    modules_per_course: int = 5,
) -> list[str]:
    """Publishes `n_courses` reading courses with their lessons spread over the modules;
    returns the new course ids."""
    if n_courses < 0 or lessons_per_course < 0 or modules_per_course < 1:
        raise ValueError("counts must not be negative (and a course needs a module)")
    start = session.scalar(select(func.count()).where(Course.id.like(PREFIX + "%"))) or 0
    first_seq = next_seq(session, max(n_courses, 1))
    ensure_assets(session, [body])
    rows = _Rows(body)
    for index in range(n_courses):
        number = start + index + 1
        course_id = f"{PREFIX}{number:05d}"
        rows.add_course(course_id, number, first_seq + index, now)
        _add_lessons(rows, course_id, lessons_per_course, modules_per_course)
    rows.insert_into(session)
    return [row["id"] for row in rows.courses]


def _add_lessons(rows: _Rows, course_id: str, lesson_count: int, module_count: int) -> None:
    module_count = max(1, min(module_count, lesson_count))
    stem = course_id.removeprefix("c-")
    module_id, position = "", 0
    for index in range(lesson_count):
        module_index = index * module_count // lesson_count
        if module_id != f"m-{stem}-{module_index + 1}":
            module_id, position = f"m-{stem}-{module_index + 1}", 0
            rows.add_module(course_id, module_id, module_index)
        rows.add_lesson(module_id, f"l-{stem}-{index + 1}", index + 1, position)
        position += 1
