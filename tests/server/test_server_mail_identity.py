"""A learner's own e-mail address as their xAPI identity, over HTTP against the real server: with
`--actor-mail-addresses` a learner with an address is the `mbox` of it, the names they had
before stay theirs (`xapi.former_actors`, and through the LRS proxy, here to a second reference
server as the organisation's LRS); without it an address changes nothing."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from server_fixture import ServerClock

from reference_server import ReferenceServer
from reference_server.__main__ import _serve_parser
from reference_server.learner_identity import IdentityError, IdentitySettings, mail_address
from reference_server.lrs_proxy import PATH, UpstreamLrs
from reference_server.users import Users

from .conftest import Template
from .testkit import Api, new_id

DOMAIN = "hospital.example"
PUBLIC = "https://rounds.hospital.example"
BY_MAIL = IdentitySettings(mail_domain=DOMAIN, mail_addresses=True)
XAPI = {"X-Experience-API-Version": "1.0.3"}
LRS_CREDENTIALS = ("rounds-server", "the-organisations-secret")


def _server(
    tmp_path: Path,
    template: Template,
    database_url: str | None,
    clock: ServerClock,
    identity: IdentitySettings,
    **options: Any,
) -> ReferenceServer:
    """Not started yet; on a copy of the template's data folder unless it is copied already."""
    data = tmp_path / "data"
    if not data.exists():
        shutil.copytree(template.root / "data", data)
    return ReferenceServer(
        data, database_url=database_url, clock=clock, public_url=PUBLIC, identity=identity,
        **options,
    )  # fmt: skip


def _xapi(url: str, username: str) -> dict[str, Any]:
    reply = Api(url, "").sign_in(username)
    assert reply.status_code == 200, reply.text
    xapi: dict[str, Any] = reply.json()["xapi"]
    refreshed = requests.post(
        url + "/api/v1/auth/refresh", json={"refresh_token": reply.json()["refresh_token"]},
        timeout=10,
    )  # fmt: skip
    assert refreshed.json()["xapi"] == xapi
    return xapi


def _account(name: str, home: str = PUBLIC) -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": home, "name": name}}


def _made_home(server: ReferenceServer) -> str:
    """The home page made from the server's id, a former one once the public URL is given."""
    return f"https://rounds.example/servers/{server.backend.server_id}"


def _mbox(address: str) -> dict[str, Any]:
    return {"objectType": "Agent", "mbox": f"mailto:{address}"}


@pytest.fixture
def by_mail(
    tmp_path: Path, loaded_template: Template, database_url: str | None, server_clock: ServerClock
) -> Iterator[ReferenceServer]:
    """A server naming learners by mail, Ana with an address of her own, Ben without."""
    with _server(tmp_path, loaded_template, database_url, server_clock, BY_MAIL) as server:
        Users(server.backend).set_email("ana", "Ana.Ortiz@Hospital.Example")
        yield server


def test_a_learner_with_an_address_is_its_mbox_and_keeps_their_earlier_names(
    by_mail: ReferenceServer,
) -> None:
    ana = _xapi(by_mail.url, "ana")
    assert ana["actor"] == {
        "objectType": "Agent",
        "name": "Ana Ortiz",
        "mbox": "mailto:ana.ortiz@hospital.example",
    }
    made = _made_home(by_mail)
    assert ana["former_actors"] == [
        _account("u-ana"),
        _account("u-ana", made),
        _mbox("ana@hospital.example"),
    ]
    ben = _xapi(by_mail.url, "ben")
    assert ben["actor"]["mbox"] == "mailto:ben@hospital.example"  # no address: as before
    assert ben["former_actors"] == [_account("u-ben"), _account("u-ben", made)]
    about = requests.get(by_mail.url + "/api/v1/about", timeout=10).json()
    assert about["learner_agent"]["mail_addresses"] is True


def test_a_changed_address_is_the_actor_from_the_next_sign_in(by_mail: ReferenceServer) -> None:
    Users(by_mail.backend).set_email("ana", "a.ortiz@clinic.example")
    assert _xapi(by_mail.url, "ana")["actor"]["mbox"] == "mailto:a.ortiz@clinic.example"
    Users(by_mail.backend).set_email("ana", None)
    assert _xapi(by_mail.url, "ana")["actor"]["mbox"] == "mailto:ana@hospital.example"


