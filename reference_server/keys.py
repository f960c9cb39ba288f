"""Signing keys every worker shares, and their rotation.

A key file is PEM text holding one or more Ed25519 keys. The first, a private key, signs
badges and course packages; the ones after it are earlier keys, kept so that what they signed
still verifies (a private or a public key each). To rotate, put a new key first and keep the
old one below it; drop the old one once nothing it signed is in use.

Feed and statement cursors are signed with HMAC keys: those in ROUNDS_CURSOR_KEY if set (the
current first, earlier ones after it), else derived from each private key in the key file, so
workers on several hosts that share the key file sign cursors alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----.+?-----END \1-----", re.DOTALL)
CURSOR_KEY_INFO = b"rounds cursor hmac key v1"
MIN_CURSOR_KEY_LENGTH = 32


class KeyFileError(ValueError):
    """The key file cannot be used; the message says why, without any key material."""


@dataclass(frozen=True)
class KeyRing:
    """The key that signs, the earlier ones that still verify, and the cursor keys (current
    first) derived from the private ones."""

    signing: Ed25519PrivateKey
    earlier: tuple[Ed25519PublicKey, ...]
    cursor_keys: tuple[bytes, ...]


def read_key_file(path: Path) -> KeyRing:
    """The keys in `path`; raises OSError if it cannot be read, KeyFileError if it holds no
    unencrypted Ed25519 private key first or anything else that is not an Ed25519 key."""
    blocks = [match.group(0) for match in PEM_BLOCK.finditer(path.read_bytes())]
    if not blocks:
        raise KeyFileError("holds no PEM key")
    signing = _private_key(blocks[0])
    if signing is None:
        raise KeyFileError("does not begin with an unencrypted Ed25519 private key")
    earlier: list[Ed25519PublicKey] = []
    cursor_keys = [cursor_key_from(signing)]
    for position, block in enumerate(blocks[1:], start=2):
        private = _private_key(block)
        public = private.public_key() if private else _public_key(block)
        if public is None:
            raise KeyFileError(f"key {position} is not an Ed25519 key")
        earlier.append(public)
        if private is not None:
            cursor_keys.append(cursor_key_from(private))
    return KeyRing(signing, tuple(earlier), tuple(cursor_keys))


def _private_key(block: bytes) -> Ed25519PrivateKey | None:
    if b"PRIVATE KEY" not in block.split(b"\n", 1)[0]:
        return None
    try:
        key = serialization.load_pem_private_key(block, password=None)
    except (ValueError, TypeError):
        return None
    return key if isinstance(key, Ed25519PrivateKey) else None


def _public_key(block: bytes) -> Ed25519PublicKey | None:
    try:
        key = serialization.load_pem_public_key(block)
    except (ValueError, TypeError):
        return None
    return key if isinstance(key, Ed25519PublicKey) else None


def cursor_key_from(private: Ed25519PrivateKey) -> bytes:
    """An HMAC key of its own for cursors, derived from a signing key (never the key itself)."""
    raw = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return HKDF(hashes.SHA256(), 32, salt=None, info=CURSOR_KEY_INFO).derive(raw)


def parse_cursor_keys(text: str) -> tuple[bytes, ...]:
    """ROUNDS_CURSOR_KEY's secrets, separated by commas or spaces, the current one first;
    raises KeyFileError if there is none or one is shorter than 32 characters."""
    keys = tuple(part.encode() for part in re.split(r"[\s,]+", text.strip()) if part)
    if not keys:
        raise KeyFileError("holds no key")
    if any(len(key) < MIN_CURSOR_KEY_LENGTH for key in keys):
        raise KeyFileError(f"holds a key shorter than {MIN_CURSOR_KEY_LENGTH} characters")
    return keys
