"""Bulk generation of a large synthetic catalog (for benchmarks), with multi-row inserts."""

from __future__ import annotations

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


def generate_catalog(
    session: Session,
    n_courses: int,
    lessons_per_course: int,
    body: AssetRef,
    now: datetime,
    modules_per_course: int = 5,
) -> list[str]:
    """Publishes `n_courses` reading courses; returns their ids."""
    if n_courses < 0 or lessons_per_course < 0 or modules_per_course < 1:
        raise ValueError("counts must not be negative")
    start = session.scalar(select(func.count()).where(Course.id.like(PREFIX + "%"))) or 0
    first_seq = next_seq(session, max(n_courses, 1))
    ensure_assets(session, [body])
    courses: list[dict[str, Any]] = []
    modules: list[dict[str, Any]] = []
    lessons: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for index in range(n_courses):
        number = start + index + 1
        course_id = f"{PREFIX}{number:05d}"
        courses.append(_course_row(course_id, number, first_seq + index, now))
        _add_children(
            course_id, lessons_per_course, modules_per_course, body, (modules, lessons, links)
        )
    for model, rows in (
        (Course, courses),
        (Module, modules),
        (Lesson, lessons),
        (LessonAsset, links),
    ):
        for offset in range(0, len(rows), _CHUNK):
            session.execute(insert(model), rows[offset : offset + _CHUNK])
    return [row["id"] for row in courses]


def _course_row(course_id: str, number: int, seq: int, now: datetime) -> dict[str, Any]:
    return {
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


def _add_children(
    course_id: str,
    lesson_count: int,
    module_count: int,
    body: AssetRef,
    into: tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]],
) -> None:
    modules, lessons, links = into
    module_count = max(1, min(module_count, lesson_count))
    position = 0
    for index in range(lesson_count):
        module_index = index * module_count // max(lesson_count, 1)
        module_id = f"m-{course_id[2:]}-{module_index + 1}"
        if not modules or modules[-1]["id"] != module_id:
            modules.append(
                {
                    "id": module_id,
                    "course_id": course_id,
                    "title": f"Module {module_index + 1}",
                    "position": module_index,
                }
            )
            position = 0
        lesson_id = f"l-{course_id[2:]}-{index + 1}"
        lessons.append(
            {
                "id": lesson_id,
                "module_id": module_id,
                "title": f"Lesson {index + 1}",
                "kind": "reading",
                "position": position,
                "summary": "",
                "duration_seconds": 60,
                "quiz": None,
            }
        )
        position += 1
        links.append(
            {
                "lesson_id": lesson_id,
                "position": 0,
                "sha256": body.sha256,
                "role": "body",
                "name": "lesson.md",
                "mime_type": body.mime_type,
                "language": None,
            }
        )
