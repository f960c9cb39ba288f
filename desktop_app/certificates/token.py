"""Course certificate tokens, verified offline against the server's kept public keys and its
signed revocation list (the token format is in docs/api.md, "Certificates").

A token names the key that signed it (`kid`). One whose key is not among the kept keys was
signed by another server, or a key this one never had; one whose key is kept but whose
signature does not hold was altered after signing.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop_app.signed_token import split_signed
from desktop_app.text import Message, translate

CERTIFICATE_TYPE = "rounds-certificate"
REVOCATIONS_TYPE = "rounds-revocations"

MALFORMED = translate("certificates", "This is not a Rounds certificate.")
TAMPERED = translate(
    "certificates", "The certificate was altered after it was issued: its signature does not match."
)
WRONG_KEY = translate(
    "certificates", "The certificate was not signed by the key of the server you know."
)
NO_KEY = translate(
    "certificates", "No key of the server is kept here yet: sign in and sync once while online."
)
REVOKED = translate("certificates", "The certificate {id} was revoked on {date}.")


class CertificateInvalid(ValueError):
    """Why a certificate is not valid, in one sentence (`message`)."""

    def __init__(self, message: Message, reason: str) -> None:
        super().__init__(str(message))
        self.message = message
        self.reason = reason  # "malformed", "tampered", "wrong-key", "no-key", "revoked"


@dataclass(frozen=True)
class Certificate:
    id: str
    programme: str
    issuer: str
    server_id: str
    learner: str
    course_id: str
    course_title: str
    completed_at: datetime
    hours: float
    issued_at: datetime
    token: str


def key_id(raw_key_b64: str) -> str:
    """The id a token gives the key that signed it (see docs/api.md)."""
    return hashlib.sha256(base64.b64decode(raw_key_b64, validate=True)).hexdigest()[:16]


def _split(token: str) -> tuple[bytes, bytes, dict[str, Any]]:
    try:
        payload, raw_signature = split_signed(token)
        claims = json.loads(payload)
    except ValueError as error:
        raise CertificateInvalid(MALFORMED.format(), "malformed") from error
    if not isinstance(claims, dict):
        raise CertificateInvalid(MALFORMED.format(), "malformed")
    return payload, raw_signature, claims


def _verify_signature(token: str, keys: Sequence[str]) -> dict[str, Any]:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    payload, signature, claims = _split(token)
    if not keys:
        raise CertificateInvalid(NO_KEY.format(), "no-key")
    by_id = {key_id(key): key for key in keys}
    key = by_id.get(str(claims.get("kid", "")))
    if key is None:
        raise CertificateInvalid(WRONG_KEY.format(), "wrong-key")
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(key)).verify(signature, payload)
    except (InvalidSignature, ValueError) as error:
        raise CertificateInvalid(TAMPERED.format(), "tampered") from error
    return claims


def read_certificate(token: str) -> Certificate:
    """The claims of a token, without checking its signature."""
    return _certificate(_split(token)[2], token.strip())


def _certificate(claims: dict[str, Any], token: str) -> Certificate:
    try:
        if claims["typ"] != CERTIFICATE_TYPE:
            raise ValueError(claims["typ"])
        return Certificate(
            id=str(claims["id"]),
            programme=str(claims["programme"]),
            issuer=str(claims["issuer"]),
            server_id=str(claims["server_id"]),
            learner=str(claims["learner"]),
            course_id=str(claims["course_id"]),
            course_title=str(claims["course_title"]),
            completed_at=datetime.fromisoformat(str(claims["completed_at"])),
            hours=float(claims["hours"]),
            issued_at=datetime.fromisoformat(str(claims["issued_at"])),
            token=token,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise CertificateInvalid(MALFORMED.format(), "malformed") from error


@dataclass(frozen=True)
class Revocation:
    id: str
    revoked_at: str


def verified_revocations(token: str, keys: Sequence[str]) -> tuple[Revocation, ...]:
    """The entries of a signed revocation list; CertificateInvalid if it is not genuine."""
    claims = _verify_signature(token, keys)
    entries = claims.get("revoked")
    if claims.get("typ") != REVOCATIONS_TYPE or not isinstance(entries, list):
        raise CertificateInvalid(MALFORMED.format(), "malformed")
    try:
        return tuple(Revocation(str(entry["id"]), str(entry["revoked_at"])) for entry in entries)
    except (KeyError, TypeError) as error:
        raise CertificateInvalid(MALFORMED.format(), "malformed") from error


def verify_certificate(
    token: str, keys: Sequence[str], revoked: Iterable[Revocation] = ()
) -> Certificate:
    """The certificate if its signature holds under one of `keys` (raw, base64) and it is not
    in `revoked`; CertificateInvalid saying why otherwise."""
    certificate = _certificate(_verify_signature(token, keys), token.strip())
    for entry in revoked:
        if entry.id == certificate.id:
            date = entry.revoked_at[:10]
            raise CertificateInvalid(REVOKED.format(id=certificate.id, date=date), "revoked")
    return certificate
