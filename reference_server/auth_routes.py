"""HTTP side of authentication: the token endpoints and the request guards."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request, Security
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from reference_server.auth import (
    XAPI_CHALLENGE,
    AuthenticatedUser,
    Authenticator,
    IssuedTokens,
    basic_credentials,
    bearer_token,
    unauthorized,
)
from reference_server.jsonresponse import json_response
from reference_server.learner_identity import LearnerIdentity
from reference_server.learner_lookup import LearnerLookup
from reference_server.openapi import BASIC, BEARER, problems, reply
from reference_server.schemas import SignedIn


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class TokenRequest(_Strict):
    username: str = Field(min_length=1, max_length=128, pattern=r"^[^\x00-\x1f\x7f]+$")
    password: str = Field(min_length=1, max_length=1024)


class RefreshRequest(_Strict):
    refresh_token: str = Field(min_length=1, max_length=512)


class Guards:
    """FastAPI dependencies that turn an Authorization header into the signed-in user."""

    def __init__(self, authenticator: Authenticator) -> None:
        self._auth = authenticator

    def bearer(self, authorization: Annotated[str | None, Security(BEARER)]) -> AuthenticatedUser:
        token = bearer_token(authorization)
        if token is None:
            raise unauthorized("A bearer access token is required.")
        user = self._auth.user_for_access_token(token)
        if user is None:
            raise unauthorized("The access token is unknown or has expired.")
        return user

    def bearer_or_basic(
        self,
        request: Request,
        authorization: Annotated[str | None, Security(BEARER)],
        _basic: Annotated[str | None, Security(BASIC)],
    ) -> AuthenticatedUser:
        credentials = basic_credentials(authorization)
        if credentials is not None:
            user = self._auth.check_password(*credentials, client_address(request))
        else:
            token = bearer_token(authorization)
            user = None if token is None else self._auth.user_for_access_token(token)
        if user is None:
            raise unauthorized("Valid credentials are required.", XAPI_CHALLENGE)
        return user


def client_address(request: Request) -> str | None:
    """The client's IP address (a trusted proxy's X-Forwarded-For, as uvicorn applies it)."""
    return request.client.host if request.client else None


def signed_in_reply(
    issued: IssuedTokens,
    identity: LearnerIdentity,
    lookup: LearnerLookup,
    actor: dict[str, Any] | None = None,
) -> Response:
    """The tokens, the user, and how statements name the user (`xapi`, see docs/api.md);
    `actor`: the provider's, for a user single sign-on made. A former mailbox that is now
    another user's is left out of `former_actors`, as the LRS proxy leaves it out: the client
    takes statements under each as this learner's."""
    user = issued.user
    xapi = identity.for_user(user.id, user.username, user.display_name, user.email, actor)
    xapi["former_actors"] = lookup.their_own(user, xapi["former_actors"], identity.mail_domain)
    document = {**issued.as_json(), "xapi": xapi}
    return json_response(document, headers={"Cache-Control": "no-store"})


def auth_router(
    authenticator: Authenticator, identity: LearnerIdentity, lookup: LearnerLookup
) -> APIRouter:
    """`lookup`: the provider's account of a user single sign-on made (for the renewal) and
    which mailboxes are other users'."""
    router = APIRouter(prefix="/api/v1/auth", tags=["auth"])

    @router.post(
        "/token",
        summary="Sign in with username and password",
        responses={**reply(SignedIn, "Signed in"), **problems(400, 401, 413, 429)},
    )
    def token(body: TokenRequest, request: Request) -> Response:
        issued = authenticator.sign_in(body.username, body.password, client_address(request))
        return signed_in_reply(issued, identity, lookup)

    @router.post(
        "/refresh",
        summary="Exchange a refresh token for new tokens (rotated)",
        responses={**reply(SignedIn, "New tokens"), **problems(400, 401, 413)},
    )
    def refresh(body: RefreshRequest) -> Response:
        issued = authenticator.refresh(body.refresh_token)
        return signed_in_reply(issued, identity, lookup, lookup.provider_actor(issued.user))

    @router.post(
        "/revoke",
        status_code=204,
        summary="Revoke a refresh token (sign out)",
        responses={204: {"description": "Revoked (or was unknown)"}, **problems(400, 413)},
    )
    def revoke(body: RefreshRequest) -> Response:
        authenticator.revoke_refresh_token(body.refresh_token)
        return Response(status_code=204)

    return router
