"""Composition of the server's parts over one data folder (the HTTP layer sits on top)."""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from reference_server.asset_store import AssetStore
from reference_server.auth import Authenticator
from reference_server.badges import BadgeSigner
from reference_server.checkins import CheckinDesk
from reference_server.cursors import CursorCodec
from reference_server.db import Database, default_database_url, utc_now
from reference_server.keys import read_key_file
from reference_server.xapi_store import StatementStore

SERVER_ID_FILE = "server-id"
BADGE_KEY_FILE = "keys/badge-ed25519.pem"
CURSOR_KEY_FILE = "keys/cursor-hmac.key"
HOME_PAGES = "https://rounds.example/servers/"
"""Where a server with no public URL of its own is named: a URL that stays the same whatever
address reaches the server, which strict learning record stores accept as an account homePage."""


def _secret_key(path: Path) -> bytes:
    if path.exists():
        return path.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key)
    return key


def _server_id(path: Path) -> str:
    """The server's stable id, made once for its data folder: clients key accounts on it."""
    if not path.exists():
        _create_once(path, f"srv-{uuid.uuid4()}\n")
    return path.read_text(encoding="ascii").strip()


def home_page_for(server_id: str, public_url: str | None) -> str:
    """The stable URL learners' xAPI accounts are on: the public URL the server was given, else
    one made from its id, never the address a request came in on (that changes with the port)."""
    if public_url:
        return public_url.strip().rstrip("/")
    return HOME_PAGES + quote(server_id, safe="")


def _former_home_pages(server_id: str, public_url: str | None) -> tuple[str, ...]:
    """The home page made from the id, once a public URL replaces it: learners recorded under
    it are still the same learners."""
    made = home_page_for(server_id, None)
    return (made,) if home_page_for(server_id, public_url) != made else ()


def _create_once(path: Path, text: str) -> None:
    """Write `path` whole unless it exists, even with another process over the same folder."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    temporary.write_text(text, encoding="ascii")
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass  # the other process's id stands
    finally:
        temporary.unlink()


def _signer(data_dir: Path, key_file: Path | None) -> BadgeSigner:
    if key_file is None:
        return BadgeSigner.load_or_create(data_dir / BADGE_KEY_FILE)
    return BadgeSigner.from_key_ring(read_key_file(key_file))


def _cursor_codec(data_dir: Path, key_file: Path | None, keys: Sequence[bytes]) -> CursorCodec:
    """Cursors signed by the given keys, else by keys derived from the key file, else by the
    data folder's own key. The data folder's key, once made, keeps verifying: cursors learners
    hold from before a key file was configured still work."""
    folder_key = data_dir / CURSOR_KEY_FILE
    if keys:
        chosen = tuple(keys)
    elif key_file is not None:
        chosen = read_key_file(key_file).cursor_keys
    else:
        return CursorCodec(_secret_key(folder_key))
    earlier = [*chosen[1:], *([folder_key.read_bytes()] if folder_key.is_file() else [])]
    return CursorCodec(chosen[0], earlier)


@dataclass
class Backend:
    data_dir: Path
    server_id: str
    home_page: str
    former_home_pages: tuple[str, ...]
    db: Database
    assets: AssetStore
    signer: BadgeSigner
    codec: CursorCodec
    authenticator: Authenticator
    checkins: CheckinDesk
    statements: StatementStore
    clock: Callable[[], datetime]

    @classmethod
    def open(
        cls,
        data_dir: Path,
        database_url: str | None = None,
        clock: Callable[[], datetime] = utc_now,
        public_url: str | None = None,
        badge_key: Path | None = None,
        migrate: bool = True,
        cursor_keys: Sequence[bytes] = (),
    ) -> Backend:
        """`badge_key` is the key file that signs badges and packages (see reference_server.keys;
        default: one key made once in the data folder's keys/). `cursor_keys` sign cursors, the
        current first (default: derived from the key file, else a key made in keys/). With
        `migrate` the schema is brought to the newest revision; without, a database at any
        other revision raises SchemaMismatch."""
        data_dir = Path(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        db = Database(database_url or default_database_url(data_dir))
        try:
            db.migrate() if migrate else db.require_current()
        except BaseException:
            db.dispose()
            raise
        server_id = _server_id(data_dir / SERVER_ID_FILE)
        return cls(
            data_dir=data_dir,
            server_id=server_id,
            home_page=home_page_for(server_id, public_url),
            former_home_pages=_former_home_pages(server_id, public_url),
            db=db,
            assets=AssetStore(data_dir / "assets"),
            signer=_signer(data_dir, badge_key),
            codec=_cursor_codec(data_dir, badge_key, cursor_keys),
            authenticator=Authenticator(db, clock),
            checkins=CheckinDesk(db, clock),
            statements=StatementStore(db, clock),
            clock=clock,
        )

    def close(self) -> None:
        self.db.dispose()
