"""A lesson's local files: what the player may open, from the cache and the content store.

Only files verified into the store are listed; a file still downloading (or damaged) is in
`missing`, never in `files`. The player never looks anywhere else for a lesson's files.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.models import Lesson, LessonAsset
from desktop_app.progress import LessonRef

PREFERRED_LANGUAGE = "en"

# The roles a lesson cannot be studied without. Captions and images are optional extras.
REQUIRED_ROLES: dict[str, tuple[str, ...]] = {
    "video": ("media",),
    "audio": ("media",),
    "reading": ("body",),
    "pdf": ("document",),
    "quiz": (),
}


@dataclass(frozen=True)
class LessonFiles:
    """One lesson and its local files.

    files: role -> local file (`media`, `captions`, `body`, `document`).
    images: name a reading refers to (e.g. `figure.png`) -> local file.
    quiz: the quiz document of a quiz lesson (see docs/api.md), else None.
    missing: roles whose files are not downloaded yet.
    streams: role -> address a player streams the file from while it is not downloaded
        (`desktop_app.downloads.online`).
    """

    ref: LessonRef
    files: dict[str, Path] = field(default_factory=dict)
    images: dict[str, Path] = field(default_factory=dict)
    quiz: dict[str, Any] | None = None
    missing: tuple[str, ...] = ()
    streams: dict[str, str] = field(default_factory=dict)

    @property
    def missing_required(self) -> tuple[str, ...]:
        """The required roles with no usable local file (nor a stream to play instead)."""
        return tuple(
            role
            for role in REQUIRED_ROLES.get(self.ref.kind, ())
            if role not in self.streams and (role in self.missing or not self._exists(role))
        )

    @property
    def downloaded(self) -> bool:
        """Whether every file the lesson needs is on this computer."""
        return not self.streams and not self.missing_required

    def optional_file(self, role: str) -> Path | None:
        """The local file for an optional role (such as captions), if there is one."""
        return self.files[role] if role not in self.missing and self._exists(role) else None

    def _exists(self, role: str) -> bool:
        path = self.files.get(role)
        return path is not None and path.is_file()


@dataclass(frozen=True)
class _Entry:
    sha256: str
    role: str
    name: str
    language: str


def lesson_files(db: Database, store: ContentStore, lesson_id: str) -> LessonFiles | None:
    """The lesson's downloaded files, or None if the lesson is not in the cache."""
    with db.session() as session:
        lesson = session.get(Lesson, lesson_id)
        if lesson is None:
            return None
        ref = LessonRef(lesson.id, lesson.course_id, lesson.title, lesson.kind)
        quiz_json = lesson.quiz_json
        rows = session.scalars(select(LessonAsset).where(LessonAsset.lesson_id == lesson_id))
        entries = [_Entry(row.sha256, row.role, row.name, row.language) for row in rows]
    present = store.present({entry.sha256 for entry in entries})
    files, images, missing = _sort_out(entries, present, store)
    quiz = _quiz(quiz_json)
    if ref.kind == "quiz" and quiz is None:
        missing.append("quiz")
    return LessonFiles(ref, files, images, quiz, tuple(sorted(set(missing))))


def _sort_out(
    entries: Sequence[_Entry], present: set[str], store: ContentStore
) -> tuple[dict[str, Path], dict[str, Path], list[str]]:
    files: dict[str, Path] = {}
    images: dict[str, Path] = {}
    missing: list[str] = []
    for entry in sorted(entries, key=_preference):
        if entry.sha256 not in present:
            missing.append(entry.role)
        elif entry.role == "image":
            images.setdefault(entry.name, store.path_for(entry.sha256))
        else:
            files.setdefault(entry.role, store.path_for(entry.sha256))
    return files, images, [role for role in missing if role == "image" or role not in files]


def _preference(entry: _Entry) -> tuple[bool, str, str]:
    """Captions in the preferred language first, then by language and name."""
    return (entry.language not in ("", PREFERRED_LANGUAGE), entry.language, entry.name)


def _quiz(quiz_json: str | None) -> dict[str, Any] | None:
    if not quiz_json:
        return None
    try:
        quiz = json.loads(quiz_json)
    except ValueError:
        return None
    return quiz if isinstance(quiz, dict) else None
