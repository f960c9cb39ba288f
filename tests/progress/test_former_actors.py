"""The sign-in's `xapi.former_actors`: read strictly, kept with the stated identity, and each
one this learner's when statements are pulled and merged."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from progress_samples import SERVER

from desktop_app.api.errors import BadPayloadError
from desktop_app.api.payloads import FormerActor, StatedIdentity, parse_sign_in
from desktop_app.config import AccountPaths
from desktop_app.progress.identity import (
    IDENTITY_FILE,
    learner_actor,
    load_stated_identity,
    save_stated_identity,
)
from desktop_app.sync.statements_pull import account_digest

ACTIVITIES = "https://learning.hospital.example/activities"
EXTENSIONS = "https://learning.hospital.example/xapi/extensions"
ISSUER = "https://id.hospital.example"
OWN = "mailto:ana.ortiz@hospital.example"
MADE_UP = "mailto:ana@hospital.example"
DIGEST = hashlib.sha1(b"mailto:a.ortiz@clinic.example").hexdigest()
SIGN_IN = {
    "access_token": "a",
    "refresh_token": "r",
    "token_type": "Bearer",
    "expires_in": 900,
    "user": {"id": "u-ana", "username": "ana", "display_name": "Ana"},
}
XAPI = {
    "actor": {"objectType": "Agent", "name": "Ana", "mbox": OWN},
    "former_actors": [
        {"objectType": "Agent", "account": {"homePage": SERVER + "/", "name": "u-ana"}},
        {"objectType": "Agent", "mbox": MADE_UP},
        {"objectType": "Agent", "mbox_sha1sum": DIGEST.upper()},
        {"objectType": "Agent", "openid": "https://openid.example/ana"},
        {"objectType": "Agent", "account": {"homePage": ISSUER, "name": "sub-17"}},
    ],
    "activity_iri_base": ACTIVITIES,
    "extensions_iri_base": EXTENSIONS,
}
FORMER = (
    FormerActor(home_page=SERVER, account_name="u-ana"),
    FormerActor(mbox=MADE_UP),
    FormerActor(mbox_sha1sum=DIGEST),
    FormerActor(home_page=ISSUER, account_name="sub-17"),
)
STATED = StatedIdentity("", "", OWN, ACTIVITIES, EXTENSIONS, FORMER)


def test_the_former_actors_are_read_from_the_sign_in() -> None:
    assert parse_sign_in({**SIGN_IN, "xapi": XAPI}).xapi == STATED
    without = {key: value for key, value in XAPI.items() if key != "former_actors"}
    assert parse_sign_in({**SIGN_IN, "xapi": without}).xapi == StatedIdentity(
        "", "", OWN, ACTIVITIES, EXTENSIONS
    )


@pytest.mark.parametrize(
    "former",
    [
        "mailto:ana@hospital.example",
        ["mailto:ana@hospital.example"],
        [{"mbox": "ana@hospital.example"}],
        [{"mbox_sha1sum": "not hex"}],
        [{"account": {"homePage": "id.hospital.example", "name": "sub-17"}}],
        [{"objectType": "Agent"}],
    ],
)
def test_a_malformed_former_actor_is_refused(former: Any) -> None:
    with pytest.raises(BadPayloadError, match="former_actors"):
        parse_sign_in({**SIGN_IN, "xapi": {**XAPI, "former_actors": former}})


def test_the_former_actors_are_kept_with_the_stated_identity(tmp_path: Path) -> None:
    save_stated_identity(tmp_path, STATED)
    assert load_stated_identity(tmp_path) == STATED
    kept = json.loads((tmp_path / IDENTITY_FILE).read_text(encoding="utf-8"))
    del kept["former_actors"]  # as a file kept before servers listed them
    (tmp_path / IDENTITY_FILE).write_text(json.dumps(kept), encoding="utf-8")
    assert load_stated_identity(tmp_path) == StatedIdentity("", "", OWN, ACTIVITIES, EXTENSIONS)


@pytest.mark.expect_log("desktop_app.progress.identity", "cannot be read")
@pytest.mark.parametrize("former", ["mailto:x@y", [{"mbox": MADE_UP, "colour": "red"}], [3]])
def test_a_damaged_list_of_former_actors_is_not_read(tmp_path: Path, former: Any) -> None:
    save_stated_identity(tmp_path, STATED)
    kept = json.loads((tmp_path / IDENTITY_FILE).read_text(encoding="utf-8"))
    kept["former_actors"] = former
    (tmp_path / IDENTITY_FILE).write_text(json.dumps(kept), encoding="utf-8")
    assert load_stated_identity(tmp_path) is None


@pytest.fixture
def paths() -> AccountPaths:
    paths = AccountPaths.for_account(SERVER, "ana")
    save_stated_identity(paths.root, STATED)
    return paths


def test_every_former_actor_is_this_learner(paths: AccountPaths) -> None:
    actor = learner_actor(SERVER, "ana", "Ana", paths)
    assert actor.to_xapi() == {"objectType": "Agent", "mbox": OWN, "name": "Ana"}
    assert actor.is_agent({"mbox": OWN.upper()})
    assert actor.is_agent({"mbox": "mailto:Ana@Hospital.example"})
    assert actor.is_agent({"mbox_sha1sum": DIGEST})
    assert actor.is_agent({"account": {"homePage": SERVER, "name": "u-ana"}})
    assert actor.is_agent({"account": {"homePage": ISSUER + "/", "name": "sub-17"}})
    assert not actor.is_agent({"mbox": "mailto:ben@hospital.example"})
    assert not actor.is_agent({"mbox_sha1sum": hashlib.sha1(OWN.encode()).hexdigest()})
    assert not actor.is_agent({"account": {"homePage": ISSUER, "name": "sub-18"}})


def test_an_account_actor_takes_a_former_mailbox_as_this_learner() -> None:
    paths = AccountPaths.for_account(SERVER, "ana")
    former = (FormerActor(mbox=MADE_UP),)
    save_stated_identity(
        paths.root, StatedIdentity(SERVER, "u-ana", "", ACTIVITIES, EXTENSIONS, former)
    )
    actor = learner_actor(SERVER, "ana", "Ana", paths)
    assert actor.to_xapi()["account"] == {"homePage": SERVER, "name": "u-ana"}
    assert actor.is_agent({"mbox": MADE_UP})
    assert not actor.is_agent({"mbox": OWN})
    assert {"objectType": "Agent", "mbox": MADE_UP} in actor.earlier_agents()


def test_each_former_actor_is_pulled_from_a_mark_of_its_own(paths: AccountPaths) -> None:
    agents = learner_actor(SERVER, "ana", "Ana", paths).earlier_agents()
    named = [a.get("mbox") or a.get("mbox_sha1sum") or a["account"]["homePage"] for a in agents]
    assert {MADE_UP, DIGEST, SERVER, ISSUER} <= set(named)
    assert OWN not in named
    digests = [account_digest(agent) for agent in agents]
    assert len(set(digests)) == len(agents)
