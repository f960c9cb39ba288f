"""Password hashes: argon2id, its parameters written in the stored hash.

Hashes made before argon2id (scrypt at N=2¹⁴ with a separate salt) still verify; `needs_rehash`
tells the sign-in to replace them, as it does an argon2id hash made with weaker parameters.

`ROUNDS_ARGON2_PROFILE` names the parameters new hashes use, one of argon2-cffi's profiles:
`RFC_9106_LOW_MEMORY` (the default, the library's recommendation: 3 passes over 64 MiB, 4 lanes),
`RFC_9106_HIGH_MEMORY`, or `CHEAPEST`, which the tests use to stay fast and nothing else should.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os

import argon2
import argon2.profiles
from argon2.exceptions import InvalidHashError, VerificationError

PROFILE_VARIABLE = "ROUNDS_ARGON2_PROFILE"
DEFAULT_PROFILE = "RFC_9106_LOW_MEMORY"
PROFILES = ("RFC_9106_LOW_MEMORY", "RFC_9106_HIGH_MEMORY", "CHEAPEST")
ARGON2_PREFIX = b"$argon2"
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P, _SCRYPT_LENGTH = 2**14, 8, 1, 32


class PasswordSettingError(ValueError):
    """ROUNDS_ARGON2_PROFILE names no known profile."""


@functools.cache
def _hasher_for(profile: str) -> argon2.PasswordHasher:
    if profile not in PROFILES:
        raise PasswordSettingError(
            f"{PROFILE_VARIABLE}={profile!r} is not one of {', '.join(PROFILES)}."
        )
    return argon2.PasswordHasher.from_parameters(getattr(argon2.profiles, profile))


def hasher() -> argon2.PasswordHasher:
    """The hasher for new hashes, as ROUNDS_ARGON2_PROFILE says now."""
    return _hasher_for(os.environ.get(PROFILE_VARIABLE, "").strip() or DEFAULT_PROFILE)


def hash_password(password: str) -> bytes:
    """An encoded argon2id hash (ASCII), parameters and salt included."""
    return hasher().hash(password).encode("ascii")


def verify_password(password: str, salt: bytes, stored: bytes) -> bool:
    """True if `password` matches `stored`, an argon2id hash or (with its salt) a scrypt one."""
    if stored.startswith(ARGON2_PREFIX):
        try:
            return hasher().verify(stored.decode("ascii"), password)
        except (VerificationError, InvalidHashError, UnicodeDecodeError):
            return False
    return hmac.compare_digest(_scrypt(password, salt), stored)


def needs_rehash(stored: bytes) -> bool:
    """A scrypt hash, or an argon2id one with other parameters than new hashes get."""
    if not stored.startswith(ARGON2_PREFIX):
        return True
    return hasher().check_needs_rehash(stored.decode("ascii"))


def is_argon2id(stored: bytes) -> bool:
    return stored.startswith(b"$argon2id$")


def scrypt_hash(password: str, salt: bytes) -> bytes:
    """The hash stored before argon2id (kept to verify old rows, and for tests that make one)."""
    return _scrypt(password, salt)


def _scrypt(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(
        password.encode(),
        salt=salt,
        n=_SCRYPT_N,
        r=_SCRYPT_R,
        p=_SCRYPT_P,
        maxmem=64 * 1024 * 1024,
        dklen=_SCRYPT_LENGTH,
    )


@functools.cache
def _dummy_hash(profile_hasher: argon2.PasswordHasher) -> str:
    return profile_hasher.hash("rounds: no such user")


def burn_equal_time(password: str) -> None:
    """Spend what a real check costs, so an unknown username is not faster to reject."""
    current = hasher()
    with contextlib.suppress(VerificationError):
        current.verify(_dummy_hash(current), password)
