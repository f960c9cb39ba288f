"""ID tokens the provider really signed, checked as the server checks them: one issued to
another application of the hospital (ES256) has a good signature but the wrong audience; one
whose payload was changed, or that claims no algorithm, does not hold."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import requests

from reference_server.oidc_tokens import (
    Expected,
    IdTokenError,
    checked_claims,
    verified_payload,
)

from .oidc_provider import (
    CLIENT_ID,
    CLIENT_SECRET,
    OTHER_CLIENT_ID,
    SUBJECT,
    AuthorizationRequest,
    Browser,
    OidcProvider,
    query_of,
    running_provider,
)

REDIRECT = "http://127.0.0.1:49152/callback"


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    with running_provider(tmp_path_factory.mktemp("oidc")) as running:
        yield running


def _id_token(provider: OidcProvider, client_id: str) -> tuple[str, AuthorizationRequest]:
    """An ID token the provider issues to `client_id` after a sign-in on its forms."""
    request = AuthorizationRequest(provider.issuer + "/auth", REDIRECT, client_id=client_id)
    browser = Browser(provider.issuer)
    try:
        code = query_of(browser.authorize(request.url))["code"]
    finally:
        browser.close()
    reply = requests.post(
        provider.issuer + "/token",
        data={"grant_type": "authorization_code", "code": code,
              "code_verifier": request.verifier, "redirect_uri": REDIRECT},
        auth=(client_id, CLIENT_SECRET),
        timeout=10,
    )  # fmt: skip
    assert reply.status_code == 200, reply.text
    return reply.json()["id_token"], request


def _keys(provider: OidcProvider) -> dict[str, object]:
    return requests.get(provider.issuer + "/jwks", timeout=10).json()


def _expected(provider: OidcProvider, request: AuthorizationRequest) -> Expected:
    return Expected(provider.issuer, CLIENT_ID, request.nonce, datetime.now(UTC))


def test_a_token_for_another_application_is_refused(provider: OidcProvider) -> None:
    token, request = _id_token(provider, OTHER_CLIENT_ID)
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header["alg"] == "ES256"
    payload = verified_payload(token, _keys(provider))  # the provider's own signature holds
    assert payload["sub"] == SUBJECT and payload["aud"] == OTHER_CLIENT_ID
    with pytest.raises(IdTokenError, match="issued for another application"):
        checked_claims(payload, _expected(provider, request))


def test_a_token_for_this_server_holds_and_a_changed_one_does_not(provider: OidcProvider) -> None:
    token, request = _id_token(provider, CLIENT_ID)
    keys = _keys(provider)
    claims = checked_claims(verified_payload(token, keys), _expected(provider, request))
    assert (claims.issuer, claims.subject, claims.name) == (provider.issuer, SUBJECT, "Inès Moreau")

    header, body, signature = token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=="))
    payload["sub"] = "someone-else"
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    with pytest.raises(IdTokenError, match="signature is not valid"):
        verified_payload(f"{header}.{forged}.{signature}", keys)
    unsigned = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
    with pytest.raises(IdTokenError, match="algorithm 'none' is not taken"):
        verified_payload(f"{unsigned}.{body}.", keys)
    with pytest.raises(IdTokenError, match="has expired"):
        later = Expected(
            provider.issuer, CLIENT_ID, request.nonce, datetime(2100, 1, 1, tzinfo=UTC)
        )
        checked_claims(verified_payload(token, keys), later)
