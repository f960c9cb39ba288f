"""Where Rounds keeps its files, and every setting it has, declared once with type and default.

`ROUNDS_HOME` moves all client data (database, downloads, logs, settings); `ROUNDS_SERVER`
sets the default server URL. Tests always set `ROUNDS_HOME` so they never touch the real
user's folders.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from desktop_app.atomic_file import write_json_atomically
from desktop_app.policy import Policy, read_policy
from desktop_app.setting_specs import SETTING_SPECS

APP_NAME = "Rounds"
DEFAULT_SERVER = "http://127.0.0.1:8765"


def data_home() -> Path:
    """The folder that holds everything the client writes."""
    override = os.environ.get("ROUNDS_HOME")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class Settings:
    """Every user-visible setting, with its default. Stored as JSON in `settings.json`."""

    server_url: str = DEFAULT_SERVER
    username: str = ""
    ca_bundle: str = ""
    sync_interval_minutes: int = 15
    sync_page_size: int = 10  # courses per feed page: see sync.engine.DEFAULT_PAGE_SIZE
    download_parallelism: int = 3
    disk_floor_mb: int = 500
    request_deadline_seconds: int = 120  # a reply dripping in slower than this is given up
    proxy_url: str = ""  # "": the PAC file's choice, else the system's proxy settings
    proxy_pac_url: str = ""  # a proxy auto-config file; "": the system's, if any
    lrs_endpoint: str = ""
    lrs_username: str = ""
    reconcile_every_syncs: int = 20  # the LRS asked again by course (sync.reconciliation)
    theme: str = "system"  # "system", "light", "dark" or "high-contrast"
    text_size_percent: int = 100  # 100 to 200, the whole window at once
    language: str = "system"  # "system" or a language code with a translation, e.g. "es"
    idle_lock_minutes: int = 0  # 0: never; else the window locks after this long untouched
    shared_content_dir: str = ""  # "": none; else a read-only content folder, read first
    allow_demo: bool = True  # IT may lock it off: `--demo` then refuses to start
    residency_reminders: bool = True  # day before, check-in opens, marked sessions
    share_downloads: bool = False  # serve downloaded files to Rounds nearby (desktop_app.peers)
    fetch_from_peers: bool = False  # look for Rounds nearby sharing theirs, download from them
    extra: dict[str, Any] = field(default_factory=dict)

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def settings_path() -> Path:
    return data_home() / "settings.json"


def load_settings(locked: Mapping[str, object] | None = None) -> Settings:
    """The declared defaults, then the machine policy's defaults, then the settings file
    (unknown keys ignored, a broken file adds nothing), then `ROUNDS_SERVER`, then the
    policy's locked values (`desktop_app.policy`).

    `locked`: values to lock instead of the machine policy (see `locked_values`)."""
    policy = machine_policy() if locked is None else Policy(locked=locked)
    defaults = _defaults(policy)
    values = _typed_values(_read_json_file(settings_path()), defaults)
    env_server = os.environ.get("ROUNDS_SERVER")
    if env_server:
        values["server_url"] = env_server
    values.update(locked_values(policy.locked))
    return replace(defaults, **values)


def machine_policy() -> Policy:
    """The machine policy in force; its problems are logged once per start."""
    return read_policy(Settings())


def _defaults(policy: Policy) -> Settings:
    """The declared defaults with the policy's defaults over them."""
    return replace(Settings(), **policy.defaults)


def locked_values(policy: Mapping[str, object]) -> dict[str, Any]:
    """The values of `policy` that may lock a setting: declared lockable, of the setting's
    type; anything else in it is ignored."""
    lockable = {spec.name for spec in SETTING_SPECS if spec.lockable}
    typed = _typed_values(dict(policy), Settings())
    return {name: value for name, value in typed.items() if name in lockable}


def _typed_values(raw: object, defaults: Settings) -> dict[str, Any]:
    if not isinstance(raw, dict):
        return {}
    return {
        spec.name: raw[spec.name]
        for spec in fields(Settings)
        if spec.name in raw and _same_type(raw[spec.name], getattr(defaults, spec.name))
    }


def _same_type(value: object, default: object) -> bool:
    """`value` fits where `default` is (a bool is no number here)."""
    return type(value) is type(default) or (isinstance(default, dict) and isinstance(value, dict))


