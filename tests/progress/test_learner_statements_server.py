"""End to end over loopback: sign in, answer a quiz, upload, and read what the reference server
stored: the actor and IRI bases it stated at sign-in, the registration, the interactions."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK
from sqlalchemy import select

from desktop_app.account import Account
from desktop_app.content_store import ContentStore
from desktop_app.progress import LessonRef
from desktop_app.progress.quiz_scoring import Quiz, parse_quiz
from desktop_app.progress.store import all_statements
from desktop_app.progress.xapi import ANSWERED, INTERACTION_TYPE
from desktop_app.study import Study
from reference_server.learner_identity import IdentitySettings
from reference_server.models import Statement
from reference_server.server import SAMPLE_CURRICULUM, ReferenceServer

QUIZ = LessonRef("l-foundations-quiz", "c-foundations", "Check your understanding", "quiz")
WELCOME = LessonRef("l-foundations-welcome", "c-foundations", "Welcome", "video")
LMS = "https://lms.hospital.example"


def sample_quiz() -> Quiz:
    course = json.loads((SAMPLE_CURRICULUM / "courses" / "c-foundations.json").read_text())
    lessons = [lesson for module in course["modules"] for lesson in module["lessons"]]
    (quiz,) = [lesson["quiz"] for lesson in lessons if lesson["id"] == QUIZ.lesson_id]
    return parse_quiz(quiz)


def stored(server: ReferenceServer) -> list[dict[str, Any]]:
    with server.backend.db.read() as session:
        return [json.loads(body) for body in session.scalars(select(Statement.body))]


class Device:
    """A signed-in account on one computer and its Study, closed together."""

    def __init__(self, server_url: str, content: Path) -> None:
        self.account = Account.sign_in(server_url, DEMO_USER, DEMO_PASSWORD, config=FAST_NETWORK)
        self.study = Study(self.account, ContentStore(content))

    def answer(self, quiz: Quiz, answers: dict[str, list[str]], score: float) -> None:
        recorder = self.study.progress.recorder_for(QUIZ)
        recorder.opened()
        recorder.quiz_scored(score, score >= quiz.pass_mark, answers, quiz)
        recorder.closed()

    def complete(self, lesson: LessonRef) -> str:
        with self.account.db.session() as session:
            return self.study.progress.completed(session, lesson)

    def statements(self) -> list[dict[str, Any]]:
        with self.account.db.session() as session:
            return all_statements(session)

    def sync(self) -> None:
        assert self.study.sync().progress_error == ""

    def close(self) -> None:
        self.study.close()
        self.account.close()


@pytest.fixture
def devices() -> Iterator[list[Device]]:
    opened: list[Device] = []
    yield opened
    for device in opened:
        device.close()


def test_an_answered_quiz_reaches_the_server_as_interactions_of_the_stated_learner(
    reference_server: ReferenceServer, tmp_path: Path, devices: list[Device]
) -> None:
    device = Device(reference_server.url, tmp_path / "content")
    devices.append(device)
    quiz = sample_quiz()
    answers = {q.id: sorted(q.correct) for q in quiz.questions}
    answers[quiz.questions[0].id] = [quiz.questions[0].choices[0].id]  # one wrong
    device.answer(quiz, answers, (len(quiz.questions) - 1) / len(quiz.questions))
    device.sync()

    held = stored(reference_server)
    identity = reference_server.identity
    assert len(held) == len(device.statements()) == len(quiz.questions) + 4
    assert {json.dumps(s["actor"], sort_keys=True) for s in held} == {
        json.dumps(identity.actor("u-ana", DEMO_USER, "Ana Ortiz"), sort_keys=True)
    }
    assert all(s["object"]["id"].startswith(identity.activity_iri_base + "/") for s in held)
    assert len({s["context"]["registration"] for s in held}) == 1
    answered = [s for s in held if s["verb"]["id"] == ANSWERED]
    assert [s["result"]["success"] for s in answered] == [False] + [True] * (len(answered) - 1)
    for statement, question in zip(answered, quiz.questions, strict=True):
        definition = statement["object"]["definition"]
        assert definition["type"] == INTERACTION_TYPE
        assert definition["interactionType"] == "choice"
        assert [c["id"] for c in definition["choices"]] == [c.id for c in question.choices]
        assert definition["correctResponsesPattern"] == ["[,]".join(sorted(question.correct))]
        assert statement["result"]["response"] == "[,]".join(answers[question.id])
    (attempt,) = [s for s in held if s["verb"]["id"].endswith("/failed")]
    out_of = len(quiz.questions)
    assert attempt["result"]["score"] == {
        "scaled": (out_of - 1) / out_of,
        "raw": out_of - 1,
        "min": 0,
        "max": out_of,
    }


def test_two_devices_that_typed_the_address_differently_are_one_learner(
    reference_server: ReferenceServer,
    tmp_path: Path,
    devices: list[Device],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each computer has its own Rounds folder; one typed the number, the other a name in
    capitals with a slash at the end."""
    laptop = Device(reference_server.url, tmp_path / "laptop-content")
    devices.append(laptop)
    monkeypatch.setenv("ROUNDS_HOME", str(tmp_path / "the-desktop"))
    typed = reference_server.url.replace("127.0.0.1", "LOCALHOST") + "/"
    desktop = Device(typed, tmp_path / "desktop-content")
    devices.append(desktop)
    assert desktop.account.paths.root.parent != laptop.account.paths.root.parent
    laptop.complete(WELCOME)
    desktop.answer(sample_quiz(), {"q1": ["c"]}, 0.25)
    laptop.sync()
    desktop.sync()

    held = stored(reference_server)
    assert {json.dumps(s["actor"], sort_keys=True) for s in held} == {
        json.dumps(laptop.account.actor.to_xapi(), sort_keys=True)
    }
    assert laptop.account.actor.to_xapi() == desktop.account.actor.to_xapi()
    assert len({s["context"]["registration"] for s in held}) == 1
    base = reference_server.identity.activity_iri_base
    assert {s["object"]["id"] for s in held if s["verb"]["id"].endswith("/completed")} == {
        f"{base}/lesson/{WELCOME.lesson_id}"
    }


