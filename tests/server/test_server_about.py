"""GET /api/v1/about: the server's stable id, kept in its data folder across restarts."""

from __future__ import annotations

import shutil
from pathlib import Path

import requests

from reference_server import ReferenceServer

from .testkit import Api

ABOUT = "/api/v1/about"


def about(server: ReferenceServer) -> dict[str, object]:
    response = requests.get(server.url + ABOUT, timeout=10)
    assert response.status_code == 200
    document: dict[str, object] = response.json()
    return document


def test_about_says_who_the_server_is_without_a_sign_in(server: ReferenceServer) -> None:
    document = about(server)
    assert str(document["id"]).startswith("srv-")
    assert document["name"] == "Rounds reference server"
    assert document["api_version"] == "1"
    assert document["home_page"] == f"https://rounds.example/servers/{document['id']}"
    assert document["former_home_pages"] == []
    assert document["learner_agent"] == {
        "account_home_page": document["home_page"],
        "account_name": "user.id",
        "mail_domain": None,
        "mail_addresses": False,
        "sso_issuer": None,
    }


def test_a_statement_by_the_stable_account_is_stored(server: ReferenceServer) -> None:
    """A homePage strict LRSs take as a URL, which this server's own validation accepts too."""
    home = str(about(server)["home_page"])
    statement = {
        "actor": {"objectType": "Agent", "account": {"homePage": home, "name": "u-ana"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": home + "/activities/lesson/l-1"},
    }
    reply = Api(server.url, "ana").xapi("POST", json=[statement])
    assert reply.status_code == 200, reply.text


def test_a_public_url_names_the_learners_home(server: ReferenceServer, tmp_path: Path) -> None:
    data = shutil.copytree(server.backend.data_dir, tmp_path / "public")
    with ReferenceServer(data, public_url="https://learning.example.org/rounds/") as public:
        document = about(public)
    assert document["home_page"] == "https://learning.example.org/rounds"
    assert document["former_home_pages"] == [f"https://rounds.example/servers/{document['id']}"]


def test_the_id_survives_a_restart_on_another_port(server: ReferenceServer) -> None:
    first = about(server)
    data = server.backend.data_dir
    server.stop()
    with ReferenceServer(data) as again:
        assert again.url != server.url
        assert about(again)["id"] == first["id"]
        assert about(again)["home_page"] == first["home_page"]


def test_another_data_folder_is_another_server(server: ReferenceServer, tmp_path: Path) -> None:
    with ReferenceServer(tmp_path / "other") as other:
        assert about(other)["id"] != about(server)["id"]


def test_a_copied_data_folder_keeps_its_id(server: ReferenceServer, tmp_path: Path) -> None:
    copy = shutil.copytree(server.backend.data_dir, tmp_path / "copy")
    with ReferenceServer(copy) as moved:
        assert about(moved)["id"] == about(server)["id"]
