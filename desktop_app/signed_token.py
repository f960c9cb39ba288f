"""Tokens the server signs, as it writes them: base64url(payload) "." base64url(signature),
unpadded (attendee badges, certificates, revocation lists); and base64url itself."""

from __future__ import annotations

import base64


def b64url(raw: bytes) -> str:
    """`raw` in base64url without padding."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    """The bytes of `text`, padded or not; binascii.Error (a ValueError) if it is not base64url."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def split_signed(token: str) -> tuple[bytes, bytes]:
    """The payload and the signature of `token`; ValueError if it has no "." or a part is not
    base64url. Whether the signature holds is the caller's to check, with its key."""
    body, dot, signature = token.strip().partition(".")
    if not dot:
        raise ValueError("a signed token has a payload and a signature separated by '.'")
    return unb64url(body), unb64url(signature)
