"""Sign-in, token expiry, refresh rotation and revocation."""

from __future__ import annotations

from pathlib import Path

import requests
from server_fixture import ServerClock

from reference_server import ReferenceServer

from .testkit import PASSWORD, Api, assert_problem

CATALOG = "/api/v1/sync/catalog"


def test_sign_in_returns_tokens_and_user(server: ReferenceServer) -> None:
    api = Api(server.url, "ana")
    assert api.tokens["token_type"] == "Bearer"
    assert api.tokens["expires_in"] == 900
    assert api.tokens["user"] == {"id": "u-ana", "username": "ana", "display_name": "Ana Ortiz"}
    assert api.get(CATALOG).status_code == 200


def test_wrong_password_and_unknown_user_are_401(server: ReferenceServer) -> None:
    api = Api(server.url, "")
    for username, password in (("ana", "wrong"), ("nobody", PASSWORD)):
        response = api.sign_in(username, password)
        assert_problem(response, 401, "unauthorized")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_missing_malformed_and_unknown_tokens_are_401(server: ReferenceServer) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer nope"},
        {"Authorization": "Token abc"},
    ):
        response = requests.get(server.url + CATALOG, headers=headers, timeout=10)
        assert_problem(response, 401, "unauthorized")
        assert 'realm="rounds"' in response.headers["WWW-Authenticate"]


def test_expired_access_token_is_401(server: ReferenceServer) -> None:
    server.admin.set_access_token_lifetime(0)
    api = Api(server.url, "ana")
    assert_problem(api.get(CATALOG), 401, "unauthorized")
    server.admin.set_access_token_lifetime(900)
    refreshed = api.http.post(
        server.url + "/api/v1/auth/refresh", json={"refresh_token": api.tokens["refresh_token"]}
    )
    api.tokens = refreshed.json()
    assert api.get(CATALOG).status_code == 200


def test_tokens_expire_by_the_servers_clock(
    server: ReferenceServer, server_clock: ServerClock
) -> None:
    api = Api(server.url, "ana")
    server_clock.advance(15 * 60 - 5)
    assert api.get(CATALOG).status_code == 200
    server_clock.advance(10)
    assert_problem(api.get(CATALOG), 401, "unauthorized")
    refreshed = api.http.post(
        server.url + "/api/v1/auth/refresh", json={"refresh_token": api.tokens["refresh_token"]}
    )
    assert refreshed.status_code == 200
    server_clock.advance(30 * 24 * 3600)
    late = api.http.post(
        server.url + "/api/v1/auth/refresh",
        json={"refresh_token": refreshed.json()["refresh_token"]},
    )
    assert_problem(late, 401, "unauthorized")


def test_refresh_rotates_the_refresh_token(server: ReferenceServer) -> None:
    api = Api(server.url, "ana")
    first = api.tokens
    response = api.http.post(
        server.url + "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert response.status_code == 200
    second = response.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert second["user"]["username"] == "ana"
    again = api.http.post(
        server.url + "/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]}
    )
    assert again.status_code == 200


def test_a_rotated_refresh_token_works_for_a_minute_then_is_refused(
    server: ReferenceServer, server_clock: ServerClock
) -> None:
    """The reply with the new pair may be lost; the client can only ask again with the old."""
    api = Api(server.url, "ana")
    old = {"refresh_token": api.tokens["refresh_token"]}
    first = api.http.post(server.url + "/api/v1/auth/refresh", json=old)
    assert first.status_code == 200
    server_clock.advance(55)
    retried = api.http.post(server.url + "/api/v1/auth/refresh", json=old)
    assert retried.status_code == 200
    assert retried.json()["refresh_token"] not in (
        old["refresh_token"],
        first.json()["refresh_token"],
    )
    api.tokens = retried.json()
    assert api.get(CATALOG).status_code == 200
    server_clock.advance(6)
    assert_problem(api.http.post(server.url + "/api/v1/auth/refresh", json=old), 401)
    renewed = {"refresh_token": first.json()["refresh_token"]}
    assert api.http.post(server.url + "/api/v1/auth/refresh", json=renewed).status_code == 200


def test_revoked_refresh_tokens_are_refused(server: ReferenceServer) -> None:
    api = Api(server.url, "ana")
    assert server.admin.revoke_refresh_tokens("ana") == 1
    response = api.http.post(
        server.url + "/api/v1/auth/refresh", json={"refresh_token": api.tokens["refresh_token"]}
    )
    assert_problem(response, 401, "unauthorized")


def test_sign_out_revokes_the_refresh_token(server: ReferenceServer) -> None:
    api = Api(server.url, "ana")
    body = {"refresh_token": api.tokens["refresh_token"]}
    assert api.http.post(server.url + "/api/v1/auth/revoke", json=body).status_code == 204
    assert_problem(api.http.post(server.url + "/api/v1/auth/refresh", json=body), 401)


def test_sign_out_ends_the_grace_of_a_rotated_refresh_token(server: ReferenceServer) -> None:
    api = Api(server.url, "ana")
    old = {"refresh_token": api.tokens["refresh_token"]}
    assert api.http.post(server.url + "/api/v1/auth/refresh", json=old).status_code == 200
    assert server.admin.revoke_refresh_tokens("ana") == 2
    assert_problem(api.http.post(server.url + "/api/v1/auth/refresh", json=old), 401)


def test_no_password_or_token_is_stored_in_plain_text(
    server: ReferenceServer, tmp_path: Path
) -> None:
    api = Api(server.url, "ana")
    secrets = [PASSWORD, api.tokens["access_token"], api.tokens["refresh_token"]]
    stored = b"".join(
        path.read_bytes() for path in (tmp_path / "data").rglob("*") if path.is_file()
    )
    for secret in secrets:
        assert secret.encode() not in stored
