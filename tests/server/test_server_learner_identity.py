"""Sign-in says how statements name the learner (`xapi`): the programme's identity home page and
the user's stable id, or an mbox; the activity and extension IRI bases, never the typed URL."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import pytest
import requests
from fastapi import FastAPI
from sqlalchemy import create_engine

from reference_server import ReferenceServer
from reference_server.__main__ import _serve_parser
from reference_server.asgi import ConfigurationError, build_app
from reference_server.learner_identity import (
    IdentityError,
    IdentitySettings,
    LearnerIdentity,
)
from reference_server.schema import migrate
from reference_server.sso_provider import SsoSettings

from .testkit import PASSWORD, Api

LMS = "https://lms.hospital.example/"


def signed_in(url: str, username: str = "ana") -> dict[str, object]:
    reply = requests.post(
        url + "/api/v1/auth/token", json={"username": username, "password": PASSWORD}, timeout=10
    )
    assert reply.status_code == 200, reply.text
    document: dict[str, object] = reply.json()
    return document


def test_sign_in_and_refresh_state_the_actor_and_iri_bases(server: ReferenceServer) -> None:
    home = f"https://rounds.example/servers/{server.backend.server_id}"
    document = signed_in(server.url)
    user = document["user"]
    assert isinstance(user, dict)
    expected = {
        "actor": {
            "objectType": "Agent",
            "name": user["display_name"],
            "account": {"homePage": home, "name": user["id"]},
        },
        "former_actors": [],
        "activity_iri_base": home + "/activities",
        "extensions_iri_base": home + "/xapi/extensions",
    }
    assert document["xapi"] == expected
    refreshed = requests.post(
        server.url + "/api/v1/auth/refresh",
        json={"refresh_token": document["refresh_token"]},
        timeout=10,
    )
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.json()["xapi"] == expected


def test_the_same_actor_whatever_address_reached_the_server(server: ReferenceServer) -> None:
    localhost = server.url.replace("127.0.0.1", "LocalHost")
    assert signed_in(server.url)["xapi"] == signed_in(localhost)["xapi"]


def test_a_configured_identity_home_page_and_bases(
    reference_server: ReferenceServer, tmp_path: Path
) -> None:
    """The LMS's home page names the account; the server's own home page becomes a former one
    (statements made there are the same learner's), and the bases are the programme's."""
    data = shutil.copytree(reference_server.backend.data_dir, tmp_path / "configured")
    settings = IdentitySettings(
        actor_home_page=LMS,
        activity_iri_base="https://learning.hospital.example/xapi/activities",
        extensions_iri_base="https://learning.hospital.example/xapi/extensions",
    )
    with ReferenceServer(
        data, public_url="https://rounds.hospital.example", identity=settings
    ) as s:
        xapi = signed_in(s.url)["xapi"]
        about = requests.get(s.url + "/api/v1/about", timeout=10).json()
    assert isinstance(xapi, dict)
    assert xapi["actor"]["account"] == {"homePage": LMS.rstrip("/"), "name": "u-ana"}
    assert xapi["activity_iri_base"] == "https://learning.hospital.example/xapi/activities"
    assert xapi["extensions_iri_base"] == "https://learning.hospital.example/xapi/extensions"
    assert about["home_page"] == LMS.rstrip("/")
    made = f"https://rounds.example/servers/{about['id']}"
    assert about["former_home_pages"] == ["https://rounds.hospital.example", made]
    assert about["learner_agent"]["account_home_page"] == xapi["actor"]["account"]["homePage"]


def test_about_names_the_single_sign_on_issuer(
    reference_server: ReferenceServer, tmp_path: Path
) -> None:
    """Learners who sign in with the organisation are accounts on its issuer (sso_users), and
    About says so beside the password learners' account home page."""
    data = shutil.copytree(reference_server.backend.data_dir, tmp_path / "sso")
    issuer = "https://login.hospital.example/realms/staff"
    with ReferenceServer(data, sso=SsoSettings(issuer, "rounds")) as s:
        about = requests.get(s.url + "/api/v1/about", timeout=10).json()
    assert about["learner_agent"] == {
        "account_home_page": about["home_page"],
        "account_name": "user.id",
        "mail_domain": None,
        "mail_addresses": False,
        "sso_issuer": issuer,
    }


def test_a_mail_domain_names_learners_by_mbox(
    reference_server: ReferenceServer, tmp_path: Path
) -> None:
    data = shutil.copytree(reference_server.backend.data_dir, tmp_path / "mbox")
    settings = IdentitySettings(mail_domain="hospital.example")
    with ReferenceServer(
        data, public_url="https://rounds.hospital.example", identity=settings
    ) as s:
        xapi = signed_in(s.url)["xapi"]
        statement = {
            "actor": {"mbox": "mailto:ana@hospital.example"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"id": "https://rounds.hospital.example/activities/lesson/l-1"},
        }
        stored = Api(s.url, "ana").xapi("POST", json=[statement])
        about = requests.get(s.url + "/api/v1/about", timeout=10).json()
    assert isinstance(xapi, dict)
    assert xapi["actor"] == {
        "objectType": "Agent",
        "name": "Ana Ortiz",
        "mbox": "mailto:ana@hospital.example",
    }
    assert xapi["activity_iri_base"] == "https://rounds.hospital.example/activities"
    assert stored.status_code == 200, stored.text
    assert about["learner_agent"]["mail_domain"] == "hospital.example"


def test_identity_settings_from_the_environment() -> None:
    settings = IdentitySettings.from_environ(
        {"ROUNDS_ACTOR_HOME_PAGE": LMS, "ROUNDS_ACTOR_MAIL_DOMAIN": "@Hospital.Example"}
    )
    assert settings == IdentitySettings(
        actor_home_page=LMS.rstrip("/"), mail_domain="hospital.example"
    )
    for bad in (
        {"ROUNDS_ACTOR_HOME_PAGE": "lms.hospital.example"},
        {"ROUNDS_EXTENSIONS_IRI_BASE": "https://x.example/?q=1"},
        {"ROUNDS_ACTOR_MAIL_DOMAIN": "not a domain"},
    ):
        with pytest.raises(IdentityError):
            IdentitySettings.from_environ(bad)


def test_a_username_that_is_no_mailbox_keeps_the_account() -> None:
    identity = LearnerIdentity.resolve(
        "https://rounds.example/servers/s", (), IdentitySettings(mail_domain="hospital.example")
    )
    agent = identity.actor("u-1", "ana ortiz", "")
    assert agent["account"] == {"homePage": "https://rounds.example/servers/s", "name": "u-1"}


def _about_of(app: FastAPI) -> dict[str, object]:
    """GET /api/v1/about of `app`, called as the ASGI server would, in this process."""
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    path = "/api/v1/about"
    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(),
             "query_string": b"", "headers": [], "http_version": "1.1", "scheme": "http",
             "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 1), "root_path": ""}  # fmt: skip
    asyncio.run(app(scope, receive, send))
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    document: dict[str, object] = json.loads(body)
    return document


def test_the_asgi_workers_read_the_identity_from_the_environment(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/db.sqlite3"
    engine = create_engine(url)
    try:
        migrate(engine)
    finally:
        engine.dispose()
    environ = {"ROUNDS_DATABASE_URL": url, "ROUNDS_DATA_DIR": str(tmp_path)}
    app = build_app({**environ, "ROUNDS_ACTOR_HOME_PAGE": LMS})
    assert _about_of(app)["home_page"] == LMS.rstrip("/")
    with pytest.raises(ConfigurationError, match="ROUNDS_ACTIVITY_IRI_BASE is not an http"):
        build_app({**environ, "ROUNDS_ACTIVITY_IRI_BASE": "activities"})


def test_the_command_line_takes_the_identity_settings(capsys: pytest.CaptureFixture[str]) -> None:
    parser = _serve_parser()
    options = parser.parse_args(
        ["--data", "d", "--actor-home-page", LMS, "--actor-mail-domain", "Hospital.Example"]
    )
    assert (options.actor_home_page, options.actor_mail_domain) == (
        LMS.rstrip("/"),
        "hospital.example",
    )
    with pytest.raises(SystemExit):
        parser.parse_args(["--data", "d", "--extensions-iri-base", "extensions"])
    assert "--extensions-iri-base is not an http(s) URL" in capsys.readouterr().err
