"""Agents, Groups and the authority (xAPI 1.0.3 Part Two 2.4.2 and 2.4.9)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reference_server.xapi_rules.formats import (
    fail,
    iri,
    json_object,
    mbox,
    sha1_hex,
    text,
)

IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
_AGENT_KEYS = ("objectType", "name", *IFIS, "member")


def _account(value: Any, where: str) -> None:
    """2.4.2.4: homePage an IRL, name a string, nothing else."""
    account = json_object(value, where, ("homePage", "name"), ("homePage", "name"))
    iri(account["homePage"], f"{where}.homePage")
    text(account["name"], f"{where}.name")


_IFI_CHECKS: dict[str, Callable[[Any, str], None]] = {
    "mbox": mbox,
    "mbox_sha1sum": sha1_hex,
    "openid": iri,
    "account": _account,
}


def validate_agent(value: Any, where: str, *, kind_required: bool = False) -> dict[str, Any]:
    """An Agent or a Group wherever one may stand; objectType Agent may be left out unless
    kind_required (2.4.4.2.s1.b1: an Agent as a statement's object names it)."""
    agent = json_object(value, where, _AGENT_KEYS)
    if kind_required and "objectType" not in agent:
        raise fail(where, "objectType is required here")
    kind = agent.get("objectType", "Agent")
    if kind not in ("Agent", "Group"):
        raise fail(f"{where}.objectType", "must be Agent or Group")
    ifis = [key for key in IFIS if key in agent]
    if len(ifis) > 1:
        raise fail(where, "holds more than one identifier (mbox, mbox_sha1sum, openid, account)")
    if "name" in agent:
        text(agent["name"], f"{where}.name")
    for key in ifis:
        _IFI_CHECKS[key](agent[key], f"{where}.{key}")
    if kind == "Agent":
        _agent_only(agent, ifis, where)
    else:
        _members(agent.get("member"), where, anonymous=not ifis)
    return agent


def _agent_only(agent: dict[str, Any], ifis: list[str], where: str) -> None:
    """2.4.2.1.s2.b1: an Agent is identified by exactly one identifier and has no members."""
    if "member" in agent:
        raise fail(where, "only a Group has members (objectType Group)")
    if not ifis:
        raise fail(where, "an Agent needs one identifier (mbox, mbox_sha1sum, openid, account)")


def _members(members: Any, where: str, anonymous: bool) -> None:
    """2.4.2.2.s4 and s5: an anonymous Group lists its members; members are Agents only."""
    if members is None and not anonymous:
        return
    if not isinstance(members, list) or (anonymous and not members):
        raise fail(f"{where}.member", "an anonymous Group lists its member Agents")
    for index, member in enumerate(members):
        at = f"{where}.member[{index}]"
        validate_agent(member, at)
        if member.get("objectType", "Agent") != "Agent":
            raise fail(at, "a Group's members are Agents, not Groups")


def validate_group(value: Any, where: str) -> None:
    """2.4.6.s3 table: context.team is a Group."""
    validate_agent(value, where)
    if value.get("objectType") != "Group":
        raise fail(where, "must be a Group (objectType Group)")


def validate_authority(value: Any, where: str) -> None:
    """2.4.9.s3.b1: an Agent, or (3-legged OAuth) a Group of exactly two Agents."""
    validate_agent(value, where)
    if value.get("objectType") == "Group" and len(value.get("member", [])) != 2:
        raise fail(where, "a Group as authority has exactly two members (OAuth application, user)")
