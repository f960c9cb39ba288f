"""The learner's xAPI account and activity IRIs are keyed on the server's and the user's stable
ids: another port or spelling of the address is the same learner, and a cache recorded under
the address and username keeps its progress and uploads it once."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK, server_statement_ids
from sqlalchemy import select

from desktop_app.account import Account
from desktop_app.config import AccountPaths
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.models import SyncState
from desktop_app.progress import Actor, LessonRef, ProgressLog, activity_base_for
from desktop_app.progress.exchange import write_progress_file
from desktop_app.progress.store import all_statements
from desktop_app.progress.xapi import format_timestamp, utc_now
from desktop_app.study import Study
from desktop_app.sync.statements_pull import STREAM
from reference_server.models import Statement
from reference_server.server import ReferenceServer

WELCOME = LessonRef("l-foundations-welcome", "c-foundations", "Welcome", "video")
LANDSCAPE = LessonRef("l-foundations-landscape", "c-foundations", "Landscape", "reading")
QUIZ = LessonRef("l-foundations-quiz", "c-foundations", "Check", "quiz")
LISTEN = LessonRef("l-foundations-listen-first", "c-foundations", "Listen first", "audio")
FOUNDATIONS = [
    "l-foundations-welcome",
    "l-foundations-landscape",
    "l-foundations-listen-first",
    "l-foundations-plain-language",
    "l-foundations-quiz",
]


@pytest.fixture
def server_data(curriculum_data: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(curriculum_data, tmp_path / "server-data"))


@pytest.fixture
def content(tmp_path: Path) -> ContentStore:
    return ContentStore(tmp_path / "content")


def sign_in(server_url: str) -> Account:
    return Account.sign_in(server_url, DEMO_USER, DEMO_PASSWORD, config=FAST_NETWORK)


def stable_agent(server: ReferenceServer) -> dict[str, Any]:
    home = f"https://rounds.example/servers/{server.backend.server_id}"
    return {"objectType": "Agent", "account": {"homePage": home, "name": "u-ana"}}


def stored_statements(server: ReferenceServer) -> list[dict[str, Any]]:
    with server.backend.db.read() as session:
        return [json.loads(body) for body in session.scalars(select(Statement.body))]


class Studying:
    """A signed-in account and its Study, closed together."""

    def __init__(self, server_url: str, content: ContentStore) -> None:
        self.account = sign_in(server_url)
        self.study = Study(self.account, content)

    def record(self, *lessons: LessonRef) -> None:
        with self.account.db.session() as session:
            for lesson in lessons:
                self.study.progress.completed(session, lesson)

    def close(self) -> None:
        self.study.close()
        self.account.close()


@pytest.fixture
def studying(content: ContentStore) -> Iterator[list[Studying]]:
    """Opens `Studying`s that the test may leave open; all are closed at the end."""
    opened: list[Studying] = []
    yield opened
    for each in opened:
        each.close()


def test_a_file_exported_before_a_restart_on_another_port_imports_after_it(
    server_data: Path,
    tmp_path: Path,
    content: ContentStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    exported = tmp_path / "ana.json"
    with ReferenceServer(server_data) as first:
        before = Studying(first.url, content)
        before.record(WELCOME)
        before.study.progress_exchange.export_to(exported)
        before.close()
    monkeypatch.setenv("ROUNDS_HOME", str(tmp_path / "a-machine-never-online-there"))
    with ReferenceServer(server_data) as second:
        assert second.url != first.url
        after = Studying(second.url, content)
        try:
            assert after.study.progress_exchange.import_from(exported) == 1
            assert WELCOME.lesson_id in after.study.progress.completed_lessons()
        finally:
            after.close()


def test_two_spellings_of_the_address_are_one_learner_with_one_set_of_activities(
    reference_server: ReferenceServer, content: ContentStore, studying: list[Studying]
) -> None:
    by_number = Studying(reference_server.url, content)
    studying.append(by_number)
    by_number.record(WELCOME)
    by_number.study.sync()
    by_name = Studying(reference_server.url.replace("127.0.0.1", "LocalHost") + "/", content)
    studying.append(by_name)
    assert by_name.account.paths == by_number.account.paths
    with by_name.account.db.session() as session:
        by_name.study.progress.completed(session, LANDSCAPE)
    by_name.study.sync()
    stored = stored_statements(reference_server)
    assert len(stored) == 2
    agent = {**stable_agent(reference_server), "name": "Ana Ortiz"}
    assert [statement["actor"] for statement in stored] == [agent, agent]
    home = agent["account"]["homePage"]
    assert {statement["object"]["id"] for statement in stored} == {
        f"{home}/activities/lesson/{WELCOME.lesson_id}",
        f"{home}/activities/lesson/{LANDSCAPE.lesson_id}",
    }


def old_cache(server_url: str) -> list[str]:
    """A cache as Rounds kept it before ids: under the address, the learner named by address
    and username, activities under the address; three lessons done, nothing uploaded yet."""
    database = Database(AccountPaths.by_address(server_url, DEMO_USER).database)
    log = ProgressLog(database, Actor(server_url, DEMO_USER), activity_base_for(server_url))
    try:
        with database.session() as session:
            ids = [log.completed(session, WELCOME), log.completed(session, LANDSCAPE)]
            ids.append(log.quiz_result(session, QUIZ, 0.8, True, {"q1": ["b"]}))
    finally:
        database.close()
    return ids


def test_an_old_cache_keeps_its_completion_and_uploads_its_statements_once(
    reference_server: ReferenceServer, content: ContentStore, studying: list[Studying]
) -> None:
    old_ids = old_cache(reference_server.url)
    upgraded = Studying(reference_server.url, content)
    studying.append(upgraded)
    progress = upgraded.study.progress
    assert progress.course_state("c-foundations", FOUNDATIONS).percent_complete == 60
    assert progress.lesson_state(QUIZ.lesson_id).best_score == 0.8
    with upgraded.account.db.session() as session:
        new_id = progress.progressed(session, WELCOME, 30.0, 0.5)
    for _ in range(2):
        assert upgraded.study.sync().progress_error == ""
    assert sorted(server_statement_ids(reference_server)) == sorted([*old_ids, new_id])
    assert upgraded.study.pending().statements == 0
    by_id = {statement["id"]: statement for statement in stored_statements(reference_server)}
    old_account = {"homePage": reference_server.url, "name": DEMO_USER}
    assert [by_id[old]["actor"]["account"] for old in old_ids] == [old_account] * 3
    assert by_id[new_id]["actor"]["account"] == stable_agent(reference_server)["account"]
    assert progress.course_state("c-foundations", FOUNDATIONS).percent_complete == 60
    assert progress.lesson_state(QUIZ.lesson_id).best_score == 0.8


def test_a_new_device_pulls_what_an_old_cache_uploaded(
    reference_server: ReferenceServer,
    content: ContentStore,
    studying: list[Studying],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old_ids = old_cache(reference_server.url)
    upgraded = Studying(reference_server.url, content)
    studying.append(upgraded)
    upgraded.study.sync()
    monkeypatch.setenv("ROUNDS_HOME", str(tmp_path / "a-new-laptop"))
    laptop = Studying(reference_server.url, content)
    studying.append(laptop)
    pulled = laptop.study.sync().pulled
    assert pulled is not None and pulled.merged == len(old_ids)
    progress = laptop.study.progress
    assert progress.course_state("c-foundations", FOUNDATIONS).percent_complete == 60
    assert progress.lesson_state(QUIZ.lesson_id).best_score == 0.8
    again = laptop.study.sync().pulled
    assert again is not None and again.merged == 0
    assert laptop.study.pending().statements == 0


def test_after_the_upgrade_a_device_pulls_what_another_recorded_before_its_old_mark(
    reference_server: ReferenceServer,
    content: ContentStore,
    studying: list[Studying],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The laptop was upgraded first; the desktop pulled (the old way) after the laptop's
    upload, so its old mark is later than the laptop's statement under the stable account."""
    laptop = Studying(reference_server.url, content)
    studying.append(laptop)
    laptop.record(LISTEN)
    laptop.study.sync()
    monkeypatch.setenv("ROUNDS_HOME", str(tmp_path / "the-desktop"))
    old_cache(reference_server.url)
    database = Database(AccountPaths.by_address(reference_server.url, DEMO_USER).database)
    with database.session() as session:
        later = format_timestamp(utc_now() + timedelta(seconds=5))
        session.add(SyncState(stream=STREAM, cursor=later, last_error=""))
    database.close()
    desktop = Studying(reference_server.url, content)
    studying.append(desktop)
    desktop.study.sync()
    assert LISTEN.lesson_id in desktop.study.progress.completed_lessons()
    assert desktop.study.progress.course_state("c-foundations", FOUNDATIONS).lessons_completed == 4


