"""Full-text search over course and lesson titles and summaries (the FTS5 `search_index`).

The catalog applier keeps the index in step with the cache; `search` turns whatever the user
typed into a safe FTS5 query: words only, each quoted, the last one matched as a prefix.
Quotes, brackets and operators in the input are ignored, never an error.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from desktop_app.api.documents import CourseDoc

log = logging.getLogger(__name__)
MAX_TERMS = 12
_WORD = re.compile(r"\w+", re.UNICODE)

_INSERT = (
    "INSERT INTO search_index (kind, ref_id, course_id, title, summary) VALUES (?, ?, ?, ?, ?)"
)
_DELETE = text("DELETE FROM search_index WHERE course_id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)
_QUERY = text(
    "SELECT kind, ref_id, course_id, title, "
    "snippet(search_index, 4, '', '', '…', 12) AS excerpt "
    "FROM search_index WHERE search_index MATCH :query "
    "ORDER BY bm25(search_index, 0.0, 0.0, 0.0, 8.0, 1.0) LIMIT :limit"
)


@dataclass(frozen=True)
class SearchHit:
    """A course or lesson matching the search; `excerpt` is the matching part of its summary."""

    kind: str
    ref_id: str
    course_id: str
    title: str
    excerpt: str


def fts_query(user_text: str) -> str | None:
    """An FTS5 query that matches documents holding every word typed (None if no words)."""
    words = _WORD.findall(user_text)[:MAX_TERMS]
    if not words:
        return None
    terms = [f'"{word}"' for word in words]
    if not user_text[-1:].isspace():
        terms[-1] += "*"
    return " ".join(terms)


def search(session: Session, user_text: str, limit: int = 50) -> list[SearchHit]:
    """Courses and lessons matching `user_text`, best first; [] for nothing searchable."""
    query = fts_query(user_text)
    if query is None:
        return []
    try:
        rows = session.execute(_QUERY, {"query": query, "limit": limit}).all()
    except OperationalError as error:
        log.warning("Search failed: %s", error.orig)
        return []
    return [SearchHit(*row) for row in rows]


def index_courses(session: Session, courses: Iterable[CourseDoc]) -> None:
    """Add each course and its lessons to the index (remove their old entries first)."""
    rows = [row for course in courses for row in _rows(course)]
    if rows:
        session.connection().exec_driver_sql(_INSERT, rows)


def unindex_courses(session: Session, course_ids: Sequence[str]) -> None:
    if course_ids:
        session.execute(_DELETE, {"ids": list(course_ids)})


def _rows(course: CourseDoc) -> list[tuple[str, str, str, str, str]]:
    rows = [("course", course.id, course.id, course.title, course.summary)]
    for module in course.modules:
        rows.extend(
            ("lesson", lesson.id, course.id, lesson.title, lesson.summary)
            for lesson in module.lessons
        )
    return rows
