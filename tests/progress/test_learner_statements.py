"""Statements an LRS can join to its learners: the actor and IRI bases the server stated, quiz
questions as cmi.interaction activities with xAPI responses, one registration per course."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from progress_samples import QUIZ, SERVER, VIDEO, FakeClock
from quiz_samples import QUIZ as QUIZ_DOCUMENT
from quiz_samples import RIGHT, WRONG

from desktop_app.api.errors import BadPayloadError
from desktop_app.api.payloads import StatedIdentity, parse_sign_in
from desktop_app.db import Database
from desktop_app.progress import Actor, ProgressLog
from desktop_app.progress.identity import (
    IDENTITY_FILE,
    load_stated_identity,
    save_stated_identity,
)
from desktop_app.progress.interactions import choice_response, question_activity
from desktop_app.progress.quiz_scoring import parse_quiz
from desktop_app.progress.store import all_statements
from desktop_app.progress.xapi import (
    ANSWERED,
    INTERACTION_TYPE,
    PDF_PAGE,
    LessonRef,
    StatementBuilder,
    registration_for,
)

ACTIVITIES = "https://learning.hospital.example/xapi/activities"
EXTENSIONS = "https://learning.hospital.example/xapi/extensions"
PDF = LessonRef("l-pdf", "c-foundations", "Checklist", "pdf")
OTHER_COURSE = LessonRef("l-other", "c-other", "Other", "video")


@pytest.fixture
def stated_log(db: Database, actor: Actor) -> ProgressLog:
    return ProgressLog(db, actor, ACTIVITIES, FakeClock(), extensions_base=EXTENSIONS)


def statements_of(log: ProgressLog) -> list[dict[str, Any]]:
    with log.db.session() as session:
        return all_statements(session)


def test_every_statement_of_one_course_carries_one_registration(
    stated_log: ProgressLog, actor: Actor
) -> None:
    recorder = stated_log.recorder_for(QUIZ)
    recorder.opened()
    recorder.quiz_scored(0.5, False, WRONG, parse_quiz(QUIZ_DOCUMENT))
    recorder.closed()
    with stated_log.db.session() as session:
        stated_log.completed(session, VIDEO)
        stated_log.completed(session, OTHER_COURSE)
    statements = statements_of(stated_log)
    registrations = {s["object"]["id"]: s["context"]["registration"] for s in statements}
    course = {registration for iri, registration in registrations.items() if "l-other" not in iri}
    assert len(course) == 1 and len(set(registrations.values())) == 2
    (registration,) = course
    assert uuid.UUID(registration).version == 5
    assert registration == registration_for(actor, f"{ACTIVITIES}/course/c-foundations")


def test_the_registration_is_the_same_on_another_device_and_another_learners_differs(
    actor: Actor,
) -> None:
    """Derived, not stored: every device of the learner makes the same one."""
    course = f"{ACTIVITIES}/course/c-foundations"
    again = Actor(actor.home_page + "/", actor.account_name, "another name")
    assert registration_for(actor, course) == registration_for(again, course)
    assert registration_for(actor, course) != registration_for(Actor(SERVER, "ben"), course)
    by_mail = Actor(SERVER, "ana", mbox="mailto:Ana@Hospital.example")
    same_mail = Actor("https://elsewhere.example", "u-1", mbox="mailto:ana@hospital.example")
    assert registration_for(by_mail, course) == registration_for(same_mail, course)


def test_activity_ids_and_extension_keys_use_the_stated_bases(stated_log: ProgressLog) -> None:
    with stated_log.db.session() as session:
        stated_log.progressed(session, PDF, 3, 0.5)
    (statement,) = statements_of(stated_log)
    assert statement["object"]["id"] == f"{ACTIVITIES}/lesson/l-pdf"
    parent = statement["context"]["contextActivities"]["parent"][0]
    assert parent["id"] == f"{ACTIVITIES}/course/c-foundations"
    assert f"{EXTENSIONS}/page" in statement["result"]["extensions"]
    assert not any("rounds.example" in key for key in statement["result"]["extensions"])
    assert stated_log.lesson_state("l-pdf").resume_position == 3


def test_a_position_under_the_earlier_extensions_base_still_resumes(
    db: Database, actor: Actor, clock: FakeClock
) -> None:
    """Statements made (or pulled) from before the server stated a base keep counting."""
    earlier = ProgressLog(db, actor, ACTIVITIES, clock)
    with db.session() as session:
        earlier.progressed(session, PDF, 4, 0.5)
    (statement,) = statements_of(earlier)
    assert PDF_PAGE in statement["result"]["extensions"]
    clock.advance(5)
    stated = ProgressLog(db, actor, ACTIVITIES, clock, extensions_base=EXTENSIONS)
    assert stated.lesson_state("l-pdf").resume_position == 4
    with db.session() as session:
        stated.progressed(session, PDF, 6, 0.7)
    assert stated.lesson_state("l-pdf").resume_position == 6


def test_a_question_is_a_choice_interaction_with_its_choices_and_correct_pattern() -> None:
    quiz = parse_quiz(QUIZ_DOCUMENT)
    builder = StatementBuilder(Actor(SERVER, "u-ana"), ACTIVITIES, EXTENSIONS)
    activity = question_activity(builder, QUIZ, quiz.questions[1])
    assert activity["id"] == f"{ACTIVITIES}/lesson/l-quiz/question/q2"
    definition = activity["definition"]
    assert definition["type"] == INTERACTION_TYPE
    assert definition["interactionType"] == "choice"
    assert definition["correctResponsesPattern"] == ["a[,]b"]
    assert definition["choices"] == [
        {"id": "a", "description": {"und": "Name"}},
        {"id": "b", "description": {"und": "Ward photo with a face"}},
        {"id": "c", "description": {"und": "A general statistic"}},
    ]
    assert definition["description"] == {"und": "Which of these identify a patient?"}
    assert choice_response(["b", "a", "b"]) == "a[,]b"


def test_an_attempt_writes_each_answer_and_keeps_its_score(stated_log: ProgressLog) -> None:
    quiz = parse_quiz(QUIZ_DOCUMENT)
    recorder = stated_log.recorder_for(QUIZ)
    recorder.quiz_scored(0.5, False, {"q1": ["b"], "q2": ["a"]}, quiz)
    recorder.quiz_scored(1.0, True, {"q1": RIGHT["q1"], "q2": ["b", "a"]}, quiz)
    statements = statements_of(stated_log)
    answers = [s for s in statements if s["verb"]["id"] == ANSWERED]
    assert [(a["object"]["id"].rsplit("/", 1)[-1], a["result"]) for a in answers] == [
        ("q1", {"response": "b", "success": True}),
        ("q2", {"response": "a", "success": False}),
        ("q1", {"response": "b", "success": True}),
        ("q2", {"response": "a[,]b", "success": True}),
    ]
    quiz_iri = f"{ACTIVITIES}/lesson/l-quiz"
    activities = answers[0]["context"]["contextActivities"]
    assert [a["id"] for a in activities["parent"]] == [quiz_iri]
    assert [a["id"] for a in activities["grouping"]] == [f"{ACTIVITIES}/course/c-foundations"]
    scored = [s for s in statements if s["verb"]["id"].endswith(("/passed", "/failed"))]
    assert [s["result"]["score"] for s in scored] == [
        {"scaled": 0.5, "raw": 1, "min": 0, "max": 2},
        {"scaled": 1.0, "raw": 2, "min": 0, "max": 2},
    ]
    state = stated_log.lesson_state(QUIZ.lesson_id)
    assert (state.attempts, state.best_score, state.completed) == (2, 1.0, True)


def test_unanswered_questions_make_no_answered_statement(stated_log: ProgressLog) -> None:
    recorder = stated_log.recorder_for(QUIZ)
    recorder.quiz_scored(0.0, False, {"q2": []}, parse_quiz(QUIZ_DOCUMENT))
    assert [s["verb"]["id"].rsplit("/", 1)[-1] for s in statements_of(stated_log)] == ["failed"]


def test_an_mbox_actor_is_this_learner_whatever_its_case() -> None:
    aliases = frozenset({(SERVER, "u-ana")})
    actor = Actor(SERVER, "u-ana", "Ana", aliases, mbox="mailto:ana@hospital.example")
    assert actor.to_xapi() == {
        "objectType": "Agent",
        "mbox": "mailto:ana@hospital.example",
        "name": "Ana",
    }
    assert actor.is_agent({"mbox": "mailto:Ana@Hospital.example"})
    assert not actor.is_agent({"mbox": "mailto:ben@hospital.example"})
    assert actor.is_agent({"account": {"homePage": SERVER + "/", "name": "u-ana"}})
    assert actor.earlier_agents() == [
        {"objectType": "Agent", "account": {"homePage": SERVER, "name": "u-ana"}}
    ]


SIGN_IN = {
    "access_token": "a",
    "refresh_token": "r",
    "token_type": "Bearer",
    "expires_in": 900,
    "user": {"id": "u-ana", "username": "ana", "display_name": "Ana"},
}
STATED = {
    "actor": {"objectType": "Agent", "account": {"homePage": SERVER + "/", "name": "u-ana"}},
    "activity_iri_base": ACTIVITIES,
    "extensions_iri_base": EXTENSIONS + "/",
}


def test_the_sign_in_reply_states_the_identity() -> None:
    assert parse_sign_in(SIGN_IN).xapi is None  # a server that does not say
    stated = parse_sign_in({**SIGN_IN, "xapi": STATED}).xapi
    assert stated == StatedIdentity(SERVER, "u-ana", "", ACTIVITIES, EXTENSIONS)
    by_mail = {**STATED, "actor": {"mbox": "mailto:ana@hospital.example"}}
    assert parse_sign_in({**SIGN_IN, "xapi": by_mail}).xapi == StatedIdentity(
        "", "", "mailto:ana@hospital.example", ACTIVITIES, EXTENSIONS
    )


@pytest.mark.parametrize(
    "xapi",
    [
        "an account",
        {**STATED, "actor": {"mbox": "ana@hospital.example"}},
        {**STATED, "actor": {"account": {"homePage": "lms.example", "name": "u-ana"}}},
        {**STATED, "actor": {"account": {"homePage": SERVER, "name": ""}}},
        {**STATED, "activity_iri_base": ""},
        {**STATED, "extensions_iri_base": "urn:rounds"},
    ],
)
def test_a_malformed_stated_identity_is_refused(xapi: Any) -> None:
    with pytest.raises(BadPayloadError):
        parse_sign_in({**SIGN_IN, "xapi": xapi})


@pytest.mark.expect_log("desktop_app.progress.identity", "cannot be read")
def test_the_stated_identity_is_kept_in_the_account_folder(tmp_path: Path) -> None:
    stated = StatedIdentity(SERVER, "u-ana", "", ACTIVITIES, EXTENSIONS)
    assert load_stated_identity(tmp_path) is None
    save_stated_identity(tmp_path, stated)
    assert load_stated_identity(tmp_path) == stated
    (tmp_path / IDENTITY_FILE).write_text('{"home_page": 3}', encoding="utf-8")
    assert load_stated_identity(tmp_path) is None