def test_once_the_server_is_given_a_public_url_a_new_device_pulls_what_came_before(
    server_data: Path,
    tmp_path: Path,
    content: ContentStore,
    studying: list[Studying],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with ReferenceServer(server_data) as first:
        laptop = Studying(first.url, content)
        laptop.record(WELCOME)
        laptop.study.sync()
        laptop.close()
    monkeypatch.setenv("ROUNDS_HOME", str(tmp_path / "a-new-laptop"))
    with ReferenceServer(server_data, public_url="https://learning.example.org") as public:
        fresh = Studying(public.url, content)
        studying.append(fresh)
        assert fresh.account.actor.home_page == "https://learning.example.org"
        fresh.study.sync()
    assert WELCOME.lesson_id in fresh.study.progress.completed_lessons()


def test_an_old_progress_file_of_the_same_learner_imports_after_the_upgrade(
    reference_server: ReferenceServer,
    content: ContentStore,
    studying: list[Studying],
    tmp_path: Path,
) -> None:
    """Written by a Rounds from before ids, which kept the address as it was typed."""
    path = tmp_path / "old.json"
    database = Database(tmp_path / "elsewhere.sqlite3")
    old_actor = Actor(reference_server.url.replace("http:", "HTTP:") + "/", DEMO_USER)
    log = ProgressLog(database, old_actor, activity_base_for(reference_server.url))
    try:
        with database.session() as session:
            log.completed(session, WELCOME)
            write_progress_file(path, old_actor, all_statements(session))
    finally:
        database.close()
    upgraded = Studying(reference_server.url, content)
    studying.append(upgraded)
    assert upgraded.study.progress_exchange.import_from(path) == 1
    assert WELCOME.lesson_id in upgraded.study.progress.completed_lessons()
    assert upgraded.study.pending().statements == 1
