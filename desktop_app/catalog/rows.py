"""The catalog's frozen rows, and the course list as SQL text with the standard library alone.

The start reads its first course list with plain `sqlite3` before SQLAlchemy is imported, and
`Library.courses` runs the same statements through its session afterwards, so the two lists
cannot differ.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

NOT_DOWNLOADED, PARTLY_DOWNLOADED, DOWNLOADED = "not downloaded", "partly downloaded", "downloaded"

COURSE_COUNTS = """
SELECT course.id, course.title, course.summary,
  (SELECT count(*) FROM module WHERE module.course_id = course.id),
  (SELECT count(*) FROM lesson WHERE lesson.course_id = course.id),
  (SELECT count(*) FROM lesson_asset JOIN lesson ON lesson.id = lesson_asset.lesson_id
   WHERE lesson.course_id = course.id)
FROM course ORDER BY course.position, course.title
"""
"""Each course with its module, lesson and asset-link counts, each from an index."""

STORED_LINKS = """
SELECT lesson.course_id, count(*)
FROM lesson_asset JOIN lesson ON lesson.id = lesson_asset.lesson_id
WHERE lesson_asset.sha256 IN (SELECT value FROM json_each(:among)) GROUP BY lesson.course_id
"""
"""Per course, the asset links whose file is stored (`among`: the stored digests, as JSON)."""

COMPLETED_LESSONS = """
SELECT lesson.course_id, count(*) FROM lesson
WHERE lesson.id IN (SELECT value FROM json_each(:among)) GROUP BY lesson.course_id
"""
"""Per course, the lessons among `among` (the completed lessons' ids, as JSON)."""

Execute = Callable[[str, Mapping[str, Any]], Iterable[Sequence[Any]]]
"""Runs one statement with its named parameters: a sqlite3 cursor's or a session's."""


@dataclass(frozen=True)
class LessonRow:
    """One lesson; `missing` are the digests of its files that were not stored when read."""

    id: str
    course_id: str
    module_id: str
    title: str
    kind: str
    summary: str
    duration_seconds: int
    position: int
    size_bytes: int
    download_state: str
    completed: bool = False
    missing: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ModuleRow:
    id: str
    title: str
    lessons: tuple[LessonRow, ...]


@dataclass(frozen=True)
class CourseRow:
    """A course as the list shows it, from counts SQLite keeps in its indexes: it is
    downloaded when the file of every asset link of its lessons is stored."""

    id: str
    title: str
    summary: str
    module_count: int
    lesson_count: int
    download_state: str
    percent_complete: int = 0


def percent(done: int, total: int) -> int:
    return done * 100 // total if total else 0


def download_state(present: int, total: int) -> str:
    if total == 0 or present == total:
        return DOWNLOADED
    return NOT_DOWNLOADED if present == 0 else PARTLY_DOWNLOADED


def course_rows(execute: Execute, stored: set[str], completed: set[str]) -> list[CourseRow]:
    """Every course with its counts, offline state (`stored`: the digests downloaded) and
    completion (`completed`: the lessons the progress log shows done)."""
    counts = list(execute(COURSE_COUNTS, {}))
    present = _per_course(execute, STORED_LINKS, stored)
    done = _per_course(execute, COMPLETED_LESSONS, completed)
    return [
        CourseRow(
            course_id, title, summary, modules, lessons,
            download_state(present.get(course_id, 0), links),
            percent(done.get(course_id, 0), lessons),
        )
        for course_id, title, summary, modules, lessons, links in counts
    ]  # fmt: skip


def _per_course(execute: Execute, statement: str, among: set[str]) -> dict[str, int]:
    if not among:
        return {}
    rows = execute(statement, {"among": json.dumps(sorted(among))})
    return {course_id: count for course_id, count in rows}
