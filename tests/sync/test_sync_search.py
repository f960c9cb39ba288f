"""Searching the cached catalog: whatever the user types, an answer and never an error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.api.documents import CourseDoc, LessonDoc, ModuleDoc
from desktop_app.api.payloads import Tombstone
from desktop_app.catalog.search import COURSE_BOUND, CatalogSearch, CourseMatches, fts_query, search
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
    assert fts_query("a OR be") == '"a" "OR" "be"*'


def test_a_last_letter_alone_waits_for_the_next_one(db: Database) -> None:
    assert fts_query("a OR b") == '"a" "OR"'
    assert fts_query("w") is None
    assert fts_query("wound s ") == '"wound" "s"'


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


def test_a_query_no_longer_wanted_is_abandoned(db: Database) -> None:
    search = CatalogSearch(db)
    assert search.courses("wound", lambda: False) is None
    assert search.lessons("sepsis", lambda: False) is None
    assert search.courses("wound") == CourseMatches("wound", frozenset({"c-wound"}), True)
    assert [hit.id for hit in search.lessons("sepsis") or []] == ["l-1"]


def test_the_course_filter_stops_at_its_bound(db: Database) -> None:
    many = [course(f"c-{n}", f"Triage {n}", "", []) for n in range(COURSE_BOUND + 1)]
    with db.session() as session:
        apply_catalog_page(session, many)
    matches = CatalogSearch(db).courses("triage")
    assert matches is not None and not matches.complete
    assert len(matches.ids) == COURSE_BOUND
    assert CatalogSearch(db).courses("triage 7 ") == CourseMatches(
        "triage 7 ", frozenset({"c-7"}), True
    )
    answers = iter([True])  # wanted when it starts, typed past as soon as SQLite asks
    asked_often = CatalogSearch(db, steps_between_checks=100)
    assert asked_often.courses("triage", lambda: next(answers, False)) is None
