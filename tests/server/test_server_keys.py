"""Signing keys shared by every worker, and their rotation: a key file holds the current key
and earlier ones; what an earlier key signed (badges, feed cursors) still verifies, what is
signed now uses the current key; workers with the same key file sign alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from reference_server.asgi import ConfigurationError, settings_from
from reference_server.backend import Backend
from reference_server.badges import BadgeClaims, InvalidBadgeToken, verify_badge_token
from reference_server.cursors import InvalidCursor
from reference_server.keys import KeyFileError, read_key_file

CLAIMS = BadgeClaims("e-1", "r-chicago", "u-ana", "Ana Ortiz")
CURSOR = {"after": 41}


def _private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _public_pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _key_file(path: Path, *blocks: bytes) -> Path:
    path.write_bytes(b"".join(blocks))
    return path


def _backend(
    folder: Path, key_file: Path | None = None, cursor_keys: tuple[bytes, ...] = ()
) -> Backend:
    """A worker's backend over its own data folder; the workers share one database."""
    database = f"sqlite:///{(folder.parent / 'shared.sqlite3').as_posix()}"
    return Backend.open(folder, database, badge_key=key_file, cursor_keys=cursor_keys)


@pytest.fixture
def old_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def new_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def test_after_a_rotation_what_the_earlier_key_signed_still_verifies(
    tmp_path: Path, old_key: Ed25519PrivateKey, new_key: Ed25519PrivateKey
) -> None:
    before = _backend(tmp_path / "before", _key_file(tmp_path / "old.pem", _private_pem(old_key)))
    badge, cursor = before.signer.sign(CLAIMS), before.codec.encode(CURSOR)
    before.close()
    rotated = _key_file(tmp_path / "rotated.pem", _private_pem(new_key), _private_pem(old_key))
    after = _backend(tmp_path / "after", rotated)
    try:
        assert after.signer.verify(badge) == CLAIMS
        assert after.codec.decode(cursor) == CURSOR
        fresh_badge, fresh_cursor = after.signer.sign(CLAIMS), after.codec.encode(CURSOR)
        assert verify_badge_token(fresh_badge, new_key.public_key()) == CLAIMS
        with pytest.raises(InvalidBadgeToken):
            verify_badge_token(fresh_badge, old_key.public_key())
        assert fresh_cursor != cursor
        assert [key.public_bytes_raw() for key in after.signer.verification_keys] == [
            new_key.public_key().public_bytes_raw(),
            old_key.public_key().public_bytes_raw(),
        ]
    finally:
        after.close()


def test_once_the_earlier_key_is_dropped_what_it_signed_is_refused(
    tmp_path: Path, old_key: Ed25519PrivateKey, new_key: Ed25519PrivateKey
) -> None:
    before = _backend(tmp_path / "before", _key_file(tmp_path / "old.pem", _private_pem(old_key)))
    badge, cursor = before.signer.sign(CLAIMS), before.codec.encode(CURSOR)
    before.close()
    after = _backend(tmp_path / "after", _key_file(tmp_path / "new.pem", _private_pem(new_key)))
    try:
        with pytest.raises(InvalidBadgeToken):
            after.signer.verify(badge)
        with pytest.raises(InvalidCursor):
            after.codec.decode(cursor)
    finally:
        after.close()


def test_an_earlier_public_key_verifies_badges(
    tmp_path: Path, old_key: Ed25519PrivateKey, new_key: Ed25519PrivateKey
) -> None:
    before = _backend(tmp_path / "before", _key_file(tmp_path / "old.pem", _private_pem(old_key)))
    badge = before.signer.sign(CLAIMS)
    before.close()
    rotated = _key_file(tmp_path / "rotated.pem", _private_pem(new_key), _public_pem(old_key))
    after = _backend(tmp_path / "after", rotated)
    try:
        assert after.signer.verify(badge) == CLAIMS
    finally:
        after.close()


def test_workers_with_one_key_file_sign_alike(tmp_path: Path, new_key: Ed25519PrivateKey) -> None:
    """Two hosts, each with a data folder of its own, and one key file."""
    key_file = _key_file(tmp_path / "key.pem", _private_pem(new_key))
    first, second = _backend(tmp_path / "host-1", key_file), _backend(tmp_path / "host-2", key_file)
    try:
        assert first.codec.encode(CURSOR) == second.codec.encode(CURSOR)
        assert second.codec.decode(first.codec.encode(CURSOR)) == CURSOR
        assert first.signer.sign(CLAIMS) == second.signer.sign(CLAIMS)
    finally:
        first.close()
        second.close()


def test_cursors_from_before_the_key_file_still_verify(
    tmp_path: Path, new_key: Ed25519PrivateKey
) -> None:
    """The data folder's own cursor key keeps verifying once a key file signs."""
    folder = tmp_path / "data"
    before = _backend(folder)
    cursor = before.codec.encode(CURSOR)
    before.close()
    after = _backend(folder, _key_file(tmp_path / "key.pem", _private_pem(new_key)))
    try:
        assert after.codec.decode(cursor) == CURSOR
        assert after.codec.encode(CURSOR) != cursor
    finally:
        after.close()


def test_cursor_keys_from_the_environment_rotate(tmp_path: Path) -> None:
    old, new = "o" * 40, "n" * 40
    environ = {"ROUNDS_DATABASE_URL": "sqlite://", "ROUNDS_DATA_DIR": str(tmp_path)}
    before = _backend(
        tmp_path / "before",
        cursor_keys=settings_from({**environ, "ROUNDS_CURSOR_KEY": old}).cursor_keys,
    )
    cursor = before.codec.encode(CURSOR)
    before.close()
    keys = settings_from({**environ, "ROUNDS_CURSOR_KEY": f" {new}, {old} "}).cursor_keys
    assert keys == (new.encode(), old.encode())
    after = _backend(tmp_path / "after", cursor_keys=keys)
    try:
        assert after.codec.decode(cursor) == CURSOR
        assert after.codec.encode(CURSOR) != cursor
    finally:
        after.close()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "holds no PEM key"),
        (b"pub", "does not begin with an unencrypted Ed25519 private key"),
        (b"private+junk", "key 2 is not an Ed25519 key"),
    ],
)
def test_a_bad_key_file_is_named_in_one_sentence(
    tmp_path: Path, new_key: Ed25519PrivateKey, content: bytes, reason: str
) -> None:
    blocks = {
        b"": b"",
        b"pub": _public_pem(new_key),
        b"private+junk": _private_pem(new_key)
        + b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
    }
    path = _key_file(tmp_path / "key.pem", blocks[content])
    with pytest.raises(KeyFileError) as raised:
        read_key_file(path)
    assert str(raised.value) == reason
    environ = {
        "ROUNDS_DATABASE_URL": "sqlite://",
        "ROUNDS_DATA_DIR": str(tmp_path),
        "ROUNDS_SIGNING_KEY_FILE": str(path),
    }
    with pytest.raises(ConfigurationError) as refused:
        settings_from(environ)
    assert str(refused.value) == f"ROUNDS_SIGNING_KEY_FILE {reason}: {path}"
