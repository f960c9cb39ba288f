"""How a learner is named to a learning record store, as the server states it at sign-in.

A hospital joins Rounds statements to the rest of a learner's record by the xAPI actor, so the
programme decides it here, never the client: an `account` on the programme's identity home page
(its LMS or identity provider; by default the server's public URL) named by the user's stable
id, or an `mbox` made from the username and the programme's mail domain. With `mail_addresses`
on, a learner whose own e-mail address the server knows is the `mbox` of that address instead,
the one the LRS joins to the rest of their record. Activities are under `activity_iri_base`
and the extensions Rounds defines under `extensions_iri_base`, both on a domain the programme
controls (by default under the public URL).

Every other name this server gave or may have given a learner (the account here and under a
former home page, the made-up and the own mailbox, the provider's account) is one of their
`former_agents`: statements made under it stay theirs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

ACTOR_HOME_PAGE = "ROUNDS_ACTOR_HOME_PAGE"
ACTOR_MAIL_DOMAIN = "ROUNDS_ACTOR_MAIL_DOMAIN"
ACTOR_MAIL_ADDRESSES = "ROUNDS_ACTOR_MAIL_ADDRESSES"
ACTIVITY_IRI_BASE = "ROUNDS_ACTIVITY_IRI_BASE"
EXTENSIONS_IRI_BASE = "ROUNDS_EXTENSIONS_IRI_BASE"
_MAIL_DOMAIN = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")
_MAILBOX_LOCAL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$")
MAX_MAIL_ADDRESS_LENGTH = 254
_SWITCH = {"": False, "0": False, "false": False, "no": False, "off": False,
           "1": True, "true": True, "yes": True, "on": True}  # fmt: skip


class IdentityError(ValueError):
    """A learner identity setting is unusable; the message is one sentence naming it."""


@dataclass(frozen=True)
class IdentitySettings:
    """What the operator configured; empty means the default."""

    actor_home_page: str = ""
    mail_domain: str = ""
    activity_iri_base: str = ""
    extensions_iri_base: str = ""
    mail_addresses: bool = False

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> IdentitySettings:
        """The settings from the ROUNDS_ACTOR_* and ROUNDS_*_IRI_BASE variables."""
        return cls(
            actor_home_page=checked_url(environ.get(ACTOR_HOME_PAGE, ""), ACTOR_HOME_PAGE),
            mail_domain=checked_mail_domain(environ.get(ACTOR_MAIL_DOMAIN, "")),
            activity_iri_base=checked_url(environ.get(ACTIVITY_IRI_BASE, ""), ACTIVITY_IRI_BASE),
            extensions_iri_base=checked_url(
                environ.get(EXTENSIONS_IRI_BASE, ""), EXTENSIONS_IRI_BASE
            ),
            mail_addresses=_switch(environ.get(ACTOR_MAIL_ADDRESSES, ""), ACTOR_MAIL_ADDRESSES),
        )


def _switch(text: str, name: str) -> bool:
    value = _SWITCH.get(text.strip().lower())
    if value is None:
        raise IdentityError(f"{name} is neither on (1, true, yes) nor off (0, false, no): {text}")
    return value


def checked_url(text: str, name: str) -> str:
    """`text` without a trailing slash if it is an absolute http(s) URL, "" if empty."""
    text = text.strip()
    if not text:
        return ""
    try:
        parts = urlsplit(text)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        usable = False
    if not usable or parts.query or parts.fragment:
        raise IdentityError(f"{name} is not an http(s) URL without query or fragment: {text}")
    return text.rstrip("/")


def checked_mail_domain(text: str) -> str:
    text = text.strip().lstrip("@")
    if text and not _MAIL_DOMAIN.match(text):
        raise IdentityError(f"{ACTOR_MAIL_DOMAIN} is not a mail domain: {text}")
    return text.lower()


def _is_mailbox_local(local: str) -> bool:
    return bool(_MAILBOX_LOCAL.match(local)) and not (
        local.startswith(".") or local.endswith(".") or ".." in local
    )


def mail_address(text: str) -> str | None:
    """`text` as a learner's address is kept (trimmed, lower case), None if it is not one: a
    mailbox's local part, `@` and a domain, at most 254 characters."""
    address = text.strip().lower()
    local, at, domain = address.rpartition("@")
    usable = at and len(address) <= MAX_MAIL_ADDRESS_LENGTH and _MAIL_DOMAIN.match(domain)
    return address if usable and ".." not in domain and _is_mailbox_local(local) else None


