"""xAPI 1.0.3 Part Two 2.4.2 Actor (Agents, Groups, identifiers, accounts) and 2.4.9
Authority: each case names the requirement it breaks."""

from __future__ import annotations

from typing import Any

import pytest

from ..testkit import Api
from .conftest import ANA, statement
from .data_checks import Bad, assert_accepted, assert_all_rejected, by_requirement

MBOX = {"mbox": "mailto:ana@example.org"}
BEN = {"objectType": "Agent", "mbox": "mailto:ben@example.org"}
SHA1 = "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"


def _actor(actor: Any) -> dict[str, Any]:
    return statement(actor=actor)


AGENTS = [
    # 2.4.2.1.s2.b1: "An Agent MUST be identified by one (1) of the four types of Inverse
    # Functional Identifiers."
    Bad("2.4.2.1.s2.b1 no identifier", _actor({"objectType": "Agent", "name": "Ana"}), "actor"),
    # 2.4.2.1.s2.b2: "An Agent MUST NOT include more than one (1) Inverse Functional Identifier."
    Bad("2.4.2.1.s2.b2 mbox and openid", _actor({**MBOX, "openid": "https://id.ex/a"}), "actor"),
    Bad("2.4.2.1.s2.b2 mbox and account", _actor({**ANA, **MBOX}), "actor"),
    # 2.4.2.1.s2.table1.row1: objectType is "Agent", in that case.
    Bad("2.4.2.1.s2.table1 objectType case", _actor({**MBOX, "objectType": "agent"}), "objectType"),
    Bad(
        "2.4.2.1.s2.table1 objectType value", _actor({**MBOX, "objectType": "Person"}), "objectType"
    ),
    Bad("2.4.2.1.s2.table1 name a string", _actor({**MBOX, "name": ["Ana"]}), "actor.name"),
    Bad("2.4.2.1.s2.table1 an Agent has no members", _actor({**MBOX, "member": [BEN]}), "actor"),
]

GROUPS = [
    # 2.4.2.2.s4.b1: "An Anonymous Group MUST include a 'member' property listing constituent
    # Agents."
    Bad("2.4.2.2.s4.b1 no member", _actor({"objectType": "Group", "name": "Ward 4"}), "member"),
    Bad(
        "2.4.2.2.s4.b1 member not a list", _actor({"objectType": "Group", "member": BEN}), "member"
    ),
    # 2.4.2.2.s4.b2: "An Anonymous Group MUST NOT contain Group Objects in the 'member'
    # identifiers."
    Bad(
        "2.4.2.2.s4.b2 anonymous group in a group",
        _actor({"objectType": "Group", "member": [{"objectType": "Group", "member": [BEN]}]}),
        "member[0]",
    ),
    # 2.4.2.2.s5.b1: "An Identified Group MUST include exactly one (1) Inverse Functional
    # Identifier."
    Bad(
        "2.4.2.2.s5.b1 two identifiers",
        _actor({"objectType": "Group", **MBOX, "openid": "https://id.ex/ward"}),
        "actor",
    ),
    # 2.4.2.2.s5.b2: "An Identified Group MUST NOT contain Group Objects in the 'member'
    # property."
    Bad(
        "2.4.2.2.s5.b2 identified group in a group",
        _actor(
            {
                "objectType": "Group",
                **MBOX,
                "member": [{"objectType": "Group", "mbox": "mailto:w@ex.org"}],
            }
        ),
        "member[0]",
    ),
    # 2.4.2.2.s2.table1: a member is an Agent, identified like any Agent.
    Bad(
        "2.4.2.2.s2.table1 member without identifier",
        _actor({"objectType": "Group", "member": [{"name": "Ben"}]}),
        "member[0]",
    ),
    # 2.4.2.2.s2.table1.row1: a Group's objectType is required; members then mean an Agent.
    Bad("2.4.2.2.s2.table1 objectType required", _actor({"member": [BEN]}), "actor"),
]

