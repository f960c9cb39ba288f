"""GET /api/v1/about: the server's stable id, kept in its data folder across restarts."""

from __future__ import annotations

import shutil
from pathlib import Path

import requests

from reference_server import ReferenceServer

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
    assert document["learner_agent"] == {"home_page": "server_url", "name": "username"}


def test_the_id_survives_a_restart_on_another_port(server: ReferenceServer) -> None:
    first = about(server)
    data = server.backend.data_dir
    server.stop()
    with ReferenceServer(data) as again:
        assert again.url != server.url
        assert about(again)["id"] == first["id"]


def test_another_data_folder_is_another_server(server: ReferenceServer, tmp_path: Path) -> None:
    with ReferenceServer(tmp_path / "other") as other:
        assert about(other)["id"] != about(server)["id"]


def test_a_copied_data_folder_keeps_its_id(server: ReferenceServer, tmp_path: Path) -> None:
    copy = shutil.copytree(server.backend.data_dir, tmp_path / "copy")
    with ReferenceServer(copy) as moved:
        assert about(moved)["id"] == about(server)["id"]
