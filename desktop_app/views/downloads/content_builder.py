"""The player's `LessonContent` for a lesson, from the cache and the downloaded files."""

from __future__ import annotations

from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.downloads import lesson_files
from desktop_app.views.player.content import LessonContent


def build_lesson_content(db: Database, store: ContentStore, lesson_id: str) -> LessonContent | None:
    """Local files of each role in the store, images by name, the quiz, and what is missing.

    None if the lesson is not in the cache. Only verified files are listed, so a lesson still
    downloading (or whose file failed verification) shows those roles as missing."""
    files = lesson_files(db, store, lesson_id)
    if files is None:
        return None
    return LessonContent(files.ref, files.files, files.images, files.quiz, files.missing)
