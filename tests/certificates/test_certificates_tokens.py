"""Certificate and revocation-list tokens as the server signs them, checked by the client: a
rotated-out key still verifies, an altered list or one signed by another key is refused, and a
newer list altered on the way is left out (with a warning) for the one before it."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop_app.certificates.token import (
    CertificateInvalid,
    verified_revocations,
    verify_certificate,
)
from desktop_app.certificates.wallet import WALLET_FILE, Wallet
from reference_server.badges import BadgeSigner
from reference_server.certificates import signed_token

CLAIMS: dict[str, Any] = {
    "typ": "rounds-certificate",
    "v": 1,
    "id": "RC-TEST",
    "programme": "Rounds clinical training",
    "issuer": "https://rounds.example",
    "server_id": "srv-1",
    "learner": "Ana Ortiz",
    "course_id": "c-1",
    "course_title": "Triage",
    "completed_at": "2026-11-20T10:00:00Z",
    "hours": 1.5,
    "issued_at": "2026-11-21T09:00:00Z",
}
REVOKED = {"typ": "rounds-revocations", "v": 1, "server_id": "srv-1", "issued_at": "x",
           "revoked": [{"id": "RC-TEST", "revoked_at": "2026-12-01T00:00:00Z"}]}  # fmt: skip


def _raw(signer: BadgeSigner) -> str:
    key = signer.public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(key).decode()


def _altered(token: str, **changes: Any) -> str:
    body, _, signature = token.partition(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    raw = json.dumps({**claims, **changes}).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode() + "." + signature


def test_a_certificate_signed_by_an_earlier_key_still_verifies() -> None:
    old, new = BadgeSigner(Ed25519PrivateKey.generate()), BadgeSigner(Ed25519PrivateKey.generate())
    token = signed_token(old, CLAIMS)
    certificate = verify_certificate(token, [_raw(new), _raw(old)])
    assert (certificate.learner, certificate.hours) == ("Ana Ortiz", 1.5)
    with pytest.raises(CertificateInvalid) as refused:
        verify_certificate(token, [_raw(new)])
    assert refused.value.reason == "wrong-key"


def test_a_revocation_list_altered_or_from_another_key_is_refused() -> None:
    signer, other = (
        BadgeSigner(Ed25519PrivateKey.generate()),
        BadgeSigner(Ed25519PrivateKey.generate()),
    )
    keys = [_raw(signer)]
    listed = signed_token(signer, REVOKED)
    assert [entry.id for entry in verified_revocations(listed, keys)] == ["RC-TEST"]
    with pytest.raises(CertificateInvalid) as emptied:
        verified_revocations(_altered(listed, revoked=[]), keys)
    assert emptied.value.reason == "tampered"
    with pytest.raises(CertificateInvalid):
        verified_revocations(signed_token(other, {**REVOKED, "revoked": []}), keys)


@pytest.mark.expect_log("desktop_app.certificates.wallet", "does not verify")
def test_a_newer_list_altered_on_the_way_does_not_empty_the_kept_one(tmp_path: Path) -> None:
    signer = BadgeSigner(Ed25519PrivateKey.generate())
    token = signed_token(signer, CLAIMS)
    kept: dict[str, Any] = {
        "keys": [_raw(signer)],
        "revocations": [signed_token(signer, REVOKED)],
        "tokens": {},
    }
    (tmp_path / WALLET_FILE).write_text(json.dumps(kept), encoding="utf-8")
    with pytest.raises(CertificateInvalid) as revoked:
        Wallet(tmp_path).verify(token)
    assert revoked.value.reason == "revoked"
    emptied = _altered(kept["revocations"][0], revoked=[])
    kept["revocations"] = [emptied, *kept["revocations"]]  # newer, but altered on the way
    (tmp_path / WALLET_FILE).write_text(json.dumps(kept), encoding="utf-8")
    with pytest.raises(CertificateInvalid) as still:
        Wallet(tmp_path).verify(token)  # the altered list is left out, and logged
    assert still.value.reason == "revoked"
