"""Whole feed documents: a course with its modules and lessons, a residency with its sessions.

Each page is assembled with a fixed number of queries, whatever its size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from reference_server.auth import AuthenticatedUser
from reference_server.badges import BadgeClaims, BadgeSigner
from reference_server.models import (
    Asset,
    Course,
    Enrolment,
    Lesson,
    LessonAsset,
    Module,
    Residency,
    ResidencySession,
)

Document = dict[str, Any]


@dataclass(frozen=True)
class Page:
    items: list[Document]
    last_seq: int | None
    has_more: bool


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def tombstone(kind: str, document_id: str) -> Document:
    return {"type": kind, "id": document_id, "deleted": True}


def catalog_page(session: Session, after_seq: int, limit: int) -> Page:
    courses = session.scalars(
        select(Course).where(Course.seq > after_seq).order_by(Course.seq).limit(limit + 1)
    ).all()
    page = courses[:limit]
    live = [course.id for course in page if course.published]
    modules = _modules_by_course(session, live)
    items = [
        _course_item(course, modules.get(course.id, []))
        if course.published
        else tombstone("course", course.id)
        for course in page
    ]
    return Page(items, page[-1].seq if page else None, len(courses) > limit)


def course_document(session: Session, course: Course) -> Document:
    """One published course as the catalog feed sends it (its `course` object)."""
    modules = _modules_by_course(session, [course.id]).get(course.id, [])
    document: Document = _course_item(course, modules)["course"]
    return document


def _course_item(course: Course, modules: list[Document]) -> Document:
    return {
        "type": "course",
        "id": course.id,
        "deleted": False,
        "course": {
            "id": course.id,
            "title": course.title,
            "summary": course.summary,
            "position": course.position,
            "version": course.version,
            "updated_at": rfc3339(course.updated_at),
            "modules": modules,
        },
    }


def _modules_by_course(session: Session, course_ids: Sequence[str]) -> dict[str, list[Document]]:
    if not course_ids:
        return {}
    lessons = _lessons_by_module(session, course_ids)
    rows = session.execute(
        select(Module.id, Module.course_id, Module.title, Module.position)
        .where(Module.course_id.in_(course_ids))
        .order_by(Module.course_id, Module.position)
    )
    grouped: dict[str, list[Document]] = defaultdict(list)
    for module_id, course_id, title, position in rows:
        module = {"id": module_id, "title": title, "position": position}
        grouped[course_id].append({**module, "lessons": lessons.get(module_id, [])})
    return grouped


_LESSON_COLUMNS = (
    Lesson.module_id,
    Lesson.id,
    Lesson.title,
    Lesson.kind,
    Lesson.position,
    Lesson.summary,
    Lesson.duration_seconds,
    Lesson.quiz,
)
_ASSET_COLUMNS = (
    LessonAsset.lesson_id,
    LessonAsset.sha256,
    Asset.size,
    LessonAsset.mime_type,
    LessonAsset.role,
    LessonAsset.name,
    LessonAsset.language,
)


def _lessons_by_module(session: Session, course_ids: Sequence[str]) -> dict[str, list[Document]]:
    """Plain column rows rather than ORM objects: a page may hold tens of thousands."""
    assets = _assets_by_lesson(session, course_ids)
    rows = session.execute(
        select(*_LESSON_COLUMNS)
        .join(Module, Module.id == Lesson.module_id)
        .where(Module.course_id.in_(course_ids))
        .order_by(Lesson.module_id, Lesson.position)
    )
    grouped: dict[str, list[Document]] = defaultdict(list)
    for module_id, lesson_id, title, kind, position, summary, duration, quiz in rows:
        grouped[module_id].append(
            {
                "id": lesson_id,
                "title": title,
                "kind": kind,
                "position": position,
                "summary": summary,
                "duration_seconds": duration,
                "assets": assets.get(lesson_id, []),
                "quiz": quiz,
            }
        )
    return grouped


def _assets_by_lesson(session: Session, course_ids: Sequence[str]) -> dict[str, list[Document]]:
    rows = session.execute(
        select(*_ASSET_COLUMNS)
        .join(Asset, Asset.sha256 == LessonAsset.sha256)
        .join(Lesson, Lesson.id == LessonAsset.lesson_id)
        .join(Module, Module.id == Lesson.module_id)
        .where(Module.course_id.in_(course_ids))
        .order_by(LessonAsset.lesson_id, LessonAsset.position)
    )
    grouped: dict[str, list[Document]] = defaultdict(list)
    for lesson_id, sha256, size, mime_type, role, name, language in rows:
        asset = {"sha256": sha256, "size": size, "mime_type": mime_type, "role": role, "name": name}
        if language:
            asset["language"] = language
        grouped[lesson_id].append(asset)
    return grouped


def schedule_page(
    session: Session, user: AuthenticatedUser, after_seq: int, limit: int, signer: BadgeSigner
) -> Page:
    changed = case((Residency.seq > Enrolment.seq, Residency.seq), else_=Enrolment.seq)
    rows = session.execute(
        select(Enrolment, Residency, changed)
        .join(Residency, Residency.id == Enrolment.residency_id)
        .where(Enrolment.user_id == user.id, changed > after_seq)
        .order_by(changed)
        .limit(limit + 1)
    ).all()
    page = rows[:limit]
    live = [res.id for enr, res, _ in page if enr.status == "enrolled" and not res.deleted]
    sessions = _sessions_by_residency(session, live)
    items = [
        _residency_item(res, enr, sessions.get(res.id, []), _badge(signer, enr, user))
        if res.id in live
        else tombstone("residency", res.id)
        for enr, res, _ in page
    ]
    return Page(items, int(page[-1][2]) if page else None, len(rows) > limit)


def _badge(signer: BadgeSigner, enrolment: Enrolment, user: AuthenticatedUser) -> str:
    return signer.sign(
        BadgeClaims(enrolment.id, enrolment.residency_id, user.id, user.display_name)
    )


def _residency_item(
    residency: Residency, enrolment: Enrolment, sessions: list[Document], badge: str
) -> Document:
    body = {
        "id": residency.id,
        "title": residency.title,
        "summary": residency.summary,
        "version": residency.version,
        "venue": {
            "name": residency.venue_name,
            "address": residency.venue_address,
            "timezone": residency.timezone,
        },
        "starts_at": rfc3339(residency.starts_at),
        "ends_at": rfc3339(residency.ends_at),
        "checkin_opens_at": rfc3339(residency.checkin_opens_at),
        "checkin_closes_at": rfc3339(residency.checkin_closes_at),
        "prerequisites": list(residency.prerequisites),
        "sessions": sessions,
        "enrolment": {"id": enrolment.id, "status": enrolment.status, "badge_token": badge},
    }
    return {"type": "residency", "id": residency.id, "deleted": False, "residency": body}


def _sessions_by_residency(session: Session, ids: Sequence[str]) -> dict[str, list[Document]]:
    if not ids:
        return {}
    rows = session.scalars(
        select(ResidencySession)
        .where(ResidencySession.residency_id.in_(ids))
        .order_by(ResidencySession.residency_id, ResidencySession.position)
    )
    grouped: dict[str, list[Document]] = defaultdict(list)
    for row in rows:
        grouped[row.residency_id].append(
            {
                "id": row.id,
                "title": row.title,
                "room": row.room,
                "faculty": list(row.faculty),
                "starts_at": rfc3339(row.starts_at),
                "ends_at": rfc3339(row.ends_at),
                "position": row.position,
            }
        )
    return grouped
