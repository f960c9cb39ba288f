"""Catalog writes: publishing course specs and editing what is published.

Every change to a course, or to any module or lesson in it, gives the course a new place in
the change sequence and a new version, so the catalog feed delivers it again.

Publishers may run at once (organisers' commands beside the server's workers): each change
locks the course's row first, so two changes to one course take turns and neither version is
lost; two first publications of one course both insert it, and the one that commits second
fails on the key and is run again by `Database.write_retrying`, finding the course."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from reference_server.changes import next_seq
from reference_server.curriculum import CurriculumError
from reference_server.models import Asset, Course, Lesson, LessonAsset, Module
from reference_server.specs import AssetRef, CourseSpec, LessonSpec

EDITABLE_LESSON_FIELDS = frozenset({"title", "summary", "duration_seconds", "kind", "quiz"})


def spec_digest(spec: CourseSpec) -> str:
    return hashlib.sha256(spec.model_dump_json().encode()).hexdigest()


def upsert_course(session: Session, spec: CourseSpec, now: datetime) -> bool:
    """Publish `spec`; returns False when the same content was already published."""
    digest = spec_digest(spec)
    course = locked_course(session, spec.id)
    if course is not None and course.published and course.content_hash == digest:
        return False
    _check_ids_free(session, spec)
    if course is None:
        course = Course(id=spec.id, version=0, seq=0, updated_at=now)
        session.add(course)
    course.title, course.summary, course.position = spec.title, spec.summary, spec.position
    course.published, course.content_hash = True, digest
    _delete_children(session, spec.id)
    session.flush()
    _insert_children(session, spec)
    mark_changed(session, course, now)
    return True


def locked_course(session: Session, course_id: str) -> Course | None:
    """The course, its row locked until the unit of work ends (on PostgreSQL)."""
    return session.get(Course, course_id, with_for_update=True, populate_existing=True)


def mark_changed(session: Session, course: Course, now: datetime) -> None:
    course.seq = next_seq(session)
    course.version += 1
    course.updated_at = now


def set_published(session: Session, course_id: str, published: bool, now: datetime) -> bool:
    course = locked_course(session, course_id)
    if course is None:
        raise KeyError(course_id)
    if course.published == published:
        return False
    course.published = published
    mark_changed(session, course, now)
    return True


def update_lesson(
    session: Session, lesson_id: str, fields: Mapping[str, Any], now: datetime
) -> None:
    unknown = set(fields) - EDITABLE_LESSON_FIELDS
    if unknown:
        raise TypeError(f"lessons have no editable field(s) {', '.join(sorted(unknown))}")
    lesson = session.get(Lesson, lesson_id)
    if lesson is None:
        raise KeyError(lesson_id)
    current = {name: getattr(lesson, name) for name in EDITABLE_LESSON_FIELDS}
    checked = LessonSpec.model_validate({"id": lesson.id, **current, **fields})
    for name in fields:
        value = getattr(checked, name)
        setattr(lesson, name, value.model_dump() if name == "quiz" and value else value)
    _touch_course_of_module(session, lesson.module_id, now)


def update_module(session: Session, module_id: str, title: str, now: datetime) -> None:
    module = session.get(Module, module_id)
    if module is None:
        raise KeyError(module_id)
    module.title = title
    _touch_course_of_module(session, module_id, now)


def _touch_course_of_module(session: Session, module_id: str, now: datetime) -> None:
    course_id = session.scalar(select(Module.course_id).where(Module.id == module_id))
    course = locked_course(session, str(course_id))
    assert course is not None
    course.content_hash = ""  # the published content no longer matches any loaded file
    mark_changed(session, course, now)


def ensure_assets(session: Session, refs: Iterable[AssetRef]) -> None:
    wanted = {ref.sha256: ref for ref in refs}
    if not wanted:
        return
    present = set(session.scalars(select(Asset.sha256).where(Asset.sha256.in_(wanted))))
    missing = [
        {"sha256": ref.sha256, "size": ref.size, "mime_type": ref.mime_type}
        for sha, ref in wanted.items()
        if sha not in present
    ]
    if missing:
        session.execute(insert(Asset), missing)


def _check_ids_free(session: Session, spec: CourseSpec) -> None:
    module_ids = [module.id for module in spec.modules]
    lesson_ids = [lesson.id for module in spec.modules for lesson in module.lessons]
    taken_modules = session.scalars(
        select(Module.id).where(Module.id.in_(module_ids), Module.course_id != spec.id)
    ).all()
    taken_lessons = session.scalars(
        select(Lesson.id)
        .join(Module, Module.id == Lesson.module_id)
        .where(Lesson.id.in_(lesson_ids), Module.course_id != spec.id)
    ).all()
    taken = [*taken_modules, *taken_lessons]
    if taken:
        raise CurriculumError(f"course {spec.id}: ids used by another course: {', '.join(taken)}")


def _delete_children(session: Session, course_id: str) -> None:
    module_ids = select(Module.id).where(Module.course_id == course_id)
    lesson_ids = select(Lesson.id).where(Lesson.module_id.in_(module_ids))
    session.execute(delete(LessonAsset).where(LessonAsset.lesson_id.in_(lesson_ids)))
    session.execute(delete(Lesson).where(Lesson.module_id.in_(module_ids)))
    session.execute(delete(Module).where(Module.course_id == course_id))


def _insert_children(session: Session, spec: CourseSpec) -> None:
    modules: list[dict[str, Any]] = []
    lessons: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for m_pos, module in enumerate(spec.modules):
        modules.append(
            {"id": module.id, "course_id": spec.id, "title": module.title, "position": m_pos}
        )
        for l_pos, lesson in enumerate(module.lessons):
            lessons.append(lesson_row(lesson, module.id, l_pos))
            links.extend(
                asset_link_row(lesson.id, pos, ref) for pos, ref in enumerate(lesson.assets)
            )
    ensure_assets(
        session,
        [ref for module in spec.modules for lesson in module.lessons for ref in lesson.assets],
    )
    for model, rows in ((Module, modules), (Lesson, lessons), (LessonAsset, links)):
        if rows:
            session.execute(insert(model), rows)


def lesson_row(lesson: LessonSpec, module_id: str, position: int) -> dict[str, Any]:
    return {
        "id": lesson.id,
        "module_id": module_id,
        "title": lesson.title,
        "kind": lesson.kind,
        "position": position,
        "summary": lesson.summary,
        "duration_seconds": lesson.duration_seconds,
        "quiz": lesson.quiz.model_dump() if lesson.quiz else None,
    }


def asset_link_row(lesson_id: str, position: int, ref: AssetRef) -> dict[str, Any]:
    return {
        "lesson_id": lesson_id,
        "position": position,
        "sha256": ref.sha256,
        "role": ref.role,
        "name": ref.name,
        "mime_type": ref.mime_type,
        "language": ref.language,
    }
