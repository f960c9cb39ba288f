"""Full-text search over course and lesson titles and summaries (the FTS5 `search_index`).

The catalog applier keeps the index in step with the cache; `fts_query` turns whatever the user
typed into a safe FTS5 query: words only, each quoted, the last one matched as a prefix.
Quotes, brackets and operators in the input are ignored, never an error.

The window asks `CatalogSearch` on a worker thread, two questions per text: which courses
match (bounded and unranked, so it costs milliseconds even at half a million lessons), and
which lessons match best, with excerpts (ranking scores every match, so it comes later).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from desktop_app.db import Database

if TYPE_CHECKING:  # the sync indexes what it parsed; the window only searches
    from desktop_app.api.documents import CourseDoc

log = logging.getLogger(__name__)
MAX_TERMS = 12
COURSE_BOUND = 200
LESSON_HITS = 50
# SQLite asks whether the text is still wanted every this many virtual-machine steps (about
# every 7 ms of a ranking). Each question takes the interpreter lock from the UI thread, so
# they are kept few.
STEPS_BETWEEN_CHECKS = 50_000
_WORD = re.compile(r"\w+", re.UNICODE)
MATCH_START, MATCH_END = "\x02", "\x03"
"""Around each matching word of an excerpt: control characters no course text holds."""
_MARKED = re.compile(f"{MATCH_START}([^{MATCH_START}{MATCH_END}]*){MATCH_END}")

_INSERT = (
    "INSERT INTO search_index (kind, ref_id, course_id, title, summary) VALUES (?, ?, ?, ?, ?)"
)
_DELETE = text("DELETE FROM search_index WHERE course_id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)
_QUERY = text(
    "SELECT kind, ref_id, course_id, title, "
    "snippet(search_index, 4, :start, :end, '…', 12) AS excerpt "
    "FROM search_index WHERE search_index MATCH :query "
    "ORDER BY bm25(search_index, 0.0, 0.0, 0.0, 8.0, 1.0) LIMIT :limit"
)
_COURSES = text(
    "SELECT DISTINCT course_id FROM search_index WHERE search_index MATCH :query LIMIT :bound"
)
_TITLED = text("SELECT id FROM course WHERE title = :title COLLATE NOCASE")
_TITLES = text("SELECT id, title FROM course WHERE id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)


@dataclass(frozen=True)
class SearchHit:
    """A course or lesson matching the search; `excerpt` is the matching part of its summary,
    each matching word between `MATCH_START` and `MATCH_END` (see `excerpt_parts`)."""

    kind: str
    ref_id: str
    course_id: str
    title: str
    excerpt: str


@dataclass(frozen=True)
class CourseMatches:
    """The courses matching `text`: at most `COURSE_BOUND` of them; `complete` is False when
    more matched than that."""

    text: str
    ids: frozenset[str]
    complete: bool


@dataclass(frozen=True)
class LessonHit:
    """A lesson matching the search, with its course's title and the matching part of its
    summary."""

    id: str
    course_id: str
    title: str
    course_title: str
    excerpt: str


def excerpt_parts(excerpt: str) -> list[tuple[str, bool]]:
    """An excerpt as pieces of text, each saying whether it is a matching word, in order;
    a marker without its pair is dropped, never shown."""
    parts: list[tuple[str, bool]] = []
    end = 0
    for match in _MARKED.finditer(excerpt):
        parts.append((plain_excerpt(excerpt[end : match.start()]), False))
        parts.append((match[1], True))
        end = match.end()
    parts.append((plain_excerpt(excerpt[end:]), False))
    return [(text, marked) for text, marked in parts if text]


def plain_excerpt(excerpt: str) -> str:
    """The excerpt's text without its match markers."""
    return excerpt.replace(MATCH_START, "").replace(MATCH_END, "")


def fts_query(user_text: str) -> str | None:
    """An FTS5 query that matches documents holding every word typed (None if no words).

    A last word of one letter still being typed is left out until the next letter: as a
    prefix it matches nearly every entry, and it costs SQLite the whole index to say so. The
    text is searched as it was before that letter ("patient's" as "patient'", the last word a
    prefix), so typing the letter never narrows the list only for the next one to widen it."""
    searched, words = _before_letter_typed(user_text)
    if not words:
        return None
    terms = [f'"{word}"' for word in words[:MAX_TERMS]]
    if not searched[-1:].isspace():
        terms[-1] += "*"
    return " ".join(terms)


