"""Hospital single sign-on against a real, certified OpenID provider (npm `oidc-provider`) on
loopback: the server exchanges the provider's code (PKCE, client secret), checks the ID token,
links the provider's subject to one user and answers with its own tokens, naming the learner
by the issuer and subject. The browser is `requests` on the provider's own login form."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from server_fixture import ServerClock
from sqlalchemy import delete, select
from sso.oidc_provider import (
    CLIENT_ID,
    CLIENT_SECRET,
    PASSWORD,
    SUBJECT,
    USERNAME,
    AuthorizationRequest,
    Browser,
    OidcProvider,
    query_of,
    running_provider,
)

from reference_server import ReferenceServer
from reference_server.__main__ import main
from reference_server.learner_identity import IdentitySettings
from reference_server.models import User
from reference_server.sso_models import SsoIdentity
from reference_server.sso_provider import SSO_CLIENT_SECRET, SsoSettings
from reference_server.sso_users import sso_user_id

from .conftest import Template
from .testkit import Api, assert_problem

SSO = "/api/v1/sso"
TOKEN = "/api/v1/sso/token"
REDIRECT = "http://127.0.0.1:49152/callback"  # nothing listens: the test reads the redirect


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    with running_provider(tmp_path_factory.mktemp("oidc")) as running:
        yield running


def _start(
    tmp_path: Path,
    template: Template,
    database_url: str | None,
    clock: ServerClock,
    sso: SsoSettings | None,
    identity: IdentitySettings | None = None,
) -> ReferenceServer:
    data = shutil.copytree(template.root / "data", tmp_path / "data")
    return ReferenceServer(
        data, database_url=database_url, clock=clock, sso=sso, identity=identity
    ).start()


@pytest.fixture
def sso_server(
    tmp_path: Path,
    loaded_template: Template,
    database_url: str | None,
    server_clock: ServerClock,
    provider: OidcProvider,
) -> Iterator[ReferenceServer]:
    """A server that trusts the provider, as its confidential client `rounds`."""
    settings = SsoSettings(provider.issuer, CLIENT_ID, CLIENT_SECRET)
    running = _start(tmp_path, loaded_template, database_url, server_clock, settings)
    yield running
    running.stop()


def _code(
    server: ReferenceServer, account: tuple[str, str] = (USERNAME, PASSWORD), **changes: str
) -> tuple[AuthorizationRequest, str]:
    """A sign-in at the provider (as `account`, a username and password there), as the client
    starts it from GET /api/v1/sso."""
    offer = requests.get(server.url + SSO, timeout=10).json()
    request = AuthorizationRequest(offer["authorization_endpoint"], REDIRECT, **changes)
    browser = Browser(offer["issuer"])
    try:
        redirect = query_of(browser.authorize(request.url, *account))
    finally:
        browser.close()
    assert redirect["state"] == request.state, redirect
    return request, redirect["code"]


def _exchange(
    server: ReferenceServer, request: AuthorizationRequest, code: str, **body: Any
) -> requests.Response:
    document = {
        "code": code,
        "code_verifier": request.verifier,
        "redirect_uri": request.redirect_uri,
        "nonce": request.nonce,
        **body,
    }
    return requests.post(server.url + TOKEN, json=document, timeout=30)


def test_the_provider_sign_in_gives_the_servers_tokens_for_one_linked_user(
    sso_server: ReferenceServer, provider: OidcProvider
) -> None:
    offer = requests.get(sso_server.url + SSO, timeout=10).json()
    assert offer == {
        "enabled": True,
        "issuer": provider.issuer,
        "authorization_endpoint": provider.issuer + "/auth",
        "client_id": CLIENT_ID,
        "scopes": ["openid", "profile", "email"],
    }
    request, code = _code(sso_server)
    reply = _exchange(sso_server, request, code)
    assert reply.status_code == 200, reply.text
    signed_in = reply.json()
    assert signed_in["user"]["username"] == USERNAME
    assert signed_in["user"]["display_name"] == "Inès Moreau"
    assert signed_in["xapi"]["actor"] == {
        "objectType": "Agent",
        "name": "Inès Moreau",
        "account": {"homePage": provider.issuer, "name": SUBJECT},
    }
    assert reply.headers["Cache-Control"] == "no-store"
    catalog = requests.get(
        sso_server.url + "/api/v1/sync/catalog",
        headers={"Authorization": f"Bearer {signed_in['access_token']}"},
        timeout=10,
    )
    assert catalog.status_code == 200
    refreshed = requests.post(
        sso_server.url + "/api/v1/auth/refresh",
        json={"refresh_token": signed_in["refresh_token"]},
        timeout=10,
    )
    assert refreshed.status_code == 200
    assert refreshed.json()["xapi"]["actor"] == signed_in["xapi"]["actor"]

    assert _exchange(sso_server, request, code).status_code == 401  # a code is good once
    again, second_code = _code(sso_server)
    assert _exchange(sso_server, again, second_code).json()["user"] == signed_in["user"]
    with sso_server.backend.db.read() as session:
        links = session.scalars(select(SsoIdentity)).all()
        assert [(link.issuer, link.subject) for link in links] == [(provider.issuer, SUBJECT)]
        user = session.get(User, links[0].user_id)
        assert user is not None and user.username == USERNAME


def test_a_password_user_of_the_same_name_is_not_taken_over(
    sso_server: ReferenceServer,
) -> None:
    sso_server.admin.users.add(USERNAME, "a-password-of-her-own", "Someone Else")
    request, code = _code(sso_server)
    signed_in = _exchange(sso_server, request, code).json()
    assert signed_in["user"]["username"] != USERNAME
    assert signed_in["user"]["username"].startswith("sso-")
    password_user = Api(sso_server.url, "")
    try:
        assert password_user.sign_in(USERNAME, "a-password-of-her-own").status_code == 200
        assert password_user.tokens["user"]["id"] != signed_in["user"]["id"]
    finally:
        password_user.close()


def test_a_user_whose_link_was_lost_is_linked_again(
    sso_server: ReferenceServer, provider: OidcProvider
) -> None:
    request, code = _code(sso_server)
    first = _exchange(sso_server, request, code).json()["user"]
    with sso_server.backend.db.write() as session:
        session.execute(delete(SsoIdentity))
    again, second_code = _code(sso_server)
    reply = _exchange(sso_server, again, second_code)
    assert reply.status_code == 200, reply.text
    assert reply.json()["user"] == first
    with sso_server.backend.db.read() as session:
        links = session.scalars(select(SsoIdentity)).all()
        assert [(link.subject, link.user_id) for link in links] == [(SUBJECT, first["id"])]


def test_a_password_user_holding_the_subjects_id_is_not_taken_over(
    sso_server: ReferenceServer, provider: OidcProvider
) -> None:
    held = sso_user_id(provider.issuer, SUBJECT)
    sso_server.admin.users.add("someone", "a-password-of-her-own", "Someone", user_id=held)
    request, code = _code(sso_server)
    problem = assert_problem(_exchange(sso_server, request, code), 409, "conflict")
    assert problem["detail"] == (
        "A password account on this server already holds this sign-in's id; "
        "ask your programme's administrator."
    )
    with sso_server.backend.db.read() as session:
        assert session.scalars(select(SsoIdentity)).all() == []


@pytest.mark.backend_neutral
def test_an_id_token_for_another_sign_in_is_refused(sso_server: ReferenceServer) -> None:
    request, code = _code(sso_server)
    reply = _exchange(sso_server, request, code, nonce="a-nonce-of-another-sign-in")
    problem = assert_problem(reply, 401, "unauthorized")
    assert problem["detail"] == "The ID token was issued for another sign-in (its nonce differs)."
    with sso_server.backend.db.read() as session:
        assert session.scalars(select(SsoIdentity)).all() == []


@pytest.mark.backend_neutral
def test_a_wrong_verifier_is_refused_by_the_provider(sso_server: ReferenceServer) -> None:
    request, code = _code(sso_server)
    reply = _exchange(sso_server, request, code, code_verifier="x" * 64)
    problem = assert_problem(reply, 401, "unauthorized")
    assert problem["detail"].startswith("The sign-in provider refused the code")


@pytest.mark.backend_neutral
def test_a_redirect_off_the_loopback_is_refused(sso_server: ReferenceServer) -> None:
    request = AuthorizationRequest("", "https://attacker.example/callback")
    reply = _exchange(sso_server, request, "a-code")
    problem = assert_problem(reply, 400, "invalid-request")
    assert problem["detail"] == "The redirect URI must be an http loopback address."


@pytest.mark.backend_neutral
def test_a_provider_that_is_down_is_said_in_one_sentence(
    tmp_path: Path,
    loaded_template: Template,
    database_url: str | None,
    server_clock: ServerClock,
) -> None:
    closed = "http://127.0.0.1:9"  # discard: nothing listens on loopback
    settings = SsoSettings(closed, CLIENT_ID, CLIENT_SECRET)
    server = _start(tmp_path, loaded_template, database_url, server_clock, settings)
    try:
        problem = assert_problem(requests.get(server.url + SSO, timeout=10), 502, "server-error")
        assert problem["detail"] == (
            "The organisation's sign-in provider cannot be reached. Try again later."
        )
        request = AuthorizationRequest("", REDIRECT)
        assert_problem(_exchange(server, request, "a-code"), 502, "server-error")
    finally:
        server.stop()


@pytest.mark.backend_neutral
def test_without_a_provider_sso_is_off(
    tmp_path: Path,
    loaded_template: Template,
    database_url: str | None,
    server_clock: ServerClock,
) -> None:
    server = _start(tmp_path, loaded_template, database_url, server_clock, None)
    try:
        assert requests.get(server.url + SSO, timeout=10).json() == {"enabled": False}
        request = AuthorizationRequest("", REDIRECT)
        assert_problem(_exchange(server, request, "a-code"), 404, "not-found")
    finally:
        server.stop()


@pytest.mark.backend_neutral
def test_the_settings_are_refused_in_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SSO_CLIENT_SECRET, "from-the-environment")
    insecure = ["--data", str(tmp_path / "data"), "--sso-issuer", "http://login.hospital.example"]
    assert main([*insecure, "--sso-client-id", "rounds"]) == 2
    assert capsys.readouterr().err == (
        "error: The SSO issuer must be an https URL: http://login.hospital.example\n"
    )
    assert main(["--data", str(tmp_path / "data"), "--sso-issuer", "https://idp.example"]) == 2
    assert "the SSO client id is not" in capsys.readouterr().err
    settings = SsoSettings.from_environ(
        {"ROUNDS_SSO_ISSUER": "https://idp.example", "ROUNDS_SSO_CLIENT_ID": "rounds",
         "ROUNDS_SSO_SCOPES": "profile groups"}
    )  # fmt: skip
    assert settings == SsoSettings(
        "https://idp.example", "rounds", "", ("openid", "profile", "groups")
    )
    assert SsoSettings.from_environ({}) is None


UNVERIFIED = ("noor.haddad", "ward-2-day-shift")  # tests/sso/provider.js: email_verified false


@pytest.fixture
def sso_by_mail(
    tmp_path: Path,
    loaded_template: Template,
    database_url: str | None,
    server_clock: ServerClock,
    provider: OidcProvider,
) -> Iterator[ReferenceServer]:
    """A server that trusts the provider and names learners by their own address."""
    settings = SsoSettings(provider.issuer, CLIENT_ID, CLIENT_SECRET)
    by_mail = IdentitySettings(mail_addresses=True)
    running = _start(tmp_path, loaded_template, database_url, server_clock, settings, by_mail)
    yield running
    running.stop()


def _signed_in(server: ReferenceServer, account: tuple[str, str] = (USERNAME, PASSWORD)) -> Any:
    request, code = _code(server, account)
    reply = _exchange(server, request, code)
    assert reply.status_code == 200, reply.text
    return reply.json()


def _email_of(server: ReferenceServer, user_id: str) -> str | None:
    with server.backend.db.read() as session:
        user = session.get(User, user_id)
        assert user is not None
        return user.email


def test_a_verified_address_is_the_learners_and_names_them_by_mail(
    sso_by_mail: ReferenceServer, provider: OidcProvider
) -> None:
    """At every sign-in: an address the operator set is replaced by the provider's."""
    signed_in = _signed_in(sso_by_mail)
    account = {"objectType": "Agent", "account": {"homePage": provider.issuer, "name": SUBJECT}}
    assert signed_in["xapi"]["actor"] == {
        "objectType": "Agent",
        "name": "Inès Moreau",
        "mbox": "mailto:ines.moreau@hospital.example",
    }
    assert account in signed_in["xapi"]["former_actors"]
    user_id = signed_in["user"]["id"]
    assert _email_of(sso_by_mail, user_id) == "ines.moreau@hospital.example"
    sso_by_mail.admin.users.set_email(USERNAME, "ines@clinic.example")
    assert _signed_in(sso_by_mail)["xapi"]["actor"]["mbox"] == (
        "mailto:ines.moreau@hospital.example"
    )


def test_an_unverified_address_is_not_taken(
    sso_by_mail: ReferenceServer, provider: OidcProvider
) -> None:
    signed_in = _signed_in(sso_by_mail, UNVERIFIED)
    assert signed_in["xapi"]["actor"] == {
        "objectType": "Agent",
        "name": "Noor Haddad",
        "account": {"homePage": provider.issuer, "name": "248289761002"},
    }
    assert _email_of(sso_by_mail, signed_in["user"]["id"]) is None


@pytest.mark.expect_log("reference_server.sso_users", "kept as it was")
def test_an_address_another_user_has_stays_theirs(
    sso_by_mail: ReferenceServer, provider: OidcProvider
) -> None:
    sso_by_mail.admin.users.set_email("ana", "Ines.Moreau@hospital.example")
    signed_in = _signed_in(sso_by_mail)
    assert signed_in["xapi"]["actor"]["account"] == {"homePage": provider.issuer, "name": SUBJECT}
    assert _email_of(sso_by_mail, signed_in["user"]["id"]) is None
    assert _email_of(sso_by_mail, "u-ana") == "ines.moreau@hospital.example"
