"""Attendee badge tokens verify offline with the published key, and only when genuine."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest
import requests

from reference_server import BadgeClaims, InvalidBadgeToken, ReferenceServer, verify_badge_token

from .testkit import Api


@pytest.fixture(scope="module")
def badge(shared_api: Api) -> str:
    item = shared_api.feed("schedule")["items"][0]
    return item["residency"]["enrolment"]["badge_token"]


@pytest.fixture(scope="module")
def key(shared_server: ReferenceServer) -> dict[str, str]:
    return requests.get(shared_server.url + "/api/v1/badge-key", timeout=10).json()


@pytest.mark.backend_neutral
def test_badge_verifies_with_either_key_form(shared_api: Api, badge: str, key: dict) -> None:
    enrolment = shared_api.feed("schedule")["items"][0]["residency"]["enrolment"]
    expected = BadgeClaims(enrolment["id"], "r-chicago", "u-ana", "Ana Ortiz")
    assert verify_badge_token(badge, key["public_key"]) == expected
    assert verify_badge_token(badge, key["public_key_pem"]) == expected
    assert verify_badge_token(badge, key["public_key_pem"].encode()) == expected


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.mark.backend_neutral
def test_tampered_badges_fail(badge: str, key: dict) -> None:
    payload, signature = badge.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged = _b64(json.dumps({**claims, "display_name": "Mallory"}).encode())
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    for token in (f"{forged}.{signature}", f"{payload}.{flipped}", payload, "", "a.b.c", "%%.%%"):
        with pytest.raises(InvalidBadgeToken):
            verify_badge_token(token, key["public_key"])


@pytest.mark.backend_neutral
def test_another_servers_key_does_not_verify(badge: str, tmp_path: Path) -> None:
    with ReferenceServer(tmp_path / "other") as other:
        other_key = requests.get(other.url + "/api/v1/badge-key", timeout=10).json()
    with pytest.raises(InvalidBadgeToken):
        verify_badge_token(badge, other_key["public_key"])


def test_the_signing_key_survives_a_restart(tmp_path: Path) -> None:
    keys = []
    for _ in range(2):
        with ReferenceServer(tmp_path / "data") as server:
            keys.append(requests.get(server.url + "/api/v1/badge-key", timeout=10).json())
    assert keys[0] == keys[1]
    if os.name != "nt":
        assert (tmp_path / "data" / "keys" / "badge-ed25519.pem").stat().st_mode & 0o077 == 0


def test_a_new_display_name_reissues_the_badge(server: ReferenceServer, api: Api) -> None:
    cursor = api.feed("schedule")["next_cursor"]
    server.admin.add_user("ana", "rounds-demo", "Ana Ortiz-Reyes", user_id="u-ana")
    token = api.feed("schedule", cursor)["items"][0]["residency"]["enrolment"]["badge_token"]
    key = requests.get(server.url + "/api/v1/badge-key", timeout=10).json()["public_key"]
    assert verify_badge_token(token, key).display_name == "Ana Ortiz-Reyes"