def _read_json_file(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save_settings(settings: Settings) -> None:
    """Write the settings atomically (a crash leaves the old file, never half a file).

    Only what differs from the defaults (the policy's over the declared ones) is written, so a
    default IT changes later still reaches the user; a locked setting keeps the user's own
    value in the file, so lifting the lock gives it back."""
    policy = machine_policy()
    path = settings_path()
    kept = _read_json_file(path)
    kept = kept if isinstance(kept, dict) else {}
    base = asdict(_defaults(policy))
    values = {k: v for k, v in asdict(settings).items() if v != base[k] and k not in policy.locked}
    values.update({k: kept[k] for k in policy.locked if k in kept})
    path.parent.mkdir(parents=True, exist_ok=True)
    write_json_atomically(path, values, indent=2, sort_keys=True)


def account_key(server_url: str, username: str) -> str:
    """The name account folders had before servers told their id: keyed on the address."""
    readable = re.sub(r"[^A-Za-z0-9]+", "-", f"{username}@{server_url}").strip("-")[:60]
    digest = hashlib.sha256(f"{server_url.rstrip('/')}\n{username}".encode()).hexdigest()[:12]
    return f"{readable}-{digest}"


def identity_key(server_id: str, user_id: str) -> str:
    """A file-system safe name for one person on one server, from the ids the server gives,
    so that another port or spelling of its address opens the same folder."""
    readable = re.sub(r"[^A-Za-z0-9]+", "-", user_id).strip("-")[:40]
    digest = hashlib.sha256(f"{server_id}\n{user_id}".encode()).hexdigest()[:16]
    return f"{readable}-{digest}"


def accounts_home() -> Path:
    return data_home() / "accounts"


@dataclass(frozen=True)
class RecordedIdentity:
    """Who an account folder belongs to, as its last sign-in noted, readable offline."""

    server_id: str
    user_id: str
    home_page: str
    addresses: tuple[str, ...]  # every address (normalised) that reached it, oldest first
    former_home_pages: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccountPaths:
    """Files that belong to one account (one server, one user)."""

    root: Path

    @classmethod
    def for_identity(cls, server_id: str, user_id: str) -> AccountPaths:
        return cls(accounts_home() / identity_key(server_id, user_id))

    @classmethod
    def for_account(cls, server_url: str, username: str) -> AccountPaths:
        """The folder last signed in to as `username` at `server_url`, found without the
        network from each folder's identity file; else the one keyed on the address."""
        return _known_folder(server_url, username) or cls.by_address(server_url, username)

    @classmethod
    def by_address(cls, server_url: str, username: str) -> AccountPaths:
        return cls(accounts_home() / account_key(server_url, username))

    @property
    def identity(self) -> Path:
        return self.root / "identity.json"

    def remember(
        self, server_url: str, username: str, ids: tuple[str, str], homes: tuple[str, ...] = ()
    ) -> None:
        """Note the address and username that reached this folder (and the ids it is keyed
        on, and the learner's xAPI home page followed by its former ones), so that a start
        without the network finds it. A sign-in whose server names no home page keeps the
        ones noted before: the learner stays the xAPI account her statements were made as."""
        noted = _read_identity(self.identity)
        earlier = [a for a in _addresses(noted) if a != server_url]
        homes = homes or _noted_homes(noted, ids[0])
        document = {
            "server_id": ids[0],
            "user_id": ids[1],
            "username": username,
            "home_page": homes[0] if homes else "",
            "former_home_pages": list(homes[1:]),
        }
        self.root.mkdir(parents=True, exist_ok=True)
        write_json_atomically(self.identity, {**document, "addresses": [*earlier[-9:], server_url]})

    def recorded(self) -> RecordedIdentity:
        """What the last sign-in noted here; empty fields for a folder from before ids."""
        document = _read_identity(self.identity)
        server_id, user_id, home_page = (
            _text(document, key) for key in ("server_id", "user_id", "home_page")
        )
        addresses = tuple(_addresses(document))
        former = tuple(_addresses(document, "former_home_pages"))
        return RecordedIdentity(server_id, user_id, home_page, addresses, former)

    @property
    def database(self) -> Path:
        return self.root / "rounds.sqlite3"

    @property
    def backups(self) -> Path:
        return self.root / "backups"


def _known_folder(server_url: str, username: str) -> AccountPaths | None:
    """The most recently used folder whose identity file names this address and username."""
    found = [
        path.parent
        for path in accounts_home().glob("*/identity.json")
        if _names(_read_identity(path), server_url, username)
    ]
    newest = max(found, key=lambda root: (root / "identity.json").stat().st_mtime, default=None)
    return None if newest is None else AccountPaths(newest)


def _names(identity: dict[str, Any], server_url: str, username: str) -> bool:
    return server_url in _addresses(identity) and identity.get("username") == username


def _addresses(identity: dict[str, Any], key: str = "addresses") -> list[str]:
    addresses = identity.get(key)
    return [a for a in addresses if isinstance(a, str)] if isinstance(addresses, list) else []


def _noted_homes(identity: dict[str, Any], server_id: str) -> tuple[str, ...]:
    """The home page and former ones noted in `identity`, if noted for the same server."""
    home = _text(identity, "home_page")
    if not home or _text(identity, "server_id") != server_id:
        return ()
    return (home, *_addresses(identity, "former_home_pages"))


def _text(document: dict[str, Any], key: str) -> str:
    value = document.get(key)
    return value if isinstance(value, str) else ""


def _read_identity(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return document if isinstance(document, dict) else {}


def content_store() -> Path:
    """Downloaded lesson media, shared by every account, named by SHA-256."""
    return data_home() / "content"


def log_dir() -> Path:
    return data_home() / "logs"
