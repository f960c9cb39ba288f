"""The learner's xAPI identity as the server stated it at the last sign-in, kept in the account's
folder (`xapi-identity.json`) so that statements made offline name the learner the same way,
and the learner and IRI bases every new statement is built from (`learner_actor`,
`iri_bases_for`).

The statements already in the log keep the actor they were made with: progress is never
rewritten. The accounts the learner was named by before (the folder's noted home pages) stay
aliases, so statements made under them, here or on another device, are still this learner's.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from pathlib import Path

from desktop_app.api.payloads import StatedIdentity
from desktop_app.atomic_file import write_json_atomically
from desktop_app.config import AccountPaths
from desktop_app.progress.xapi import EARLIER_EXTENSIONS, Actor, activity_base_for, aliases_for

IDENTITY_FILE = "xapi-identity.json"
log = logging.getLogger(__name__)


def save_stated_identity(folder: Path, stated: StatedIdentity) -> None:
    """Keep what the server said, unless it is already kept."""
    path = folder / IDENTITY_FILE
    if load_stated_identity(folder) != stated:
        folder.mkdir(parents=True, exist_ok=True)
        write_json_atomically(path, asdict(stated), indent=2, sort_keys=True)


def load_stated_identity(folder: Path) -> StatedIdentity | None:
    """What the last sign-in stated, or None (no such sign-in yet, or an unreadable file)."""
    path = folder / IDENTITY_FILE
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        fields = {key: document[key] for key in StatedIdentity.__dataclass_fields__}
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("The stated xAPI identity in %s cannot be read: %s", path, error)
        return None
    if not all(isinstance(value, str) for value in fields.values()):
        log.warning("The stated xAPI identity in %s is not text", path)
        return None
    return StatedIdentity(**fields)


def learner_actor(
    server_url: str, username: str, display_name: str = "", paths: AccountPaths | None = None
) -> Actor:
    """The learner as statements name them: the actor the server stated at the folder's last
    sign-in (an account or an mbox), else the server's home page and the user's id as that
    sign-in noted them, so every port and spelling of the address is one person. A folder from
    before ids, or a server that names no home page, keeps the address and the username. The
    address and username accounts that earlier caches recorded are aliases, and so are the
    server's home page and former home pages with the user's id."""
    paths = paths or AccountPaths.for_account(server_url, username)
    recorded = paths.recorded()
    aliases = aliases_for((*recorded.addresses, server_url), username)
    homes = (recorded.home_page, *recorded.former_home_pages) if recorded.home_page else ()
    aliases |= aliases_for(homes, recorded.user_id)
    stated = load_stated_identity(paths.root)
    if stated is not None and stated.mbox:
        home, name = recorded.home_page or server_url, recorded.user_id or username
        return Actor(home, name, display_name, aliases, mbox=stated.mbox)
    if stated is not None:
        return Actor(stated.home_page, stated.account_name, display_name, aliases)
    if recorded.home_page and recorded.user_id:
        return Actor(recorded.home_page, recorded.user_id, display_name, aliases)
    return Actor(server_url, username, display_name, aliases)


def iri_bases_for(paths: AccountPaths, actor: Actor) -> tuple[str, str]:
    """The bases of activity IRIs and of extension IRIs the server stated at the folder's last
    sign-in; before any such sign-in, activities under the actor's home page and the
    extensions under the earlier base."""
    stated = load_stated_identity(paths.root)
    if stated is not None:
        return stated.activity_iri_base, stated.extensions_iri_base
    return activity_base_for(actor.home_page), EARLIER_EXTENSIONS