def _before_letter_typed(user_text: str) -> tuple[str, list[str]]:
    """The text without the one-letter words it ends with (`x-a`: both), and its words."""
    words = list(_WORD.finditer(user_text))
    end = len(user_text)
    while words and len(words[-1][0]) == 1 and not user_text[end - 1 : end].isspace():
        end = words.pop().start()
    return user_text[:end], [word[0] for word in words]


def is_searchable(user_text: str) -> bool:
    return fts_query(user_text) is not None


def search(session: Session, user_text: str, limit: int = 50) -> list[SearchHit]:
    """Courses and lessons matching `user_text`, best first; [] for nothing searchable."""
    try:
        return _ranked(session, user_text, limit)
    except OperationalError as error:
        log.warning("Search failed: %s", error.orig)
        return []


def _ranked(session: Session, user_text: str, limit: int) -> list[SearchHit]:
    query = fts_query(user_text)
    if query is None:
        return []
    params = {"query": query, "limit": limit, "start": MATCH_START, "end": MATCH_END}
    return [SearchHit(*row) for row in session.execute(_QUERY, params)]


def matching_courses(session: Session, user_text: str) -> CourseMatches:
    """The ids of up to `COURSE_BOUND` courses whose entry or lessons match, in index order.
    When more match, a course whose title is the text typed is always among those kept: the
    learner who types a whole title is looking for that course."""
    query = fts_query(user_text)
    if query is None:
        return CourseMatches(user_text, frozenset(), True)
    found = session.scalars(_COURSES, {"query": query, "bound": COURSE_BOUND + 1}).all()
    if len(found) <= COURSE_BOUND:
        return CourseMatches(user_text, frozenset(found), True)
    titled = session.scalars(_TITLED, {"title": " ".join(user_text.split())}).all()
    kept = [*titled, *(id_ for id_ in found if id_ not in titled)]
    return CourseMatches(user_text, frozenset(kept[:COURSE_BOUND]), False)


def lesson_hits(session: Session, user_text: str) -> list[LessonHit]:
    """Lessons among the best `LESSON_HITS` matches of `user_text`, best first (a title
    counts 8 times a summary). Course titles come from a second query: joining the course
    table to the ranked matches makes SQLite take seconds instead of a fraction of one."""
    hits = [hit for hit in _ranked(session, user_text, LESSON_HITS) if hit.kind == "lesson"]
    ids = sorted({hit.course_id for hit in hits})
    titles = {id_: title for id_, title in session.execute(_TITLES, {"ids": ids})} if ids else {}
    return [
        LessonHit(hit.ref_id, hit.course_id, hit.title, titles.get(hit.course_id, ""), hit.excerpt)
        for hit in hits
    ]


class CatalogSearch:
    """Both searches for the window, each in a session of its own on the calling thread.

    `still_wanted` is asked as the query runs; once it says no, SQLite abandons the query and
    None comes back, so a worker never spends seconds on text the learner has typed past."""

    def __init__(self, db: Database, steps_between_checks: int = STEPS_BETWEEN_CHECKS) -> None:
        self._db, self._steps = db, steps_between_checks

    def courses(
        self, user_text: str, still_wanted: Callable[[], bool] = lambda: True
    ) -> CourseMatches | None:
        return self._abandonable(lambda session: matching_courses(session, user_text), still_wanted)

    def lessons(
        self, user_text: str, still_wanted: Callable[[], bool] = lambda: True
    ) -> list[LessonHit] | None:
        return self._abandonable(lambda session: lesson_hits(session, user_text), still_wanted)

    def _abandonable[T](
        self, query: Callable[[Session], T], still_wanted: Callable[[], bool]
    ) -> T | None:
        if not still_wanted():  # typed past while it waited for a worker
            return None
        with self._db.session() as session:
            raw: Any = session.connection().connection.dbapi_connection
            raw.set_progress_handler(lambda: not still_wanted(), self._steps)
            try:
                return query(session)
            except OperationalError:
                if still_wanted():
                    raise
                return None
            finally:
                raw.set_progress_handler(None, 0)


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
