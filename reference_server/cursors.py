"""Opaque, tamper-evident tokens: base64url(JSON payload) "." base64url(HMAC-SHA256)."""

from __future__ import annotations

import binascii
import hashlib
import hmac
import json
from collections.abc import Sequence
from typing import Any

from reference_server import b64url


class InvalidCursor(ValueError):
    """The token was not issued by this server (or was altered)."""


class CursorCodec:
    """Signs with `key`; accepts what it or an `earlier` key signed (kept through a rotation)."""

    def __init__(self, key: bytes, earlier: Sequence[bytes] = ()) -> None:
        self._key = key
        self._keys = (key, *earlier)

    def encode(self, payload: dict[str, Any]) -> str:
        raw = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
        return f"{b64url.encode(raw)}.{b64url.encode(_mac(self._key, raw))}"

    def decode(self, token: str) -> dict[str, Any]:
        body, dot, mac = token.partition(".")
        try:
            raw, signature = b64url.decode(body), b64url.decode(mac)
        except (binascii.Error, ValueError) as exc:
            raise InvalidCursor("malformed") from exc
        if not dot or not any(hmac.compare_digest(signature, _mac(key, raw)) for key in self._keys):
            raise InvalidCursor("bad signature")
        payload = json.loads(raw)
        if not isinstance(payload, dict):
            raise InvalidCursor("bad payload")
        return payload


def _mac(key: bytes, raw: bytes) -> bytes:
    return hmac.new(key, raw, hashlib.sha256).digest()[:18]
