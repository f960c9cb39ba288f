"""The server's single sign-on endpoints (docs/api.md, "Single sign-on"): whether the server
trusts an organisation's OpenID Connect provider, and the exchange of the provider's
authorization code for the server's own session."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from desktop_app.api import shape
from desktop_app.api.client import ApiClient
from desktop_app.api.errors import (
    AuthenticationError,
    BadPayloadError,
    ProblemError,
    ServerError,
)
from desktop_app.api.payloads import SignIn, parse_sign_in
from desktop_app.text import translate

PROVIDER_UNREACHABLE = translate(
    "sso", "Your organisation's sign-in service cannot be reached. Try again later."
)
REFUSED = translate("sso", "Your organisation's sign-in was not accepted: {reason}")
NOT_OFFERED = translate("sso", "This server does not offer sign-in with your organisation.")


class SsoError(AuthenticationError):
    """Signing in through the organisation did not work; `message` says why in one sentence."""


class SsoUnreachableError(SsoError):
    """The server or the organisation's provider cannot be reached."""


@dataclass(frozen=True)
class SsoOffer:
    """Where the server sends learners to sign in with their organisation."""

    issuer: str
    authorization_endpoint: str
    client_id: str
    scopes: tuple[str, ...]


def _web_url(text: str, where: str, key: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise shape.wrong(where, key, "an http(s) URL", text)
    return text


def sso_offer(client: ApiClient) -> SsoOffer | None:
    """The server's single sign-on, None if it has none (or is older than the endpoint)."""
    try:
        reply = client.transport.request_json("GET", "/api/v1/sso", authenticated=False)
    except ProblemError as error:
        if error.status == 404:
            return None
        raise
    except ServerError as error:
        if error.status == 502:
            raise SsoUnreachableError(PROVIDER_UNREACHABLE) from error
        raise
    where = "the single sign-on reply"
    data = shape.obj(reply, where)
    if not shape.boolean(data, "enabled", where):
        return None
    scopes = shape.texts(data, "scopes", where)
    if "openid" not in scopes:
        raise BadPayloadError(f"{where}: the scopes lack openid")
    return SsoOffer(
        issuer=_web_url(shape.text(data, "issuer", where), where, "issuer"),
        authorization_endpoint=_web_url(
            shape.text(data, "authorization_endpoint", where), where, "authorization_endpoint"
        ),
        client_id=shape.text(data, "client_id", where),
        scopes=scopes,
    )


def sso_sign_in(
    client: ApiClient, code: str, verifier: str, redirect_uri: str, nonce: str
) -> SignIn:
    """The server's session for an authorization code and its PKCE verifier."""
    body = {"code": code, "code_verifier": verifier, "redirect_uri": redirect_uri, "nonce": nonce}
    try:
        reply = client.transport.request_json(
            "POST", "/api/v1/sso/token", json=body, authenticated=False
        )
    except ServerError as error:
        if error.status == 502:
            raise SsoUnreachableError(PROVIDER_UNREACHABLE) from error
        raise
    except AuthenticationError as error:
        raise SsoError(REFUSED.format(reason=error.message)) from error
    except ProblemError as error:
        if error.status == 404:
            raise SsoError(NOT_OFFERED) from error
        raise
    return parse_sign_in(reply)