@dataclass(frozen=True)
class LearnerIdentity:
    """The identity every learner of this server is given, resolved from the settings."""

    home_page: str
    former_home_pages: tuple[str, ...]
    activity_iri_base: str
    extensions_iri_base: str
    mail_domain: str = ""
    mail_addresses: bool = False

    @classmethod
    def resolve(
        cls,
        own_home_page: str,
        former_home_pages: tuple[str, ...] = (),
        settings: IdentitySettings | None = None,
    ) -> LearnerIdentity:
        """Defaults: the account home page and the IRI bases are under the server's own home
        page (`backend.home_page_for`: its public URL, else one made from its id), whatever
        address a client typed. Home pages the learners had before (the one made from the id,
        the server's own once an identity home page replaces it) are the former ones:
        statements there are the same learners'."""
        settings = settings or IdentitySettings()
        own = own_home_page.rstrip("/")
        home = settings.actor_home_page.rstrip("/") or own
        former = (own, *former_home_pages)
        activities = settings.activity_iri_base.rstrip("/") or f"{own}/activities"
        extensions = settings.extensions_iri_base.rstrip("/") or f"{own}/xapi/extensions"
        return cls(
            home_page=home,
            former_home_pages=tuple(h for h in dict.fromkeys(former) if h != home),
            activity_iri_base=activities,
            extensions_iri_base=extensions,
            mail_domain=settings.mail_domain,
            mail_addresses=settings.mail_addresses,
        )

    def actor(
        self,
        user_id: str,
        username: str,
        display_name: str,
        email: str = "",
        provider: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The learner's xAPI Agent: the mbox of their own address (`email`) when the server
        names learners by it; else `provider`'s account (the single sign-on issuer's, see
        sso_users) for a learner it signs in; else an mbox with a mail domain (when the
        username can be a mailbox's local part); else the account on the home page named by
        the stable id."""
        if self.mail_addresses and email:
            return _named({"mbox": f"mailto:{email.lower()}"}, display_name)
        if provider is not None:
            return _named({"account": provider["account"]}, display_name)
        made = self._made_mbox(username)
        if made:
            return _named({"mbox": made}, display_name)
        return _named({"account": {"homePage": self.home_page, "name": user_id}}, display_name)

    def _made_mbox(self, username: str) -> str:
        """The mailbox made from the username and the mail domain, "" if none is made."""
        local = username.strip().lower()
        usable = self.mail_domain and _MAILBOX_LOCAL.match(local) and not local.startswith(".")
        return f"mailto:{local}@{self.mail_domain}" if usable else ""

    def former_agents(
        self,
        user_id: str,
        username: str,
        email: str = "",
        provider: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """Every other agent this server names, or named, the learner by, without `name`:
        the account by the id on the home page and the former ones, the mbox made from the
        username and the mail domain, the mbox of their own address, the provider's account.
        The actor is left out."""
        own = _identifier(self.actor(user_id, username, "", email, provider))
        homes = (self.home_page, *self.former_home_pages)
        agents: list[dict[str, Any]] = [
            {"account": {"homePage": home, "name": user_id}} for home in homes
        ]
        made = self._made_mbox(username)
        mailboxes = [made] if made else []
        mailboxes += [f"mailto:{email.lower()}"] if email else []
        agents += [{"mbox": mbox} for mbox in dict.fromkeys(mailboxes)]
        agents += [{"account": provider["account"]}] if provider is not None else []
        return [{"objectType": "Agent", **agent} for agent in agents if agent != own]

    def naming(self, sso_issuer: str = "") -> dict[str, Any]:
        """How learners are named, for About's `learner_agent`: the account (on `home_page`,
        named by the user's id) unless the mail domain gives a mailbox for the username, and
        learners of the single sign-on provider by its issuer and their subject; with
        `mail_addresses`, a learner with an address of their own by its mailbox. The sign-in's
        `xapi.actor` is each learner's own."""
        return {
            "account_home_page": self.home_page,
            "account_name": "user.id",
            "mail_domain": self.mail_domain or None,
            "mail_addresses": self.mail_addresses,
            "sso_issuer": sso_issuer or None,
        }

    def for_user(
        self,
        user_id: str,
        username: str,
        display_name: str,
        email: str = "",
        provider: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The `xapi` member of the sign-in reply."""
        return {
            "actor": self.actor(user_id, username, display_name, email, provider),
            "former_actors": self.former_agents(user_id, username, email, provider),
            "activity_iri_base": self.activity_iri_base,
            "extensions_iri_base": self.extensions_iri_base,
        }


def _identifier(agent: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in agent.items() if key in ("mbox", "account")}


def _named(identifier: dict[str, Any], display_name: str) -> dict[str, Any]:
    agent: dict[str, Any] = {"objectType": "Agent"}
    if display_name:
        agent["name"] = display_name
    return {**agent, **identifier}
