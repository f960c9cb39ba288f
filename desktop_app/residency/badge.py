"""The attendee badge: the enrolment's signed token as a QR code venue staff can scan.

The server signs the token (Ed25519); it is `base64url(JSON claims) "." base64url(signature)`,
unpadded. The client only shows it. `read_claims` decodes the claims without checking the
signature (to print the name on the badge); `verify_badge` checks it against the server's
public key, as a venue scanner would.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop_app.signed_token import split_signed

if TYPE_CHECKING:  # segno and cryptography load with the first badge, not at every start
    import segno
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

QUIET_ZONE = 4  # modules of white border the QR standard asks for
MIN_MODULE_PX = 6  # a phone camera reads a module of 6 px on a laptop screen at arm's length
MIN_IMAGE_PX = 320


class InvalidBadge(ValueError):
    """The token is malformed, or its signature does not match the server's key."""


@dataclass(frozen=True)
class BadgeClaims:
    enrolment_id: str
    residency_id: str
    user_id: str
    display_name: str


def _split(token: str) -> tuple[bytes, bytes]:
    try:
        payload, signature = split_signed(token)
    except ValueError as error:
        raise InvalidBadge("the badge token is not in the expected form") from error
    if not payload or not signature:
        raise InvalidBadge("the badge token is not in the expected form")
    return payload, signature


def _claims(payload: bytes) -> BadgeClaims:
    try:
        data = json.loads(payload)
        return BadgeClaims(
            enrolment_id=str(data["enrolment_id"]),
            residency_id=str(data["residency_id"]),
            user_id=str(data["user_id"]),
            display_name=str(data["display_name"]),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise InvalidBadge("the badge token does not carry an attendee") from error


def read_claims(token: str) -> BadgeClaims:
    """The claims as written in the token, signature not checked."""
    payload, _signature = _split(token)
    return _claims(payload)


def load_public_key(key: str | bytes) -> Ed25519PublicKey:
    """A PEM public key, or the raw 32-byte key in base64 (as GET /api/v1/badge-key gives)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    data = key.encode() if isinstance(key, str) else key
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            loaded = serialization.load_pem_public_key(data)
            if isinstance(loaded, Ed25519PublicKey):
                return loaded
            raise InvalidBadge("the badge key is not an Ed25519 key")
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(data.strip(), validate=True))
    except (binascii.Error, ValueError) as error:
        raise InvalidBadge("the badge key cannot be read") from error


def verify_badge(token: str, public_key: str | bytes) -> BadgeClaims:
    """The claims of a genuine token; raises InvalidBadge for a forged or altered one."""
    from cryptography.exceptions import InvalidSignature

    payload, signature = _split(token)
    try:
        load_public_key(public_key).verify(signature, payload)
    except InvalidSignature as error:
        raise InvalidBadge("the badge token is not genuine") from error
    return _claims(payload)


def badge_qr(token: str) -> segno.QRCode:
    """The QR symbol of the token (byte mode, error correction M or better)."""
    import segno

    return segno.make_qr(token.strip(), error="m", boost_error=True)


def badge_scale(qr: segno.QRCode, min_px: int = MIN_IMAGE_PX) -> int:
    """Pixels per module: at least MIN_MODULE_PX, and enough for an image of `min_px`."""
    modules = qr.symbol_size(scale=1, border=QUIET_ZONE)[0]
    return max(MIN_MODULE_PX, math.ceil(min_px / modules))


def badge_png(token: str, min_px: int = MIN_IMAGE_PX) -> bytes:
    """The badge QR code as a black-on-white PNG with the standard quiet zone."""
    qr = badge_qr(token)
    out = io.BytesIO()
    qr.save(out, kind="png", scale=badge_scale(qr, min_px), border=QUIET_ZONE)
    return out.getvalue()
