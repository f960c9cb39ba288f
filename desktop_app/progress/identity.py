"""The learner's xAPI identity as the server stated it at the last sign-in, kept in the account's
folder (`xapi-identity.json`) so that statements made offline name the learner the same way,
and the learner and IRI bases every new statement is built from (`learner_actor`,
`iri_bases_for`).

The statements already in the log keep the actor they were made with: progress is never
rewritten. The accounts the learner was named by before (the folder's noted home pages) stay
aliases, and so does every other name the server states it gives or gave them (the sign-in's
`former_actors`: accounts, and mailboxes from before it named learners by their own address),
so statements made under them, here or on another device, are still this learner's.

A renewed session keeps what the server states too (`account._client`), so the identity may
change while the app runs: `FollowedIdentity` gives a running session's log and exchange the
learner as named now, read again only when the kept file changes.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import asdict, astuple
from pathlib import Path

from desktop_app.api.payloads import FormerActor, StatedIdentity
from desktop_app.atomic_file import write_json_atomically
from desktop_app.config import AccountPaths
from desktop_app.progress.xapi import (
    EARLIER_EXTENSIONS,
    Actor,
    StatementBuilder,
    activity_base_for,
    aliases_for,
)

IDENTITY_FILE = "xapi-identity.json"
log = logging.getLogger(__name__)


def save_stated_identity(folder: Path, stated: StatedIdentity) -> None:
    """Keep what the server said, unless it is already kept."""
    path = folder / IDENTITY_FILE
    if load_stated_identity(folder) != stated:
        folder.mkdir(parents=True, exist_ok=True)
        write_json_atomically(path, asdict(stated), indent=2, sort_keys=True)


def load_stated_identity(folder: Path) -> StatedIdentity | None:
    """What the last sign-in stated, or None (no such sign-in yet, or an unreadable file). A
    file kept before the server listed former actors has none."""
    path = folder / IDENTITY_FILE
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        fields = {key: document[key] for key in _TEXT_FIELDS}
        former = tuple(FormerActor(**agent) for agent in document.get("former_actors", []))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        log.warning("The stated xAPI identity in %s cannot be read: %s", path, error)
        return None
    texts = [*fields.values(), *(value for agent in former for value in astuple(agent))]
    if not all(isinstance(value, str) for value in texts):
        log.warning("The stated xAPI identity in %s is not text", path)
        return None
    return StatedIdentity(**fields, former_actors=former)


_TEXT_FIELDS = [key for key in StatedIdentity.__dataclass_fields__ if key != "former_actors"]


def learner_actor(
    server_url: str, username: str, display_name: str = "", paths: AccountPaths | None = None
) -> Actor:
    """The learner as statements name them: the actor the server stated at the folder's last
    sign-in (an account or an mbox), else the server's home page and the user's id as that
    sign-in noted them, so every port and spelling of the address is one person. A folder from
    before ids, or a server that names no home page, keeps the address and the username. The
    address and username accounts that earlier caches recorded are aliases, and so are the
    server's home page and former home pages with the user's id, and every former actor the
    server stated (its accounts as aliases, its mailboxes as `Actor.mailboxes`)."""
    paths = paths or AccountPaths.for_account(server_url, username)
    recorded = paths.recorded()
    aliases = aliases_for((*recorded.addresses, server_url), username)
    homes = (recorded.home_page, *recorded.former_home_pages) if recorded.home_page else ()
    aliases |= aliases_for(homes, recorded.user_id)
    stated = load_stated_identity(paths.root)
    if stated is None:
        home, name = recorded.home_page, recorded.user_id
        if not (home and name):
            home, name = server_url, username
        return Actor(home, name, display_name, aliases)
    aliases |= _former_accounts(stated.former_actors)
    boxes = _former_mailboxes(stated.former_actors)
    if stated.mbox:
        home, name = recorded.home_page or server_url, recorded.user_id or username
        return Actor(home, name, display_name, aliases, stated.mbox, boxes)
    return Actor(stated.home_page, stated.account_name, display_name, aliases, mailboxes=boxes)


def _former_accounts(former: tuple[FormerActor, ...]) -> frozenset[tuple[str, str]]:
    accounts = [(agent.home_page, agent.account_name) for agent in former if agent.home_page]
    return frozenset().union(*(aliases_for((home,), name) for home, name in accounts))


def _former_mailboxes(former: tuple[FormerActor, ...]) -> frozenset[str]:
    return frozenset((agent.mbox or agent.mbox_sha1sum).lower() for agent in former) - {""}


def iri_bases_for(paths: AccountPaths, actor: Actor) -> tuple[str, str]:
    """The bases of activity IRIs and of extension IRIs the server stated at the folder's last
    sign-in; before any such sign-in, activities under the actor's home page and the
    extensions under the earlier base."""
    stated = load_stated_identity(paths.root)
    if stated is not None:
        return stated.activity_iri_base, stated.extensions_iri_base
    return activity_base_for(actor.home_page), EARLIER_EXTENSIONS


class FollowedIdentity:
    """The statement builder (actor and IRI bases) of the learner as named now: `read` again
    whenever the stated identity kept in `folder` was written since the last read, one stat
    of the file per statement otherwise."""

    def __init__(self, folder: Path, read: Callable[[], StatementBuilder]) -> None:
        self._path = folder / IDENTITY_FILE
        self._read = read
        self._lock = threading.Lock()
        self._stamp = _stamp(self._path)
        self._builder = read()

    def builder(self) -> StatementBuilder:
        stamp = _stamp(self._path)
        with self._lock:
            if stamp != self._stamp:
                self._builder, self._stamp = self._read(), stamp
                log.info("Statements now name the learner as %s", self._builder.actor.key)
            return self._builder

    def actor(self) -> Actor:
        return self.builder().actor


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """What changes when the file is written again (atomically, so as a new file)."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_ino, status.st_mtime_ns, status.st_size
