"""Searching the cached catalog: whatever the user types, an answer and never an error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.api.documents import CourseDoc, LessonDoc, ModuleDoc
from desktop_app.api.payloads import Tombstone
from desktop_app.catalog.search import fts_query, search
from desktop_app.db import Database
from desktop_app.sync.catalog import apply_catalog_page


def course(course_id: str, title: str, summary: str, lessons: list[tuple[str, str]]) -> CourseDoc:
    docs = tuple(
        LessonDoc(lid, ltitle, "reading", i, "", 60, (), None)
        for i, (lid, ltitle) in enumerate(lessons)
    )
    module = ModuleDoc(f"m-{course_id}", "Module", 0, docs)
    return CourseDoc(course_id, title, summary, 1, 0, None, (module,))


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "cache.sqlite3")
    with database.session() as session:
        apply_catalog_page(
            session,
            [
                course("c-peds", "Pédiatrie d'urgence", "Fever in children", [("l-1", "Sepsis")]),
                course("c-wound", "Wound care", "Dressings, healing", [("l-2", "Suturing AND")]),
            ],
        )
    yield database
    database.close()


def hits(db: Database, text: str) -> list[tuple[str, str]]:
    with db.session() as session:
        return [(hit.kind, hit.ref_id) for hit in search(session, text)]


def test_words_match_titles_and_summaries_of_courses_and_lessons(db: Database) -> None:
    assert hits(db, "fever") == [("course", "c-peds")]
    assert hits(db, "sepsis") == [("lesson", "l-1")]
    assert hits(db, "wound dressings") == [("course", "c-wound")]
    assert hits(db, "wound fever") == []


def test_accents_are_folded_and_the_last_word_is_a_prefix(db: Database) -> None:
    assert hits(db, "pediatrie") == [("course", "c-peds")]
    assert hits(db, "sutu") == [("lesson", "l-2")]
    assert hits(db, "sutu ") == []


@pytest.mark.parametrize(
    "text",
    ['"', "AND(", "OR", "NOT", "NEAR(a b)", "*", "title:wound", "^wound", "'; DROP TABLE course;--",
     "(((", "\x00", "🩺", "   ", "", "a" * 5000, "wound)", '"wound'],
)  # fmt: skip
def test_odd_input_never_raises(db: Database, text: str) -> None:
    hits(db, text)


def test_operators_typed_by_the_user_are_plain_words(db: Database) -> None:
    assert hits(db, "(wound)") == [("course", "c-wound")]
    assert hits(db, '"wound') == [("course", "c-wound")]
    assert hits(db, "suturing AND") == [("lesson", "l-2")]
    assert fts_query("a OR b") == '"a" "OR" "b"*'


def test_the_index_follows_updates_and_removals(db: Database) -> None:
    with db.session() as session:
        apply_catalog_page(session, [course("c-wound", "Burns", "", [("l-3", "Grafts")])])
    assert hits(db, "wound") == [] and hits(db, "sutu") == []
    assert hits(db, "grafts") == [("lesson", "l-3")]
    with db.session() as session:
        apply_catalog_page(session, [Tombstone("course", "c-wound")])
    assert hits(db, "burns") == [] and hits(db, "grafts") == []


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text())
def test_any_text_gives_a_list(db: Database, text: str) -> None:
    assert isinstance(hits(db, text), list)
