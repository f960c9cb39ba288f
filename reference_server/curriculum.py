"""Reading a curriculum folder (see resources/curriculum/FORMAT.md) into validated specs.

Media files are copied into the content-addressed store as they are found. Paths must stay
inside the folder: absolute paths, `..` and symlinks that lead outside are rejected."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from reference_server.asset_store import AssetStore, mime_type_for
from reference_server.specs import (
    AssetRef,
    AssetRole,
    CourseSpec,
    LessonKind,
    LessonSpec,
    ModuleSpec,
    Quiz,
    ResidencySpec,
    UserSpec,
)


class CurriculumError(ValueError):
    """The curriculum cannot be published; the message says which file and why."""


class AssetLink(BaseModel):
    """A lesson asset given by digest (the asset is already stored on the server)."""

    model_config = ConfigDict(extra="forbid")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    role: AssetRole
    name: str = Field(min_length=1, max_length=256)
    mime_type: str | None = None
    language: str | None = None


class LessonFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    title: str
    kind: LessonKind
    summary: str = ""
    duration_seconds: int | None = None
    quiz: Quiz | None = None
    media: str | None = None
    captions: dict[str, str] = Field(default_factory=dict)
    body: str | None = None
    images: list[str] = Field(default_factory=list)
    document: str | None = None
    assets: list[AssetLink] = Field(default_factory=list)


class ModuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    title: str
    lessons: list[LessonFile] = Field(default_factory=list)


class CourseFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    title: str
    summary: str = ""
    position: int = 0
    modules: list[ModuleFile] = Field(default_factory=list)


@dataclass(frozen=True)
class Curriculum:
    users: tuple[UserSpec, ...]
    courses: tuple[CourseSpec, ...]
    residencies: tuple[ResidencySpec, ...]


StoredAssetLookup = Callable[[str], tuple[int, str] | None]


def safe_path(root: Path, relative: str) -> Path:
    """The file `relative` names inside `root`, or CurriculumError if it would escape."""
    if not relative or PurePosixPath(relative).is_absolute() or PureWindowsPath(relative).drive:
        raise CurriculumError(f"{relative!r}: paths must be relative to the curriculum folder")
    parts = PurePosixPath(relative.replace("\\", "/")).parts
    if ".." in parts or PureWindowsPath(relative).is_absolute():
        raise CurriculumError(f"{relative!r}: paths must not leave the curriculum folder")
    candidate = root.joinpath(*parts)
    try:
        resolved = candidate.resolve(strict=True)
    except (FileNotFoundError, RuntimeError, OSError):
        raise CurriculumError(f"{relative!r}: no such file in the curriculum folder") from None
    if not resolved.is_relative_to(root.resolve()):
        raise CurriculumError(f"{relative!r}: a link leads outside the curriculum folder")
    if not resolved.is_file():
        raise CurriculumError(f"{relative!r}: not a regular file")
    return resolved


class MediaResolver:
    """Turns a lesson's file references and digest links into published asset entries."""

    def __init__(self, store: AssetStore, root: Path | None, lookup: StoredAssetLookup) -> None:
        self._store, self._root, self._lookup = store, root, lookup

    def from_path(self, relative: str, role: AssetRole, language: str | None = None) -> AssetRef:
        if self._root is None:
            raise CurriculumError(f"{relative!r}: no media folder was given")
        stored = self._store.add_file(safe_path(self._root, relative))
        name = PurePosixPath(relative.replace("\\", "/")).name
        return AssetRef(
            sha256=stored.sha256,
            size=stored.size,
            mime_type=mime_type_for(name),
            role=role,
            name=name,
            language=language,
        )

    def from_link(self, link: AssetLink) -> AssetRef:
        found = self._lookup(link.sha256)
        if found is None:
            raise CurriculumError(f"asset {link.sha256} is not stored on the server")
        size, stored_mime = found
        fields = link.model_dump(exclude={"mime_type"})
        return AssetRef(size=size, mime_type=link.mime_type or stored_mime, **fields)


def lesson_spec(lesson: LessonFile, media: MediaResolver) -> LessonSpec:
    assets: list[AssetRef] = []
    if lesson.media:
        assets.append(media.from_path(lesson.media, "media"))
    for language, path in sorted(lesson.captions.items()):
        assets.append(media.from_path(path, "captions", language))
    if lesson.body:
        assets.append(media.from_path(lesson.body, "body"))
    assets.extend(media.from_path(path, "image") for path in lesson.images)
    if lesson.document:
        assets.append(media.from_path(lesson.document, "document"))
    assets.extend(media.from_link(link) for link in lesson.assets)
    fields = lesson.model_dump(include={"id", "title", "kind", "summary", "duration_seconds"})
    return LessonSpec(quiz=lesson.quiz, assets=tuple(assets), **fields)


def course_spec(document: Any, media: MediaResolver) -> CourseSpec:
    course = CourseFile.model_validate(document)
    modules = tuple(
        ModuleSpec(
            id=module.id,
            title=module.title,
            lessons=tuple(lesson_spec(lesson, media) for lesson in module.lessons),
        )
        for module in course.modules
    )
    fields = course.model_dump(include={"id", "title", "summary", "position"})
    return CourseSpec(modules=modules, **fields)


def _read_json(root: Path, relative: str) -> Any:
    try:
        return json.loads(safe_path(root, relative).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CurriculumError(f"{relative}: not valid JSON ({exc})") from None


def _json_files(root: Path, folder: str) -> list[str]:
    directory = root / folder
    if not directory.is_dir():
        return []
    return sorted(f"{folder}/{path.name}" for path in directory.glob("*.json"))


def _parse(relative: str, build: Callable[[], Any]) -> Any:
    try:
        return build()
    except ValidationError as exc:
        raise CurriculumError(f"{relative}: {_summarise(exc)}") from None
    except CurriculumError as exc:
        raise CurriculumError(f"{relative}: {exc}") from None


def _summarise(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{where}: {first.get('msg', 'invalid')}{more}"


def _users(root: Path) -> tuple[UserSpec, ...]:
    if not (root / "users.json").exists():
        return ()
    document = _read_json(root, "users.json")
    return tuple(TypeAdapter(list[UserSpec]).validate_python(document))


def read_curriculum(root: Path, store: AssetStore, lookup: StoredAssetLookup) -> Curriculum:
    if not root.is_dir():
        raise CurriculumError(f"{root}: not a folder")
    media = MediaResolver(store, root, lookup)
    users: tuple[UserSpec, ...] = _parse("users.json", partial(_users, root))
    courses = tuple(
        _parse(name, partial(_course, root, name, media)) for name in _json_files(root, "courses")
    )
    residencies = tuple(
        _parse(name, partial(_residency, root, name)) for name in _json_files(root, "residencies")
    )
    _check_unique(users, courses, residencies)
    return Curriculum(users, courses, residencies)


def _course(root: Path, name: str, media: MediaResolver) -> CourseSpec:
    return course_spec(_read_json(root, name), media)


def _residency(root: Path, name: str) -> ResidencySpec:
    return ResidencySpec.model_validate(_read_json(root, name))


def _check_unique(
    users: tuple[UserSpec, ...],
    courses: tuple[CourseSpec, ...],
    residencies: tuple[ResidencySpec, ...],
) -> None:
    for label, ids in (
        ("user", [user.username for user in users]),
        ("course", [course.id for course in courses]),
        ("residency", [residency.id for residency in residencies]),
    ):
        repeated = {value for value in ids if ids.count(value) > 1}
        if repeated:
            raise CurriculumError(f"{label} ids appear twice: {', '.join(sorted(repeated))}")
