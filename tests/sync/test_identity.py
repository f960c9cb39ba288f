"""One learner on one server is one account, whatever port or spelling reaches the server."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from server_fixture import DEMO_PASSWORD, DEMO_USER, FAST_NETWORK

from desktop_app.account import Account
from desktop_app.api.addresses import checked_base_url
from desktop_app.api.errors import BadPayloadError, InsecureConnectionError
from desktop_app.config import AccountPaths, accounts_home, load_settings
from desktop_app.content_store import ContentStore
from desktop_app.db import Database
from desktop_app.error_text import describe
from desktop_app.progress import Actor, LessonRef, ProgressLog, activity_base_for
from desktop_app.study import Study
from reference_server.server import ReferenceServer

WELCOME = LessonRef("l-foundations-welcome", "c-foundations", "Welcome", "video")


@pytest.fixture
def server_data(curriculum_data: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(curriculum_data, tmp_path / "server-data"))


def sign_in(server_url: str) -> Account:
    return Account.sign_in(server_url, DEMO_USER, DEMO_PASSWORD, config=FAST_NETWORK)


def complete_welcome(account: Account, tmp_path: Path) -> None:
    study = Study(account, ContentStore(tmp_path / "content"))
    with account.db.session() as session:
        study.progress.completed(session, WELCOME)
    study.close()


def completed_lessons(account: Account, tmp_path: Path) -> set[str]:
    study = Study(account, ContentStore(tmp_path / "content"))
    try:
        return study.progress.completed_lessons()
    finally:
        study.close()


def test_a_restart_on_another_port_opens_the_same_account_with_its_progress(
    server_data: Path, tmp_path: Path
) -> None:
    with ReferenceServer(server_data) as first:
        account = sign_in(first.url)
        complete_welcome(account, tmp_path)
        account.close()
    with ReferenceServer(server_data) as second:
        assert second.url != first.url
        again = sign_in(second.url)
        try:
            assert again.paths == account.paths
            assert WELCOME.lesson_id in completed_lessons(again, tmp_path)
        finally:
            again.close()
    assert [path.name for path in accounts_home().iterdir()] == [account.paths.root.name]


def test_the_demo_learner_keeps_her_progress_across_demo_restarts(tmp_path: Path) -> None:
    from desktop_app.gui.shell import _start_demo_server  # the demo's own start, Qt-free

    first = _start_demo_server()
    try:
        account = sign_in(first.url)
        complete_welcome(account, tmp_path)
        account.close()
    finally:
        first.stop()
    second = _start_demo_server()
    try:
        again = sign_in(second.url)
        assert (again.paths, again.server_url) == (account.paths, second.url)
        assert WELCOME.lesson_id in completed_lessons(again, tmp_path)
        again.close()
    finally:
        second.stop()


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("HTTPS://Learning.Example.org:443/", "https://learning.example.org"),
        ("https://learning.example.org/rounds/", "https://learning.example.org/rounds"),
        ("http://LOCALHOST:80/", "http://localhost"),
        ("http://127.0.0.1:8765/", "http://127.0.0.1:8765"),
        ("http://[::1]:9000", "http://[::1]:9000"),
    ],
)
def test_typed_addresses_are_spelled_one_way(typed: str, normal: str) -> None:
    assert checked_base_url(typed) == normal


def test_an_address_with_a_port_out_of_range_is_refused_in_one_sentence() -> None:
    with pytest.raises(InsecureConnectionError, match="is not a server address"):
        checked_base_url("https://learning.example.org:99999")


def test_two_spellings_of_the_address_open_one_account(
    reference_server: ReferenceServer,
) -> None:
    plain = sign_in(reference_server.url)
    plain.close()
    by_name = sign_in(reference_server.url.replace("127.0.0.1", "LocalHost") + "/")
    by_name.close()
    assert by_name.server_url == reference_server.url.replace("127.0.0.1", "localhost")
    assert by_name.paths == plain.paths


def test_an_account_folder_kept_under_its_address_moves_to_its_ids(
    reference_server: ReferenceServer, tmp_path: Path
) -> None:
    older = AccountPaths.by_address(reference_server.url, DEMO_USER)
    database = Database(older.database)
    actor = Actor(reference_server.url, DEMO_USER)
    progress = ProgressLog(database, actor, activity_base_for(reference_server.url))
    with database.session() as session:
        progress.completed(session, WELCOME)
    database.close()
    account = sign_in(reference_server.url)
    try:
        assert account.paths.root != older.root
        assert not older.root.exists()
        assert WELCOME.lesson_id in completed_lessons(account, tmp_path)
    finally:
        account.close()


def test_resuming_without_the_network_finds_the_folder_keyed_on_ids(
    reference_server: ReferenceServer,
) -> None:
    signed_in = sign_in(reference_server.url)
    signed_in.close()
    reference_server.stop()
    resumed = Account.resume(reference_server.url, DEMO_USER, config=FAST_NETWORK)
    assert resumed is not None
    try:
        assert resumed.paths == signed_in.paths
    finally:
        resumed.close()


def test_resuming_moves_tokens_kept_under_the_address_to_the_ids(
    reference_server: ReferenceServer, memory_keyring: Any
) -> None:
    """As a Rounds from before ids left them: the same tokens, under the address."""
    sign_in(reference_server.url).close()
    by_ids = (f"Rounds {reference_server.backend.server_id}", "u-ana")
    memory_keyring.items[(f"Rounds {reference_server.url}", DEMO_USER)] = memory_keyring.items.pop(
        by_ids
    )
    resumed = Account.resume(reference_server.url, DEMO_USER, config=FAST_NETWORK)
    assert resumed is not None
    try:
        resumed.sync()
    finally:
        resumed.close()
    assert list(memory_keyring.items) == [by_ids]


def test_a_garbled_about_reply_refuses_the_sign_in_and_writes_nothing(
    reference_server: ReferenceServer,
) -> None:
    reference_server.faults.add("/api/v1/about", body='{"id": 42}')
    with pytest.raises(BadPayloadError) as refused:
        sign_in(reference_server.url)
    message = describe(refused.value).message
    assert "about reply: “id” should be an identifier" in message and "\n" not in message
    assert not accounts_home().exists()
    assert load_settings().username == ""


def test_a_server_without_about_is_known_by_its_normalised_address(
    reference_server: ReferenceServer,
) -> None:
    problem = '{"type": "about:blank", "title": "Not Found", "status": 404}'
    reference_server.faults.add("/api/v1/about", status=404, body=problem, count=2)
    first = sign_in(reference_server.url + "/")
    first.close()
    second = sign_in(reference_server.url)
    second.close()
    assert first.paths == second.paths
    assert first.paths == AccountPaths.for_identity(reference_server.url, "u-ana")
    stated = reference_server.identity.actor("u-ana", DEMO_USER, "")["account"]  # at sign-in
    assert first.actor.to_xapi()["account"] == second.actor.to_xapi()["account"] == stated


def test_an_about_reply_whose_home_page_is_not_a_url_refuses_the_sign_in(
    reference_server: ReferenceServer,
) -> None:
    body = '{"id": "srv-1", "name": "", "api_version": "1", "home_page": "rounds"}'
    reference_server.faults.add("/api/v1/about", body=body)
    with pytest.raises(BadPayloadError, match="“home_page” should be an http"):
        sign_in(reference_server.url)
    assert not accounts_home().exists()


def test_opened_offline_the_learner_is_the_one_signed_in_online(
    reference_server: ReferenceServer,
) -> None:
    online = sign_in(reference_server.url)
    online.close()
    reference_server.stop()
    offline = Account.sign_in_or_offline(
        reference_server.url, DEMO_USER, DEMO_PASSWORD, config=FAST_NETWORK
    )
    try:
        assert offline.offline
        assert offline.actor.to_xapi()["account"] == online.actor.to_xapi()["account"]
        assert offline.actor.account_name == "u-ana"
    finally:
        offline.close()


def test_a_sign_in_whose_server_names_no_home_page_keeps_the_one_noted_before(
    reference_server: ReferenceServer,
) -> None:
    """A server that leaves out its home page once (an older version put back, say) does not
    turn the learner into another xAPI account, nor forget the former home pages."""
    before = sign_in(reference_server.url)
    before.close()
    recorded, former = before.paths.recorded(), "https://old.rounds.example"
    homes = {"home_page": recorded.home_page, "former_home_pages": [former]}
    reference_server.faults.add("/api/v1/about", body=about_reply(recorded.server_id, **homes))
    sign_in(reference_server.url).close()
    reference_server.faults.add("/api/v1/about", body=about_reply(recorded.server_id))
    after = sign_in(reference_server.url)
    after.close()
    assert after.paths == before.paths
    assert after.actor.to_xapi()["account"] == before.actor.to_xapi()["account"]
    assert after.actor.home_page == recorded.home_page != reference_server.url
    assert after.paths.recorded().former_home_pages == (former,)


def about_reply(server_id: str, **homes: Any) -> str:
    return json.dumps({"id": server_id, "name": "", "api_version": "1", **homes})