@pytest.mark.parametrize(
    ("settings", "new_actor"),
    [
        (IdentitySettings(actor_home_page=LMS), {"account": {"homePage": LMS, "name": "u-ana"}}),
        (IdentitySettings(mail_domain="hospital.example"), {"mbox": "mailto:ana@hospital.example"}),
    ],
    ids=["identity-home-page", "mbox"],
)
def test_after_the_identity_changes_both_are_this_learner(
    reference_server: ReferenceServer,
    tmp_path: Path,
    devices: list[Device],
    monkeypatch: pytest.MonkeyPatch,
    settings: IdentitySettings,
    new_actor: dict[str, Any],
) -> None:
    """Statements made under the server's own home page keep their actor (queued ones too,
    progress is never rewritten); new ones are the newly stated actor's; a new device counts
    both."""
    data = Path(shutil.copytree(reference_server.backend.data_dir, tmp_path / "server-data"))
    with ReferenceServer(data) as before:
        laptop = Device(before.url, tmp_path / "content")
        laptop.complete(WELCOME)
        laptop.sync()
        queued = laptop.complete(LessonRef("l-foundations-landscape", "c-foundations", "", ""))
        old_actor = laptop.account.actor.to_xapi()
        laptop.close()
    with ReferenceServer(data, identity=settings) as after:
        laptop = Device(after.url, tmp_path / "content")
        devices.append(laptop)
        assert laptop.account.actor.to_xapi() == {
            **new_actor,
            "objectType": "Agent",
            "name": "Ana Ortiz",
        }
        laptop.answer(sample_quiz(), {"q1": ["c"]}, 0.25)
        laptop.sync()
        by_id = {s["id"]: s for s in stored(after)}
        assert by_id[queued]["actor"] == old_actor
        actors = {json.dumps(s["actor"], sort_keys=True) for s in by_id.values()}
        assert actors == {
            json.dumps(old_actor, sort_keys=True),
            json.dumps(laptop.account.actor.to_xapi(), sort_keys=True),
        }
        monkeypatch.setenv("ROUNDS_HOME", str(tmp_path / "a-new-laptop"))
        fresh = Device(after.url, tmp_path / "fresh-content")
        devices.append(fresh)
        fresh.sync()
        assert {s["id"] for s in fresh.statements()} == set(by_id)
        completed = fresh.study.progress.completed_lessons()
        assert {WELCOME.lesson_id, "l-foundations-landscape"} <= set(completed)
        assert fresh.study.progress.lesson_state(QUIZ.lesson_id).attempts == 1
