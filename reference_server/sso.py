"""Hospital single sign-on: the endpoints a desktop client uses to sign in through the one
OpenID Connect provider this server trusts (docs/api.md, "Single sign-on").

The client runs the authorization code flow with PKCE in the system browser, with a loopback
redirect (RFC 8252 §7.3), and never sees the learner's hospital password. It posts the code,
its PKCE verifier, the redirect URI and the nonce here; this server exchanges the code at the
provider's token endpoint (with the client secret, which only the server holds), checks the ID
token (signature by the provider's keys, issuer, audience, expiry, nonce), finds or creates the
user of that issuer and subject (sso_users.py), and answers with its own tokens, exactly as a
password sign-in does, naming the learner in statements by the issuer and subject.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from ipaddress import ip_address
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from reference_server.auth import Authenticator, IssuedTokens, unauthorized
from reference_server.auth_routes import signed_in_reply
from reference_server.db import Database
from reference_server.jsonresponse import json_response
from reference_server.learner_identity import LearnerIdentity
from reference_server.learner_lookup import LearnerLookup
from reference_server.oidc_tokens import (
    Expected,
    IdClaims,
    IdTokenError,
    UnknownKey,
    checked_claims,
    verified_payload,
)
from reference_server.openapi import problems, reply
from reference_server.problems import ProblemError
from reference_server.schemas import SignedIn
from reference_server.sso_provider import (
    Provider,
    ProviderRefused,
    ProviderUnreachable,
    SsoSettings,
)
from reference_server.sso_users import SsoIdTaken, SsoUserDisabled, linked_user, sso_actor

UNREACHABLE = "The organisation's sign-in provider cannot be reached. Try again later."


class SsoConfiguration(BaseModel):
    """Whether single sign-on is on and, if so, where the client sends the browser."""

    enabled: bool
    issuer: str | None = None
    authorization_endpoint: str | None = None
    client_id: str | None = None
    scopes: list[str] | None = None


class SsoTokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    code: str = Field(min_length=1, max_length=2048)
    code_verifier: str = Field(min_length=43, max_length=128, pattern=r"^[A-Za-z0-9._~-]+$")
    redirect_uri: str = Field(min_length=1, max_length=512)
    nonce: str = Field(min_length=16, max_length=256, pattern=r"^[\x21-\x7e]+$")


def is_loopback_redirect(uri: str) -> bool:
    """An http URI on the loopback address with a port (RFC 8252 §7.3), nothing else."""
    try:
        parts = urlsplit(uri)
        host = ip_address(parts.hostname or "")
        port = parts.port
    except ValueError:
        return False
    return parts.scheme == "http" and host.is_loopback and port is not None and not parts.fragment


class SingleSignOn:
    """Exchanges a provider's authorization code for this server's tokens."""

    def __init__(
        self,
        provider: Provider,
        authenticator: Authenticator,
        db: Database,
        clock: Callable[[], datetime],
    ) -> None:
        self.provider = provider
        self._auth, self._db, self._clock = authenticator, db, clock

    def configuration(self) -> dict[str, Any]:
        settings = self.provider.settings
        try:
            endpoint = self.provider.metadata()["authorization_endpoint"]
        except ProviderUnreachable as error:
            raise ProblemError(502, detail=UNREACHABLE) from error
        return {
            "enabled": True,
            "issuer": settings.issuer,
            "authorization_endpoint": endpoint,
            "client_id": settings.client_id,
            "scopes": list(settings.scopes),
        }

    def sign_in(self, body: SsoTokenRequest) -> tuple[IssuedTokens, IdClaims]:
        if not is_loopback_redirect(body.redirect_uri):
            raise ProblemError(400, detail="The redirect URI must be an http loopback address.")
        try:
            reply = self.provider.exchange(body.code, body.code_verifier, body.redirect_uri)
            claims = self._claims(reply["id_token"], body.nonce)
        except ProviderRefused as error:
            raise unauthorized(str(error)) from error
        except ProviderUnreachable as error:
            raise ProblemError(502, detail=UNREACHABLE) from error
        except IdTokenError as error:
            raise unauthorized(str(error)) from error
        try:
            user = linked_user(self._db, claims, self._clock)
        except SsoUserDisabled as error:
            raise unauthorized(
                "This account is disabled. Ask your programme's administrator."
            ) from error
        except SsoIdTaken as error:
            raise ProblemError(
                409,
                detail="A password account on this server already holds this sign-in's id; "
                "ask your programme's administrator.",
            ) from error
        return self._auth.issue(user), claims

    def _claims(self, id_token: str, nonce: str) -> IdClaims:
        try:
            payload = verified_payload(id_token, self.provider.jwks())
        except UnknownKey:
            payload = verified_payload(id_token, self.provider.jwks(again=True))
        settings = self.provider.settings
        expected = Expected(settings.issuer, settings.client_id, nonce, self._clock())
        return checked_claims(payload, expected)


def sso_router(
    sso: SingleSignOn | None, identity: LearnerIdentity, lookup: LearnerLookup
) -> APIRouter:
    """The single sign-on endpoints; with `sso` None they say it is off. `lookup`: which
    mailboxes are other users' (left out of the reply's `former_actors`)."""
    router = APIRouter(prefix="/api/v1/sso", tags=["auth"])

    @router.get(
        "",
        summary="Whether single sign-on is on, and the provider the client signs in at",
        responses={**reply(SsoConfiguration, "The configuration"), **problems(502)},
    )
    def configuration() -> Response:
        document = {"enabled": False} if sso is None else sso.configuration()
        return json_response(document, headers={"Cache-Control": "no-store"})

    @router.post(
        "/token",
        summary="Sign in with an authorization code from the provider (PKCE)",
        responses={**reply(SignedIn, "Signed in"), **problems(400, 401, 404, 409, 413, 502)},
    )
    def token(body: SsoTokenRequest) -> Response:
        if sso is None:
            raise ProblemError(404, detail="Single sign-on is not configured on this server.")
        issued, claims = sso.sign_in(body)
        actor = sso_actor(claims.issuer, claims.subject, issued.user.display_name)
        return signed_in_reply(issued, identity, lookup, actor)

    return router


def single_sign_on(
    settings: SsoSettings | None, authenticator: Authenticator, db: Database, clock: Any
) -> SingleSignOn | None:
    """The single sign-on of `settings`, None when it is off."""
    if settings is None:
        return None
    return SingleSignOn(Provider(settings), authenticator, db, clock)
