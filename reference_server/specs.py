"""Validated shapes of the curriculum the server publishes (pydantic, at the file boundary)."""

from __future__ import annotations

from typing import Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

Identifier = str
LessonKind = Literal["video", "audio", "reading", "pdf", "quiz"]
AssetRole = Literal["media", "captions", "body", "image", "document"]
_ID = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Spec):
    id: str = Field(min_length=1, max_length=64)
    text: str


class Question(_Spec):
    id: str = Field(min_length=1, max_length=64)
    prompt: str
    multiple: bool = False
    choices: list[Choice] = Field(min_length=2)
    correct: list[str] = Field(min_length=1)
    feedback: str = ""

    @model_validator(mode="after")
    def _correct_are_choices(self) -> Self:
        ids = [choice.id for choice in self.choices]
        if len(set(ids)) != len(ids):
            raise ValueError(f"question {self.id}: choice ids repeat")
        if not set(self.correct) <= set(ids):
            raise ValueError(f"question {self.id}: a correct answer is not among the choices")
        if not self.multiple and len(self.correct) != 1:
            raise ValueError(f"question {self.id}: a single-choice question has one answer")
        return self


class Quiz(_Spec):
    pass_mark: float = Field(ge=0, le=1)
    questions: list[Question] = Field(min_length=1)


class AssetRef(_Spec):
    """An asset as a lesson publishes it (already in the content-addressed store)."""

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)
    mime_type: str = Field(min_length=3, max_length=128)
    role: AssetRole
    name: str = Field(min_length=1, max_length=256)
    language: str | None = Field(default=None, min_length=1, max_length=35)


class LessonSpec(_Spec):
    id: Identifier = _ID
    title: str
    kind: LessonKind
    summary: str = ""
    duration_seconds: int | None = Field(default=None, ge=0)
    quiz: Quiz | None = None
    assets: tuple[AssetRef, ...] = ()

    @model_validator(mode="after")
    def _quiz_only_on_quiz(self) -> Self:
        if (self.kind == "quiz") != (self.quiz is not None):
            raise ValueError(f"lesson {self.id}: a quiz lesson, and only a quiz lesson, has a quiz")
        return self


class ModuleSpec(_Spec):
    id: Identifier = _ID
    title: str
    lessons: tuple[LessonSpec, ...] = ()


class CourseSpec(_Spec):
    id: Identifier = _ID
    title: str
    summary: str = ""
    position: int = 0
    modules: tuple[ModuleSpec, ...] = ()

    @model_validator(mode="after")
    def _unique_children(self) -> Self:
        modules = [module.id for module in self.modules]
        lessons = [lesson.id for module in self.modules for lesson in module.lessons]
        if len(set(modules)) != len(modules) or len(set(lessons)) != len(lessons):
            raise ValueError(f"course {self.id}: module or lesson ids repeat")
        return self


class Venue(_Spec):
    name: str
    address: str = ""
    timezone: str = Field(min_length=1, max_length=64)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r}") from None
        return value


class SessionSpec(_Spec):
    id: Identifier = _ID
    title: str
    room: str = Field(default="", max_length=256)
    faculty: tuple[str, ...] = ()
    starts_at: AwareDatetime
    ends_at: AwareDatetime


class ResidencySpec(_Spec):
    id: Identifier = _ID
    title: str
    summary: str = ""
    venue: Venue
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    checkin_opens_at: AwareDatetime
    checkin_closes_at: AwareDatetime
    checkin_code: str = Field(min_length=1, max_length=128)
    prerequisites: tuple[str, ...] = ()
    sessions: tuple[SessionSpec, ...] = ()
    enrolled: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _times_in_order(self) -> Self:
        if self.ends_at < self.starts_at or self.checkin_closes_at < self.checkin_opens_at:
            raise ValueError(f"residency {self.id}: a time range ends before it starts")
        return self


class UserSpec(_Spec):
    id: Identifier = _ID
    username: str = Field(min_length=1, max_length=128)
    password: str = Field(min_length=1, max_length=1024)
    display_name: str = Field(min_length=1, max_length=256)