IDENTIFIERS = [
    # 2.4.2.3.s3.table1.row1: mbox is a mailto IRI, "mailto:email address".
    Bad("2.4.2.3.s3.table1.row1 no scheme", _actor({"mbox": "ana@example.org"}), "actor.mbox"),
    Bad("2.4.2.3.s3.table1.row1 http", _actor({"mbox": "http://ana.example"}), "actor.mbox"),
    Bad("2.4.2.3.s3.table1.row1 no address", _actor({"mbox": "mailto:ana"}), "actor.mbox"),
    # 2.4.2.3.s3.table1.row2: mbox_sha1sum is the hex-encoded SHA-1 of a mailto IRI.
    Bad("2.4.2.3.s3.table1.row2 short", _actor({"mbox_sha1sum": SHA1[:39]}), "actor.mbox_sha1sum"),
    Bad(
        "2.4.2.3.s3.table1.row2 not hex",
        _actor({"mbox_sha1sum": "z" * 40}),
        "actor.mbox_sha1sum",
    ),
    # 2.4.2.3.s3.table1.row3: openid is a URI.
    Bad("2.4.2.3.s3.table1.row3 openid", _actor({"openid": "not a uri"}), "actor.openid"),
    # 2.4.2.4.s2.table1: account homePage (an IRL) and name are both required.
    Bad(
        "2.4.2.4.s2.table1 no homePage",
        _actor({"account": {"name": "ana"}}),
        "account",
    ),
    Bad(
        "2.4.2.4.s2.table1 no name",
        _actor({"account": {"homePage": "https://lms.example"}}),
        "account",
    ),
    Bad(
        "2.4.2.4.s2.table1 name a string",
        _actor({"account": {"homePage": "https://lms.example", "name": 17}}),
        "account.name",
    ),
]

AUTHORITY = [
    # 2.4.9.s3.b1: "Authority MUST be an Agent, except in 3-legged OAuth, where it MUST be a
    # Group with two Agents."
    Bad(
        "2.4.9.s3.b1 group of one",
        statement(authority={"objectType": "Group", "member": [BEN]}),
        "authority",
    ),
    Bad(
        "2.4.9.s3.b1 group of three",
        statement(
            authority={
                "objectType": "Group",
                "member": [BEN, {"mbox": "mailto:c@ex.org"}, {"mbox": "mailto:d@ex.org"}],
            }
        ),
        "authority",
    ),
    Bad("2.4.9.s3.b1 not an agent", statement(authority={"name": "LMS"}), "authority"),
    Bad("2.4.9.s3.b1 not an object", statement(authority="lms"), "authority"),
]


@pytest.mark.backend_neutral
@pytest.mark.parametrize("cases", by_requirement(AGENTS + GROUPS + IDENTIFIERS + AUTHORITY))
def test_refused_with_400_and_not_stored(lrs: Api, cases: list[Bad]) -> None:
    assert_all_rejected(lrs, cases)


@pytest.mark.backend_neutral
@pytest.mark.parametrize(
    "actor",
    [
        pytest.param({"mbox": "mailto:ana@example.org"}, id="2.4.2.1-mbox-no-objectType"),
        pytest.param({"objectType": "Agent", "mbox_sha1sum": SHA1}, id="2.4.2.3-sha1"),
        pytest.param({"openid": "http://toby.openid.example.org/"}, id="2.4.2.3-openid"),
        pytest.param(
            {"objectType": "Group", "name": "Ward 4", "member": [BEN, ANA]},
            id="2.4.2.2-anonymous-group",
        ),
        pytest.param(
            {"objectType": "Group", "mbox": "mailto:ward4@example.org"},
            id="2.4.2.2.s5.b4-identified-group-without-members",
        ),
    ],
)
def test_every_kind_of_actor_is_taken(lrs: Api, actor: dict[str, Any]) -> None:
    """2.4.2: an Agent by any one identifier, an anonymous Group listing its members, an
    identified Group with or without them."""
    assert assert_accepted(lrs, statement(actor=actor))["actor"] == actor


def test_the_authority_is_set_by_the_lrs(lrs: Api) -> None:
    """2.4.9.s3.b3 "The LRS MUST ensure that all Statements stored have an authority", and
    b2: a user connecting directly is the entire authority, as an Agent; a valid 3-legged
    OAuth Group sent by the client is replaced by it (b4)."""
    oauth = {
        "objectType": "Group",
        "member": [{"account": {"homePage": "https://lms.example/token", "name": "app"}}, BEN],
    }
    for sent in (statement(), statement(authority=oauth)):
        authority = assert_accepted(lrs, sent)["authority"]
        assert authority["objectType"] == "Agent"
        assert authority["account"]["homePage"].startswith("http")
