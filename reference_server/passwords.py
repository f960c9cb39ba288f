"""scrypt password hashing with a per-user salt and a constant-time comparison."""

from __future__ import annotations

import hashlib
import hmac
import secrets

_N, _R, _P = 2**14, 8, 1
_LENGTH = 32
_DUMMY_SALT = secrets.token_bytes(16)


def new_salt() -> bytes:
    return secrets.token_bytes(16)


def hash_password(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(
        password.encode(), salt=salt, n=_N, r=_R, p=_P, maxmem=64 * 1024 * 1024, dklen=_LENGTH
    )


def verify_password(password: str, salt: bytes, expected: bytes) -> bool:
    return hmac.compare_digest(hash_password(password, salt), expected)


def burn_equal_time(password: str) -> None:
    """Spend what a real check costs, so an unknown username is not faster to reject."""
    hash_password(password, _DUMMY_SALT)
