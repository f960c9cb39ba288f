"""Base64url without padding (RFC 4648 §5, as JWS and our signed tokens write it)."""

from __future__ import annotations

import base64


def encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode(text: str) -> bytes:
    """The bytes of `text`, padded or not; binascii.Error (a ValueError) if it is not base64url."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
