"""The attendee badge: the token as the schedule sync stored it, drawn as a scannable QR code."""

from __future__ import annotations

import base64
import json
import struct
from pathlib import Path

import pytest
import segno
from residency_samples import RESIDENCY_ID, FakeClock, Progress, put_residency

from desktop_app.db import Database
from desktop_app.residency import (
    InvalidBadge,
    ResidencyQueries,
    badge_png,
    badge_qr,
    read_claims,
    verify_badge,
)
from desktop_app.residency.badge import QUIET_ZONE, badge_scale
from reference_server.badges import BadgeClaims, BadgeSigner


@pytest.fixture
def signer(tmp_path: Path) -> BadgeSigner:
    return BadgeSigner.load_or_create(tmp_path / "keys" / "badge.pem")


@pytest.fixture
def token(signer: BadgeSigner) -> str:
    return signer.sign(BadgeClaims("e-123", RESIDENCY_ID, "u-ana", "Ana Ortiz"))


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_badge_shows_the_name_and_residency_carried_by_the_token(token: str) -> None:
    claims = read_claims(token)
    assert (claims.display_name, claims.residency_id, claims.enrolment_id) == (
        "Ana Ortiz", RESIDENCY_ID, "e-123"
    )  # fmt: skip


def test_the_page_offers_the_badge_synced_with_the_enrolment(db: Database, token: str) -> None:
    put_residency(db, badge_token=token)
    detail = ResidencyQueries(db, Progress(), clock=FakeClock()).detail(RESIDENCY_ID)
    assert detail is not None and detail.badge is not None
    assert detail.badge.token == token
    assert detail.badge.attendee_name == "Ana Ortiz"
    assert detail.badge.residency_title == "Spring clinical residency"


def test_no_token_no_badge(db: Database) -> None:
    put_residency(db, badge_token="")
    detail = ResidencyQueries(db, Progress(), clock=FakeClock()).detail(RESIDENCY_ID)
    assert detail is not None and detail.badge is None


def test_the_qr_symbol_is_the_smallest_that_holds_the_whole_token(token: str) -> None:
    qr = badge_qr(token)
    assert qr.mode == "byte"
    assert qr.error in ("M", "Q", "H")
    width = qr.symbol_size(scale=1, border=0)[0]
    assert width == 17 + 4 * int(qr.version)
    with pytest.raises(segno.DataOverflowError):
        segno.make_qr(token, error="m", version=int(qr.version) - 1)


def test_the_rendered_badge_is_large_enough_to_scan_from_a_phone(token: str) -> None:
    qr = badge_qr(token)
    scale = badge_scale(qr)
    width, height = png_size(badge_png(token))
    assert scale >= 6  # pixels per module
    assert width == height >= 300
    assert width == (qr.symbol_size(scale=1, border=0)[0] + 2 * QUIET_ZONE) * scale


def test_a_genuine_badge_verifies_and_a_forged_or_altered_one_does_not(
    token: str, signer: BadgeSigner, tmp_path: Path
) -> None:
    assert verify_badge(token, signer.public_key_pem()).display_name == "Ana Ortiz"
    assert verify_badge(token, signer.public_key_raw_b64()).user_id == "u-ana"
    forger = BadgeSigner.load_or_create(tmp_path / "other.pem")
    forged = forger.sign(BadgeClaims("e-123", RESIDENCY_ID, "u-ana", "Ana Ortiz"))
    with pytest.raises(InvalidBadge):
        verify_badge(forged, signer.public_key_pem())
    claims = {"enrolment_id": "e-123", "residency_id": RESIDENCY_ID, "user_id": "u-ben",
              "display_name": "Ben"}  # fmt: skip
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(InvalidBadge):
        verify_badge(f"{body}.{token.split('.')[1]}", signer.public_key_pem())


@pytest.mark.parametrize("bad", ["", "no-dot", "a.b.c!", "%%%.%%%"])
def test_a_malformed_token_says_so(bad: str) -> None:
    with pytest.raises(InvalidBadge):
        read_claims(bad)
