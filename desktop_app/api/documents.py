"""The documents the delta feeds carry — courses and residencies — parsed and checked.

Each `parse_*` takes decoded JSON and returns frozen dataclasses, or raises BadPayloadError
naming the first thing that does not match docs/api.md.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from desktop_app.api import shape
from desktop_app.api.errors import BadPayloadError

LESSON_KINDS = ("video", "audio", "reading", "pdf", "quiz")
ASSET_ROLES = ("media", "captions", "body", "image", "document")
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class AssetRef:
    sha256: str
    size: int
    mime_type: str
    role: str
    name: str
    language: str


@dataclass(frozen=True, slots=True)
class LessonDoc:
    id: str
    title: str
    kind: str
    position: int
    summary: str
    duration_seconds: int
    assets: tuple[AssetRef, ...]
    quiz_json: str | None


@dataclass(frozen=True, slots=True)
class ModuleDoc:
    id: str
    title: str
    position: int
    lessons: tuple[LessonDoc, ...]


@dataclass(frozen=True, slots=True)
class CourseDoc:
    id: str
    title: str
    summary: str
    version: int
    position: int
    updated_at: datetime | None
    modules: tuple[ModuleDoc, ...]


@dataclass(frozen=True, slots=True)
class SessionDoc:
    id: str
    title: str
    room: str
    faculty: tuple[str, ...]
    starts_at: datetime
    ends_at: datetime
    position: int


@dataclass(frozen=True, slots=True)
class EnrolmentDoc:
    id: str
    status: str
    badge_token: str


@dataclass(frozen=True, slots=True)
class ResidencyDoc:
    id: str
    title: str
    summary: str
    version: int
    venue_name: str
    venue_address: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    checkin_opens_at: datetime | None
    checkin_closes_at: datetime | None
    prerequisites: tuple[str, ...]
    sessions: tuple[SessionDoc, ...]
    enrolment: EnrolmentDoc | None


def parse_course(value: Any, where: str) -> CourseDoc:
    data = shape.obj(value, where)
    course_id = shape.ident(data, "id", where)
    where = f"{where} (course {course_id})"
    modules = shape.array(data, "modules", where)
    return CourseDoc(
        id=course_id,
        title=shape.text(data, "title", where),
        summary=shape.optional_text(data, "summary", where),
        version=shape.integer(data, "version", where),
        position=shape.integer(data, "position", where) if "position" in data else 0,
        updated_at=shape.optional_timestamp(data, "updated_at", where),
        modules=tuple(_module(item, i, where) for i, item in enumerate(modules)),
    )


def _module(value: Any, index: int, where: str) -> ModuleDoc:
    data = shape.obj(value, f"{where} › module {index + 1}")
    where = f"{where} › module {shape.ident(data, 'id', where)}"
    lessons = shape.array(data, "lessons", where)
    return ModuleDoc(
        id=data["id"],
        title=shape.text(data, "title", where),
        position=shape.integer(data, "position", where) if "position" in data else index,
        lessons=tuple(_lesson(item, i, where) for i, item in enumerate(lessons)),
    )


def _lesson(value: Any, index: int, where: str) -> LessonDoc:
    data = shape.obj(value, f"{where} › lesson {index + 1}")
    where = f"{where} › lesson {shape.ident(data, 'id', where)}"
    kind = shape.one_of(data, "kind", where, LESSON_KINDS)
    return LessonDoc(
        id=data["id"],
        title=shape.text(data, "title", where),
        kind=kind,
        position=shape.integer(data, "position", where) if "position" in data else index,
        summary=shape.optional_text(data, "summary", where),
        duration_seconds=shape.integer(data, "duration_seconds", where)
        if data.get("duration_seconds") is not None
        else 0,
        assets=tuple(_asset(item, where) for item in shape.array(data, "assets", where)),
        quiz_json=_quiz_json(data.get("quiz"), kind, where),
    )


def _asset(value: Any, where: str) -> AssetRef:
    data = shape.obj(value, f"{where} › asset")
    sha256 = shape.text(data, "sha256", where)
    if _SHA256.fullmatch(sha256) is None:
        raise BadPayloadError(f"{where}: asset digest “{sha256[:80]}” is not a SHA-256")
    return AssetRef(
        sha256=sha256,
        size=shape.integer(data, "size", where),
        mime_type=shape.text(data, "mime_type", where),
        role=shape.one_of(data, "role", where, ASSET_ROLES),
        name=shape.optional_text(data, "name", where),
        language=shape.optional_text(data, "language", where),
    )


def _quiz_json(value: Any, kind: str, where: str) -> str | None:
    if value is None:
        if kind == "quiz":
            raise BadPayloadError(f"{where}: a quiz lesson has no “quiz”")
        return None
    quiz = shape.obj(value, f"{where} › quiz")
    pass_mark = shape.number(quiz, "pass_mark", f"{where} › quiz")
    if not 0.0 <= pass_mark <= 1.0:
        raise BadPayloadError(f"{where}: the quiz pass mark {pass_mark} is not between 0 and 1")
    questions = shape.array(quiz, "questions", f"{where} › quiz")
    for number, question in enumerate(questions, start=1):
        _check_question(question, f"{where} › quiz question {number}")
    return json.dumps(quiz, ensure_ascii=False, separators=(",", ":"))


def _check_question(value: Any, where: str) -> None:
    question = shape.obj(value, where)
    shape.ident(question, "id", where)
    shape.text(question, "prompt", where)
    if "multiple" in question:
        shape.boolean(question, "multiple", where)
    shape.optional_text(question, "feedback", where)
    choices = [
        shape.obj(choice, f"{where} › choice") for choice in shape.array(question, "choices", where)
    ]
    choice_ids = {shape.ident(choice, "id", where) for choice in choices}
    for choice in choices:
        shape.text(choice, "text", where)
    correct = shape.texts(question, "correct", where)
    if not correct or not set(correct) <= choice_ids:
        raise BadPayloadError(f"{where}: the correct answers are not among the choices")


def parse_residency(value: Any, where: str) -> ResidencyDoc:
    data = shape.obj(value, where)
    residency_id = shape.ident(data, "id", where)
    where = f"{where} (residency {residency_id})"
    venue = shape.obj(data.get("venue"), f"{where} › venue")
    sessions = shape.array(data, "sessions", where)
    enrolment = data.get("enrolment")
    return ResidencyDoc(
        id=residency_id,
        title=shape.text(data, "title", where),
        summary=shape.optional_text(data, "summary", where),
        version=shape.integer(data, "version", where),
        venue_name=shape.optional_text(venue, "name", where),
        venue_address=shape.optional_text(venue, "address", where),
        timezone=_timezone(venue, where),
        starts_at=shape.timestamp(data, "starts_at", where),
        ends_at=shape.timestamp(data, "ends_at", where),
        checkin_opens_at=shape.optional_timestamp(data, "checkin_opens_at", where),
        checkin_closes_at=shape.optional_timestamp(data, "checkin_closes_at", where),
        prerequisites=shape.texts(data, "prerequisites", where) if "prerequisites" in data else (),
        sessions=tuple(_session(item, i, where) for i, item in enumerate(sessions)),
        enrolment=None if enrolment is None else _enrolment(enrolment, where),
    )


def _timezone(venue: dict[str, Any], where: str) -> str:
    name = shape.text(venue, "timezone", f"{where} › venue")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise BadPayloadError(f"{where}: “{name[:80]}” is not a known time zone") from error
    return name


def _session(value: Any, index: int, where: str) -> SessionDoc:
    data = shape.obj(value, f"{where} › session {index + 1}")
    where = f"{where} › session {shape.ident(data, 'id', where)}"
    return SessionDoc(
        id=data["id"],
        title=shape.text(data, "title", where),
        room=shape.optional_text(data, "room", where),
        faculty=shape.texts(data, "faculty", where) if "faculty" in data else (),
        starts_at=shape.timestamp(data, "starts_at", where),
        ends_at=shape.timestamp(data, "ends_at", where),
        position=shape.integer(data, "position", where) if "position" in data else index,
    )


def _enrolment(value: Any, where: str) -> EnrolmentDoc:
    data = shape.obj(value, f"{where} › enrolment")
    where = f"{where} › enrolment"
    return EnrolmentDoc(
        id=shape.ident(data, "id", where),
        status=shape.text(data, "status", where),
        badge_token=shape.optional_text(data, "badge_token", where),
    )