def test_without_the_switch_an_address_changes_nothing(
    tmp_path: Path, loaded_template: Template, database_url: str | None, server_clock: ServerClock
) -> None:
    """Neither flag: the account; the mail domain alone: the mailbox made from the username.
    The address is a former actor, so turning the switch off keeps what was made under it."""
    plain = IdentitySettings()
    with _server(tmp_path, loaded_template, database_url, server_clock, plain) as server:
        Users(server.backend).set_email("ana", "ana.ortiz@hospital.example")
        xapi = _xapi(server.url, "ana")
        made = _made_home(server)
    assert xapi["actor"] == {"objectType": "Agent", "name": "Ana Ortiz", **_account("u-ana")}
    assert xapi["former_actors"] == [
        _account("u-ana", made),
        _mbox("ana.ortiz@hospital.example"),
    ]
    domain_only = IdentitySettings(mail_domain=DOMAIN)
    with _server(tmp_path, loaded_template, database_url, server_clock, domain_only) as again:
        assert _xapi(again.url, "ana")["actor"]["mbox"] == "mailto:ana@hospital.example"


def _former_mailboxes(xapi: dict[str, Any]) -> list[str]:
    return [str(agent["mbox"]) for agent in xapi["former_actors"] if "mbox" in agent]


@pytest.mark.parametrize(
    ("settings", "ben_mailboxes", "cy_mailboxes"),
    [
        (BY_MAIL, [], ["mailto:cy@hospital.example"]),
        (IdentitySettings(mail_domain=DOMAIN), ["mailto:ben.okafor@hospital.example"], []),
    ],
    ids=["by-mail", "domain-only"],
)
def test_a_sign_in_never_names_another_learners_mailbox_as_a_former_name(
    tmp_path: Path,
    loaded_template: Template,
    database_url: str | None,
    server_clock: ServerClock,
    settings: IdentitySettings,
    ben_mailboxes: list[str],
    cy_mailboxes: list[str],
) -> None:
    """Cy's own address is the mailbox Ben's username makes with the mail domain. By mail it is
    Cy's actor, not one of Ben's former names; with the domain alone it is Ben's actor, not one
    of Cy's. Each keeps their own other mailboxes and accounts, in the sign-in and renewal."""
    with _server(tmp_path, loaded_template, database_url, server_clock, settings) as server:
        users = Users(server.backend)
        users.set_email("ben", "ben.okafor@hospital.example")
        users.set_email("cy", "ben@hospital.example")
        ben, cy = _xapi(server.url, "ben"), _xapi(server.url, "cy")
        made = _made_home(server)
    assert _former_mailboxes(ben) == ben_mailboxes
    assert _former_mailboxes(cy) == cy_mailboxes
    shared = "mailto:ben@hospital.example"
    assert (ben if settings.mail_addresses else cy)["actor"]["mbox"] != shared
    assert (cy if settings.mail_addresses else ben)["actor"]["mbox"] == shared
    for xapi, user_id in ((ben, "u-ben"), (cy, "u-cy")):
        accounts = [agent for agent in xapi["former_actors"] if "account" in agent]
        assert accounts == [_account(user_id), _account(user_id, made)]


@pytest.fixture
def organisation_lrs(tmp_path: Path) -> Iterator[ReferenceServer]:
    """A second reference server, on SQLite, as the organisation's LRS (its xAPI resource, with
    Basic credentials of its own)."""
    lrs = ReferenceServer(tmp_path / "lrs")
    lrs.admin.users.add(*LRS_CREDENTIALS, "The organisation's LRS client")
    with lrs:
        yield lrs


