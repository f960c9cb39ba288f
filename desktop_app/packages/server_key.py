"""The server's Ed25519 public key, which signs attendee badges and course packages: fetched
from `GET /api/v1/badge-key` while online and kept in the account's folder, so a package is
checked on a computer that is offline.

The key is kept with the id of the server it came from: a package names its server's id, and
a key is only ever used for the server it was fetched from.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app.api.errors import BadPayloadError
from desktop_app.atomic_file import write_json_atomically
from desktop_app.packages.refusals import BAD_KEY, BAD_SIGNATURE, PackageError

if TYPE_CHECKING:
    from desktop_app.api.client import ApiClient

KEY_FILE = "server-key.json"


@dataclass(frozen=True)
class ServerKey:
    server_id: str
    public_key: str  # the raw 32-byte key in base64

    def verify(self, signature_b64: str, data: bytes) -> None:
        """Raises PackageError unless `signature_b64` is this key's signature of `data`."""
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode(self.public_key))
        except (binascii.Error, ValueError) as error:
            raise PackageError(BAD_KEY.format()) from error
        try:
            key.verify(base64.b64decode(signature_b64, validate=True), data)
        except (InvalidSignature, binascii.Error, ValueError) as error:
            raise PackageError(BAD_SIGNATURE.format()) from error


def cached_key(account_folder: Path) -> ServerKey | None:
    """The key kept in the account's folder, if any."""
    try:
        document = json.loads((account_folder / KEY_FILE).read_text(encoding="utf-8"))
        return ServerKey(str(document["server_id"]), str(document["public_key"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def fetch_key(api: ApiClient, server_id: str, account_folder: Path) -> ServerKey:
    """The server's key, fetched now and kept in the account's folder."""
    reply = api.transport.request_json("GET", "/api/v1/badge-key", authenticated=False)
    public_key = reply.get("public_key") if isinstance(reply, dict) else None
    if not isinstance(public_key, str) or reply.get("algorithm") != "Ed25519":
        raise BadPayloadError("the server's signing key is not an Ed25519 key")
    key = ServerKey(server_id, public_key)
    account_folder.mkdir(parents=True, exist_ok=True)
    write_json_atomically(
        account_folder / KEY_FILE, {"server_id": server_id, "public_key": public_key}
    )
    return key


def known_key(api: ApiClient | None, server_id: str, account_folder: Path) -> ServerKey | None:
    """The kept key of this server; else, online, the one fetched now."""
    kept = cached_key(account_folder)
    if kept is not None and kept.server_id == server_id:
        return kept
    return None if api is None else fetch_key(api, server_id, account_folder)


def request_signature(api: ApiClient, manifest: dict[str, Any]) -> str:
    """The server's signature (base64) of the manifest; the server checks its files first."""
    reply = api.transport.request_json(
        "POST", "/api/v1/packages/signature", json={"manifest": manifest}
    )
    signature = reply.get("signature") if isinstance(reply, dict) else None
    if not isinstance(signature, str):
        raise BadPayloadError("the server's reply holds no signature")
    return signature
