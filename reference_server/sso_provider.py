"""The trusted OpenID Connect provider, as this server talks to it: its discovery document,
its signing keys and its token endpoint.

The discovery document and the key set are fetched on first use and kept; the key set is
fetched again when a token names a key it does not have (the provider rotated its keys). The
provider may be down when the server starts: nothing is fetched until a learner signs in.
The client secret goes only to the provider's token endpoint, never to a client.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

SSO_ISSUER = "ROUNDS_SSO_ISSUER"
SSO_CLIENT_ID = "ROUNDS_SSO_CLIENT_ID"
SSO_CLIENT_SECRET = "ROUNDS_SSO_CLIENT_SECRET"
SSO_SCOPES = "ROUNDS_SSO_SCOPES"
DEFAULT_SCOPES = ("openid", "profile", "email")
PROVIDER_TIMEOUT = 10.0
MAX_REPLY = 1024 * 1024


class SsoSettingError(ValueError):
    """A single sign-on setting is unusable; the message is one sentence naming it."""


class ProviderUnreachable(RuntimeError):
    """The provider did not answer, or answered with something that is not its protocol."""


class ProviderRefused(RuntimeError):
    """The provider's token endpoint refused the code (expired, used, or not this client's)."""


@dataclass(frozen=True)
class SsoSettings:
    """The one provider this server trusts. An empty `client_secret` is a public client."""

    issuer: str
    client_id: str
    client_secret: str = ""
    scopes: tuple[str, ...] = DEFAULT_SCOPES

    @classmethod
    def configured(
        cls, issuer: str, client_id: str, client_secret: str = "", scopes: str = ""
    ) -> SsoSettings | None:
        """The settings, None when no issuer is given (single sign-on off)."""
        issuer = issuer.strip()
        if not issuer:
            return None
        parts = urlsplit(issuer)
        loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
        if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
            raise SsoSettingError(f"The SSO issuer must be an https URL: {issuer}")
        if parts.query or parts.fragment:
            raise SsoSettingError(f"The SSO issuer has a query or fragment: {issuer}")
        if not client_id.strip():
            raise SsoSettingError("The SSO issuer is set but the SSO client id is not.")
        chosen = tuple(dict.fromkeys(("openid", *scopes.split()))) if scopes.strip() else None
        return cls(issuer, client_id.strip(), client_secret, chosen or DEFAULT_SCOPES)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ) -> SsoSettings | None:
        """From ROUNDS_SSO_ISSUER, _CLIENT_ID, _CLIENT_SECRET and _SCOPES (space-separated)."""
        return cls.configured(
            environ.get(SSO_ISSUER, ""),
            environ.get(SSO_CLIENT_ID, ""),
            environ.get(SSO_CLIENT_SECRET, ""),
            environ.get(SSO_SCOPES, ""),
        )


def _read_json(request: urllib.request.Request, timeout: float) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            status, body = reply.status, reply.read(MAX_REPLY + 1)
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read(MAX_REPLY + 1)
    except (OSError, ValueError) as error:
        raise ProviderUnreachable(f"The sign-in provider cannot be reached: {error}") from error
    if len(body) > MAX_REPLY:
        raise ProviderUnreachable("The sign-in provider's reply is too large.")
    try:
        return status, json.loads(body)
    except ValueError as error:
        raise ProviderUnreachable(
            f"The sign-in provider answered {status} without JSON."
        ) from error


class Provider:
    """The provider of `settings`, its documents fetched lazily and kept (thread-safe)."""

    def __init__(self, settings: SsoSettings, timeout: float = PROVIDER_TIMEOUT) -> None:
        self.settings = settings
        self._timeout = timeout
        self._lock = threading.Lock()
        self._metadata: dict[str, Any] | None = None
        self._jwks: dict[str, Any] | None = None

    def metadata(self) -> dict[str, Any]:
        """The discovery document, which must name this issuer (OpenID Discovery §4.3)."""
        with self._lock:
            if self._metadata is None:
                self._metadata = self._discover()
            return self._metadata

    def _discover(self) -> dict[str, Any]:
        url = self.settings.issuer.rstrip("/") + "/.well-known/openid-configuration"
        status, document = _read_json(urllib.request.Request(url), self._timeout)
        if status != 200 or not isinstance(document, dict):
            raise ProviderUnreachable(f"The sign-in provider's discovery answered {status}.")
        if document.get("issuer") != self.settings.issuer:
            raise ProviderUnreachable("The sign-in provider's discovery names another issuer.")
        for member in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(document.get(member), str):
                raise ProviderUnreachable(f"The sign-in provider's discovery has no {member}.")
        return document

    def jwks(self, *, again: bool = False) -> dict[str, Any]:
        """The provider's key set; `again` fetches it anew (a key was missing)."""
        uri = self.metadata()["jwks_uri"]
        with self._lock:
            if self._jwks is None or again:
                status, document = _read_json(urllib.request.Request(uri), self._timeout)
                if status != 200 or not isinstance(document, dict):
                    raise ProviderUnreachable(f"The sign-in provider's keys answered {status}.")
                self._jwks = document
            return self._jwks

    def exchange(self, code: str, verifier: str, redirect_uri: str) -> dict[str, Any]:
        """The token endpoint's reply for an authorization code and its PKCE verifier."""
        settings = self.settings
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "code_verifier": verifier,
            "redirect_uri": redirect_uri,
        }
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        }
        if settings.client_secret:
            pair = f"{quote(settings.client_id, safe='')}:{quote(settings.client_secret, safe='')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
        else:
            form["client_id"] = settings.client_id
        request = urllib.request.Request(
            self.metadata()["token_endpoint"], data=urlencode(form).encode(), headers=headers
        )
        status, reply = _read_json(request, self._timeout)
        if status in (400, 401) and isinstance(reply, dict):
            reason = reply.get("error_description") or reply.get("error") or "refused"
            raise ProviderRefused(f"The sign-in provider refused the code: {reason}")
        if status != 200 or not isinstance(reply, dict):
            raise ProviderUnreachable(f"The sign-in provider's token endpoint answered {status}.")
        if not isinstance(reply.get("id_token"), str):
            raise ProviderUnreachable("The sign-in provider gave no ID token.")
        return reply