@pytest.fixture
def proxied(
    tmp_path: Path,
    loaded_template: Template,
    database_url: str | None,
    server_clock: ServerClock,
    organisation_lrs: ReferenceServer,
) -> Iterator[ReferenceServer]:
    """By mail, through the LRS proxy. Ben has an address; Cy's address is the one Ben's
    username made with the mail domain before."""
    upstream = UpstreamLrs(organisation_lrs.url + "/xapi", *LRS_CREDENTIALS)
    with _server(
        tmp_path, loaded_template, database_url, server_clock, BY_MAIL, lrs_upstream=upstream
    ) as server:
        users = Users(server.backend)
        users.set_email("ana", "ana.ortiz@hospital.example")
        users.set_email("ben", "ben.okafor@hospital.example")
        users.set_email("cy", "ben@hospital.example")
        yield server


def _statement(actor: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": new_id(),
        "actor": actor,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"objectType": "Activity", "id": PUBLIC + "/activities/lesson/l-1"},
    }


def test_the_proxy_takes_statements_under_the_learners_earlier_names(
    proxied: ReferenceServer, organisation_lrs: ReferenceServer
) -> None:
    ana = Api(proxied.url, "ana")
    own = _mbox("ana.ortiz@hospital.example")
    earlier = [_account("u-ana"), _mbox("ANA@hospital.example"), own]
    batch = [_statement(actor) for actor in earlier]
    sent = ana.post(PATH, json=batch, headers=XAPI)
    assert sent.status_code == 200, sent.text
    asked = ana.get(PATH, params={"agent": json.dumps(_mbox("ana@hospital.example"))}, headers=XAPI)
    assert asked.status_code == 200, asked.text
    assert [s["id"] for s in asked.json()["statements"]] == [batch[1]["id"]]
    mine = ana.get(PATH, headers=XAPI).json()["statements"]
    assert [s["id"] for s in mine] == [batch[2]["id"]]
    held = requests.get(
        organisation_lrs.url + "/xapi/statements", params={"limit": "50"}, headers=XAPI,
        auth=LRS_CREDENTIALS, timeout=10,
    ).json()  # fmt: skip
    assert {s["id"] for s in held["statements"]} == {s["id"] for s in batch}


def test_no_one_writes_under_another_learners_address(proxied: ReferenceServer) -> None:
    """Ben's made-up mailbox is Cy's address now: Cy's, never Ben's; nor is Ana's Ben's."""
    ben, cy = Api(proxied.url, "ben"), Api(proxied.url, "cy")
    for actor in (_mbox("ben@hospital.example"), _mbox("ana.ortiz@hospital.example")):
        refused = ben.post(PATH, json=[_statement(actor)], headers=XAPI)
        assert refused.status_code == 400, refused.text
        assert refused.json()["detail"] == "Statements may only name the signed-in learner."
    mine = cy.post(PATH, json=[_statement(_mbox("ben@hospital.example"))], headers=XAPI)
    assert mine.status_code == 200, mine.text
    own = ben.post(PATH, json=[_statement(_mbox("ben.okafor@hospital.example"))], headers=XAPI)
    assert own.status_code == 200, own.text


def test_the_switch_from_the_environment_and_the_command_line() -> None:
    assert IdentitySettings.from_environ({"ROUNDS_ACTOR_MAIL_ADDRESSES": "True"}).mail_addresses
    assert not IdentitySettings.from_environ({"ROUNDS_ACTOR_MAIL_ADDRESSES": "0"}).mail_addresses
    with pytest.raises(IdentityError, match="ROUNDS_ACTOR_MAIL_ADDRESSES is neither on"):
        IdentitySettings.from_environ({"ROUNDS_ACTOR_MAIL_ADDRESSES": "maybe"})
    options = _serve_parser().parse_args(["--data", "d", "--actor-mail-addresses"])
    assert options.actor_mail_addresses is True


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (" Ana.Ortiz@Hospital.Example ", "ana.ortiz@hospital.example"),
        ("o'neil+rounds@ward7.hospital.example", "o'neil+rounds@ward7.hospital.example"),
        ("ana", None),
        ("ana@", None),
        ("@hospital.example", None),
        (".ana@hospital.example", None),
        ("ana.@hospital.example", None),
        ("ana ortiz@hospital.example", None),
        ("ana@hospital..example", None),
        ("a" * 65 + "@hospital.example", None),
    ],
)
def test_what_an_address_is(text: str, kept: str | None) -> None:
    assert mail_address(text) == kept
