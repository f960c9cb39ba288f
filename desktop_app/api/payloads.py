"""Replies of the endpoints (other than the feed documents), parsed strictly into dataclasses."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from desktop_app.api import shape
from desktop_app.api.errors import BadPayloadError
from desktop_app.api.tokens import Tokens


@dataclass(frozen=True)
class User:
    id: str
    username: str
    display_name: str


@dataclass(frozen=True)
class ServerAbout:
    """Who a server is, whatever address it was reached at: accounts are keyed on `id`, and
    learners' xAPI accounts are on `home_page` ("" from a server that does not say: its
    learners are then named by its address and their username, as before). Learners recorded
    under one of `former_home_pages` are the same learners."""

    id: str
    name: str
    api_version: str
    home_page: str = ""
    former_home_pages: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormerActor:
    """Another name the server gives or gave the learner (the sign-in's `xapi.former_actors`):
    an `mbox` ("mailto:…"), an `mbox_sha1sum` (40 hex digits) or an account (`home_page`,
    `account_name`); the others are empty."""

    mbox: str = ""
    mbox_sha1sum: str = ""
    home_page: str = ""
    account_name: str = ""


@dataclass(frozen=True)
class StatedIdentity:
    """How the server names the learner in xAPI statements (the sign-in reply's `xapi`): an
    account (`home_page`, `account_name`) or an `mbox`, and the IRI bases of activities and
    of the extensions Rounds defines. Statements under one of `former_actors` are the same
    learner's."""

    home_page: str
    account_name: str
    mbox: str
    activity_iri_base: str
    extensions_iri_base: str
    former_actors: tuple[FormerActor, ...] = ()


@dataclass(frozen=True)
class SignIn:
    """What signing in (or refreshing) gives: the session tokens and who they belong to, and
    how statements name them (None from a server that does not say)."""

    tokens: Tokens
    user: User
    xapi: StatedIdentity | None = None


@dataclass(frozen=True, slots=True)
class Tombstone:
    """A document that was deleted or unpublished on the server."""

    type: str
    id: str


@dataclass(frozen=True)
class FeedPage[T]:
    items: tuple[T | Tombstone, ...]
    next_cursor: str
    has_more: bool


@dataclass(frozen=True)
class CheckinReceipt:
    id: str
    residency_id: str
    status: str
    confirmed_at: datetime | None
    first_time: bool


@dataclass(frozen=True)
class StatementPage:
    """xAPI statements (as JSON objects) and the link to the next page ("" when done)."""

    statements: tuple[dict[str, Any], ...]
    more: str


def parse_sign_in(value: Any, now: datetime | None = None) -> SignIn:
    where = "the sign-in reply"
    data = shape.obj(value, where)
    token_type = shape.text(data, "token_type", where)
    if token_type.lower() != "bearer":
        raise BadPayloadError(f"{where}: unsupported token type “{token_type[:40]}”")
    expires_in = shape.integer(data, "expires_in", where)
    user = shape.obj(data.get("user"), f"{where} › user")
    return SignIn(
        tokens=Tokens(
            access_token=_token(data, "access_token", where),
            refresh_token=_token(data, "refresh_token", where),
            expires_at=(now or datetime.now(UTC)) + timedelta(seconds=expires_in),
        ),
        user=User(
            id=shape.ident(user, "id", where),
            username=shape.text(user, "username", where),
            display_name=shape.optional_text(user, "display_name", where),
        ),
        xapi=_stated_identity(data.get("xapi"), f"{where} › xapi"),
    )


def _stated_identity(value: Any, where: str) -> StatedIdentity | None:
    if value is None:
        return None
    data = shape.obj(value, where)
    actor = _agent(data.get("actor"), f"{where} › actor")
    if actor is None or actor.mbox_sha1sum:
        raise shape.wrong(where, "actor", "an mbox or an account", data.get("actor"))
    return StatedIdentity(
        home_page=actor.home_page,
        account_name=actor.account_name,
        mbox=actor.mbox,
        activity_iri_base=_iri_base(data, "activity_iri_base", where),
        extensions_iri_base=_iri_base(data, "extensions_iri_base", where),
        former_actors=_former_actors(data, where),
    )


def _former_actors(data: dict[str, Any], where: str) -> tuple[FormerActor, ...]:
    """The agents of `former_actors` (none from a server that does not say); one named by an
    identifier Rounds does not use (an `openid`) is left out."""
    key = "former_actors"
    values = shape.array(data, key, where) if data.get(key) is not None else []
    agents = (_agent(value, f"{where} › {key} {n}") for n, value in enumerate(values, 1))
    return tuple(dict.fromkeys(agent for agent in agents if agent is not None))


def _agent(value: Any, where: str) -> FormerActor | None:
    """An xAPI Agent's identifier: its mbox, mbox_sha1sum or account; None for an openid."""
    agent = shape.obj(value, where)
    mbox = shape.optional_text(agent, "mbox", where)
    if mbox:
        if not mbox.startswith("mailto:") or "@" not in mbox:
            raise shape.wrong(where, "mbox", "a mailto: address", mbox)
        return FormerActor(mbox=mbox)
    digest = shape.optional_text(agent, "mbox_sha1sum", where)
    if digest:
        if not _SHA1.fullmatch(digest):
            raise shape.wrong(where, "mbox_sha1sum", "40 hex digits", digest)
        return FormerActor(mbox_sha1sum=digest.lower())
    if agent.get("account") is None and agent.get("openid") is not None:
        return None
    account = shape.obj(agent.get("account"), f"{where} › account")
    home_page = _home_page(account.get("homePage"), where, "homePage")
    name = shape.text(account, "name", where)
    if not (home_page and name):
        raise shape.wrong(where, "account", "a homePage and a name", account)
    return FormerActor(home_page=home_page, account_name=name)


_SHA1 = re.compile(r"[0-9A-Fa-f]{40}")


def _iri_base(data: dict[str, Any], key: str, where: str) -> str:
    base = _home_page(data.get(key), where, key)
    if not base:
        raise shape.wrong(where, key, "an http(s) URL", base)
    return base


def parse_about(value: Any) -> ServerAbout:
    where = "the server's about reply"
    data = shape.obj(value, where)
    return ServerAbout(
        id=shape.ident(data, "id", where),
        name=shape.optional_text(data, "name", where),
        api_version=shape.text(data, "api_version", where),
        home_page=_home_page(data.get("home_page"), where),
        former_home_pages=_former_home_pages(data, where),
    )


def _home_page(value: Any, where: str, key: str = "home_page") -> str:
    """An http(s) URL with a host, as strict learning record stores want a homePage."""
    text = shape.optional_text({key: value}, key, where)
    parts = urlsplit(text)
    if text and (parts.scheme not in ("http", "https") or not parts.hostname):
        raise shape.wrong(where, key, "an http(s) URL", text)
    return text.rstrip("/")


def _former_home_pages(data: dict[str, Any], where: str) -> tuple[str, ...]:
    key = "former_home_pages"
    values = shape.array(data, key, where) if data.get(key) is not None else []
    return tuple(_home_page(value, where, key) for value in values if value)


def _token(data: dict[str, Any], key: str, where: str) -> str:
    value = shape.text(data, key, where)
    if not value or any(c.isspace() for c in value):
        raise BadPayloadError(f"{where}: “{key}” is not a usable token")
    return value


def parse_feed_page[T](
    value: Any, item_type: str, parse_document: Callable[[Any, str], T], feed: str
) -> FeedPage[T]:
    where = f"the {feed} page"
    data = shape.obj(value, where)
    items = shape.array(data, "items", where)
    return FeedPage(
        items=tuple(
            _feed_item(item, item_type, parse_document, f"{feed} item {index + 1}")
            for index, item in enumerate(items)
        ),
        next_cursor=shape.text(data, "next_cursor", where),
        has_more=shape.boolean(data, "has_more", where),
    )


def _feed_item[T](
    value: Any, item_type: str, parse_document: Callable[[Any, str], T], where: str
) -> T | Tombstone:
    data = shape.obj(value, where)
    kind = shape.one_of(data, "type", where, (item_type,))
    item_id = shape.ident(data, "id", where)
    if shape.boolean(data, "deleted", where):
        return Tombstone(kind, item_id)
    document = parse_document(data.get(item_type), f"{where} › {item_type}")
    if getattr(document, "id", None) != item_id:
        raise BadPayloadError(f"{where}: the {item_type} inside is not “{item_id}”")
    return document


def parse_checkin(value: Any, first_time: bool) -> CheckinReceipt:
    where = "the check-in reply"
    data = shape.obj(value, where)
    return CheckinReceipt(
        id=shape.ident(data, "id", where),
        residency_id=shape.ident(data, "residency_id", where),
        status=shape.text(data, "status", where),
        confirmed_at=shape.optional_timestamp(data, "confirmed_at", where),
        first_time=first_time,
    )


def parse_statement_ids(value: Any) -> list[str]:
    if type(value) is list and all(type(item) is str for item in value):
        return value
    raise BadPayloadError("the reply to storing statements should be a list of statement ids")


def parse_statement_page(value: Any) -> StatementPage:
    where = "the statements reply"
    data = shape.obj(value, where)
    statements = shape.array(data, "statements", where)
    if not all(type(item) is dict for item in statements):
        raise BadPayloadError(f"{where}: every statement should be an object")
    return StatementPage(
        statements=tuple(statements), more=shape.optional_text(data, "more", where)
    )
