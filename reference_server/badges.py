"""Attendee badge tokens: Ed25519-signed claims that venue staff can verify offline.

A token is base64url(canonical JSON claims) "." base64url(signature), unpadded."""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from reference_server import b64url
from reference_server.keys import KeyRing


class InvalidBadgeToken(ValueError):
    """The badge token is malformed or its signature does not verify."""


@dataclass(frozen=True)
class BadgeClaims:
    enrolment_id: str
    residency_id: str
    user_id: str
    display_name: str


class BadgeSigner:
    """Signs with one key; verifies with it and with the earlier keys a rotation kept."""

    def __init__(
        self, private_key: Ed25519PrivateKey, earlier: Sequence[Ed25519PublicKey] = ()
    ) -> None:
        self._key = private_key
        self._earlier = tuple(earlier)

    @classmethod
    def from_key_ring(cls, ring: KeyRing) -> BadgeSigner:
        return cls(ring.signing, ring.earlier)

    @property
    def verification_keys(self) -> tuple[Ed25519PublicKey, ...]:
        """The current public key first, then the earlier ones."""
        return (self.public_key, *self._earlier)

    def verify(self, token: str) -> BadgeClaims:
        """The claims of a token signed by the current key or an earlier one."""
        for key in self.verification_keys:
            try:
                return verify_badge_token(token, key)
            except InvalidBadgeToken:
                continue
        raise InvalidBadgeToken("the badge token is not genuine")

    @classmethod
    def load_or_create(cls, path: Path) -> BadgeSigner:
        if path.exists():
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise ValueError(f"{path} does not hold an Ed25519 key")
            return cls(key)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        _write_private(path, pem)
        return cls(key)

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self._key.public_key()

    def public_key_raw_b64(self) -> str:
        raw = self.public_key.public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return base64.b64encode(raw).decode("ascii")

    def earlier_public_keys_raw_b64(self) -> list[str]:
        """The earlier keys a rotation kept, each as the raw 32-byte key in base64."""
        return [
            base64.b64encode(
                key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            ).decode("ascii")
            for key in self._earlier
        ]

    def public_key_pem(self) -> str:
        return self.public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode("ascii")

    def sign_bytes(self, data: bytes) -> bytes:
        """The raw Ed25519 signature of `data` (course packages sign their manifest's digest)."""
        return self._key.sign(data)

    def sign(self, claims: BadgeClaims) -> str:
        payload = json.dumps(asdict(claims), separators=(",", ":"), sort_keys=True).encode()
        return f"{b64url.encode(payload)}.{b64url.encode(self._key.sign(payload))}"


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def load_public_key(key: Ed25519PublicKey | bytes | str) -> Ed25519PublicKey:
    """Accepts a key object, a PEM (text or bytes) or the raw 32-byte key in base64."""
    if isinstance(key, Ed25519PublicKey):
        return key
    data = key.encode() if isinstance(key, str) else key
    if data.lstrip().startswith(b"-----BEGIN"):
        loaded = serialization.load_pem_public_key(data)
        if not isinstance(loaded, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return loaded
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(data, validate=True))


def verify_badge_token(token: str, public_key: Ed25519PublicKey | bytes | str) -> BadgeClaims:
    """Returns the claims of a genuine token; raises InvalidBadgeToken otherwise."""
    body, _, signature = token.strip().partition(".")
    try:
        payload, raw_signature = b64url.decode(body), b64url.decode(signature)
        load_public_key(public_key).verify(raw_signature, payload)
        claims = json.loads(payload)
        return BadgeClaims(**{field.name: str(claims[field.name]) for field in fields(BadgeClaims)})
    except (InvalidSignature, binascii.Error, ValueError, KeyError, TypeError) as exc:
        raise InvalidBadgeToken("the badge token is not genuine") from exc
