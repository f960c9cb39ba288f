"""The manifest of a course package: what it holds, for which server, and the bytes signed.

The manifest is JSON: the format and its version, the server's id, the course's id, every file
(`files/<sha256>` in the zip) with its SHA-256 and size, and the course's catalog rows as this
computer holds them, in the shape the catalog feed sends (docs/api.md), so an importer checks
them as it checks the feed. The server signs `CONTEXT` + the SHA-256 (hex) of the manifest's
canonical JSON (sorted keys, no spaces); `reference_server.packages` computes the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.api.documents import CourseDoc, parse_course
from desktop_app.api.errors import BadPayloadError
from desktop_app.api.shape import rfc3339
from desktop_app.content_store import is_sha256
from desktop_app.models import Asset, Course, Lesson, LessonAsset
from desktop_app.packages.refusals import NOT_A_PACKAGE, PackageError

FORMAT = "rounds-course-package"
VERSION = 1
CONTEXT = b"rounds-course-package-v1\n"
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "signature.json"
FILES_FOLDER = "files/"


@dataclass(frozen=True)
class PackageFile:
    sha256: str
    size: int

    @property
    def entry(self) -> str:
        return f"{FILES_FOLDER}{self.sha256}"


@dataclass(frozen=True)
class Manifest:
    server_id: str
    course_id: str
    files: tuple[PackageFile, ...]
    course: CourseDoc
    document: dict[str, Any]

    @property
    def total_size(self) -> int:
        return sum(item.size for item in self.files)


def canonical(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def signed_bytes(document: dict[str, Any]) -> bytes:
    """What the server's key signs for this manifest."""
    return CONTEXT + hashlib.sha256(canonical(document)).hexdigest().encode()


def manifest_document(session: Session, server_id: str, course_id: str) -> dict[str, Any]:
    """The manifest of a course as the cache holds it (the course must be cached)."""
    catalog = catalog_document(session, course_id)
    rows = session.execute(_course_assets(course_id, Asset.size))
    files = [{"sha256": sha, "size": size} for sha, size in sorted(rows)]
    return {
        "format": FORMAT,
        "version": VERSION,
        "server_id": server_id,
        "course_id": course_id,
        "files": files,
        "catalog": catalog,
    }


def _course_assets(course_id: str, column: Any) -> Any:
    """(SHA-256, `column`) of each asset of the course, once each."""
    return (
        select(Asset.sha256, column)
        .join(LessonAsset, LessonAsset.sha256 == Asset.sha256)
        .join(Lesson, Lesson.id == LessonAsset.lesson_id)
        .where(Lesson.course_id == course_id)
        .distinct()
    )


def catalog_document(session: Session, course_id: str) -> dict[str, Any]:
    """The cached course in the catalog feed's shape."""
    course = session.get(Course, course_id)
    if course is None:
        raise LookupError(course_id)
    mime = {sha: kind for sha, kind in session.execute(_course_assets(course_id, Asset.mime_type))}
    return {
        "id": course.id,
        "title": course.title,
        "summary": course.summary,
        "version": course.version,
        "position": course.position,
        "updated_at": rfc3339(course.updated_at) if course.updated_at else None,
        "modules": [
            {
                "id": module.id,
                "title": module.title,
                "position": module.position,
                "lessons": [_lesson(lesson, mime) for lesson in module.lessons],
            }
            for module in course.modules
        ],
    }


def _lesson(lesson: Lesson, mime: dict[str, str]) -> dict[str, Any]:
    return {
        "id": lesson.id,
        "title": lesson.title,
        "kind": lesson.kind,
        "position": lesson.position,
        "summary": lesson.summary,
        "duration_seconds": lesson.duration_seconds,
        "quiz": json.loads(lesson.quiz_json) if lesson.quiz_json else None,
        "assets": [
            {
                "sha256": link.sha256,
                "size": 0,  # filled from the manifest's files when read
                "mime_type": mime.get(link.sha256, "application/octet-stream"),
                "role": link.role,
                "name": link.name,
                "language": link.language,
            }
            for link in lesson.assets
        ],
    }


def parse_manifest(raw: bytes) -> Manifest:
    """The manifest read from a package; PackageError if it is not one."""
    try:
        document = json.loads(raw)
        if document.get("format") != FORMAT or document.get("version") != VERSION:
            raise PackageError(NOT_A_PACKAGE.format())
        files = tuple(_file(item) for item in document["files"])
        course = parse_course(_with_sizes(document["catalog"], files), "the package's catalog")
        manifest = Manifest(
            str(document["server_id"]), str(document["course_id"]), files, course, document
        )
    except (ValueError, KeyError, TypeError, AttributeError, BadPayloadError) as error:
        raise PackageError(NOT_A_PACKAGE.format()) from error
    if course.id != manifest.course_id or len({f.sha256 for f in files}) != len(files):
        raise PackageError(NOT_A_PACKAGE.format())
    return manifest


def _file(item: Any) -> PackageFile:
    sha256, size = item["sha256"], item["size"]
    if not (isinstance(sha256, str) and is_sha256(sha256)):
        raise ValueError("not a SHA-256")
    if type(size) is not int or size < 0:
        raise ValueError("not a size")
    return PackageFile(sha256, size)


def _with_sizes(catalog: dict[str, Any], files: tuple[PackageFile, ...]) -> dict[str, Any]:
    """The catalog rows with each asset's size from the file list (which the hashes prove)."""
    sizes = {item.sha256: item.size for item in files}
    copy: dict[str, Any] = json.loads(json.dumps(catalog))
    for module in copy["modules"]:
        for lesson in module["lessons"]:
            for asset in lesson["assets"]:
                asset["size"] = sizes[asset["sha256"]]
    return copy
